"""Codings: a coder applying a code to a span of a document, and where that coding came from."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from thematica.domain.ids import CodeId, CoderId, CodingId, DocumentId, StudyId
from thematica.domain.text import Span
from thematica.errors import InvalidInputError

__all__ = ["Coder", "CoderKind", "Coding", "Origin", "Valence"]


class Valence(enum.StrEnum):
    """How a passage reads against its theme. A theme can be both: present, a facilitator;
    missing, a barrier."""

    BARRIER = "barrier"
    FACILITATOR = "facilitator"
    MIXED = "mixed"

    @classmethod
    def parse(cls, value: str | None) -> Valence | None:
        if value is None:
            return None
        exact = cls._value2member_map_.get(value)  # the common case, read half a million times
        if isinstance(exact, cls):
            return exact
        if not value.strip():
            return None
        try:
            return cls(value.strip().lower())
        except ValueError:
            allowed = ", ".join(v.value for v in cls)
            raise InvalidInputError(
                f"valence must be one of {allowed} or blank, not {value!r}"
            ) from None


class Origin(enum.StrEnum):
    HUMAN = "human"
    ASSISTED = "assisted"
    IMPORTED = "imported"


class CoderKind(enum.StrEnum):
    """Who or what a coder is. Only people (and users imported from another tool, who were
    people there) are compared for agreement; a consensus layer holds what a round decided.
    Memo authors and the actors of events are not coders unless they code."""

    PERSON = "person"
    CONSENSUS = "consensus"
    IMPORTED = "imported"


@dataclass(frozen=True, slots=True)
class Coder:
    id: CoderId
    study_id: StudyId
    name: str
    kind: CoderKind = CoderKind.PERSON

    @property
    def is_person(self) -> bool:
        """A person who codes (here or in the tool the study came from), not a consensus layer."""
        return self.kind is not CoderKind.CONSENSUS

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInputError("a coder needs a name")


@dataclass(frozen=True, slots=True)
class Coding:
    """One code applied to one span by one coder. Overlapping and nested codings are allowed.

    ``origin_detail`` says more about the origin: the model id and score for ``assisted``, the
    source tool for ``imported``.
    """

    id: CodingId
    study_id: StudyId
    document_id: DocumentId
    code_id: CodeId
    coder_id: CoderId
    span: Span
    created_at: datetime
    origin: Origin = Origin.HUMAN
    origin_detail: str = ""
    score: float | None = None
    valence: Valence | None = None
    memo: str = ""
    #: REFI-QDA round trips: the selection this coding hangs on, and who made the selection.
    selection_guid: uuid.UUID | None = None
    selection_creator: str = ""

    def __post_init__(self) -> None:
        if self.origin is Origin.ASSISTED and not self.origin_detail:
            raise InvalidInputError("an assisted coding must name the model that suggested it")
        if self.score is not None and not 0.0 <= self.score <= 1.0:
            raise InvalidInputError(f"a suggestion score lies in [0, 1], not {self.score}")

    def as_payload(self, *, applied: bool = False) -> dict[str, object]:
        """The event payload of this coding, written out by hand: codings are created by the
        hundred thousand on import, and the generic :func:`~thematica.domain.events.snapshot`
        is several times slower. The coding's own id and study are on the event row already.

        Fields at their empty value (no memo, no valence, no score, no selection) are left out:
        they were most of an import's audit trail on disk and say nothing. With ``applied`` (the
        ``coding.applied`` event, whose time is the coding's creation) the time is left out too.
        """
        payload: dict[str, object] = {
            "document_id": str(self.document_id),
            "code_id": str(self.code_id),
            "coder_id": str(self.coder_id),
            "span": [self.span.start, self.span.end],
            "origin": self.origin.value,
        }
        if not applied:
            payload["created_at"] = self.created_at.isoformat()
        if self.origin_detail:
            payload["origin_detail"] = self.origin_detail
        if self.score is not None:
            payload["score"] = self.score
        if self.valence is not None:
            payload["valence"] = self.valence.value
        if self.memo:
            payload["memo"] = self.memo
        if self.selection_guid:
            payload["selection_guid"] = str(self.selection_guid)
        if self.selection_creator:
            payload["selection_creator"] = self.selection_creator
        return payload
