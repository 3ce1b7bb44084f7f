"""`thematica report` and the report step of `thematica demo`, end to end through ``main``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import lxml.html
import pytest

from tests.cli.test_cli import run
from tests.conftest import DEMO, DemoRun
from tests.reports.known_study import build
from thematica.services.report import FORMATS
from thematica.services.scope import open_db


@pytest.fixture
def known(tmp_path: Path) -> str:
    path = str(tmp_path / "known.db")
    db = open_db(path, create=True)
    build(db)
    db.dispose()
    return path


def test_the_format_choices_are_the_services_formats() -> None:
    # --help must not import the services, so the command keeps its own copy of the names.
    from thematica.cli.report_commands import FORMAT_CHOICES

    assert (*FORMATS, "all") == FORMAT_CHOICES


def test_report_defaults_to_html_and_prints_its_path(
    known: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, stdout, err = run(capsys, "--db", known, "report", "--out", str(out))
    assert code == 0, err
    assert stdout.split() == [str(out / "report.html")]
    assert [p.name for p in out.iterdir()] == ["report.html"]


def test_report_warns_of_coded_transcripts_without_a_participant(
    known: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "--db", known, "documents", "link", "I1", "--unlink")[0] == 0
    out = tmp_path / "out"
    code, stdout, err = run(capsys, "--db", known, "report", "--out", str(out))
    assert code == 0, err
    assert stdout.split() == [str(out / "report.html")]  # the paths stay alone on stdout
    warning = (
        "1 coded transcript is linked to no participant: participant figures leave them out; "
        "link them with `thematica documents link DOC PARTICIPANT`"
    )
    assert err.count(warning) == 1
    assert warning in (out / "report.html").read_text(encoding="utf-8")
    code, stdout, _ = run(capsys, "--db", known, "--json", "report", "--out", str(out))
    assert json.loads(stdout)["warnings"] == [warning]


def test_report_all_formats_as_json(
    known: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, stdout, err = run(
        capsys, "--db", known, "report", "--out", str(out), "--format", "all", "--json"
    )
    assert code == 0, err
    written = json.loads(stdout)["written"]
    assert [Path(p).name for p in written] == [f.filename for f in FORMATS.values()]
    assert all(Path(p).is_file() for p in written)


def test_report_several_formats_and_a_split(
    known: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = ["--db", known, "report", "--out", str(out), "--format", "csv", "--format", "html"]
    code, stdout, err = run(capsys, *args, "--by", "contract")
    assert code == 0, err
    assert sorted(Path(p).name for p in stdout.split()) == [
        "participants-by-codes.csv",
        "report.html",
    ]
    page = lxml.html.fromstring((out / "report.html").read_bytes())
    assert "By contract" in page.text_content()


def test_report_errors_are_one_line_and_write_nothing(
    known: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, _, err = run(capsys, "--db", known, "report", "--out", str(out), "--by", "grade")
    assert code == 2 and err.startswith("error: no participant has the attribute 'grade'")
    assert not out.exists()
    code, _, err = run(capsys, "--db", known, "report", "--out", str(out), "--format", "pdf")
    assert code == 2 and "pdf" in err


def test_demo_ends_by_writing_its_report(demo_run: DemoRun) -> None:
    lines = demo_run.output.rstrip().splitlines()
    written = [Path(line.strip()) for line in lines[-len(FORMATS) :]]
    assert written[0] == demo_run.database.parent / "report" / "report.html"
    assert all(path.is_file() for path in written)
    page = lxml.html.fromstring(written[0].read_bytes())
    assert "Peer support demo (fictional)" in page.findtext(".//title")
    assert len(page.cssselect("table.coreq tr[data-key]")) == 32
    # The demo's fictional study record and charted summaries reach the report.
    with (DEMO / "study-record.csv").open(encoding="utf-8", newline="") as handle:
        record = {row["item"]: row["value"] for row in csv.DictReader(handle)}
    methods = page.cssselect("#methods p.methods")[0].text_content()
    assert record["aim"] in methods
    assert (
        "Analysis layer: the consensus of round Double-coding P01-P04 for its 4 transcripts"
        in methods
    ), "the demo report shows the analysis layer it used"
    answered = {tr.get("data-key") for tr in page.cssselect("table.coreq tr.answered")}
    assert {"sampling", "interviewer", "setting"} <= answered
    with (DEMO / "framework-summaries.csv").open(encoding="utf-8", newline="") as handle:
        summaries = [row["summary"] for row in csv.DictReader(handle)]
    shown = [s.text_content() for s in page.cssselect("#framework .summary")]
    assert sorted(shown) == sorted(summaries)


def test_record_and_summary_commands_feed_the_report(
    known: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", known, "record", "set", "interviewer", "Robin & <Sam>")
    assert code == 0, err
    code, stdout, err = run(capsys, "--db", known, "--json", "record", "show")
    assert code == 0, err
    shown = {row["item"]: row["answer"] for row in json.loads(stdout)}
    assert shown["interviewer"] == "Robin & <Sam>" and shown["duration"] == ""
    code, _, err = run(capsys, "--db", known, "record", "set", "intervewer", "x")
    assert code == 2 and "unknown study record item 'intervewer'" in err
    text = "Training was generic; wants peer-specific modules."
    code, _, err = run(
        capsys, "--db", known, "summary", "P3", "Support > Training", text, "--author", "Sam"
    )
    assert code == 0, err
    out = tmp_path / "out"
    code, _, err = run(capsys, "--db", known, "report", "--out", str(out))
    assert code == 0, err
    page = lxml.html.fromstring((out / "report.html").read_bytes())
    [row] = page.cssselect('table.coreq tr[data-key="interviewer"]')
    assert "Robin & <Sam>" in row.text_content()
    summaries = [s.text_content() for s in page.cssselect("#framework .summary")]
    assert text in summaries
