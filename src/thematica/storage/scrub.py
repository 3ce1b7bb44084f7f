"""Making deleted rows unrecoverable from the database files.

SQLite leaves deleted rows in free pages and old copies of pages in the WAL; PostgreSQL leaves dead
tuples until VACUUM. After an erasure, :func:`scrub` rebuilds the SQLite file (``VACUUM``, with
``secure_delete`` on) and truncates its WAL, or VACUUMs PostgreSQL's tables. Copies made earlier
(backups, ``.bak-*`` files, PostgreSQL WAL archives and dumps) are not touched: the erasure report
lists the ones beside a SQLite file.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from thematica.storage.engine import Database

__all__ = ["earlier_copies", "scrub"]


def scrub(db: Database) -> bool:
    """Rebuild storage so deleted data is gone from the files; False if others kept the WAL."""
    if not db.is_sqlite:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM")
        return True
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA secure_delete=ON")
        connection.commit()
        raw = connection.connection.driver_connection
        assert raw is not None
        previous = raw.isolation_level
        raw.isolation_level = None  # VACUUM cannot run inside a transaction
        try:
            raw.execute("VACUUM")
            busy, _log, _done = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            raw.isolation_level = previous
        connection.execute(text("PRAGMA secure_delete=OFF"))
    return bool(busy == 0)


def earlier_copies(db: Database) -> list[Path]:
    """Backups Thematica made beside a SQLite file (they still hold what was erased)."""
    path = db.sqlite_path
    if path is None:
        return []
    return sorted(path.parent.glob(f"{path.name}.bak-*"))
