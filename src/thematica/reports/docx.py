"""The report as a Word document (python-docx), to edit into a paper.

The same sections as the HTML page, as headings, paragraphs and tables a team can restyle, cut
and paste: summary, Table 1 (flagged blocks noted under it), codebook, themes with their
barrier/facilitator counts and chosen quotes, the framework matrix (one table per theme, counts
and summaries; the passages are in the XLSX), saturation, agreement, the strongest
co-occurrences, the draft methods paragraph (gaps marked) and the COREQ checklist.

Tables and figures are captioned as Word captions ("Table 2. ...", a ``SEQ`` field Word keeps
numbered when the document is edited); the charts of the HTML report are pictures here
(:mod:`thematica.reports.raster`), with their numbers in tables beside them. The page is A4 or
US Letter (``ReportData.page_size``), with margins of 2.5 cm or one inch.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from thematica.reports.charts import network_chart, saturation_chart, valence_chart
from thematica.reports.data import (
    ReportData,
    cell_quotes,
    column_heading,
    figure,
    listed,
    table1_heading,
    table1_rows,
    xml_text,
)
from thematica.reports.html_sections import code_numbers, theme_colours

__all__ = ["write_docx"]

#: Co-occurring pairs listed (the HTML and XLSX carry the whole matrix).
TOP_PAIRS = 20
#: Passages a framework cell quotes (short, each once); the rest are counted.
QUOTES_PER_CELL = 3
#: Page sizes and margins, in millimetres: (width, height, margin).
PAGES = {"a4": (210.0, 297.0, 25.0), "letter": (215.9, 279.4, 25.4)}
#: The width of a chart on the page, in centimetres.
CHART_WIDTH_CM = 15.0


def _caption(document: Any, kind: str, words: str) -> None:
    """A Word caption: "Table 3. words", the number a ``SEQ`` field Word renumbers on edit."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    instruction = f" SEQ {kind} \\* ARABIC "
    number = 1 + sum(
        1
        for paragraph in document.element.body.iterchildren(qn("w:p"))
        for field in paragraph.iterchildren(qn("w:fldSimple"))
        if field.get(qn("w:instr")) == instruction
    )
    paragraph = document.add_paragraph(style="Caption")
    paragraph.add_run(f"{kind} ")
    paragraph._p.append(
        parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr="{instruction}"><w:r>'
            f"<w:t>{number}</w:t></w:r></w:fldSimple>"
        )
    )
    paragraph.add_run(_t(f". {words}"))
    paragraph.paragraph_format.keep_with_next = True


def _figure(document: Any, svg: str, words: str) -> None:
    """A chart as a picture (rendered from its SVG), then its caption."""
    from docx.shared import Cm

    from thematica.reports.raster import svg_to_png

    document.add_picture(io.BytesIO(svg_to_png(svg)), width=Cm(CHART_WIDTH_CM))
    document.paragraphs[-1].paragraph_format.keep_with_next = True
    _caption(document, "Figure", words)


def _page(document: Any, size: str) -> None:
    from docx.shared import Mm

    width, height, margin = PAGES.get(size, PAGES["a4"])
    for section in document.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(margin))


def _t(value: object) -> str:
    """Text Word can hold: control characters (which XML forbids) dropped."""
    return xml_text(str(value))


def _cell(value: object, *, bold: bool = False) -> str:
    """One table cell; each line of the value its own paragraph."""
    run = "<w:rPr><w:b/></w:rPr>" if bold else ""
    lines = "".join(
        f'<w:p><w:r>{run}<w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
        for line in _t(value).split("\n")
    )
    return f'<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr>{lines}</w:tc>'


