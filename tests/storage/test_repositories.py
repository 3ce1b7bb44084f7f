"""Repositories and the unit of work, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from tests.conftest import both_backends
from thematica.domain.codings import Coder, Coding, Origin, Valence
from thematica.domain.events import EventKind, make_event
from thematica.domain.ids import (
    CodeId,
    CoderId,
    CodingId,
    DocumentId,
    ParticipantId,
    SetId,
    StudyId,
)
from thematica.domain.sets import NamedSet
from thematica.domain.study import Document, Participant, Study, Turn
from thematica.domain.text import Span
from thematica.errors import ConflictError
from thematica.storage import Database, UnitOfWork


def _study(uow: UnitOfWork, name: str = "S") -> Study:
    study = Study(StudyId(uuid.uuid4()), name, datetime.now(UTC))
    uow.studies.add(study)
    return study


@both_backends
def test_round_trip_of_every_entity(db: Database) -> None:
    from thematica.domain.codebook import Code

    with UnitOfWork(db) as uow:
        study = _study(uow)
        person = Participant(
            ParticipantId(uuid.uuid4()),
            study.id,
            "P01",
            "Ash",
            {"contract_type": ("Self-employed", "Permanent"), "setting": ("NHS",)},
        )
        uow.participants.add(person)
        text = "Interviewer: Hi\n\nParticipant: Héllo 😀 there"
        doc = Document(
            DocumentId(uuid.uuid4()),
            study.id,
            "P01",
            text,
            "P01.txt",
            "txt",
            "ab" * 32,
            person.id,
            (Turn(Span(0, 15), "Interviewer", 1.5, 3.0), Turn(Span(17, len(text)), "Participant")),
            datetime.now(UTC),
        )
        uow.documents.add(doc)
        theme = Code(
            CodeId(uuid.uuid4()),
            study.id,
            "Support",
            colour="#336699",
            definition="d",
            inclusion="i",
            exclusion="e",
            example="x",
        )
        uow.codes.add(theme)
        coder = Coder(CoderId(uuid.uuid4()), study.id, "Robin")
        uow.coders.add(coder)
        coding = Coding(
            CodingId(uuid.uuid4()),
            study.id,
            doc.id,
            theme.id,
            coder.id,
            Span(text.index("😀"), text.index("😀") + 1),
            datetime.now(UTC),
            Origin.ASSISTED,
            "all-MiniLM-L6-v2",
            0.8,
            Valence.FACILITATOR,
            "memo",
        )
        uow.codings.add_many([coding])
        uow.sets.add(
            NamedSet(SetId(uuid.uuid4()), study.id, "NHS interviews", "d", (doc.id,), (theme.id,))
        )
        uow.events.append(
            [
                make_event(
                    study.id, "Robin", EventKind.CODING_APPLIED, coding.id, after={"x": [1, 2]}
                )
            ]
        )
        uow.commit()
    with UnitOfWork(db) as uow:
        assert uow.participants.by_label(study.id, "P01") == person
        assert uow.documents.by_name(study.id, "P01") == doc
        assert uow.codes.codebook(study.id).get(theme.id) == theme
        stored = uow.codings.get(coding.id)
        assert stored == coding
        # The column read (ids built from raw values: text on SQLite, UUIDs on PostgreSQL)
        # gives the same coding as the ORM read, with real UUIDs, through every filter.
        [listed] = uow.codings.all(study.id, document_id=doc.id, coder_id=coder.id)
        assert listed == coding and isinstance(listed.document_id, uuid.UUID)
        assert uow.codings.all(study.id, code_ids=[theme.id]) == [coding]
        assert uow.codings.all(study.id, code_ids=[CodeId(uuid.uuid4())]) == []
        assert stored is not None and stored.span.of(doc.text) == "😀"
        events = uow.events.all(study.id)
        assert [e.kind for e in events] == [EventKind.CODING_APPLIED]
        assert events[0].after == {"x": [1, 2]} and events[0].sequence is not None
        assert uow.counts(study.id)["codings"] == 1
        [named] = uow.sets.all(study.id)
        assert (named.name, named.document_ids, named.code_ids) == (
            "NHS interviews",
            (doc.id,),
            (theme.id,),
        )


@both_backends
def test_all_documents_carry_their_own_turns(db: Database) -> None:
    with UnitOfWork(db) as uow:
        study = _study(uow)
        texts = {"B": "Interviewer: Hi\n\nParticipant: Yes", "A": "no turns here", "C": "Robin: ok"}
        turns = {
            "B": (Turn(Span(0, 15), "Interviewer"), Turn(Span(17, 33), "Participant")),
            "A": (),
            "C": (Turn(Span(0, 9), "Robin"),),
        }
        for name, text in texts.items():
            uow.documents.add(
                Document(DocumentId(uuid.uuid4()), study.id, name, text, turns=turns[name])
            )
        uow.commit()
    with UnitOfWork(db) as uow:
        listed = uow.documents.all(study.id)
        assert [(d.name, d.turns) for d in listed] == [(n, turns[n]) for n in ("A", "B", "C")]
        assert listed == [uow.documents.get(d.id) for d in listed]


@both_backends
def test_unit_of_work_rolls_back_without_commit(db: Database) -> None:
    with UnitOfWork(db) as uow:
        _study(uow, "never")
    with UnitOfWork(db) as uow:
        assert uow.studies.by_name("never") is None


@both_backends
def test_unique_names_become_conflicts(db: Database) -> None:
    with UnitOfWork(db) as uow:
        _study(uow, "dup")
        uow.commit()
    with (
        pytest.raises(ConflictError, match=r"a study named .dup. already exists in this database"),
        UnitOfWork(db) as uow,
    ):
        _study(uow, "dup")
        uow.commit()


@both_backends
def test_database_refuses_a_coding_of_a_missing_document(db: Database) -> None:
    with pytest.raises(ConflictError), UnitOfWork(db) as uow:
        study = _study(uow)
        uow.codings.add_many(
            [
                Coding(
                    CodingId(uuid.uuid4()),
                    study.id,
                    DocumentId(uuid.uuid4()),
                    CodeId(uuid.uuid4()),
                    CoderId(uuid.uuid4()),
                    Span(0, 1),
                    datetime.now(UTC),
                )
            ]
        )
        uow.commit()
