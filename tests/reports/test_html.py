"""The HTML report read back with lxml: self-contained, escaped, and its numbers are the study's."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from tests.reports.known_study import CODINGS, HOSTILE, LAYER, PARTICIPANTS, SUMMARY
from thematica.reports.data import ReportData
from thematica.reports.html import CONTENT_SECURITY_POLICY, SECTIONS, render_html
from thematica.storage import Database


@pytest.fixture(scope="module")
def page(written: dict[str, Path]) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(written["html"].read_bytes())


def test_every_section_is_there_in_order(page: lxml.html.HtmlElement) -> None:
    ids = [section.get("id") for section in page.iter("section")]
    assert ids == [anchor for anchor, _ in SECTIONS]
    links = [a.get("href") for a in page.cssselect("nav.toc a")]
    assert links == [f"#{anchor}" for anchor, _ in SECTIONS]


def test_nothing_can_run_and_nothing_is_fetched(page: lxml.html.HtmlElement) -> None:
    assert page.cssselect("script") == []
    assert page.cssselect("img, iframe, object, embed, link, form") == []
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name in ("href", "src", "xlink:href"):
                assert value.startswith("#"), value
    [policy] = page.cssselect('meta[http-equiv="Content-Security-Policy"]')
    assert policy.get("content") == CONTENT_SECURITY_POLICY
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY


def test_hostile_study_text_is_shown_as_text(page: lxml.html.HtmlElement) -> None:
    shown = page.text_content()
    assert HOSTILE in shown  # the transcript's markup is on the page, as characters
    assert SUMMARY[2] in shown  # the summary's <em> is text, not emphasis
    assert page.cssselect("em") == []
    assert PARTICIPANTS["P1"][0] in shown


def test_table_one_counts_percentages_and_flag(
    page: lxml.html.HtmlElement, report: ReportData
) -> None:
    rows = {}
    for tr in page.cssselect("table.table1 tbody tr"):
        cells = [td.text_content().strip() for td in tr.cssselect("td")]
        if len(cells) == 3:
            rows.setdefault(cells[0], []).append((int(cells[1]), cells[2]))
    n = len(PARTICIPANTS)
    permanent = sum(1 for _, a in PARTICIPANTS.values() if "Permanent" in a["contract"])
    assert (permanent, f"{100 * permanent / n:.1f}%") in rows["Permanent"]
    flags = page.cssselect("div.flag")
    assert [f.get("data-block") for f in flags] == ["contract"]
    assert f"N = {n}" in flags[0].text_content()


def test_framework_cells_show_the_codings_behind_them(page: lxml.html.HtmlElement) -> None:
    """Each cell: its codings counted (the analysis layer's), and one short quote per passage
    (a passage both coders coded is quoted once), with its transcript but no raw offsets."""
    expected = Counter((c.participant, c.code.split(" > ")[-1]) for c in LAYER)
    passages = {(c.participant, c.code.split(" > ")[-1], c.document, c.phrase) for c in LAYER}
    distinct = Counter({(p, code): 0 for p, code in expected})
    for participant, code, _, _ in passages:
        distinct[(participant, code)] += 1
    seen = 0
    for table in page.cssselect("#framework table.matrix"):
        heads = [th.text_content() for th in table.cssselect("thead th")][1:]
        for tr in table.cssselect("tbody tr"):
            label = tr.cssselect("th")[0].text_content()
            if label not in PARTICIPANTS:
                continue  # a group row
            for head, td in zip(heads, tr.cssselect("td"), strict=True):
                code = head.replace(" (the theme itself)", "")
                counts = td.cssselect(".count")
                shown = int(counts[0].text_content()) if counts else 0
                assert shown == expected[(label, code)], (label, code)
                quotes = td.cssselect("q.passage")
                assert len(quotes) == min(distinct[(label, code)], 5)
                for quote in quotes:
                    cite = quote.getnext()
                    assert cite.tag == "cite" and cite.text_content().startswith("I")
                    assert not re.search(r"\b\d+-\d+\b", cite.text_content())
                seen += shown
    # Each participant row appears once per setting group they belong to (one each here).
    assert seen == len(LAYER)


def test_valence_chart_bars_say_the_participant_counts(page: lxml.html.HtmlElement) -> None:
    [chart] = page.cssselect('svg[data-chart="valence"]')
    titles = {t.text_content() for t in chart.cssselect("rect.bar title")}
    n = len(PARTICIPANTS)
    for theme in {c.theme for c in LAYER}:
        for kind in ("barrier", "facilitator", "mixed"):
            people = {c.participant for c in LAYER if c.theme == theme and c.valence == kind}
            if people:
                assert f"{theme}: {kind}, {len(people)} of {n}" in titles


def test_coreq_lists_32_items_and_counts_the_answered(
    page: lxml.html.HtmlElement, report: ReportData
) -> None:
    rows = page.cssselect("table.coreq tr[data-key]")
    assert len(rows) == 32
    answered = [r for r in rows if "answered" in r.get("class", "").split()]
    assert len(answered) == sum(1 for a in report.coreq if a.answered)
    assert page.cssselect(".coreq-count")[0].text_content() == f"{len(answered)} of 32"
    unanswered = page.cssselect("tr.unanswered td.answer")
    assert all(td.text_content().startswith("Needs an answer") for td in unanswered)


def test_methods_gaps_are_marked_and_escaped(report: ReportData) -> None:
    page = lxml.html.fromstring(render_html(report))
    gaps = [g.text_content() for g in page.cssselect("#methods .gap")]
    assert "[to record: who interviewed]" in gaps
    assert "support <at work>" in page.cssselect("#methods p.methods")[0].text_content()


def test_charts_are_inline_svg_that_scale(page: lxml.html.HtmlElement) -> None:
    charts = {svg.get("data-chart"): svg for svg in page.iter("{*}svg", "svg")}
    assert {"saturation", "valence", "network"} <= set(charts)
    for svg in charts.values():
        assert svg.get("viewbox") or svg.get("viewBox")
        assert svg.get("width") == "100%"


def test_codings_by_coder_are_the_coders_codings(page: lxml.html.HtmlElement) -> None:
    rows = page.cssselect("table.by-coder tbody tr")
    shown = {
        r.cssselect("td")[0].text_content(): int(r.cssselect("td")[1].text_content()) for r in rows
    }
    assert shown == dict(Counter(c.coder for c in LAYER))
    # The table is by the analysis layer's sources, and the summary says so (it once claimed
    # consensus codings were "not counted" above a table that counted them).
    assert page.cssselect("table.by-coder thead th")[0].text_content() == "Source"
    note = page.cssselect("#summary p.note")[0].text_content()
    assert "analysis layer" in note and "not counted" not in note


def test_codebook_counts_codings_and_participants_per_code(page: lxml.html.HtmlElement) -> None:
    rows = page.cssselect("#codebook tbody tr")
    shown = {}
    for row in rows:
        cells = [td.text_content().strip() for td in row.cssselect("td")]
        shown[cells[0].replace("\xa0", "")] = (int(cells[2]), int(cells[3]))
    for name in {c.code.split(" > ")[-1] for c in LAYER}:
        mine = [c for c in LAYER if c.code.split(" > ")[-1] == name]
        assert shown[name] == (len(mine), len({c.participant for c in mine})), name


def test_agreement_table_is_the_agreement_service_s(
    page: lxml.html.HtmlElement, known_db: Database
) -> None:
    from thematica.services.agreement import measure_agreement

    measured = measure_agreement(known_db, by="code", ci=False)
    rows = page.cssselect("#agreement tbody tr")
    values = [tr.cssselect("td")[1].text_content() for tr in rows]
    assert values == [f"{row.value:.3f}" for row in measured.rows]
    assert {c.document for c in CODINGS if c.coder == "Sam"} == set(measured.documents)


def test_each_quote_says_how_its_coders_read_it(page: lxml.html.HtmlElement) -> None:
    quotes = page.cssselect("#themes .theme blockquote")
    assert quotes
    for quote in quotes:
        said = quote.text or ""
        pills = {p.text_content() for p in quote.cssselect(".pill")}
        given = {c.valence for c in CODINGS if c.phrase == said and c.valence}
        assert pills == given, said
