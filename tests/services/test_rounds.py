"""Blind double-coding rounds, disagreements and consensus."""

from __future__ import annotations

import csv
from functools import partial
from pathlib import Path

import pytest

from tests.conftest import TRANSCRIPT, both_backends
from thematica.domain.rounds import consensus_coder_name
from thematica.errors import ConflictError, InvalidInputError, NotFoundError
from thematica.services.coding import apply_coding, coded_segments
from thematica.services.documents import add_text
from thematica.services.rounds import (
    close_round,
    export_resolutions,
    list_disagreements,
    list_rounds,
    open_round,
    resolve_disagreement,
)
from thematica.storage import Database

SUPERVISION = TRANSCRIPT.index("My supervisor")
PAY = TRANSCRIPT.index("The pay is poor")


def _code_both(db: Database, study: str) -> None:
    # Robin and Sam agree on supervision (turn 2); only Sam codes pay (turn 4).
    apply_coding(
        db,
        "T1",
        SUPERVISION,
        SUPERVISION + 13,
        "Support > Peer supervision",
        coder="Robin",
        study=study,
    )
    apply_coding(
        db,
        "T1",
        SUPERVISION,
        SUPERVISION + 30,
        "Support > Peer supervision",
        coder="Sam",
        study=study,
    )
    apply_coding(db, "T1", PAY, PAY + 15, "Systemic > Pay", coder="Sam", study=study)


@both_backends
def test_blind_round_hides_colleagues_until_closed(db: Database, study: str) -> None:
    open_round(db, "R1", coders=["Robin", "Sam"], study=study, actor="lead")
    _code_both(db, study)
    robin_view = coded_segments(db, study, viewer="Robin")
    assert {r["coder"] for r in robin_view} == {"Robin"}
    # Anyone else (the lead, or a coder under another name) sees none of them: a list or an
    # export can be passed on to the round's coders.
    assert coded_segments(db, study, viewer="lead") == []
    assert coded_segments(db, study) == [], "the acting user is not a round coder"
    with pytest.raises(ConflictError, match="open and blind"):
        list_disagreements(db, "R1", study=study)
    close_round(db, "R1", study=study, actor="lead")
    assert len(coded_segments(db, study, viewer="lead")) == 3 + 1, "and the consensus coding"
    assert {r["coder"] for r in coded_segments(db, study, viewer="Robin")} >= {"Robin", "Sam"}


def test_not_blind_round_shows_everything(db: Database, study: str) -> None:
    open_round(db, "R1", coders=["Robin", "Sam"], study=study, blind=False)
    _code_both(db, study)
    assert {r["coder"] for r in coded_segments(db, study, viewer="Robin")} == {"Robin", "Sam"}


@both_backends
def test_close_lists_disagreements_and_builds_consensus(
    db: Database, study: str, tmp_path: Path
) -> None:
    open_round(db, "R1", coders=["Robin", "Sam"], study=study)
    _code_both(db, study)
    views = close_round(db, "R1", study=study)
    assert [(v.document, v.code, v.coded_by, v.not_coded_by) for v in views] == [
        ("T1", "Systemic > Pay", ("Sam",), ("Robin",))
    ]
    assert views[0].text.startswith("Participant: The pay is poor")
    consensus = [r for r in coded_segments(db, study) if r["coder"] == consensus_coder_name("R1")]
    assert [r["code"] for r in consensus] == ["Support > Peer supervision"], "agreed unit enters"

    resolve = partial(
        resolve_disagreement,
        db,
        "R1",
        document="T1",
        start=views[0].disagreement.span.start,
        code="Systemic > Pay",
        study=study,
    )
    with pytest.raises(InvalidInputError, match="rationale"):
        resolve(decision="present", decided_by="Robin", rationale=" ")
    resolve(
        decision="present",
        decided_by="Robin and Sam",
        rationale="Pay is explicitly raised as a problem.",
    )
    with pytest.raises(ConflictError, match="already resolved"):
        resolve(decision="absent", decided_by="x", rationale="y")
    after = list_disagreements(db, "R1", study=study)
    assert after[0].resolution is not None and after[0].resolution.decided_by == "Robin and Sam"
    layer = {
        r["code"] for r in coded_segments(db, study) if r["coder"] == consensus_coder_name("R1")
    }
    assert layer == {"Support > Peer supervision", "Systemic > Pay"}
    own = [r for r in coded_segments(db, study) if r["coder"] in ("Robin", "Sam")]
    assert len(own) == 3, "the coders' own codings are untouched"

    out = tmp_path / "resolutions.csv"
    assert export_resolutions(db, "R1", out, study=study) == 1
    with out.open(encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert row["decision"] == "present" and row["rationale"].startswith("Pay is explicitly")


def test_round_rules(db: Database, study: str) -> None:
    with pytest.raises(InvalidInputError, match="two or more coders"):
        open_round(db, "R", coders=["Robin", "Robin"], study=study)
    with pytest.raises(InvalidInputError, match="'word'"):
        open_round(db, "R", coders=["A", "B"], unit="word", study=study)
    open_round(db, "R", coders=["A", "B"], study=study)
    with pytest.raises(ConflictError, match="already exists"):
        open_round(db, "R", coders=["A", "B"], study=study)
    with pytest.raises(ConflictError, match="close round 'R' before"):
        resolve_disagreement(
            db,
            "R",
            document="T1",
            start=0,
            code="Support",
            decision="present",
            decided_by="A",
            rationale="r",
            study=study,
        )
    close_round(db, "R", study=study)
    with pytest.raises(ConflictError, match="already closed"):
        close_round(db, "R", study=study)
    with pytest.raises(NotFoundError, match="no disagreement"):
        resolve_disagreement(
            db,
            "R",
            document="T1",
            start=0,
            code="Support",
            decision="present",
            decided_by="A",
            rationale="r",
            study=study,
        )
    with pytest.raises(NotFoundError, match="no round named 'Z'"):
        list_disagreements(db, "Z", study=study)


def test_sampled_round_is_reproducible_and_stratified(db: Database, study: str) -> None:
    from thematica.services.participants import add_participant

    for i in range(2, 22):
        label = f"P{i:02d}"
        add_participant(db, label, study=study, attributes={"setting": "NHS" if i % 2 else "VCFSE"})
        add_text(db, f"T{i}", f"Participant: interview {i}", participant=label, study=study)
    first = open_round(
        db, "S1", coders=["A", "B"], fraction=0.2, seed=7, stratify_by="setting", study=study
    )
    second = open_round(
        db, "S2", coders=["A", "B"], fraction=0.2, seed=7, stratify_by="setting", study=study
    )
    third = open_round(
        db, "S3", coders=["A", "B"], fraction=0.2, seed=8, stratify_by="setting", study=study
    )
    assert first.document_ids == second.document_ids
    assert len(first.document_ids) == round(0.2 * 21)
    assert first.document_ids != third.document_ids
    assert "stratified by setting" in first.sampling
    assert [r.name for r in list_rounds(db, study)] == ["S1", "S2", "S3"]
    with pytest.raises(InvalidInputError, match="no participant has the attribute 'colour'"):
        open_round(db, "S4", coders=["A", "B"], fraction=0.5, stratify_by="colour", study=study)
