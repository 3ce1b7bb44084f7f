"""Barriers and facilitators: how many participants raised each theme and code, and how.

A coding may carry a valence: the passage reads as a ``barrier``, a ``facilitator`` or
``mixed``. A theme can be both (supervision present is a facilitator, supervision missing a
barrier), so the table counts, for each theme and each sub-code, the **distinct participants**
who raised it as a barrier, as a facilitator and as mixed, beside the number of codings of each.

Counting rules, stated once:

* A participant counts once per valence per row however many codings they have there, and may
  count under several valences (barrier *and* facilitator): the valence columns of a row can sum
  to more than its ``participants``.
* A theme's row gathers the codings of the theme itself and of all its sub-codes; each sub-code
  (every code path other than the theme's own) has its own row beneath it.
* Codings with no valence are counted as ``unspecified``.
* Codings whose document has no participant count in the codings columns but cannot count as a
  participant.
* Split by an attribute, a participant holding two values counts in both groups; one holding
  none counts under ``"(not recorded)"``. Each group's size is given so counts can be read as
  "12 of 21".

References
----------
Foye, U. et al. (2025). Understanding the barriers and facilitators to delivering peer support
effectively in England: a qualitative interview study. *BMC Psychiatry*, 25, 480 (five themes,
each a barrier when absent and a facilitator when present).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from thematica.analysis.records import (
    ParticipantRecord,
    SegmentRecord,
    attribute_groups,
    coder_selection,
    select_coders,
)
from thematica.domain.codings import Valence
from thematica.errors import InvalidInputError, NotFoundError

__all__ = ["UNSPECIFIED", "ValenceRow", "ValenceTable", "valence_table"]

#: The key used for codings that carry no valence.
UNSPECIFIED = "unspecified"
_KINDS: tuple[str, ...] = (
    Valence.BARRIER.value,
    Valence.FACILITATOR.value,
    Valence.MIXED.value,
    UNSPECIFIED,
)


@dataclass(frozen=True, slots=True)
class ValenceRow:
    """One theme (``code is None``) or sub-code, for all participants or one group.

    ``barrier``, ``facilitator``, ``mixed`` and ``unspecified`` are numbers of distinct
    participants; ``*_codings`` the numbers of codings; ``participants`` the distinct
    participants who raised it at all.
    """

    theme: str
    code: str | None
    group: str | None
    participants: int
    barrier: int
    facilitator: int
    mixed: int
    unspecified: int
    barrier_codings: int
    facilitator_codings: int
    mixed_codings: int
    unspecified_codings: int

    @property
    def label(self) -> str:
        """The code path, or the theme's name on a theme row."""
        return self.theme if self.code is None else self.code

    @property
    def codings(self) -> int:
        """All codings in this row, whatever their valence."""
        return (
            self.barrier_codings
            + self.facilitator_codings
            + self.mixed_codings
            + self.unspecified_codings
        )


@dataclass(frozen=True, slots=True)
class ValenceTable:
    """Barrier/facilitator counts; see :func:`valence_table`.

    ``rows`` lists, for all participants (``group is None``) and then for each group in
    ``groups``, each theme followed by its sub-codes, sorted by name; every group has the same
    rows (zeros where nobody in it raised the code). ``group_sizes`` gives the
    number of participants in each group, with key ``None`` for all participants.
    """

    rows: tuple[ValenceRow, ...]
    attribute: str | None
    groups: tuple[str, ...]
    group_sizes: Mapping[str | None, int]
    coders: tuple[str, ...] | None

    def row(self, label: str, *, group: str | None = None) -> ValenceRow:
        """The row for a theme or code path, for all participants or one ``group``."""
        for candidate in self.rows:
            if candidate.label == label and candidate.group == group:
                return candidate
        where = "" if group is None else f" in group {group!r}"
        raise NotFoundError(f"no barrier/facilitator row for {label!r}{where}")

    def themes(self, *, group: str | None = None) -> tuple[ValenceRow, ...]:
        """The theme rows only, for all participants or one ``group``."""
        return tuple(r for r in self.rows if r.code is None and r.group == group)


class _Tally:
    """Participants and codings per valence for one row."""

    __slots__ = ("codings", "people", "raised")

    def __init__(self) -> None:
        self.people: dict[str, set[str]] = {kind: set() for kind in _KINDS}
        self.codings: dict[str, int] = dict.fromkeys(_KINDS, 0)
        self.raised: set[str] = set()

    def add(self, segment: SegmentRecord) -> None:
        kind = UNSPECIFIED if segment.valence is None else str(segment.valence)
        self.codings[kind] += 1
        if segment.participant is not None:
            self.people[kind].add(segment.participant)
            self.raised.add(segment.participant)

    def row(self, theme: str, code: str | None, group: str | None) -> ValenceRow:
        people = {kind: len(labels) for kind, labels in self.people.items()}
        return ValenceRow(
            theme=theme,
            code=code,
            group=group,
            participants=len(self.raised),
            barrier=people[Valence.BARRIER.value],
            facilitator=people[Valence.FACILITATOR.value],
            mixed=people[Valence.MIXED.value],
            unspecified=people[UNSPECIFIED],
            barrier_codings=self.codings[Valence.BARRIER.value],
            facilitator_codings=self.codings[Valence.FACILITATOR.value],
            mixed_codings=self.codings[Valence.MIXED.value],
            unspecified_codings=self.codings[UNSPECIFIED],
        )


