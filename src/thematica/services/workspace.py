"""What the browser workspace reads and does, for one signed-in :class:`Actor`.

Every function here takes the actor and checks its role itself (a viewer reads, a coder codes, an
owner may change anyone's coding), and every read goes through the blind-round rule: a coder in an
open blind round never receives a colleague's codings of the round's documents, nor the events
that would show them.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field

from thematica.domain.actors import Actor, Role
from thematica.domain.codebook import Code, Codebook
from thematica.domain.codings import Coding
from thematica.domain.events import Event, EventKind
from thematica.domain.ids import CodeId, CoderId, CodingId, DocumentId
from thematica.domain.rounds import CodingRound
from thematica.domain.study import Document, Study
from thematica.errors import NotFoundError, PermissionDeniedError
from thematica.services import coding as coding_service
from thematica.services.coding import CodingRequest, find_coding
from thematica.services.documents import find_document
from thematica.services.scope import study_scope
from thematica.storage import Database, UnitOfWork

__all__ = [
    "CodingChange",
    "CodingView",
    "DocumentProgress",
    "StudyHome",
    "VisibleCoding",
    "change_coding",
    "code_passage",
    "coding_changes",
    "coding_view",
    "document_text",
    "remove_coding",
    "study_home",
]

_CODING_EVENTS = {EventKind.CODING_APPLIED, EventKind.CODING_CHANGED, EventKind.CODING_REMOVED}


@dataclass(frozen=True)
class VisibleCoding:
    """A coding as the workspace shows it: code path and coder by name, offsets in code points."""

    id: str
    code: str
    code_id: str
    colour: str
    coder: str
    start: int
    end: int
    valence: str
    memo: str
    mine: bool


@dataclass(frozen=True)
class CodingView:
    study: str
    document: Document
    codes: list[tuple[str, Code]]  # (path, code), in tree order
    codings: list[VisibleCoding]
    can_code: bool


@dataclass(frozen=True)
class DocumentProgress:
    name: str
    characters: int
    coded_by: dict[str, int]  # coder name -> codings (only coders the actor may see)


@dataclass(frozen=True)
class StudyHome:
    study: Study
    documents: list[DocumentProgress]
    recent: list[Event] = field(default_factory=list)


class _Visibility:
    """Which codings the actor may see: everything, except colleagues' codings of the documents
    of an open blind round in which the actor codes."""

    def __init__(self, uow: UnitOfWork, study: Study, actor: Actor) -> None:
        coder = uow.coders.by_name(study.id, actor.name)
        self.me: CoderId | None = coder.id if coder else None
        self.blind: list[CodingRound] = []
        if coder is not None:
            self.blind = [
                r
                for r in uow.rounds.all(study.id)
                if r.blind and r.is_open and coder.id in r.coder_ids
            ]

    def shows(self, author: CoderId, document: DocumentId) -> bool:
        if self.me is None or not self.blind:
            return True
        return not any(
            r.hides(viewer=self.me, author=author, document=document) for r in self.blind
        )

    def shows_event(self, event: Event) -> bool:
        if event.kind not in _CODING_EVENTS or not self.blind:
            return True
        payload = event.after or event.before or {}
        author, document = payload.get("coder_id"), payload.get("document_id")
        if author is None or document is None:
            return False
        return self.shows(CoderId(_uuid(author)), DocumentId(_uuid(document)))


def _uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def study_home(db: Database, actor: Actor, study: str, *, recent: int = 12) -> StudyHome:
    """The study's documents with coding progress per coder, and its recent activity."""
    with study_scope(db, study) as (uow, found):
        seen = _Visibility(uow, found, actor)
        coders = {c.id: c.name for c in uow.coders.all(found.id)}
        counts: dict[DocumentId, Counter[str]] = {}
        for coding in uow.codings.all(found.id):
            if seen.shows(coding.coder_id, coding.document_id):
                counts.setdefault(coding.document_id, Counter())[coders[coding.coder_id]] += 1
        lengths = uow.documents.text_lengths(found.id)
        documents = [
            DocumentProgress(d.name, lengths.get(d.id, 0), dict(counts.get(d.id, Counter())))
            for d in uow.documents.all(found.id)
        ]
        events = [e for e in uow.events.all(found.id) if seen.shows_event(e)]
        return StudyHome(found, documents, list(reversed(events[-recent:])))


def coding_view(db: Database, actor: Actor, study: str, document: str) -> CodingView:
    """One document with the codebook and the codings the actor may see."""
    with study_scope(db, study) as (uow, found):
        doc = find_document(uow, found, document)
        seen = _Visibility(uow, found, actor)
        book = uow.codes.codebook(found.id)
        codes = [(book.path_text(c.id), c) for c in _tree_order(book)]
        coders = {c.id: c.name for c in uow.coders.all(found.id)}
        codings = [
            _visible(c, book.path_text(c.code_id), book.get(c.code_id).colour, coders, seen.me)
            for c in uow.codings.all(found.id, document_id=doc.id)
            if seen.shows(c.coder_id, c.document_id)
        ]
        return CodingView(found.name, doc, codes, codings, actor.allows(Role.CODER))


def document_text(db: Database, actor: Actor, study: str, document: str) -> str:
    """The document's text (to convert a browser's offsets), without reading its codings."""
    actor.require(Role.VIEWER, "read documents")
    with study_scope(db, study) as (uow, found):
        text = uow.documents.text_by_name(found.id, document)
        return text if text is not None else find_document(uow, found, document).text


