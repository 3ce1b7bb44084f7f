"""`participants import` from Excel with a preview that writes nothing (sheets are fictional)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from tests.cli.test_cli import run


def test_preview_then_import_an_excel_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "p.db")
    assert run(capsys, "--db", db, "init", "Sheet study")[0] == 0
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [["Ref", "Length"], ["R1", "0:45:00"], ["", "1:00:00"], ["R2", "NA"]]:
        sheet.append(row)
    path = tmp_path / "people.xlsx"
    book.save(path)
    args = ("participants", "import", str(path), "--id-column", "REF")
    code, out, err = run(capsys, "--db", db, *args, "--preview")
    assert code == 0, err
    assert "Skipped line 3: no 'Ref'." in out and "0:45:00 -> 45" in out
    assert "Nothing was written" in out
    _, out, _ = run(capsys, "--db", db, "--json", "participants", "list")
    assert json.loads(out) == []
    code, out, _ = run(capsys, "--db", db, "--json", *args)
    result = json.loads(out)
    assert (result["added"], result["skipped"]) == (2, [{"line": 3, "reason": "no 'Ref'"}])
    _, out, _ = run(capsys, "--db", db, "--json", "participants", "list")
    assert {p["participant"]: p["attributes"] for p in json.loads(out)} == {
        "R1": {"Length": ["45"]},
        "R2": {},
    }
