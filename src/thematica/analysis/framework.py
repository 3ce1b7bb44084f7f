"""The Framework Method matrix: participants (rows) by codes or themes (columns).

In the Framework Method the team indexes the transcripts with a working framework (the codes),
then *charts* the data: for each case and each code a researcher writes a summary of what the
case said, linked to the passages it rests on, and interprets the matrix across rows and columns.

:func:`framework_matrix` builds the matrix from coded segments. Each cell holds the number of
codings, the linked passages (document, span, text, coder) and room for the summary; summaries are
written by researchers and kept in storage, so the caller passes them in as a mapping
``(participant, column) -> text``.

Rows can be grouped by a participant attribute (e.g. setting: NHS or VCFSE). Attributes are
multi-valued, so **a participant holding two values appears in both groups**; a participant with
no value appears under :data:`~thematica.analysis.records.NOT_RECORDED`.

References
----------
Gale, N. K., Heath, G., Cameron, E., Rashid, S. and Redwood, S. (2013). Using the framework method
for the analysis of qualitative data in multi-disciplinary health research. *BMC Medical Research
Methodology*, 13, 117. doi:10.1186/1471-2288-13-117
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from thematica.analysis.records import (
    Level,
    ParticipantRecord,
    SegmentRecord,
    attribute_groups,
    check_level,
    coder_selection,
    column_of,
    select_coders,
)
from thematica.errors import InvalidInputError

__all__ = ["FrameworkCell", "FrameworkGroup", "FrameworkMatrix", "Passage", "framework_matrix"]


@dataclass(frozen=True, slots=True)
class Passage:
    """A coded passage linked from a cell: where it is, what it says, and who coded it."""

    document: str
    start: int
    end: int
    text: str
    coder: str


@dataclass(frozen=True, slots=True)
class FrameworkCell:
    """One participant × one column: the codings, their passages, and the charted summary.

    ``codings`` counts codings, not distinct passages: two coders coding the same passage count
    twice (restrict ``coders`` in :func:`framework_matrix` to chart one coder's or a consensus
    layer's work). ``summary`` is ``None`` until a researcher writes one.
    """

    participant: str
    column: str
    codings: int
    passages: tuple[Passage, ...]
    summary: str | None = None

    @property
    def is_empty(self) -> bool:
        """No codings and no summary: nothing charted yet."""
        return self.codings == 0 and self.summary is None


@dataclass(frozen=True, slots=True)
class FrameworkGroup:
    """Rows sharing one value of the attribute the matrix is grouped by."""

    value: str
    participants: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FrameworkMatrix:
    """A Framework Method matrix; see :func:`framework_matrix`.

    ``cells`` holds every ``(participant, column)`` pair, empty cells included, so a renderer
    can walk ``participants`` × ``columns`` without checking. ``groups`` is empty unless the
    matrix was grouped (``group_by``). ``coders`` is the coder restriction, ``None`` for all.
    ``unassigned`` counts codings left out because their document has no participant.
    """

    level: Level
    participants: tuple[str, ...]
    columns: tuple[str, ...]
    cells: Mapping[tuple[str, str], FrameworkCell]
    group_by: str | None
    groups: tuple[FrameworkGroup, ...]
    coders: tuple[str, ...] | None
    unassigned: int

    def cell(self, participant: str, column: str) -> FrameworkCell:
        """The cell at ``participant`` × ``column``."""
        try:
            return self.cells[(participant, column)]
        except KeyError:
            raise InvalidInputError(
                f"the matrix has no cell for participant {participant!r} and {column!r}"
            ) from None

    def row(self, participant: str) -> tuple[FrameworkCell, ...]:
        """The cells of one participant, in column order."""
        return tuple(self.cell(participant, column) for column in self.columns)

    def column(self, column: str) -> tuple[FrameworkCell, ...]:
        """The cells of one column, in row order (one Framework Method chart per theme)."""
        return tuple(self.cell(participant, column) for participant in self.participants)

    def counts(self) -> NDArray[np.int64]:
        """Codings per cell as a participants × columns integer array."""
        table = np.zeros((len(self.participants), len(self.columns)), dtype=np.int64)
        for i, participant in enumerate(self.participants):
            for j, column in enumerate(self.columns):
                table[i, j] = self.cells[(participant, column)].codings
        return table


def framework_matrix(
    segments: Iterable[SegmentRecord],
    participants: Sequence[ParticipantRecord],
    *,
    level: Level = "code",
    columns: Sequence[str] | None = None,
    group_by: str | None = None,
    group_order: Sequence[str] | None = None,
    coders: str | Iterable[str] | None = None,
    summaries: Mapping[tuple[str, str], str] | None = None,
) -> FrameworkMatrix:
    """Chart coded segments into a participants × codes (or themes) matrix.

    Parameters
    ----------
    segments : iterable of SegmentRecord
        The codings to chart.
    participants : sequence of ParticipantRecord
        The rows, in this order. A participant with no codings (or no documents) still gets a
        row of empty cells.
    level : {"code", "theme"}, default "code"
        Columns are full code paths, or top-level themes (a theme's cell gathers the codings of
        all its sub-codes).
    columns : sequence of str, optional
        The columns, in this order (e.g. codebook order, so codes nobody used still show).
        Segments in other columns are left out. Default: every column the segments use, sorted.
    group_by : str, optional
        A participant attribute to group rows by. Multi-valued: a participant appears in the
        group of each value they hold, and under ``"(not recorded)"`` when they hold none.
    group_order : sequence of str, optional
        The order of the groups' values (others follow, sorted).
    coders : str or iterable of str, optional
        Chart only these coders' codings. Default: everyone's.
    summaries : mapping of (participant, column) to str, optional
        Researchers' charted summaries to merge into their cells. Summaries for cells outside
        the matrix (a column left out, say) are ignored.

    Returns
    -------
    FrameworkMatrix

    Raises
    ------
    InvalidInputError
        A segment names a participant not in ``participants``, or two participants share a
        label, or ``level`` is unknown.

    References
    ----------
    Gale, N. K. et al. (2013). Using the framework method for the analysis of qualitative data in
    multi-disciplinary health research. *BMC Medical Research Methodology*, 13, 117.

    Examples
    --------
    >>> from thematica.analysis.records import ParticipantRecord, SegmentRecord
    >>> people = [ParticipantRecord("P1"), ParticipantRecord("P2")]
    >>> coded = [SegmentRecord("T1", "P1", "Pay", "Pay", "Robin", 0, 12, "The pay is low"),
    ...          SegmentRecord("T1", "P1", "Pay", "Pay", "Sam", 4, 12, "pay is low")]
    >>> matrix = framework_matrix(coded, people, summaries={("P1", "Pay"): "Low pay"})
    >>> matrix.counts().tolist()
    [[2], [0]]
    >>> matrix.cell("P1", "Pay").summary
    'Low pay'
    """
    check_level(level)
    rows = tuple(participant.label for participant in participants)
    if len(set(rows)) != len(rows):
        raise InvalidInputError("two participants share a label; each row needs its own")
    known = set(rows)
    chosen = select_coders(segments, coders)
    if columns is None:
        column_names = tuple(sorted({column_of(segment, level) for segment in chosen}))
    else:
        column_names = tuple(dict.fromkeys(columns))
    wanted = set(column_names)

    passages: dict[tuple[str, str], list[Passage]] = {}
    unassigned = 0
    for segment in chosen:
        column = column_of(segment, level)
        if column not in wanted:
            continue
        if segment.participant is None:
            unassigned += 1
            continue
        if segment.participant not in known:
            raise InvalidInputError(
                f"a coding names participant {segment.participant!r}, who is not among the "
                "participants given",
                element=segment.document,
                span=(segment.start, segment.end),
            )
        passages.setdefault((segment.participant, column), []).append(
            Passage(segment.document, segment.start, segment.end, segment.text, segment.coder)
        )

    merged = summaries or {}
    cells: dict[tuple[str, str], FrameworkCell] = {}
    for participant in rows:
        for column in column_names:
            linked = sorted(
                passages.get((participant, column), ()),
                key=lambda p: (p.document, p.start, p.end, p.coder),
            )
            cells[(participant, column)] = FrameworkCell(
                participant=participant,
                column=column,
                codings=len(linked),
                passages=tuple(linked),
                summary=merged.get((participant, column)),
            )

    groups: tuple[FrameworkGroup, ...] = ()
    if group_by is not None:
        grouped = attribute_groups(participants, group_by, order=group_order)
        groups = tuple(FrameworkGroup(value, labels) for value, labels in grouped.items())

    return FrameworkMatrix(
        level=level,
        participants=rows,
        columns=column_names,
        cells=MappingProxyType(cells),
        group_by=group_by,
        groups=groups,
        coders=coder_selection(coders),
        unassigned=unassigned,
    )
