"""The report's SVG charts as PNG pictures, for the Word document (no browser, no SVG library).

:mod:`thematica.reports.charts` draws with a small part of SVG: ``rect``, ``line``,
``polyline``, ``circle`` and ``text``, with hex colours, opacities, stroke widths and dashes,
``text-anchor`` and ``font-size``/``font-weight``. :func:`svg_to_png` paints exactly that part
with Pillow (imported here only, behind the ``reports`` extra), at ``scale`` times the chart's
``viewBox`` so the picture stays sharp when printed. Anything else in the SVG (``title`` and
``desc``, which are for screen readers) is skipped: the charts are written here, so the
subset is known, and a test renders every chart and compares its pixels with the shapes asked
for.
"""

from __future__ import annotations

import io
import itertools
from typing import Any

from defusedxml import ElementTree

__all__ = ["svg_to_png"]

_SVG = "{http://www.w3.org/2000/svg}"


def _colour(value: str | None, opacity: float = 1.0) -> tuple[int, int, int, int] | None:
    """``#rrggbb`` (or ``#rgb``) with an opacity as RGBA; ``None`` for "none" or nothing."""
    if not value or value == "none" or not value.startswith("#"):
        return None
    digits = value[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return red, green, blue, round(255 * max(0.0, min(1.0, opacity)))


def _number(element: Any, name: str, default: float = 0.0) -> float:
    value = element.get(name)
    return float(value) if value not in (None, "") else default


def _font(size: float, bold: bool) -> Any:
    from PIL import ImageFont

    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", size)
    except OSError:  # no DejaVu on this machine: Pillow's own scalable font
        return ImageFont.load_default(size=size)


def svg_to_png(svg: str, *, scale: float = 2.0) -> bytes:
    """Paint one of the report's SVG charts as a PNG (``scale`` pixels per SVG unit)."""
    from PIL import Image, ImageDraw

    root = ElementTree.fromstring(svg)
    _, _, width, height = (float(v) for v in root.get("viewBox", "0 0 640 360").split())
    image = Image.new("RGB", (round(width * scale), round(height * scale)), (255, 255, 255))
    draw = ImageDraw.Draw(image, "RGBA")  # RGBA colours blend into the picture (opacity)
    for element in root.iter():
        tag = element.tag.removeprefix(_SVG)
        if tag in {"rect", "line", "polyline", "circle", "text"}:
            _paint(draw, tag, element, scale)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _paint(draw: Any, tag: str, element: Any, scale: float) -> None:
    fill = _colour(element.get("fill"), _number(element, "fill-opacity", 1.0))
    stroke = _colour(element.get("stroke"), _number(element, "stroke-opacity", 1.0))
    width = max(1, round(_number(element, "stroke-width", 1.0) * scale))
    if tag == "rect":
        x, y = _number(element, "x") * scale, _number(element, "y") * scale
        w, h = _number(element, "width") * scale, _number(element, "height") * scale
        if w > 0 and h > 0:
            draw.rectangle((x, y, x + w, y + h), fill=fill, outline=stroke)
    elif tag == "circle":
        cx, cy = _number(element, "cx") * scale, _number(element, "cy") * scale
        r = _number(element, "r") * scale
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill, outline=stroke, width=width)
    elif tag in {"line", "polyline"}:
        if tag == "line":
            names = ("x1", "y1", "x2", "y2")
            values = [_number(element, n) * scale for n in names]
            points = [(values[0], values[1]), (values[2], values[3])]
        else:
            pairs = (p.split(",") for p in element.get("points", "").split())
            points = [(float(x) * scale, float(y) * scale) for x, y in pairs]
        if stroke is None or len(points) < 2:
            return
        if element.get("stroke-dasharray"):
            _dashed(draw, points, stroke, width, element.get("stroke-dasharray"), scale)
        else:
            draw.line(points, fill=stroke, width=width, joint="curve")
    else:
        _text(draw, element, fill, scale)


def _dashed(
    draw: Any,
    points: list[tuple[float, float]],
    colour: tuple[int, int, int, int],
    width: int,
    pattern: str,
    scale: float,
) -> None:
    lengths = [float(v) * scale for v in pattern.replace(",", " ").split()] or [4 * scale]
    if len(lengths) == 1:
        lengths *= 2
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        total = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
        done, index, on = 0.0, 0, True
        while done < total:
            step = min(lengths[index % len(lengths)], total - done)
            if on:
                a, b = done / total, (done + step) / total
                start = (x1 + (x2 - x1) * a, y1 + (y2 - y1) * a)
                end = (x1 + (x2 - x1) * b, y1 + (y2 - y1) * b)
                draw.line([start, end], fill=colour, width=width)
            done, index, on = done + step, index + 1, not on


def _text(draw: Any, element: Any, fill: tuple[int, int, int, int] | None, scale: float) -> None:
    words = "".join(element.itertext()).strip()
    if not words:
        return
    size = _number(element, "font-size", 12.0) * scale
    font = _font(size, element.get("font-weight") in {"600", "700", "bold"})
    x, y = _number(element, "x") * scale, _number(element, "y") * scale
    anchor = {"middle": "ms", "end": "rs"}.get(element.get("text-anchor", ""), "ls")
    outline = _colour(element.get("stroke"))
    draw.text(
        (x, y),
        words,
        fill=fill or (0, 0, 0, 255),
        font=font,
        anchor=anchor,
        stroke_width=1 if outline else 0,
        stroke_fill=outline,
    )
