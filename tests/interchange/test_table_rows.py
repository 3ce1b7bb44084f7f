"""Rows of CSV and XLSX tables; damaged workbooks refused in one line, never a traceback."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.interchange.made_files import replace_member
from thematica.errors import InvalidInputError
from thematica.interchange.table_rows import table_rows


def _book(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_csv_and_xlsx_give_the_same_rows() -> None:
    rows = [["speaker", "text"], ["Ana", "she wrote =1+1"], ["Ben", "yes\x1b"]]
    from_csv = list(
        table_rows(b"speaker,text\nAna,she wrote =1+1\nBen,yes\x1b\n", "t.csv", what="a table")
    )
    from_xlsx = list(table_rows(_book(rows[:2]), "t.xlsx", what="a table"))
    assert [cells for _, cells in from_csv] == [rows[0], rows[1], ["Ben", "yes\ufffd"]]
    assert [cells for _, cells in from_xlsx] == rows[:2]


def test_a_sheet_damaged_inside_is_one_line_not_a_traceback() -> None:
    good = _book([["speaker", "text"], *[["Ana", f"line {i}"] for i in range(50)]])
    broken = replace_member(
        good,
        "xl/worksheets/sheet1.xml",
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ok'
        b"</t></is></c></row><row r=",
    )
    with pytest.raises(InvalidInputError, match=r"^t\.xlsx: the workbook"):
        list(table_rows(broken, "t.xlsx", what="a table"))


def test_a_workbook_part_with_a_doctype_is_refused() -> None:
    good = _book([["speaker", "text"], ["Ana", "hello"]])
    hostile = replace_member(
        good,
        "xl/sharedStrings.xml" if b"sharedStrings" in good else "[Content_Types].xml",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
    )
    with pytest.raises(InvalidInputError, match=r"DOCTYPE.*refused"):
        list(table_rows(hostile, "t.xlsx", what="a table"))


@pytest.mark.parametrize("name", ["t.docx", "t"])
def test_other_suffixes_are_refused_naming_the_table(name: str) -> None:
    with pytest.raises(InvalidInputError, match=r"a table must be \.csv, \.tsv or \.xlsx"):
        list(table_rows(b"x", name, what="a table"))
