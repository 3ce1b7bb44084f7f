"""The quote bank: candidate quotes for each code, ranked and ready to cite.

Candidates are the coded passages of a code (one per distinct span; several coders coding the
very same span make one candidate). Each gets a **score** in [0, 1]:

.. math:: \\text{score} = \\text{agreement} \\times \\text{length fit}

* **agreement**: the share of the coders who coded this document (anything in it) who coded an
  overlapping span with the same code. A passage two of two coders picked out scores 1; one of
  two, 0.5. With a single coder every passage scores 1, and length decides.
* **length fit**: 1 for ``min_words`` to ``max_words`` words (default 15-80, long enough to
  carry meaning, short enough to print). Outside the limits a candidate is excluded (the
  default), or with ``outside="penalise"`` kept with fit ``words / min_words`` when too short
  and ``max_words / words`` when too long.

Then, for each code, quotes are chosen **greedily for spread across participants**: at each step
the next quote is the best-scoring candidate among those whose participant has the fewest quotes
chosen so far for that code, so a second quote from the same person comes only once every
participant with a candidate has one. Candidates overlapping a quote already chosen (the same
passage as coded by another coder, slightly wider) are skipped. Remaining ties go to the earlier
passage (document name, then position). Each quote carries the participant's pseudonym and
attributes, ready to cite.

References
----------
Lingard, L. (2019). Beyond the default colon: effective use of quotes in qualitative research.
*Perspectives on Medical Education*, 8, 360-364.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from types import MappingProxyType
from typing import Literal, TypeAlias

from thematica.analysis.records import (
    Level,
    ParticipantRecord,
    SegmentRecord,
    check_level,
    column_of,
    select_coders,
)
from thematica.errors import InvalidInputError, NotFoundError

__all__ = ["Outside", "Quote", "QuoteBank", "quote_bank"]

Outside: TypeAlias = Literal["exclude", "penalise"]


@dataclass(frozen=True, slots=True)
class Quote:
    """A ranked candidate quote for ``code``.

    ``coders`` are the coders who coded an overlapping span with the same code (the agreement),
    out of ``document_coders`` who coded the document at all.
    """

    code: str
    rank: int
    score: float
    document: str
    start: int
    end: int
    text: str
    words: int
    participant: str | None
    pseudonym: str | None
    attributes: Mapping[str, tuple[str, ...]] = field(repr=False)
    coders: tuple[str, ...]
    document_coders: int
    within_limits: bool

    @property
    def agreement(self) -> float:
        """The share of the document's coders who coded this passage with this code."""
        return len(self.coders) / self.document_coders

    def attribution(self, attributes: Sequence[str] = ()) -> str:
        """Who said it, for citing: the pseudonym (else the label, else the document), then the
        values of the ``attributes`` named, e.g. ``"Robin, NHS, Peer worker"``.

        >>> q = Quote("Pay", 1, 1.0, "T1", 0, 4, "text", 1, "P1", "Robin",
        ...           {"setting": ("NHS",)}, ("R",), 1, True)
        >>> q.attribution(["setting"])
        'Robin, NHS'
        """
        who = self.pseudonym or self.participant or self.document
        values = [" / ".join(self.attributes.get(name, ())) for name in attributes]
        return ", ".join([who, *(value for value in values if value)])


@dataclass(frozen=True, slots=True)
class QuoteBank:
    """Quotes per code, best first; see :func:`quote_bank`. Every code in ``codes`` has an
    entry, empty when no candidate qualified."""

    codes: tuple[str, ...]
    quotes: Mapping[str, tuple[Quote, ...]]
    top_n: int
    min_words: int
    max_words: int
    outside: Outside

    def for_code(self, code: str) -> tuple[Quote, ...]:
        """The chosen quotes of one code."""
        try:
            return self.quotes[code]
        except KeyError:
            raise NotFoundError(f"the quote bank has no code {code!r}") from None


@dataclass(slots=True)
class _Candidate:
    document: str
    start: int
    end: int
    text: str
    participant: str | None
    coders: set[str]
    words: int = 0
    fit: float = 1.0
    score: float = 0.0


def _length_fit(words: int, min_words: int, max_words: int) -> float:
    if words < min_words:
        return words / min_words
    if words > max_words:
        return max_words / words
    return 1.0


def _candidates(segments: Sequence[SegmentRecord]) -> list[_Candidate]:
    """One candidate per distinct span of one code in one document, with its agreeing coders
    (every coder with a span of the code overlapping it)."""
    spans: dict[tuple[str, int, int], _Candidate] = {}
    ordered = sorted(segments, key=attrgetter("document", "start", "end", "coder"))
    for segment in ordered:
        key = (segment.document, segment.start, segment.end)
        if key not in spans:
            spans[key] = _Candidate(*key, segment.text, segment.participant, set())
    by_document: dict[str, list[SegmentRecord]] = defaultdict(list)
    for segment in ordered:
        by_document[segment.document].append(segment)
    starts = {name: [s.start for s in held] for name, held in by_document.items()}
    longest = {name: max(s.end - s.start for s in held) for name, held in by_document.items()}
    for candidate in spans.values():
        held, at = by_document[candidate.document], starts[candidate.document]
        # Only segments starting within the document's longest span before it can reach it.
        first = bisect.bisect_right(at, candidate.start - longest[candidate.document])
        last = bisect.bisect_left(at, candidate.end)
        candidate.coders = {s.coder for s in held[first:last] if candidate.start < s.end}
    return list(spans.values())


