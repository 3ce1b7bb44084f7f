"""Plain input records for the study analyses, and the small rules they share.

The service layer reads codings, participants and documents from storage and hands them to the
analyses as these frozen records, so that every analysis is a pure function of plain data that a
test can write by hand:

* :class:`SegmentRecord`: one coding (a coder applying a code to a span), with its text;
* :class:`ParticipantRecord`: a participant's label, pseudonym and attributes (multi-valued);
* :class:`DocumentRecord`: a document's name, participant, interview order and length.

Rules shared by the analyses live here too: which column a segment falls in
(:func:`column_of`, ``level="code"`` or ``"theme"``), restricting to some coders
(:func:`select_coders`) and grouping participants by an attribute (:func:`attribute_groups`),
where a participant holding several values appears under each of them and one holding none under
:data:`NOT_RECORDED`.

Spans are ``[start, end)`` in Unicode code points over the document's canonical text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, TypeAlias

from thematica.domain.codings import Valence
from thematica.domain.study import normalize_attributes
from thematica.errors import InvalidInputError, SpanError

__all__ = [
    "NOT_RECORDED",
    "DocumentRecord",
    "Level",
    "ParticipantRecord",
    "SegmentRecord",
    "attribute_groups",
    "check_level",
    "coder_selection",
    "column_of",
    "select_coders",
]

#: The column a segment is counted under: its full code path, or its top-level theme.
Level: TypeAlias = Literal["code", "theme"]
_LEVELS: tuple[str, ...] = ("code", "theme")

#: The group for participants (or documents) with no value for the attribute grouped by.
NOT_RECORDED = "(not recorded)"


@dataclass(frozen=True, slots=True)
class SegmentRecord:
    """One coding: ``coder`` applied ``code`` to ``[start, end)`` of ``document``.

    ``code`` is the full path (``"Support > Supervision"``) and ``theme`` its top-level name
    (``"Support"``). ``valence`` is ``"barrier"``, ``"facilitator"``, ``"mixed"`` or ``None``
    (case and surrounding space are forgiven; it is stored as a :class:`Valence`). ``turn`` is
    the index of the speaker turn the span starts in, or ``None`` when the document has no turns.

    >>> s = SegmentRecord("T1", "P01", "Support > Supervision", "Support", "Robin", 0, 5,
    ...                   "Hello", valence="Barrier")
    >>> s.valence == "barrier", len(s)
    (True, 5)
    """

    document: str
    participant: str | None
    code: str
    theme: str
    coder: str
    start: int
    end: int
    text: str
    valence: str | None = None
    turn: int | None = None

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise SpanError(
                "a coded span must start at 0 or later and end after it starts",
                element=self.document,
                span=(self.start, self.end),
            )
        if not self.code.strip() or not self.theme.strip():
            raise InvalidInputError(
                "a coded segment needs a code and a theme", element=self.document
            )
        if self.turn is not None and self.turn < 0:
            raise InvalidInputError(f"a turn index cannot be negative ({self.turn})")
        object.__setattr__(self, "valence", Valence.parse(self.valence))

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class ParticipantRecord:
    """A participant: ``label`` (their id, e.g. ``"P01"``), ``pseudonym`` and ``attributes``.

    Attributes are multi-valued, ``name -> tuple of values`` (a peer worker with two contracts).
    Values are stripped, blanks and repeats dropped, and a plain string is read as one value;
    the mapping is read-only.

    >>> p = ParticipantRecord("P01", "Robin", {"contract": ("Permanent", " Fixed term ")})
    >>> p.values("contract"), p.values("setting")
    (('Permanent', 'Fixed term'), ())
    """

    label: str
    pseudonym: str = ""
    attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.label.strip():
            raise InvalidInputError("a participant needs a label")
        normalised = normalize_attributes(self.attributes)
        object.__setattr__(self, "attributes", MappingProxyType(normalised))

    def values(self, attribute: str) -> tuple[str, ...]:
        """This participant's values of ``attribute``; empty when none is recorded."""
        return self.attributes.get(attribute, ())


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """A document (usually one interview): ``name``, ``participant``, ``order`` and length.

    ``order`` places the document in the sequence of interviews (the service passes a rank by
    interview date, or by import order when there is no date); ties are broken by ``name``.
    ``characters`` is the length of the canonical text in code points.
    """

    name: str
    participant: str | None
    order: int
    characters: int

    def __post_init__(self) -> None:
        if self.characters < 0:
            raise InvalidInputError(
                f"a document cannot have {self.characters} characters", element=self.name
            )


