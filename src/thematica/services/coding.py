"""Applying, changing and removing codings; the coded-segments table."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from thematica.domain.codebook import Codebook
from thematica.domain.codings import Coder, CoderKind, Coding, Origin, Valence
from thematica.domain.events import EventKind, make_event, snapshot, utcnow
from thematica.domain.ids import CodeId, CoderId, CodingId, DocumentId, StudyId, new_guid
from thematica.domain.study import Document, Study
from thematica.domain.suggest import did_you_mean
from thematica.domain.text import Span
from thematica.errors import ConflictError, InvalidInputError, NotFoundError
from thematica.services.deid import ensure_codable
from thematica.services.documents import find_document
from thematica.services.scope import NO_PROGRESS, Progress, default_actor, record, study_scope
from thematica.storage import Database, UnitOfWork

__all__ = [
    "CODED_SEGMENT_COLUMNS",
    "CodingRequest",
    "NameResolver",
    "apply_coding",
    "apply_codings",
    "change_coding",
    "coded_segments",
    "find_coder",
    "find_coding",
    "refuse_duplicate",
    "remove_coding",
    "short_id",
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


def find_coder(uow: UnitOfWork, study: Study, name: str) -> Coder:
    """The coder called ``name`` (or, failing that, the only one whose name differs only in
    case). An unknown name is an error with the closest names, never a new coder made in silence.
    """
    coder = uow.coders.by_name(study.id, name.strip())
    if coder is not None:
        return coder
    known = uow.coders.all(study.id)
    same = [c for c in known if c.name.casefold() == name.strip().casefold()]
    if len(same) == 1:
        return same[0]
    hint = did_you_mean(name, (c.name for c in known))
    raise NotFoundError(
        f"no coder named {name!r}{hint}; add a coder with `thematica coders add NAME` "
        "(or --new-coder)"
    )


def refuse_duplicate(uow: UnitOfWork, coding: Coding) -> None:
    """Refuse a coding identical to one already stored (same document, span, code and coder):
    a second copy would count the passage twice in every table."""
    for other in uow.codings.all(
        coding.study_id,
        document_id=coding.document_id,
        coder_id=coding.coder_id,
        code_ids=[coding.code_id],
    ):
        if other.span == coding.span and other.id != coding.id:
            raise ConflictError(
                f"the same coder already coded [{coding.span.start}, {coding.span.end}) with "
                f"this code (coding {other.id.hex[:8]})"
            )


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


class NameResolver:
    """Finds documents, codes and coders by the names people give, cached across a batch."""

    def __init__(
        self, uow: UnitOfWork, study: Study, actor: str, *, create_coders: bool = True
    ) -> None:
        self.uow, self.study, self.actor = uow, study, actor
        self.create_coders = create_coders
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
            self.coders[name] = (
                ensure_coder(self.uow, self.study, name, self.actor)
                if self.create_coders
                else find_coder(self.uow, self.study, name)
            )
        return self.coders[name]

    def code(self, path: str | tuple[str, ...]) -> CodeId:
        if path not in self.codes:
            self.codes[path] = self.book.lookup(path).id
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
    create_coders: bool = True,
) -> list[Coding]:
    """Apply many codings in one transaction (all or nothing), with one event each.

    Coders are added on first use (a batch from a script or another tool names its coders);
    with ``create_coders=False`` an unknown coder is an error.
    """
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        resolver = NameResolver(uow, found, actor, create_coders=create_coders)
        codings: list[Coding] = []
        total = len(requests)
        now = utcnow()  # one transaction, one moment: every coding in it gets the same time
        seen: dict[tuple[DocumentId, CodeId, CoderId, Span], int] = {}
        for i, request in enumerate(requests):
            if i % 5000 == 0:
                progress(i, total, "codings")
            coding = resolver.coding(request, i if total > 1 else None, now)
            key = (coding.document_id, coding.code_id, coding.coder_id, coding.span)
            if key in seen:
                raise ConflictError(
                    f"coding {i + 1} repeats coding {seen[key] + 1} of the batch (same document, "
                    "span, code and coder)"
                )
            seen[key] = i
            codings.append(coding)
        for document_id in {c.document_id for c in codings}:  # and against what is stored
            for stored in uow.codings.all(found.id, document_id=document_id):
                key = (stored.document_id, stored.code_id, stored.coder_id, stored.span)
                if key in seen:
                    where = f"coding {seen[key] + 1}: " if total > 1 else ""
                    raise ConflictError(
                        f"{where}the same coder already coded [{stored.span.start}, "
                        f"{stored.span.end}) with this code (coding {short_id(stored.id)})"
                    )
        uow.codings.add_many(codings)
        uow.events.append(
            [
                make_event(
                    found.id,
                    request.coder or actor,
                    EventKind.CODING_APPLIED,
                    coding.id,
                    after=coding.as_payload(applied=True),
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


#: The shortest id prefix accepted, and the length tables show.
SHORT_ID = 8


def short_id(coding_id: CodingId) -> str:
    """The id as tables print it: its first eight hex digits, which commands accept."""
    return coding_id.hex[:SHORT_ID]


def find_coding(uow: UnitOfWork, study: Study, coding_id: CodingId | str) -> Coding:
    """The study's coding with this id: a full id, or (as tables print it) the start of one
    with at least four hex digits, when no other coding's id starts that way."""
    if isinstance(coding_id, str):
        ref = coding_id.strip().lower().replace("-", "")
        if len(ref) == 32:
            try:
                coding_id = CodingId(uuid.UUID(ref))
            except ValueError:
                raise NotFoundError(f"no coding with id {coding_id!r}") from None
        else:
            if len(ref) < 4 or any(ch not in "0123456789abcdef" for ch in ref):
                raise InvalidInputError(
                    f"{coding_id!r} is not a coding id (the ids `codings list` prints)"
                )
            matches = [i for i in uow.codings.ids(study.id) if i.hex.startswith(ref)]
            if len(matches) > 1:
                raise InvalidInputError(
                    f"coding id {coding_id!r} is ambiguous: "
                    + ", ".join(m.hex for m in matches[:5])
                )
            if not matches:
                raise NotFoundError(f"no coding with id {coding_id!r}")
            coding_id = matches[0]
    coding = uow.codings.get(coding_id)
    if coding is None or coding.study_id != study.id:
        raise NotFoundError(f"no coding with id {coding_id}")
    return coding


