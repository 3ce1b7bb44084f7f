"""The event log: appended with each event's hash chained to the one before (``domain.audit``).

Appending locks the study's row first (``UPDATE studies SET name = name``): on PostgreSQL that is
a row lock held to commit, on SQLite it takes the write lock. Two transactions adding events to
one study therefore read the chain's head one after the other and never fork it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select, update

from thematica.domain.audit import ERASED_KEY, ChainedEvent, chain_hash, payload_digest
from thematica.domain.events import Event, EventKind
from thematica.domain.ids import EventId, StudyId
from thematica.storage.repositories import _Repository, _table, aware, bulk_insert
from thematica.storage.schema import EventRow, StudyRow

__all__ = ["EventRepository"]


class EventRepository(_Repository):
    """Append-only: there is no update or delete, except erasing a payload under participants'
    rights (:meth:`erase_payloads`), which keeps the chain verifiable."""

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        #: The chain's head per study, valid while this transaction holds the study's lock.
        self._heads: dict[StudyId, str] = {}

    def transaction_ended(self) -> None:
        """Forget the heads: after a commit or rollback another writer may extend the chain."""
        self._heads.clear()

    def append(self, events: Sequence[Event]) -> None:
        if not events:
            return
        heads = self._heads
        rows: list[dict[str, Any]] = []
        for event in events:
            if event.study_id not in heads:
                self.session.flush()  # a study added in this transaction must exist first
                heads[event.study_id] = self._lock_head(event.study_id)
            digest = payload_digest(event.before, event.after)
            head = chain_hash(
                heads[event.study_id],
                event_id=event.id,
                study_id=event.study_id,
                actor=event.actor,
                at=event.at,
                kind=event.kind.value,
                entity_id=event.entity_id,
                digest=digest,
            )
            heads[event.study_id] = head
            rows.append({**self._columns(event), "digest": digest, "hash": head})
        bulk_insert(self.session, _table(EventRow), rows)

    def _lock_head(self, study_id: StudyId) -> str:
        self.session.execute(
            update(StudyRow).where(StudyRow.id == study_id).values(name=StudyRow.name)
        )
        head = self.session.scalar(
            select(EventRow.hash)
            .where(EventRow.study_id == study_id)
            .order_by(EventRow.sequence.desc())
            .limit(1)
        )
        return head or ""

    def all(self, study_id: StudyId, *, after_sequence: int = 0) -> list[Event]:
        rows = self.session.scalars(
            select(EventRow)
            .where(EventRow.study_id == study_id, EventRow.sequence > after_sequence)
            .order_by(EventRow.sequence)
        )
        return [
            Event(
                EventId(row.id),
                StudyId(row.study_id),
                row.actor,
                aware(row.at),
                EventKind(row.kind),
                row.entity_id,
                row.before,
                row.after,
                row.sequence,
            )
            for row in rows
        ]

    def chained(self, study_id: StudyId) -> Iterator[ChainedEvent]:
        """The study's events as stored, hashes included, in sequence order (streamed)."""
        rows = self.session.execute(
            select(EventRow).where(EventRow.study_id == study_id).order_by(EventRow.sequence)
        ).scalars()
        for row in rows.yield_per(2000):
            yield ChainedEvent(
                row.sequence,
                row.id,
                row.study_id,
                row.actor,
                aware(row.at),
                row.kind,
                row.entity_id,
                row.before,
                row.after,
                row.digest,
                row.hash,
            )

    def mentioning(self, study_id: StudyId, entity_ids: set[uuid.UUID]) -> list[uuid.UUID]:
        """Ids of the study's events about any of ``entity_ids``."""
        if not entity_ids:
            return []
        found: list[uuid.UUID] = []
        ids = sorted(entity_ids)
        for start in range(0, len(ids), 500):
            found += self.session.scalars(
                select(EventRow.id).where(
                    EventRow.study_id == study_id, EventRow.entity_id.in_(ids[start : start + 500])
                )
            )
        return found

    def erase_payloads(self, event_ids: Sequence[uuid.UUID], erasure_id: uuid.UUID) -> None:
        """Replace these events' before/after by an erasure marker (digest and hash stay)."""
        for start in range(0, len(event_ids), 500):
            self.session.execute(
                update(EventRow)
                .where(EventRow.id.in_(event_ids[start : start + 500]))
                .values(before=None, after={ERASED_KEY: str(erasure_id)})
            )

    @staticmethod
    def _columns(event: Event) -> dict[str, Any]:
        return {
            "id": event.id,
            "study_id": event.study_id,
            "actor": event.actor,
            "at": event.at,
            "kind": event.kind.value,
            "entity_id": event.entity_id,
            "before": event.before,
            "after": event.after,
        }
