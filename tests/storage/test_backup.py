"""Backups by the online API: consistent while someone writes, never over a file, no leftovers
of deleted rows; restore, and the pg_dump refusal for a team database."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.conftest import POSTGRES_URL
from thematica.errors import ConflictError, StorageError
from thematica.services.backups import backup_database, restore_database
from thematica.services.codebook import add_code
from thematica.services.studies import study_stats
from thematica.storage import Database
from thematica.storage.backup import backup_beside, copy_sqlite


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        (n,) = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(n)


def test_backup_is_consistent_while_a_coder_keeps_writing(
    db: Database, study: str, tmp_path: Path
) -> None:
    stop = threading.Event()
    added: list[str] = []

    def writer() -> None:
        while not stop.is_set() and len(added) < 200:
            name = f"Code {len(added)}"
            add_code(db, name, study=study, actor="busy")
            added.append(name)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = [tmp_path / f"copy{i}.db" for i in range(3)]
        for copy in copies:
            backup_database(str(db.sqlite_path), copy)
    finally:
        stop.set()
        thread.join()
    for copy in copies:
        with sqlite3.connect(copy) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            codes = connection.execute("SELECT count(*) FROM codes").fetchone()[0]
            events = connection.execute(
                "SELECT count(*) FROM events WHERE kind = 'code.added'"
            ).fetchone()[0]
        assert codes == events, "each code with its event: a snapshot, not a mix"


def test_a_backup_never_replaces_a_file(db: Database, study: str, tmp_path: Path) -> None:
    target = tmp_path / "kept.db"
    target.write_bytes(b"an earlier backup")
    with pytest.raises(ConflictError, match="already exists"):
        backup_database(str(db.sqlite_path), target)
    assert target.read_bytes() == b"an earlier backup"
    assert not list(tmp_path.glob(".kept.db.partial-*"))
    assert db.sqlite_path is not None
    first = backup_beside(db.sqlite_path, "x")
    second = backup_beside(db.sqlite_path, "x")
    assert (first.name, second.name) == ("study.db.bak-x", "study.db.bak-x.2")


def test_deleted_rows_do_not_travel_into_a_backup(tmp_path: Path) -> None:
    live = tmp_path / "live.db"
    secret = "an original that de-identification dropped"
    with sqlite3.connect(live) as connection:  # no secure_delete: free pages keep the text
        connection.execute("PRAGMA secure_delete=OFF")
        connection.execute("CREATE TABLE t (x TEXT)")
        connection.executemany("INSERT INTO t VALUES (?)", [(secret * 50,)] * 20)
        connection.commit()
        connection.execute("DELETE FROM t")
        connection.commit()
    assert secret.encode() in live.read_bytes()
    copy = copy_sqlite(live, tmp_path / "copy.db")
    assert secret.encode() not in copy.read_bytes()


def test_the_mapping_is_left_out_unless_asked(db: Database, study: str, tmp_path: Path) -> None:
    from thematica.services.deid_mapping import add_terms

    add_terms(db, ["Gallowglass Cove"], "PLACE", study=study, actor="owner")
    plain = backup_database(str(db.sqlite_path), tmp_path / "plain.db")
    full = backup_database(str(db.sqlite_path), tmp_path / "full.db", include_mapping=True)
    assert plain.mapping_left_out and not full.mapping_left_out
    assert _count(plain.path, "deid_terms") == 0 and _count(full.path, "deid_terms") == 1
    assert b"Gallowglass Cove" not in plain.path.read_bytes()


def test_restore_puts_the_study_back_and_keeps_what_it_replaced(
    db: Database, study: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = db.sqlite_path
    assert path is not None
    backup = tmp_path / "monday.db"
    code, out, _ = run(capsys, "--db", str(path), "backup", str(backup))
    assert code == 0 and "Backed up to" in out and "mapping and term list were left out" in out
    add_code(db, "Added after the backup", study=study)
    db.dispose()
    code, _out, err = run(capsys, "--db", str(path), "restore", str(backup))
    assert code == ConflictError.exit_code and "--replace" in err and err.count("\n") == 1
    kept = backup.read_bytes()
    code, out, _ = run(capsys, "--db", str(path), "restore", str(backup), "--replace")
    assert code == 0 and "is kept at" in out
    assert backup.read_bytes() == kept and not (tmp_path / "monday.db-wal").exists(), (
        "restoring reads the backup, never writes to it"
    )
    assert study_stats(db, study).codes == 4
    assert (tmp_path / "study.db.bak-before-restore").exists()
    fresh = tmp_path / "elsewhere.db"
    restore_database(backup, str(fresh))
    assert _count(fresh, "codes") == 4


def test_restore_refuses_what_is_not_a_study(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StorageError, match="cannot open the database"):
        restore_database(junk, str(tmp_path / "new.db"))
    assert not (tmp_path / "new.db").exists()


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="THEMATICA_TEST_POSTGRES_URL is not set")
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_team_database_is_pointed_to_pg_dump(db: Database, tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="pg_dump"):
        backup_database(db.url, tmp_path / "x.db")
