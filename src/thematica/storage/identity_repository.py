"""Imported identities (see ``thematica.domain.imported``): which GUIDs a database already holds,
and what a study keeps of the project it was imported from."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.domain.ids import StudyId
from thematica.domain.imported import IdentityKind, ImportedIdentity
from thematica.storage.repositories import aware, bulk_insert
from thematica.storage.schema import (
    Base,
    CodeRow,
    CoderRow,
    CodingRow,
    DocumentRow,
    ImportedIdentityRow,
    MemoRow,
    ParticipantRow,
    SetRow,
)

__all__ = ["IdentityRepository"]

#: The table whose primary key an imported GUID of each kind becomes.
_TABLES: dict[str, type[Base]] = {
    "user": CoderRow,
    "code": CodeRow,
    "source": DocumentRow,
    "coding": CodingRow,
    "note": MemoRow,
    "case": ParticipantRow,
    "set": SetRow,
}
_CHUNK = 500  # ids per IN (...) query: well under SQLite's and PostgreSQL's parameter limits


class IdentityRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def taken(self, kind: IdentityKind, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """Which of ``ids`` are already the id of a ``kind`` of entity in this database."""
        model = _TABLES[kind]
        column = model.__table__.c["id"]
        wanted = list(dict.fromkeys(ids))
        found: set[uuid.UUID] = set()
        for at in range(0, len(wanted), _CHUNK):
            chunk = wanted[at : at + _CHUNK]
            found.update(self.session.execute(select(column).where(column.in_(chunk))).scalars())
        return found

    def add_many(self, study_id: StudyId, identities: Sequence[ImportedIdentity]) -> None:
        table = ImportedIdentityRow.__table__
        rows = [
            {
                "study_id": study_id,
                "kind": i.kind,
                "entity_id": i.entity_id,
                "guid": i.guid,
                "name": i.name[:300],
                "user_id": i.user_id[:200],
                "codable": i.codable,
                "creating_user": i.creating_user[:200],
                "modifying_user": i.modifying_user[:200],
                "modified_at": i.modified_at,
            }
            for i in identities
        ]
        bulk_insert(self.session, table, rows)  # type: ignore[arg-type]

    def all(self, study_id: StudyId) -> dict[tuple[str, uuid.UUID], ImportedIdentity]:
        """The study's imported identities, by (kind, entity id)."""
        rows = self.session.scalars(
            select(ImportedIdentityRow).where(ImportedIdentityRow.study_id == study_id)
        )
        return {(r.kind, r.entity_id): _to_domain(r) for r in rows}


def _to_domain(row: ImportedIdentityRow) -> ImportedIdentity:
    return ImportedIdentity(
        row.kind,  # type: ignore[arg-type]
        row.entity_id,
        row.guid,
        row.name,
        row.user_id,
        row.codable,
        row.creating_user,
        row.modifying_user,
        aware(row.modified_at) if row.modified_at is not None else None,
    )
