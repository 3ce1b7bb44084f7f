"""Identifiers: every entity carries a GUID, and each kind of id is its own type.

REFI-QDA needs GUIDs on everything, and they must survive import and export, so ids are UUIDs
from the start rather than database row numbers. Distinct ``NewType``s let the type checker refuse
a code id where a document id is expected.
"""

from __future__ import annotations

import uuid
from typing import NewType

StudyId = NewType("StudyId", uuid.UUID)
ParticipantId = NewType("ParticipantId", uuid.UUID)
DocumentId = NewType("DocumentId", uuid.UUID)
CodeId = NewType("CodeId", uuid.UUID)
CoderId = NewType("CoderId", uuid.UUID)
CodingId = NewType("CodingId", uuid.UUID)
MemoId = NewType("MemoId", uuid.UUID)
EventId = NewType("EventId", uuid.UUID)
RoundId = NewType("RoundId", uuid.UUID)
ResolutionId = NewType("ResolutionId", uuid.UUID)
SetId = NewType("SetId", uuid.UUID)
SummaryId = NewType("SummaryId", uuid.UUID)

__all__ = [
    "CodeId",
    "CoderId",
    "CodingId",
    "DocumentId",
    "EventId",
    "MemoId",
    "ParticipantId",
    "ResolutionId",
    "RoundId",
    "SetId",
    "StudyId",
    "SummaryId",
    "new_guid",
]


def new_guid() -> uuid.UUID:
    """A fresh random GUID (UUID4)."""
    return uuid.uuid4()
