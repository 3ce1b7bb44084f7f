"""The CLI end to end, through ``main`` (so error handling and exit codes are what users get)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from thematica.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def dbfile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "cli.db")
    code, _, err = run(capsys, "--db", path, "init", "CLI study")
    assert code == 0, err
    return path


def test_init_import_code_export_stats(
    dbfile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    transcript = tmp_path / "P01.txt"
    transcript.write_text(
        "Interviewer: Tell me about supervision.\n\nParticipant: My supervisor really listens.\n",
        encoding="utf-8",
    )
    codebook = tmp_path / "codebook.csv"
    codebook.write_text(
        "path,definition\nSupport,Help\nSupport > Supervision,Being listened to\n", encoding="utf-8"
    )
    assert run(capsys, "--db", dbfile, "codebook", "import", str(codebook))[0] == 0
    code, _, err = run(capsys, "--db", dbfile, "import", str(transcript), "--participant", "P01")
    assert code == 3 and "no participant 'P01'" in err and "--new-participant" in err
    code, out, _ = run(
        capsys,
        "--db",
        dbfile,
        "--json",
        "import",
        str(transcript),
        "--participant",
        "P01",
        "--new-participant",
    )
    assert code == 0 and json.loads(out)[0]["turns"] == 2
    start = transcript.read_text().index("My supervisor")
    code, out, err = run(
        capsys,
        "code",
        "P01",
        str(start),
        str(start + 13),
        "Support > Supervision",
        "--coder",
        "Robin",
        "--new-coder",
        "--valence",
        "facilitator",
        "--db",
        dbfile,
        "--json",
    )
    assert code == 0, err
    assert json.loads(out)["text"] == "My supervisor"
    code, out, _ = run(capsys, "stats", "--json", "--db", dbfile)
    stats = json.loads(out)
    assert stats["codings_by_coder"] == {"Robin": 1} and stats["documents"] == 1
    export = tmp_path / "out.csv"
    assert run(capsys, "--db", dbfile, "codings", "export", str(export))[0] == 0
    assert "My supervisor" in export.read_text(encoding="utf-8")
    code, out, _ = run(capsys, "--db", dbfile, "--json", "documents", "show", "P01")
    assert [t["speaker"] for t in json.loads(out)["turns"]] == ["Interviewer", "Participant"]
    code, out, _ = run(capsys, "--db", dbfile, "documents", "list")
    assert code == 0 and "P01" in out
    code, out, _ = run(capsys, "--db", dbfile, "--json", "codebook", "list")
    assert [c["path"] for c in json.loads(out)] == ["Support", "Support > Supervision"]
    assert run(capsys, "--db", dbfile, "memo", "First day", "--author", "Robin")[0] == 0


def test_participants_import_and_list(
    dbfile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "p.csv"
    sheet.write_text(
        "id,pseudonym,contract_type\nP01,Ash,Permanent;Self-employed\n", encoding="utf-8"
    )
    _, out, _ = run(capsys, "--db", dbfile, "--json", "participants", "import", str(sheet))
    result = json.loads(out)
    assert (result["added"], result["updated"], result["skipped"]) == (1, 0, [])
    _, out, _ = run(capsys, "--db", dbfile, "--json", "participants", "list")
    assert json.loads(out)[0]["attributes"] == {"contract_type": ["Permanent", "Self-employed"]}


@pytest.mark.parametrize(
    ("args", "exit_code", "message"),
    [
        (["code", "P9", "0", "5", "Support", "--coder", "R"], 3, "error: no document named 'P9'"),
        (["--study", "Nope", "stats"], 3, "error: no study named 'Nope'"),
        (["init", "CLI study"], 4, "error: a study named 'CLI study' already exists"),
    ],
)
def test_errors_are_one_line_with_exit_codes(
    dbfile: str, capsys: pytest.CaptureFixture[str], args: list[str], exit_code: int, message: str
) -> None:
    code, _, err = run(capsys, "--db", dbfile, *args)
    assert code == exit_code
    assert err.startswith(message) and err.count("\n") == 1 and "Traceback" not in err


def test_span_outside_text_names_the_span(
    dbfile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "D.txt"
    doc.write_text("short", encoding="utf-8")
    run(capsys, "--db", dbfile, "import", str(doc))
    run(capsys, "--db", dbfile, "codebook", "import", str(_codebook(tmp_path)))
    code, _, err = run(capsys, "--db", dbfile, "code", "D", "2", "50", "A", "--coder", "R")
    assert code == 2 and "span [2, 50)" in err and "document 'D'" in err


def _codebook(tmp_path: Path) -> Path:
    path = tmp_path / "cb.csv"
    path.write_text("path\nA\n", encoding="utf-8")
    return path


def test_missing_database_and_bad_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path / "none.db"), "stats")
    assert code == 6 and "no Thematica database at" in err
    assert not (tmp_path / "none.db").exists()


def test_failed_import_of_many_files_imports_none(
    dbfile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = []
    for i in range(10):
        path = tmp_path / f"f{i}.txt"
        path.write_bytes(b"Participant: ok %d\n" % i if i != 6 else b"\x89PNG\r\n\x1a\n\x00\x00")
        files.append(str(path))
    code, _, err = run(capsys, "--db", dbfile, "import", *files)
    assert code == 2 and "f6.txt" in err
    code, out, _ = run(capsys, "--db", dbfile, "--json", "stats")
    assert json.loads(out)["documents"] == 0


def test_help_does_not_import_heavy_modules() -> None:
    """`thematica --help` must stay fast: it may not import SQLAlchemy, pandas, rich or a format
    library."""
    probe = (
        "import sys\n"
        "from thematica.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sqlalchemy', 'pandas', 'numpy', 'alembic', 'rich', 'lxml',\n"
        "                     'openpyxl', 'docx', 'pypdf', 'playwright')\n"
        "         if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert "Usage: thematica" in result.stdout
    assert "HEAVY []" in result.stdout


def test_python_dash_m_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "thematica", "--version"], capture_output=True, text=True, check=True
    )
    assert "0.1.0" in result.stdout


def test_codebook_revision_commands(
    dbfile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in ["Support", "Support > Supervision", "Pay"]:
        assert run(capsys, "--db", dbfile, "codebook", "add", path)[0] == 0
    assert (
        run(
            capsys,
            "--db",
            dbfile,
            "codebook",
            "edit",
            "Pay",
            "--name",
            "Pay and progression",
            "--definition",
            "Money and careers",
        )[0]
        == 0
    )
    assert (
        run(capsys, "--db", dbfile, "codebook", "move", "Pay and progression", "--to", "Support")[0]
        == 0
    )
    code, out, _ = run(
        capsys,
        "--db",
        dbfile,
        "--json",
        "codebook",
        "merge",
        "Support > Pay and progression",
        "Support > Supervision",
    )
    assert code == 0 and json.loads(out)["children_moved"] == 0
    code, _, err = run(capsys, "--db", dbfile, "codebook", "delete", "Support")
    assert code == 4 and "sub-codes" in err
    code, out, _ = run(capsys, "--db", dbfile, "--json", "codebook", "history")
    kinds = [c["kind"] for c in json.loads(out)]
    assert kinds == ["code.added"] * 3 + ["code.updated", "code.moved", "code.merged"]
    code, out, _ = run(
        capsys, "--db", dbfile, "--json", "codebook", "history", "--at", "2000-01-01"
    )
    assert json.loads(out) == []


def test_memo_list_and_show_read_memos_and_write_none(
    dbfile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    transcript = tmp_path / "P01.txt"
    transcript.write_text("Interviewer: Hi.\n\nParticipant: Fine.\n", encoding="utf-8")
    assert run(capsys, "--db", dbfile, "import", str(transcript))[0] == 0
    assert run(capsys, "--db", dbfile, "memo", "add", "First day", "--author", "Robin")[0] == 0
    code, out, _ = run(
        capsys, "--db", dbfile, "--json", "memo", "add", "list", "--author", "Sam",
        "--on", "document", "--target", "P01",
    )  # fmt: skip
    assert code == 0
    written = json.loads(out)["memo_id"]
    # "memo list" lists; it writes no memo whose text is "list".
    _, out, _ = run(capsys, "--db", dbfile, "--json", "memo", "list")
    memos = json.loads(out)
    assert [(m["text"], m["author"], m["on"], m["target"]) for m in memos] == [
        ("First day", "Robin", "study", "CLI study"),
        ("list", "Sam", "document", "P01"),
    ]
    _, out, _ = run(capsys, "--db", dbfile, "memo", "list", "--author", "Sam")
    assert written[:8] in out and "First day" not in out
    _, out, _ = run(capsys, "--db", dbfile, "memo", "list", "--on", "study")
    assert "First day" in out and written[:8] not in out
    code, out, _ = run(capsys, "--db", dbfile, "memo", "show", written[:8])
    assert code == 0 and "by Sam" in out and "on document P01" in out
    code, _, err = run(capsys, "--db", dbfile, "memo", "show", "0000000")
    assert code != 0 and err.strip().startswith("error: no memo with the id '0000000'")
