"""Renaming and removing documents (services.document_edits), with their events."""

from __future__ import annotations

import pytest

from tests.conftest import both_backends
from thematica.domain.events import EventKind
from thematica.errors import ConflictError, NotFoundError
from thematica.services.coding import apply_coding
from thematica.services.document_edits import remove_document, rename_document
from thematica.services.documents import add_text, get_document, list_documents
from thematica.services.scope import study_scope
from thematica.storage import Database


def _events(db: Database, study: str, kind: EventKind) -> list[dict[str, object]]:
    with study_scope(db, study) as (uow, found):
        return [
            {"before": e.before, "after": e.after}
            for e in uow.events.all(found.id)
            if e.kind == kind
        ]


@both_backends
def test_rename_can_drop_the_source_name_and_the_event_never_holds_it(
    db: Database, study: str
) -> None:
    add_text(db, "Jane Doe interview", "Participant: Fictional words.", study=study)
    done = rename_document(db, "Jane Doe interview", "P02", drop_source_name=True, study=study)
    assert done.old_name == "Jane Doe interview" and done.source_name == ""
    assert get_document(db, "P02", study).source_name == ""
    (event,) = _events(db, study, EventKind.DOCUMENT_RENAMED)
    assert event == {
        "before": {"name": "Jane Doe interview"},
        "after": {"name": "P02", "source_name_dropped": True},
    }
    with pytest.raises(ConflictError, match="'T1' already exists"):
        rename_document(db, "P02", "T1", study=study)
    with pytest.raises(NotFoundError):
        rename_document(db, "Jane Doe interview", "P03", study=study)


@both_backends
def test_remove_only_before_coding(db: Database, study: str) -> None:
    apply_coding(db, "T1", 0, 5, "Support", coder="Robin", study=study)
    with pytest.raises(ConflictError, match="has 1 coding"):
        remove_document(db, "T1", study=study)
    add_text(db, "T2", "Participant: Nothing coded here.", study=study)
    assert remove_document(db, "T2", study=study) == "T2"
    assert [d.name for d in list_documents(db, study)] == ["T1"]
    (event,) = _events(db, study, EventKind.DOCUMENT_REMOVED)
    assert event["before"]["name"] == "T2" and "source_name" not in event["before"]  # type: ignore[index,operator]
