"""Double-coding rounds: which coders code which documents, blind or not, and the consensus.

A round assigns documents (all, or a reproducible random sample, stratified by a participant
attribute if asked) to two or more coders. While a *blind* round is open, a coder sees only their
own codings of the round's documents. Closing the round lists every disagreement; each is
resolved into a consensus layer with who decided and why, and the coders' own codings stay as
they were.
"""

from __future__ import annotations

import enum
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from thematica.domain.codings import Valence
from thematica.domain.ids import CodeId, CoderId, DocumentId, ResolutionId, RoundId, StudyId
from thematica.domain.text import Span
from thematica.errors import InvalidInputError

__all__ = [
    "CodingRound",
    "Decision",
    "Disagreement",
    "Resolution",
    "RoundStatus",
    "coded_passage",
    "consensus_coder_name",
    "sample_documents",
    "shared_valence",
]


class RoundStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


def consensus_coder_name(round_name: str) -> str:
    """The name given to the coder that holds a round's consensus layer (a coder of kind
    ``consensus``; the round keeps its id, so the layer is never found by this name)."""
    return f"Consensus ({round_name})"


def coded_passage(unit: Span, spans: Sequence[Span]) -> Span:
    """The passage of ``unit`` the coders coded: from the first start to the last end of their
    ``spans``, cut to the unit (the whole unit when no span lies in it).

    >>> coded_passage(Span(0, 100), [Span(10, 30), Span(20, 50), Span(90, 140)])
    Span(start=10, end=100)
    """
    inside = [(max(s.start, unit.start), min(s.end, unit.end)) for s in spans]
    inside = [(a, b) for a, b in inside if a < b]
    if not inside:
        return unit
    return Span(min(a for a, _ in inside), max(b for _, b in inside))


def shared_valence(valences: Sequence[Valence | None]) -> Valence | None:
    """The valence every coder who gave one agreed on, else none (a disagreement on valence is
    left for the team, never settled by a rule).

    >>> shared_valence([Valence.BARRIER, None, Valence.BARRIER]), shared_valence([])
    (<Valence.BARRIER: 'barrier'>, None)
    >>> shared_valence([Valence.BARRIER, Valence.FACILITATOR]) is None
    True
    """
    given = {v for v in valences if v is not None}
    return given.pop() if len(given) == 1 else None


@dataclass(frozen=True, slots=True)
class CodingRound:
    id: RoundId
    study_id: StudyId
    name: str
    coder_ids: tuple[CoderId, ...]
    document_ids: tuple[DocumentId, ...]
    blind: bool
    created_at: datetime
    unit: str = "turn"
    sampling: str = ""
    status: RoundStatus = RoundStatus.OPEN
    closed_at: datetime | None = None
    #: The coder (kind ``consensus``) holding this round's consensus layer, once closed.
    consensus_coder_id: CoderId | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInputError("a round needs a name")
        if len(set(self.coder_ids)) < 2:
            raise InvalidInputError(f"round {self.name!r}: double-coding needs two or more coders")
        if not self.document_ids:
            raise InvalidInputError(f"round {self.name!r}: no documents to code")
        if len(set(self.document_ids)) != len(self.document_ids):
            raise InvalidInputError(f"round {self.name!r}: a document is listed twice")

    @property
    def is_open(self) -> bool:
        return self.status is RoundStatus.OPEN

    def hides(self, *, viewer: CoderId | None, author: CoderId, document: DocumentId) -> bool:
        """True when ``viewer`` may not see ``author``'s coding of ``document``: while a blind
        round is open, its coders' codings of its documents are seen by their author only, and
        by nobody else (``viewer`` None: someone who is not a coder of this study), since
        anyone who is not the author could pass them on to the round's other coders."""
        return (
            self.blind
            and self.is_open
            and author != viewer
            and author in self.coder_ids
            and document in self.document_ids
        )


def sample_documents(
    candidates: Sequence[tuple[DocumentId, str]],
    fraction: float,
    *,
    seed: int,
) -> tuple[DocumentId, ...]:
    """A reproducible random sample of ``fraction`` of the documents, stratified.

    ``candidates`` pairs each document with its stratum (the participant attribute's value, or
    one shared value for no stratification). Each stratum contributes in proportion to its size
    (largest remainder, so the total is ``round(fraction * N)``, at least one), and the draw within
    a stratum depends only on the seed, the stratum and the documents' ids, not on their order.
    """
    if not 0 < fraction <= 1:
        raise InvalidInputError(f"the sample fraction must be in (0, 1], not {fraction}")
    strata: dict[str, list[DocumentId]] = {}
    for document, stratum in candidates:
        strata.setdefault(stratum, []).append(document)
    total = len(candidates)
    if total == 0:
        return ()
    target = max(1, round(fraction * total))
    quotas = {name: fraction * len(docs) for name, docs in strata.items()}
    counts = {name: math.floor(q) for name, q in quotas.items()}
    leftover = target - sum(counts.values())
    for name in sorted(quotas, key=lambda n: (-(quotas[n] - counts[n]), n))[: max(0, leftover)]:
        counts[name] += 1
    chosen: list[DocumentId] = []
    for name in sorted(strata):
        docs = sorted(strata[name], key=str)
        random.Random(f"{seed}:{name}").shuffle(docs)
        chosen.extend(docs[: counts[name]])
    return tuple(sorted(chosen, key=str))


class Decision(enum.StrEnum):
    """A consensus decision on one unit and code: the code applies there, or it does not."""

    PRESENT = "present"
    ABSENT = "absent"


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Coders differ on whether ``code`` applies to the unit ``span`` of ``document``."""

    document_id: DocumentId
    span: Span
    code_id: CodeId
    coded_by: tuple[CoderId, ...]
    not_coded_by: tuple[CoderId, ...]


@dataclass(frozen=True, slots=True)
class Resolution:
    id: ResolutionId
    round_id: RoundId
    document_id: DocumentId
    span: Span
    code_id: CodeId
    decision: Decision
    decided_by: str
    rationale: str
    at: datetime
    #: What a ``present`` decision puts in the consensus layer: the passage (inside the unit)
    #: and its valence.
    passage: Span | None = None
    valence: Valence | None = None

    def __post_init__(self) -> None:
        if self.passage is not None and not (
            self.span.start <= self.passage.start and self.passage.end <= self.span.end
        ):
            raise InvalidInputError(
                f"the passage [{self.passage.start}, {self.passage.end}) lies outside the unit "
                f"[{self.span.start}, {self.span.end})"
            )
        if not self.decided_by.strip():
            raise InvalidInputError("a resolution must say who decided")
        if not self.rationale.strip():
            raise InvalidInputError("a resolution needs a short rationale")
