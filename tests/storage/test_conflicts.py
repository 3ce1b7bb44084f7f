"""Unique rules in the schema settle races between processes; clashes are one named line."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from sqlalchemy import text

from tests.conftest import both_backends
from thematica.errors import ConflictError
from thematica.services.codebook import add_code
from thematica.services.documents import add_text
from thematica.storage import Database

_ADD_AT = """
import sys, time
from thematica.errors import ThematicaError
from thematica.services.codebook import add_code
from thematica.services.scope import open_db
db = open_db(sys.argv[1])
start = float(sys.argv[3])
while time.time() < start:
    time.sleep(0.001)
try:
    add_code(db, sys.argv[2], study="Test study", actor="racer")
    print("added")
except ThematicaError as exc:
    print(f"{type(exc).__name__}: {exc}")
"""


def _race(url: str, path: str, racers: int = 5) -> list[str]:
    start = time.time() + 4.0  # every process is started and waiting by then
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _ADD_AT, url, path, str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(racers)
    ]
    outcomes = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert err == "", err
        outcomes.append(out)
    return outcomes


@both_backends
@pytest.mark.parametrize("path", ["Support > Peer mentoring", "Wellbeing"])
def test_processes_adding_the_same_code_at_once_make_one_code(
    db: Database, study: str, database_url: str, path: str
) -> None:
    outcomes = _race(database_url, path)
    assert sorted(o.splitlines()[0] for o in outcomes)[-1] == "added"
    assert [o for o in outcomes if o == "added\n"] == ["added\n"], outcomes
    name = path.split(" > ")[-1]
    for outcome in outcomes:
        if outcome != "added\n":
            assert outcome.count("\n") == 1, "one line"
            assert outcome.startswith("ConflictError:") and f"{name!r} already exists" in outcome
    with db.engine.connect() as connection:
        count = connection.execute(
            text("SELECT count(*) FROM codes WHERE name = :name"), {"name": name}
        ).scalar()
    assert count == 1
    from thematica.services.audit import verify_audit

    assert verify_audit(db, study)[1].verified, "racing writers did not fork the chain"


@both_backends
def test_a_clash_found_by_the_database_names_the_thing(db: Database, study: str) -> None:
    from thematica.domain.codebook import Code
    from thematica.domain.ids import CodeId, new_guid
    from thematica.storage import UnitOfWork

    with pytest.raises(ConflictError) as caught, UnitOfWork(db) as uow:
        found = uow.studies.by_name(study)
        assert found is not None  # a row that slipped past the service's own check:
        uow.codes.add(Code(CodeId(new_guid()), found.id, "Support", None))
    assert str(caught.value) == "a top-level code named 'Support' already exists"
    with pytest.raises(ConflictError, match="already exists"):
        add_code(db, "Support", study=study)


@both_backends
def test_participants_and_documents_stay_unique_per_study(db: Database, study: str) -> None:
    from thematica.domain.ids import ParticipantId, new_guid
    from thematica.domain.study import Participant
    from thematica.storage import UnitOfWork

    with (
        pytest.raises(ConflictError, match=r"^a participant 'P01' already exists"),
        UnitOfWork(db) as uow,
    ):
        found = uow.studies.by_name(study)
        assert found is not None
        uow.participants.add(Participant(ParticipantId(new_guid()), found.id, "P01"))
        uow.commit()
    with pytest.raises(ConflictError, match="'T1' already exists"):
        add_text(db, "T1", "Some other text.", study=study)


def test_a_writer_kept_waiting_past_the_busy_timeout_is_told_to_retry(
    db: Database, study: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from thematica.errors import StorageError
    from thematica.services.scope import open_db

    assert db.sqlite_path is not None
    monkeypatch.setenv("THEMATICA_BUSY_TIMEOUT", "0.3")
    impatient = open_db(str(db.sqlite_path))
    holder = sqlite3.connect(db.sqlite_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # someone else's long write
    try:
        started = time.monotonic()
        with pytest.raises(StorageError) as caught:
            add_code(impatient, "Waiting", study=study)
        assert time.monotonic() - started >= 0.3
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        impatient.dispose()
    message = str(caught.value)
    assert "\n" not in message and "try again" in message and "nothing was changed" in message
    add_code(db, "Waiting", study=study)  # and once the lock is free, it goes through


def test_busy_timeout_must_be_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    from thematica.errors import StorageError
    from thematica.storage.engine import busy_timeout

    monkeypatch.setenv("THEMATICA_BUSY_TIMEOUT", "soon")
    with pytest.raises(StorageError, match="THEMATICA_BUSY_TIMEOUT must be a number"):
        busy_timeout()
    monkeypatch.setenv("THEMATICA_BUSY_TIMEOUT", "2.5")
    assert busy_timeout() == 2.5
