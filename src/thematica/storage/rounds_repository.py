"""Rounds of double-coding and their consensus resolutions."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from thematica.domain.codings import Valence
from thematica.domain.ids import CodeId, CoderId, DocumentId, ResolutionId, RoundId, StudyId
from thematica.domain.rounds import CodingRound, Decision, Resolution, RoundStatus
from thematica.domain.text import Span
from thematica.storage.repositories import aware
from thematica.storage.schema import ResolutionRow, RoundCoderRow, RoundDocumentRow, RoundRow

__all__ = ["RoundRepository"]


class RoundRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, round_: CodingRound) -> None:
        self.session.add(
            RoundRow(
                id=round_.id,
                study_id=round_.study_id,
                name=round_.name,
                blind=round_.blind,
                unit=round_.unit,
                sampling=round_.sampling,
                status=round_.status.value,
                created_at=round_.created_at,
                closed_at=round_.closed_at,
                consensus_coder_id=round_.consensus_coder_id,
            )
        )
        self.session.flush()
        self.session.execute(
            insert(RoundCoderRow),
            [
                {"round_id": round_.id, "coder_id": c, "position": i}
                for i, c in enumerate(round_.coder_ids)
            ],
        )
        self.session.execute(
            insert(RoundDocumentRow),
            [
                {"round_id": round_.id, "document_id": d, "position": i}
                for i, d in enumerate(round_.document_ids)
            ],
        )

    def set_status(self, round_: CodingRound) -> None:
        row = self.session.get_one(RoundRow, round_.id)
        row.status = round_.status.value
        row.closed_at = round_.closed_at
        row.consensus_coder_id = round_.consensus_coder_id
        self.session.flush()

    def by_name(self, study_id: StudyId, name: str) -> CodingRound | None:
        row = self.session.scalar(
            select(RoundRow).where(RoundRow.study_id == study_id, RoundRow.name == name)
        )
        return self._to_domain(row) if row else None

    def all(self, study_id: StudyId) -> list[CodingRound]:
        rows = self.session.scalars(
            select(RoundRow).where(RoundRow.study_id == study_id).order_by(RoundRow.created_at)
        )
        return [self._to_domain(row) for row in rows]

    def _to_domain(self, row: RoundRow) -> CodingRound:
        coders = self.session.scalars(
            select(RoundCoderRow.coder_id)
            .where(RoundCoderRow.round_id == row.id)
            .order_by(RoundCoderRow.position)
        )
        documents = self.session.scalars(
            select(RoundDocumentRow.document_id)
            .where(RoundDocumentRow.round_id == row.id)
            .order_by(RoundDocumentRow.position)
        )
        return CodingRound(
            RoundId(row.id),
            StudyId(row.study_id),
            row.name,
            tuple(CoderId(c) for c in coders),
            tuple(DocumentId(d) for d in documents),
            row.blind,
            aware(row.created_at),
            row.unit,
            row.sampling,
            RoundStatus(row.status),
            aware(row.closed_at) if row.closed_at else None,
            CoderId(row.consensus_coder_id) if row.consensus_coder_id else None,
        )

    def add_resolution(self, resolution: Resolution) -> None:
        self.session.add(
            ResolutionRow(
                id=resolution.id,
                round_id=resolution.round_id,
                document_id=resolution.document_id,
                code_id=resolution.code_id,
                start_offset=resolution.span.start,
                end_offset=resolution.span.end,
                decision=resolution.decision.value,
                decided_by=resolution.decided_by,
                rationale=resolution.rationale,
                at=resolution.at,
                passage_start=resolution.passage.start if resolution.passage else None,
                passage_end=resolution.passage.end if resolution.passage else None,
                valence=resolution.valence.value if resolution.valence else None,
            )
        )
        self.session.flush()

    def resolutions(self, round_id: RoundId) -> list[Resolution]:
        rows = self.session.scalars(
            select(ResolutionRow)
            .where(ResolutionRow.round_id == round_id)
            .order_by(ResolutionRow.at, ResolutionRow.start_offset)
        )
        return [
            Resolution(
                ResolutionId(r.id),
                RoundId(r.round_id),
                DocumentId(r.document_id),
                Span(r.start_offset, r.end_offset),
                CodeId(r.code_id),
                Decision(r.decision),
                r.decided_by,
                r.rationale,
                aware(r.at),
                Span(r.passage_start, r.passage_end)
                if r.passage_start is not None and r.passage_end is not None
                else None,
                Valence(r.valence) if r.valence else None,
            )
            for r in rows
        ]
