"""Database refusals turned into one line a researcher can act on.

A unique rule in the schema (``schema.py``) is the last line of defence when two people do the
same thing at once: the services check first, and the database settles the race. Its raw message
(``UNIQUE constraint failed: codes.study_id, codes.name``, or PostgreSQL's ``duplicate key value
violates unique constraint ...``) is mapped here to what clashed, naming the thing when the row's
values are at hand. Lock and serialisation failures become a message that says to try again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.exc import DBAPIError, IntegrityError

from thematica.storage.schema import Base

__all__ = ["busy_message", "conflict_message", "is_busy"]

#: What each unique rule protects; ``{name}``-style fields are filled from the clashing row.
_RULES: dict[str, str] = {
    "studies": "a study named {name!r} already exists in this database",
    "coders": "a coder named {name!r} already exists in this study",
    "participants": "a participant {label!r} already exists in this study",
    "documents": "a document named {name!r} already exists in this study",
    "uq_codes_sibling_name": "a code named {name!r} already exists under the same parent code",
    "uq_codes_top_level_name": "a top-level code named {name!r} already exists",
    "rounds": "a round named {name!r} already exists in this study",
    "sets": "a set named {name!r} already exists in this study",
    "framework_summaries": "that framework cell already has a summary",
    "resolutions": "that disagreement is already resolved in this round",
}

_BUSY = (
    "database is locked",
    "database is busy",
    "deadlock detected",
    "could not serialize access",
    "lock timeout",
    "canceling statement due to lock timeout",
)


def _unique_rules() -> dict[tuple[str, tuple[str, ...]], str]:
    """``(table, columns) -> rule key`` for every unique constraint and index in the schema."""
    rules: dict[tuple[str, tuple[str, ...]], str] = {}
    for table in Base.metadata.tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint):
                rules[(table.name, tuple(c.name for c in constraint.columns))] = table.name
        for index in table.indexes:
            if isinstance(index, Index) and index.unique:
                columns = tuple(c.name for c in index.columns)
                rules[(table.name, columns)] = str(index.name)
        for column in table.columns:
            if column.unique:
                rules[(table.name, (column.name,))] = table.name
    return rules


def _rule(exc: IntegrityError) -> str | None:
    diag = getattr(exc.orig, "diag", None)
    constraint = getattr(diag, "constraint_name", None)
    table = getattr(diag, "table_name", None)
    if constraint:
        return constraint if constraint in _RULES else table
    found = re.search(r"UNIQUE constraint failed: (.+)$", str(exc.orig or ""))
    if not found:
        return None
    pairs = [part.strip().split(".", 1) for part in found.group(1).split(",")]
    key = (pairs[0][0], tuple(column for _table, column in pairs))
    return _unique_rules().get(key)


def conflict_message(exc: IntegrityError) -> str:
    """One line naming what clashed (or the database's own first line when not a known rule)."""
    rule = _rule(exc)
    template = _RULES.get(rule or "")
    if template is None:
        return f"the change clashes with what is stored: {first_line(exc)}"
    try:
        return template.format_map(_row(exc))
    except (KeyError, IndexError, ValueError):
        return re.sub(r" (named )?\{\w+!r\}", "", template)


def _row(exc: IntegrityError) -> dict[str, Any]:
    """The clashing row's values by column, for a single-row INSERT or UPDATE."""
    params = exc.params
    if isinstance(params, Mapping):
        return dict(params)
    found = re.match(r"\s*INSERT INTO \S+ \(([^)]*)\) VALUES", exc.statement or "")
    if not found or not isinstance(params, tuple):
        return {}
    columns = [c.strip().strip('"') for c in found.group(1).split(",")]
    return dict(zip(columns, params, strict=False)) if len(columns) == len(params) else {}


def is_busy(exc: DBAPIError) -> bool:
    text = first_line(exc).lower()
    return any(marker in text for marker in _BUSY)


def busy_message(exc: DBAPIError) -> str:
    return (
        "the database is busy with another person's change and this one was not made "
        f"({first_line(exc)}); nothing was changed, try again in a moment"
    )


def first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
