"""Studies, participants, documents and their speaker turns."""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import overload

from thematica.domain.ids import DocumentId, ParticipantId, StudyId
from thematica.domain.text import Span, is_canonical
from thematica.errors import InvalidInputError, SpanError

__all__ = [
    "Document",
    "Participant",
    "Study",
    "Turn",
    "Turns",
    "content_hash",
    "normalize_attributes",
]


@dataclass(frozen=True, slots=True)
class Study:
    id: StudyId
    name: str
    created_at: datetime
    description: str = ""

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInputError("a study needs a non-empty name")


def normalize_attributes(
    attributes: Mapping[str, str | Iterable[str]],
) -> dict[str, tuple[str, ...]]:
    """Attributes as ``name -> tuple of values``; a participant may hold several values.

    Real participant data is multi-valued (a peer worker with two contracts), so every attribute
    is a tuple. Blank values are dropped; an attribute with no values is left out.
    """
    result: dict[str, tuple[str, ...]] = {}
    for name, raw in attributes.items():
        key = name.strip()
        if not key:
            raise InvalidInputError("an attribute needs a name")
        values = (raw,) if isinstance(raw, str) else tuple(raw)
        kept = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
        if kept:
            result[key] = kept
    return result


@dataclass(frozen=True, slots=True)
class Participant:
    """A person interviewed or surveyed, known by a pseudonym and their attributes."""

    id: ParticipantId
    study_id: StudyId
    label: str
    pseudonym: str = ""
    attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.label.strip():
            raise InvalidInputError("a participant needs an id (label)")


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker's turn: a span of the document with who spoke and, if known, when.

    ``role`` is ``interviewer`` or ``participant`` where the importer could tell.
    """

    span: Span
    speaker: str
    start_seconds: float | None = None
    end_seconds: float | None = None
    role: str | None = None


class Turns(Sequence[Turn]):
    """A document's turns kept column by column, read as a sequence of :class:`Turn`.

    A transcript of two million short turns would take some 400 MB as ``Turn`` objects (each
    with its ``Span`` and two integers) for 14 MB of text; here a turn costs about 20 bytes:
    offsets in integer arrays, speakers and roles as indexes into short lists of names, times in
    float arrays only when some turn has one. A ``Turn`` is built when one is asked for.
    """

    __slots__ = ("_ends", "_labels", "_roles", "_speakers", "_starts", "_times")

    def __init__(self, turns: Iterable[Turn] = ()) -> None:
        # 32-bit offsets until a text is longer than 2 GiB characters (see ``add``).
        self._starts = array("i")
        self._ends = array("i")
        self._speakers = array("i")
        self._roles = array("b")
        self._labels: list[str] = []
        self._times: tuple[array[float], array[float]] | None = None
        index: dict[str, int] = {}
        for turn in turns:
            self.append(turn, index)

    def append(self, turn: Turn, index: dict[str, int] | None = None) -> None:
        """Add ``turn`` at the end (``index``: a speaker -> label number cache to reuse)."""
        self.add(
            turn.span.start,
            turn.span.end,
            turn.speaker,
            turn.start_seconds,
            turn.end_seconds,
            turn.role,
            index=index,
        )

    def add(
        self,
        start: int,
        end: int,
        speaker: str,
        start_seconds: float | None = None,
        end_seconds: float | None = None,
        role: str | None = None,
        *,
        index: dict[str, int] | None = None,
    ) -> None:
        """Add a turn from its parts, checked as a :class:`Span` checks itself, without
        making one (an importer adds millions)."""
        if start < 0 or end <= start:
            Span(start, end)  # raises the one SpanError for an empty or reversed span
        if end > _INT32 and self._ends.typecode == "i":
            self._starts, self._ends = array("q", self._starts), array("q", self._ends)
        if index is None:
            index = {label: i for i, label in enumerate(self._labels)}
        number = index.get(speaker)
        if number is None:
            number = index[speaker] = len(self._labels)
            self._labels.append(speaker)
        self._starts.append(start)
        self._ends.append(end)
        self._speakers.append(number)
        self._roles.append(_ROLE_CODES.index(role) if role in _ROLE_CODES else -1)
        if self._times is None and (start_seconds is not None or end_seconds is not None):
            nan = float("nan")
            self._times = (array("d", [nan] * (len(self) - 1)), array("d", [nan] * (len(self) - 1)))
        if self._times is not None:
            self._times[0].append(_nan(start_seconds))
            self._times[1].append(_nan(end_seconds))

    def check_within(self, length: int, where: str) -> None:
        """Refuse turns past ``length`` or out of order (what :class:`Document` requires)."""
        previous_end = 0
        for start, end in zip(self._starts, self._ends, strict=True):
            if end > length or start < previous_end:
                Turn(Span(start, end), "").span.check_within(length, where=f"turn in {where}")
                raise SpanError(
                    "speaker turns must be in order and must not overlap",
                    element=where,
                    span=(start, end),
                )
            previous_end = end

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, i: int) -> Turn: ...
    @overload
    def __getitem__(self, i: slice) -> Turns: ...
    def __getitem__(self, i: int | slice) -> Turn | Turns:
        if isinstance(i, slice):
            return Turns(self._turn(k) for k in range(*i.indices(len(self))))
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("turn index out of range")
        return self._turn(i)

    def __iter__(self) -> Iterator[Turn]:
        return (self._turn(i) for i in range(len(self)))

    def _turn(self, i: int) -> Turn:
        role = self._roles[i]
        start = end = None
        if self._times is not None:
            start, end = _none(self._times[0][i]), _none(self._times[1][i])
        return Turn(
            Span(self._starts[i], self._ends[i]),
            self._labels[self._speakers[i]],
            start,
            end,
            _ROLE_CODES[role] if role >= 0 else None,
        )

    def spans(self) -> Iterator[tuple[int, int]]:
        """``(start, end)`` of every turn, without making the turns."""
        return zip(self._starts, self._ends, strict=True)

    def speakers(self) -> list[str]:
        """The speakers, each once, in the order they first speak."""
        return [self._labels[k] for k in dict.fromkeys(self._speakers)]

    def speaker_roles(self) -> dict[str, str | None]:
        """Each speaker's role (that of their first turn), in the order they first speak."""
        found: dict[str, str | None] = {}
        for number, role in zip(self._speakers, self._roles, strict=True):
            label = self._labels[number]
            if label not in found:
                found[label] = _ROLE_CODES[role] if role >= 0 else None
                if len(found) == len(self._labels):
                    break
        return found

    def with_roles(self, roles: Mapping[str, str | None]) -> Turns:
        """These turns with each speaker's role set from ``roles`` (speaker -> role)."""
        made = Turns()
        made._starts, made._ends, made._speakers = self._starts, self._ends, self._speakers
        made._labels, made._times = self._labels, self._times
        codes = [
            _ROLE_CODES.index(r) if (r := roles.get(label)) in _ROLE_CODES else -1
            for label in self._labels
        ]
        made._roles = array("b", (codes[k] for k in self._speakers))
        return made

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        shown = ", ".join(repr(t) for t in self[:3])
        return f"Turns([{shown}{', ...' if len(self) > 3 else ''}], {len(self)} turns)"


