"""Renaming and removing documents, each with its event.

A transcript's file name is often the participant's real name ("Jane Smith interview.docx"), so
renaming can also drop the source file name from the document record. The rename event records the
old and new document names but never the dropped file name. A document is removed only before
anyone has coded it: afterwards its codings are part of the analysis and the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from thematica.domain.events import EventKind
from thematica.errors import ConflictError, InvalidInputError
from thematica.services.documents import document_payload, find_document
from thematica.services.scope import default_actor, record, study_scope
from thematica.storage import Database

__all__ = ["RenamedDocument", "remove_document", "rename_document"]


@dataclass(frozen=True, slots=True)
class RenamedDocument:
    old_name: str
    new_name: str
    source_name: str
    source_name_dropped: bool


def rename_document(
    db: Database,
    name: str,
    new_name: str,
    *,
    drop_source_name: bool = False,
    study: str | None = None,
    actor: str | None = None,
) -> RenamedDocument:
    """Rename document ``name`` to ``new_name``; with ``drop_source_name``, forget the name of
    the file it came from as well."""
    new_name = new_name.strip()
    if not new_name:
        raise InvalidInputError("a document needs a name")
    with study_scope(db, study) as (uow, found):
        document = find_document(uow, found, name)
        if new_name != document.name and uow.documents.by_name(found.id, new_name) is not None:
            raise ConflictError(f"a document named {new_name!r} already exists")
        if new_name == document.name and not drop_source_name:
            raise InvalidInputError(f"document {name!r} already has that name")
        source_name = "" if drop_source_name else document.source_name
        uow.documents.rename(document.id, new_name, source_name)
        record(
            uow,
            found,
            actor or default_actor(),
            EventKind.DOCUMENT_RENAMED,
            document.id,
            before={"name": document.name},
            after={"name": new_name, "source_name_dropped": drop_source_name},
        )
        uow.commit()
    return RenamedDocument(document.name, new_name, source_name, drop_source_name)


def remove_document(
    db: Database, name: str, *, study: str | None = None, actor: str | None = None
) -> str:
    """Remove document ``name`` (with its turns, original file and review items), refused once
    it has codings. Returns the name removed."""
    with study_scope(db, study) as (uow, found):
        document = find_document(uow, found, name)
        coded = uow.codings.all(found.id, document_id=document.id)
        if coded:
            raise ConflictError(
                f"document {name!r} has {len(coded)} coding(s): remove them first "
                "(`thematica codings list --document NAME`, `codings remove ID`)"
            )
        payload = document_payload(document)
        del payload["source_name"]  # often a participant's name: the trail keeps the hash
        uow.documents.remove(document.id)
        record(
            uow,
            found,
            actor or default_actor(),
            EventKind.DOCUMENT_REMOVED,
            document.id,
            before=payload,
        )
        uow.commit()
    return document.name
