"""Bringing a database to the current schema, safely.

* A new database is created at the current revision.
* A single-user SQLite file behind the current revision is copied to ``<file>.bak-<revision>``
  (``.bak-<revision>.2`` ... when an earlier attempt's backup is there: none is ever replaced)
  and then upgraded automatically.
* Every upgrade is one transaction, DDL included, on SQLite as on PostgreSQL
  (``engine.make_migration_engine``): killed half way, the database is still at its old revision.
* A database found half-upgraded (by a Thematica before that rule, or by hand) is refused with
  one line saying which tables do not belong to its revision and which backup to restore.
* A team database (PostgreSQL) behind the current revision is refused until someone runs
  ``thematica db upgrade``: several people share it, so one person's command must not migrate it.
* A database written by a newer Thematica is refused and left untouched.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError

from thematica.errors import StorageError
from thematica.storage import revisions
from thematica.storage.backup import backup_beside, backups_of
from thematica.storage.engine import Database, make_engine, make_migration_engine, resolve_url

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "current_revision",
    "head_revision",
    "open_database",
    "upgrade",
    "upgrade_with_backup",
]

_SCRIPT_LOCATION = "thematica.storage:migrations"


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config  # Alembic only to upgrade: see storage/revisions.py

    config = Config()
    config.set_main_option("script_location", _SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return revisions.head_revision()


def _known_revisions() -> frozenset[str]:
    return revisions.known_revisions()


def current_revision(db: Database) -> str | None:
    """The schema revision stored in the database, or None for an empty database."""
    try:
        with db.engine.connect() as connection:
            revision, has_tables = revisions.stored_revision(connection)
            if revision is None and has_tables:
                raise StorageError(f"{db.describe()} holds tables but is not a Thematica database")
            return revision
    except (OperationalError, DatabaseError) as exc:
        raise StorageError(f"cannot open the database {db.describe()}: {_reason(exc)}") from exc


def _reason(exc: Exception) -> str:
    original = getattr(exc, "orig", None)
    return str(original or exc).strip().splitlines()[0]


def upgrade(db: Database) -> tuple[str | None, str]:
    """Upgrade ``db`` to the current revision in one transaction; return (before, after)."""
    before = current_revision(db)
    _refuse_newer(db, before)
    if before == head_revision():
        return before, before
    _refuse_inconsistent(db, before)
    from alembic import command  # Alembic only to upgrade: see storage/revisions.py

    engine = make_migration_engine(db.url)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "head")
            if db.is_sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                raise StorageError(
                    f"upgrading {db.describe()} would break links between rows; nothing was changed"
                )
    except SQLAlchemyError as exc:
        raise StorageError(
            f"the upgrade of {db.describe()} from schema {before or '(empty)'} failed and was "
            f"rolled back, nothing was changed: {_reason(exc)}"
        ) from exc
    finally:
        engine.dispose()
    return before, head_revision()


@cache
def _tables_at(revision: str) -> frozenset[str]:
    """The tables a database at ``revision`` holds (built once, in memory, from the migrations)."""
    from alembic import command

    engine = make_engine("sqlite://")
    try:
        with engine.begin() as connection:
            config = _config(connection)
            config.attributes["probe"] = True  # not the database being upgraded
            command.upgrade(config, revision)
            return frozenset(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def _refuse_inconsistent(db: Database, revision: str | None) -> None:
    """Refuse a database whose tables are not those of its revision (a half-applied upgrade)."""
    if revision is None:
        return
    with db.engine.connect() as connection:
        present = set(inspect(connection).get_table_names()) - {"alembic_version"}
    expected = _tables_at(revision) - {"alembic_version"}
    extra, missing = sorted(present - expected), sorted(expected - present)
    if not extra and not missing:
        return
    found = (
        f"tables of a later revision are already there ({', '.join(extra)})"
        if extra
        else f"tables are missing ({', '.join(missing)})"
    )
    path = db.sqlite_path
    backups = backups_of(path, revision) if path is not None else []
    recovery = (
        f"restore the backup taken before the upgrade: `thematica restore {backups[0]} --db {path}`"
        if backups
        else "restore your latest backup (SQLite: `thematica restore FILE`; PostgreSQL: "
        "pg_restore), then open it with this version"
    )
    raise StorageError(
        f"{db.describe()} is in an unexpected state, probably an interrupted upgrade: it says "
        f"schema {revision} but {found}; nothing was changed; {recovery}"
    )


def _refuse_newer(db: Database, revision: str | None) -> None:
    if revision is not None and revision not in _known_revisions():
        raise StorageError(
            f"{db.describe()} was written by a newer version of Thematica (schema revision "
            f"{revision}); install that version to open it. Nothing was changed."
        )


def open_database(url_or_path: str | None = None, *, create: bool = False) -> Database:
    """Open (and if allowed, create or upgrade) the database named by a URL or path.

    ``create`` allows a missing SQLite file to be made; without it a missing file is an error,
    so a typo in ``--db`` does not silently start an empty study elsewhere.
    """
    url = resolve_url(url_or_path)
    db = Database(make_engine(url), url)
    path = db.sqlite_path
    if path is not None and not path.exists():
        db = replace(db, created=True)
    try:
        _prepare(db, create)
    except BaseException:
        db.dispose()  # a refused database leaves no pooled connection behind
        raise
    return db


def _prepare(db: Database, create: bool) -> None:
    path = db.sqlite_path
    if path is not None and not create and not path.exists():
        raise StorageError(
            f"no Thematica database at {path}; create one with `thematica init NAME` or pass --db"
        )
    if path is not None and not path.parent.exists():
        raise StorageError(f"the folder for the database does not exist: {path.parent}")
    revision = current_revision(db)
    _refuse_newer(db, revision)
    head = head_revision()
    if revision == head:
        return
    if revision is None:
        if not create:
            raise StorageError(
                f"{db.describe()} is empty; create a study with `thematica init NAME` first"
            )
        upgrade(db)
        return
    if path is None:
        raise StorageError(
            f"{db.describe()} is at schema revision {revision}, this Thematica needs {head}; "
            "a team database is upgraded explicitly: run `thematica db upgrade`"
        )
    upgrade_with_backup(db)


def upgrade_with_backup(db: Database) -> tuple[str | None, str]:
    """``upgrade``, after a backup copy when the database is a SQLite file with a study in it."""
    revision = current_revision(db)
    path = db.sqlite_path
    if path is not None and revision is not None and revision != head_revision():
        _refuse_newer(db, revision)
        _refuse_inconsistent(db, revision)
        _backup(path, revision)
    return upgrade(db)


def _backup(path: Path, revision: str) -> Path:
    """A consistent copy of a SQLite file before upgrading it, beside it, never over another."""
    return backup_beside(path, revision)