def _choose(candidates: list[_Candidate], top_n: int) -> list[_Candidate]:
    """Greedy selection for spread across participants, skipping overlapping passages."""
    chosen: list[_Candidate] = []
    per_person: Counter[str] = Counter()
    remaining = list(candidates)
    while remaining and len(chosen) < top_n:
        best = min(
            remaining,
            key=lambda c: (
                per_person[c.participant or c.document],
                -c.score,
                c.document,
                c.start,
                c.end,
            ),
        )
        chosen.append(best)
        per_person[best.participant or best.document] += 1
        remaining = [
            c
            for c in remaining
            if not (c.document == best.document and c.start < best.end and best.start < c.end)
        ]
    return chosen


def quote_bank(
    segments: Iterable[SegmentRecord],
    participants: Sequence[ParticipantRecord] = (),
    *,
    top_n: int = 3,
    min_words: int = 15,
    max_words: int = 80,
    outside: Outside = "exclude",
    level: Level = "code",
    codes: Sequence[str] | None = None,
    coders: str | Iterable[str] | None = None,
) -> QuoteBank:
    """Rank candidate quotes for each code and choose ``top_n``, spread across participants.

    Parameters
    ----------
    segments : iterable of SegmentRecord
        The codings (their ``text`` is the quote).
    participants : sequence of ParticipantRecord, optional
        For pseudonyms and attributes; a quote from a participant not given has neither.
    top_n : int, default 3
        Quotes to choose per code.
    min_words, max_words : int, default 15 and 80
        The length limits, in words (white-space separated).
    outside : {"exclude", "penalise"}, default "exclude"
        What happens to candidates outside the limits (see the module docstring).
    level : {"code", "theme"}, default "code"
        Quotes per full code path, or per theme.
    codes : sequence of str, optional
        The codes to choose quotes for, in this order. Default: every code used, sorted.
    coders : str or iterable of str, optional
        Use only these coders' codings (agreement is then among them).

    Returns
    -------
    QuoteBank

    References
    ----------
    Lingard, L. (2019). Beyond the default colon: effective use of quotes in qualitative
    research. *Perspectives on Medical Education*, 8, 360-364.

    Examples
    --------
    >>> from thematica.analysis.records import ParticipantRecord, SegmentRecord
    >>> text = "the pay is poor and the contract is renewed every six months"
    >>> coded = [SegmentRecord("T1", "P1", "Pay", "Pay", coder, 0, len(text), text)
    ...          for coder in ("Robin", "Sam")]
    >>> bank = quote_bank(coded, [ParticipantRecord("P1", "Alex")], min_words=5)
    >>> [(q.rank, q.score, q.coders, q.pseudonym) for q in bank.for_code("Pay")]
    [(1, 1.0, ('Robin', 'Sam'), 'Alex')]
    """
    check_level(level)
    if top_n < 1:
        raise InvalidInputError(f"top_n must be at least 1, not {top_n}")
    if not 1 <= min_words <= max_words:
        raise InvalidInputError(
            f"word limits must satisfy 1 <= min_words <= max_words (got {min_words}, {max_words})"
        )
    if outside not in ("exclude", "penalise"):
        raise InvalidInputError(f"outside must be 'exclude' or 'penalise', not {outside!r}")
    people = {participant.label: participant for participant in participants}
    chosen_segments = select_coders(segments, coders)
    document_coders: dict[str, set[str]] = defaultdict(set)
    by_column: dict[str, list[SegmentRecord]] = defaultdict(list)
    for segment in chosen_segments:
        document_coders[segment.document].add(segment.coder)
        by_column[column_of(segment, level)].append(segment)
    names = tuple(dict.fromkeys(codes)) if codes is not None else tuple(sorted(by_column))

    quotes: dict[str, tuple[Quote, ...]] = {}
    for name in names:
        candidates = []
        for candidate in _candidates(by_column.get(name, [])):
            candidate.words = len(candidate.text.split())
            candidate.fit = _length_fit(candidate.words, min_words, max_words)
            if candidate.fit < 1 and outside == "exclude":
                continue
            agreement = len(candidate.coders) / len(document_coders[candidate.document])
            candidate.score = agreement * candidate.fit
            candidates.append(candidate)
        ranked = []
        for rank, candidate in enumerate(_choose(candidates, top_n), start=1):
            person = people.get(candidate.participant or "")
            ranked.append(
                Quote(
                    code=name,
                    rank=rank,
                    score=candidate.score,
                    document=candidate.document,
                    start=candidate.start,
                    end=candidate.end,
                    text=candidate.text,
                    words=candidate.words,
                    participant=candidate.participant,
                    pseudonym=(person.pseudonym or None) if person else None,
                    attributes=person.attributes if person else MappingProxyType({}),
                    coders=tuple(sorted(candidate.coders)),
                    document_coders=len(document_coders[candidate.document]),
                    within_limits=candidate.fit == 1,
                )
            )
        quotes[name] = tuple(ranked)
    return QuoteBank(
        codes=names,
        quotes=MappingProxyType(quotes),
        top_n=top_n,
        min_words=min_words,
        max_words=max_words,
        outside=outside,
    )
