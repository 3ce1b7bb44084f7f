"""Codebooks from spreadsheets: .xlsx and other tools' CSVs, columns by name or by option.

The sheets are fictional, written here by the tests."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from thematica.errors import InvalidInputError
from thematica.interchange.codebook_sheets import read_codebook_sheet

ROWS = [
    ["Code path", "Memo", "Color", "Frequency"],
    ["Support", "Feeling backed at work", "#F00", "12"],
    ["Support > Peer supervision", "Supervision by a peer", "00aa11", "4"],
    [None, None, None, None],
    ["Pay::Low pay", "", "", "2"],
]


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_an_xlsx_codebook_with_usual_headers(tmp_path: Path) -> None:
    sheet = read_codebook_sheet(_xlsx(tmp_path / "codes.xlsx", ROWS))
    got = [(r.line, r.path, r.definition, r.colour) for r in sheet.rows]
    assert got == [
        (2, ("Support",), "Feeling backed at work", "#ff0000"),
        (3, ("Support", "Peer supervision"), "Supervision by a peer", "#00aa11"),
        (5, ("Pay", "Low pay"), "", ""),
    ]
    assert sheet.notices == ["column(s) not read: Frequency"]


def test_unusual_headers_are_named_by_option(tmp_path: Path) -> None:
    path = tmp_path / "kódok.csv"
    path.write_text("Kód;Leírás;Szín\nTámogatás > Társ;Egy társ segít;#123456\n", "utf-8")
    with pytest.raises(InvalidInputError, match="name it with --path-column"):
        read_codebook_sheet(path)
    sheet = read_codebook_sheet(path, columns={"path": "kód", "definition": "Leírás"})
    (row,) = sheet.rows
    assert (row.path, row.definition, row.colour) == (("Támogatás", "Társ"), "Egy társ segít", "")
    assert sheet.notices == ["column(s) not read: Szín"]
    with pytest.raises(InvalidInputError, match="no column 'Colour' for --colour-column"):
        read_codebook_sheet(path, columns={"path": "Kód", "colour": "Colour"})


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["Code"], ["Support >  > Peer"]], "line 2"),
        ([["Code", "Colour"], ["Support", "red"]], "colour must look like #RRGGBB, not 'red'"),
        ([["Code"]], "holds no codes"),
    ],
)
def test_bad_rows_are_refused_naming_the_line(
    tmp_path: Path, rows: list[list[object]], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message) as caught:
        read_codebook_sheet(_xlsx(tmp_path / "bad.xlsx", rows))
    assert "bad.xlsx" in str(caught.value)


def test_a_damaged_workbook_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InvalidInputError) as caught:
        read_codebook_sheet(path)
    assert "\n" not in str(caught.value) and "broken.xlsx" in str(caught.value)
