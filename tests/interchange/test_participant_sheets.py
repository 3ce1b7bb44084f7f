"""Participant sheets in CSV and Excel (interchange.participant_sheets): chosen columns, missing
values, durations, skipped rows and hostile sheets. Every sheet here is fictional."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from thematica.errors import InvalidInputError
from thematica.interchange.participant_sheets import read_participant_sheet


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_an_excel_sheet_with_named_columns_missing_values_and_durations(tmp_path: Path) -> None:
    sheet = _xlsx(
        tmp_path / "people.xlsx",
        [
            ["Code", "Alias", "Setting", "Interview length", "Age"],
            ["A1", "Ash", "NHS", "1:05:00", 34],
            ["A2", "n/a", "na", "45 min", None],
            [None, "Nobody", "VCFSE", "10 min", 50],
            ["A3", "Bo", "VCFSE; NHS", "", 61],
        ],
    )
    read = read_participant_sheet(sheet, id_column="code", pseudonym_column="ALIAS")
    rows = {r.label: r for r in read.rows}
    assert set(rows) == {"A1", "A2", "A3"}
    assert rows["A1"].pseudonym == "Ash" and rows["A2"].pseudonym == ""
    assert rows["A1"].attributes == {
        "Setting": ("NHS",),
        "Interview length": ("65",),
        "Age": ("34",),
    }
    assert rows["A2"].attributes == {"Interview length": ("45",)}
    assert rows["A3"].attributes["Setting"] == ("VCFSE", "NHS")
    assert read.skipped == ((4, "no 'Code'"),)
    kinds = {c.column: (c.role, c.kind, c.missing) for c in read.columns}
    assert kinds == {
        "Code": ("id", "text", 0),
        "Alias": ("pseudonym", "text", 1),
        "Setting": ("attribute", "text", 1),
        "Interview length": ("attribute", "duration (minutes)", 1),
        "Age": ("attribute", "number", 1),
    }
    length = next(c for c in read.columns if c.column == "Interview length")
    assert length.examples[0] == ("1:05:00", "65")


@pytest.mark.parametrize(
    ("content", "kwargs", "message"),
    [
        ("name,setting\nA,NHS\n", {}, "missing the participant id column"),
        ("id,setting\nP1,NHS\n", {"id_column": "who"}, "no column 'who' for --id-column"),
        ("id,ID\nP1,P2\n", {}, "line 1: duplicate columns: ID, id"),
        ("id,setting\nP1,NHS\nP1,VCFSE\n", {}, "line 3: participant 'P1' appears twice"),
    ],
)
def test_bad_sheets_name_the_line(
    tmp_path: Path, content: str, kwargs: dict[str, str], message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInputError, match=message) as caught:
        read_participant_sheet(path, **kwargs)
    assert str(path) in str(caught.value)


def test_a_file_that_is_not_a_workbook_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InvalidInputError) as caught:
        read_participant_sheet(path)
    assert str(path) in str(caught.value)