def change_coding(
    db: Database,
    coding_id: CodingId | str,
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
            changes["code_id"] = uow.codes.codebook(found.id).lookup(code).id
        if valence is not None:
            changes["valence"] = Valence.parse(valence) if isinstance(valence, str) else valence
        if memo is not None:
            changes["memo"] = memo
        if not changes:
            raise InvalidInputError("nothing to change: give a span, code, valence or memo")
        after = replace(before, **changes)
        if after.span != before.span or after.code_id != before.code_id:
            refuse_duplicate(uow, after)
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
    db: Database, coding_id: CodingId | str, *, study: str | None = None, actor: str | None = None
) -> Coding:
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
    return before


CODED_SEGMENT_COLUMNS = (
    "coding_id",
    "short_id",
    "document",
    "participant",
    "code",
    "coder",
    "selected_by",
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
    document: str | None = None,
    hidden: dict[str, int] | None = None,
) -> list[dict[str, object]]:
    """Every coding with its document, participant, code path, coder and the passage it covers.

    What ``viewer`` (a coder's name; default: the acting user) may see: while a blind round is
    open, its coders' codings of its documents are shown to their author only, never to anyone
    else (a list or export can be passed on to the round's other coders). ``hidden``, when
    given, receives how many were left out, by round name, so the caller can say so. With
    ``document``, only its codings.
    """
    from thematica.services.analysis_layer import visible_codings

    with study_scope(db, study) as (uow, found):
        book = uow.codes.codebook(found.id)
        documents: dict[DocumentId, Document] = {d.id: d for d in uow.documents.all(found.id)}
        participants = {p.id: p.label for p in uow.participants.all(found.id)}
        coders = {c.id: c.name for c in uow.coders.all(found.id)}
        selectors = _selector_names(uow, found.id, coders)
        paths: dict[CodeId, str] = {}
        rows: list[dict[str, object]] = []
        only = find_document(uow, found, document).id if document is not None else None
        shown, left_out = visible_codings(
            uow, found, uow.codings.all(found.id, document_id=only), viewer or default_actor()
        )
        if hidden is not None:
            hidden.update(left_out)
        for coding in shown:
            doc = documents[coding.document_id]
            if coding.code_id not in paths:
                paths[coding.code_id] = book.path_text(coding.code_id)
            rows.append(
                {
                    "coding_id": str(coding.id),
                    "short_id": short_id(coding.id),
                    "document": doc.name,
                    "participant": participants.get(doc.participant_id, "")
                    if doc.participant_id
                    else "",
                    "code": paths[coding.code_id],
                    "coder": coders[coding.coder_id],
                    "selected_by": selectors.get(
                        coding.selection_creator, coding.selection_creator
                    ),
                    "start": coding.span.start,
                    "end": coding.span.end,
                    "text": coding.span.of(doc.text),
                    "valence": coding.valence.value if coding.valence else "",
                    "origin": coding.origin.value,
                    "memo": coding.memo,
                    "created_at": coding.created_at.isoformat(),
                }
            )
        return rows


def _selector_names(uow: UnitOfWork, study: StudyId, coders: dict[CoderId, str]) -> dict[str, str]:
    """Coder names by the user GUID an imported selection records as its creator (the coder's id,
    or the original GUID when the coder's id had to differ)."""
    names = {str(coder): name for coder, name in coders.items()}
    for (kind, entity), kept in uow.identities.all(study).items():
        if kind == "user" and kept.guid is not None and entity in coders:
            names[str(kept.guid)] = coders[CoderId(entity)]
    return names
