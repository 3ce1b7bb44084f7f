"""Framework summaries and the study record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.domain.framework import FrameworkSummary
from thematica.domain.ids import CodeId, ParticipantId, StudyId, SummaryId
from thematica.storage.repositories import aware
from thematica.storage.schema import FrameworkSummaryRow, StudyRecordRow

__all__ = ["FrameworkRepository"]


class FrameworkRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def summary(self, participant: ParticipantId, code: CodeId) -> FrameworkSummary | None:
        row = self.session.scalar(
            select(FrameworkSummaryRow).where(
                FrameworkSummaryRow.participant_id == participant,
                FrameworkSummaryRow.code_id == code,
            )
        )
        return self._to_domain(row) if row else None

    def save_summary(self, summary: FrameworkSummary) -> None:
        row = self.session.get(FrameworkSummaryRow, summary.id)
        if row is None:
            self.session.add(
                FrameworkSummaryRow(
                    id=summary.id,
                    study_id=summary.study_id,
                    participant_id=summary.participant_id,
                    code_id=summary.code_id,
                    text=summary.text,
                    author=summary.author,
                    updated_at=summary.updated_at,
                )
            )
        else:
            row.text, row.author, row.updated_at = summary.text, summary.author, summary.updated_at
        self.session.flush()

    def summaries(self, study_id: StudyId) -> list[FrameworkSummary]:
        rows = self.session.scalars(
            select(FrameworkSummaryRow).where(FrameworkSummaryRow.study_id == study_id)
        )
        return [self._to_domain(row) for row in rows]

    @staticmethod
    def _to_domain(row: FrameworkSummaryRow) -> FrameworkSummary:
        return FrameworkSummary(
            SummaryId(row.id),
            StudyId(row.study_id),
            ParticipantId(row.participant_id),
            CodeId(row.code_id),
            row.text,
            row.author,
            aware(row.updated_at),
        )

    def record(self, study_id: StudyId) -> dict[str, str]:
        rows = self.session.scalars(
            select(StudyRecordRow).where(StudyRecordRow.study_id == study_id)
        )
        return {row.item: row.value for row in rows}

    def set_record(self, study_id: StudyId, item: str, value: str, by: str, at: datetime) -> None:
        row = self.session.get(StudyRecordRow, (study_id, item))
        if row is None:
            self.session.add(
                StudyRecordRow(
                    study_id=study_id, item=item, value=value, updated_by=by, updated_at=at
                )
            )
        else:
            row.value, row.updated_by, row.updated_at = value, by, at
        self.session.flush()
