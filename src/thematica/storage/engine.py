"""Engines and database URLs.

``make_engine`` is a factory: importing this module opens nothing. SQLite files get WAL (readers
do not block the writer), foreign keys (off by default in SQLite) and a busy timeout: a writer
waits up to ``THEMATICA_BUSY_TIMEOUT`` seconds (default 30) for another's write to finish before
giving up with a message that says to retry.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from thematica.errors import StorageError

__all__ = [
    "DEFAULT_PATH",
    "Database",
    "busy_timeout",
    "make_engine",
    "make_migration_engine",
    "resolve_url",
]

DEFAULT_PATH = "thematica.db"
ENV_URL = "THEMATICA_DATABASE_URL"
ENV_BUSY_TIMEOUT = "THEMATICA_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT = 30.0


def busy_timeout() -> float:
    """Seconds a SQLite writer waits for the lock (``THEMATICA_BUSY_TIMEOUT``, default 30)."""
    raw = os.environ.get(ENV_BUSY_TIMEOUT, "")
    try:
        return max(0.0, float(raw)) if raw.strip() else DEFAULT_BUSY_TIMEOUT
    except ValueError:
        raise StorageError(f"{ENV_BUSY_TIMEOUT} must be a number of seconds, not {raw!r}") from None


def resolve_url(url_or_path: str | os.PathLike[str] | None = None) -> str:
    """A SQLAlchemy URL from a URL, a file path, ``THEMATICA_DATABASE_URL`` or the default file.

    ``postgresql://`` URLs use the psycopg 3 driver.
    """
    raw = str(url_or_path) if url_or_path is not None else os.environ.get(ENV_URL) or DEFAULT_PATH
    if "://" not in raw:
        return f"sqlite:///{Path(raw).expanduser()}"
    if raw.startswith(("postgresql://", "postgres://")):
        raw = "postgresql+psycopg://" + raw.split("://", 1)[1]
    return raw


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows are overwritten, not left in free pages: an original file dropped by
    # de-identification or an erased participant must not be readable from the file.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` (already resolved) with Thematica's connection settings."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StorageError(f"not a database URL: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        connect_args = kwargs.pop("connect_args", {})
        connect_args.setdefault("timeout", busy_timeout())
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    try:
        return create_engine(url, **kwargs)
    except ModuleNotFoundError as exc:
        raise StorageError(
            f"the driver for {parsed.get_backend_name()} is not installed: "
            "pip install 'thematica[postgres]'"
        ) from exc


def make_migration_engine(url: str) -> Engine:
    """An engine for schema upgrades, whose transactions cover DDL on SQLite too.

    pysqlite begins a transaction only before INSERT/UPDATE/DELETE, so by default each
    ``CREATE TABLE`` or ``ALTER TABLE`` of a migration commits on its own and a killed upgrade
    leaves a half-migrated file. Here pysqlite's transaction handling is switched off and
    SQLAlchemy's ``begin`` emits ``BEGIN IMMEDIATE`` (taking the write lock at once), so the
    whole upgrade, DDL, data and revision stamp, commits or rolls back as one (the recipe in
    SQLAlchemy's pysqlite notes). Foreign keys are off for the upgrade, as SQLite's own procedure
    for schema changes asks (a table rebuilt by batch mode must not cascade its children away);
    ``migrate.upgrade`` runs ``PRAGMA foreign_key_check`` before committing. PostgreSQL already
    has transactional DDL: its engine is the ordinary one.
    """
    if make_url(url).get_backend_name() != "sqlite":
        return make_engine(url)
    from sqlalchemy.pool import NullPool

    engine = make_engine(url, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _manual_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@dataclass(frozen=True)
class Database:
    """An engine plus what Thematica needs to know about it."""

    engine: Engine
    url: str
    #: True when opening made a new SQLite file (so a failed first step can take it away).
    created: bool = False

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        database = self.engine.url.database
        if not self.is_sqlite or not database or database == ":memory:":
            return None
        return Path(database)

    def checkpoint(self) -> bool:
        """Copy a SQLite file's write-ahead log into the file and empty the log, so that a page
        replaced (a transcript's original text) survives in neither. False when another
        connection's open read kept the log from being emptied (it is emptied the next time no
        one reads). Other databases: True, there is no log file beside them to clear."""
        if not self.is_sqlite:
            return True
        with self.engine.connect() as connection:
            busy, _log, _done = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        wal = (
            self.sqlite_path.with_name(self.sqlite_path.name + "-wal") if self.sqlite_path else None
        )
        return not busy and (wal is None or not wal.exists() or wal.stat().st_size == 0)

    def backups(self) -> list[Path]:
        """Copies of a SQLite file that Thematica made before upgrading it (``.bak-<revision>``,
        with their ``-wal``): they hold whatever the file held then."""
        path = self.sqlite_path
        if path is None:
            return []
        return sorted(path.parent.glob(f"{path.name}.bak-*"))

    def describe(self) -> str:
        """The URL without any password, for messages."""
        return self.engine.url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()

    def discard_if_created(self) -> bool:
        """Close, and delete the SQLite file (and its WAL files) if opening created it.

        For a command whose first act on a new database failed: the user asked for a study, not
        for an empty database file to be left where it was to go. Returns whether it deleted.
        """
        self.dispose()
        path = self.sqlite_path
        if not self.created or path is None:
            return False
        for leftover in (
            path,
            path.with_name(path.name + "-wal"),
            path.with_name(path.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)
        return True
