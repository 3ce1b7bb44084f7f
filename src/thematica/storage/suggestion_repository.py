"""Suggestions of the local model and the decisions people made about them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from thematica.domain.ids import CodeId, CodingId, DocumentId, StudyId
from thematica.domain.suggestions import Method, Status, Suggestion
from thematica.domain.text import Span
from thematica.storage.repositories import aware
from thematica.storage.schema import SuggestionRow

__all__ = ["SuggestionRepository"]


class SuggestionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_many(self, suggestions: Sequence[Suggestion]) -> None:
        self.session.add_all(
            SuggestionRow(
                id=s.id,
                study_id=s.study_id,
                document_id=s.document_id,
                code_id=s.code_id,
                start_offset=s.span.start,
                end_offset=s.span.end,
                model_id=s.model_id,
                method=s.method.value,
                score=s.score,
                evidence=list(s.evidence),
                created_at=s.created_at,
                status=s.status.value,
                decided_by=s.decided_by,
                decided_at=s.decided_at,
                coding_id=s.coding_id,
            )
            for s in suggestions
        )
        self.session.flush()

    def all(self, study_id: StudyId, status: Status | None = None) -> list[Suggestion]:
        query = select(SuggestionRow).where(SuggestionRow.study_id == study_id)
        if status is not None:
            query = query.where(SuggestionRow.status == status.value)
        rows = self.session.execute(query).scalars()
        return [self._to_domain(r) for r in rows]

    def get(self, suggestion_id: uuid.UUID) -> Suggestion | None:
        row = self.session.get(SuggestionRow, suggestion_id)
        return None if row is None else self._to_domain(row)

    def drop_pending(self, study_id: StudyId, code_ids: Sequence[CodeId]) -> None:
        """Forget the pending suggestions of these codes (a new round replaces them)."""
        self.session.execute(
            delete(SuggestionRow).where(
                SuggestionRow.study_id == study_id,
                SuggestionRow.status == Status.PENDING.value,
                SuggestionRow.code_id.in_(list(code_ids)),
            )
        )

    def decide(
        self, suggestion: Suggestion, status: Status, by: str, coding_id: CodingId | None
    ) -> None:
        row = self.session.get(SuggestionRow, suggestion.id)
        assert row is not None
        row.status = status.value
        row.decided_by = by
        row.decided_at = datetime.now(UTC)
        row.coding_id = coding_id
        self.session.flush()

    @staticmethod
    def _to_domain(row: SuggestionRow) -> Suggestion:
        return Suggestion(
            id=row.id,
            study_id=StudyId(row.study_id),
            document_id=DocumentId(row.document_id),
            code_id=CodeId(row.code_id),
            span=Span(row.start_offset, row.end_offset),
            model_id=row.model_id,
            method=Method(row.method),
            score=row.score,
            evidence=tuple(row.evidence),
            created_at=aware(row.created_at),
            status=Status(row.status),
            decided_by=row.decided_by,
            decided_at=None if row.decided_at is None else aware(row.decided_at),
            coding_id=None if row.coding_id is None else CodingId(row.coding_id),
        )
