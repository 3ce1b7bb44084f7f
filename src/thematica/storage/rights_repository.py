"""Everything held about one participant, found and removed (UK GDPR access and erasure).

What a participant "owns": their row and attributes, the documents linked to them (with turns,
original files, codings, de-identification review items, redaction log and round membership,
which go with the document), memos on those documents or their codings, framework summaries in
their row of the matrix, and the de-identification mapping entries used only in their documents.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from thematica.domain.ids import StudyId
from thematica.storage.schema import (
    AttributeRow,
    CodeRow,
    CoderRow,
    CodingRow,
    DeidItemRow,
    DeidMappingRow,
    DeidTermRow,
    DocumentRow,
    FrameworkSummaryRow,
    MemoRow,
    ParticipantRow,
    RedactionRow,
    SetMemberRow,
)

__all__ = ["Footprint", "RightsRepository"]


@dataclass
class Footprint:
    participant_id: uuid.UUID
    document_ids: list[uuid.UUID] = field(default_factory=list)
    coding_ids: list[uuid.UUID] = field(default_factory=list)
    memo_ids: list[uuid.UUID] = field(default_factory=list)
    summary_ids: list[uuid.UUID] = field(default_factory=list)
    item_ids: list[uuid.UUID] = field(default_factory=list)
    attributes: int = 0
    #: (entity type, normal form) of mapping entries used only in this participant's documents
    mapping: list[tuple[str, str]] = field(default_factory=list)
    mapping_shared: int = 0

    def entity_ids(self) -> set[uuid.UUID]:
        return {
            self.participant_id,
            *self.document_ids,
            *self.coding_ids,
            *self.memo_ids,
            *self.summary_ids,
            *self.item_ids,
        }


_NUMBER = re.compile(r"(\d+)\]?\s*$")


class RightsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def footprint(self, study_id: StudyId, participant_id: uuid.UUID) -> Footprint:
        s = self.session
        found = Footprint(participant_id)
        found.document_ids = list(
            s.scalars(select(DocumentRow.id).where(DocumentRow.participant_id == participant_id))
        )
        docs = found.document_ids
        found.coding_ids = list(
            s.scalars(select(CodingRow.id).where(CodingRow.document_id.in_(docs)))
        )
        targets = [*docs, *found.coding_ids]
        found.memo_ids = list(
            s.scalars(
                select(MemoRow.id).where(
                    MemoRow.study_id == study_id,
                    MemoRow.target.in_(["document", "coding"]),
                    MemoRow.target_id.in_(targets),
                )
            )
        )
        found.summary_ids = list(
            s.scalars(
                select(FrameworkSummaryRow.id).where(
                    FrameworkSummaryRow.participant_id == participant_id
                )
            )
        )
        found.item_ids = list(
            s.scalars(select(DeidItemRow.id).where(DeidItemRow.document_id.in_(docs)))
        )
        found.attributes = len(
            list(
                s.scalars(
                    select(AttributeRow.name).where(AttributeRow.participant_id == participant_id)
                )
            )
        )
        mine, others = self._labels(study_id, docs)
        mapping = s.execute(
            select(
                DeidMappingRow.entity_type, DeidMappingRow.normal_form, DeidMappingRow.number
            ).where(DeidMappingRow.study_id == study_id)
        ).all()
        for type_, normal, number in mapping:
            if (type_, int(number)) in mine:
                if (type_, int(number)) in others:
                    found.mapping_shared += 1
                else:
                    found.mapping.append((type_, normal))
        return found

    def _labels(
        self, study_id: StudyId, docs: list[uuid.UUID]
    ) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
        """(type, number) of the labels used in these documents, and in the study's others."""
        mine: set[tuple[str, int]] = set()
        others: set[tuple[str, int]] = set()
        rows = self.session.execute(
            select(RedactionRow.document_id, RedactionRow.entity_type, RedactionRow.label).where(
                RedactionRow.study_id == study_id
            )
        )
        for document_id, type_, label in rows:
            number = _NUMBER.search(label)
            if number:
                (mine if document_id in docs else others).add((type_, int(number.group(1))))
        return mine, others

    def export(self, study_id: StudyId, found: Footprint) -> dict[str, Any]:
        """Everything in the footprint, as plain JSON-able data."""
        s = self.session
        person = s.get_one(ParticipantRow, found.participant_id)
        attributes: dict[str, list[str]] = {}
        for row in s.scalars(
            select(AttributeRow)
            .where(AttributeRow.participant_id == found.participant_id)
            .order_by(AttributeRow.name, AttributeRow.position)
        ):
            attributes.setdefault(row.name, []).append(row.value)
        documents = [
            {
                "id": str(d.id),
                "name": d.name,
                "text": d.text,
                "source_name": d.source_name,
                "source_format": d.source_format,
                "imported_at": d.created_at.isoformat(),
            }
            for d in s.scalars(select(DocumentRow).where(DocumentRow.id.in_(found.document_ids)))
        ]
        texts = {uuid.UUID(d["id"]): d["text"] for d in documents}
        codes = {
            i: n
            for i, n in s.execute(
                select(CodeRow.id, CodeRow.name).where(CodeRow.study_id == study_id)
            )
        }
        coders = {
            i: n
            for i, n in s.execute(
                select(CoderRow.id, CoderRow.name).where(CoderRow.study_id == study_id)
            )
        }
        codings = [
            {
                "id": str(c.id),
                "document_id": str(c.document_id),
                "start": c.start_offset,
                "end": c.end_offset,
                "quote": texts[c.document_id][c.start_offset : c.end_offset],
                "code": codes.get(c.code_id, str(c.code_id)),
                "coder": coders.get(c.coder_id, str(c.coder_id)),
                "valence": c.valence,
                "memo": c.memo,
            }
            for c in s.scalars(select(CodingRow).where(CodingRow.id.in_(found.coding_ids)))
        ]
        memos = [
            {"id": str(m.id), "target": m.target, "title": m.title, "text": m.text}
            for m in s.scalars(select(MemoRow).where(MemoRow.id.in_(found.memo_ids)))
        ]
        summaries = [
            {"code": codes.get(f.code_id, str(f.code_id)), "text": f.text, "author": f.author}
            for f in s.scalars(
                select(FrameworkSummaryRow).where(FrameworkSummaryRow.id.in_(found.summary_ids))
            )
        ]
        return {
            "participant": {
                "id": str(person.id),
                "label": person.label,
                "pseudonym": person.pseudonym,
            },
            "attributes": attributes,
            "documents": documents,
            "codings": codings,
            "memos": memos,
            "framework_summaries": summaries,
            "mapping_entries": [{"type": t, "identifier": n} for t, n in found.mapping],
        }

    def erase(self, study_id: StudyId, found: Footprint) -> list[str]:
        """Delete everything in the footprint; returns study terms removed (matched a mapping
        entry erased)."""
        s = self.session
        ids = found.document_ids
        s.execute(delete(MemoRow).where(MemoRow.id.in_(found.memo_ids)))
        s.execute(delete(SetMemberRow).where(SetMemberRow.member_id.in_(ids)))
        s.execute(delete(DocumentRow).where(DocumentRow.id.in_(ids)))  # cascades to the rest
        s.execute(delete(ParticipantRow).where(ParticipantRow.id == found.participant_id))
        terms: list[str] = []
        if found.mapping:
            s.execute(
                delete(DeidMappingRow).where(
                    DeidMappingRow.study_id == study_id,
                    tuple_(DeidMappingRow.entity_type, DeidMappingRow.normal_form).in_(
                        found.mapping
                    ),
                )
            )
            forms = {normal.casefold() for _type, normal in found.mapping}
            for term in s.scalars(select(DeidTermRow.term).where(DeidTermRow.study_id == study_id)):
                if term.casefold() in forms:
                    terms.append(term)
            if terms:
                s.execute(
                    delete(DeidTermRow).where(
                        DeidTermRow.study_id == study_id, DeidTermRow.term.in_(terms)
                    )
                )
        return terms
