"""The SVG charts on hand-made analyses: well-formed, escaped, and drawn from the numbers."""

from __future__ import annotations

import itertools

import lxml.etree as etree

from thematica.analysis.frequencies import circle_layout, co_occurrence
from thematica.analysis.records import DocumentRecord, SegmentRecord
from thematica.analysis.saturation import code_saturation
from thematica.analysis.valence import valence_table
from thematica.reports.charts import network_chart, saturation_chart, valence_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> etree._Element:
    return etree.fromstring(svg.encode("utf-8"))  # fails on any unescaped markup


def _segments(found: list[str]) -> list[SegmentRecord]:
    return [
        SegmentRecord(f"I{i}", None, code, code, "R", 0, 1, "x")
        for i, codes in enumerate(found, start=1)
        for code in codes
    ]


def test_saturation_curve_points_follow_the_cumulative_counts() -> None:
    found = ["ABCD", "BE", "", "F", "", "", "A"]
    documents = [DocumentRecord(f"I{i}", None, i, 9) for i in range(1, len(found) + 1)]
    result = code_saturation(_segments(found), documents)
    root = _parse(saturation_chart(result))
    [line] = root.iter(f"{SVG}polyline")
    ys = [float(point.split(",")[1]) for point in (line.get("points") or "").split()]
    assert len(ys) == len(found)
    # Higher on the page means more codes: y falls exactly where the cumulative count rises.
    rises = [b > a for a, b in itertools.pairwise(result.cumulative)]
    assert [b < a for a, b in itertools.pairwise(ys)] == rises
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "new"]
    assert len(bars) == sum(1 for n in result.new_per_interview if n)
    marked = [x for x in root.iter(f"{SVG}line") if x.get("class") == "saturation-point"]
    assert len(marked) == (1 if result.reached else 0)


def test_empty_analyses_draw_a_message_not_a_broken_chart() -> None:
    result = code_saturation([], [DocumentRecord("I1", None, 1, 9)])
    assert "No coded interviews yet" in saturation_chart(result)
    assert "No codings" in valence_chart((), 0)


def test_valence_bars_are_proportional_to_participants() -> None:
    coded = [
        SegmentRecord("T1", "P1", "Pay", "Pay", "R", 0, 5, "x", "barrier"),
        SegmentRecord("T2", "P2", "Pay", "Pay", "R", 0, 5, "x", "barrier"),
        SegmentRecord("T3", "P3", "Pay", "Pay", "R", 0, 5, "x", "facilitator"),
    ]
    table = valence_table(coded)
    root = _parse(valence_chart(table.themes(), 4))
    widths = {
        (r.get("class") or "").split()[-1]: float(r.get("width") or 0)
        for r in root.iter(f"{SVG}rect")
        if (r.get("class") or "").startswith("bar")
    }
    assert set(widths) == {"barrier", "facilitator"}
    assert widths["barrier"] == 2 * widths["facilitator"]


def test_network_escapes_code_names_and_weights_edges() -> None:
    name = 'Pay & <b onload="x">'
    coded = [
        SegmentRecord("T1", "P1", name, name, "R", 0, 5, "x", turn=0),
        SegmentRecord("T1", "P1", "B", "B", "R", 0, 5, "x", turn=0),
        SegmentRecord("T1", "P1", "B", "B", "R", 9, 15, "x", turn=1),
        SegmentRecord("T1", "P1", "C", "C", "R", 9, 15, "x", turn=1),
        SegmentRecord("T2", "P1", "B", "B", "R", 0, 5, "x", turn=0),
        SegmentRecord("T2", "P1", "C", "C", "R", 0, 5, "x", turn=0),
    ]
    co = co_occurrence(coded)
    svg = network_chart(circle_layout(co), {c: i for i, c in enumerate(co.codes, 1)}, {})
    root = _parse(svg)
    assert not [e for e in root.iter() if isinstance(e.tag, str) and e.tag.endswith("}b")]
    assert name in "".join(root.itertext())
    edges = {
        e.findtext(f"{SVG}title"): float(e.get("stroke-width") or 0)
        for e in root.iter(f"{SVG}line")
    }
    assert edges["B and C: 2"] > edges[f"B and {name}: 1"]
