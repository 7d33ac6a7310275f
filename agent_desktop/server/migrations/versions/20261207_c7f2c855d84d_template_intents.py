"""Suggested replies (issue 21): a team template's intent (the customer question it answers) and
the team's return instructions per language (the {{return.instructions}} variable).

Revision ID: c7f2c855d84d
Revises: 5b1e0c7d2a94
Create Date: 2026-12-07 03:07:29.365301
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "c7f2c855d84d"
down_revision: str | None = "5b1e0c7d2a94"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("team_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("return_instructions", sa.JSON(), nullable=False, server_default="{}")
        )
    with op.batch_alter_table("templates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("intent", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("templates", schema=None) as batch_op:
        batch_op.drop_column("intent")
    with op.batch_alter_table("team_settings", schema=None) as batch_op:
        batch_op.drop_column("return_instructions")
