"""`thematica demo` end to end: the fictional study built, and its agreement table printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.conftest import DemoRun
from thematica.services.agreement import measure_agreement
from thematica.services.demo import DEMO_STUDY
from thematica.services.scope import open_db


def test_demo_prints_the_per_code_agreement_table(demo_run: DemoRun) -> None:
    path, out = str(demo_run.database), demo_run.output
    assert "FICTIONAL" in out
    assert "De-identified 12 transcripts before coding" in out
    assert "Cohen's kappa, unit: speaker turn, per code" in out
    assert "Documents compared: 4 (P01, P02, P03, P04)" in out
    assert f"thematica --db {path} serve" in out  # make demo says how to open it in the browser
    # Every code the two coders applied in the round has a row, and so does the pooled figure.
    report = measure_agreement(open_db(path), study=DEMO_STUDY, coders=["Robin", "Sam"])
    assert len(report.rows) >= 5
    for row in report.rows:
        first_line = row.label.split(" > ")[-1].split()[0]
        assert first_line in out
        assert f"{row.value:.3f}" in out
    assert "pooled" in out


def test_demo_json_carries_the_agreement_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "demo.db")
    code, out, err = run(capsys, "--db", path, "--json", "demo")
    assert code == 0, err
    data = json.loads(out)
    agreement = data["agreement"]
    assert agreement["coders"] == ["Robin", "Sam"]
    assert agreement["unit"] == "turn"
    labels = [row["label"] for row in agreement["rows"]]
    assert labels[-1] == "pooled"
    assert data["stats"]["documents"] == 12
