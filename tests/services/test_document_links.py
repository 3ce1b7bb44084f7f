"""Linking transcripts to participants: by file name at import, and by hand afterwards
(services.documents.import_files, services.document_links). Fictional material throughout."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import both_backends
from thematica.domain.events import EventKind
from thematica.errors import InvalidInputError, NotFoundError
from thematica.services.coding import apply_coding
from thematica.services.document_links import link_document
from thematica.services.documents import get_document, import_files
from thematica.services.participants import add_participant
from thematica.services.scope import study_scope
from thematica.storage import Database

TEXT = "Interviewer: How was it?\n\nParticipant: Fictional answer number {n}.\n"


def _files(folder: Path, *names: str) -> list[Path]:
    paths = []
    for n, name in enumerate(names):
        path = folder / name
        path.write_text(TEXT.format(n=n), encoding="utf-8")
        paths.append(path)
    return paths


def _owner(db: Database, study: str, name: str) -> str | None:
    with study_scope(db, study) as (uow, found):
        document = uow.documents.by_name(found.id, name)
        assert document is not None
        labels = {p.id: p.label for p in uow.participants.all(found.id)}
        return labels.get(document.participant_id) if document.participant_id else None


@both_backends
def test_files_named_for_participants_are_linked_at_import(
    db: Database, study: str, tmp_path: Path
) -> None:
    add_participant(db, "P02", study=study)
    add_participant(db, "P03", study=study)
    report = import_files(
        db,
        _files(tmp_path, "p01.txt", "P02.txt", "Interview P03.txt", "P02 and P03.txt", "x.txt"),
        study=study,
    )
    assert dict(report.linked_by_name) == {"p01": "P01", "P02": "P02", "Interview P03": "P03"}
    assert [_owner(db, study, n) for n in ("p01", "P02", "Interview P03")] == ["P01", "P02", "P03"]
    assert dict(report.unlinked) == {
        "P02 and P03": "its name holds several participant ids (P02, P03)",
        "x": "its name holds no participant id",
    }
    assert _owner(db, study, "P02 and P03") is None and _owner(db, study, "x") is None


@both_backends
def test_a_participant_given_wins_over_the_file_name(
    db: Database, study: str, tmp_path: Path
) -> None:
    add_participant(db, "P02", study=study)
    report = import_files(db, _files(tmp_path, "P02.txt"), study=study, participant="P01")
    assert _owner(db, study, "P02") == "P01"
    assert not report.linked_by_name and not report.unlinked


@both_backends
def test_link_and_unlink_after_coding_each_recorded(db: Database, study: str) -> None:
    apply_coding(db, "T1", 0, 5, "Support", coder="Robin", study=study)
    add_participant(db, "P02", study=study)
    done = link_document(db, "T1", "p02", study=study, actor="tester")
    assert (done.participant, done.was) == ("P02", "P01")
    assert _owner(db, study, "T1") == "P02"
    gone = link_document(db, "T1", None, study=study, actor="tester")
    assert (gone.participant, gone.was) == (None, "P02")
    assert get_document(db, "T1", study).participant_id is None
    with study_scope(db, study) as (uow, found):
        ids = {p.label: str(p.id) for p in uow.participants.all(found.id)}
        events = [
            (e.before, e.after)
            for e in uow.events.all(found.id)
            if e.kind == EventKind.DOCUMENT_LINKED
        ]
    assert events == [
        ({"participant_id": ids["P01"]}, {"participant_id": ids["P02"]}),
        ({"participant_id": ids["P02"]}, {"participant_id": None}),
    ]


@both_backends
def test_an_unknown_participant_or_no_change_is_refused(db: Database, study: str) -> None:
    with pytest.raises(NotFoundError, match=r"no participant 'P0l'.*P01"):
        link_document(db, "T1", "P0l", study=study)
    with pytest.raises(InvalidInputError, match="already linked to participant 'P01'"):
        link_document(db, "T1", "P01", study=study)
    link_document(db, "T1", None, study=study)
    with pytest.raises(InvalidInputError, match="linked to no participant"):
        link_document(db, "T1", None, study=study)
    with pytest.raises(NotFoundError, match="no document named 'T9'"):
        link_document(db, "T9", "P01", study=study)
