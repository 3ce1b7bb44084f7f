"""The report as a Word document (python-docx), to edit into a paper.

The same sections as the HTML page, as headings, paragraphs and tables a team can restyle, cut
and paste: summary, Table 1 (flagged blocks noted under it), codebook, themes with their
barrier/facilitator counts and chosen quotes, the framework matrix (one table per theme, counts
and summaries; the passages are in the XLSX), saturation, agreement, the strongest
co-occurrences, the draft methods paragraph (gaps marked) and the COREQ checklist. The charts
are in the HTML report; their numbers are here as tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from thematica.reports.data import ReportData, column_heading, figure, xml_text

__all__ = ["write_docx"]

#: Co-occurring pairs listed (the HTML and XLSX carry the whole matrix).
TOP_PAIRS = 20


def _t(value: object) -> str:
    """Text Word can hold: control characters (which XML forbids) dropped."""
    return xml_text(str(value))


def _cell(value: object, *, bold: bool = False) -> str:
    run = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return (
        '<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr><w:p><w:r>'
        f'{run}<w:t xml:space="preserve">{escape(_t(value))}</w:t></w:r></w:p></w:tc>'
    )


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
        rows.append([block.attribute.replace("_", " "), "", ""])
        rows.extend(
            [f"   {c.category}", c.count, figure(c.percent, 1, "%")] for c in block.categories
        )
    if rows:
        _table(document, ["Characteristic", "n", f"% of N = {table.n}"], rows)
    for block in table.flagged:
        document.add_paragraph(f"Note: {block.attribute.replace('_', ' ')} {block.note}.")


def _themes(document: Any, report: ReportData) -> None:
    table = report.valence
    n = table.group_sizes.get(None, 0)
    document.add_heading("Themes: barriers and facilitators", level=1)
    document.add_paragraph(
        f"Distinct participants (of N = {n}) raising each theme and code as a barrier, a "
        "facilitator or mixed; one participant can count under several."
    )
    for theme in report.themes:
        document.add_heading(_t(theme), level=2)
        entry = report.entry(theme)
        if entry and entry.definition:
            document.add_paragraph(_t(entry.definition))
        rows = report.valence_rows(theme)
        if rows:
            _table(
                document,
                ["Code", "Participants", "Barrier", "Facilitator", "Mixed", "Codings"],
                [
                    [r.label, r.participants, r.barrier, r.facilitator, r.mixed, r.codings]
                    for r in rows
                ],
            )
        if table.groups:
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
                paragraph = document.add_paragraph(_t(quote.text), style="Quote")
                paragraph.add_run(
                    _t(f" ({quote.attribution(report.quote_attributes)}; {code.name})")
                )


def _framework(document: Any, report: ReportData) -> None:
    matrix = report.framework
    document.add_heading("Framework matrix", level=1)
    document.add_paragraph(
        "Participants by codes, one table per theme: the number of codings and the researcher's "
        "summary in each cell (the passages are in the XLSX workbook)."
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
                text = f"{cell.codings}" if cell.codings else ""
                if cell.summary:
                    text += f": {cell.summary}" if text else cell.summary
                cells.append(text)
            rows.append([label, *cells])
        _table(document, ["Participant", *heads], rows)


def _analyses(document: Any, report: ReportData) -> None:
    result = report.saturation
    document.add_heading("Saturation", level=1)
    document.add_paragraph(_t(f"Verdict (a heuristic): {result.verdict}"))
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
                f"{found.statistic} by {found.unit} between {', '.join(found.coders)} on "
                f"{len(found.documents)} double-coded transcript(s)."
            )
        )
        _table(
            document,
            ["Code", "Value", "Interval", "Band", "Units"],
            [
                [
                    r.label,
                    figure(r.value, 3),
                    f"{figure(r.ci_low, 3)} to {figure(r.ci_high, 3)}",
                    r.band or "",
                    r.units,
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
        _table(document, ["Code", "Code", "Turns"], [list(pair) for pair in pairs])


def write_docx(report: ReportData, path: Path) -> None:
    """Write the report as a Word document to ``path``."""
    from docx import Document

    document = Document()
    s = report.summary
    document.add_heading(_t(s.name), level=0)
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
    document.add_heading("COREQ checklist", level=1)
    answered = sum(1 for a in report.coreq if a.answered)
    document.add_paragraph(f"{answered} of {len(report.coreq)} items answered.")
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
