"""`thematica deid` and `thematica import --deidentify`, end to end through ``main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run

TRANSCRIPT = (
    "Interviewer: Who helps?\n\n"
    "Participant: My manager Sarah, at Larch Ward in Leeds. Email sarah.j@example.org.\n"
)


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = str(tmp_path / "deid.db")
    assert run(capsys, "--db", db, "init", "Deid study", "--template", "blank")[0] == 0
    assert run(capsys, "--db", db, "codebook", "import", str(_codebook(tmp_path)))[0] == 0
    path = tmp_path / "P01.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    code, out, err = run(capsys, "--db", db, "--json", "import", str(path), "--deidentify")
    assert code == 0, err
    assert json.loads(out)[0]["review_items"] >= 4
    return db


def _codebook(tmp_path: Path) -> Path:
    path = tmp_path / "codebook.csv"
    path.write_text("path,definition\nSupport,Help\n", encoding="utf-8")
    return path


def _review(db: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, err = run(capsys, "--db", db, "deid", "review", "P01", "--json")
    assert code == 0, err
    return list(json.loads(out))


def test_import_review_decide_apply_log(imported: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = imported
    items = _review(db, capsys)
    code, out, _ = run(capsys, "--db", db, "--json", "deid", "status")
    [state] = json.loads(out)
    assert state["status"] == "pending" and state["pending_items"] == len(items)
    assert state["codable"] is False
    by_text = {str(i["text"]): i for i in items}
    assert {"Sarah", "Larch Ward", "Leeds", "sarah.j@example.org"} <= set(by_text)
    # Coding is refused while the review is pending, with a message saying what to do.
    code, _, err = run(
        capsys, "--db", db, "code", "P01", "0", "5", "Support", "--coder", "Robin", "--new-coder"
    )
    assert code == 4 and "de-identification review pending" in err and "deid apply P01" in err
    # Apply is refused while items are pending.
    code, _, err = run(capsys, "--db", db, "deid", "apply", "P01")
    assert code == 4 and "still pending" in err
    leeds = str(by_text["Leeds"]["item"])[:8]
    assert run(capsys, "--db", db, "deid", "decide", leeds, "reject", "--as", "rev")[0] == 0
    code, _, err = run(capsys, "--db", db, "deid", "decide", leeds, "relabel")
    assert code == 2 and "relabel needs" in err
    start = TRANSCRIPT.index("Who")
    assert (
        run(capsys, "--db", db, "deid", "add", "P01", str(start), str(start + 3), "identifier")[0]
        == 0
    )
    for item in _review(db, capsys):
        if item["status"] == "pending":
            code, _, err = run(capsys, "--db", db, "deid", "decide", str(item["item"]), "accept")
            assert code == 0, err
    code, out, err = run(capsys, "--db", db, "--json", "deid", "apply", "P01", "--as", "rev")
    assert code == 0, err
    assert json.loads(out)["replaced"] == len(items)  # one rejected, one added
    code, out, _ = run(capsys, "--db", db, "documents", "show", "P01", "--json")
    shown = out
    assert "Sarah" not in shown and "sarah.j@" not in shown and "Leeds" in shown
    code, out, _ = run(capsys, "--db", db, "--json", "deid", "log")
    log = json.loads(out)
    assert len(log) == len(items) and {r["by"] for r in log} == {"rev"}
    code, out, _ = run(capsys, "--db", db, "--json", "deid", "status")
    assert json.loads(out) == [
        {
            "document": "P01",
            "status": "applied",
            "pending_items": 0,
            "codable": True,
            "finished_by": "rev",
            "reason": "",
        }
    ]
    # Now the document can be coded.
    assert (
        run(
            capsys,
            "--db",
            db,
            "code",
            "P01",
            "0",
            "5",
            "Support",
            "--coder",
            "Robin",
            "--new-coder",
        )[0]
        == 0
    )


def test_deid_all_and_the_owner_only_mapping(
    imported: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = imported
    code, out, _ = run(capsys, "--db", db, "--json", "deid", "owner")
    owner = json.loads(out)["owner"]
    assert owner
    code, _, err = run(capsys, "--db", db, "deid", "apply", "P01", "--waive")
    assert code == 2 and "reason" in err
    # Every occurrence of one string in one command; the waiver leaves the rest as it is.
    code, out, err = run(
        capsys, "--db", db, "--json", "deid", "decide-all", "accept", "--text", "SARAH"
    )
    assert code == 0 and json.loads(out)["decided"] == 1, err
    code, out, err = run(
        capsys, "--db", db, "--json", "deid", "apply", "P01", "--waive", "--reason", "pilot"
    )
    assert code == 0, err
    assert json.loads(out)["replaced"] == 1 and json.loads(out)["waived_items"] >= 3
    code, out, _ = run(capsys, "--db", db, "--json", "documents", "show", "P01")
    assert "Sarah," not in out and "Leeds" in out
    code, _, err = run(capsys, "--db", db, "deid", "mapping", "--as", "someone-else")
    assert code == 5 and owner in err
    code, out, err = run(capsys, "--db", db, "--json", "deid", "mapping", "--as", owner)
    assert code == 0, err
    assert {"label": "[Person 1]", "type": "PERSON", "identifier": "sarah"} in json.loads(out)
    # --all skips documents already done, and says which need naming otherwise.
    code, out, _ = run(capsys, "--db", db, "--json", "deid", "--all")
    assert code == 0 and json.loads(out) == []
    code, _, err = run(capsys, "--db", db, "deid", "detect")
    assert code == 2 and "--all" in err


def test_terms_are_owner_only_to_list(imported: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = imported
    code, out, _ = run(capsys, "--db", db, "--json", "deid", "owner")
    owner = json.loads(out)["owner"]
    assert run(capsys, "--db", db, "deid", "terms", "add", "Bluebell", "--type", "place")[0] == 0
    code, _, err = run(capsys, "--db", db, "deid", "terms", "list", "--as", "nobody")
    assert code == 5 and "only the owner" in err
    code, out, _ = run(capsys, "--db", db, "--json", "deid", "terms", "list", "--as", owner)
    assert json.loads(out) == {"bluebell": "PLACE"}
