"""`login_throttle`: sign-in attempts per account and window, counted in the database so every
instance sharing it sees the same count (issue 15; `auth.reserve_attempt`).

Revision ID: 5b1e0c7d2a94
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "5b1e0c7d2a94"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("email"),
    )
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_login_throttle_window_start"), ["window_start"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_throttle_window_start"))
    op.drop_table("login_throttle")
