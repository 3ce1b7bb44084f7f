"""The analysts' coded-segments table: CSV, XLSX and the facade's DataFrame agree."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from tests.cli.test_cli import run
from thematica.safeio.csvfiles import restore_cell
from thematica.services.coding import apply_coding
from thematica.services.documents import add_text
from thematica.services.facade import StudyHandle
from thematica.services.participants import add_participant
from thematica.services.projects_segments import export_segments, segment_table
from thematica.storage import Database


def _coded(db: Database, study: str) -> None:
    add_participant(db, "P01", study=study, attributes={"role": ["peer", "lead"], "text": "x"})
    apply_coding(db, "T1", 0, 11, "Support", coder="Robin", study=study, valence="facilitator")
    add_text(db, "T2", "=SUM(A1:A9) is what she typed\x07.", study=study)
    apply_coding(db, "T2", 0, 11, "Systemic > Pay", coder="Sam", study=study, memo="odd")


def test_the_table_carries_participants_attributes(db: Database, study: str) -> None:
    _coded(db, study)
    header, rows = segment_table(db, study)
    assert header[:5] == ["document", "participant", "role", "participant text", "code"]
    by_document = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    first = by_document["T1"]
    assert first["role"] == "peer;lead" and first["participant text"] == "x"
    assert first["code"] == "Support" and first["valence"] == "facilitator"
    assert first["text"] == "Interviewer"
    second = by_document["T2"]
    assert second["participant"] == "" and second["role"] == "" and second["memo"] == "odd"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_csv_and_xlsx_hold_the_same_table(
    db: Database, study: str, tmp_path: Path, suffix: str
) -> None:
    _coded(db, study)
    header, rows = segment_table(db, study)
    out = tmp_path / f"segments{suffix}"
    assert export_segments(db, out, study=study) == 2
    if suffix == ".csv":
        with out.open(encoding="utf-8", newline="") as handle:
            read = list(csv.reader(handle))
        assert read[0] == header
        texts = [r[header.index("text")] for r in read[1:]]
        # A passage that looks like a formula is neutralised, and Thematica reads it back as is.
        assert sorted(texts) == ["'=SUM(A1:A9)", "Interviewer"]
        assert [restore_cell(t) for t in texts] == [r[header.index("text")] for r in rows]
        return
    book = openpyxl.load_workbook(out)
    sheet = book["Coded segments"]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == header
    column = header.index("text")
    assert [row[column] for row in values[1:]] == [r[column] for r in rows]
    assert sorted(r[column] for r in rows) == ["=SUM(A1:A9)", "Interviewer"]
    # A passage that looks like a formula is stored as text, never as a formula.
    line = 2 + [r[column] for r in rows].index("=SUM(A1:A9)")
    assert sheet.cell(row=line, column=column + 1).data_type == "s"
    assert values[1][header.index("start")] == 0  # numbers stay numbers
    book.close()


def test_the_facade_gives_the_same_table_as_a_dataframe(db: Database, study: str) -> None:
    _coded(db, study)
    header, rows = segment_table(db, study)
    frame = StudyHandle(db, study).segments()
    assert list(frame.columns) == header
    assert frame["role"].tolist() == [r[header.index("role")] for r in rows]


def test_codings_export_writes_xlsx_from_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "c.db")
    assert run(capsys, "--db", db, "init", "S", "--template", "peer-support")[0] == 0
    out = tmp_path / "codings.xlsx"
    code, printed, err = run(capsys, "--db", db, "codings", "export", str(out))
    assert code == 0, err
    assert "Wrote 0 codings" in printed
    assert openpyxl.load_workbook(out)["Coded segments"].max_row == 1


def test_real_names_on_the_sheet_stay_out_of_the_table(
    db: Database, study: str, tmp_path: Path
) -> None:
    from tests.services.named_sheet import REAL_NAMES, build

    build(db, study)
    header, _rows = segment_table(db, study)
    assert "setting" in header and "pseudonym" in header
    assert "name" not in header and "Interviewer Name" not in header
    out = tmp_path / "segments.csv"
    export_segments(db, out, study=study)
    text = out.read_text(encoding="utf-8")
    assert "Hospice" in text and "Sky" in text
    for real in REAL_NAMES:
        assert real not in text, real
