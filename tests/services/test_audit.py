"""`thematica audit verify` on real databases edited behind Thematica's back."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from tests.cli.test_cli import run
from tests.conftest import both_backends
from thematica.services.audit import verify_audit
from thematica.services.report import gather_report
from thematica.storage import Database


@both_backends
def test_a_fresh_study_verifies_and_the_report_says_so(db: Database, study: str) -> None:
    name, report = verify_audit(db, study)
    assert name == study and report.verified and report.events >= 6
    assert "audit trail (" in gather_report(db, study).methods
    assert "verified: each event's SHA-256 hash chains" in gather_report(db, study).methods


@both_backends
@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ("UPDATE events SET actor = 'mallory' WHERE sequence = {third}", "actor"),
        ("DELETE FROM events WHERE sequence = {third}", "deleted"),
        ("UPDATE events SET hash = NULL WHERE sequence = {third}", "no hash"),
    ],
)
def test_an_edit_with_any_sql_tool_is_found_and_named(
    db: Database, study: str, tamper: str, reason: str
) -> None:
    with db.engine.begin() as connection:
        sequences = connection.execute(text("SELECT sequence FROM events ORDER BY sequence"))
        numbers = list(sequences.scalars())
        connection.execute(text(tamper.format(third=numbers[2])))
    _name, report = verify_audit(db, study)
    fault = report.first_break
    assert fault is not None and reason in fault.reason
    expected = numbers[3] if reason == "deleted" else numbers[2]
    assert fault.sequence == expected
    assert "did NOT verify" in gather_report(db, study).methods


def test_cli_names_the_first_broken_link_and_fails(
    db: Database, study: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = db.sqlite_path
    assert path is not None
    code, out, _err = run(capsys, "--db", str(path), "audit", "verify")
    assert code == 0 and "events verified; head" in out
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE events SET actor = 'mallory' WHERE sequence = "
            "(SELECT min(sequence) FROM events WHERE kind = 'code.added')"
        )
    code, out, _err = run(capsys, "--db", str(path), "audit", "verify")
    assert code == 8 and "BROKEN at event" in out and "code.added" in out
    assert out.count("\n") == 1
