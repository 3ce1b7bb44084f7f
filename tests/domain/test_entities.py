from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from thematica.domain.codings import Coding, Origin, Valence
from thematica.domain.events import EventKind, make_event, snapshot
from thematica.domain.ids import CodeId, CoderId, CodingId, DocumentId, ParticipantId, StudyId
from thematica.domain.study import Document, Participant, Turn, normalize_attributes
from thematica.domain.text import Span
from thematica.errors import InvalidInputError, SpanError

STUDY = StudyId(uuid.uuid4())


def test_attributes_are_multi_valued_and_cleaned() -> None:
    attrs = normalize_attributes(
        {"contract": ["Permanent", " Fixed term ", "", "Permanent"], "setting": "NHS", "blank": ""}
    )
    assert attrs == {"contract": ("Permanent", "Fixed term"), "setting": ("NHS",)}
    p = Participant(ParticipantId(uuid.uuid4()), STUDY, "P01", attributes=attrs)
    assert p.attributes["contract"] == ("Permanent", "Fixed term")


def test_document_text_must_be_canonical_and_turns_ordered() -> None:
    with pytest.raises(InvalidInputError, match="canonical"):
        Document(DocumentId(uuid.uuid4()), STUDY, "D", "a\r\nb")
    turns = (Turn(Span(0, 3), "A"), Turn(Span(2, 5), "B"))
    with pytest.raises(SpanError, match="overlap"):
        Document(DocumentId(uuid.uuid4()), STUDY, "D", "hello world", turns=turns)
    with pytest.raises(SpanError, match="past the end"):
        Document(DocumentId(uuid.uuid4()), STUDY, "D", "hi", turns=(Turn(Span(0, 9), "A"),))


def test_turn_at() -> None:
    doc = Document(
        DocumentId(uuid.uuid4()),
        STUDY,
        "D",
        "A: hi\nB: yo",
        turns=(Turn(Span(0, 5), "A"), Turn(Span(6, 11), "B")),
    )
    assert doc.turn_at(7) is not None and doc.turn_at(7).speaker == "B"  # type: ignore[union-attr]
    assert doc.turn_at(5) is None


def _coding(**kw: object) -> Coding:
    base: dict[str, object] = dict(
        id=CodingId(uuid.uuid4()),
        study_id=STUDY,
        document_id=DocumentId(uuid.uuid4()),
        code_id=CodeId(uuid.uuid4()),
        coder_id=CoderId(uuid.uuid4()),
        span=Span(0, 4),
        created_at=datetime.now(UTC),
    )
    base.update(kw)
    return Coding(**base)  # type: ignore[arg-type]


def test_assisted_coding_must_name_its_model_and_score_in_range() -> None:
    with pytest.raises(InvalidInputError, match="model"):
        _coding(origin=Origin.ASSISTED)
    with pytest.raises(InvalidInputError, match=r"\[0, 1\]"):
        _coding(origin=Origin.ASSISTED, origin_detail="minilm", score=1.5)
    assert _coding(origin=Origin.ASSISTED, origin_detail="minilm", score=0.7).score == 0.7


def test_valence_parse() -> None:
    assert Valence.parse(" Barrier ") is Valence.BARRIER
    assert Valence.parse("") is None
    with pytest.raises(InvalidInputError, match="barrier, facilitator, mixed"):
        Valence.parse("neutral")


def test_snapshot_is_json_ready() -> None:
    import json

    coding = _coding(valence=Valence.MIXED)
    data = snapshot(coding)
    assert data["span"] == [0, 4] and data["valence"] == "mixed" and data["origin"] == "human"
    json.dumps(data)
    event = make_event(STUDY, "robin", EventKind.CODING_APPLIED, coding.id, after=data)
    assert event.after is not None and event.at.tzinfo is not None


def test_a_coding_event_payload_leaves_out_empty_fields_but_keeps_every_value() -> None:
    plain = _coding()
    payload = plain.as_payload(applied=True)
    assert set(payload) == {"document_id", "code_id", "coder_id", "span", "origin"}
    assert "created_at" in plain.as_payload()  # a change or removal keeps the creation time
    full = _coding(valence=Valence.BARRIER, memo="why", score=0.5, origin_detail="NVivo")
    kept = full.as_payload(applied=True)
    assert (kept["valence"], kept["memo"], kept["score"], kept["origin_detail"]) == (
        "barrier",
        "why",
        0.5,
        "NVivo",
    )
