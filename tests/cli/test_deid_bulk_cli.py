"""Reviewing at scale from the command line: groups, decide-all, merge, resize, redact; ids
visible at 80 columns; study text printed literally, never as markup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run

# Fictional, written for this test: brackets a transcriber left, and names the lists lack.
TRANSCRIPT = (
    "Interviewer: Tell me about the team. [crosstalk] Sorry. [/crosstalk]\n\n"
    "Ngozi: [laughs] Well, there is Oluwaseun Adebayo-Cole, our lead. Oluwaseun is great. "
    "I did my PhD with Krzysztof at [Redacted University], then a PhD job.\n"
)


@pytest.fixture
def listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = str(tmp_path / "bulk.db")
    assert run(capsys, "--db", db, "init", "Bulk study", "--template", "blank")[0] == 0
    path = tmp_path / "PSW07_Ngozi.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    code, _, err = run(capsys, "--db", db, "import", str(path), "--deidentify")
    assert code == 0, err
    return db


def test_review_at_80_columns_shows_every_id_and_prints_brackets_literally(
    listed: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run(capsys, "--db", listed, "--json", "deid", "review", "PSW07_Ngozi")
    items = json.loads(out)
    code, out, err = run(capsys, "--db", listed, "deid", "review", "PSW07_Ngozi")
    assert code == 0, err
    assert all(len(line) <= 80 for line in out.splitlines()[:-1])
    for item in items:
        assert str(item["item"])[:8] in out
    assert "[/crosstalk]" in out and "[laughs]" in out  # context, as written
    texts = {str(i["text"]) for i in items}
    assert {"Ngozi", "Oluwaseun Adebayo-Cole", "Oluwaseun", "Krzysztof"} <= texts
    assert "PhD" not in texts and not any("Redacted" in t for t in texts)
    code, out, err = run(capsys, "--db", listed, "--json", "deid", "groups")
    examples = [g["example"] for g in json.loads(out)]
    code, out, err = run(capsys, "--db", listed, "deid", "groups")
    assert code == 0 and "Ngozi" in out and all(e in out for e in examples)


def test_a_whole_review_in_a_few_commands_then_a_correction(
    listed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = listed
    code, out, _ = run(capsys, "--db", db, "--json", "deid", "groups", "PSW07_Ngozi")
    groups = json.loads(out)
    assert sum(g["items"] for g in groups) >= 4
    code, out, err = run(
        capsys, "--db", db, "--json", "deid", "decide-all", "accept", "--document", "PSW07_Ngozi"
    )
    assert code == 0 and json.loads(out)["decided"] == sum(g["items"] for g in groups), err
    code, out, err = run(capsys, "--db", db, "deid", "apply", "PSW07_Ngozi")
    assert code == 0 and "document's name 'PSW07_Ngozi' holds a name" in err, err
    code, out, _ = run(capsys, "--db", db, "--json", "documents", "show", "PSW07_Ngozi")
    shown = json.loads(out)
    text = str(shown["text"])
    assert "Ngozi" not in text and "Oluwaseun" not in text and "Krzysztof" not in text
    assert "[Redacted University]" in text and "PhD" in text and "[/crosstalk]" in text
    # Missed "Adebayo"? It went with the full name. Redact a word found later, after apply.
    code, out, err = run(
        capsys, "--db", db, "--json", "deid", "redact", "PSW07_Ngozi", "identifier",
        "--text", "PhD job",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["replaced"] == 1
    code, _, err = run(capsys, "--db", db, "deid", "redact", "PSW07_Ngozi", "person")
    assert code == 2 and "START END" in err


def test_merge_and_resize_from_the_command_line(
    listed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = listed
    start = TRANSCRIPT.index("our lead")
    code, out, err = run(
        capsys, "--db", db, "--json", "deid", "add", "PSW07_Ngozi", str(start), str(start + 3),
        "organisation",
    )  # fmt: skip
    assert code == 0, err
    added = json.loads(out)["item"]
    code, out, err = run(
        capsys, "--db", db, "--json", "deid", "resize", added[:8], str(start), str(start + 8)
    )
    assert code == 0 and json.loads(out)["text"] == "our lead", err
    code, out, err = run(capsys, "--db", db, "deid", "merge", added[:8], added[:8])
    assert code == 2 and "two different items" in err


def test_bad_requests_get_one_clear_line_and_change_nothing(
    listed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = listed
    before = run(capsys, "--db", db, "--json", "deid", "review", "PSW07_Ngozi")[1]
    code, _, err = run(capsys, "--db", db, "deid", "decide-all", "reject", "--type", "spaceship")
    assert code == 2 and "unknown identifier type 'spaceship'" in err and len(err.splitlines()) == 1
    code, _, err = run(capsys, "--db", db, "deid", "decide-all", "relabel", "--text", "Ngozi")
    assert code == 2 and "relabel needs the new type" in err
    code, _, err = run(capsys, "--db", db, "deid", "decide-all", "accept")
    assert code == 2 and "--text, --type and/or --document" in err
    item = json.loads(before)[0]["item"][:8]
    code, _, err = run(capsys, "--db", db, "deid", "resize", item, "5", "99999")
    assert code != 0 and "PSW07_Ngozi" in err and len(err.splitlines()) == 1
    assert run(capsys, "--db", db, "--json", "deid", "review", "PSW07_Ngozi")[1] == before
