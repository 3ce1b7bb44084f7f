"""Upgrades that cannot half-apply: a real `thematica` process killed in the middle of one."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.conftest import POSTGRES_URL, both_backends
from tests.storage.test_migrate import _database_at
from thematica.errors import StorageError
from thematica.services.scope import open_db
from thematica.storage.migrate import _tables_at, current_revision, head_revision


def _kill_during_upgrade(url: str, command: list[str], after_steps: int) -> None:
    """Run `thematica --db URL COMMAND` with the test pause in each migration step, and SIGKILL
    it once ``after_steps`` steps have been applied (inside the upgrade's one transaction)."""
    env = {**os.environ, "THEMATICA_TEST_UPGRADE_PAUSE": "2"}
    process = subprocess.Popen(
        [sys.executable, "-m", "thematica", "--db", url, *command],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env=env,
        bufsize=0,
    )
    assert process.stderr is not None
    applied = 0
    try:
        while line := process.stderr.readline().decode():
            if line.startswith("thematica-test: applied"):
                applied += 1
                if applied == after_steps:
                    break
            elif line.strip():
                pytest.fail(f"unexpected output before the kill: {line}")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        process.stderr.close()
    assert applied == after_steps, "the upgrade ended before the kill"


def _tables(url: str) -> set[str]:
    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def test_sqlite_upgrade_killed_midway_leaves_the_old_revision_and_a_kept_backup(
    tmp_path: Path,
) -> None:
    path = tmp_path / "study.db"
    _database_at(str(path), "0001")
    original_tables = _tables(str(path))
    _kill_during_upgrade(str(path), ["stats"], after_steps=3)

    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert _tables(str(path)) == original_tables == set(_tables_at("0001"))
    first_backup = tmp_path / "study.db.bak-0001"
    kept = first_backup.read_bytes()

    # The next attempt, killed too, makes a second backup and leaves the first alone.
    _kill_during_upgrade(str(path), ["stats"], after_steps=1)
    assert first_backup.read_bytes() == kept
    assert (tmp_path / "study.db.bak-0001.2").exists()

    db = open_db(str(path))  # and a plain open now upgrades, data intact
    assert current_revision(db) == head_revision()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM studies")).scalars().all() == ["Old study"]
    db.dispose()
    assert first_backup.read_bytes() == kept
    with sqlite3.connect(first_backup) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="THEMATICA_TEST_POSTGRES_URL is not set")
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_postgres_upgrade_killed_midway_leaves_the_old_revision(database_url: str) -> None:
    _database_at(database_url, "0002")
    before = _tables(database_url)
    _kill_during_upgrade(database_url, ["db", "upgrade"], after_steps=2)
    from thematica.services.schema import schema_status, upgrade_database

    assert schema_status(database_url)["revision"] == "0002"
    assert _tables(database_url) == before
    assert upgrade_database(database_url) == ("0002", head_revision())


def _half_migrated(path: Path) -> None:
    """What an interrupted upgrade by an older Thematica left: tables of 0003, stamp of 0002."""
    _database_at(str(path), "0003")
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0002'")
        connection.commit()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_half_migrated_database_is_refused_with_the_way_back(tmp_path: Path) -> None:
    path = tmp_path / "study.db"
    _half_migrated(path)
    before = path.read_bytes()
    with pytest.raises(StorageError) as caught:
        open_db(str(path))
    message = str(caught.value)
    assert "\n" not in message
    assert "unexpected state" in message and "set_members, sets" in message
    assert "restore your latest backup" in message
    assert path.read_bytes() == before, "refused means untouched"


def test_half_migrated_database_names_the_backup_to_restore(tmp_path: Path) -> None:
    path = tmp_path / "study.db"
    _half_migrated(path)
    backup = tmp_path / "study.db.bak-0002"
    _database_at(str(backup), "0002")
    result = subprocess.run(
        [sys.executable, "-m", "thematica", "--db", str(path), "stats"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == StorageError.exit_code
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"thematica restore {backup} --db {path}" in result.stderr


@both_backends
def test_a_failing_step_rolls_the_whole_upgrade_back(database_url: str) -> None:
    _database_at(database_url, "0002")
    url = database_url if "://" in database_url else f"sqlite:///{database_url}"
    engine = create_engine(url)
    with engine.begin() as connection:  # a clash the 0005 step will trip over
        connection.execute(text("CREATE TABLE document_originals (x INTEGER)"))
    engine.dispose()
    from thematica.services.schema import upgrade_database

    with pytest.raises(StorageError, match="unexpected state"):
        upgrade_database(database_url)
    tables = _tables(database_url)
    assert "sets" not in tables and "framework_summaries" not in tables


def test_db_upgrade_on_a_sqlite_file_keeps_a_backup_too(tmp_path: Path) -> None:
    from thematica.services.schema import upgrade_database

    path = tmp_path / "study.db"
    _database_at(str(path), "0004")
    assert upgrade_database(str(path)) == ("0004", head_revision())
    with sqlite3.connect(tmp_path / "study.db.bak-0004") as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0004",)
