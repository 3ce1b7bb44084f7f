"""Bringing a database to the current schema, safely.

* A new database is created at the current revision.
* A single-user SQLite file behind the current revision is copied to ``<file>.bak-<revision>``
  and then upgraded automatically.
* A team database (PostgreSQL) behind the current revision is refused until someone runs
  ``thematica db upgrade``: several people share it, so one person's command must not migrate it.
* A database written by a newer Thematica is refused and left untouched.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection
from sqlalchemy.exc import DatabaseError, OperationalError

from thematica.errors import StorageError
from thematica.storage import revisions
from thematica.storage.engine import Database, make_engine, resolve_url

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["current_revision", "head_revision", "open_database", "upgrade"]

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
    """Upgrade ``db`` to the current revision; return (revision before, revision after)."""
    before = current_revision(db)
    _refuse_newer(db, before)
    if before != head_revision():
        from alembic import command

        with db.engine.begin() as connection:
            command.upgrade(_config(connection), "head")
    return before, head_revision()


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
    _backup(path, revision)
    upgrade(db)


def _backup(path: Path, revision: str) -> Path:
    """Copy a SQLite file (after a WAL checkpoint) before upgrading it."""
    backup = path.with_name(f"{path.name}.bak-{revision}")
    with_wal = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    shutil.copy2(path, backup)
    for extra in with_wal:
        if extra.exists():
            shutil.copy2(extra, backup.with_name(backup.name + extra.name[len(path.name) :]))
    return backup
