"""Suggestions from the local model: a code proposed for a passage, waiting for a person.

Nothing is applied by the machine: a suggestion is ``pending`` until someone accepts it (which
makes an ``assisted`` coding that names the model, the score and who accepted) or rejects it.
Rejections are kept: the next round learns from them and never proposes the same again.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from thematica.domain.ids import CodeId, CodingId, DocumentId, StudyId
from thematica.domain.text import Span

__all__ = ["Method", "Status", "Suggestion"]


class Status(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Method(enum.StrEnum):
    #: Scored against the code's definition, inclusion criteria and example (no codings yet).
    ZERO_SHOT = "zero-shot"
    #: Scored by a classifier trained on the team's codings and decisions for the code.
    CLASSIFIER = "classifier"


@dataclass(frozen=True, slots=True)
class Suggestion:
    id: uuid.UUID
    study_id: StudyId
    document_id: DocumentId
    code_id: CodeId
    span: Span
    model_id: str
    method: Method
    score: float
    #: The nearest passages already coded with the code, as "document [start, end)" with text.
    evidence: tuple[str, ...]
    created_at: datetime
    status: Status = Status.PENDING
    decided_by: str = ""
    decided_at: datetime | None = None
    coding_id: CodingId | None = None
