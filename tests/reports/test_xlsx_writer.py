"""The streaming XLSX writer, read back with openpyxl: positions, types, escaping, filters."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from thematica.reports.xlsx_writer import Workbook, column_letter


def test_rows_keep_their_columns_types_and_text(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.sheet("Data 'one'", [10, 10, 10, 10])
    sheet.header(["a", "b", "c", "d"])
    sheet.rows_of_text(
        [
            ["x", "", 3, "=1+1"],  # an empty cell keeps the next ones in place
            [None, "<b>&amp;</b>", 2.5, "y"],
            ["x", "z", 0, ""],
        ],
        clean=lambda v: v.replace("\x00", ""),
    )
    plain = book.sheet("Plain", [10], filtered=False)
    plain.row(["only"])
    book.save(tmp_path / "w.xlsx")
    loaded = openpyxl.load_workbook(tmp_path / "w.xlsx")
    data = loaded["Data 'one'"]
    assert list(data.iter_rows(values_only=True)) == [
        ("a", "b", "c", "d"),
        ("x", None, 3, "=1+1"),
        (None, "<b>&amp;</b>", 2.5, "y"),
        ("x", "z", 0, None),
    ]
    assert data["D2"].data_type == "s"  # text, never a formula
    assert data.auto_filter.ref == "A1:D4" and data.freeze_panes == "B2"
    assert data["A1"].font.b and not data["A2"].font.b
    assert loaded["Plain"].auto_filter.ref is None
    with zipfile.ZipFile(tmp_path / "w.xlsx") as archive:
        workbook = archive.read("xl/workbook.xml").decode()
    assert "'Data ''one'''!$A$1:$D$4" in workbook  # Excel's filter range, quote doubled


def test_column_letters() -> None:
    assert [column_letter(i) for i in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
