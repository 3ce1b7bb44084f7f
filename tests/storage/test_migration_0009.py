"""Migration 0009 on a database that already holds data: duplicate sibling codes (left by the
race this issue closes) are renamed, not lost, and existing events are chained."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command

from tests.conftest import both_backends
from thematica.services.audit import verify_audit
from thematica.services.schema import upgrade_database
from thematica.storage import migrate
from thematica.storage.engine import Database, make_engine, resolve_url

_studies = sa.table(
    "studies",
    sa.column("id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("description", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
_codes = sa.table(
    "codes",
    sa.column("id", sa.Uuid()),
    sa.column("study_id", sa.Uuid()),
    sa.column("parent_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("definition", sa.String()),
    sa.column("inclusion", sa.String()),
    sa.column("exclusion", sa.String()),
    sa.column("example", sa.String()),
    sa.column("colour", sa.String()),
    sa.column("position", sa.Integer()),
)
_events = sa.table(
    "events",
    sa.column("id", sa.Uuid()),
    sa.column("study_id", sa.Uuid()),
    sa.column("actor", sa.String()),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("kind", sa.String()),
    sa.column("entity_id", sa.Uuid()),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
)


def _code(
    study: uuid.UUID, name: str, parent: uuid.UUID | None, position: int
) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "study_id": study,
        "parent_id": parent,
        "name": name,
        "definition": "",
        "inclusion": "",
        "exclusion": "",
        "example": "",
        "colour": "",
        "position": position,
    }


@both_backends
def test_upgrade_renames_duplicate_siblings_and_chains_old_events(database_url: str) -> None:
    url = resolve_url(database_url)
    db = Database(make_engine(url), url)
    study = uuid.uuid4()
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    with db.engine.begin() as connection:
        command.upgrade(migrate._config(connection), "0006")
        connection.execute(
            sa.insert(_studies),
            [{"id": study, "name": "Old", "description": "", "created_at": now}],
        )
        support = _code(study, "Support", None, 0)
        rows = [
            support,
            _code(study, "Support", None, 1),  # a duplicate at the top level (parent NULL)
            _code(study, "Peer", support["id"], 0),  # type: ignore[arg-type]
            _code(study, "Peer", support["id"], 1),  # type: ignore[arg-type]
            _code(study, "Peer", support["id"], 2),  # type: ignore[arg-type]
        ]
        connection.execute(sa.insert(_codes), rows)
        connection.execute(
            sa.insert(_events),
            [
                {
                    "id": uuid.uuid4(),
                    "study_id": study,
                    "actor": "ann",
                    "at": now,
                    "kind": "code.added",
                    "entity_id": row["id"],
                    "before": None,
                    "after": {"name": row["name"]},
                }
                for row in rows
            ],
        )
    db.dispose()
    assert upgrade_database(database_url)[1] == migrate.head_revision()
    db = Database(make_engine(url), url)
    with db.engine.connect() as connection:
        names = sorted(connection.execute(sa.select(_codes.c.name)).scalars())
    assert names == ["Peer", "Peer (2)", "Peer (3)", "Support", "Support (2)"]
    _name, report = verify_audit(db, "Old")
    assert report.verified and report.events == 5
    db.dispose()
