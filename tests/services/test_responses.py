from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import both_backends, require_shared
from thematica.errors import ConflictError, InvalidInputError
from thematica.services.documents import get_document, get_original, list_documents
from thematica.services.participants import list_participants
from thematica.services.responses import import_responses
from thematica.storage import Database

SURVEY = (
    "RespondentId,Service,Q3\n"
    "R1,North,Supervision helps me stay well.\n"
    "R2,South,\n"
    "R1,North,Pay is too low.\n"
    "R3,South,I feel part of the team.\n"
)


@both_backends
def test_one_document_per_response_with_attributes(
    db: Database, study: str, tmp_path: Path
) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(SURVEY, encoding="utf-8")
    report = import_responses(db, path, text_column="Q3", id_column="RespondentId", study=study)
    assert [d.name for d in report.documents] == ["answers R1 #1", "answers R1 #2", "answers R3"]
    assert get_document(db, "answers R1 #2", study).text == "Pay is too low.\n"
    people = {p.label: p for p in list_participants(db, study)}
    assert people["R2"].attributes == {"Service": ("South",)}, "a blank answer still gives a person"
    assert people["R1"].attributes == {"Service": ("North",)}
    assert get_original(db, "answers R1 #1", study) == path.read_bytes()
    with pytest.raises(ConflictError, match="already imported"):
        import_responses(db, path, text_column="Q3", id_column="RespondentId", study=study)


def test_one_document_per_respondent(db: Database, study: str, tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(SURVEY, encoding="utf-8")
    report = import_responses(
        db, path, text_column="Q3", id_column="RespondentId", per="respondent", study=study
    )
    assert [d.name for d in report.documents] == ["answers R1", "answers R3"]
    assert report.documents[0].text == "Supervision helps me stay well.\n\nPay is too low.\n"


def test_real_survey_sample(db: Database, study: str) -> None:
    path = require_shared() / "transcripts" / "qualcoder_examples" / "survey456.csv"
    report = import_responses(db, path, text_column="freetext", id_column="Case", study=study)
    assert [d.name for d in report.documents] == ["survey456 ID4", "survey456 ID5", "survey456 ID6"]
    people = {p.label: p for p in list_participants(db, study)}
    assert people["ID6"].attributes["Interest"] == ("gardening",)
    assert len(list_documents(db, study)) == 4


def test_a_table_over_the_limit_or_missing_is_refused_before_reading(
    db: Database, study: str, tmp_path: Path
) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(SURVEY, encoding="utf-8")
    before = list_documents(db, study)
    with pytest.raises(InvalidInputError, match=r"answers\.csv: .*over the import limit of 10\b"):
        import_responses(db, path, text_column="Q3", study=study, max_bytes=10)
    with pytest.raises(InvalidInputError, match=r"gone\.csv: file not found"):
        import_responses(db, tmp_path / "gone.csv", text_column="Q3", study=study)
    assert list_documents(db, study) == before
