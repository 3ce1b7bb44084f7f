from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import both_backends
from thematica.errors import ConflictError, InvalidInputError, NotFoundError
from thematica.services.codebook import (
    add_code,
    codebook,
    export_codebook,
    import_codebook,
    update_code,
)
from thematica.services.participants import import_participants, list_participants
from thematica.storage import Database


@both_backends
def test_participants_sheet_with_multi_valued_attribute(
    db: Database, study: str, tmp_path: Path
) -> None:
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "participant_id,pseudonym,setting,contract_type\n"
        "P01,Ash,NHS,Permanent\nP02,Bo,VCFSE,Self-employed; Fixed term\n",
        encoding="utf-8",
    )
    result = import_participants(db, sheet, study=study)
    assert (result.added, result.updated) == (1, 1)  # P01 existed (linked to T1)
    people = {p.label: p for p in list_participants(db, study)}
    assert people["P02"].attributes["contract_type"] == ("Self-employed", "Fixed term")
    assert people["P01"].pseudonym == "Ash"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,setting\nA,NHS\n", "missing the participant id column"),
        ("id,setting\nP1,NHS\nP1,VCFSE\n", "line 3: participant 'P1' appears twice"),
        ("id,setting\nP1,NHS,extra\n", "line 2: 3 values but only 2 columns"),
        ("", "the file is empty"),
    ],
)
def test_bad_participant_sheets(
    db: Database, study: str, tmp_path: Path, content: str, message: str
) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInputError, match=message):
        import_participants(db, sheet, study=study)
    assert [p.label for p in list_participants(db, study)] == ["P01"]


def test_codebook_csv_round_trip(db: Database, study: str, tmp_path: Path) -> None:
    update_code(
        db, "Support", study=study, definition="Help, supervision, training.", colour="#2266AA"
    )
    out = tmp_path / "codebook.csv"
    assert export_codebook(db, out, study=study) == 4
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["path"] == "Support" and rows[0]["colour"] == "#2266AA"
    assert rows[1]["path"] == "Support > Peer supervision"

    from thematica.services.studies import create_study

    create_study(db, "Copy", actor="t")
    result = import_codebook(db, out, study="Copy")
    assert result.added == 4
    original = [
        (codebook(db, study).path_text(c.id), c.definition, c.colour) for c in codebook(db, study)
    ]
    copied = [
        (codebook(db, "Copy").path_text(c.id), c.definition, c.colour) for c in codebook(db, "Copy")
    ]
    assert copied == original
    again = import_codebook(db, out, study="Copy")
    assert (again.added, again.updated) == (0, 0), "re-importing the same codebook changes nothing"


def test_codebook_csv_with_slash_paths_and_errors(db: Database, study: str, tmp_path: Path) -> None:
    good = tmp_path / "c.csv"
    good.write_text("path,description\nNew theme/Child,A child\n", encoding="utf-8")
    assert import_codebook(db, good, study=study).added == 2
    assert codebook(db, study).find("New theme > Child").definition == "A child"
    bad = tmp_path / "bad.csv"
    bad.write_text("path,defintion\nX,typo\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="unknown column\\(s\\): defintion"):
        import_codebook(db, bad, study=study)
    colour = tmp_path / "colour.csv"
    colour.write_text("path,colour\nFine,#112233\nY,red\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"colour\.csv, line 3: Y: colour"):
        import_codebook(db, colour, study=study)
    with pytest.raises(NotFoundError):
        codebook(db, study).find("Fine")


def test_add_and_rename_codes_keep_tree_rules(db: Database, study: str) -> None:
    with pytest.raises(ConflictError, match="already exists"):
        add_code(db, "Support > Peer supervision", study=study)
    with pytest.raises(NotFoundError):
        add_code(db, "Nowhere > Child", study=study)
    with pytest.raises(ConflictError):
        update_code(db, "Systemic", study=study, name="Support")
    renamed = update_code(db, "Systemic > Pay", study=study, name="Pay and progression")
    assert codebook(db, study).path_text(renamed.id) == "Systemic > Pay and progression"
