"""Integrity: unique sibling code names, and a hash chain over the event log.

Revision ID: 0009_integrity
Revises: 0008_analysis_layer

Codes: a database may already hold duplicate siblings (people adding the same code at once, before
this rule); the later ones are renamed ``Name (2)``, ``Name (3)`` ... so nothing is lost, then the
unique indexes are created. Events: the two hash columns are added and every study's existing
events are chained in sequence order, so the trail is verifiable from its first event.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from thematica.domain.audit import chain_hash, payload_digest

revision = "0009_integrity"
down_revision = "0008_analysis_layer"
branch_labels = None
depends_on = None

_codes = sa.table(
    "codes",
    sa.column("id", sa.Uuid()),
    sa.column("study_id", sa.Uuid()),
    sa.column("parent_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("position", sa.Integer()),
)
_events = sa.table(
    "events",
    sa.column("sequence", sa.BigInteger()),
    sa.column("id", sa.Uuid()),
    sa.column("study_id", sa.Uuid()),
    sa.column("actor", sa.String()),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("kind", sa.String()),
    sa.column("entity_id", sa.Uuid()),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
    sa.column("digest", sa.String()),
    sa.column("hash", sa.String()),
)


def _rename_duplicate_siblings(bind: sa.Connection) -> None:
    rows = bind.execute(
        sa.select(_codes.c.id, _codes.c.study_id, _codes.c.parent_id, _codes.c.name).order_by(
            _codes.c.position, _codes.c.id
        )
    ).all()
    taken: dict[tuple[object, object], set[str]] = defaultdict(set)
    for row in rows:
        taken[(row.study_id, row.parent_id)].add(row.name)
    seen: dict[tuple[object, object, str], int] = defaultdict(int)
    for row in rows:
        key = (row.study_id, row.parent_id, row.name)
        seen[key] += 1
        if seen[key] == 1:
            continue
        number = seen[key]
        names = taken[(row.study_id, row.parent_id)]
        while f"{row.name} ({number})" in names:
            number += 1
        new_name = f"{row.name} ({number})"
        names.add(new_name)
        bind.execute(sa.update(_codes).where(_codes.c.id == row.id).values(name=new_name))


def _chain_existing_events(bind: sa.Connection) -> None:
    heads: dict[object, str] = {}
    rows = bind.execute(sa.select(_events).order_by(_events.c.sequence)).all()
    for row in rows:
        digest = payload_digest(row.before, row.after)
        head = chain_hash(
            heads.get(row.study_id, ""),
            event_id=row.id,
            study_id=row.study_id,
            actor=row.actor,
            at=row.at,
            kind=row.kind,
            entity_id=row.entity_id,
            digest=digest,
        )
        heads[row.study_id] = head
        bind.execute(
            sa.update(_events)
            .where(_events.c.sequence == row.sequence)
            .values(digest=digest, hash=head)
        )


def upgrade() -> None:
    bind = op.get_bind()
    _rename_duplicate_siblings(bind)
    op.create_index(
        "uq_codes_sibling_name",
        "codes",
        ["study_id", "parent_id", "name"],
        unique=True,
        sqlite_where=sa.text("parent_id IS NOT NULL"),
        postgresql_where=sa.text("parent_id IS NOT NULL"),
    )
    op.create_index(
        "uq_codes_top_level_name",
        "codes",
        ["study_id", "name"],
        unique=True,
        sqlite_where=sa.text("parent_id IS NULL"),
        postgresql_where=sa.text("parent_id IS NULL"),
    )
    op.add_column("events", sa.Column("digest", sa.String(length=64), nullable=True))
    op.add_column("events", sa.Column("hash", sa.String(length=64), nullable=True))
    _chain_existing_events(bind)


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("hash")
        batch.drop_column("digest")
    op.drop_index("uq_codes_top_level_name", table_name="codes")
    op.drop_index("uq_codes_sibling_name", table_name="codes")
