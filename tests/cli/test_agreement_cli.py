"""`thematica agreement`, end to end through ``main``: the demo study and reliability tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_cli import run
from tests.conftest import DemoRun, require_shared
from thematica.services.agreement import AgreementReport, measure_agreement
from thematica.services.scope import open_db

CONSENSUS = "Consensus (Double-coding P01-P04)"


@pytest.fixture(scope="module")
def demo(demo_run: DemoRun) -> str:
    return str(demo_run.database)  # agreement only reads it


def _service(path: str, **options: Any) -> AgreementReport:
    db = open_db(path)
    try:
        return measure_agreement(db, **options)
    finally:
        db.dispose()


def test_demo_per_code_table_by_speaker_turn(
    demo: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "240")  # one line a row, so code paths can be found whole
    code, out, err = run(
        capsys, "--db", demo, "agreement", "--coders", "Robin,Sam", "--unit", "turn"
    )
    assert code == 0, err
    assert "Cohen's kappa, unit: speaker turn, per code" in out
    assert "Documents compared: 4 (P01, P02, P03, P04); 8 left out" in out
    assert "uncoded included" in out and "excluding them would keep" in out
    rows = [line.split("│") for line in out.splitlines() if "│" in line]
    report = _service(demo, coders=["Robin", "Sam"], ci=False)
    assert [r[0].strip() for r in rows] == [r.label for r in report.rows]  # one line a row
    assert rows[-1][0].strip() == "pooled" and all(r[1].strip() == "turn" for r in rows)
    assert [r[2].strip() for r in rows] == [f"{r.value:.3f}" for r in report.rows]
    assert "coded by Robin" in out and "coded by Sam" in out
    assert err == ""


def test_demo_json_is_the_service_report(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", demo, "agreement", "--json", "--boot", "50")
    assert code == 0, err
    data = json.loads(out)
    # Without --coders: every coder but the closed round's consensus layer.
    assert data["coders"] == ["Robin", "Sam"] and data["statistic"] == "cohen"
    assert data["rows"][-1]["label"] == "pooled"
    assert [r["label"] for r in data["rows"][:-1]] == data["codes"]
    assert all(
        r["unit"] == "turn" and set(r["units_coded_by"]) == {"Robin", "Sam"} for r in data["rows"]
    )
    report = _service(demo, n_boot=50)
    assert [r["value"] for r in data["rows"]] == pytest.approx([r.value for r in report.rows])
    assert [r["ci_low"] for r in data["rows"]] == pytest.approx([r.ci_low for r in report.rows])


def test_demo_options_reach_the_service(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = "Flexibility and structure in the role > Flexible, individualised support"
    theme = "Support, supervision and training"
    code, out, err = run(
        capsys, "--db", demo, "--json", "agreement", "--code", path, "--code", theme,
        "--roll-up", "--uncoded", "exclude", "--unit", "sentence", "--statistic", "alpha",
        "--no-ci",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["codes"] == [path, theme] and data["roll_up"]
    assert data["statistic"] == "alpha" and data["unit"] == "sentence"
    assert data["units_kept"] + data["units_dropped"] == data["units_total"]
    assert data["units_dropped"] > 0 and data["confidence"] is None
    assert data["rows"][0]["ci_low"] is None

    code, out, _ = run(capsys, "--db", demo, "agreement", "--by", "document", "--no-ci")
    assert code == 0 and "P04" in out and "× " in out  # units × codes when codes are pooled
    code, out, _ = run(
        capsys, "--db", demo, "agreement", "--by", "pooled", "--uncoded", "exclude", "--no-ci"
    )
    assert code == 0 and "uncoded excluded" in out and "including them would keep" in out


@pytest.mark.parametrize(
    ("args", "exit_code", "message"),
    [
        (["--coders", "Robin,Bob"], 3, "no coder named 'Bob' in this study (its coders: Consensus"),
        (["--coders", "Robin"], 2, "at least two coders"),
        (["--code", "No such theme"], 3, "no code 'No such theme'"),
        (["--coders", f"Robin,Sam,{CONSENSUS}", "--statistic", "cohen"], 2, "use Fleiss' kappa"),
        (["--statistic", "percent", "--level", "interval"], 2, "to Krippendorff's alpha only"),
        (["--layout", "coders-by-units"], 2, "--layout describes a --matrix file"),
        (["--unit", "word"], 2, "Invalid value for '--unit'"),
    ],
)  # fmt: skip
def test_errors_are_one_line_with_an_exit_code(
    demo: str, capsys: pytest.CaptureFixture[str], args: list[str], exit_code: int, message: str
) -> None:
    code, out, err = run(capsys, "--db", demo, "agreement", *args)
    assert code == exit_code and message in err and out == ""


def test_a_small_study_and_nothing_to_compare(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "small.db")
    assert run(capsys, "--db", db, "init", "Small", "--template", "peer-support")[0] == 0
    for name in ("P01", "P02"):
        transcript = tmp_path / f"{name}.txt"
        transcript.write_text(f"Interviewer: Hi {name}.\n\nParticipant: Hello.\n", encoding="utf-8")
        assert run(capsys, "--db", db, "import", str(transcript))[0] == 0
    theme = "Support, supervision and training"
    for document, coder in [("P01", "Robin"), ("P01", "Sam"), ("P02", "Kim")]:
        assert (
            run(
                capsys,
                "--db",
                db,
                "code",
                document,
                "0",
                "5",
                theme,
                "--coder",
                coder,
                "--new-coder",
            )[0]
            == 0
        )
    code, out, err = run(capsys, "--db", db, "agreement", "--coders", "robin,SAM", "--no-ci")
    assert code == 0, err
    assert "Documents compared: 1 (P01); 1 left out" in out and "1.000" in out
    code, out, err = run(capsys, "--db", db, "agreement", "--coders", "Robin,Kim")
    assert code == 2 and out == ""
    assert err == "error: nothing to compare: no document was coded by at least two of Robin, Kim\n"


# -- --matrix ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "expected"), [("nominal", "0.691"), ("interval", "0.811")])
def test_matrix_on_the_shared_example(
    level: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = require_shared() / "agreement" / "reliability_data_3coders_15units.csv"
    args = ["agreement", "--matrix", str(path), "--layout", "coders-by-units"]
    args += ["--statistic", "alpha", "--level", level, "--boot", "200"]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    assert f"Krippendorff's alpha ({level}) on {path}" in out and expected in out
    code, out, err = run(capsys, "--json", *args)
    row = json.loads(out)["rows"][0]
    assert round(row["value"], 3) == float(expected) and row["n_units"] == 15
    assert row["units_coded_by"] == {"A": 9, "B": 7, "C": 11}
    assert row["band"] == ("tentative" if level == "nominal" else "acceptable")


def test_matrix_needs_no_database_and_refuses_study_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./thematica.db here
    path = tmp_path / "ratings.csv"
    path.write_text("unit,A,B\n1,a,a\n2,a,b\n3,b,b\n4,b,b\n", encoding="utf-8")
    code, out, err = run(capsys, "--json", "agreement", "--matrix", str(path), "--no-ci")
    assert code == 0, err
    assert json.loads(out)["rows"][0]["value"] == pytest.approx(0.5)  # Cohen, by hand
    assert not (tmp_path / "thematica.db").exists()
    code, _, err = run(
        capsys, "agreement", "--matrix", str(path), "--unit", "turn", "--coders", "A,B"
    )
    assert code == 2 and "--coders, --unit describe the study's codings" in err
    code, _, err = run(capsys, "agreement", "--matrix", str(tmp_path / "nope.csv"))
    assert code == 2 and "nope.csv: file not found" in err
    path.write_text("unit,A,B\n1,a\n", encoding="utf-8")
    code, _, err = run(capsys, "agreement", "--matrix", str(path))
    assert code == 2 and "ratings.csv, line 2: ragged row" in err
