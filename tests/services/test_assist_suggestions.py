"""Deductive suggestions: zero-shot from the codebook, a calibrated classifier once a code has
examples, and nothing applied until a person accepts (lexical fallback for speed, the
packaged model where marked slow)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import both_backends, needs_model
from thematica.domain.codings import Origin
from thematica.errors import ConflictError, InvalidInputError, NotFoundError
from thematica.services.assist_suggestions import (
    decide_suggestion,
    list_suggestions,
    suggest_codings,
)
from thematica.services.demo import build_demo
from thematica.services.scope import open_db
from thematica.storage import Database, UnitOfWork

PAY = "Systemic > Pay"


def _codings(db: Database) -> list:  # type: ignore[type-arg]
    with UnitOfWork(db) as uow:
        return uow.codings.all(uow.studies.all()[0].id)


@both_backends
def test_zero_shot_suggestions_wait_for_a_person(study: str, db: Database) -> None:
    made = suggest_codings(db, study=study, model="lexical", limit=2, actor="tester")
    assert {v.code for v in made} == {"Support", "Support > Peer supervision", "Systemic", PAY}
    assert all(v.status == "pending" and v.method == "zero-shot" for v in made)
    pay = [v for v in made if v.code == PAY]
    assert "pay" in pay[0].text.lower()
    assert pay[0].score >= pay[1].score
    assert _codings(db) == []  # nothing applied


@both_backends
def test_accepting_makes_an_assisted_coding_by_the_person(study: str, db: Database) -> None:
    [first, *_] = [
        v for v in suggest_codings(db, study=study, codes=(PAY,), model="lexical", limit=3)
    ]
    accepted = decide_suggestion(db, str(first.id), accept=True, study=study, actor="Robin")
    assert accepted.status == "accepted"
    [coding] = _codings(db)
    assert coding.origin is Origin.ASSISTED
    assert coding.origin_detail == first.model and coding.score == pytest.approx(first.score)
    assert (coding.span.start, coding.span.end) == (first.start, first.end)
    with UnitOfWork(db) as uow:
        [coder] = [c for c in uow.coders.all(coding.study_id) if c.id == coding.coder_id]
        kinds = [e.kind for e in uow.events.all(coding.study_id)]
    assert coder.name == "Robin"
    assert "assist.decided" in kinds and "coding.applied" in kinds
    with pytest.raises(ConflictError, match="already accepted by Robin"):
        decide_suggestion(db, str(first.id), accept=False, study=study)


def test_rejections_are_kept_and_never_suggested_again(study: str, db: Database) -> None:
    first = suggest_codings(db, study=study, codes=(PAY,), model="lexical", limit=1)[0]
    decide_suggestion(db, str(first.id), accept=False, study=study, actor="Sam")
    again = suggest_codings(db, study=study, codes=(PAY,), model="lexical", limit=10)
    assert (first.document, first.start) not in {(v.document, v.start) for v in again}
    [rejected] = list_suggestions(db, study=study, status="rejected")
    assert rejected.id == first.id and _codings(db) == []


def test_unknown_suggestions_are_named(study: str, db: Database) -> None:
    with pytest.raises(NotFoundError, match="no suggestion with id"):
        decide_suggestion(db, "0b2f7c58-7a38-4f0e-9a40-2ad1c1cf6a10", accept=True, study=study)
    with pytest.raises(InvalidInputError, match="not a suggestion id"):
        decide_suggestion(db, "nonsense", accept=True, study=study)


def test_a_pending_suggestion_may_be_named_by_the_start_of_its_id(study: str, db: Database) -> None:
    first = suggest_codings(db, study=study, codes=(PAY,), model="lexical", limit=1)[0]
    decided = decide_suggestion(db, str(first.id)[:8], accept=False, study=study)
    assert decided.id == first.id and decided.status == "rejected"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_db(str(tmp_path_factory.mktemp("suggest") / "demo.db"), create=True)
    build_demo(db)
    yield db
    db.dispose()


def test_a_code_with_examples_gets_a_calibrated_classifier(demo: Database) -> None:
    with UnitOfWork(demo) as uow:
        study = uow.studies.all()[0]
        book = uow.codes.codebook(study.id)
    path = next(book.path_text(c.id) for c in book if c.name == "Peer supervision")
    made = suggest_codings(demo, codes=(path,), model="lexical", limit=5)
    assert len(made) == 5 and all(v.method == "classifier" for v in made)
    assert all(0.0 <= v.score <= 1.0 for v in made)
    distance = [abs(v.score - 0.5) for v in made]
    assert distance == sorted(distance)  # the most informative first
    assert all(v.evidence for v in made)  # the nearest coded passages are shown


@needs_model
@pytest.mark.slow
def test_packaged_model_suggests_pay_for_pay(study: str, db: Database) -> None:
    made = suggest_codings(db, study=study, codes=(PAY,), model="minilm", limit=1)
    assert made[0].model == "sentence-transformers/all-MiniLM-L6-v2"
    assert "pay" in made[0].text.lower()
