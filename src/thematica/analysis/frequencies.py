"""Frequencies, coverage and co-occurrence of codes.

* :func:`code_frequencies`: codings, distinct participants and documents per code, codings per
  coder, participants per attribute group.
* :func:`text_coverage`: the share of text coded, per document, per coder, per code, per
  attribute group and overall. Coded characters are the **union** of the coded spans, so
  overlapping and nested codings (or two coders coding the same passage) are not counted twice.
* :func:`co_occurrence`: how often two codes occur in the same unit (a speaker turn or a whole
  document), as a symmetric matrix; :func:`circle_layout` places the codes on a circle for a
  network picture.

References
----------
Namey, E., Guest, G., Thairu, L. and Johnson, L. (2008). Data reduction techniques for large
qualitative data sets. In G. Guest and K. M. MacQueen (eds), *Handbook for Team-Based Qualitative
Research*. AltaMira (code frequencies and co-occurrence matrices).
"""

from __future__ import annotations

import math
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray

from thematica.analysis.records import (
    NOT_RECORDED,
    DocumentRecord,
    Level,
    ParticipantRecord,
    SegmentRecord,
    attribute_groups,
    check_level,
    column_of,
    select_coders,
)
from thematica.errors import (
    InvalidInputError,
    NotFoundError,
    SpanError,
    UndefinedStatisticWarning,
)

__all__ = [
    "CoOccurrence",
    "CodeFrequency",
    "Coverage",
    "CoverageReport",
    "NetworkEdge",
    "NetworkLayout",
    "NetworkNode",
    "Within",
    "circle_layout",
    "co_occurrence",
    "code_frequencies",
    "text_coverage",
]

Within: TypeAlias = Literal["turn", "document"]


@dataclass(frozen=True, slots=True)
class CodeFrequency:
    """How much one code (or theme) was used.

    ``by_coder`` maps each coder to their codings; ``by_group`` maps each value of the attribute
    counted by to the distinct participants in that group who have the code (empty when not
    counted by an attribute).
    """

    code: str
    codings: int
    participants: int
    documents: int
    by_coder: Mapping[str, int]
    by_group: Mapping[str, int]


def code_frequencies(
    segments: Iterable[SegmentRecord],
    participants: Sequence[ParticipantRecord] = (),
    *,
    level: Level = "code",
    by: str | None = None,
    group_order: Sequence[str] | None = None,
    coders: str | Iterable[str] | None = None,
) -> tuple[CodeFrequency, ...]:
    """Codings, participants and documents per code, sorted by code name.

    A participant with several values of ``by`` counts in each of those groups.

    Examples
    --------
    >>> from thematica.analysis.records import SegmentRecord
    >>> coded = [SegmentRecord("T1", "P1", "Pay", "Pay", "Robin", 0, 5, "x"),
    ...          SegmentRecord("T1", "P1", "Pay", "Pay", "Sam", 0, 5, "x"),
    ...          SegmentRecord("T2", "P2", "Pay", "Pay", "Sam", 0, 5, "x")]
    >>> [(f.code, f.codings, f.participants, f.documents) for f in code_frequencies(coded)]
    [('Pay', 3, 2, 2)]
    """
    check_level(level)
    if by is not None and not participants:
        raise InvalidInputError(f"counting by {by!r} needs the participants and their attributes")
    grouped = attribute_groups(participants, by, order=group_order) if by is not None else {}
    chosen = select_coders(segments, coders)
    by_column: dict[str, list[SegmentRecord]] = defaultdict(list)
    for segment in chosen:
        by_column[column_of(segment, level)].append(segment)
    result: list[CodeFrequency] = []
    for column in sorted(by_column):
        coded = by_column[column]
        people = {s.participant for s in coded if s.participant is not None}
        per_coder = Counter(s.coder for s in coded)
        result.append(
            CodeFrequency(
                code=column,
                codings=len(coded),
                participants=len(people),
                documents=len({s.document for s in coded}),
                by_coder=MappingProxyType(dict(sorted(per_coder.items()))),
                by_group=MappingProxyType(
                    {value: len(people.intersection(labels)) for value, labels in grouped.items()}
                ),
            )
        )
    return tuple(result)


