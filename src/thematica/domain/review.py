"""The de-identification review: what was detected in a document, what a person decided, what
was replaced.

Nothing is replaced silently. Detections become review items (``pending``); a reviewer accepts,
rejects or relabels each one, or adds one the detectors missed. Only when the review is finished
(or explicitly waived, with who and why) is the document's text replaced, once, before anyone
codes it: a document's text is immutable once coded, so a document with a review pending cannot
be coded and a coded document cannot be de-identified.

Identifier types are plain strings here (``PERSON``, ``NHS_NUMBER`` ...): the domain does not
depend on the detectors in ``thematica.deid``, which define them.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import NewType

from thematica.domain.ids import DocumentId, StudyId
from thematica.domain.text import Span

__all__ = [
    "DocumentReview",
    "ItemStatus",
    "Redaction",
    "ReviewItem",
    "ReviewItemId",
    "ReviewStatus",
]

ReviewItemId = NewType("ReviewItemId", uuid.UUID)


class ItemStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ReviewStatus(enum.StrEnum):
    PENDING = "pending"  # detections listed, text not yet replaced: the document cannot be coded
    APPLIED = "applied"  # every item decided and the accepted ones replaced
    WAIVED = "waived"  # replaced without finishing the review, by a named person, for a reason

    @property
    def done(self) -> bool:
        return self is not ReviewStatus.PENDING


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One detection (or a reviewer's addition) awaiting or carrying a decision.

    ``surface`` is the text as it stood; it is cleared once the text is replaced, so that the
    only copy of an identifier left is in the study's mapping, which only the owner may read.
    """

    id: ReviewItemId
    study_id: StudyId
    document_id: DocumentId
    span: Span
    type: str
    detected_type: str
    surface: str
    detector: str
    score: float
    status: ItemStatus
    created_at: datetime
    decided_by: str = ""
    decided_at: datetime | None = None

    def as_payload(self) -> dict[str, object]:
        """For events, which every coder can read: no surface text, only where and what kind."""
        return {
            "id": str(self.id),
            "document_id": str(self.document_id),
            "span": [self.span.start, self.span.end],
            "type": self.type,
            "detected_type": self.detected_type,
            "detector": self.detector,
            "status": self.status.value,
            "decided_by": self.decided_by,
        }


@dataclass(frozen=True, slots=True)
class DocumentReview:
    document_id: DocumentId
    study_id: StudyId
    status: ReviewStatus
    started_by: str
    started_at: datetime
    finished_by: str = ""
    finished_at: datetime | None = None
    waiver_reason: str = ""


@dataclass(frozen=True, slots=True)
class Redaction:
    """One replacement made in a document's text: the redaction log. It holds where and what
    label, never the identifier itself."""

    id: uuid.UUID
    study_id: StudyId
    document_id: DocumentId
    item_id: ReviewItemId | None
    type: str
    label: str
    original: Span
    replaced: Span
    applied_by: str
    applied_at: datetime
    waived: bool = False
