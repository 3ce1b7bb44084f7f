"""The hash chain over events: any edit, deletion or insertion is found, and named."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from thematica.domain.audit import (
    ERASED_KEY,
    ChainedEvent,
    canonical_json,
    chain_hash,
    payload_digest,
    verify_chain,
)

STUDY = uuid.UUID(int=1)


def _chain(n: int) -> list[ChainedEvent]:
    events, previous = [], ""
    for i in range(n):
        before, after = None, {"name": f"code {i}", "n": i}
        digest = payload_digest(before, after)
        event_id = uuid.UUID(int=100 + i)
        at = datetime(2026, 12, 4, 10, i, tzinfo=UTC)
        head = chain_hash(
            previous,
            event_id=event_id,
            study_id=STUDY,
            actor="ann",
            at=at,
            kind="code.added",
            entity_id=None,
            digest=digest,
        )
        events.append(
            ChainedEvent(
                i + 1, event_id, STUDY, "ann", at, "code.added", None, before, after, digest, head
            )
        )
        previous = head
    return events


def test_an_untouched_chain_verifies_and_reports_its_head() -> None:
    events = _chain(5)
    report = verify_chain(events)
    assert report.verified and report.events == 5 and report.head == events[-1].hash


def test_canonical_json_ignores_key_order_and_keeps_unicode() -> None:
    assert canonical_json({"b": 1, "a": "é"}) == canonical_json({"a": "é", "b": 1})
    assert canonical_json({"a": "é"}) == '{"a":"é"}'.encode()


def test_changed_actor_is_named_at_that_event() -> None:
    from dataclasses import replace

    events = _chain(5)
    events[2] = replace(events[2], actor="mallory")
    fault = verify_chain(events).first_break
    assert fault is not None and fault.sequence == 3 and "actor" in fault.reason


def test_changed_payload_is_named() -> None:
    from dataclasses import replace

    events = _chain(4)
    events[1] = replace(events[1], after={"name": "something else", "n": 1})
    fault = verify_chain(events).first_break
    assert fault is not None and fault.sequence == 2 and "payload" in fault.reason


def test_deleted_event_breaks_the_next_link() -> None:
    events = _chain(5)
    del events[2]
    fault = verify_chain(events).first_break
    assert fault is not None and fault.sequence == 4


def test_erased_payload_verifies_only_when_an_erasure_lists_it() -> None:
    from dataclasses import replace

    events = _chain(3)
    erasure_id = uuid.UUID(int=999)
    events[0] = replace(events[0], before=None, after={ERASED_KEY: str(erasure_id)})
    fault = verify_chain(events).first_break
    assert fault is not None and fault.sequence == 1 and "no erasure" in fault.reason
    after = {"events_erased": [str(events[0].id)]}
    digest = payload_digest(None, after)
    at = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)
    head = chain_hash(
        events[-1].hash or "",
        event_id=erasure_id,
        study_id=STUDY,
        actor="ann",
        at=at,
        kind="participant.erased",
        entity_id=None,
        digest=digest,
    )
    events.append(
        ChainedEvent(
            4, erasure_id, STUDY, "ann", at, "participant.erased", None, None, after, digest, head
        )
    )
    report = verify_chain(events)
    assert report.verified and report.erased == 1
