"""The fictional demo study: it must build end to end, and say everywhere that it is fictional."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import DEMO, DemoRun
from thematica.domain.rounds import consensus_coder_name
from thematica.domain.text import canonicalize
from thematica.services.coding import coded_segments
from thematica.services.demo import DEMO_ROUND, DEMO_STUDY
from thematica.services.demo_deid import read_decisions
from thematica.services.documents import list_documents
from thematica.services.participants import list_participants
from thematica.services.redaction import redaction_log
from thematica.services.rounds import list_disagreements
from thematica.services.scope import open_db
from thematica.services.studies import study_stats

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


@dataclass(frozen=True)
class _Built:
    codes: int
    disagreements: int
    replaced: int
    waived: bool


@pytest.fixture(scope="module")
def demo_db(demo_run: DemoRun):  # type: ignore[no-untyped-def]
    """The session's demo study, and the figures `thematica demo` printed about it."""
    db = open_db(str(demo_run.database))
    said = demo_run.output
    disagreements = re.search(r"\(blind, closed\): (\d+) disagreement", said)
    replaced = re.search(r"before coding: (\d+) identifiers replaced", said)
    assert disagreements and replaced, said[-2000:]
    yield (
        db,
        _Built(
            study_stats(db, DEMO_STUDY).codes,
            int(disagreements.group(1)),
            int(replaced.group(1)),
            "review waived for" in said,
        ),
    )
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
    assert result.codes == 15


def test_demo_codings_match_the_quotes_and_the_round_has_disagreements(demo_db) -> None:  # type: ignore[no-untyped-def]
    db, result = demo_db
    source = _rows("codings.csv")
    segments = coded_segments(db, DEMO_STUDY)
    people = [s for s in segments if s["coder"] in ("Robin", "Sam")]
    assert len(people) == len(source)
    # The quotes were written against the transcripts as spoken; the codings sit on the
    # de-identified text, so each coded passage is its quote with the logged replacements made.
    assert sorted(str(s["text"]) for s in people) == sorted(
        _deidentified_quote(db, r["document"], r["quote"], int(r["occurrence"] or 1))
        for r in source
    )
    consensus = [s for s in segments if s["coder"] == consensus_coder_name(DEMO_ROUND)]
    assert consensus, "units both coders agreed on enter the consensus layer"
    disagreements = list_disagreements(db, DEMO_ROUND, study=DEMO_STUDY)
    assert len(disagreements) == result.disagreements > 0
    assert {d.document for d in disagreements} <= {"P01", "P02", "P03", "P04"}


def _deidentified_quote(db, document: str, quote: str, occurrence: int) -> str:  # type: ignore[no-untyped-def]
    spoken, _ = canonicalize((DEMO / "transcripts" / f"{document}.txt").read_text("utf-8"))
    start = -1
    for _ in range(occurrence):
        start = spoken.index(quote, start + 1)
    end = start + len(quote)
    log = sorted(
        (
            r
            for r in redaction_log(db, study=DEMO_STUDY, document=document)
            if int(r["original_start"]) < end and start < int(r["original_end"])
        ),
        key=lambda r: int(r["original_start"]),
    )
    pieces, position = [], start
    for r in log:
        pieces += [spoken[position : int(r["original_start"])], str(r["label"])]
        position = int(r["original_end"])
    return "".join([*pieces, spoken[position:end]]) if log else quote


def test_demo_transcripts_are_deidentified_through_the_pre_decided_review(demo_db) -> None:  # type: ignore[no-untyped-def]
    db, result = demo_db
    assert not result.waived
    decisions = read_decisions(DEMO / "deid-decisions.csv")
    assert (DEMO / "deid-decisions.csv").read_text("utf-8").startswith("# FICTIONAL")
    texts = {d.name: d.text for d in list_documents(db, DEMO_STUDY)}
    log = redaction_log(db, study=DEMO_STUDY)
    assert len(log) == result.replaced > 100
    assert {r["document"] for r in log} == set(texts)
    for r in log:
        assert texts[str(r["document"])][int(r["start"]) : int(r["end"])] == r["label"]
    accepted = {t for (_, t, _), (d, _) in decisions.items() if d != "reject"}
    rejected = {t for (_, t, _), (d, _) in decisions.items() if d == "reject"}
    for text in texts.values():
        for name in accepted:
            assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text), name
    assert any(name in text for name in rejected for text in texts.values())
    # An identifier carries the same label in every transcript that mentions it (the fictional
    # interviewees share towns, not people).
    where: dict[str, set[str]] = {}
    for r in log:
        where.setdefault(str(r["label"]), set()).add(str(r["document"]))
    assert any(len(documents) > 1 for documents in where.values())
    # Nobody could code while the reviews were pending; now every document is codable.
    assert all(s["document"] in texts for s in coded_segments(db, DEMO_STUDY))


def test_the_demo_s_headline_figures_are_pinned(demo_db) -> None:  # type: ignore[no-untyped-def]
    """What the demo report says, pinned: a change that moves any figure fails here, and is then
    either a bug or a change to make on purpose (update the figure and say why in the commit).
    Figures as of December 2026: two fictional coders, 4 of 12 transcripts double-coded blind,
    the round closed and its 22 disagreements not yet resolved."""
    from thematica.services.report import gather_report

    db, result = demo_db
    report = gather_report(db, DEMO_STUDY, viewer="a reader")
    s = report.summary
    assert (s.participants, s.documents, s.themes, s.codes) == (12, 12, 5, 15)
    by_coder = study_stats(db, DEMO_STUDY).codings_by_coder
    assert (by_coder["Robin"] + by_coder["Sam"], result.disagreements) == (305, 22)
    assert (s.coders, s.double_coded) == (("Robin", "Sam"), 4)
    assert s.codings == 206, "passages in the analysis layer, each counted once"
    assert (s.coverage.coded, s.coverage.characters) == (31317, 139249)
    assert report.analysis_layer == (
        "Analysis layer: the consensus of round Double-coding P01-P04 for its 4 transcripts "
        "(22 disagreements not yet resolved, left out); the union of the coders' codings for "
        "the other transcripts, overlapping codings of a code counted once as one passage."
    )

    agreement = report.agreement
    assert agreement is not None
    assert (agreement.statistic, agreement.coders, agreement.documents) == (
        "Cohen's kappa",
        ("Robin", "Sam"),
        ("P01", "P02", "P03", "P04"),
    )
    pooled = agreement.pooled
    assert pooled is not None and pooled.units == 162
    assert pooled.value == pytest.approx(0.808, abs=5e-4)

    saturation = report.saturation
    assert (saturation.reached, saturation.saturation_point, saturation.base_codes) == (True, 6, 11)
    assert saturation.cumulative == (10, 10, 10, 11, 13, 14, 14, 14, 14, 15, 15, 15)
    assert "over the 12 coded interviews in the order they were imported" in saturation.verdict

    counts = {f.code: f.codings for f in report.frequencies}
    assert sum(counts.values()) == 206
    assert counts["Flexibility and structure in the role > Role clarity and boundaries"] == 23
    assert report.co_occurrence.pairs()[0] == (
        "Flexibility and structure in the role > Role clarity and boundaries",
        "Team and leadership that value peer workers > Leadership backing",
        7,
    )
