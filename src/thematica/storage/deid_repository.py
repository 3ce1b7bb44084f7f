"""De-identification: review items, document reviews, the study mapping and its owner, the
redaction log, and replacing a document's text once its review is done."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from thematica.domain.ids import DocumentId, StudyId
from thematica.domain.review import (
    DocumentReview,
    ItemStatus,
    Redaction,
    ReviewItem,
    ReviewItemId,
    ReviewStatus,
)
from thematica.domain.study import Turn
from thematica.domain.text import Span
from thematica.storage.repositories import aware, bulk_insert
from thematica.storage.schema import (
    CodingRow,
    DeidItemRow,
    DeidMappingRow,
    DeidOwnerRow,
    DeidReviewRow,
    DeidTermRow,
    DocumentOriginalRow,
    DocumentRow,
    RedactionRow,
    ResolutionRow,
    TurnRow,
)

__all__ = ["DeidRepository", "StoredMapping"]

#: (type, normal form) -> number, as stored.
StoredMapping = dict[tuple[str, str], int]


class DeidRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- the owner of the mapping -----------------------------------------------------------
    def owner(self, study_id: StudyId) -> str | None:
        row = self.session.get(DeidOwnerRow, study_id)
        return row.owner if row else None

    def set_owner(self, study_id: StudyId, owner: str, by: str, at: datetime) -> None:
        row = self.session.get(DeidOwnerRow, study_id)
        if row is None:
            self.session.add(DeidOwnerRow(study_id=study_id, owner=owner, set_by=by, set_at=at))
        else:
            row.owner, row.set_by, row.set_at = owner, by, at
        self.session.flush()

    # -- the study's own list --------------------------------------------------------------
    def terms(self, study_id: StudyId) -> dict[str, str]:
        """term -> type."""
        rows = self.session.execute(
            select(DeidTermRow.term, DeidTermRow.entity_type)
            .where(DeidTermRow.study_id == study_id)
            .order_by(DeidTermRow.term)
        )
        return {term: type_ for term, type_ in rows}

    def add_term(self, study_id: StudyId, term: str, type_: str, by: str, at: datetime) -> bool:
        """Add ``term`` (already normalised); False if the list holds it already."""
        if self.session.get(DeidTermRow, (study_id, term)) is not None:
            return False
        self.session.add(
            DeidTermRow(study_id=study_id, term=term, entity_type=type_, added_by=by, added_at=at)
        )
        self.session.flush()
        return True

    # -- document reviews -------------------------------------------------------------------
    def review(self, document_id: DocumentId) -> DocumentReview | None:
        row = self.session.get(DeidReviewRow, document_id)
        return _review(row) if row else None

    def reviews(self, study_id: StudyId) -> list[DocumentReview]:
        rows = self.session.scalars(select(DeidReviewRow).where(DeidReviewRow.study_id == study_id))
        return [_review(row) for row in rows]

    def save_review(self, review: DocumentReview) -> None:
        row = self.session.get(DeidReviewRow, review.document_id)
        values = {
            "study_id": review.study_id,
            "status": review.status.value,
            "started_by": review.started_by,
            "started_at": review.started_at,
            "finished_by": review.finished_by,
            "finished_at": review.finished_at,
            "waiver_reason": review.waiver_reason,
        }
        if row is None:
            self.session.add(DeidReviewRow(document_id=review.document_id, **values))
        else:
            for key, value in values.items():
                setattr(row, key, value)
        self.session.flush()

    # -- review items -----------------------------------------------------------------------
    def add_items(self, items: Sequence[ReviewItem]) -> None:
        table = DeidItemRow.__table__
        bulk_insert(
            self.session,
            table,  # type: ignore[arg-type]
            [
                {
                    "id": i.id,
                    "study_id": i.study_id,
                    "document_id": i.document_id,
                    "start_offset": i.span.start,
                    "end_offset": i.span.end,
                    "entity_type": i.type,
                    "detected_type": i.detected_type,
                    "surface": i.surface,
                    "detector": i.detector,
                    "score": i.score,
                    "status": i.status.value,
                    "created_at": i.created_at,
                    "decided_by": i.decided_by,
                    "decided_at": i.decided_at,
                }
                for i in items
            ],
        )

    def items(self, document_id: DocumentId) -> list[ReviewItem]:
        rows = self.session.scalars(
            select(DeidItemRow)
            .where(DeidItemRow.document_id == document_id)
            .order_by(DeidItemRow.start_offset, DeidItemRow.end_offset)
        )
        return [_item(row) for row in rows]

    def study_items(self, study_id: StudyId) -> list[ReviewItem]:
        """Every review item in the study, in one query."""
        rows = self.session.scalars(select(DeidItemRow).where(DeidItemRow.study_id == study_id))
        return [_item(row) for row in rows]

    def pending_counts(self, study_id: StudyId) -> dict[DocumentId, int]:
        rows = self.session.execute(
            select(DeidItemRow.document_id, func.count())
            .where(DeidItemRow.study_id == study_id, DeidItemRow.status == "pending")
            .group_by(DeidItemRow.document_id)
        )
        return {DocumentId(d): int(n) for d, n in rows}

    def update_item(self, item: ReviewItem) -> None:
        row = self.session.get_one(DeidItemRow, item.id)
        row.entity_type = item.type
        row.status = item.status.value
        row.decided_by = item.decided_by
        row.decided_at = item.decided_at
        row.start_offset, row.end_offset = item.span.start, item.span.end
        row.surface = item.surface
        self.session.flush()

    def remove_item(self, item_id: ReviewItemId) -> None:
        """Take an item off the review list (merged into its neighbour)."""
        self.session.execute(delete(DeidItemRow).where(DeidItemRow.id == item_id))

    def forget_surfaces(self, document_id: DocumentId) -> None:
        """Clear the identifiers' text from the document's review items (after replacement,
        the mapping is the only place they remain)."""
        self.session.execute(
            update(DeidItemRow).where(DeidItemRow.document_id == document_id).values(surface="")
        )

    # -- the study mapping ------------------------------------------------------------------
    def mapping(self, study_id: StudyId) -> StoredMapping:
        rows = self.session.execute(
            select(DeidMappingRow.entity_type, DeidMappingRow.normal_form, DeidMappingRow.number)
            .where(DeidMappingRow.study_id == study_id)
            .order_by(DeidMappingRow.entity_type, DeidMappingRow.number)
        )
        return {(t, n): int(number) for t, n, number in rows}

    def add_mapping(
        self, study_id: StudyId, entries: Sequence[tuple[str, str, int]], by: str, at: datetime
    ) -> None:
        for type_, normal, number in entries:
            self.session.add(
                DeidMappingRow(
                    study_id=study_id,
                    entity_type=type_,
                    normal_form=normal,
                    number=number,
                    created_by=by,
                    created_at=at,
                )
            )
        self.session.flush()

    # -- the redaction log ------------------------------------------------------------------
    def add_redactions(self, redactions: Sequence[Redaction]) -> None:
        for r in redactions:
            self.session.add(
                RedactionRow(
                    id=r.id,
                    study_id=r.study_id,
                    document_id=r.document_id,
                    item_id=r.item_id,
                    entity_type=r.type,
                    label=r.label,
                    original_start=r.original.start,
                    original_end=r.original.end,
                    new_start=r.replaced.start,
                    new_end=r.replaced.end,
                    applied_by=r.applied_by,
                    applied_at=r.applied_at,
                    waived=r.waived,
                )
            )
        self.session.flush()

    def redactions(
        self, study_id: StudyId, document_id: DocumentId | None = None
    ) -> list[Redaction]:
        query = select(RedactionRow).where(RedactionRow.study_id == study_id)
        if document_id is not None:
            query = query.where(RedactionRow.document_id == document_id)
        rows = self.session.scalars(
            query.order_by(
                RedactionRow.applied_at, RedactionRow.document_id, RedactionRow.new_start
            )
        )
        return [
            Redaction(
                row.id,
                StudyId(row.study_id),
                DocumentId(row.document_id),
                ReviewItemId(row.item_id) if row.item_id else None,
                row.entity_type,
                row.label,
                Span(row.original_start, row.original_end),
                Span(row.new_start, row.new_end),
                row.applied_by,
                aware(row.applied_at),
                row.waived,
            )
            for row in rows
        ]

    # -- the document ---------------------------------------------------------------------
    def coding_count(self, document_id: DocumentId) -> int:
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(CodingRow)
                .where(CodingRow.document_id == document_id)
            )
            or 0
        )

    def replace_text(self, document_id: DocumentId, text: str, turns: Sequence[Turn]) -> bool:
        """Give the document its de-identified text and moved turns; drop the original file
        kept beside it, and the name of that file (often the participant's name), which still
        hold the identifiers. Returns whether an original file was dropped."""
        row = self.session.get_one(DocumentRow, document_id)
        row.text = text
        row.source_name = ""
        stored = {
            t.position: t
            for t in self.session.scalars(select(TurnRow).where(TurnRow.document_id == document_id))
        }
        for position, turn in enumerate(turns):
            turn_row = stored[position]
            turn_row.start_offset, turn_row.end_offset = turn.span.start, turn.span.end
            turn_row.speaker = turn.speaker
        dropped = self.session.execute(
            delete(DocumentOriginalRow).where(DocumentOriginalRow.document_id == document_id)
        )
        self.session.flush()
        return bool(getattr(dropped, "rowcount", 0))

    def move_spans(
        self, document_id: DocumentId, move: Callable[[int, int], tuple[int, int]]
    ) -> list[tuple[uuid.UUID, tuple[int, int], tuple[int, int]]]:
        """Move every coding, consensus resolution and logged redaction of the document with
        ``move`` (old start, end -> new start, end), after a correction changed its text.
        Returns the codings moved: ``(id, old span, new span)``, for their events."""
        moved: list[tuple[uuid.UUID, tuple[int, int], tuple[int, int]]] = []
        for coding in self.session.scalars(
            select(CodingRow).where(CodingRow.document_id == document_id)
        ):
            old = (coding.start_offset, coding.end_offset)
            new = move(*old)
            if new != old:
                coding.start_offset, coding.end_offset = new
                moved.append((coding.id, old, new))
        for resolution in self.session.scalars(
            select(ResolutionRow).where(ResolutionRow.document_id == document_id)
        ):
            resolution.start_offset, resolution.end_offset = move(
                resolution.start_offset, resolution.end_offset
            )
        for redaction in self.session.scalars(
            select(RedactionRow).where(RedactionRow.document_id == document_id)
        ):
            redaction.new_start, redaction.new_end = move(redaction.new_start, redaction.new_end)
        self.session.flush()
        return moved


def _review(row: DeidReviewRow) -> DocumentReview:
    return DocumentReview(
        DocumentId(row.document_id),
        StudyId(row.study_id),
        ReviewStatus(row.status),
        row.started_by,
        aware(row.started_at),
        row.finished_by,
        aware(row.finished_at) if row.finished_at else None,
        row.waiver_reason,
    )


def _item(row: DeidItemRow) -> ReviewItem:
    return ReviewItem(
        ReviewItemId(uuid.UUID(str(row.id))),
        StudyId(row.study_id),
        DocumentId(row.document_id),
        Span(row.start_offset, row.end_offset),
        row.entity_type,
        row.detected_type,
        row.surface,
        row.detector,
        row.score,
        ItemStatus(row.status),
        aware(row.created_at),
        row.decided_by,
        aware(row.decided_at) if row.decided_at else None,
    )
