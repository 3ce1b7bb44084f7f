from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import both_backends
from thematica.errors import StorageError
from thematica.services.scope import open_db
from thematica.storage.migrate import current_revision, head_revision


@both_backends
def test_new_database_is_created_at_head(database_url: str) -> None:
    db = open_db(database_url, create=True)
    assert current_revision(db) == head_revision()
    db.dispose()


def test_missing_sqlite_file_is_an_error_unless_creating(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="no Thematica database at"):
        open_db(str(tmp_path / "nope.db"))
    assert not (tmp_path / "nope.db").exists()


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="folder for the database does not exist"):
        open_db(str(tmp_path / "no" / "such" / "x.db"), create=True)


def test_garbage_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 200)
    with pytest.raises(StorageError, match="cannot open the database"):
        open_db(str(path))
    assert path.read_bytes().startswith(b"these are my notes")


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(StorageError, match="not a Thematica database"):
        open_db(str(path))


def _set_revision(path: Path, revision: str) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))


def test_database_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "study.db"
    open_db(str(path), create=True).dispose()
    _set_revision(path, "9999_from_the_future")

    def contents() -> list[tuple[str, ...]]:
        with sqlite3.connect(path) as connection:
            return [
                *connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name"),
                *connection.execute("SELECT version_num FROM alembic_version"),
            ]

    before = contents()
    with pytest.raises(StorageError, match="newer version of Thematica"):
        open_db(str(path))
    assert contents() == before
    assert not list(tmp_path.glob("*.bak-*"))


def _database_at(url: str, revision: str) -> None:
    """Build a database at an older schema revision, the way an older Thematica left it."""
    from alembic import command

    from thematica.storage import migrate
    from thematica.storage.engine import Database, make_engine, resolve_url

    resolved = resolve_url(url)
    db = Database(make_engine(resolved), resolved)
    with db.engine.begin() as connection:
        command.upgrade(migrate._config(connection), revision)
        connection.exec_driver_sql(
            "INSERT INTO studies (id, name, description, created_at) "
            "VALUES ('0123456789abcdef0123456789abcdef', 'Old study', '', '2025-01-01 00:00:00')"
            if db.is_sqlite
            else "INSERT INTO studies (id, name, description, created_at) "
            "VALUES ('01234567-89ab-cdef-0123-456789abcdef', 'Old study', '', '2025-01-01')"
        )
    db.dispose()


def test_single_user_sqlite_behind_head_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "study.db"
    _database_at(str(path), "0001")
    db = open_db(str(path))
    assert current_revision(db) == head_revision() != "0001"
    from thematica.services.studies import list_studies

    assert [s.name for s in list_studies(db)] == ["Old study"], "data survives the upgrade"
    db.dispose()
    backup = tmp_path / "study.db.bak-0001"
    assert backup.exists()
    with sqlite3.connect(backup) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@pytest.mark.skipif(
    not __import__("os").environ.get("THEMATICA_TEST_POSTGRES_URL"),
    reason="THEMATICA_TEST_POSTGRES_URL is not set (make test sets it)",
)
def test_team_database_behind_head_asks_for_db_upgrade(database_url: str) -> None:
    from thematica.services.schema import schema_status, upgrade_database

    _database_at(database_url, "0001")
    with pytest.raises(StorageError, match="thematica db upgrade"):
        open_db(database_url)
    assert schema_status(database_url)["revision"] == "0001", "refused means untouched"
    assert upgrade_database(database_url) == ("0001", head_revision())
    db = open_db(database_url)
    from thematica.services.studies import list_studies

    assert [s.name for s in list_studies(db)] == ["Old study"]
    db.dispose()
