"""Memos: researchers' notes on the study (a project journal), a document, a code or a coding."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from thematica.domain.ids import CoderId, MemoId, StudyId
from thematica.errors import InvalidInputError

__all__ = ["Memo", "MemoTarget"]


class MemoTarget(enum.StrEnum):
    STUDY = "study"
    DOCUMENT = "document"
    CODE = "code"
    CODING = "coding"


@dataclass(frozen=True, slots=True)
class Memo:
    id: MemoId
    study_id: StudyId
    target: MemoTarget
    target_id: uuid.UUID
    author_id: CoderId
    text: str
    created_at: datetime
    title: str = ""

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise InvalidInputError("a memo cannot be empty")
