"""Revising the codebook and reading its history back from the event log."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import both_backends
from thematica.errors import ConflictError, InvalidInputError
from thematica.services.codebook import add_code, codebook, update_code
from thematica.services.codebook_edits import (
    delete_code,
    merge_codes,
    move_code,
    reorder_codes,
    split_code,
)
from thematica.services.codebook_history import codebook_as_of, codebook_changes, codebook_diff
from thematica.services.coding import apply_coding, coded_segments
from thematica.storage import Database


def _codes(db: Database, study: str) -> list[str]:
    book = codebook(db, study)
    return [book.path_text(c.id) for c in book]


@both_backends
def test_merge_moves_codings_collapses_duplicates_and_rehomes_children(
    db: Database, study: str
) -> None:
    apply_coding(db, "T1", 0, 10, "Systemic > Pay", coder="Robin", study=study)
    apply_coding(db, "T1", 0, 10, "Support", coder="Robin", study=study)  # duplicate after merge
    apply_coding(db, "T1", 20, 30, "Systemic > Pay", coder="Sam", study=study)
    add_code(db, "Systemic > Pay > Bands", study=study)
    result = merge_codes(db, "Systemic > Pay", "Support", study=study)
    assert (result.moved, result.collapsed, result.children_moved) == (1, 1, 1)
    assert "Support > Bands" in _codes(db, study) and "Systemic > Pay" not in _codes(db, study)
    assert sorted((r["code"], r["coder"]) for r in coded_segments(db, study)) == [
        ("Support", "Robin"),
        ("Support", "Sam"),
    ]
    merged = codebook_changes(db, study)[-1]
    assert (merged.kind, merged.code) == ("code.merged", "Pay"), "a merge names the code merged"


def test_merge_refuses_into_own_child(db: Database, study: str) -> None:
    with pytest.raises(ConflictError, match="own sub-code"):
        merge_codes(db, "Support", "Support > Peer supervision", study=study)
    with pytest.raises(InvalidInputError, match="into itself"):
        merge_codes(db, "Support", "support", study=study)


def test_move_and_reorder(db: Database, study: str) -> None:
    move_code(db, "Systemic > Pay", "Support", study=study)
    assert "Support > Pay" in _codes(db, study)
    with pytest.raises(ConflictError, match="inside itself"):
        move_code(db, "Support", "Support > Pay", study=study)
    reorder_codes(db, "Support", ["Pay", "Peer supervision"], study=study)
    assert _codes(db, study)[:3] == ["Support", "Support > Pay", "Support > Peer supervision"]
    replayed = codebook_as_of(db, None, study)
    assert [replayed.path_text(c.id) for c in replayed] == _codes(db, study), "log keeps order"
    with pytest.raises(InvalidInputError, match="exactly once"):
        reorder_codes(db, "Support", ["Pay"], study=study)
    move_code(db, "Support > Pay", None, study=study)
    assert "Pay" in _codes(db, study)


def test_split_assigns_chosen_codings(db: Database, study: str) -> None:
    a = apply_coding(db, "T1", 0, 10, "Support", coder="Robin", study=study)
    apply_coding(db, "T1", 20, 30, "Support", coder="Robin", study=study)  # not assigned: stays
    split_code(
        db,
        "Support",
        ["Emotional support", "Practical support"],
        {a.id: "Emotional support"},
        study=study,
    )
    coded = {(r["start"], r["code"]) for r in coded_segments(db, study)}
    assert coded == {(0, "Emotional support"), (20, "Support")}
    with pytest.raises(ConflictError, match="not assigned"):
        split_code(db, "Support", ["X"], {}, delete_original=True, study=study)
    assert "X" not in _codes(db, study), "a refused split leaves nothing behind"


def test_delete_needs_reassignment_or_confirmation(db: Database, study: str) -> None:
    apply_coding(db, "T1", 0, 10, "Systemic > Pay", coder="Robin", study=study)
    with pytest.raises(ConflictError, match="reassign them"):
        delete_code(db, "Systemic > Pay", study=study)
    with pytest.raises(ConflictError, match="sub-codes"):
        delete_code(db, "Systemic", confirm_loss=True, study=study)
    assert delete_code(db, "Systemic > Pay", reassign_to="Systemic", study=study) == 1
    assert [r["code"] for r in coded_segments(db, study)] == ["Systemic"]
    assert delete_code(db, "Systemic", confirm_loss=True, study=study) == 1
    assert coded_segments(db, study) == []


@both_backends
def test_history_rebuilds_earlier_codebooks_and_diffs(db: Database, study: str) -> None:
    start = datetime.now(UTC)
    update_code(db, "Support", study=study, definition="Being supported at work.")
    update_code(db, "Systemic > Pay", study=study, name="Pay and progression")
    add_code(db, "Support > Training", study=study)
    delete_code(db, "Support > Peer supervision", study=study)
    middle_book = codebook_as_of(db, start, study)
    assert "Support > Peer supervision" in [middle_book.path_text(c.id) for c in middle_book]
    assert "Support > Training" not in [middle_book.path_text(c.id) for c in middle_book]
    now_book = codebook_as_of(db, None, study)
    assert sorted(now_book.path_text(c.id) for c in now_book) == sorted(_codes(db, study))
    diff = codebook_diff(db, start, study=study)
    assert diff.added == ["Support > Training"]
    assert diff.removed == ["Support > Peer supervision"]
    assert diff.renamed == [("Systemic > Pay", "Systemic > Pay and progression")]
    assert diff.redefined == [("Support", ["definition"])]
    kinds = [c.kind for c in codebook_changes(db, study)]
    assert kinds[-4:] == ["code.updated", "code.updated", "code.added", "code.deleted"]
