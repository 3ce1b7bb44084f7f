"""Schema upgrades and status, for ``thematica db``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from thematica.storage.engine import Database, make_engine, resolve_url
from thematica.storage.migrate import current_revision, head_revision, upgrade_with_backup

__all__ = ["schema_status", "upgrade_database"]


@contextmanager
def _db(url_or_path: str | None) -> Iterator[Database]:
    url = resolve_url(url_or_path)
    db = Database(make_engine(url), url)
    try:
        yield db
    finally:
        db.dispose()


def upgrade_database(url_or_path: str | None) -> tuple[str | None, str]:
    """Upgrade a database (team or single-user) to this version's schema."""
    with _db(url_or_path) as db:
        return upgrade_with_backup(db)


def schema_status(url_or_path: str | None) -> dict[str, str | None]:
    with _db(url_or_path) as db:
        return {
            "database": db.describe(),
            "revision": current_revision(db),
            "head": head_revision(),
        }
