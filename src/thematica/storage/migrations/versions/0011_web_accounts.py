"""web accounts: accounts, per-study memberships and the sign-in audit trail (team mode)

Revision ID: 0011_web_accounts
Revises: 0010_assist_embeddings
Create Date: 2026-12-04 16:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_web_accounts"
# Chained after the other 0007 already on main, so this branch has one head; re-chained at merge.
down_revision = "0010_assist_embeddings"
branch_labels = None
depends_on = None

_SEQUENCE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # New tables only: existing studies have no accounts (single-user serving needs none).
    op.create_table(
        "accounts",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_accounts")),
    )
    op.create_table(
        "memberships",
        sa.Column("account", sa.String(length=200), nullable=False),
        sa.Column("study_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.CheckConstraint(
            "role IN ('owner', 'coder', 'viewer')", name=op.f("ck_memberships_role")
        ),
        sa.ForeignKeyConstraint(
            ["account"],
            ["accounts.name"],
            name=op.f("fk_memberships_account_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["study_id"],
            ["studies.id"],
            name=op.f("fk_memberships_study_id_studies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account", "study_id", name=op.f("pk_memberships")),
    )
    op.create_table(
        "sign_ins",
        sa.Column("sequence", _SEQUENCE, autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("account", sa.String(length=200), nullable=False),
        sa.Column("client", sa.String(length=100), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("sequence", name=op.f("pk_sign_ins")),
    )


def downgrade() -> None:
    op.drop_table("sign_ins")
    op.drop_table("memberships")
    op.drop_table("accounts")
