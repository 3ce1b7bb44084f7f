"""Copies of a SQLite study database: consistent while people work, never over another file.

A copy is made with SQLite's online backup API (a consistent snapshot taken under a read lock,
so in WAL mode coders carry on writing) into a private temporary file, which is then rebuilt with
``VACUUM``: free pages of the live file still hold whatever was deleted (an original file dropped
by de-identification, an erased participant), and the rebuild leaves only live rows. The finished
file takes its name with a hard link, which fails rather than replace a file already there; a
copy is therefore never half-written and never overwrites an earlier backup.

PostgreSQL databases are backed up with ``pg_dump`` (see ``docs/at-rest.md``).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from thematica.errors import ConflictError, StorageError
from thematica.storage.engine import busy_timeout

__all__ = [
    "backup_beside",
    "backups_of",
    "copy_sqlite",
    "restore_sqlite",
    "stored_revision",
]

#: Tables a backup may leave out on request (``left_out``): the de-identification key.
MAPPING_TABLES = ("deid_mapping", "deid_terms")


def copy_sqlite(source: Path, target: Path, *, left_out: Sequence[str] = ()) -> Path:
    """Copy the database at ``source`` to ``target`` (which must not exist); return ``target``.

    ``left_out`` names tables whose rows the copy does not keep (their definitions stay).
    """
    if target.exists():
        raise ConflictError(f"{target} already exists; a backup never replaces a file")
    if not target.parent.is_dir():
        raise StorageError(f"the folder for the backup does not exist: {target.parent}")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        _snapshot(source, partial, left_out)
        _publish(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _snapshot(source: Path, partial: Path, left_out: Sequence[str]) -> None:
    try:
        live = sqlite3.connect(source, timeout=busy_timeout())
        try:
            copy = sqlite3.connect(partial)
            try:
                live.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")
                for table in left_out:
                    if copy.execute(
                        "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)
                    ).fetchone():
                        copy.execute(f'DELETE FROM "{table}"')
                copy.commit()
                # No journal for the rebuild: it would hold the very pages being scrubbed.
                copy.execute("PRAGMA journal_mode=OFF")
                copy.execute("VACUUM")
                (check,) = copy.execute("PRAGMA integrity_check").fetchone()
                if check != "ok":
                    raise StorageError(f"the copy of {source} failed its integrity check: {check}")
            finally:
                copy.close()
        finally:
            live.close()
    except sqlite3.Error as exc:
        raise StorageError(f"cannot back up {source}: {exc}") from exc
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())


def _publish(partial: Path, target: Path) -> None:
    try:
        os.link(partial, target)
    except FileExistsError:
        raise ConflictError(f"{target} already exists; a backup never replaces a file") from None
    except OSError:  # a file system without hard links: check, then rename
        if target.exists():
            raise ConflictError(
                f"{target} already exists; a backup never replaces a file"
            ) from None
        partial.rename(target)


def backup_beside(path: Path, label: str) -> Path:
    """A copy of ``path`` named ``<file>.bak-<label>``; when that name is taken (an earlier
    attempt's backup), ``<file>.bak-<label>.2``, ``.3`` ...: an earlier backup is never replaced.
    """
    for number in range(1, 1000):
        suffix = f".bak-{label}" if number == 1 else f".bak-{label}.{number}"
        target = path.with_name(path.name + suffix)
        if target.exists():
            continue
        try:
            return copy_sqlite(path, target)
        except ConflictError:
            continue
    raise StorageError(f"too many backups beside {path}; remove old ones")


def backups_of(path: Path, label: str) -> list[Path]:
    """Backups ``backup_beside`` made of ``path`` under ``label``, oldest first."""
    first = path.with_name(f"{path.name}.bak-{label}")
    later = sorted(
        path.parent.glob(f"{path.name}.bak-{label}.*"), key=lambda p: int(p.suffix[1:] or 0)
    )
    return ([first] if first.exists() else []) + [p for p in later if p.suffix[1:].isdigit()]


def stored_revision(backup: Path) -> str | None:
    """The schema revision a backup file holds, read without writing to it (None: no study)."""
    if not backup.is_file():
        raise StorageError(f"no backup at {backup}")
    try:
        connection = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            found = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
            if not found:
                return None
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            return str(row[0]) if row else None
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"cannot open the database {backup}: {exc}") from exc


def restore_sqlite(backup: Path, target: Path) -> None:
    """Write the contents of ``backup`` into the database file ``target`` with the online backup
    API (which takes the write lock, so nobody reads a half-restored study)."""
    if not backup.is_file():
        raise StorageError(f"no backup at {backup}")
    try:
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            (check,) = source.execute("PRAGMA integrity_check").fetchone()
            if check != "ok":
                raise StorageError(f"{backup} failed its integrity check: {check}")
            live = sqlite3.connect(target, timeout=busy_timeout())
            try:
                source.backup(live)
                live.execute("PRAGMA journal_mode=WAL")
            finally:
                live.close()
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"cannot restore from {backup}: {exc}") from exc
