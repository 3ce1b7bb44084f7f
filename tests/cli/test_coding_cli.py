"""Coding from the command line as a researcher does it every day: by quote or turn, undo and
edit by the id the table shows, no silent creation, and study text printed literally."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run

# Fictional: written for these tests, no real person or service.
TRANSCRIPT = (
    "Interviewer: What helps?\n\n"
    "Participant: Supervision helps. [laughs] Honestly, supervision helps a lot.\n\n"
    "Interviewer: And the pay? [/crosstalk]\n\n"
    "Participant: The pay is poor [link=https://example.org]click[/link] \x1b[31mred\x1b[0m.\n"
)


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "coding.db")
    assert run(capsys, "--db", path, "init", "Daily")[0] == 0
    book = tmp_path / "cb.csv"
    book.write_text(
        "path,definition,inclusion,exclusion,example\n"
        "Support,Help at work,,,\n"
        'Support > Supervision,Being listened to,"Talks about a supervisor","Peer chats",'
        '"My supervisor gets it"\n'
        "Systemic,Rules and money,,,\n"
        "Systemic > Pay,Pay and contracts,,,\n",
        encoding="utf-8",
    )
    assert run(capsys, "--db", path, "codebook", "import", str(book))[0] == 0
    transcript = tmp_path / "P01.txt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    assert run(capsys, "--db", path, "import", str(transcript))[0] == 0
    assert run(capsys, "--db", path, "coders", "add", "Robin")[0] == 0
    return path


def _code(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> tuple[int, str, str]:
    return run(capsys, "--db", db, "code", "P01", *args, "--coder", "Robin")


def test_a_quote_is_coded_where_it_is_and_a_code_by_the_end_of_its_path(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _code(capsys, db, "--quote", "the pay is  POOR", "Pay", "--json")
    assert code == 0, err
    coded = json.loads(out)
    start = TRANSCRIPT.index("The pay is poor")
    assert (coded["start"], coded["end"]) == (start, start + len("The pay is poor"))
    assert coded["code"] == "Systemic > Pay" and coded["turn"] == 4


def test_repeated_words_are_ambiguous_until_an_occurrence_or_turn_is_chosen(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _code(capsys, db, "--quote", "supervision helps", "Supervision")
    assert code == 2 and "occur 2 times" in err and "--occurrence" in err
    assert err.count("\n") == 1
    code, out, err = _code(
        capsys, db, "--quote", "supervision helps", "--occurrence", "2", "Supervision", "--json"
    )
    assert code == 0, err
    second = TRANSCRIPT.index("supervision helps")
    assert json.loads(out)["start"] == second and json.loads(out)["text"] == "supervision helps"
    code, _, err = _code(capsys, db, "--quote", "supervision helps", "--occurrence", "3", "Pay")
    assert code == 2 and "occur 2 time(s)" in err


def test_a_whole_turn_is_coded_by_its_number(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _code(capsys, db, "--turn", "2", "Support", "--json")
    assert code == 0, err
    assert json.loads(out)["text"].startswith("Supervision helps.")
    code, _, err = _code(capsys, db, "--turn", "9", "Support")
    assert code == 2 and "turn 9 does not exist" in err


def test_unknown_names_are_errors_with_suggestions_never_created(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "--db", db, "code", "P01", "--turn", "2", "Support", "--coder", "Robn"
    )
    assert code == 3 and "no coder named 'Robn'" in err and "did you mean 'Robin'" in err
    code, _, err = _code(capsys, db, "--turn", "2", "Supervison")
    assert code == 3 and "did you mean 'Supervision'" in err
    _, out, _ = run(capsys, "--db", db, "--json", "coders", "list")
    assert [c["coder"] for c in json.loads(out)] == ["Robin"]
    _, out, _ = run(capsys, "--db", db, "--json", "stats")
    assert json.loads(out)["codings"] == 0
    code, _, err = run(capsys, "--db", db, "coders", "add", "robin")
    assert code == 4 and "already exists" in err


def test_identical_codings_are_refused(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _code(capsys, db, "--turn", "2", "Support")[0] == 0
    code, _, err = _code(capsys, db, "--turn", "2", "support")
    assert code == 4 and "already coded" in err


def test_edit_and_remove_by_the_id_the_table_shows(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _code(capsys, db, "--quote", "The pay is poor", "Support")[0] == 0
    _, out, _ = run(capsys, "--db", db, "--json", "codings", "list")
    short = json.loads(out)[0]["short_id"]
    _, table_out, _ = run(capsys, "--db", db, "codings", "list")
    assert table_out.splitlines()[2].lstrip().startswith(short)  # ids first, whole
    code, out, err = run(
        capsys,
        "--db",
        db,
        "--json",
        "codings",
        "edit",
        short,
        "--code",
        "Pay",
        "--valence",
        "BARRIER",
    )
    assert code == 0, err
    edited = json.loads(out)
    assert edited["code"] == "Systemic > Pay" and edited["valence"] == "barrier"
    code, _, err = run(capsys, "--db", db, "codings", "edit", short)
    assert code == 2 and "nothing to change" in err
    assert run(capsys, "--db", db, "codings", "remove", short)[0] == 0
    _, out, _ = run(capsys, "--db", db, "--json", "codings", "list")
    assert json.loads(out) == []
    code, _, err = run(capsys, "--db", db, "codings", "remove", short)
    assert code == 3 and f"no coding with id {short!r}" in err


def test_codebook_show_prints_what_a_coder_needs(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", db, "codebook", "show", "supervision")
    assert code == 0
    assert "Support > Supervision" in out and "Use when: Talks about a supervisor" in out
    assert "Do not use when: Peer chats" in out and "Example: My supervisor gets it" in out


def test_study_text_is_printed_literally_with_control_characters_shown(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", db, "documents", "show", "P01")
    assert code == 0
    assert "[laughs]" in out and "[/crosstalk]" in out and "[link=https://example.org]" in out
    assert "\x1b" not in out and "␛[31m" in out
    assert _code(capsys, db, "--turn", "4", "Pay")[0] == 0
    assert _code(capsys, db, "--turn", "3", "Support")[0] == 0
    code, out, _ = run(capsys, "--db", db, "codings", "list")
    assert code == 0 and "[/crosstalk]" in out and "\x1b" not in out


def test_tables_fit_eighty_columns_without_cutting_ids(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert _code(capsys, db, "--turn", "2", "Supervision")[0] == 0
    _, out, _ = run(capsys, "--db", db, "--json", "codings", "list")
    short = json.loads(out)[0]["short_id"]
    _, out, _ = run(capsys, "--db", db, "codings", "list")
    assert all(len(line) <= 80 for line in out.splitlines())
    assert short in out and "…" in out  # the passage is what gets cut


def test_documents_rename_and_remove(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "--db", db, "--json", "documents", "rename", "P01", "Int-01", "--drop-source-name"
    )
    assert code == 0, err
    assert json.loads(out)["source_name_dropped"] is True
    _, out, _ = run(capsys, "--db", db, "--json", "documents", "show", "Int-01")
    assert json.loads(out)["source"] == ""
    assert _code(capsys, db, "--turn", "2", "Support")[0] == 3  # P01 is no longer there
    run(capsys, "--db", db, "code", "Int-01", "--turn", "2", "Support", "--coder", "Robin")
    code, _, err = run(capsys, "--db", db, "documents", "remove", "Int-01")
    assert code == 4 and "has 1 coding(s)" in err
    _, out, _ = run(capsys, "--db", db, "--json", "codings", "list")
    assert run(capsys, "--db", db, "codings", "remove", json.loads(out)[0]["short_id"])[0] == 0
    assert run(capsys, "--db", db, "documents", "remove", "Int-01")[0] == 0
    _, out, _ = run(capsys, "--db", db, "--json", "documents", "list")
    assert json.loads(out) == []


def test_codebook_commands_find_a_code_by_the_end_of_its_path(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", db, "codebook", "edit", "pay", "--definition", "Wages")
    assert code == 0, err
    _, out, _ = run(capsys, "--db", db, "--json", "codebook", "show", "Systemic > Pay")
    assert json.loads(out)["definition"] == "Wages"