def column_of(segment: SegmentRecord, level: Level) -> str:
    """The column ``segment`` is counted under: its code path (``"code"``) or theme (``"theme"``).

    >>> s = SegmentRecord("T1", "P01", "Support > Supervision", "Support", "Robin", 0, 5, "Hello")
    >>> column_of(s, "code"), column_of(s, "theme")
    ('Support > Supervision', 'Support')
    """
    if level == "code":
        return segment.code
    if level == "theme":
        return segment.theme
    raise InvalidInputError(f"level must be one of {', '.join(_LEVELS)}, not {level!r}")


def check_level(level: str) -> None:
    """Raise :class:`InvalidInputError` unless ``level`` is ``"code"`` or ``"theme"``."""
    if level not in _LEVELS:
        raise InvalidInputError(f"level must be one of {', '.join(_LEVELS)}, not {level!r}")


def select_coders(
    segments: Iterable[SegmentRecord], coders: str | Iterable[str] | None
) -> list[SegmentRecord]:
    """The segments coded by ``coders``: one name, several, or ``None`` for everyone.

    >>> a = SegmentRecord("T1", "P01", "A", "A", "Robin", 0, 5, "Hello")
    >>> b = SegmentRecord("T1", "P01", "A", "A", "Sam", 0, 5, "Hello")
    >>> [s.coder for s in select_coders([a, b], "Sam")]
    ['Sam']
    """
    if coders is None:
        return list(segments)
    wanted = {coders} if isinstance(coders, str) else set(coders)
    if not wanted:
        raise InvalidInputError("coders, when given, must name at least one coder")
    return [segment for segment in segments if segment.coder in wanted]


def coder_selection(coders: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """``coders`` as a sorted tuple of names (``None`` stays ``None``), for recording in results."""
    if coders is None:
        return None
    return (coders,) if isinstance(coders, str) else tuple(sorted(set(coders)))


def attribute_groups(
    participants: Iterable[ParticipantRecord],
    attribute: str,
    *,
    order: Sequence[str] | None = None,
) -> dict[str, tuple[str, ...]]:
    """Participant labels grouped by their values of ``attribute``: ``value -> labels``.

    A participant holding several values is listed under each (so groups can overlap and their
    sizes sum to more than N); one holding none is listed under :data:`NOT_RECORDED`, which comes
    last and only when non-empty. Values come in ``order`` when given (values not in it follow,
    sorted), else sorted; a value named in ``order`` that nobody holds gets an empty group. Labels
    keep the order of ``participants``.

    >>> people = [ParticipantRecord("P1", attributes={"setting": ("NHS", "VCFSE")}),
    ...           ParticipantRecord("P2", attributes={"setting": ("NHS",)}),
    ...           ParticipantRecord("P3")]
    >>> attribute_groups(people, "setting")
    {'NHS': ('P1', 'P2'), 'VCFSE': ('P1',), '(not recorded)': ('P3',)}
    """
    members: dict[str, list[str]] = {}
    unrecorded: list[str] = []
    for participant in participants:
        values = participant.values(attribute)
        if not values:
            unrecorded.append(participant.label)
        for value in values:
            members.setdefault(value, []).append(participant.label)
    first = list(dict.fromkeys(order or ()))
    rest = sorted(set(members) - set(first))
    groups = {value: tuple(members.get(value, ())) for value in [*first, *rest]}
    if unrecorded:
        groups[NOT_RECORDED] = tuple(unrecorded)
    return groups
