"""Applying, changing and removing codings; the coded-segments table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from thematica.domain.codebook import Codebook
from thematica.domain.codings import Coder, CoderKind, Coding, Origin, Valence
from thematica.domain.events import EventKind, make_event, snapshot, utcnow
from thematica.domain.ids import CodeId, CoderId, CodingId, DocumentId, new_guid
from thematica.domain.study import Document, Study
from thematica.domain.text import Span
from thematica.errors import InvalidInputError, NotFoundError
from thematica.services.deid import ensure_codable
from thematica.services.documents import find_document
from thematica.services.scope import NO_PROGRESS, Progress, default_actor, record, study_scope
from thematica.storage import Database, UnitOfWork

__all__ = [
    "CODED_SEGMENT_COLUMNS",
    "CodingRequest",
    "apply_coding",
    "apply_codings",
    "change_coding",
    "coded_segments",
    "find_coding",
    "remove_coding",
]


def ensure_coder(uow: UnitOfWork, study: Study, name: str, actor: str) -> Coder:
    """The person called ``name``, added to the study on first use (a consensus layer is not a
    person: nobody codes, writes or double-codes under its name)."""
    coder = uow.coders.by_name(study.id, name.strip())
    if coder is not None and coder.kind is CoderKind.CONSENSUS:
        raise InvalidInputError(
            f"{coder.name!r} is a round's consensus layer, not a person; use your own name"
        )
    if coder is None:
        coder = Coder(CoderId(new_guid()), study.id, name.strip())
        uow.coders.add(coder)
        record(uow, study, actor, EventKind.CODER_ADDED, coder.id, after=snapshot(coder))
    return coder


@dataclass(frozen=True)
class CodingRequest:
    """One coding to apply, named the way people name things (document and code path)."""

    document: str
    start: int
    end: int
    code: str | tuple[str, ...]
    coder: str
    valence: Valence | str | None = None
    memo: str = ""
    origin: Origin = Origin.HUMAN
    origin_detail: str = ""
    score: float | None = None


class _Resolver:
    """Caches documents, codes and coders by name across a batch."""

    def __init__(self, uow: UnitOfWork, study: Study, actor: str) -> None:
        self.uow, self.study, self.actor = uow, study, actor
        self.book: Codebook = uow.codes.codebook(study.id)
        self.documents: dict[str, Document] = {}
        self.coders: dict[str, Coder] = {}
        self.codes: dict[str | tuple[str, ...], CodeId] = {}

    def document(self, name: str) -> Document:
        if name not in self.documents:
            document = find_document(self.uow, self.study, name)
            ensure_codable(self.uow, document)  # no coding while de-identification is pending
            self.documents[name] = document
        return self.documents[name]

    def coder(self, name: str) -> Coder:
        if name not in self.coders:
            self.coders[name] = ensure_coder(self.uow, self.study, name, self.actor)
        return self.coders[name]

    def code(self, path: str | tuple[str, ...]) -> CodeId:
        if path not in self.codes:
            self.codes[path] = self.book.find(path).id
        return self.codes[path]

    def coding(self, request: CodingRequest, index: int | None, now: datetime) -> Coding:
        document = self.document(request.document)
        span = Span(request.start, request.end)
        if span.end > len(document.text):  # the message is built only when needed
            where = f"coding {index + 1}: " if index is not None else ""
            span.check_within(len(document.text), where=f"{where}document {document.name!r}")
        valence = (
            Valence.parse(request.valence)
            if isinstance(request.valence, str) or request.valence is None
            else request.valence
        )
        return Coding(
            CodingId(new_guid()),
            self.study.id,
            document.id,
            self.code(request.code),
            self.coder(request.coder).id,
            span,
            now,
            request.origin,
            request.origin_detail,
            request.score,
            valence,
            request.memo,
        )


def apply_codings(
    db: Database,
    requests: Sequence[CodingRequest],
    *,
    study: str | None = None,
    actor: str | None = None,
    progress: Progress = NO_PROGRESS,
) -> list[Coding]:
    """Apply many codings in one transaction (all or nothing), with one event each."""
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        resolver = _Resolver(uow, found, actor)
        codings: list[Coding] = []
        total = len(requests)
        now = utcnow()  # one transaction, one moment: every coding in it gets the same time
        for i, request in enumerate(requests):
            if i % 5000 == 0:
                progress(i, total, "codings")
            codings.append(resolver.coding(request, i if total > 1 else None, now))
        uow.codings.add_many(codings)
        uow.events.append(
            [
                make_event(
                    found.id,
                    request.coder or actor,
                    EventKind.CODING_APPLIED,
                    coding.id,
                    after=snapshot(coding),
                    at=coding.created_at,
                )
                for request, coding in zip(requests, codings, strict=True)
            ]
        )
        progress(total, total, "saving")
        uow.commit()
    return codings


def apply_coding(
    db: Database,
    document: str,
    start: int,
    end: int,
    code: str,
    *,
    coder: str,
    study: str | None = None,
    valence: Valence | str | None = None,
    memo: str = "",
) -> Coding:
    """Code ``[start, end)`` of ``document`` with ``code`` as ``coder``."""
    request = CodingRequest(document, start, end, code, coder, valence, memo)
    return apply_codings(db, [request], study=study, actor=coder)[0]


def find_coding(uow: UnitOfWork, study: Study, coding_id: CodingId) -> Coding:
    """The study's coding with this id."""
    coding = uow.codings.get(coding_id)
    if coding is None or coding.study_id != study.id:
        raise NotFoundError(f"no coding with id {coding_id}")
    return coding


