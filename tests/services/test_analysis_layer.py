"""The analysis layer: consensus where a round was resolved, else a chosen coder or the union of
coders counted once; blind rounds hide codings from everyone but their author; memo authors and
consensus layers are not people who code."""

from __future__ import annotations

import pytest

from tests.conftest import TRANSCRIPT, both_backends
from thematica.errors import ConflictError, InvalidInputError, NotFoundError
from thematica.services.agreement import measure_agreement
from thematica.services.coding import CodingRequest, apply_codings
from thematica.services.documents import add_text
from thematica.services.memos import write_memo
from thematica.services.report import gather_report
from thematica.services.rounds import close_round, open_round, resolve_disagreement
from thematica.services.study_record import set_study_record
from thematica.storage import Database, UnitOfWork

SUPERVISION = "My supervisor, um, she gets it."
RECOVERY = "Through my own recovery"
PAY = "The pay is poor"
CONTRACT = "the contract keeps being renewed for six months"


def _at(phrase: str, length: int | None = None) -> tuple[int, int]:
    start = TRANSCRIPT.index(phrase)
    return start, start + (length if length is not None else len(phrase))


def _code(db: Database, study: str, *codings: tuple[str, str, str, str | None, int | None]) -> None:
    requests = []
    for coder, phrase, code, valence, length in codings:
        start, end = _at(phrase, length)
        requests.append(CodingRequest("T1", start, end, code, coder, valence))
    apply_codings(db, requests, study=study, actor="tester")


def _double_code(db: Database, study: str) -> None:
    """Robin and Sam agree on supervision (Sam codes less of it); only Sam codes pay; only Robin
    codes recovery as a systemic matter."""
    _code(
        db,
        study,
        ("Robin", SUPERVISION, "Support > Peer supervision", "facilitator", None),
        ("Sam", SUPERVISION, "Support > Peer supervision", "facilitator", 13),
        ("Sam", PAY, "Systemic > Pay", "barrier", None),
        ("Robin", RECOVERY, "Systemic", None, None),
    )


def _layer(db: Database, study: str, **options: str) -> list[tuple[str, str, str | None, str]]:
    report = gather_report(db, study, viewer="lead", **options)  # type: ignore[arg-type]
    return sorted((s.code, s.text, s.valence, s.coder) for s in report.segments)


@both_backends
def test_union_counts_a_passage_two_coders_coded_once(db: Database, study: str) -> None:
    _double_code(db, study)
    report = gather_report(db, study, viewer="lead")
    assert sorted((s.code, s.text, s.valence) for s in report.segments) == [
        ("Support > Peer supervision", SUPERVISION, "facilitator"),
        ("Systemic", RECOVERY, None),
        ("Systemic > Pay", PAY, "barrier"),
    ]
    supervision = next(f for f in report.frequencies if f.code == "Support > Peer supervision")
    assert supervision.codings == 1, "not one per coder"
    assert "the union of the coders' codings for every transcript" in report.methods
    assert report.analysis_layer in report.methods
    assert report.summary.coders == ("Robin", "Sam") and report.summary.double_coded == 1


def test_a_chosen_coder_by_option_or_study_record(db: Database, study: str) -> None:
    _double_code(db, study)
    assert [s[:2] for s in _layer(db, study, layer="sam")] == [
        ("Support > Peer supervision", SUPERVISION[:13]),
        ("Systemic > Pay", PAY),
    ]
    set_study_record(db, "analysis_layer", "Robin", study=study, actor="lead")
    report = gather_report(db, study, viewer="lead")
    assert {s.coder for s in report.segments} == {"Robin"}
    assert "Robin's codings for every transcript (the study record's choice)" in report.methods
    with pytest.raises(NotFoundError, match="'Alex', who is not a coder"):
        gather_report(db, study, layer="Alex")


@both_backends
def test_a_resolved_round_s_consensus_is_the_layer(db: Database, study: str) -> None:
    open_round(db, "R1", coders=["Robin", "Sam"], study=study, actor="lead")
    _double_code(db, study)
    views = close_round(db, "R1", study=study, actor="lead")
    unit = {v.code: v.disagreement.span.start for v in views}
    assert set(unit) == {"Systemic > Pay", "Systemic"}
    # Before any resolution: only the agreed unit, with the coders' passage and valence.
    assert _layer(db, study) == [
        ("Support > Peer supervision", SUPERVISION, "facilitator", "Consensus (R1)")
    ]
    assert "2 disagreements not yet resolved, left out" in gather_report(db, study).methods

    pay_start, pay_end = _at(PAY + " and " + CONTRACT)
    resolve_disagreement(
        db,
        "R1",
        document="T1",
        start=unit["Systemic > Pay"],
        code="Systemic > Pay",
        decision="present",
        decided_by="Robin and Sam",
        rationale="Pay and contract are one complaint.",
        passage=(pay_start, pay_end),
        valence="barrier",
        study=study,
    )
    resolve_disagreement(
        db,
        "R1",
        document="T1",
        start=unit["Systemic"],
        code="Systemic",
        decision="absent",
        decided_by="Robin and Sam",
        rationale="Recovery is personal, not systemic.",
        study=study,
    )
    assert _layer(db, study) == [
        ("Support > Peer supervision", SUPERVISION, "facilitator", "Consensus (R1)"),
        ("Systemic > Pay", PAY + " and " + CONTRACT, "barrier", "Consensus (R1)"),
    ], "absent removes the passage; present keeps the span and valence decided"
    report = gather_report(db, study, layer="Robin")
    assert "the consensus of round R1 for its 1 transcript" in report.methods
    assert (
        report.analysis_layer == "Analysis layer: the consensus of round R1 for its 1 transcript."
    )
    assert {s.coder for s in report.segments} == {"Consensus (R1)"}, "consensus wins"
    assert report.summary.coders == ("Robin", "Sam")


