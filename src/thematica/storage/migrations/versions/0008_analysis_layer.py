"""coders have a kind (person, consensus layer, user imported from another tool); a round knows
its consensus layer; resolutions keep the passage and valence decided; documents an interview date

Revision ID: 0008_analysis_layer
Revises: 0007_refi_identities
Create Date: 2026-12-04 15:45:00

Existing rows are classified on the way up: the coder a round's consensus layer was written
under (named ``Consensus (<round>)`` by earlier versions, in the round's study) becomes that
round's ``consensus`` coder; a coder whose every coding came from another tool becomes
``imported``; everyone else is a ``person``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_analysis_layer"
down_revision = "0007_refi_identities"
branch_labels = None
depends_on = None

_coders = sa.table(
    "coders",
    sa.column("id", sa.Uuid()),
    sa.column("study_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("kind", sa.String()),
)
_rounds = sa.table(
    "rounds",
    sa.column("id", sa.Uuid()),
    sa.column("study_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("consensus_coder_id", sa.Uuid()),
)
_codings = sa.table("codings", sa.column("coder_id", sa.Uuid()), sa.column("origin", sa.String()))


#: (table, column definition with its constraints, as SQL both backends read).
_COLUMNS = (
    (
        "coders",
        "kind VARCHAR(12) DEFAULT 'person' NOT NULL "
        "CONSTRAINT ck_coders_kind CHECK (kind IN ('person', 'consensus', 'imported'))",
    ),
    (
        "rounds",
        "consensus_coder_id {uuid} CONSTRAINT fk_rounds_consensus_coder_id_coders "
        "REFERENCES coders (id)",
    ),
    ("documents", "interview_date DATE"),
    (
        "resolutions",
        "passage_start INTEGER CONSTRAINT ck_resolutions_passage_start "
        "CHECK (passage_start IS NULL OR passage_start >= 0)",
    ),
    ("resolutions", "passage_end INTEGER"),
    (
        "resolutions",
        "valence VARCHAR(12) CONSTRAINT ck_resolutions_valence "
        "CHECK (valence IS NULL OR valence IN ('barrier', 'facilitator', 'mixed'))",
    ),
)


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch copy: on SQLite (foreign keys on) copying a table that
    # other tables reference would drop it, and with it, by cascade, their rows.
    connection = op.get_bind()
    uuid = "CHAR(32)" if connection.dialect.name == "sqlite" else "UUID"
    for table, column in _COLUMNS:
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column.format(uuid=uuid)}")
    _classify(connection)


def _classify(connection: sa.Connection) -> None:
    """Give the coders already in the database their kind, and each round its consensus coder."""
    for round_id, study_id, name in connection.execute(
        sa.select(_rounds.c.id, _rounds.c.study_id, _rounds.c.name)
    ).all():
        coder_id = connection.scalar(
            sa.select(_coders.c.id).where(
                _coders.c.study_id == study_id, _coders.c.name == f"Consensus ({name})"
            )
        )
        if coder_id is None:
            continue
        connection.execute(
            sa.update(_coders).where(_coders.c.id == coder_id).values(kind="consensus")
        )
        connection.execute(
            sa.update(_rounds).where(_rounds.c.id == round_id).values(consensus_coder_id=coder_id)
        )
    imported_only = (
        sa.select(_codings.c.coder_id)
        .group_by(_codings.c.coder_id)
        .having(
            sa.func.sum(sa.case((_codings.c.origin == "imported", 0), else_=1)) == 0,
        )
    )
    connection.execute(
        sa.update(_coders)
        .where(_coders.c.kind == "person", _coders.c.id.in_(imported_only))
        .values(kind="imported")
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Dropping these columns means copying tables other tables reference (see upgrade).
        raise RuntimeError("restore the backup taken before the upgrade to 0007 instead")
    for table, column in reversed(_COLUMNS):
        op.drop_column(table, column.split()[0])