def _layout(segments: Sequence[SegmentRecord]) -> list[tuple[str, str | None]]:
    """The rows' keys: each theme, sorted, followed by its sub-codes, sorted."""
    themes = sorted({segment.theme for segment in segments})
    codes = {(s.theme, s.code) for s in segments if s.code != s.theme}
    keys: list[tuple[str, str | None]] = []
    for theme in themes:
        keys.append((theme, None))
        keys.extend(sorted(key for key in codes if key[0] == theme))
    return keys


def _rows(
    segments: Sequence[SegmentRecord],
    layout: Sequence[tuple[str, str | None]],
    group: str | None,
) -> list[ValenceRow]:
    tallies: dict[tuple[str, str | None], _Tally] = defaultdict(_Tally)
    for segment in segments:
        tallies[(segment.theme, None)].add(segment)
        if segment.code != segment.theme:
            tallies[(segment.theme, segment.code)].add(segment)
    return [tallies[key].row(key[0], key[1], group) for key in layout]


def valence_table(
    segments: Iterable[SegmentRecord],
    participants: Sequence[ParticipantRecord] = (),
    *,
    by: str | None = None,
    group_order: Sequence[str] | None = None,
    coders: str | Iterable[str] | None = None,
) -> ValenceTable:
    """Count participants raising each theme and sub-code as a barrier, facilitator or mixed.

    Parameters
    ----------
    segments : iterable of SegmentRecord
        The codings, with their valence.
    participants : sequence of ParticipantRecord, optional
        Needed when splitting ``by`` an attribute, and to give group sizes; without it the size
        of "all participants" is the number of participants seen in the codings.
    by : str, optional
        A participant attribute to split by (e.g. ``"setting"``: NHS vs VCFSE). Multi-valued: a
        participant counts in each group they belong to.
    group_order : sequence of str, optional
        The order of the groups (others follow, sorted).
    coders : str or iterable of str, optional
        Count only these coders' codings. Default: everyone's (a participant counts once
        however many coders coded them).

    Returns
    -------
    ValenceTable

    Raises
    ------
    InvalidInputError
        ``by`` is given without ``participants``, or a coding names a participant who is not
        among them.

    References
    ----------
    Foye, U. et al. (2025). *BMC Psychiatry*, 25, 480.

    Examples
    --------
    >>> from thematica.analysis.records import SegmentRecord
    >>> sup, train = "Support > Supervision", "Support > Training"
    >>> coded = [
    ...     SegmentRecord("T1", "P1", sup, "Support", "R", 0, 9, "x", "barrier"),
    ...     SegmentRecord("T2", "P2", sup, "Support", "R", 0, 9, "x", "facilitator"),
    ...     SegmentRecord("T1", "P1", train, "Support", "R", 9, 19, "y", "barrier"),
    ... ]
    >>> row = valence_table(coded).row("Support")
    >>> row.participants, row.barrier, row.facilitator, row.barrier_codings
    (2, 1, 1, 2)
    """
    if by is not None and not participants:
        raise InvalidInputError(f"splitting by {by!r} needs the participants and their attributes")
    chosen = select_coders(segments, coders)
    known = {participant.label for participant in participants}
    allowed = known | {None}  # a coding on a document with no participant names nobody
    stranger = next((s for s in chosen if known and s.participant not in allowed), None)
    if stranger is not None:
        raise InvalidInputError(
            f"a coding names participant {stranger.participant!r}, who is not among the "
            "participants given (group sizes would not hold)",
            element=stranger.document,
        )
    layout = _layout(chosen)
    rows = _rows(chosen, layout, None)
    sizes: dict[str | None, int] = {}
    if participants:
        sizes[None] = len(known)
    else:
        sizes[None] = len({s.participant for s in chosen if s.participant is not None})

    groups: tuple[str, ...] = ()
    if by is not None:
        grouped = attribute_groups(participants, by, order=group_order)
        groups = tuple(grouped)
        for value, labels in grouped.items():
            members = set(labels)
            rows.extend(_rows([s for s in chosen if s.participant in members], layout, value))
            sizes[value] = len(members)

    return ValenceTable(
        rows=tuple(rows),
        attribute=by,
        groups=groups,
        group_sizes=MappingProxyType(sizes),
        coders=coder_selection(coders),
    )
