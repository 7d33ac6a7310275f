"""Team accounts: one-time invitation codes, members a lead can deactivate (`active`), when they
were last seen, and session tokens that end (last use, and why they were revoked).

Revision ID: 9b73f47d8582
Revises: c7f2c855d84d
Create Date: 2026-12-07 01:40:01.701269
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "9b73f47d8582"
down_revision: str | None = "c7f2c855d84d"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "invitations",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("agent_id", sa.String(length=40), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
    )
    op.create_index(op.f("ix_invitations_agent_id"), "invitations", ["agent_id"], unique=False)
    # Plain ADD COLUMN on both databases: a SQLite batch would copy `agents`, which the tokens,
    # threads and templates point at, and fail their foreign keys. Every existing member is active.
    op.add_column(
        "agents", sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False)
    )
    op.add_column("agents", sa.Column("last_seen_at", sa.DateTime(), nullable=True))
    op.add_column("agents", sa.Column("deactivated_at", sa.DateTime(), nullable=True))
    op.add_column("agents", sa.Column("invitation_expires_at", sa.DateTime(), nullable=True))
    op.add_column("tokens", sa.Column("last_used_at", sa.DateTime(), nullable=True))
    op.add_column("tokens", sa.Column("revoked_reason", sa.String(length=20), nullable=True))


def downgrade() -> None:
    for column in ("revoked_reason", "last_used_at"):
        op.drop_column("tokens", column)
    for column in ("invitation_expires_at", "deactivated_at", "last_seen_at", "active"):
        op.drop_column("agents", column)
    op.drop_index(op.f("ix_invitations_agent_id"), table_name="invitations")
    op.drop_table("invitations")