def test_a_resolution_defaults_to_the_coders_passage_and_refuses_one_outside_the_unit(
    db: Database, study: str
) -> None:
    open_round(db, "R1", coders=["Robin", "Sam"], study=study, actor="lead")
    _double_code(db, study)
    views = close_round(db, "R1", study=study, actor="lead")
    pay = next(v for v in views if v.code == "Systemic > Pay")
    common = {
        "document": "T1",
        "start": pay.disagreement.span.start,
        "code": "Systemic > Pay",
        "decided_by": "team",
        "rationale": "r",
        "study": study,
    }
    with pytest.raises(InvalidInputError, match="lies outside the unit"):
        resolve_disagreement(db, "R1", decision="present", passage=(0, 5), **common)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="takes no passage or valence"):
        resolve_disagreement(db, "R1", decision="absent", valence="barrier", **common)  # type: ignore[arg-type]
    resolution = resolve_disagreement(db, "R1", decision="present", **common)  # type: ignore[arg-type]
    assert resolution.passage is not None and resolution.passage.of(TRANSCRIPT) == PAY
    assert resolution.valence is not None and resolution.valence.value == "barrier"
    assert ("Systemic > Pay", PAY, "barrier", "Consensus (R1)") in _layer(db, study)


@both_backends
def test_an_open_blind_round_hides_codings_from_everyone_but_their_author(
    db: Database, study: str
) -> None:
    add_text(db, "T2", TRANSCRIPT, study=study, actor="tester")
    open_round(db, "R1", coders=["Robin", "Sam"], documents=["T1"], study=study, actor="lead")
    _double_code(db, study)
    start, end = _at(PAY)
    apply_codings(
        db, [CodingRequest("T2", start, end, "Systemic > Pay", "Alex")], study=study, actor="t"
    )
    as_lead = gather_report(db, study, viewer="lead")
    assert [(s.document, s.code) for s in as_lead.segments] == [("T2", "Systemic > Pay")]
    assert "Round R1 is open and blind: 4 codings of its transcripts are left out" in (
        as_lead.methods
    )
    as_sam = gather_report(db, study, viewer="Sam")
    assert {(s.document, s.text) for s in as_sam.segments} == {
        ("T1", SUPERVISION[:13]),
        ("T1", PAY),
        ("T2", PAY),
    }, "Sam sees Sam's own, never Robin's"
    with pytest.raises(ConflictError, match="open blind round"):
        from pathlib import Path

        from thematica.services.projects import export_project

        export_project(db, Path(db.sqlite_path or ".").parent / "out.qdpx", study=study)


def test_memo_authors_are_not_coders_and_two_people_give_cohen_s_kappa(
    db: Database, study: str
) -> None:
    _double_code(db, study)
    write_memo(db, "Supervision keeps coming up.", author="Alex", study=study)
    report = gather_report(db, study, viewer="lead")
    assert report.summary.coders == ("Robin", "Sam")
    found = measure_agreement(db, study=study, ci=False)
    assert found.coders == ("Robin", "Sam")
    assert found.statistic_name == "Cohen's kappa"


def test_consensus_layers_are_found_by_kind_not_by_name(db: Database, study: str) -> None:
    """A person who happens to be called like a consensus layer stays a person."""
    add_text(db, "T2", TRANSCRIPT, study=study, actor="tester")
    start, end = _at(PAY)
    apply_codings(
        db,
        [CodingRequest("T2", start, end, "Systemic > Pay", "Consensus (R1)")],
        study=study,
        actor="t",
    )
    open_round(db, "R1", coders=["Robin", "Sam"], documents=["T1"], study=study, actor="lead")
    _double_code(db, study)
    close_round(db, "R1", study=study, actor="lead")
    with UnitOfWork(db) as uow:
        kinds = {c.name: c.kind.value for c in uow.coders.all(uow.studies.all()[0].id)}
    assert kinds == {
        "Consensus (R1)": "person",
        "Consensus (R1) 2": "consensus",
        "Robin": "person",
        "Sam": "person",
    }
    layer = _layer(db, study)
    assert ("Systemic > Pay", PAY, None, "union of coders") in layer, "the person's coding counts"
    assert {s[3] for s in layer} == {"union of coders", "Consensus (R1) 2"}
    with pytest.raises(InvalidInputError, match="consensus layer, not a person"):
        apply_codings(
            db,
            [CodingRequest("T2", start, end, "Systemic > Pay", "Consensus (R1) 2")],
            study=study,
            actor="t",
        )
