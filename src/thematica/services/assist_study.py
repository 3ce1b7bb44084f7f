"""Assisted coding on a study's own passages: search by meaning, and discovery of themes in
passages nobody has coded yet.

A passage is a unit of a document (a sentence by default, as ``analysis.units`` cuts it); its
vector comes through the database cache, so a second search of a study runs no model on its
text, only on the query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from thematica.analysis.units import Unitisation, presence, units_for
from thematica.assist.discovery import cluster_passages
from thematica.assist.embedders import Embedder, load_embedder
from thematica.assist.search import nearest
from thematica.errors import InvalidInputError
from thematica.services.assist import embed_cached
from thematica.services.scope import NO_PROGRESS, Progress, study_scope
from thematica.storage import Database

__all__ = ["Candidate", "Passage", "discover_themes", "search_passages", "study_passages"]


@dataclass(frozen=True)
class Passage:
    """A unit of a document: where it is and what it says (and, in results, a score)."""

    document: str
    start: int
    end: int
    text: str
    score: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "document": self.document,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            **({} if self.score is None else {"score": round(self.score, 4)}),
        }


@dataclass(frozen=True)
class Candidate:
    """A cluster of uncoded passages offered as a candidate code."""

    label: str
    terms: tuple[str, ...]
    size: int
    quotes: tuple[Passage, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "terms": list(self.terms),
            "size": self.size,
            "quotes": [q.as_dict() for q in self.quotes],
        }


def study_passages(
    db: Database, study: str | None, *, unit: str = "sentence", uncoded_only: bool = False
) -> list[Passage]:
    """Every unit of every document of the study, in document order; with ``uncoded_only``,
    those no coding touches."""
    kind = Unitisation(unit)
    if kind is Unitisation.CHARACTER:
        raise InvalidInputError("passages are sentences, turns or paragraphs, not characters")
    with study_scope(db, study) as (uow, found):
        documents = uow.documents.all(found.id)
        codings = uow.codings.all(found.id) if uncoded_only else []
    spans: dict[object, list[tuple[int, int]]] = {}
    for coding in codings:
        spans.setdefault(coding.document_id, []).append((coding.span.start, coding.span.end))
    out: list[Passage] = []
    for document in sorted(documents, key=lambda d: d.name):
        turns = [(t.span.start, t.span.end) for t in document.turns]
        units = units_for(document.text, kind, turns)
        if uncoded_only and document.id in spans:
            units = units[~presence(units, spans[document.id])]
        out.extend(
            Passage(document.name, int(a), int(b), document.text[int(a) : int(b)]) for a, b in units
        )
    return out


def _vectors(
    db: Database, passages: Sequence[Passage], model: str | None, progress: Progress
) -> tuple[Embedder, NDArray[np.float32]]:
    texts = [p.text for p in passages]
    embedder = load_embedder(model, corpus=texts)
    return embedder, embed_cached(db, embedder, texts, progress=progress)


def search_passages(
    db: Database,
    query: str,
    *,
    study: str | None = None,
    model: str | None = None,
    unit: str = "sentence",
    limit: int = 10,
    progress: Progress = NO_PROGRESS,
) -> list[Passage]:
    """The study's passages most like ``query``, best first, with their cosine scores."""
    if not query.strip():
        raise InvalidInputError("say what to search for")
    passages = study_passages(db, study, unit=unit)
    if not passages:
        return []
    embedder, vectors = _vectors(db, passages, model, progress)
    wanted = embedder.encode([query])[0]
    return [
        Passage(passages[i].document, passages[i].start, passages[i].end, passages[i].text, s)
        for i, s in nearest(wanted, vectors, limit)
    ]


def discover_themes(
    db: Database,
    *,
    study: str | None = None,
    clusters: int = 5,
    model: str | None = None,
    unit: str = "sentence",
    quotes: int = 3,
    progress: Progress = NO_PROGRESS,
) -> list[Candidate]:
    """Clusters of the passages nobody has coded, largest first, each named by its distinctive
    terms with its most representative passages: candidate codes, never applied by themselves."""
    passages = study_passages(db, study, unit=unit, uncoded_only=True)
    if len(passages) < clusters:
        raise InvalidInputError(
            f"only {len(passages)} uncoded passages: too few for {clusters} clusters"
        )
    _, vectors = _vectors(db, passages, model, progress)
    found = cluster_passages([p.text for p in passages], vectors, clusters, n_quotes=quotes)
    return [
        Candidate(c.label, c.terms, len(c.members), tuple(passages[i] for i in c.representatives))
        for c in found
    ]