def change_coding(
    db: Database,
    coding_id: CodingId,
    *,
    study: str | None = None,
    actor: str | None = None,
    start: int | None = None,
    end: int | None = None,
    code: str | None = None,
    valence: Valence | str | None = None,
    memo: str | None = None,
) -> Coding:
    """Change a coding's span, code, valence or memo; the event keeps before and after."""
    with study_scope(db, study) as (uow, found):
        before = find_coding(uow, found, coding_id)
        changes: dict[str, Any] = {}
        if start is not None or end is not None:
            span = Span(
                before.span.start if start is None else start,
                before.span.end if end is None else end,
            )
            document = uow.documents.get(before.document_id)
            assert document is not None
            span.check_within(len(document.text), where=f"document {document.name!r}")
            changes["span"] = span
        if code is not None:
            changes["code_id"] = uow.codes.codebook(found.id).find(code).id
        if valence is not None:
            changes["valence"] = Valence.parse(valence) if isinstance(valence, str) else valence
        if memo is not None:
            changes["memo"] = memo
        after = replace(before, **changes)
        uow.codings.update(after)
        record(
            uow,
            found,
            actor or default_actor(),
            EventKind.CODING_CHANGED,
            after.id,
            before=snapshot(before),
            after=snapshot(after),
        )
        uow.commit()
    return after


def remove_coding(
    db: Database, coding_id: CodingId, *, study: str | None = None, actor: str | None = None
) -> None:
    """Remove a coding. The event log keeps what it was."""
    with study_scope(db, study) as (uow, found):
        before = find_coding(uow, found, coding_id)
        uow.codings.remove(before.id)
        record(
            uow,
            found,
            actor or default_actor(),
            EventKind.CODING_REMOVED,
            before.id,
            before=snapshot(before),
        )
        uow.commit()


CODED_SEGMENT_COLUMNS = (
    "coding_id",
    "document",
    "participant",
    "code",
    "coder",
    "start",
    "end",
    "text",
    "valence",
    "origin",
    "memo",
    "created_at",
)


def coded_segments(
    db: Database,
    study: str | None = None,
    *,
    viewer: str | None = None,
    hidden: dict[str, int] | None = None,
) -> list[dict[str, object]]:
    """Every coding with its document, participant, code path, coder and the passage it covers.

    What ``viewer`` (a coder's name; default: the acting user) may see: while a blind round is
    open, its coders' codings of its documents are shown to their author only, never to anyone
    else (a list or export can be passed on to the round's other coders). ``hidden``, when
    given, receives how many were left out, by round name, so the caller can say so.
    """
    from thematica.services.analysis_layer import visible_codings

    with study_scope(db, study) as (uow, found):
        book = uow.codes.codebook(found.id)
        documents: dict[DocumentId, Document] = {d.id: d for d in uow.documents.all(found.id)}
        participants = {p.id: p.label for p in uow.participants.all(found.id)}
        coders = {c.id: c.name for c in uow.coders.all(found.id)}
        paths: dict[CodeId, str] = {}
        rows: list[dict[str, object]] = []
        shown, left_out = visible_codings(
            uow, found, uow.codings.all(found.id), viewer or default_actor()
        )
        if hidden is not None:
            hidden.update(left_out)
        for coding in shown:
            document = documents[coding.document_id]
            if coding.code_id not in paths:
                paths[coding.code_id] = book.path_text(coding.code_id)
            rows.append(
                {
                    "coding_id": str(coding.id),
                    "document": document.name,
                    "participant": participants.get(document.participant_id, "")
                    if document.participant_id
                    else "",
                    "code": paths[coding.code_id],
                    "coder": coders[coding.coder_id],
                    "start": coding.span.start,
                    "end": coding.span.end,
                    "text": coding.span.of(document.text),
                    "valence": coding.valence.value if coding.valence else "",
                    "origin": coding.origin.value,
                    "memo": coding.memo,
                    "created_at": coding.created_at.isoformat(),
                }
            )
        return rows