def _table(document: Any, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A "Table Grid" table with a bold header row that repeats on each page.

    Built as one piece of WordprocessingML and parsed once: python-docx's cell-by-cell API
    takes seconds for the thousands of cells of a large study's framework tables.
    """
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    header = "".join(_cell(h, bold=True) for h in headers)
    body = "".join("<w:tr>" + "".join(_cell(v) for v in values) + "</w:tr>" for values in rows)
    grid = "<w:gridCol/>" * len(headers)
    table = parse_xml(
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        '<w:tblW w:w="0" w:type="auto"/><w:tblLook w:val="04A0"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>{header}</w:tr>"
        f"{body}</w:tbl>"
    )
    document.element.body._insert_tbl(table)


def _participants(document: Any, report: ReportData) -> None:
    table = report.participants_table
    document.add_heading("Participants (Table 1)", level=1)
    rows: list[list[object]] = []
    for block in table.blocks:
        rows.append([block.name, "", ""])
        rows.extend([f"   {row}", count, percent] for row, count, percent in table1_rows(block))
    if rows:
        _caption(document, "Table", f"Participant characteristics. {table1_heading(table)}")
        _table(document, ["Characteristic", "n", f"% of N = {table.n}"], rows)
    for block in table.flagged:
        document.add_paragraph(_t(f"Note: {block.name} {block.note}."))


def _themes(document: Any, report: ReportData) -> None:
    table = report.valence
    n = table.group_sizes.get(None, 0)
    document.add_heading("Themes: barriers and facilitators", level=1)
    document.add_paragraph(
        f"Distinct participants (of N = {n}) raising each theme and code as a barrier, a "
        "facilitator or mixed; one participant can count under several."
    )
    if n:
        ordered = {theme: i for i, theme in enumerate(report.themes)}
        rows_by_theme = sorted(table.themes(), key=lambda r: ordered.get(r.theme, len(ordered)))
        _figure(
            document,
            valence_chart(rows_by_theme, n),
            f"Participants raising each theme as a barrier, a facilitator or mixed (N = {n}).",
        )
    for theme in report.themes:
        document.add_heading(_t(theme), level=2)
        entry = report.entry(theme)
        if entry and entry.definition:
            document.add_paragraph(_t(entry.definition))
        rows = report.valence_rows(theme)
        if rows:
            _caption(document, "Table", f"{theme}: participants by valence, and codings.")
            _table(
                document,
                ["Code", "Participants", "Barrier", "Facilitator", "Mixed", "Codings"],
                [
                    [r.label, r.participants, r.barrier, r.facilitator, r.mixed, r.codings]
                    for r in rows
                ],
            )
        if table.groups and rows:
            by = (table.attribute or "").replace("_", " ")
            _caption(document, "Table", f"{theme}: barriers and facilitators by {by}.")
            _table(
                document,
                [f"By {(table.attribute or '').replace('_', ' ')}", "n", "Barrier", "Facilitator"],
                [
                    [g, table.group_sizes.get(g, 0), row.barrier, row.facilitator]
                    for g in table.groups
                    for row in (table.row(theme, group=g),)
                ]
                if rows
                else [],
            )
        for code in report.codes_of(theme):
            for quote in report.quotes.quotes.get(code.path, ()):
                paragraph = document.add_paragraph(_t(f"“{quote.text}”"), style="Quote")
                who = paragraph.add_run(
                    _t(f" ({quote.attribution(report.quote_attributes)}; {code.name})")
                )
                who.italic = False


def _framework(document: Any, report: ReportData) -> None:
    matrix = report.framework
    document.add_heading("Framework matrix", level=1)
    document.add_paragraph(
        "Participants by codes, one table per theme: in each cell the number of codings, the "
        f"researcher's summary and short quotes from up to {QUOTES_PER_CELL} passages, each "
        "passage once (every passage in full is in the XLSX workbook)."
    )
    for theme in report.themes:
        used = report.chart_columns(theme, used=True)
        if not used:
            continue
        document.add_heading(_t(theme), level=2)
        heads = [column_heading(c) for c in used]
        rows = []
        for label in matrix.participants:
            cells = []
            for column in used:
                cell = matrix.cell(label, column)
                lines = [f"{cell.codings} coding(s)"] if cell.codings else []
                if cell.summary:
                    lines.append(cell.summary)
                shown, total = cell_quotes(cell, QUOTES_PER_CELL)
                lines += [f"“{q.text}” ({q.document})" for q in shown]
                if total > len(shown):
                    lines.append(f"… and {total - len(shown)} more (see the XLSX)")
                cells.append("\n".join(lines))
            rows.append([label, *cells])
        _caption(document, "Table", f"Framework matrix: {theme}.")
        _table(document, ["Participant", *heads], rows)


def _analyses(document: Any, report: ReportData) -> None:
    result = report.saturation
    document.add_heading("Saturation", level=1)
    document.add_paragraph(_t(f"Verdict (a heuristic): {result.verdict}"))
    if result.steps:
        _figure(
            document,
            saturation_chart(result),
            "Code saturation: new codes per interview (bars) and codes found so far (line).",
        )
    _caption(document, "Table", "Codes found interview by interview.")
    _table(
        document,
        ["#", "Transcript", "Codes", "New", "So far"],
        [[s.position, s.document, s.codes, s.new, s.cumulative] for s in result.steps],
    )
    document.add_heading("Intercoder agreement", level=1)
    found = report.agreement
    if found is None:
        document.add_paragraph(_t(report.agreement_note))
    else:
        document.add_paragraph(
            _t(
                f"{found.statistic} by {found.unit_described} between {listed(found.coders)} on "
                f"{len(found.documents)} double-coded transcript(s)."
            )
        )
        _caption(document, "Table", f"Intercoder agreement ({found.statistic}) by code.")
        _table(
            document,
            ["Code", "Value", "Interval", "Band", "Units", "Note"],
            [
                [
                    r.label,
                    "undefined" if math.isnan(r.value) else figure(r.value, 3),
                    "" if math.isnan(r.ci_low) else f"{r.ci_low:.3f} to {r.ci_high:.3f}",
                    r.band or "",
                    r.units,
                    r.notes,
                ]
                for r in found.rows
            ],
        )
    document.add_heading("Co-occurrence of codes", level=1)
    pairs = report.co_occurrence.pairs()[:TOP_PAIRS]
    document.add_paragraph(
        f"The {len(pairs)} pairs of codes most often applied in the same speaker turn "
        "(the whole matrix and the network picture are in the HTML report)."
    )
    if pairs:
        numbers = code_numbers(report)
        _figure(
            document,
            network_chart(report.network, numbers, theme_colours(report)),
            "Codes (numbered as in the codebook) joined by how often they share a speaker turn.",
        )
        _caption(document, "Table", "The codes most often applied in the same speaker turn.")
        _table(document, ["Code", "Code", "Turns"], [list(pair) for pair in pairs])


def _memos(document: Any, report: ReportData) -> None:
    document.add_heading("Memos", level=1)
    if not report.memos:
        document.add_paragraph("No journal entries yet.")
    for heading, journal in (("Project journal", True), ("Notes chosen for this report", False)):
        memos = [m for m in report.memos if m.journal == journal]
        if memos:
            document.add_heading(heading, level=2)
        for memo in memos:
            about = "" if memo.journal else f", on {memo.about}"
            if memo.title:
                document.add_paragraph(_t(memo.title)).runs[0].bold = True
            for paragraph in (p for p in memo.text.split("\n\n") if p):
                document.add_paragraph(_t(paragraph))
            by = document.add_paragraph(
                _t(f"{memo.author}, {memo.created_at:%Y-%m-%d %H:%M} UTC{about}")
            )
            by.runs[0].italic = True


def write_docx(report: ReportData, path: Path) -> None:
    """Write the report as a Word document to ``path``."""
    from docx import Document

    document = Document()
    _page(document, report.page_size)
    s = report.summary
    document.add_heading(_t(s.heading), level=0)
    if s.heading != s.name:
        document.add_paragraph(_t(f"Study: {s.name}"))
    if s.team:
        document.add_paragraph(_t(f"Research team: {s.team}"))
    document.add_paragraph(_t(f"Study report generated {s.generated_at:%Y-%m-%d} by {s.software}."))
    if s.description:
        document.add_paragraph(_t(s.description))
    document.add_heading("Study summary", level=1)
    _table(
        document,
        ["", ""],
        [
            ["Participants", s.participants],
            ["Transcripts", s.documents],
            ["Themes", s.themes],
            ["Codes", s.codes],
            ["Coders", ", ".join(s.coders)],
            ["Codings", s.codings],
            ["Text coded", figure(s.coverage.share * 100, 0, "%")],
            ["Transcripts double-coded", s.double_coded],
        ],
    )
    _participants(document, report)
    document.add_heading("Codebook", level=1)
    _caption(document, "Table", "The codebook: each code's definition and use.")
    _table(
        document,
        ["Code", "Definition", "Codings", "Participants"],
        [[e.path, e.definition, e.codings, e.participants] for e in report.codebook],
    )
    _themes(document, report)
    _framework(document, report)
    _analyses(document, report)
    document.add_heading("Methods (draft)", level=1)
    document.add_paragraph(_t(report.methods))
    _memos(document, report)
    document.add_heading("COREQ checklist", level=1)
    answered = sum(1 for a in report.coreq if a.answered)
    document.add_paragraph(f"{answered} of {len(report.coreq)} items answered.")
    _caption(document, "Table", "COREQ checklist (Tong, Sainsbury and Craig 2007).")
    _table(
        document,
        ["#", "Domain", "Item", "Answer", "Source"],
        [
            [
                a.item.number,
                a.item.domain,
                a.item.item,
                a.answer if a.answered else f"NEEDS AN ANSWER: {a.item.guide}",
                a.source,
            ]
            for a in report.coreq
        ],
    )
    document.save(str(path))
