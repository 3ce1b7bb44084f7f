"""The participant characteristics table (a paper's "Table 1"): counts and percentages per block.

Each participant attribute makes a block; each value a row with its count and its percentage of
N, the number of participants. Attributes are multi-valued, so a block need not sum to N: a
participant with two contracts counts under both, and one with no value recorded under none. The
table never hides this: a block whose counts do not partition the participants carries a ``note``
that says why, e.g. *"sums to 36 for N = 35: 1 participant holds more than one value"*, which is
exactly the case of the contract-type block published by Foye et al. (2025).

Percentages are of N (not of the block's total), rounded half up to ``decimals`` places, so they
are comparable across blocks and add up to more than 100% in a multi-valued block.

An attribute whose every recorded value is a number (age in years, months in post) is
summarised, not listed: median with interquartile range, and range (:class:`NumericSummary`);
except when every value is a whole number from 0 to 10, which is a band or a scale point (pay
band 5, a rating of 4) and is listed like any category.
Participants with no value are counted in every block as ``not_reported``, which the report
prints as a "Not reported" row. Each block has a display ``label`` (the attribute's name with
``_`` as spaces unless a study sets another).

References
----------
Foye, U. et al. (2025). Understanding the barriers and facilitators to delivering peer support
effectively in England: a qualitative interview study. *BMC Psychiatry*, 25, 480, Table 1.
"""

from __future__ import annotations

import math
import statistics
import warnings
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from thematica.analysis.records import ParticipantRecord
from thematica.errors import InvalidInputError, NotFoundError, UndefinedStatisticWarning

__all__ = [
    "NOT_REPORTED",
    "AttributeBlock",
    "CategoryCount",
    "NumericSummary",
    "ParticipantsTable",
    "participants_table",
]

#: The row a report prints for participants with no value of an attribute.
NOT_REPORTED = "Not reported"


@dataclass(frozen=True, slots=True)
class CategoryCount:
    """One value of an attribute: how many participants hold it, and what percentage of N."""

    category: str
    count: int
    percent: float


@dataclass(frozen=True, slots=True)
class NumericSummary:
    """A numeric attribute over the participants who reported it: median, quartiles (the
    inclusive method, numpy's default), minimum and maximum, and how many reported it."""

    n: int
    median: float
    q1: float
    q3: float
    minimum: float
    maximum: float

    def describe(self) -> tuple[str, str]:
        """The two rows a table prints: ``("Median (IQR)", "34 (29-41)")`` and
        ``("Range", "22-60")``, numbers shown without a trailing ``.0``."""
        return (
            f"{_number(self.median)} ({_number(self.q1)}–{_number(self.q3)})",
            f"{_number(self.minimum)}–{_number(self.maximum)}",
        )


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.0f}"


@dataclass(frozen=True, slots=True)
class AttributeBlock:
    """One attribute's rows.

    ``total`` is the sum of the counts; ``missing`` the participants with no value;
    ``multi_valued`` those with more than one. ``note`` is ``None`` when the block partitions
    the participants (every one holds exactly one value), and otherwise says what happened.
    ``summary`` is set (and ``categories`` empty) for a numeric attribute; ``label`` is what a
    report calls the attribute.
    """

    attribute: str
    n: int
    categories: tuple[CategoryCount, ...]
    total: int
    missing: int
    multi_valued: int
    note: str | None
    label: str = ""
    summary: NumericSummary | None = None
    not_reported_percent: float = math.nan

    @property
    def name(self) -> str:
        """The label a report prints: the study's, else the attribute with spaces for ``_``."""
        return self.label or self.attribute.replace("_", " ")

    @property
    def not_reported(self) -> CategoryCount | None:
        """The "Not reported" row: participants with no value (``None`` when every one has)."""
        if not self.missing:
            return None
        return CategoryCount(NOT_REPORTED, self.missing, self.not_reported_percent)

    @property
    def sums_to_n(self) -> bool:
        """Whether the counts add up to N."""
        return self.total == self.n

    @property
    def flagged(self) -> bool:
        """Whether the block is not a clean partition of the participants (see ``note``)."""
        return self.note is not None

    def count(self, category: str) -> int:
        """The count of one category (0 when nobody holds it)."""
        return next((c.count for c in self.categories if c.category == category), 0)


@dataclass(frozen=True, slots=True)
class ParticipantsTable:
    """Table 1: ``n`` participants and one block per attribute; ``population`` says who the N
    are (e.g. "participants with a transcript")."""

    n: int
    blocks: tuple[AttributeBlock, ...]
    population: str = "participants"

    def block(self, attribute: str) -> AttributeBlock:
        """The block of one attribute."""
        for block in self.blocks:
            if block.attribute == attribute:
                return block
        raise NotFoundError(f"the participants table has no attribute {attribute!r}")

    @property
    def flagged(self) -> tuple[AttributeBlock, ...]:
        """The blocks that do not partition the participants."""
        return tuple(block for block in self.blocks if block.flagged)


