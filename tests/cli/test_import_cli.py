"""``thematica import``: transcripts in any format, survey tables, duplicates, limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.interchange.made_files import make_docx


@pytest.fixture
def dbfile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "cli.db")
    assert run(capsys, "--db", path, "init", "Import study")[0] == 0
    return path


def test_docx_with_interviewer_and_duplicates(
    dbfile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docx = tmp_path / "Robin.docx"
    lines = ["Robin: How was it?", "Ash: Hard at first.", "Robin: And now?", "Ash: Better."]
    docx.write_bytes(make_docx(lines))
    code, out, err = run(
        capsys, "--db", dbfile, "--json", "import", str(docx), "--interviewer", "Robin"
    )
    assert code == 0, err
    assert json.loads(out) == [
        {
            "status": "imported",
            "document": "Robin",
            "file": "Robin.docx",
            "format": "docx",
            "characters": len("\n\n".join(lines) + "\n"),
            "turns": 4,
            "speakers": ["Ash", "Robin"],
            "notices": [],
            "participant": None,
            "unlinked_because": "the study has no participants yet",
        }
    ]
    code, out, _ = run(capsys, "--db", dbfile, "--json", "documents", "show", "Robin")
    assert [t["role"] for t in json.loads(out)["turns"]] == ["interviewer", "participant"] * 2
    code, _, err = run(capsys, "--db", dbfile, "import", str(docx))
    assert code == 4 and "already imported as document 'Robin'" in err
    code, out, _ = run(capsys, "--db", dbfile, "import", str(docx), "--skip-duplicates")
    assert code == 0 and "Skipped" in out and "Imported 0 document(s) from 1 file(s)" in out


def test_survey_table_and_usage_errors(
    dbfile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "answers.csv"
    sheet.write_text("Id,Team,Q3\nA1,North,Good support.\nA2,South,Too busy.\n", encoding="utf-8")
    code, out, err = run(
        capsys, "--db", dbfile, "--json", "import", str(sheet), "--text-column", "Q3",
        "--id-column", "Id", "--per", "respondent",
    )  # fmt: skip
    assert code == 0, err
    assert [r["document"] for r in json.loads(out)] == ["answers A1", "answers A2"]
    _, out, _ = run(capsys, "--db", dbfile, "--json", "participants", "list")
    assert {p["participant"]: p["attributes"] for p in json.loads(out)} == {
        "A1": {"Team": ["North"]},
        "A2": {"Team": ["South"]},
    }
    code, _, err = run(capsys, "--db", dbfile, "import", str(sheet), "--id-column", "Id")
    assert code != 0 and "--id-column needs --text-column" in err


def test_max_size_option(dbfile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"Participant: " + b"x" * 200_000)
    code, _, err = run(capsys, "--db", dbfile, "import", str(big), "--max-size", "0.1")
    assert code == 2 and "big.txt: the file is 200,013 bytes, over the import limit" in err
    assert err.count("\n") == 1


def test_utterance_tables_speaker_pattern_and_notices(
    dbfile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "P11.csv"
    table.write_bytes(b"Speaker,Text\nNiamh,Hello &amp; welcome\nP11,Hi\nNiamh,Bye\nP11,Bye\n")
    code, out, err = run(
        capsys, "--db", dbfile, "--json", "import", str(table),
        "--speaker-column", "Speaker", "--text-column", "Text",
    )  # fmt: skip
    assert code == 0, err
    (row,) = json.loads(out)
    assert (row["document"], row["turns"], row["format"]) == ("P11", 4, "csv-utterances")
    odd = tmp_path / "odd.txt"
    odd.write_bytes(b"== ANA ==\nhello\n\n== BEN ==\nhi\n")
    code, out, err = run(capsys, "--db", dbfile, "import", str(odd))
    assert code == 0 and "Check odd: no speaker turns were found" in out
    odd2 = tmp_path / "odd2.txt"
    odd2.write_bytes(odd.read_bytes() + b"\n== ANA ==\nbye\n")
    code, out, err = run(
        capsys, "--db", dbfile, "--json", "import", str(odd2),
        "--speaker-pattern", "== (?P<speaker>[A-Z]+) ==",
    )  # fmt: skip
    assert code == 0, err
    (row,) = json.loads(out)
    assert (row["turns"], row["speakers"]) == (3, ["ANA", "BEN"])
    code, _, err = run(capsys, "--db", dbfile, "import", str(table), "--speaker-column", "S")
    assert code == 2 and "--speaker-column and --text-column go together" in err


def test_quick_start_links_documents_by_file_name_and_by_hand(
    dbfile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README quick start: the sheet first, then transcripts named for its ids."""
    sheet = tmp_path / "participants.csv"
    sheet.write_text("participant_id,pseudonym\nP01,Ash\nP02,Bo\n", encoding="utf-8")
    assert run(capsys, "--db", dbfile, "participants", "import", str(sheet))[0] == 0
    files = []
    for name in ("P01.txt", "p02_interview.txt", "P01 P02 group.txt"):
        path = tmp_path / name
        path.write_text(f"Interviewer: Hi?\n\nParticipant: Fictional {name}.\n", "utf-8")
        files.append(str(path))
    code, out, err = run(capsys, "--db", dbfile, "import", *files)
    assert code == 0, err
    assert "Linked 2 document(s) to their participant by file name." in out
    assert (
        "Linked to no participant: P01 P02 group (its name holds several participant ids "
        "(P01, P02)). Link them with `thematica documents link DOC PARTICIPANT`." in out
    )
    code, out, err = run(capsys, "--db", dbfile, "documents", "link", "P01 P02 group", "P0l")
    assert code != 0 and "no participant 'P0l' (did you mean " in err and "'P01'" in err
    assert len(err.strip().splitlines()) == 1
    code, out, err = run(capsys, "--db", dbfile, "documents", "link", "P01 P02 group", "p02")
    assert code == 0 and "Linked P01 P02 group to participant P02." in out, err
    code, out, err = run(
        capsys, "--db", dbfile, "--json", "documents", "link", "P01 P02 group", "--unlink"
    )
    assert json.loads(out) == {"document": "P01 P02 group", "participant": None, "was": "P02"}
    code, _, err = run(capsys, "--db", dbfile, "documents", "link", "P01")
    assert code != 0 and "--unlink" in err