_ROLE_CODES: tuple[str, ...] = ("interviewer", "participant")
_INT32 = 2**31 - 1


def _nan(value: float | None) -> float:
    return float("nan") if value is None else value


def _none(value: float) -> float | None:
    return None if value != value else value  # NaN marks "no time"


def content_hash(data: bytes) -> str:
    """The hash used to recognise an original file: SHA-256, hex."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Document:
    """A transcript or other text, canonical and immutable once coded.

    ``text`` must already be canonical (see :mod:`thematica.domain.text`); ``turns`` lie inside it,
    in order and without overlap.
    """

    id: DocumentId
    study_id: StudyId
    name: str
    text: str
    source_name: str = ""
    source_format: str = "txt"
    source_hash: str = ""
    participant_id: ParticipantId | None = None
    turns: Sequence[Turn] = ()
    created_at: datetime | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInputError("a document needs a name")
        if not is_canonical(self.text):
            raise InvalidInputError(
                "document text must be canonical (NFC, \\n line endings, no BOM)",
                element=self.name,
            )
        if isinstance(self.turns, Turns):
            self.turns.check_within(len(self.text), self.name)
            return
        previous_end = 0
        for turn in self.turns:
            turn.span.check_within(len(self.text), where=f"turn in {self.name}")
            if turn.span.start < previous_end:
                raise SpanError(
                    "speaker turns must be in order and must not overlap",
                    element=self.name,
                    span=(turn.span.start, turn.span.end),
                )
            previous_end = turn.span.end

    def passage(self, span: Span) -> str:
        span.check_within(len(self.text), where=self.name)
        return span.of(self.text)

    def turn_at(self, offset: int) -> Turn | None:
        """The turn containing ``offset``, if any."""
        for turn in self.turns:
            if turn.span.start <= offset < turn.span.end:
                return turn
        return None
