"""The schema revisions this Thematica ships, and the one a database holds, without Alembic.

Every command checks that the database is at the current revision before it starts. Importing
Alembic for that check cost more than the rest of a simple command together (see
bench/RESULTS.md, "Start-up of a simple command"), so the check reads the revision files' two
assignments as text and the ``alembic_version`` table with one query. Alembic is imported only
to upgrade. A file this reader cannot follow (a computed revision) makes it defer to Alembic, and
``tests/storage/test_migrate.py`` holds the two answers equal.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from thematica.errors import StorageError

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory

__all__ = ["VERSIONS", "head_revision", "known_revisions", "stored_revision"]

VERSIONS = Path(__file__).parent / "migrations" / "versions"
_REVISION = re.compile(r"^revision(?:\s*:[^=]+)?\s*=\s*(['\"])(?P<id>[^'\"]+)\1\s*$", re.M)
_DOWN = re.compile(r"^down_revision(?:\s*:[^=]+)?\s*=\s*(?P<value>.+?)\s*$", re.M)
_QUOTED = re.compile(r"(['\"])([^'\"]+)\1")


@cache
def _graph() -> dict[str, tuple[str, ...]] | None:
    """revision -> the revisions it follows, or None when a file cannot be read as plain text."""
    graph: dict[str, tuple[str, ...]] = {}
    for path in sorted(VERSIONS.glob("*.py")):
        if path.name == "__init__.py":
            continue
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is None or down is None:
            return None
        value = down.group("value")
        parents = tuple(m.group(2) for m in _QUOTED.finditer(value))
        if not parents and value != "None":
            return None
        graph[revision.group("id")] = parents
    return graph


def _alembic_script() -> ScriptDirectory:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", "thematica.storage:migrations")
    return ScriptDirectory.from_config(config)


@cache
def head_revision() -> str:
    """The newest revision: the one no other revision follows."""
    graph = _graph()
    if graph is not None:
        followed = {parent for parents in graph.values() for parent in parents}
        heads = [revision for revision in graph if revision not in followed]
        if len(heads) == 1:
            return heads[0]
    head = _alembic_script().get_current_head()  # several heads: Alembic says which is wrong
    assert head is not None
    return str(head)


@cache
def known_revisions() -> frozenset[str]:
    graph = _graph()
    if graph is not None:
        return frozenset(graph)
    return frozenset(rev.revision for rev in _alembic_script().walk_revisions())


def stored_revision(connection: Connection) -> tuple[str | None, bool]:
    """The revision recorded in the database (None if none), and whether it holds any tables."""
    tables = inspect(connection).get_table_names()
    if "alembic_version" not in tables:
        return None, bool(tables)
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) > 1:
        raise StorageError(f"several schema revisions recorded: {', '.join(sorted(rows))}")
    return (str(rows[0]) if rows else None), True
