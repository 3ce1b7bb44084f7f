"""Deductive suggestions on a study: make a round of them, list them, and let a person decide.

Nothing is applied without a person: ``suggest_codings`` only stores pending suggestions;
``decide_suggestion`` with ``accept=True`` makes the coding (origin ``assisted``, the model id,
the score, and the person who accepted as its coder); a rejection is kept and teaches the next
round (the passage becomes a negative example for the code, and is never suggested again).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from thematica.assist.embedders import load_embedder
from thematica.assist.suggestions import score_code
from thematica.domain.codebook import Code
from thematica.domain.codings import Origin
from thematica.domain.events import EventKind, make_event, snapshot, utcnow
from thematica.domain.ids import CodeId
from thematica.domain.suggestions import Method, Status, Suggestion
from thematica.domain.text import Span
from thematica.errors import ConflictError, InvalidInputError, NotFoundError
from thematica.services.assist import embed_cached
from thematica.services.assist_study import Passage, study_passages
from thematica.services.coding import CodingRequest, NameResolver
from thematica.services.scope import NO_PROGRESS, Progress, default_actor, record, study_scope
from thematica.storage import Database

__all__ = ["SuggestionView", "decide_suggestion", "list_suggestions", "suggest_codings"]


@dataclass(frozen=True)
class SuggestionView:
    """A suggestion as a person reviews it: where, what, which code, how sure, and why."""

    id: uuid.UUID
    document: str
    start: int
    end: int
    text: str
    code: str
    score: float
    method: str
    model: str
    evidence: tuple[str, ...]
    status: str

    def as_dict(self) -> dict[str, object]:
        return {
            "id": str(self.id),
            "document": self.document,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "code": self.code,
            "score": round(self.score, 4),
            "method": self.method,
            "model": self.model,
            "evidence": list(self.evidence),
            "status": self.status,
        }


def _describe(code: Code, path: str) -> str:
    """What the codebook says of a code, as one text to embed for zero-shot scoring."""
    parts = [path.replace(" > ", ": "), code.definition, code.inclusion, code.example]
    return ". ".join(p.strip() for p in parts if p.strip())


def suggest_codings(
    db: Database,
    *,
    study: str | None = None,
    codes: tuple[str, ...] = (),
    model: str | None = None,
    limit: int = 10,
    unit: str = "sentence",
    actor: str | None = None,
    progress: Progress = NO_PROGRESS,
) -> list[SuggestionView]:
    """A new round of pending suggestions for ``codes`` (every code when none is named),
    ``limit`` per code, replacing the codes' earlier pending ones; decisions are kept."""
    actor = actor or default_actor()
    passages = study_passages(db, study, unit=unit)
    if not passages:
        raise InvalidInputError("the study has no text to suggest codes for")
    with study_scope(db, study) as (uow, found):
        book = uow.codes.codebook(found.id)
        chosen = [book.lookup(path) for path in codes] if codes else list(book)
        codings = uow.codings.all(found.id)
        decided = [s for s in uow.suggestions.all(found.id) if s.status is not Status.PENDING]
        documents = {d.name: d.id for d in uow.documents.all(found.id)}
    if not chosen:
        raise InvalidInputError("the codebook has no codes to suggest")
    texts = [p.text for p in passages]
    embedder = load_embedder(model, corpus=texts)
    vectors = embed_cached(db, embedder, texts, progress=progress)
    descriptions = [_describe(c, book.path_text(c.id)) for c in chosen]
    described = embedder.encode(descriptions)
    index = _PassageIndex(passages, documents)
    coded_by: dict[CodeId, set[int]] = {}
    for coding in codings:
        for i in index.overlapping(coding.document_id, coding.span):
            coded_by.setdefault(coding.code_id, set()).add(i)
    any_coded = set().union(*coded_by.values()) if coded_by else set()
    now = utcnow()
    made: list[Suggestion] = []
    for code, description in zip(chosen, described, strict=True):
        positives = sorted(coded_by.get(code.id, set()))
        rejected = {
            i
            for s in decided
            if s.code_id == code.id and s.status is Status.REJECTED
            for i in index.overlapping(s.document_id, s.span)
        }
        asked = {
            i
            for s in decided
            if s.code_id == code.id
            for i in index.overlapping(s.document_id, s.span)
        }
        negatives = sorted((any_coded - set(positives)) | rejected)
        candidates = [i for i in range(len(passages)) if i not in asked and i not in positives]
        for scored in score_code(
            vectors, description, positives, negatives, candidates, limit=limit
        ):
            passage = passages[scored.passage]
            made.append(
                Suggestion(
                    id=uuid.uuid4(),
                    study_id=found.id,
                    document_id=documents[passage.document],
                    code_id=code.id,
                    span=Span(passage.start, passage.end),
                    model_id=embedder.model_id,
                    method=scored.method,
                    score=scored.score,
                    evidence=tuple(
                        f"{passages[i].document} [{passages[i].start}, {passages[i].end}) "
                        f"{similarity:.2f}: {passages[i].text}"
                        for i, similarity in scored.evidence
                    ),
                    created_at=now,
                )
            )
    with study_scope(db, study) as (uow, found):
        uow.suggestions.drop_pending(found.id, [c.id for c in chosen])
        uow.suggestions.add_many(made)
        record(
            uow,
            found,
            actor,
            EventKind.ASSIST_SUGGESTED,
            None,
            after={"model": embedder.model_id, "codes": len(chosen), "suggestions": len(made)},
        )
        uow.commit()
    return list_suggestions(db, study=study)


