"""`thematica assist`, end to end through ``main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run

# Fictional comments, written for these tests.
PAY = ["The pay is poor.", "Poor pay for hard work.", "Pay rises never come.", "Low pay again."]
SUPERVISION = [
    "My supervisor listens.",
    "Supervision every week helps.",
    "The supervisor gets it.",
    "Good supervision matters.",
]


def _table(path: Path) -> Path:
    lines = ["comment,codes"]
    lines += [f"{t},Pay" for t in PAY] + [f"{t},Supervision;Support" for t in SUPERVISION]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_evaluate_prints_json_with_macro_f1_and_labels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _table(tmp_path / "fictional.csv")
    code, out, err = run(
        capsys,
        "assist",
        "evaluate",
        "--train",
        str(table),
        "--test",
        str(table),
        "--text-column",
        "comment",
        "--label-column",
        "codes",
        "--model",
        "lexical",
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert set(data) >= {"macro_f1", "labels", "baseline"}
    assert [s["label"] for s in data["labels"]] == ["Pay", "Supervision", "Support"]
    first = data["labels"][0]
    assert set(first) == {"label", "precision", "recall", "f1", "kappa", "support"}
    assert first["support"] == 4
    assert data["macro_f1"] == pytest.approx(sum(s["f1"] for s in data["labels"]) / 3)


def test_evaluate_prints_a_table_for_people(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    table = _table(tmp_path / "fictional.csv")
    args = ["--train", str(table), "--test", str(table), "--text-column", "comment"]
    code, out, err = run(
        capsys, "assist", "evaluate", *args, "--label-column", "codes", "--model", "lexical"
    )
    assert code == 0, err
    assert "macro-F1" in out and "baseline: tfidf-logistic-regression" in out
    assert "Supervision" in out


def test_evaluate_refuses_unclear_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _table(tmp_path / "fictional.csv")
    args = ["--train", str(table), "--test", str(table), "--text-column", "comment"]
    code, _, err = run(capsys, "assist", "evaluate", *args)
    assert code == 2 and "--labels NAME" in err
    code, _, err = run(capsys, "assist", "evaluate", *args, "--labels", "x", "--label-column", "c")
    assert code == 2
    code, _, err = run(capsys, "assist", "evaluate", *args, "--labels", "nope")
    assert code == 2 and "fictional.csv, line 1: missing column(s): nope" in err
    code, _, err = run(
        capsys, "assist", "evaluate", *args, "--label-column", "codes", "--model", "/no/model"
    )
    assert code == 3 and "no such model folder" in err


def test_search_and_discover_on_a_study(
    dbfile_with_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "--db",
        dbfile_with_text,
        "assist",
        "search",
        "contract renewed",
        "--model",
        "lexical",
        "--limit",
        "1",
        "--json",
    )
    assert code == 0, err
    [hit] = json.loads(out)
    assert "contract keeps being renewed" in hit["text"] and hit["document"] == "T1"
    code, out, err = run(
        capsys,
        "--db",
        dbfile_with_text,
        "assist",
        "discover",
        "--clusters",
        "2",
        "--model",
        "lexical",
    )
    assert code == 0, err
    assert out.startswith("1. ") and "terms:" in out and "(T1 " in out


@pytest.fixture
def dbfile_with_text(tmp_path: Path) -> str:
    from tests.conftest import TRANSCRIPT
    from thematica.services.documents import add_text
    from thematica.services.scope import open_db
    from thematica.services.studies import create_study

    path = str(tmp_path / "assist.db")
    db = open_db(path, create=True)
    create_study(db, "Fictional", template="blank", actor="tester")
    add_text(db, "T1", TRANSCRIPT, study="Fictional", participant="P01", actor="tester")
    db.dispose()
    return path


def test_suggest_then_review_by_short_id(
    dbfile_with_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", dbfile_with_text]
    from thematica.services.codebook import add_code
    from thematica.services.scope import open_db

    handle = open_db(dbfile_with_text)
    add_code(handle, "Pay", study="Fictional", actor="tester")
    handle.dispose()
    code, out, err = run(
        capsys, *db, "assist", "suggest", "--model", "lexical", "--limit", "2", "--json"
    )
    assert code == 0, err
    made = json.loads(out)
    assert len(made) == 2 and made[0]["code"] == "Pay" and made[0]["status"] == "pending"
    code, out, err = run(
        capsys, *db, "assist", "review", made[0]["id"][:8], "--accept", "--as", "Robin"
    )
    assert code == 0, err
    assert out.startswith("accepted: Pay on T1")
    code, out, err = run(capsys, *db, "assist", "review", "--status", "accepted", "--json")
    assert [v["id"] for v in json.loads(out)] == [made[0]["id"]]
    code, out, err = run(capsys, *db, "assist", "review", made[1]["id"])
    assert code == 2 and "--accept or --reject" in err


def test_evaluate_against_a_coder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from thematica.services.demo import build_demo
    from thematica.services.scope import open_db

    path = str(tmp_path / "demo.db")
    db = open_db(path, create=True)
    build_demo(db)
    db.dispose()
    args = ["--db", path, "assist", "evaluate", "--coder", "Sam", "--folds", "2"]
    code, out, err = run(capsys, *args, "--model", "lexical", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["folds"] == 2 and "macro_f1" in data and data["labels"]
    assert [p["examples_per_code"] for p in data["learning_curve"]] == [5, 10, 20, 50]
    code, out, err = run(capsys, *args, "--text-column", "x")
    assert code == 2 and "leave out the table options" in err
