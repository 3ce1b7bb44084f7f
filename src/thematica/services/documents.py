"""Bringing transcripts in, and reading them back."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from thematica.domain.events import EventKind, utcnow
from thematica.domain.ids import DocumentId, new_guid
from thematica.domain.study import Document, Participant, Study, content_hash
from thematica.domain.text import canonicalize
from thematica.errors import ConflictError, InvalidInputError, NotFoundError
from thematica.interchange.formats import read_transcript
from thematica.interchange.plaintext import detect_turns
from thematica.services.participants import upsert_participant
from thematica.services.scope import NO_PROGRESS, Progress, default_actor, record, study_scope
from thematica.storage import Database, UnitOfWork

__all__ = ["add_text", "get_document", "import_documents", "list_documents"]


def _document_event(uow: UnitOfWork, study: Study, actor: str, document: Document) -> None:
    record(
        uow,
        study,
        actor,
        EventKind.DOCUMENT_ADDED,
        document.id,
        after={
            "name": document.name,
            "source_name": document.source_name,
            "source_format": document.source_format,
            "source_hash": document.source_hash,
            "characters": len(document.text),
            "turns": len(document.turns),
            "participant_id": str(document.participant_id) if document.participant_id else None,
        },
    )


def _participant(
    uow: UnitOfWork, study: Study, label: str | None, actor: str
) -> Participant | None:
    if label is None:
        return None
    participant, _ = upsert_participant(uow, study, label, actor)
    return participant


def import_documents(
    db: Database,
    paths: Sequence[Path],
    *,
    study: str | None = None,
    participant: str | None = None,
    actor: str | None = None,
    progress: Progress = NO_PROGRESS,
) -> list[Document]:
    """Import transcript files into a study: **all or nothing**.

    Every file is read and checked first; if any fails (unreadable, unsupported, empty, already
    imported, a name clash) nothing is imported and the error names the file. ``participant``
    links every file to that participant (created if new).
    """
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        documents: list[Document] = []
        names: dict[str, Path] = {}
        hashes: dict[str, Path] = {}
        linked = _participant(uow, found, participant, actor)
        for done, path in enumerate(paths):
            progress(done, len(paths), path.name)
            imported, data = read_transcript(path)
            digest = content_hash(data)
            name = path.stem
            if name in names:
                raise InvalidInputError(
                    f"two files would both be named {name!r} ({names[name]} and {path})",
                    file=str(path),
                )
            if digest in hashes:
                raise ConflictError(f"{path} is the same file as {hashes[digest]}")
            earlier = uow.documents.by_hash(found.id, digest)
            if earlier is not None:
                raise ConflictError(f"{path} was already imported as document {earlier.name!r}")
            if uow.documents.by_name(found.id, name) is not None:
                raise ConflictError(f"{path}: a document named {name!r} already exists")
            names[name] = path
            hashes[digest] = path
            document = Document(
                DocumentId(new_guid()),
                found.id,
                name,
                imported.text,
                source_name=path.name,
                source_format=imported.source_format,
                source_hash=digest,
                participant_id=linked.id if linked else None,
                turns=imported.turns,
                created_at=utcnow(),
            )
            uow.documents.add(document)
            _document_event(uow, found, actor, document)
            documents.append(document)
        progress(len(paths), len(paths), "saving")
        uow.commit()
    return documents


def add_text(
    db: Database,
    name: str,
    text: str,
    *,
    study: str | None = None,
    participant: str | None = None,
    actor: str | None = None,
) -> Document:
    """Add a document from a string (canonicalised; ``Name:`` turns detected)."""
    actor = actor or default_actor()
    canonical, _ = canonicalize(text)
    if not canonical.strip():
        raise InvalidInputError("the text is empty", element=name)
    with study_scope(db, study) as (uow, found):
        if uow.documents.by_name(found.id, name) is not None:
            raise ConflictError(f"a document named {name!r} already exists")
        linked = _participant(uow, found, participant, actor)
        document = Document(
            DocumentId(new_guid()),
            found.id,
            name,
            canonical,
            source_format="text",
            source_hash=content_hash(canonical.encode()),
            turns=detect_turns(canonical),
            participant_id=linked.id if linked else None,
            created_at=utcnow(),
        )
        uow.documents.add(document)
        _document_event(uow, found, actor, document)
        uow.commit()
    return document


def list_documents(db: Database, study: str | None = None) -> list[Document]:
    with study_scope(db, study) as (uow, found):
        return uow.documents.all(found.id)


def get_document(db: Database, name: str, study: str | None = None) -> Document:
    with study_scope(db, study) as (uow, found):
        return find_document(uow, found, name)


def find_document(uow: UnitOfWork, study: Study, name: str) -> Document:
    document = uow.documents.by_name(study.id, name)
    if document is None:
        known = [d.name for d in uow.documents.all(study.id)]
        hint = (
            f" (documents: {', '.join(known[:10])}{' ...' if len(known) > 10 else ''})"
            if known
            else ""
        )
        raise NotFoundError(f"no document named {name!r}{hint}")
    return document
