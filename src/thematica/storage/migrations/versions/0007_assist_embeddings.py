"""assisted coding: the embedding cache, by (model id, text hash)

Revision ID: 0007_assist_embeddings
Revises: 0007_refi_identities (the lead re-chains the 0007 revisions at merge)
Create Date: 2026-12-04 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_assist_embeddings"
# Chained after the 0007 already on main so this branch has one head; re-chained at merge.
down_revision = "0007_refi_identities"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assist_embeddings",
        sa.Column("model_id", sa.String(length=200), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("dimensions", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("model_id", "text_hash", name=op.f("pk_assist_embeddings")),
    )


def downgrade() -> None:
    op.drop_table("assist_embeddings")
