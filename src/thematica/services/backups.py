"""Backing up and restoring a SQLite study database (PostgreSQL: ``pg_dump``, docs/at-rest.md).

A backup leaves out the de-identification mapping and term list unless asked (they are the key
that re-identifies a de-identified study); original files dropped by de-identification, and
anything erased, are not in it at all (``storage.backup`` rebuilds the copy from live rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from thematica.errors import ConflictError, StorageError
from thematica.storage.backup import (
    MAPPING_TABLES,
    backup_beside,
    copy_sqlite,
    restore_sqlite,
    stored_revision,
)
from thematica.storage.engine import Database, make_engine, resolve_url
from thematica.storage.migrate import open_database

__all__ = ["Backup", "Restore", "backup_database", "restore_database"]


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    mapping_left_out: bool


@dataclass(frozen=True)
class Restore:
    database: Path
    revision: str | None
    earlier_copy: Path | None


def _sqlite_path(url_or_path: str | None) -> Path:
    url = resolve_url(url_or_path)
    db = Database(make_engine(url), url)
    try:
        path = db.sqlite_path
        if path is None:
            raise StorageError(
                f"{db.describe()} is a team database: back it up with pg_dump "
                "(see docs/at-rest.md), not with `thematica backup`"
            )
        return path
    finally:
        db.dispose()


def backup_database(
    url_or_path: str | None, target: Path, *, include_mapping: bool = False
) -> Backup:
    """A consistent copy of the study database at ``target`` (which must not exist), made while
    others may be working."""
    db = open_database(url_or_path)  # a Thematica database, at this version's schema
    try:
        path = db.sqlite_path
    finally:
        db.dispose()
    if path is None:
        _sqlite_path(url_or_path)  # raises the pg_dump message
        raise AssertionError  # pragma: no cover
    left_out = () if include_mapping else MAPPING_TABLES
    copy_sqlite(path, target, left_out=left_out)
    return Backup(target, target.stat().st_size, not include_mapping)


def restore_database(backup: Path, url_or_path: str | None, *, replace: bool = False) -> Restore:
    """Put the study database back as ``backup`` holds it.

    A database already there is replaced only with ``replace``, and is first copied beside
    itself (``<file>.bak-before-restore``), so a restore can be undone.
    """
    target = _sqlite_path(url_or_path)
    revision = stored_revision(backup)  # read-only: restoring never changes the backup
    if revision is None:
        raise StorageError(f"{backup} holds no Thematica study")
    earlier = None
    if target.exists():
        if not replace:
            raise ConflictError(
                f"{target} already exists; pass --replace to restore over it (a copy of it is "
                "kept beside it first)"
            )
        earlier = backup_beside(target, "before-restore")
        restore_sqlite(backup, target)
    else:
        copy_sqlite(backup, target)
    open_database(str(target)).dispose()  # upgrades an older backup (after its own backup)
    return Restore(target, revision, earlier)
