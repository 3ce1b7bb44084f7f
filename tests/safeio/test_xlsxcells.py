"""The one XLSX cell writer: never a formula, no control characters, cut at the cell limit."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from thematica.interchange.workbooks import write_xlsx
from thematica.safeio.xlsxcells import CELL_LIMIT, CUT_NOTE, cell_text


def test_cells_are_text_never_formulas(tmp_path: Path) -> None:
    path = tmp_path / "segments.xlsx"
    hostile = ["=1+1", "\x00=SUM(A1)", "+1", "@x", "-1", "plain"]
    write_xlsx(path, ["=head", "n"], [[h, i] for i, h in enumerate(hostile)])
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=False))
    assert rows[0][0].value == "=head" and rows[0][0].data_type == "s"
    values = [(row[0].value, row[0].data_type) for row in rows[1:]]
    assert values == [(h.replace("\x00", ""), "s") for h in hostile]
    assert rows[2][1].value == 1


def test_a_long_passage_is_cut_and_says_so() -> None:
    text = cell_text("x" * (CELL_LIMIT + 10))
    assert len(text) == CELL_LIMIT and text.endswith(CUT_NOTE)