@dataclass(frozen=True, slots=True)
class Coverage:
    """``coded`` characters out of ``characters``; ``share`` is NaN when there is no text."""

    coded: int
    characters: int

    @property
    def share(self) -> float:
        """The coded fraction, in [0, 1]."""
        return self.coded / self.characters if self.characters else math.nan


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """Share of text coded; see :func:`text_coverage`."""

    overall: Coverage
    documents: Mapping[str, Coverage]
    coders: Mapping[str, Coverage]
    codes: Mapping[str, Coverage]
    groups: Mapping[str, Coverage]


def _union_length(spans: Sequence[tuple[int, int]]) -> int:
    """Characters covered by the union of ``[start, end)`` spans (overlaps counted once)."""
    if not spans:
        return 0
    array = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    array = array[np.lexsort((array[:, 1], array[:, 0]))]
    starts, ends = array[:, 0], array[:, 1]
    reach = np.maximum.accumulate(ends)
    # A span opens a new merged interval when it starts after everything before it has ended.
    opens = np.ones(len(starts), dtype=np.bool_)
    opens[1:] = starts[1:] > reach[:-1]
    first = np.flatnonzero(opens)
    merged_ends = np.maximum.reduceat(ends, first)
    return int(np.sum(merged_ends - starts[first]))


def _coverage(
    spans: Mapping[str, list[tuple[int, int]]], names: Iterable[str], lengths: Mapping[str, int]
) -> Coverage:
    names = list(names)
    coded = sum(_union_length(spans.get(name, [])) for name in names)
    return Coverage(coded=coded, characters=sum(lengths[name] for name in names))


def text_coverage(
    segments: Iterable[SegmentRecord],
    documents: Sequence[DocumentRecord],
    participants: Sequence[ParticipantRecord] = (),
    *,
    level: Level = "code",
    by: str | None = None,
    group_order: Sequence[str] | None = None,
    coders: str | Iterable[str] | None = None,
) -> CoverageReport:
    """The share of text coded, without counting overlapping codings twice.

    .. math:: \\text{coverage} = \\frac{|\\bigcup_i [s_i, e_i)|}{\\text{characters}}

    Parameters
    ----------
    segments : iterable of SegmentRecord
    documents : sequence of DocumentRecord
        Every document, with its length (documents nobody coded count as uncoded text).
    participants : sequence of ParticipantRecord, optional
        Needed for ``by``.
    level : {"code", "theme"}, default "code"
        What ``codes`` in the report is keyed by.
    by : str, optional
        A participant attribute: coverage of the documents of each group's participants (a
        participant with several values counts in each group; documents with no participant,
        or whose participant has no value, fall under ``"(not recorded)"``), in ``group_order``.
    coders : str or iterable of str, optional
        Count only these coders' codings.

    Returns
    -------
    CoverageReport
        ``overall`` (text coded by anyone, over all documents); ``documents``; ``coders``: each
        coder's own coverage over **the documents that coder coded** (double coding is usually
        done on a subset, and a second coder should not look idle for it); ``codes``: each
        code's coverage of the whole corpus; ``groups``: per value of ``by``.

    Raises
    ------
    InvalidInputError
        A segment is on a document not in ``documents`` (:class:`SpanError`: past its end).

    Warns
    -----
    UndefinedStatisticWarning
        When the documents hold no text at all (overall share is NaN).

    Examples
    --------
    >>> from thematica.analysis.records import DocumentRecord, SegmentRecord
    >>> coded = [SegmentRecord("T1", "P1", "A", "A", "Robin", 0, 40, "x"),
    ...          SegmentRecord("T1", "P1", "B", "B", "Sam", 20, 60, "x")]
    >>> report = text_coverage(coded, [DocumentRecord("T1", "P1", 1, 100)])
    >>> report.overall.coded, report.overall.share
    (60, 0.6)
    """
    check_level(level)
    if by is not None and not participants:
        raise InvalidInputError(f"grouping by {by!r} needs the participants and their attributes")
    lengths = {document.name: document.characters for document in documents}
    chosen = select_coders(segments, coders)
    everyone: dict[str, list[tuple[int, int]]] = defaultdict(list)
    per_coder: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    per_code: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for segment in chosen:
        if segment.document not in lengths:
            raise InvalidInputError(
                "a coding is on a document that is not among the documents given",
                element=segment.document,
            )
        if segment.end > lengths[segment.document]:
            raise SpanError(
                f"the span ends past the end of the text ({lengths[segment.document]} characters)",
                element=segment.document,
                span=(segment.start, segment.end),
            )
        span = (segment.start, segment.end)
        everyone[segment.document].append(span)
        per_coder[segment.coder][segment.document].append(span)
        per_code[column_of(segment, level)][segment.document].append(span)

    overall = _coverage(everyone, lengths, lengths)
    if overall.characters == 0:
        warnings.warn(
            "the share of text coded is undefined: the documents hold no text; returning NaN",
            UndefinedStatisticWarning,
            stacklevel=2,
        )
    groups: dict[str, Coverage] = {}
    if by is not None:
        grouped = attribute_groups(participants, by, order=group_order)
        names = {
            value: [d.name for d in documents if d.participant in labels]
            for value, labels in grouped.items()
        }
        placed = {label for labels in grouped.values() for label in labels}
        unplaced = [d.name for d in documents if d.participant not in placed]
        if unplaced:
            names.setdefault(NOT_RECORDED, []).extend(unplaced)
        groups = {value: _coverage(everyone, members, lengths) for value, members in names.items()}

    return CoverageReport(
        overall=overall,
        documents=MappingProxyType(
            {name: _coverage(everyone, [name], lengths) for name in lengths}
        ),
        coders=MappingProxyType(
            {coder: _coverage(spans, spans, lengths) for coder, spans in sorted(per_coder.items())}
        ),
        codes=MappingProxyType(
            {code: _coverage(spans, lengths, lengths) for code, spans in sorted(per_code.items())}
        ),
        groups=MappingProxyType(groups),
    )


