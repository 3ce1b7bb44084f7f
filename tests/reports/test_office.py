"""The DOCX, XLSX and CSV reports read back with python-docx, openpyxl and csv."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import docx
import openpyxl
import pytest
from PIL import Image

from tests.reports.known_study import CODES, FORMULA, HOSTILE, LAYER, PARTICIPANTS
from thematica.reports.data import ReportData
from thematica.reports.docx import write_docx
from thematica.reports.xlsx import sheet_title, write_xlsx


def test_docx_has_every_section_and_table_one(written: dict[str, Path]) -> None:
    document = docx.Document(str(written["docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for section in (
        "Study summary",
        "Participants (Table 1)",
        "Codebook",
        "Themes: barriers and facilitators",
        "Framework matrix",
        "Saturation",
        "Intercoder agreement",
        "Co-occurrence of codes",
        "Methods (draft)",
        "COREQ checklist",
    ):
        assert section in headings
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    table_one = next(t for t in tables if t[0][0] == "Characteristic")
    fixed = sum(1 for _, a in PARTICIPANTS.values() if "Fixed term" in a["contract"])
    assert ["   Fixed term", str(fixed), f"{100 * fixed / len(PARTICIPANTS):.1f}%"] in table_one
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Note: contract sums to" in text
    assert HOSTILE in "\n".join(c for t in tables for row in t for c in row) + text
    coreq = next(t for t in tables if t[0][:3] == ["#", "Domain", "Item"])
    assert len(coreq) == 33


def test_docx_framework_tables_count_the_codings(written: dict[str, Path]) -> None:
    document = docx.Document(str(written["docx"]))
    expected = Counter((c.participant, c.code.split(" > ")[-1]) for c in LAYER)
    found = 0
    for table in document.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows[0][0] != "Participant":
            continue
        for row in rows[1:]:
            for head, value in zip(rows[0][1:], row[1:], strict=True):
                code = head.replace(" (the theme itself)", "")
                count = int(value.split(" coding(s)")[0]) if value else 0
                assert count == expected[(row[0], code)]
                found += count
                # One short quote per passage, with the transcript, never raw offsets.
                phrases = {c.phrase for c in LAYER if (c.participant, c.code.split(" > ")[-1])
                           == (row[0], code)}  # fmt: skip
                quoted = [line for line in value.split("\n") if line.startswith("“")]
                assert len(quoted) == len(phrases)
                assert all(re.fullmatch(r"“.*” \(I\d\)", line, re.S) for line in quoted)
    assert found == len(LAYER)


def test_docx_captions_number_every_table_and_figure(written: dict[str, Path]) -> None:
    document = docx.Document(str(written["docx"]))
    # A caption's number is the result of its SEQ field, which python-docx's .text leaves out.
    captions = [
        "".join(p._p.xpath(".//w:t/text()"))
        for p in document.paragraphs
        if p.style.name == "Caption"
    ]
    tables = [c for c in captions if c.startswith("Table ")]
    figures = [c for c in captions if c.startswith("Figure ")]
    assert [int(c.split(".")[0].split()[1]) for c in tables] == list(range(1, len(tables) + 1))
    assert tables[0].startswith("Table 1. Participant characteristics. N = ")
    # Every data table but the study summary is captioned; each caption a Word SEQ field.
    assert len(tables) == len(document.tables) - 1
    fields = document.element.body.xpath(".//w:fldSimple/@w:instr")
    assert fields.count(" SEQ Table \\* ARABIC ") == len(tables)
    # The charts are pictures, PNGs of the size Pillow painted them: barriers and facilitators
    # and saturation (no two codes share a turn in the known study, so no network picture).
    assert [c.split(".")[0] for c in figures] == ["Figure 1", "Figure 2"]
    assert figures[1].startswith("Figure 2. Code saturation")
    pictures = [part for part in document.part.package.parts if part.partname.endswith(".png")]
    assert len(pictures) == 2
    for part in pictures:
        with Image.open(io.BytesIO(part.blob)) as image:
            assert image.format == "PNG" and image.width >= 1000


@pytest.mark.parametrize(
    ("size", "width_mm", "height_mm"), [("a4", 210.0, 297.0), ("letter", 215.9, 279.4)]
)
def test_docx_page_size(report: ReportData, tmp_path: Path, size: str, width_mm: float,
                        height_mm: float) -> None:  # fmt: skip
    write_docx(replace(report, page_size=size), tmp_path / "r.docx")
    section = docx.Document(str(tmp_path / "r.docx")).sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (
        width_mm,
        height_mm,
    )


def test_docx_quotes_carry_pseudonym_and_the_chosen_attributes(
    report: ReportData, tmp_path: Path
) -> None:
    write_docx(replace(report, quote_attributes=("setting",)), tmp_path / "r.docx")
    quotes = [p.text for p in docx.Document(str(tmp_path / "r.docx")).paragraphs
              if p.style.name == "Quote"]  # fmt: skip
    assert quotes
    by_pseudonym = {pseudonym: a for pseudonym, a in PARTICIPANTS.values()}
    for quote in quotes:
        who = quote.rsplit(" (", 1)[1]
        pseudonym, setting = who.split(", ")[:2]
        assert setting.split(";")[0] in by_pseudonym[pseudonym]["setting"]


def test_xlsx_one_chart_per_theme_and_every_coded_segment(
    written: dict[str, Path], report: ReportData
) -> None:
    book = openpyxl.load_workbook(written["xlsx"])
    themes = {code.split(" > ")[0] for code in CODES}
    for theme in themes:
        assert sheet_title(theme, set()) in book.sheetnames
    segments = book["Coded segments"]
    rows = list(segments.iter_rows(values_only=True))
    assert len(rows) - 1 == len(LAYER)
    texts = Counter(row[-1] for row in rows[1:])
    assert texts == Counter(c.phrase for c in LAYER)
    # A passage starting with "=" is text in the workbook, never a formula.
    [cell] = [row[-1] for row in segments.iter_rows() if row[-1].value == FORMULA]
    assert cell.data_type == "s"
    matrix = {row[0]: row[1:] for row in book["Matrix"].iter_rows(min_row=2, values_only=True)}
    heads = next(book["Matrix"].iter_rows(max_row=1, values_only=True))[1:]
    expected = Counter((c.participant, c.code) for c in LAYER)
    for participant, values in matrix.items():
        for code, value in zip(heads, values, strict=True):
            assert value == expected[(participant, code)]


def test_xlsx_has_no_blank_columns_and_filters_its_data_sheets(
    written: dict[str, Path], report: ReportData, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(written["xlsx"])
    for sheet in book.worksheets:
        if sheet.title == "About":
            continue
        rows = list(sheet.iter_rows(values_only=True))
        for index, heading in enumerate(rows[0]):
            assert heading, (sheet.title, index)
            assert any(row[index] not in (None, "") for row in rows[1:]), (sheet.title, heading)
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(rows[0])).column_letter}{len(rows)}"
    # A study with no turns, no valences and no pseudonyms: those columns go, not left blank.
    plain = replace(
        report,
        segments=tuple(replace(s, valence=None, turn=None) for s in report.segments),
        participants=tuple(replace(p, pseudonym="") for p in report.participants),
    )
    write_xlsx(plain, tmp_path / "plain.xlsx")
    again = openpyxl.load_workbook(tmp_path / "plain.xlsx")
    heads = next(again["Coded segments"].iter_rows(max_row=1, values_only=True))
    assert "Valence" not in heads and "Turn" not in heads and "Participant" in heads
    theme = next(again[t] for t in again.sheetnames if t not in {"About", "Matrix",
                                                                  "Coded segments"})  # fmt: skip
    assert "Pseudonym" not in next(theme.iter_rows(max_row=1, values_only=True))


def test_xlsx_sheet_titles_are_legal_and_unique() -> None:
    taken: set[str] = set()
    first = sheet_title("Pay: [band] / grade? " + "x" * 40, taken)
    second = sheet_title("Pay: [band] / grade? " + "x" * 40, taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert not set(first) & set("[]:*?/\\")


def test_csv_is_a_binary_participants_by_codes_matrix(written: dict[str, Path]) -> None:
    with written["csv"].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["participant"] for r in rows] == list(PARTICIPANTS)
    coded = {(c.participant, c.code) for c in LAYER}
    for row in rows:
        assert row["pseudonym"] == PARTICIPANTS[row["participant"]][0]
        for code in CODES:
            assert row[code] == ("1" if (row["participant"], code) in coded else "0")
    p1 = next(r for r in rows if r["participant"] == "P1")
    assert p1["contract"] == "Permanent; Fixed term"


def test_control_characters_xml_cannot_hold_are_dropped(report: ReportData, tmp_path: Path) -> None:
    # lxml refuses a NUL or a vertical tab outright; a transcript pasted from elsewhere has them.
    bad = replace(report, summary=replace(report.summary, description="Peer\x00 work\x0b\x1f."))
    write_docx(bad, tmp_path / "r.docx")
    write_xlsx(bad, tmp_path / "r.xlsx")
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "r.docx")).paragraphs]
    assert "Peer work." in paragraphs
    about = openpyxl.load_workbook(tmp_path / "r.xlsx")["About"]
    assert ("Description", "Peer work.") in about.iter_rows(values_only=True)


def test_every_format_states_the_analysis_layer(report: ReportData, tmp_path: Path) -> None:
    assert report.analysis_layer.startswith("Analysis layer: the union of the coders' codings")
    write_docx(report, tmp_path / "r.docx")
    write_xlsx(report, tmp_path / "r.xlsx")
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "r.docx")).paragraphs)
    assert report.analysis_layer in text
    about = openpyxl.load_workbook(tmp_path / "r.xlsx")["About"]
    assert ("Analysis layer", report.analysis_layer) in about.iter_rows(values_only=True)


def test_csv_cells_that_look_like_formulas_are_neutralised(
    report: ReportData, tmp_path: Path
) -> None:
    from thematica.reports.matrix_csv import write_matrix_csv

    people = [
        replace(p, pseudonym='=HYPERLINK("http://x.example","y")') for p in report.participants
    ]
    path = tmp_path / "participants-by-codes.csv"
    write_matrix_csv(replace(report, participants=people), path)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["pseudonym"] for r in rows} == {'\'=HYPERLINK("http://x.example","y")'}
