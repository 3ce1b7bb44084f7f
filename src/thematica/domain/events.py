"""Provenance: every change is an append-only event (who, when, what, before and after).

The event log is the audit trail a research team must be able to show, and what later feeds live
updates to other coders. Payloads are plain JSON-able dicts so any layer can read them.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from thematica.domain.ids import EventId, StudyId, new_guid

__all__ = ["Event", "EventKind", "make_event", "snapshot", "utcnow"]


class EventKind(enum.StrEnum):
    STUDY_CREATED = "study.created"
    PARTICIPANT_ADDED = "participant.added"
    PARTICIPANT_UPDATED = "participant.updated"
    PARTICIPANT_ERASED = "participant.erased"
    DOCUMENT_ADDED = "document.added"
    DOCUMENT_RENAMED = "document.renamed"
    DOCUMENT_REMOVED = "document.removed"
    DOCUMENT_DATED = "document.dated"
    DOCUMENT_LINKED = "document.linked"  # linked to a participant, or unlinked
    CODER_ADDED = "coder.added"
    CODE_ADDED = "code.added"
    CODE_UPDATED = "code.updated"
    CODE_MOVED = "code.moved"
    CODE_MERGED = "code.merged"
    CODE_SPLIT = "code.split"
    CODE_DELETED = "code.deleted"
    CODES_REORDERED = "codes.reordered"
    CODING_APPLIED = "coding.applied"
    CODING_CHANGED = "coding.changed"
    CODING_REMOVED = "coding.removed"
    MEMO_WRITTEN = "memo.written"
    ROUND_OPENED = "round.opened"
    ROUND_CLOSED = "round.closed"
    DISAGREEMENT_RESOLVED = "disagreement.resolved"
    SUMMARY_WRITTEN = "framework.summary_written"
    RECORD_UPDATED = "study.record_updated"
    SET_ADDED = "set.added"
    DEID_DETECTED = "deid.detected"
    DEID_ITEM_ADDED = "deid.item_added"
    DEID_ITEM_DECIDED = "deid.item_decided"
    DEID_APPLIED = "deid.applied"
    DEID_WAIVED = "deid.waived"
    DEID_OWNER_SET = "deid.owner_set"
    DEID_MAPPING_READ = "deid.mapping_read"
    DEID_TERMS_ADDED = "deid.terms_added"
    DEID_ITEM_CHANGED = "deid.item_changed"  # merged with its neighbour, widened or narrowed
    DEID_CORRECTED = "deid.corrected"  # a redaction added to a document already de-identified
    ASSIST_SUGGESTED = "assist.suggested"
    ASSIST_DECIDED = "assist.decided"


def utcnow() -> datetime:
    """Now, timezone-aware in UTC: the only clock the domain uses."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Event:
    id: EventId
    study_id: StudyId
    actor: str
    at: datetime
    kind: EventKind
    entity_id: uuid.UUID | None
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    sequence: int | None = field(default=None, compare=False)


def make_event(
    study_id: StudyId,
    actor: str,
    kind: EventKind,
    entity_id: uuid.UUID | None,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> Event:
    return Event(
        EventId(new_guid()), study_id, actor, at or utcnow(), kind, entity_id, before, after
    )


def snapshot(entity: Any) -> dict[str, Any]:
    """A JSON-able dict of a domain dataclass, for event payloads (before/after).

    UUIDs and datetimes become strings, enums their values, spans ``[start, end]`` lists.
    An entity with an ``as_payload()`` method (a coding) supplies its own.
    """
    as_payload = getattr(entity, "as_payload", None)
    if as_payload is not None:
        payload: dict[str, Any] = as_payload()
        return payload
    from dataclasses import fields, is_dataclass

    from thematica.domain.text import Span

    def plain(value: Any) -> Any:
        if isinstance(value, Span):
            return [value.start, value.end]
        if isinstance(value, enum.Enum):
            return value.value
        if isinstance(value, uuid.UUID):
            return str(value)
        if isinstance(value, datetime):
            return value.isoformat()
        if is_dataclass(value) and not isinstance(value, type):
            return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
        if isinstance(value, Mapping):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    result = plain(entity)
    assert isinstance(result, dict)
    return result
