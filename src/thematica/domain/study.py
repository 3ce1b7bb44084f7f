"""Studies, participants, documents and their speaker turns."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from thematica.domain.ids import DocumentId, ParticipantId, StudyId
from thematica.domain.text import Span, is_canonical
from thematica.errors import InvalidInputError, SpanError

__all__ = ["Document", "Participant", "Study", "Turn", "content_hash", "normalize_attributes"]


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
    turns: tuple[Turn, ...] = ()
    created_at: datetime | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInputError("a document needs a name")
        if not is_canonical(self.text):
            raise InvalidInputError(
                "document text must be canonical (NFC, \\n line endings, no BOM)",
                element=self.name,
            )
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