@dataclass(frozen=True, slots=True)
class CoOccurrence:
    """Co-occurrence of codes; see :func:`co_occurrence`.

    ``counts[i, j]`` is the number of units in which codes ``i`` and ``j`` both occur (symmetric);
    the diagonal ``counts[i, i]`` the number of units in which code ``i`` occurs. ``units`` is
    the number of units holding at least one code; ``skipped`` the codings left out of a
    turn-level count because their document has no turns.
    """

    codes: tuple[str, ...]
    counts: NDArray[np.int64]
    within: Within
    units: int
    skipped: int

    def count(self, first: str, second: str) -> int:
        """Units in which both codes occur."""
        missing = [code for code in (first, second) if code not in self.codes]
        if missing:
            raise NotFoundError(f"the co-occurrence matrix has no code {missing[0]!r}")
        return int(self.counts[self.codes.index(first), self.codes.index(second)])

    def pairs(self) -> tuple[tuple[str, str, int], ...]:
        """Each pair of different codes that co-occur, most frequent first (ties by name)."""
        i, j = np.triu_indices(len(self.codes), k=1)
        found = [
            (self.codes[a], self.codes[b], int(self.counts[a, b]))
            for a, b in zip(i.tolist(), j.tolist(), strict=True)
            if self.counts[a, b] > 0
        ]
        return tuple(sorted(found, key=lambda pair: (-pair[2], pair[0], pair[1])))


