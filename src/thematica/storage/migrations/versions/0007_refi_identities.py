"""imported identities: original GUIDs of imported entities whose ids had to change, and the
REFI-QDA attributes kept for export

Revision ID: 0007_refi_identities
Revises: 0006
Create Date: 2026-12-04 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_refi_identities"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table only: existing studies have no imported identities, so nothing is moved.
    op.create_table(
        "imported_identities",
        sa.Column("study_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("guid", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("user_id", sa.String(length=200), nullable=False),
        sa.Column("codable", sa.Boolean(), nullable=True),
        sa.Column("creating_user", sa.String(length=200), nullable=False),
        sa.Column("modifying_user", sa.String(length=200), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["study_id"],
            ["studies.id"],
            name=op.f("fk_imported_identities_study_id_studies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "study_id", "kind", "entity_id", name=op.f("pk_imported_identities")
        ),
    )


def downgrade() -> None:
    op.drop_table("imported_identities")
