"""Codebooks on their own through REFI-QDA ``.qdc`` and QualCoder's plain list."""

from __future__ import annotations

from pathlib import Path

from thematica.interchange.refi import RefiCode, RefiSet, read_qdc, write_qdc
from thematica.services.codebook import codebook, export_codebook, import_codebook, update_code
from thematica.storage import Database


def test_qdc_import_merges_by_path_and_says_what_it_left_out(
    db: Database, study: str, tmp_path: Path
) -> None:
    file = tmp_path / "book.qdc"
    codes = (
        RefiCode(
            "00000000-0000-4000-8000-000000000001",
            "Support",
            "#0a0",
            "Backing.\n\nExclusion: money",
            True,
            (RefiCode("00000000-0000-4000-8000-000000000002", "Mentoring"),),
        ),
    )
    sets = (RefiSet("00000000-0000-4000-8000-000000000003", "Core", (), (codes[0].guid,)),)
    write_qdc(codes, file, sets=sets)
    result = import_codebook(db, file, study=study)
    assert (result.added, result.updated) == (1, 1)  # Support existed: described now
    assert any("set(s) of codes" in n and "'Core'" in n for n in result.notices)
    book = codebook(db, study)
    support = book.find("Support")
    assert (support.definition, support.exclusion, support.colour) == (
        "Backing.",
        "money",
        "#00aa00",
    )
    assert book.find("Support > Mentoring").parent_id == support.id


def test_qdc_and_plain_list_exports(db: Database, study: str, tmp_path: Path) -> None:
    update_code(db, "Support", study=study, definition="Being backed\nat work", inclusion="peers")
    qdc = tmp_path / "out.qdc"
    assert export_codebook(db, qdc, study=study) == 4
    book, report = read_qdc(qdc)
    assert report.complete
    (support,) = [c for c in book.codes if c.name == "Support"]
    assert support.description == "Being backed\nat work\n\nInclusion: peers"
    assert [c.name for c in support.children] == ["Peer supervision"]
    listing = tmp_path / "codes.txt"
    assert export_codebook(db, listing, study=study) == 4
    lines = listing.read_text(encoding="utf-8").splitlines()
    assert "Support\tBeing backed at work" in lines
    assert "Support>>Peer supervision" in lines


def test_qdc_code_names_become_code_names_here(tmp_path: Path) -> None:
    from thematica.services.projects_codebook import qdc_rows

    file = tmp_path / "names.qdc"
    unnamed = "00000000-0000-4000-8000-000000000012"
    write_qdc(
        (
            RefiCode(
                "00000000-0000-4000-8000-000000000011",
                " Pay > conditions ",
                children=(RefiCode(unnamed, ""),),
            ),
        ),
        file,
    )
    rows, _ = qdc_rows(file)
    assert [r.path for r in rows] == [("Pay › conditions",), ("Pay › conditions", unnamed)]
