"""The event log's chain across transactions and writers."""

from __future__ import annotations

from tests.conftest import both_backends
from thematica.domain.events import EventKind, make_event
from thematica.services.audit import verify_audit
from thematica.storage import Database, UnitOfWork


def _append(uow: UnitOfWork, study: str, actor: str) -> None:
    found = uow.studies.by_name(study)
    assert found is not None
    uow.events.append([make_event(found.id, actor, EventKind.RECORD_UPDATED, None, after={})])


@both_backends
def test_a_unit_of_work_that_commits_twice_follows_another_writer(db: Database, study: str) -> None:
    with UnitOfWork(db) as first:
        _append(first, study, "first")
        first.commit()
        with UnitOfWork(db) as second:  # someone else writes between the two commits
            _append(second, study, "second")
            second.commit()
        _append(first, study, "first again")
        first.commit()
    _name, report = verify_audit(db, study)
    assert report.verified, report.first_break


@both_backends
def test_events_of_two_studies_chain_separately(db: Database, study: str) -> None:
    from thematica.services.studies import create_study

    create_study(db, "Other", template="blank", actor="tester")
    with UnitOfWork(db) as uow:
        _append(uow, study, "a")
        _append(uow, "Other", "b")
        _append(uow, study, "c")
        uow.commit()
    assert verify_audit(db, study)[1].verified and verify_audit(db, "Other")[1].verified
