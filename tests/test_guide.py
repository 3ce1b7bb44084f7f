"""docs/guide.md is run: every `thematica` command in its shell blocks, in order, must succeed."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.conftest import REPO

GUIDE = REPO / "docs" / "guide.md"


def _commands() -> list[list[str]]:
    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    return [
        shlex.split(line)[1:]
        for block in blocks
        for line in block.splitlines()
        if line.startswith("thematica ")
    ]


def test_the_guide_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("THEMATICA_DATABASE_URL", raising=False)
    commands = _commands()
    assert len(commands) >= 15
    coding_id = None
    for args in commands:
        args = [str(REPO / a) if a.startswith("examples/") else a for a in args]
        if "<ID>" in args:
            if coding_id is None:
                _, out, _ = run(capsys, "--json", "codings", "list", "--document", "P01")
                coding_id = json.loads(out)[0]["short_id"]
            args = [coding_id if a == "<ID>" else a for a in args]
        code, out, err = run(capsys, *args)
        assert code == 0, f"thematica {shlex.join(args)}\n{err}{out[-2000:]}"
    _, out, _ = run(capsys, "--json", "stats")
    stats = json.loads(out)
    assert (stats["documents"], stats["codings"], stats["coders"]) == (2, 3, 2)
    assert (tmp_path / "report" / "report.html").is_file()
