"""Framework Method summaries: a researcher's words in one cell of the matrix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from thematica.domain.ids import CodeId, ParticipantId, StudyId, SummaryId
from thematica.errors import InvalidInputError

__all__ = ["FrameworkSummary"]


@dataclass(frozen=True, slots=True)
class FrameworkSummary:
    id: SummaryId
    study_id: StudyId
    participant_id: ParticipantId
    code_id: CodeId
    text: str
    author: str
    updated_at: datetime

    def __post_init__(self) -> None:
        if not self.author.strip():
            raise InvalidInputError("a summary must say who wrote it")