def _percent(count: int, n: int, decimals: int) -> float:
    if n == 0:
        return math.nan
    exact = Decimal(count * 100) / Decimal(n)
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _note(n: int, total: int, missing: int, multi_valued: int) -> str | None:
    if missing == 0 and multi_valued == 0:
        return None
    reasons = []
    if multi_valued:
        reasons.append(
            _plural(multi_valued, "participant holds", "participants hold") + " more than one value"
        )
    if missing:
        reasons.append(
            _plural(missing, "participant has", "participants have") + " no value recorded"
        )
    head = f"sums to {total} for N = {n}" if total != n else f"sums to N = {n} only by offsetting"
    return f"{head}: {'; '.join(reasons)}"


def participants_table(
    participants: Sequence[ParticipantRecord],
    *,
    attributes: Sequence[str] | None = None,
    categories: Mapping[str, Sequence[str]] | None = None,
    decimals: int = 1,
    labels: Mapping[str, str] | None = None,
    population: str = "participants",
) -> ParticipantsTable:
    """Count participants per value of each attribute, as in a paper's Table 1.

    Parameters
    ----------
    participants : sequence of ParticipantRecord
        The N participants.
    attributes : sequence of str, optional
        The blocks, in this order (an attribute nobody holds gives a block of missing values).
        Default: every attribute any participant holds, sorted by name.
    categories : mapping of str to sequence of str, optional
        For some attributes, the order of their categories (age bands, say); categories listed
        but held by nobody show with 0, and values not listed follow. Default order: most
        frequent first, ties by name.
    decimals : int, default 1
        Decimal places of the percentages (rounded half up).
    labels : mapping of str to str, optional
        What the report calls some attributes ("Age (years)" for ``age``).
    population : str, default "participants"
        Who the N participants are, as the table's heading says it.

    Returns
    -------
    ParticipantsTable

    Warns
    -----
    UndefinedStatisticWarning
        With no participants (N = 0): the percentages are NaN.

    References
    ----------
    Foye, U. et al. (2025). *BMC Psychiatry*, 25, 480, Table 1.

    Examples
    --------
    >>> from thematica.analysis.records import ParticipantRecord
    >>> people = [ParticipantRecord("P1", attributes={"contract": ("Permanent", "Fixed term")}),
    ...           ParticipantRecord("P2", attributes={"contract": ("Permanent",)})]
    >>> block = participants_table(people).block("contract")
    >>> [(c.category, c.count, c.percent) for c in block.categories]
    [('Permanent', 2, 100.0), ('Fixed term', 1, 50.0)]
    >>> block.note
    'sums to 3 for N = 2: 1 participant holds more than one value'
    """
    if decimals < 0:
        raise InvalidInputError(f"decimals cannot be negative ({decimals})")
    seen = [participant.label for participant in participants]
    if len(set(seen)) != len(seen):
        raise InvalidInputError("two participants share a label; each is counted once")
    n = len(participants)
    if n == 0:
        warnings.warn(
            "percentages are undefined with no participants (N = 0); returning NaN",
            UndefinedStatisticWarning,
            stacklevel=2,
        )
    names = (
        list(dict.fromkeys(attributes))
        if attributes is not None
        else sorted({name for p in participants for name in p.attributes})
    )
    orders = categories or {}
    blocks: list[AttributeBlock] = []
    for name in names:
        counts: Counter[str] = Counter()
        missing = multi_valued = 0
        for participant in participants:
            values = participant.values(name)
            counts.update(values)
            missing += not values
            multi_valued += len(values) > 1
        summary = None if multi_valued else _numeric(counts)
        listed = list(dict.fromkeys(orders.get(name, ())))
        rest = sorted(set(counts) - set(listed), key=lambda value: (-counts[value], value))
        rows = tuple(
            CategoryCount(value, counts[value], _percent(counts[value], n, decimals))
            for value in [*listed, *rest]
        )
        total = sum(counts.values())
        blocks.append(
            AttributeBlock(
                attribute=name,
                n=n,
                categories=() if summary else rows,
                total=total,
                missing=missing,
                multi_valued=multi_valued,
                note=_note(n, total, missing, multi_valued),
                label=(labels or {}).get(name, ""),
                summary=summary,
                not_reported_percent=_percent(missing, n, decimals),
            )
        )
    return ParticipantsTable(n=n, blocks=tuple(blocks), population=population)


def _numeric(counts: Counter[str]) -> NumericSummary | None:
    """The summary of an attribute whose every value is a finite number; ``None`` otherwise,
    for bands and scale points (whole numbers 0 to 10 only) and for an attribute nobody holds."""
    values: list[float] = []
    for value, count in counts.items():
        try:
            number = float(value.strip().replace(",", ""))
        except ValueError:
            return None
        if not math.isfinite(number):
            return None
        values += [number] * count
    if not values or all(v.is_integer() and 0 <= v <= 10 for v in values):
        return None
    values.sort()
    q1, _, q3 = (
        statistics.quantiles(values, n=4, method="inclusive")
        if len(values) > 1
        else (values[0],) * 3
    )
    return NumericSummary(len(values), statistics.median(values), q1, q3, values[0], values[-1])
