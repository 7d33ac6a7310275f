"""Claims on Messenger sends: the instance sending one holds it until `claim_until`
(server/claims.py); `not_before` delays a send, `attempts` counts its claims.

Revision ID: f770ee3be637
Revises: 0002
Create Date: 2026-12-07 00:50:31.888358
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "f770ee3be637"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("messenger_outbound", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("claim_until", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("not_before", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("messenger_outbound", schema=None) as batch_op:
        batch_op.drop_column("attempts")
        batch_op.drop_column("not_before")
        batch_op.drop_column("claim_until")
        batch_op.drop_column("claimed_by")
