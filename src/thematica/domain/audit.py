"""Tamper evidence for the audit trail: each event's hash is chained to the one before.

Per study, in sequence order::

    digest(event) = SHA-256 of canonical JSON {"before": ..., "after": ...}
    hash(event)   = SHA-256 of the canonical JSON array [hash of the event before ("" first),
                    id, study_id, actor, at, kind, entity_id or null, digest]

Canonical JSON: keys sorted, no spaces, UTF-8; ids as lower-case hyphenated UUIDs; times in UTC,
ISO 8601. The link is a fixed-order array rather than an object because it is computed for every
event written (a sorted object costs twice as much; see bench/RESULTS.md). Editing an event's
actor, time, kind or payload, deleting one, or inserting one breaks the chain at that event (or
the next); :func:`verify_chain` names the first break. A chain can be rewritten whole by someone
who recomputes every hash, so the head hash is worth writing down somewhere else (the report
prints it): an earlier note of it then shows any rewrite or a cut-off tail.

The payload enters the hash only through its digest so that a participant's data can be erased
(UK GDPR) from an event's payload while the chain still verifies: an erased payload is replaced by
``{"erased_by": <erasure event id>}``, the digest stays, and the erasure event lists every event it
erased, so erasing is itself on the record and cannot be used to hide an edit.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "ERASED_KEY",
    "ChainBreak",
    "ChainReport",
    "ChainedEvent",
    "canonical_json",
    "chain_hash",
    "payload_digest",
    "verify_chain",
]

#: The key of an erased event's ``after`` payload; its value is the erasure event's id.
ERASED_KEY = "erased_by"


_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical_json(value: Any) -> bytes:
    return _CANONICAL.encode(value).encode("utf-8")


def _time(at: datetime) -> str:
    if at.tzinfo is None:  # stored naive by SQLite: Thematica writes UTC only
        return at.isoformat() + "+00:00"
    return (at if at.tzinfo is UTC else at.astimezone(UTC)).isoformat()


_LINK = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def payload_digest(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> str:
    return hashlib.sha256(canonical_json({"before": before, "after": after})).hexdigest()


def chain_hash(
    previous: str,
    *,
    event_id: uuid.UUID,
    study_id: uuid.UUID,
    actor: str,
    at: datetime,
    kind: str,
    entity_id: uuid.UUID | None,
    digest: str,
) -> str:
    link = [
        previous,
        str(event_id),
        str(study_id),
        actor,
        _time(at),
        kind,
        str(entity_id) if entity_id is not None else None,
        digest,
    ]
    return hashlib.sha256(_LINK.encode(link).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainedEvent:
    """An event as stored, with its digest and hash (what verification reads)."""

    sequence: int
    id: uuid.UUID
    study_id: uuid.UUID
    actor: str
    at: datetime
    kind: str
    entity_id: uuid.UUID | None
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    digest: str | None
    hash: str | None

    def erased_by(self) -> str | None:
        after = self.after
        if self.before is None and after is not None and set(after) == {ERASED_KEY}:
            return str(after[ERASED_KEY])
        return None


@dataclass(frozen=True, slots=True)
class ChainBreak:
    sequence: int
    event_id: uuid.UUID
    kind: str
    reason: str

    def describe(self) -> str:
        return f"event {self.sequence} ({self.kind}, {self.event_id}): {self.reason}"


@dataclass(frozen=True, slots=True)
class ChainReport:
    events: int
    erased: int
    head: str
    first_break: ChainBreak | None

    @property
    def verified(self) -> bool:
        return self.first_break is None


def _fault(event: ChainedEvent, previous: str) -> str | None:
    """Why ``event`` does not follow ``previous`` in the chain, or None when it does."""
    if event.hash is None or event.digest is None:
        return "it carries no hash (added outside Thematica?)"
    if event.erased_by() is None and payload_digest(event.before, event.after) != event.digest:
        return "its before/after payload was changed after it was recorded"
    expected = chain_hash(
        previous,
        event_id=event.id,
        study_id=event.study_id,
        actor=event.actor,
        at=event.at,
        kind=event.kind,
        entity_id=event.entity_id,
        digest=event.digest,
    )
    if expected != event.hash:
        return (
            "its actor, time, kind or entity was changed, or the event before it was deleted, "
            "changed or inserted"
        )
    return None


def verify_chain(events: Iterable[ChainedEvent]) -> ChainReport:
    """Walk one study's events in sequence order; stop at the first broken link."""
    previous = ""
    count = 0
    erasures: dict[str, set[str]] = {}
    claimed: list[ChainedEvent] = []
    for event in events:
        count += 1
        reason = _fault(event, previous)
        if reason is not None:
            fault = ChainBreak(event.sequence, event.id, event.kind, reason)
            return ChainReport(count, len(claimed), previous, fault)
        if event.erased_by() is not None:
            claimed.append(event)
        if event.kind == "participant.erased" and event.after is not None:
            erasures[str(event.id)] = {str(i) for i in event.after.get("events_erased", [])}
        assert event.hash is not None
        previous = event.hash
    for event in claimed:
        if str(event.id) not in erasures.get(str(event.erased_by()), set()):
            fault = ChainBreak(
                event.sequence,
                event.id,
                event.kind,
                "its payload is marked erased, but no erasure on the record lists it",
            )
            return ChainReport(count, len(claimed), previous, fault)
    return ChainReport(count, len(claimed), previous, None)
