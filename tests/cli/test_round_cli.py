from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run


def test_round_workflow_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "r.db")
    assert run(capsys, "--db", db, "init", "S")[0] == 0
    doc = tmp_path / "T1.txt"
    doc.write_text(
        "Interviewer: And supervision?\n\nParticipant: It keeps me going.\n", encoding="utf-8"
    )
    cb = tmp_path / "cb.csv"
    cb.write_text("path\nSupport\n", encoding="utf-8")
    run(capsys, "--db", db, "import", str(doc))
    run(capsys, "--db", db, "codebook", "import", str(cb))
    # A name not in the study is a typo until said otherwise.
    code, _, err = run(capsys, "--db", db, "round", "open", "R1", "--coders", "Ann,Ben")
    assert code != 0 and "no coder named 'Ann'" in err and "--new-coder" in err
    code, out, err = run(
        capsys, "--db", db, "--json", "round", "open", "R1", "--coders", "Ann,Ben", "--new-coder"
    )
    assert code == 0, err
    assert json.loads(out)["documents"] == ["T1"] and json.loads(out)["blind"] is True
    start = doc.read_text().index("It keeps")
    run(
        capsys,
        "--db",
        db,
        "code",
        "T1",
        str(start),
        str(start + 8),
        "Support",
        "--coder",
        "Ann",
        "--new-coder",
    )
    code, out, _ = run(capsys, "--db", db, "--json", "codings", "list", "--as", "Ben")
    assert json.loads(out) == [], "Ben may not see Ann's codings in a blind round"
    export = tmp_path / "codings.csv"
    code, out, err = run(capsys, "--db", db, "codings", "export", str(export))
    assert code == 0, err
    assert out.splitlines() == [
        f"Wrote 0 codings to {export}.",
        "Left out 1 coding(s) of open blind round R1: until it is closed, each of its coders "
        "sees only their own (see --as).",
    ], "the export says what it left out, and why"
    code, out, _ = run(
        capsys, "--db", db, "--json", "codings", "export", str(export), "--as", "Ann"
    )
    assert json.loads(out)["codings"] == 1 and json.loads(out)["hidden_by_round"] == {}
    code, out, _ = run(capsys, "--db", db, "--json", "round", "close", "R1")
    disagreements = json.loads(out)
    # Printed for people at 80 columns, the document and unit (what `round resolve` takes) stay
    # whole; the passage is what gets cut.
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(capsys, "--db", db, "round", "disagreements", "R1")
    unit = f"{disagreements[0]['start']}-{disagreements[0]['end']}"
    assert code == 0 and "T1" in out and unit in out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert [(d["code"], d["coded_by"], d["not_coded_by"]) for d in disagreements] == [
        ("Support", ["Ann"], ["Ben"])
    ]
    code, out, err = run(
        capsys,
        "--db",
        db,
        "round",
        "resolve",
        "R1",
        "--document",
        "T1",
        "--start",
        str(disagreements[0]["start"]),
        "--code",
        "Support",
        "--decision",
        "present",
        "--by",
        "Ann and Ben",
        "--rationale",
        "Supervision sustains the worker.",
        "--passage",
        f"{start}:{start + 8}",
        "--valence",
        "facilitator",
    )
    assert code == 0, err
    code, out, _ = run(capsys, "--db", db, "--json", "codings", "list")
    consensus = [r for r in json.loads(out) if r["coder"] == "Consensus (R1)"]
    assert [(r["text"], r["valence"]) for r in consensus] == [("It keeps", "facilitator")]
    log = tmp_path / "log.csv"
    assert run(capsys, "--db", db, "round", "export", "R1", str(log))[0] == 0
    assert "Supervision sustains the worker." in log.read_text(encoding="utf-8")
    code, out, _ = run(capsys, "--db", db, "--json", "round", "list")
    assert json.loads(out)[0]["status"] == "closed"
