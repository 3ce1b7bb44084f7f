"""The report's charts, drawn here as inline SVG (no chart library, nothing fetched).

* :func:`saturation_chart`: new codes per interview (bars) and the cumulative curve (line), the
  base shaded and the saturation point marked;
* :func:`valence_chart`: for each theme, the participants who raised it as a barrier, a
  facilitator or mixed, as bars out of the group's size;
* :func:`network_chart`: codes on a circle (numbered, sized by use) joined by lines as thick as
  their co-occurrence.

Every piece of study text placed in a chart goes through :func:`text` (XML-escaped): code names
come from researchers and may hold ``<`` or ``&``. Each SVG scales to its container
(``viewBox`` and ``width="100%"``), so the charts fit a phone as well as a page. Colours are
from the Okabe-Ito palette, which stays distinguishable with the common colour-vision
deficiencies.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

from thematica.analysis.frequencies import NetworkLayout
from thematica.analysis.saturation import SaturationResult
from thematica.analysis.valence import ValenceRow

__all__ = [
    "PALETTE",
    "VALENCE_COLOURS",
    "network_chart",
    "saturation_chart",
    "text",
    "valence_chart",
]

#: Okabe-Ito colours, for themes in codebook order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
VALENCE_COLOURS = {"barrier": "#D55E00", "facilitator": "#0072B2", "mixed": "#CC79A7"}
_INK, _MUTED, _GRID, _SHADE = "#1a1a1a", "#5a5a5a", "#d9d9d9", "#eef3f8"


def text(value: object) -> str:
    """``value`` as text safe inside SVG or HTML (``<``, ``>``, ``&`` and quotes escaped)."""
    return escape(str(value), quote=True)


def _open(chart: str, width: int, height: int, title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{chart}" '
        f'viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart}-title {chart}-desc" preserveAspectRatio="xMidYMid meet">'
        f'<title id="{chart}-title">{text(title)}</title>'
        f'<desc id="{chart}-desc">{text(description)}</desc>'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
    )


def _nice_step(top: int, ticks: int = 5) -> int:
    """A round tick step (1, 2, 5, 10, 20 ...) giving about ``ticks`` ticks up to ``top``."""
    raw = max(top, 1) / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)


def _empty(chart: str, title: str, message: str) -> str:
    return (
        _open(chart, 640, 120, title, message)
        + f'<text x="320" y="66" text-anchor="middle" font-size="16" fill="{_MUTED}">'
        f"{text(message)}</text></svg>"
    )


def saturation_chart(result: SaturationResult) -> str:
    """New codes per interview and the cumulative number of codes, in interview order."""
    title = "Code saturation: codes found, interview by interview"
    steps = result.steps
    if not steps or result.cumulative[-1] == 0:
        return _empty("saturation", title, "No coded interviews yet.")
    width, height = 640, 340
    left, right, top, bottom = 56, 20, 28, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(steps)
    peak = max(result.cumulative)
    step = _nice_step(peak)
    ymax = step * math.ceil(peak / step)
    slot = plot_w / n

    def x(position: float) -> float:
        return left + (position - 0.5) * slot

    def y(value: float) -> float:
        return top + plot_h - value / ymax * plot_h

    description = (
        f"{n} interviews; {peak} codes in all. New codes per interview: "
        + ", ".join(str(v) for v in result.new_per_interview)
        + f". {result.verdict}"
    )
    parts = [_open("saturation", width, height, title, description)]
    base = min(result.base_size, n)
    parts.append(
        f'<rect x="{left:.1f}" y="{top}" width="{base * slot:.1f}" height="{plot_h}" '
        f'fill="{_SHADE}"/>'
        f'<text x="{left + base * slot / 2:.1f}" y="{top - 8}" text-anchor="middle" '
        f'font-size="12" fill="{_MUTED}">base ({base})</text>'
    )
    for value in range(0, ymax + 1, step):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="{_GRID}" stroke-width="1"/>'
            f'<text x="{left - 8}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{_MUTED}">{value}</text>'
        )
    bar = max(slot * 0.55, 1.0)
    label_every = max(1, math.ceil(n / 20))
    for s in steps:
        if s.new:
            parts.append(
                f'<rect class="new" x="{x(s.position) - bar / 2:.1f}" y="{y(s.new):.1f}" '
                f'width="{bar:.1f}" height="{plot_h - (y(s.new) - top):.1f}" fill="#E69F00">'
                f"<title>{text(s.document)}: {s.new} new code(s)</title></rect>"
            )
        if (s.position - 1) % label_every == 0 or s.position == n:
            parts.append(
                f'<text x="{x(s.position):.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'font-size="11" fill="{_MUTED}">{s.position}</text>'
            )
    points = " ".join(f"{x(s.position):.1f},{y(s.cumulative):.1f}" for s in steps)
    parts.append(
        f'<polyline class="cumulative" points="{points}" fill="none" stroke="#0072B2" '
        'stroke-width="3" stroke-linejoin="round"/>'
    )
    for s in steps:
        parts.append(
            f'<circle cx="{x(s.position):.1f}" cy="{y(s.cumulative):.1f}" r="3.5" '
            f'fill="#0072B2"><title>After {text(s.document)}: {s.cumulative} codes</title>'
            "</circle>"
        )
    if result.saturation_point is not None:
        at = left + result.saturation_point * slot
        parts.append(
            f'<line class="saturation-point" x1="{at:.1f}" x2="{at:.1f}" y1="{top}" '
            f'y2="{top + plot_h}" stroke="#009E73" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{min(at + 6, width - right - 4):.1f}" y="{top + 14}" font-size="12" '
            f'fill="#006b4f" text-anchor="{"start" if at < width - 160 else "end"}">'
            f"saturation after {result.saturation_point}</text>"
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 28}" text-anchor="middle" '
        f'font-size="13" fill="{_INK}">Interview (in order)</text>'
        f'<rect x="{left}" y="{height - 16}" width="12" height="10" fill="#E69F00"/>'
        f'<text x="{left + 16}" y="{height - 7}" font-size="12" fill="{_INK}">new codes</text>'
        f'<line x1="{left + 110}" x2="{left + 132}" y1="{height - 11}" y2="{height - 11}" '
        'stroke="#0072B2" stroke-width="3"/>'
        f'<text x="{left + 138}" y="{height - 7}" font-size="12" fill="{_INK}">'
        "codes found so far</text></svg>"
    )
    return "".join(parts)


def valence_chart(rows: Sequence[ValenceRow], size: int) -> str:
    """Bars of participants per valence for each theme row, out of ``size`` participants."""
    chart = "valence"
    title = "Barriers and facilitators: participants raising each theme"
    if not rows or size <= 0:
        return _empty(chart, title, "No codings with a theme yet.")
    width = 640
    left, right, label_h, bar_h, gap = 12, 96, 22, 16, 14
    block = label_h + 3 * bar_h + gap
    height = 40 + block * len(rows)
    plot_w = width - left - right
    described = "; ".join(
        f"{r.label}: barrier {r.barrier}, facilitator {r.facilitator}, mixed {r.mixed} of {size}"
        for r in rows
    )
    parts = [_open(chart, width, height, title, described)]
    legend_x = left
    for kind, colour in VALENCE_COLOURS.items():
        parts.append(
            f'<rect x="{legend_x}" y="10" width="12" height="12" fill="{colour}"/>'
            f'<text x="{legend_x + 17}" y="20" font-size="13" fill="{_INK}">{kind}</text>'
        )
        legend_x += 120
    for i, row in enumerate(rows):
        y0 = 40 + i * block
        parts.append(
            f'<text x="{left}" y="{y0 + 15}" font-size="14" font-weight="600" fill="{_INK}">'
            f"{text(row.label)}</text>"
        )
        for j, kind in enumerate(VALENCE_COLOURS):
            count = int(getattr(row, kind))
            y = y0 + label_h + j * bar_h
            length = plot_w * count / size
            parts.append(
                f'<rect x="{left}" y="{y}" width="{plot_w}" height="{bar_h - 4}" fill="#f2f2f2"/>'
            )
            if count:
                parts.append(
                    f'<rect class="bar {kind}" x="{left}" y="{y}" width="{length:.1f}" '
                    f'height="{bar_h - 4}" fill="{VALENCE_COLOURS[kind]}">'
                    f"<title>{text(row.label)}: {kind}, {count} of {size}</title></rect>"
                )
            parts.append(
                f'<text x="{width - right + 8}" y="{y + bar_h - 5}" font-size="12" '
                f'fill="{_INK}">{count} of {size}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def network_chart(
    layout: NetworkLayout,
    numbers: Mapping[str, int],
    colours: Mapping[str, str],
    *,
    max_edges: int = 150,
) -> str:
    """Codes on a circle, numbered as in ``numbers``, joined by their co-occurrence.

    Only codes that occur somewhere are drawn; a line's width grows with the number of units the
    two codes share. With many codes only the ``max_edges`` strongest links are drawn (the
    matrix beside the picture has them all).
    """
    title = "Co-occurrence of codes within speaker turns"
    nodes = [node for node in layout.nodes if node.weight > 0]
    if not nodes:
        return _empty("network", title, "No codes co-occur yet.")
    size, margin = 560, 44
    radius = size / 2 - margin
    centre = size / 2
    shown = {node.code for node in nodes}
    edges = [e for e in layout.edges if e.source in shown and e.target in shown][:max_edges]
    strongest = max((e.weight for e in edges), default=1)
    heaviest = max(node.weight for node in nodes)
    described = (
        f"{len(nodes)} codes, {len(layout.edges)} pairs that co-occur. Strongest: "
        + "; ".join(f"{e.source} with {e.target} ({e.weight})" for e in edges[:5])
    )
    parts = [_open("network", size, size, title, described)]
    place = {node.code: (centre + node.x * radius, centre - node.y * radius) for node in nodes}
    for edge in reversed(edges):  # strongest drawn last, on top
        (x1, y1), (x2, y2) = place[edge.source], place[edge.target]
        share = edge.weight / strongest
        parts.append(
            f'<line class="edge" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="#555555" stroke-opacity="{0.25 + 0.6 * share:.2f}" '
            f'stroke-width="{1 + 7 * share:.1f}"><title>{text(edge.source)} and '
            f"{text(edge.target)}: {edge.weight}</title></line>"
        )
    small = len(nodes) > 40
    for node in nodes:
        cx, cy = place[node.code]
        r = (5 if small else 11) + (4 if small else 9) * math.sqrt(node.weight / heaviest)
        parts.append(
            f'<circle class="node" cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" '
            f'fill="{text(colours.get(node.code, PALETTE[0]))}" stroke="#ffffff" '
            f'stroke-width="2"><title>{numbers.get(node.code, 0)}. {text(node.code)}: in '
            f"{node.weight} turns</title></circle>"
        )
        if not small:
            parts.append(
                f'<text x="{cx:.1f}" y="{cy + 4.5:.1f}" text-anchor="middle" font-size="13" '
                f'font-weight="700" fill="#ffffff" stroke="#1a1a1a" stroke-width="0.6" '
                f'paint-order="stroke">{numbers.get(node.code, "")}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
