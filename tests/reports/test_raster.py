"""The SVG charts painted as PNG without a browser: the shapes land where the SVG puts them."""

from __future__ import annotations

import io

from PIL import Image

from thematica.reports.charts import VALENCE_COLOURS, network_chart, valence_chart
from thematica.reports.raster import svg_to_png


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _image(svg: str, scale: float = 2.0) -> Image.Image:
    image = Image.open(io.BytesIO(svg_to_png(svg, scale=scale)))
    image.load()
    return image.convert("RGB")


def test_rectangles_lines_circles_and_opacity_land_where_the_svg_says() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50">'
        '<rect width="100" height="50" fill="#ffffff"/>'
        '<rect x="10" y="10" width="20" height="10" fill="#D55E00"><title>t</title></rect>'
        '<circle cx="70" cy="25" r="8" fill="#0072B2"/>'
        '<line x1="0" y1="45" x2="100" y2="45" stroke="#000000" stroke-opacity="0.5"/>'
        '<text x="50" y="40" font-size="6" fill="#000000">A &lt;b&gt; &amp; c</text>'
        "</svg>"
    )
    image = _image(svg)
    assert image.size == (200, 100)
    assert image.getpixel((40, 30)) == _rgb("#D55E00")  # inside the rectangle, doubled
    assert image.getpixel((10, 10)) == (255, 255, 255)  # outside it
    assert image.getpixel((140, 50)) == _rgb("#0072B2")  # the circle's centre
    grey = image.getpixel((100, 90))  # the half-transparent line over white
    assert all(110 <= channel <= 145 for channel in grey)
    darkest, _ = image.crop((95, 68, 160, 82)).convert("L").getextrema()
    assert darkest < 100  # the (escaped) label was drawn


def test_each_report_chart_paints() -> None:
    from thematica.analysis.frequencies import NetworkEdge, NetworkLayout, NetworkNode
    from thematica.analysis.valence import ValenceRow

    row = ValenceRow("Pay & <grade>", None, None, 4, 3, 1, 0, 0, 5, 1, 0, 0)
    bars = _image(valence_chart([row], 4), scale=1.0)
    # The barrier bar: 3 of 4 of the plot's width, in the barrier colour, at its row.
    assert bars.getpixel((20, 40 + 22 + 5)) == _rgb(VALENCE_COLOURS["barrier"])
    nodes = (NetworkNode("A", 1.0, 0.0, 3), NetworkNode("B", -1.0, 0.0, 2))
    layout = NetworkLayout(nodes, (NetworkEdge("A", "B", 2),))
    picture = _image(network_chart(layout, {"A": 1, "B": 2}, {"A": "#009E73"}), scale=1.0)
    centre = 280 + (280 - 44)  # size 560, margin 44: A sits at the circle's right
    assert picture.getpixel((centre - 14, 280)) == _rgb("#009E73")