def _tree_order(book: Codebook) -> list[Code]:
    ordered: list[Code] = []

    def walk(parent: CodeId | None) -> None:
        for child in book.children(parent):
            ordered.append(child)
            walk(child.id)

    walk(None)
    return ordered


def _visible(
    coding: Coding, path: str, colour: str, coders: dict[CoderId, str], me: CoderId | None
) -> VisibleCoding:
    return VisibleCoding(
        str(coding.id),
        path,
        str(coding.code_id),
        colour,
        coders[coding.coder_id],
        coding.span.start,
        coding.span.end,
        coding.valence.value if coding.valence else "",
        coding.memo,
        coding.coder_id == me,
    )


def code_passage(
    db: Database,
    actor: Actor,
    study: str,
    document: str,
    start: int,
    end: int,
    code: str,
    *,
    valence: str | None = None,
    memo: str = "",
) -> VisibleCoding:
    """Code ``[start, end)`` (code points) of ``document`` as the actor; coders and owners only."""
    actor.require(Role.CODER, "code passages")
    request = CodingRequest(document, start, end, code, actor.name, valence, memo)
    coding = coding_service.apply_codings(db, [request], study=study, actor=actor.name)[0]
    return _describe(db, actor, study, coding.id)


def _own(
    db: Database, actor: Actor, study: str, document: str, coding_id: CodingId, action: str
) -> None:
    """Coders change and remove their own codings; owners anyone's; viewers none."""
    actor.require(Role.CODER, action)
    with study_scope(db, study) as (uow, found):
        coding = find_coding(uow, found, coding_id)
        seen = _Visibility(uow, found, actor)
        in_document = find_document(uow, found, document).id == coding.document_id
        if not in_document or not seen.shows(coding.coder_id, coding.document_id):
            # A hidden coding is answered as absent, so its existence does not leak either.
            raise NotFoundError(f"no coding with id {coding_id}")
        if coding.coder_id != seen.me and not actor.allows(Role.OWNER):
            raise PermissionDeniedError(
                f"{actor.name!r} may not {action} a colleague's coding"
                " (only the study's owners may)"
            )


def change_coding(
    db: Database,
    actor: Actor,
    study: str,
    document: str,
    coding_id: CodingId,
    *,
    start: int | None = None,
    end: int | None = None,
    code: str | None = None,
    valence: str | None = None,
    memo: str | None = None,
) -> VisibleCoding:
    """Change a coding's span, code, valence or memo (``valence=""`` clears it)."""
    _own(db, actor, study, document, coding_id, "change")
    coding_service.change_coding(
        db,
        coding_id,
        study=study,
        actor=actor.name,
        start=start,
        end=end,
        code=code,
        memo=memo,
        valence=None if valence is None else (valence or _NO_VALENCE),
    )
    return _describe(db, actor, study, coding_id)


#: A blank valence: :func:`coding_service.change_coding` skips ``None`` but clears on a blank.
_NO_VALENCE = " "


def remove_coding(
    db: Database, actor: Actor, study: str, document: str, coding_id: CodingId
) -> None:
    _own(db, actor, study, document, coding_id, "remove")
    coding_service.remove_coding(db, coding_id, study=study, actor=actor.name)


def _describe(db: Database, actor: Actor, study: str, coding_id: CodingId) -> VisibleCoding:
    with study_scope(db, study) as (uow, found):
        coding = find_coding(uow, found, coding_id)
        book = uow.codes.codebook(found.id)
        coders = {c.id: c.name for c in uow.coders.all(found.id)}
        me = uow.coders.by_name(found.id, actor.name)
        return _visible(
            coding,
            book.path_text(coding.code_id),
            book.get(coding.code_id).colour,
            coders,
            me.id if me else None,
        )


@dataclass(frozen=True)
class CodingChange:
    """One change to a document's codings, for live updates: ``coding`` is ``None`` when it
    was removed (or is no longer one the actor may see)."""

    sequence: int
    kind: str
    coding_id: str
    coding: VisibleCoding | None


def coding_changes(
    db: Database, actor: Actor, study: str, document: str, *, after: int
) -> tuple[int, list[CodingChange]]:
    """The document's coding events after event ``after`` that the actor may see, and the last
    event sequence read (so a reconnect resumes there and misses nothing)."""
    with study_scope(db, study) as (uow, found):
        doc = find_document(uow, found, document)
        seen = _Visibility(uow, found, actor)
        events = uow.events.all(found.id, after_sequence=after)
        last = max((e.sequence or 0 for e in events), default=after)
        book = uow.codes.codebook(found.id)
        coders = {c.id: c.name for c in uow.coders.all(found.id)}
        changes: list[CodingChange] = []
        for event in events:
            payload = event.after or event.before or {}
            if event.kind not in _CODING_EVENTS or payload.get("document_id") != str(doc.id):
                continue
            if not seen.shows_event(event):
                continue
            coding = (
                uow.codings.get(CodingId(event.entity_id))
                if event.entity_id and event.kind is not EventKind.CODING_REMOVED
                else None
            )
            shown = (
                _visible(
                    coding,
                    book.path_text(coding.code_id),
                    book.get(coding.code_id).colour,
                    coders,
                    seen.me,
                )
                if coding is not None
                else None
            )
            changes.append(
                CodingChange(event.sequence or 0, event.kind.value, str(event.entity_id), shown)
            )
        return last, changes
