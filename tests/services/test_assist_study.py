"""Search by meaning and discovery of uncoded themes on a study's own passages: the fictional
demo study (lexical fallback for speed, the packaged model where marked slow)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import needs_model
from thematica.errors import InvalidInputError, NotFoundError
from thematica.services.assist_study import discover_themes, search_passages, study_passages
from thematica.services.coding import apply_coding
from thematica.services.demo import build_demo
from thematica.services.scope import open_db
from thematica.storage import Database, UnitOfWork


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_db(str(tmp_path_factory.mktemp("assist") / "demo.db"), create=True)
    build_demo(db)
    yield db
    db.dispose()


def test_passages_are_the_documents_sentences(demo: Database) -> None:
    passages = study_passages(demo, None)
    assert len(passages) > 100
    with UnitOfWork(demo) as uow:
        texts = {d.name: d.text for d in uow.documents.all(uow.studies.all()[0].id)}
    for p in passages[:50]:
        assert texts[p.document][p.start : p.end] == p.text and p.text.strip()


def test_uncoded_passages_exclude_every_coded_one(study: str, db: Database) -> None:
    every = study_passages(db, study)
    apply_coding(
        db, "T1", every[1].start, every[1].end, "Systemic > Pay", coder="Robin", study=study
    )
    uncoded = study_passages(db, study, uncoded_only=True)
    assert every[1] not in uncoded and len(uncoded) == len(every) - 1


def test_lexical_search_finds_the_passage_sharing_words(study: str, db: Database) -> None:
    found = search_passages(db, "contract renewed", study=study, model="lexical", limit=2)
    assert "contract keeps being renewed" in found[0].text
    assert found[0].score is not None and found[0].score > (found[1].score or 0)


def test_search_refuses_nothing_and_names_a_missing_study(study: str, db: Database) -> None:
    with pytest.raises(InvalidInputError, match="say what to search for"):
        search_passages(db, "  ", study=study, model="lexical")
    with pytest.raises(NotFoundError, match="no study named"):
        search_passages(db, "pay", study="Nope", model="lexical")


@needs_model
@pytest.mark.slow
def test_model_search_finds_meaning_without_shared_words(study: str, db: Database) -> None:
    # "wages" and "salary" appear nowhere in the transcript; "pay" does.
    found = search_passages(db, "low wages and salary", study=study, model="minilm", limit=2)
    assert {p.text for p in found} == {
        "Interviewer: And the pay?",
        "Participant: The pay is poor and the contract keeps being renewed for six months.",
    }


def test_discovery_offers_clusters_of_uncoded_passages(demo: Database) -> None:
    candidates = discover_themes(demo, clusters=4, model="lexical", quotes=2)
    assert len(candidates) == 4
    sizes = [c.size for c in candidates]
    assert sizes == sorted(sizes, reverse=True)
    uncoded = {(p.document, p.start) for p in study_passages(demo, None, uncoded_only=True)}
    assert sum(sizes) == len(uncoded)
    for candidate in candidates:
        assert candidate.terms and candidate.label.startswith(candidate.terms[0])
        assert 1 <= len(candidate.quotes) <= 2
        assert all((q.document, q.start) in uncoded for q in candidate.quotes)


def test_discovery_is_reproducible_and_needs_enough_passages(study: str, db: Database) -> None:
    first = discover_themes(db, study=study, clusters=2, model="lexical")
    assert discover_themes(db, study=study, clusters=2, model="lexical") == first
    with pytest.raises(InvalidInputError, match="too few for 50 clusters"):
        discover_themes(db, study=study, clusters=50, model="lexical")