def _resolve_id(pending: list[Suggestion], given: str) -> uuid.UUID:
    try:
        return uuid.UUID(given)
    except ValueError:
        pass
    matches = [s.id for s in pending if str(s.id).startswith(given.lower())] if given else []
    if len(matches) != 1:
        raise InvalidInputError(
            f"{given!r} is not a suggestion id, nor the start of exactly one pending one "
            f"({len(matches)} match)"
        )
    return matches[0]


class _PassageIndex:
    """Which passages a span overlaps, per document."""

    def __init__(self, passages: list[Passage], documents: Mapping[str, uuid.UUID]) -> None:
        self.by_document: dict[uuid.UUID, list[tuple[int, int, int]]] = {}
        for i, p in enumerate(passages):
            self.by_document.setdefault(documents[p.document], []).append((p.start, p.end, i))

    def overlapping(self, document_id: uuid.UUID, span: Span) -> list[int]:
        return [
            i
            for start, end, i in self.by_document.get(document_id, [])
            if start < span.end and span.start < end
        ]


def _informative(view: SuggestionView) -> tuple[str, float]:
    if view.method == Method.CLASSIFIER:
        return view.code, abs(view.score - 0.5)
    return view.code, -view.score


def list_suggestions(
    db: Database, *, study: str | None = None, status: str = "pending"
) -> list[SuggestionView]:
    """The study's suggestions in one state, by code, most informative first."""
    wanted = Status(status)
    with study_scope(db, study) as (uow, found):
        book = uow.codes.codebook(found.id)
        documents = {d.id: d for d in uow.documents.all(found.id)}
        stored = uow.suggestions.all(found.id, wanted)
    views = [
        SuggestionView(
            s.id,
            documents[s.document_id].name,
            s.span.start,
            s.span.end,
            documents[s.document_id].text[s.span.start : s.span.end],
            book.path_text(s.code_id),
            s.score,
            s.method.value,
            s.model_id,
            s.evidence,
            s.status.value,
        )
        for s in stored
    ]
    return sorted(views, key=_informative)


def decide_suggestion(
    db: Database,
    suggestion_id: str,
    *,
    accept: bool,
    study: str | None = None,
    actor: str | None = None,
) -> SuggestionView:
    """Accept (making an ``assisted`` coding coded by ``actor``) or reject a pending suggestion;
    ``suggestion_id`` may be the first characters of a pending suggestion's id."""
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        wanted = _resolve_id(uow.suggestions.all(found.id, Status.PENDING), suggestion_id)
        suggestion = uow.suggestions.get(wanted)
        if suggestion is None or suggestion.study_id != found.id:
            raise NotFoundError(f"no suggestion with id {suggestion_id}")
        if suggestion.status is not Status.PENDING:
            raise ConflictError(
                f"suggestion {suggestion_id} was already {suggestion.status.value} "
                f"by {suggestion.decided_by}"
            )
        coding_id = None
        if accept:
            resolver = NameResolver(uow, found, actor)
            document = uow.documents.get(suggestion.document_id)
            assert document is not None
            request = CodingRequest(
                document.name,
                suggestion.span.start,
                suggestion.span.end,
                resolver.book.path(suggestion.code_id),
                actor,
                origin=Origin.ASSISTED,
                origin_detail=suggestion.model_id,
                score=suggestion.score,
            )
            coding = resolver.coding(request, None, utcnow())
            uow.codings.add_many([coding])
            uow.events.append(
                [
                    make_event(
                        found.id, actor, EventKind.CODING_APPLIED, coding.id, after=snapshot(coding)
                    )
                ]
            )
            coding_id = coding.id
        status = Status.ACCEPTED if accept else Status.REJECTED
        uow.suggestions.decide(suggestion, status, actor, coding_id)
        record(
            uow,
            found,
            actor,
            EventKind.ASSIST_DECIDED,
            suggestion.id,
            after={
                "status": status.value,
                "score": suggestion.score,
                "model": suggestion.model_id,
                "coding": None if coding_id is None else str(coding_id),
            },
        )
        uow.commit()
    [view] = [v for v in list_suggestions(db, study=study, status=status.value) if v.id == wanted]
    return view
