"""Code saturation: when new interviews stop bringing new codes.

:func:`saturation_curve` puts the interviews in order (``DocumentRecord.order``: interview date or
import order, ties by name) and records, for each, the codes that first appear in it and the
cumulative number of distinct codes: the curve Guest, Bunce and Johnson (2006) drew.

:func:`code_saturation` adds the assessment of Guest, Namey and Chen (2020), with three
parameters: the **base size** (the first ``b`` interviews), the **run length** (``r``
interviews looked at together) and the **new-information threshold** ``t``:

.. math:: \\text{new information in a run} =
          \\frac{\\text{codes appearing for the first time in the run}}
               {\\text{distinct codes in the base}}

Saturation is reached at the first run whose ratio is ``<= t``. Their suggested defaults are
``b = 4``, ``r = 2``, ``t = 5%`` (``r = 3`` or ``t = 0%`` for a more demanding test; ``b = 6`` for
a broader base).

Which variant this implements: the base is **fixed** (always the first ``b`` interviews, so the
denominator never changes) and runs **roll forward one interview at a time** after it: interviews
``b+1 .. b+r``, then ``b+2 .. b+r+1``, and so on. A code counts as new in a run when no earlier
interview (in the base or after it) holds it. Saturation is reported *after* the interview that
precedes the first qualifying run (interviews needed: ``saturation_point``), with the run's
interviews as the evidence that confirmed it. Variants in which the base grows with the data are
not implemented.

This is a heuristic about *these codes in this coding*: it says new codes became rare, not that
nothing new could be learned, and it depends on the interview order and on how finely the team
codes. The :attr:`SaturationResult.verdict` says so in words.

References
----------
Guest, G., Bunce, A. and Johnson, L. (2006). How many interviews are enough? An experiment with
data saturation and variability. *Field Methods*, 18(1), 59-82. doi:10.1177/1525822X05279903

Guest, G., Namey, E. and Chen, M. (2020). A simple method to assess and report thematic
saturation in qualitative research. *PLoS ONE*, 15(5), e0232076.
doi:10.1371/journal.pone.0232076
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from thematica.analysis.records import (
    DocumentRecord,
    Level,
    SegmentRecord,
    check_level,
    column_of,
    select_coders,
)
from thematica.errors import InvalidInputError, UndefinedStatisticWarning

__all__ = [
    "InterviewStep",
    "SaturationResult",
    "SaturationRun",
    "code_saturation",
    "saturation_curve",
]

_HEURISTIC = (
    "This is a heuristic about the codes in this coding, not proof that further interviews "
    "would add nothing; it depends on the interview order and on how finely the data were coded."
)


@dataclass(frozen=True, slots=True)
class InterviewStep:
    """One interview in order: the codes first seen in it, and the running total."""

    position: int
    document: str
    participant: str | None
    codes: int
    new_codes: tuple[str, ...]
    cumulative: int

    @property
    def new(self) -> int:
        """How many codes first appear in this interview."""
        return len(self.new_codes)


@dataclass(frozen=True, slots=True)
class SaturationRun:
    """Interviews ``first`` to ``last`` (positions, 1-based) and the new information in them."""

    first: int
    last: int
    new_codes: tuple[str, ...]
    ratio: float
    meets_threshold: bool


@dataclass(frozen=True, slots=True)
class SaturationResult:
    """The curve and the Guest, Namey and Chen (2020) assessment; see :func:`code_saturation`.

    ``saturation_point`` is the number of interviews after which saturation was reached (the
    interview before the first qualifying run), ``confirmed_by`` that run; both are ``None``
    when it was not reached. ``first_appearance`` maps each code to the position of the
    interview it first appears in.
    """

    steps: tuple[InterviewStep, ...]
    first_appearance: Mapping[str, int]
    base_size: int
    run_length: int
    threshold: float
    base_codes: int
    runs: tuple[SaturationRun, ...]
    reached: bool
    saturation_point: int | None
    confirmed_by: SaturationRun | None
    verdict: str

    @property
    def new_per_interview(self) -> tuple[int, ...]:
        """New codes in each interview, in order."""
        return tuple(step.new for step in self.steps)

    @property
    def cumulative(self) -> tuple[int, ...]:
        """Distinct codes found up to and including each interview."""
        return tuple(step.cumulative for step in self.steps)

    def share_within(self, interviews: int) -> float:
        """The share of all codes found within the first ``interviews`` interviews, the figure
        Guest, Bunce and Johnson (2006) report (e.g. within 6 and 12); NaN when no codes."""
        total = len(self.first_appearance)
        if total == 0:
            return math.nan
        found = sum(1 for position in self.first_appearance.values() if position <= interviews)
        return found / total


def _ordered(documents: Sequence[DocumentRecord]) -> list[DocumentRecord]:
    names = [document.name for document in documents]
    if len(set(names)) != len(names):
        raise InvalidInputError("two documents share a name; each interview needs its own")
    return sorted(documents, key=lambda document: (document.order, document.name))


def saturation_curve(
    segments: Iterable[SegmentRecord],
    documents: Sequence[DocumentRecord],
    *,
    level: Level = "code",
    coders: str | Iterable[str] | None = None,
) -> tuple[InterviewStep, ...]:
    """The interviews in order, with the codes first appearing in each and the cumulative count.

    Interviews with no codings are kept (they add no new codes). The cumulative count never
    decreases and ends at the number of distinct codes used.

    Examples
    --------
    >>> from thematica.analysis.records import DocumentRecord, SegmentRecord
    >>> docs = [DocumentRecord("I2", "P2", 2, 99), DocumentRecord("I1", "P1", 1, 99)]
    >>> coded = [SegmentRecord("I1", "P1", "A", "A", "R", 0, 5, "x"),
    ...          SegmentRecord("I2", "P2", "A", "A", "R", 0, 5, "x"),
    ...          SegmentRecord("I2", "P2", "B", "B", "R", 5, 9, "x")]
    >>> [(s.document, s.new_codes, s.cumulative) for s in saturation_curve(coded, docs)]
    [('I1', ('A',), 1), ('I2', ('B',), 2)]
    """
    check_level(level)
    ordered = _ordered(documents)
    known = {document.name for document in ordered}
    codes_in: dict[str, set[str]] = {name: set() for name in known}
    for segment in select_coders(segments, coders):
        if segment.document not in known:
            raise InvalidInputError(
                "a coding is on a document that is not among the interviews given",
                element=segment.document,
            )
        codes_in[segment.document].add(column_of(segment, level))
    seen: set[str] = set()
    steps: list[InterviewStep] = []
    for position, document in enumerate(ordered, start=1):
        here = codes_in[document.name]
        new = tuple(sorted(here - seen))
        seen |= here
        steps.append(
            InterviewStep(position, document.name, document.participant, len(here), new, len(seen))
        )
    return tuple(steps)


def _span(first: int, last: int) -> str:
    return f"interview {first}" if first == last else f"interviews {first}-{last}"


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def code_saturation(
    segments: Iterable[SegmentRecord],
    documents: Sequence[DocumentRecord],
    *,
    base_size: int = 4,
    run_length: int = 2,
    threshold: float = 0.05,
    level: Level = "code",
    coders: str | Iterable[str] | None = None,
    ordered_by: str = "",
) -> SaturationResult:
    """Assess code saturation by the method of Guest, Namey and Chen (2020).

    Parameters
    ----------
    segments : iterable of SegmentRecord
        The codings.
    documents : sequence of DocumentRecord
        Every interview, with its ``order``.
    base_size : int, default 4
        Interviews in the base (the denominator's interviews).
    run_length : int, default 2
        Interviews in each run.
    threshold : float, default 0.05
        The new-information threshold, a fraction in [0, 1): saturation when a run's new codes
        are at most this share of the base's codes.
    level : {"code", "theme"}, default "code"
        Count full code paths, or top-level themes.
    coders : str or iterable of str, optional
        Count only these coders' codings (codes "appear" when any of them first uses one).
    ordered_by : str, optional
        Which interviews were given and in what order (e.g. "the 10 coded interviews in order
        of interview date"), said in the verdict, since the result depends on it.

    Returns
    -------
    SaturationResult
        With ``verdict``, a sentence for the report that names the parameters, the result and
        that it is a heuristic.

    Warns
    -----
    UndefinedStatisticWarning
        When the base holds no codes: every run's ratio is then NaN and saturation cannot be
        assessed.

    References
    ----------
    Guest, G., Namey, E. and Chen, M. (2020). A simple method to assess and report thematic
    saturation in qualitative research. *PLoS ONE*, 15(5), e0232076.

    Examples
    --------
    >>> from thematica.analysis.records import DocumentRecord, SegmentRecord
    >>> found = ["ABCDEFGHIJ", "KLMNOPQRST", "", "", "U", ""]   # codes in interviews 1-6
    >>> docs = [DocumentRecord(f"I{i}", None, i, 99) for i in range(1, 7)]
    >>> coded = [SegmentRecord(f"I{i}", None, c, c, "R", 0, 1, "x")
    ...          for i, codes in enumerate(found, start=1) for c in codes]
    >>> result = code_saturation(coded, docs)
    >>> result.base_codes, [run.ratio for run in result.runs], result.saturation_point
    (20, [0.05], 4)
    """
    if base_size < 1 or run_length < 1:
        raise InvalidInputError("base size and run length must each be at least 1 interview")
    if not 0 <= threshold < 1:
        raise InvalidInputError(f"the new-information threshold must be in [0, 1), not {threshold}")
    steps = saturation_curve(segments, documents, level=level, coders=coders)
    first_appearance = {code: step.position for step in steps for code in step.new_codes}
    base_codes = steps[base_size - 1].cumulative if len(steps) >= base_size else 0
    settings = (
        f"Guest, Namey and Chen (2020) saturation, base {base_size}, run {run_length}, "
        f"threshold {threshold * 100:g}%{f', over {ordered_by}' if ordered_by else ''}"
    )

    def result(runs: Sequence[SaturationRun], verdict: str) -> SaturationResult:
        confirmed = next((run for run in runs if run.meets_threshold), None)
        return SaturationResult(
            steps=steps,
            first_appearance=MappingProxyType(first_appearance),
            base_size=base_size,
            run_length=run_length,
            threshold=threshold,
            base_codes=base_codes,
            runs=tuple(runs),
            reached=confirmed is not None,
            saturation_point=None if confirmed is None else confirmed.first - 1,
            confirmed_by=confirmed,
            verdict=f"{verdict} {_HEURISTIC}",
        )

    if len(steps) < base_size + run_length:
        return result(
            (),
            f"{settings}: cannot be assessed: it needs at least {base_size + run_length} "
            f"interviews (base and one run) and {len(steps)} were given.",
        )
    if base_codes == 0:
        warnings.warn(
            f"new information is undefined: the base ({_span(1, base_size)}) holds no codes; "
            "returning NaN",
            UndefinedStatisticWarning,
            stacklevel=2,
        )
    runs: list[SaturationRun] = []
    for first in range(base_size + 1, len(steps) - run_length + 2):
        last = first + run_length - 1
        new = tuple(sorted(c for step in steps[first - 1 : last] for c in step.new_codes))
        ratio = len(new) / base_codes if base_codes else math.nan
        # A little tolerance, so that float rounding cannot stop 1 new code in 20 meeting 5%.
        meets = base_codes > 0 and len(new) <= threshold * base_codes + 1e-9
        runs.append(SaturationRun(first, last, new, ratio, meets))

    if base_codes == 0:
        return result(
            runs,
            f"{settings}: cannot be assessed: the base ({_span(1, base_size)}) holds no codes.",
        )
    confirmed = next((run for run in runs if run.meets_threshold), None)
    if confirmed is not None:
        verdict = (
            f"{settings}: reached after interview {confirmed.first - 1} of {len(steps)}. "
            f"{_span(confirmed.first, confirmed.last).capitalize()} added "
            f"{len(confirmed.new_codes)} new code(s), {_percent(confirmed.ratio)} of the "
            f"{base_codes} codes in the base ({_span(1, base_size)})."
        )
    else:
        last_run = runs[-1]
        verdict = (
            f"{settings}: not reached in {len(steps)} interviews: every run of {run_length} "
            f"after the base added more than {threshold * 100:g}% new codes (the last, "
            f"{_span(last_run.first, last_run.last)}, added {len(last_run.new_codes)}, "
            f"{_percent(last_run.ratio)} of the {base_codes} codes in the base)."
        )
    return result(runs, verdict)
