"""Saturation reads the coded interviews only, in interview order, and says which order."""

from __future__ import annotations

import pytest

from tests.cli.test_cli import run
from tests.conftest import both_backends
from thematica.domain.events import EventKind
from thematica.errors import InvalidInputError
from thematica.services.codebook import add_code
from thematica.services.coding import CodingRequest, apply_codings
from thematica.services.documents import add_text, set_interview_date
from thematica.services.participants import add_participant
from thematica.services.report import gather_report
from thematica.services.studies import create_study
from thematica.storage import Database, UnitOfWork

STUDY = "Dates"
#: Interviews in import order, with the day of March 2024 each took place (None: no header).
DAYS = {"I1": 20, "I2": 5, "I3": 11, "I4": 2, "I5": 28, "I6": 14, "I7": 1}
#: The codes found in each interview (I7 was never coded).
CODES = {"I1": "AB", "I2": "C", "I3": "AD", "I4": "E", "I5": "B", "I6": "F", "I7": ""}


def _build(db: Database, *, headers: bool = True, undated: str = "") -> None:
    create_study(db, STUDY, template="blank", actor="t")
    for code in "ABCDEF":
        add_code(db, code, study=STUDY, actor="t")
    requests = []
    for name, day in DAYS.items():
        header = f"Date: {day} March 2024\n\n" if headers and name != undated else ""
        text = f"{header}Interviewer: Question?\n\nParticipant: An answer from {name}.\n"
        add_participant(db, f"P-{name}", study=STUDY, actor="t")
        add_text(db, name, text, study=STUDY, participant=f"P-{name}", actor="t")
        start = text.index("An answer")
        requests += [CodingRequest(name, start, start + 9, code, "Robin") for code in CODES[name]]
    apply_codings(db, requests, study=STUDY, actor="t")


def _order() -> list[str]:
    coded = [name for name in DAYS if CODES[name]]
    return sorted(coded, key=lambda name: DAYS[name])


@both_backends
def test_coded_interviews_in_the_order_of_their_header_dates(db: Database) -> None:
    _build(db)
    report = gather_report(db, STUDY, viewer="t")
    steps = report.saturation.steps
    assert [s.document for s in steps] == _order(), "by date, and I7 (uncoded) is left out"
    seen: set[str] = set()
    for step in steps:
        assert step.new == len(set(CODES[step.document]) - seen)
        seen |= set(CODES[step.document])
    phrase = (
        "over the 6 coded interviews in order of interview date (dates from: transcript header 6)"
    )
    assert phrase in report.saturation.verdict
    assert phrase in report.methods
    answers = {a.item.key: a.answer for a in report.coreq}
    assert phrase in answers["saturation"], "COREQ item 22 says which order"


def test_one_undated_coded_interview_falls_back_to_import_order_and_says_so(db: Database) -> None:
    _build(db, undated="I3")
    report = gather_report(db, STUDY, viewer="t")
    assert [s.document for s in report.saturation.steps] == [n for n in DAYS if CODES[n]]
    assert (
        "over the 6 coded interviews in the order they were imported, since 1 of them has no "
        "interview date"
    ) in report.methods


@both_backends
def test_sheet_dates_and_dates_set_by_hand(db: Database) -> None:
    _build(db, headers=False)
    for name, day in DAYS.items():
        add_participant(
            db, f"P-{name}", study=STUDY, attributes={"Interview date": f"{day}/03/2024"}, actor="t"
        )
    assert set_interview_date(db, "I4", "30 March 2024", study=STUDY, actor="lead") is not None
    report = gather_report(db, STUDY, viewer="t")
    expected = sorted(_order(), key=lambda n: 30 if n == "I4" else DAYS[n])
    assert [s.document for s in report.saturation.steps] == expected
    assert "(dates from: participant sheet 5, set by hand 1)" in report.methods
    with UnitOfWork(db) as uow:
        study = uow.studies.all()[0]
        [event] = [e for e in uow.events.all(study.id) if e.kind is EventKind.DOCUMENT_DATED]
    assert event.actor == "lead" and event.after == {"interview_date": "2024-03-30"}
    with pytest.raises(InvalidInputError, match="cannot read 'soon' as a date"):
        set_interview_date(db, "I4", "soon", study=STUDY)
    assert set_interview_date(db, "I4", "", study=STUDY) is None, "cleared"
    report = gather_report(db, STUDY, viewer="t")
    assert [s.document for s in report.saturation.steps] == _order()


def test_documents_set_date_command(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    from thematica.services.scope import open_db

    path = str(Path(str(tmp_path)) / "dates.db")
    db = open_db(path, create=True)
    _build(db)
    db.dispose()
    code, out, _ = run(capsys, "--db", path, "documents", "set-date", "I2", "2024-04-01")
    assert code == 0 and out.strip() == "Interview date of I2: 2024-04-01."
    code, _, err = run(capsys, "--db", path, "documents", "set-date", "I2", "31/02/2024")
    assert code != 0 and len(err.strip().splitlines()) == 1 and "not a date" in err
    code, out, _ = run(capsys, "--db", path, "--json", "documents", "set-date", "I9", "2024-04-01")
    assert code != 0
