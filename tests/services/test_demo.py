"""The fictional demo study: it must build end to end, and say everywhere that it is fictional."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import DEMO
from thematica.domain.rounds import consensus_coder_name
from thematica.services.coding import coded_segments
from thematica.services.demo import DEMO_ROUND, DEMO_STUDY, build_demo
from thematica.services.documents import list_documents
from thematica.services.participants import list_participants
from thematica.services.rounds import list_disagreements
from thematica.services.scope import open_db

FICTIONAL_LINE = (
    "FICTIONAL DEMO TRANSCRIPT. Written for the Thematica demo; no real person, service or "
    "interview."
)


def _rows(name: str) -> list[dict[str, str]]:
    with (DEMO / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_demo_file_says_it_is_fictional() -> None:
    transcripts = sorted((DEMO / "transcripts").glob("*.txt"))
    assert len(transcripts) == 12
    for path in transcripts:
        assert path.read_text(encoding="utf-8").startswith(FICTIONAL_LINE), path.name
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("**Everything in this folder is fictional")
    template = Path(__file__).resolve().parents[2] / "src/thematica/templates/README.md"
    text = template.read_text(encoding="utf-8")
    assert "Fictional demo material" in text and "**not** the paper's codebook" in text


def test_transcripts_are_interviews_of_realistic_length() -> None:
    for path in sorted((DEMO / "transcripts").glob("*.txt")):
        words = len(path.read_text(encoding="utf-8").split())
        assert 1500 <= words <= 3000, f"{path.name}: {words} words"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    db = open_db(str(tmp_path_factory.mktemp("demo") / "demo.db"), create=True)
    result = build_demo(db)
    yield db, result
    db.dispose()


def test_demo_builds_every_document_linked_to_its_participant(demo_db) -> None:  # type: ignore[no-untyped-def]
    db, result = demo_db
    people = {p.id: p for p in list_participants(db, DEMO_STUDY)}
    documents = list_documents(db, DEMO_STUDY)
    assert len(documents) == 12 and len(people) == 12
    for document in documents:
        assert document.participant_id in people
        assert people[document.participant_id].label == document.name
        assert {t.speaker for t in document.turns} == {"Interviewer", "Participant"}
    contract = [
        people[d.participant_id].attributes["contract_type"] for d in documents if d.participant_id
    ]
    assert sum(len(values) for values in contract) == 13, "one person holds two contracts"
    assert result.stats.codes == 15


def test_demo_codings_match_the_quotes_and_the_round_has_disagreements(demo_db) -> None:  # type: ignore[no-untyped-def]
    db, result = demo_db
    source = _rows("codings.csv")
    segments = coded_segments(db, DEMO_STUDY)
    people = [s for s in segments if s["coder"] in ("Robin", "Sam")]
    assert len(people) == len(source)
    assert sorted(str(s["text"]) for s in people) == sorted(r["quote"] for r in source)
    consensus = [s for s in segments if s["coder"] == consensus_coder_name(DEMO_ROUND)]
    assert consensus, "units both coders agreed on enter the consensus layer"
    disagreements = list_disagreements(db, DEMO_ROUND, study=DEMO_STUDY)
    assert len(disagreements) == result.disagreements > 0
    assert {d.document for d in disagreements} <= {"P01", "P02", "P03", "P04"}