def co_occurrence(
    segments: Iterable[SegmentRecord],
    *,
    within: Within = "turn",
    level: Level = "code",
    codes: Sequence[str] | None = None,
    coders: str | Iterable[str] | None = None,
) -> CoOccurrence:
    """Count, for each pair of codes, the units (turns or documents) in which both occur.

    Codes co-occur within one coder (or layer) only: a unit is a turn or document *as one coder
    coded it*, so one coder's theme and another's sub-code on the same turn (a disagreement) is
    no co-occurrence. A unit counts once per pair however many codings of either code it holds.
    With
    ``within="turn"`` a coding belongs to the turn it starts in (``SegmentRecord.turn``);
    codings without a turn are left out and counted in ``skipped``.

    Parameters
    ----------
    segments : iterable of SegmentRecord
    within : {"turn", "document"}, default "turn"
    level : {"code", "theme"}, default "code"
    codes : sequence of str, optional
        The codes (rows and columns) in this order; codings of other codes are left out.
        Default: every code used, sorted.
    coders : str or iterable of str, optional
        Count only these coders' codings.

    Returns
    -------
    CoOccurrence

    Examples
    --------
    >>> from thematica.analysis.records import SegmentRecord
    >>> coded = [SegmentRecord("T1", "P1", "A", "A", "R", 0, 5, "x", turn=0),
    ...          SegmentRecord("T1", "P1", "B", "B", "R", 2, 9, "x", turn=0),
    ...          SegmentRecord("T1", "P1", "B", "B", "R", 20, 29, "x", turn=1)]
    >>> co_occurrence(coded).counts.tolist()
    [[1, 1], [1, 2]]
    """
    check_level(level)
    if within not in ("turn", "document"):
        raise InvalidInputError(f"within must be 'turn' or 'document', not {within!r}")
    chosen = select_coders(segments, coders)
    names = (
        tuple(dict.fromkeys(codes))
        if codes is not None
        else tuple(sorted({column_of(s, level) for s in chosen}))
    )
    index = {name: i for i, name in enumerate(names)}
    units: dict[tuple[str, str, int], set[int]] = defaultdict(set)
    skipped = 0
    for segment in chosen:
        column = index.get(column_of(segment, level))
        if column is None:
            continue
        if within == "turn":
            if segment.turn is None:
                skipped += 1
                continue
            units[(segment.coder, segment.document, segment.turn)].add(column)
        else:
            units[(segment.coder, segment.document, 0)].add(column)
    incidence = np.zeros((len(units), len(names)), dtype=np.int64)
    for row, present in enumerate(units.values()):
        incidence[row, sorted(present)] = 1
    return CoOccurrence(
        codes=names,
        counts=incidence.T @ incidence,
        within=within,
        units=len(units),
        skipped=skipped,
    )


@dataclass(frozen=True, slots=True)
class NetworkNode:
    """A code placed at ``(x, y)``; ``weight`` is the number of units it occurs in."""

    code: str
    x: float
    y: float
    weight: int


@dataclass(frozen=True, slots=True)
class NetworkEdge:
    """Two codes that co-occur in ``weight`` units."""

    source: str
    target: str
    weight: int


@dataclass(frozen=True, slots=True)
class NetworkLayout:
    """Nodes on a circle and the edges between them, ready to draw."""

    nodes: tuple[NetworkNode, ...]
    edges: tuple[NetworkEdge, ...]


def circle_layout(co: CoOccurrence, *, radius: float = 1.0, min_weight: int = 1) -> NetworkLayout:
    """Place the codes evenly on a circle, the first at the top, going clockwise.

    Deterministic (the same matrix always draws the same picture), so a report can be compared
    from one run to the next. Edges join codes that co-occur in at least ``min_weight`` units,
    most frequent first.

    Examples
    --------
    >>> co = CoOccurrence(("A", "B", "C", "D"), np.array([[2, 1, 0, 0], [1, 1, 0, 0],
    ...                   [0, 0, 1, 0], [0, 0, 0, 1]]), "document", 3, 0)
    >>> [(n.code, n.x, n.y) for n in circle_layout(co).nodes]
    [('A', 0.0, 1.0), ('B', 1.0, 0.0), ('C', 0.0, -1.0), ('D', -1.0, 0.0)]
    """
    if radius <= 0:
        raise InvalidInputError(f"radius must be positive, not {radius}")
    n = len(co.codes)
    nodes = []
    for k, code in enumerate(co.codes):
        angle = math.pi / 2 - 2 * math.pi * k / n
        # Rounding removes float noise such as cos(pi/2) = 6e-17; adding 0.0 turns -0.0 into 0.0.
        x = round(radius * math.cos(angle), 12) + 0.0
        y = round(radius * math.sin(angle), 12) + 0.0
        nodes.append(NetworkNode(code, x, y, int(co.counts[k, k])))
    edges = tuple(
        NetworkEdge(source, target, weight)
        for source, target, weight in co.pairs()
        if weight >= min_weight
    )
    return NetworkLayout(nodes=tuple(nodes), edges=edges)
