"""Linking a transcript to its participant, or unlinking it, after import.

Every participant-level figure of the analysis (participants per code, the framework matrix,
quotes with pseudonyms) counts a transcript only through its participant, so a transcript
imported without one is left out of them. Linking is allowed before or after coding: the codings
stay as they are, only whom they are counted for changes. Each change is a ``document.linked``
event recording the participant ids (never labels or names) before and after.
"""

from __future__ import annotations

from dataclasses import dataclass

from thematica.domain.events import EventKind
from thematica.domain.suggest import did_you_mean
from thematica.errors import InvalidInputError, NotFoundError
from thematica.services.documents import find_document
from thematica.services.scope import default_actor, record, study_scope
from thematica.storage import Database

__all__ = ["DocumentLink", "link_document"]


@dataclass(frozen=True, slots=True)
class DocumentLink:
    """A document's participant after a change (``None``: none), and before it (``was``)."""

    document: str
    participant: str | None
    was: str | None


def link_document(
    db: Database,
    name: str,
    participant: str | None,
    *,
    study: str | None = None,
    actor: str | None = None,
) -> DocumentLink:
    """Link document ``name`` to the participant whose id is ``participant`` (case-insensitive),
    or with ``participant`` None unlink it.

    Raises
    ------
    NotFoundError
        No such document, or no such participant (with the closest ids).
    InvalidInputError
        The document is already linked that way.
    """
    with study_scope(db, study) as (uow, found):
        document = find_document(uow, found, name)
        people = uow.participants.all(found.id)
        labels = {p.id: p.label for p in people}
        was = labels.get(document.participant_id) if document.participant_id else None
        target = None
        if participant is not None:
            wanted = participant.strip().casefold()
            target = next((p for p in people if p.label.strip().casefold() == wanted), None)
            if target is None:
                raise NotFoundError(
                    f"no participant {participant!r}"
                    f"{did_you_mean(participant, labels.values())}; import the participants "
                    "sheet or add the participant first"
                )
        new_id = target.id if target else None
        if new_id == document.participant_id:
            raise InvalidInputError(
                f"document {document.name!r} is already linked to participant {was!r}"
                if target
                else f"document {document.name!r} is linked to no participant"
            )
        uow.documents.set_participant(document.id, new_id)
        record(
            uow,
            found,
            actor or default_actor(),
            EventKind.DOCUMENT_LINKED,
            document.id,
            before={
                "participant_id": str(document.participant_id) if document.participant_id else None
            },
            after={"participant_id": str(new_id) if new_id else None},
        )
        uow.commit()
    return DocumentLink(document.name, target.label if target else None, was)
