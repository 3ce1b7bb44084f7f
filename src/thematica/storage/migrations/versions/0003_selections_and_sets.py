"""REFI-QDA selections and sets

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 06:05:14.347833
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "sets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("study_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["study_id"], ["studies.id"], name=op.f("fk_sets_study_id_studies"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sets")),
        sa.UniqueConstraint("study_id", "name", name=op.f("uq_sets_study_id")),
    )
    op.create_table(
        "set_members",
        sa.Column("set_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.CheckConstraint("kind IN ('document', 'code')", name=op.f("ck_set_members_kind")),
        sa.ForeignKeyConstraint(
            ["set_id"], ["sets.id"], name=op.f("fk_set_members_set_id_sets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("set_id", "member_id", name=op.f("pk_set_members")),
    )
    with op.batch_alter_table("codings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("selection_guid", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column("selection_creator", sa.String(length=200), nullable=False, server_default="")
        )


def downgrade() -> None:

    with op.batch_alter_table("codings", schema=None) as batch_op:
        batch_op.drop_column("selection_creator")
        batch_op.drop_column("selection_guid")

    op.drop_table("set_members")
    op.drop_table("sets")
