"""Importing with de-identification: detections are listed in the import's own transaction, so a
new document is never codable before its review, and a failure leaves neither behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import both_backends
from thematica.errors import ConflictError, InvalidInputError
from thematica.services import deid as deid_service
from thematica.services.coding import apply_coding
from thematica.services.deid_review import review_list
from thematica.services.documents import import_files, list_documents
from thematica.services.responses import import_responses
from thematica.storage import Database

STUDY = "Test study"
INTERVIEW = (
    "Interviewer: Who supports you?\n\n"
    "Participant: My manager Sarah does, at Larch Ward. Ring me on 07700 900123 any time.\n"
)


@both_backends
def test_imported_with_deidentify_is_pending_at_once(
    db: Database, study: str, tmp_path: Path
) -> None:
    path = tmp_path / "P07.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    report = import_files(db, [path], study=STUDY, actor="ann", deidentify=True)
    assert [d.name for d in report.documents] == ["P07"]
    listed = review_list(db, "P07", study=STUDY)
    assert report.review_items == {"P07": len(listed)}
    assert {str(i["text"]) for i in listed} >= {"Sarah", "07700 900123"}
    with pytest.raises(ConflictError, match="de-identification review pending"):
        apply_coding(db, "P07", 0, 5, "Support", coder="Robin", study=STUDY)


def test_without_deidentify_nothing_is_listed(db: Database, study: str, tmp_path: Path) -> None:
    path = tmp_path / "P08.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    report = import_files(db, [path], study=STUDY, actor="ann")
    assert report.review_items == {}
    apply_coding(db, "P08", 0, 5, "Support", coder="Robin", study=STUDY)  # codable at once


def test_a_failure_while_listing_leaves_no_document(
    db: Database, study: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "P09.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    before = {d.name for d in list_documents(db, STUDY)}

    def broken(*args: object, **kwargs: object) -> list[object]:
        raise InvalidInputError("detector failed", file=str(path))

    monkeypatch.setattr(deid_service, "put_up_for_review", broken)
    with pytest.raises(InvalidInputError, match="detector failed"):
        import_files(db, [path], study=STUDY, actor="ann", deidentify=True)
    assert {d.name for d in list_documents(db, STUDY)} == before


def test_survey_answers_imported_with_deidentify_are_pending(
    db: Database, study: str, tmp_path: Path
) -> None:
    table = tmp_path / "answers.csv"
    table.write_text(
        "RespondentId,Q3\nR1,My supervisor Priya in Leeds listens.\nR2,Nothing to add.\n",
        encoding="utf-8",
    )
    report = import_responses(
        db, table, text_column="Q3", id_column="RespondentId", study=STUDY, deidentify=True
    )
    names = sorted(d.name for d in report.documents)
    assert sorted(report.review_items) == names
    first = next(d.name for d in report.documents if "Priya" in d.text)
    assert report.review_items[first] >= 2
    assert {str(i["text"]) for i in review_list(db, first, study=STUDY)} >= {"Priya", "Leeds"}
