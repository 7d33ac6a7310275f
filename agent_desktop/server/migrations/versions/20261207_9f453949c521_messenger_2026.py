"""Messenger as Meta runs it in late 2026 (issue 19): the message tags Meta retired on 27 April 2026
are dropped from the team's allowed tags, threads keep the end of a longer standard window (a
Click-to-Messenger ad's), Messenger conversations keep the ad that brought them, sends say what
they are (reply, order, utility) so the policy can check them again just before they leave, and
the Page's utility templates and sending state (paused after 10/1893063) get their tables.

Revision ID: 9f453949c521
Revises: 9b73f47d8582
Create Date: 2026-12-07

Existing sends of order messages become purpose "order": queued ones are checked again before
they leave, so one queued with a retired tag is never sent with it (outside the window it is
refused with the reason; sent again, it goes as a utility message).
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "9f453949c521"
down_revision: str | None = "9b73f47d8582"
branch_labels: str | None = None
depends_on: str | None = None

UTC = sa.DateTime()  # naive UTC (models.UTCDateTime)
# Frozen here: the tags Meta retired on 27 April 2026 (core/messenger_rules.py keeps the live list).
RETIRED = ("CONFIRMED_EVENT_UPDATE", "ACCOUNT_UPDATE", "POST_PURCHASE_UPDATE")


def _tags(value: Any) -> list[Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return list(value) if isinstance(value, list) else []


def upgrade() -> None:
    op.create_table(
        "messenger_page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paused_since", UTC, nullable=True),
        sa.Column("paused_reason", sa.Text(), nullable=True),
        sa.Column("probe_at", UTC, nullable=True),
        sa.Column("probe_seconds", sa.Float(), nullable=False),
        sa.Column("resumed_at", UTC, nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "messenger_templates",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("meta_id", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=512), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("library_name", sa.String(length=512), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=40), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meta_id"),
    )
    with op.batch_alter_table("messenger_templates", schema=None) as batch_op:
        batch_op.create_index("ix_messenger_templates_name", ["name", "language"], unique=True)

    with op.batch_alter_table("messenger_outbound", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("purpose", sa.String(length=10), nullable=False, server_default="reply")
        )
    with op.batch_alter_table("messenger_threads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("referral", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("referral_at", UTC, nullable=True))
        batch_op.add_column(
            sa.Column("ad_window_pending", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("standard_window_until", UTC, nullable=True))

    bind = op.get_bind()
    # Order messages already queued or sent are "order" sends, not an agent's replies.
    bind.execute(
        sa.text(
            "UPDATE messenger_outbound SET purpose = 'order' WHERE message_id IN "
            "(SELECT id FROM messages WHERE kind = 'order_event')"
        )
    )
    # The team's allowed tags never hold a retired one again.
    settings = sa.table("team_settings", sa.column("id"), sa.column("allowed_tags", sa.JSON()))
    for row_id, allowed in bind.execute(sa.select(settings.c.id, settings.c.allowed_tags)):
        tags = _tags(allowed)
        kept = [t for t in tags if str(t).strip().upper() not in RETIRED]
        if kept != tags:
            bind.execute(settings.update().where(settings.c.id == row_id).values(allowed_tags=kept))


def downgrade() -> None:
    # The columns upgrade() added, dropped in the reverse order.
    for table, columns in (
        ("threads", ("standard_window_until",)),
        ("messenger_threads", ("ad_window_pending", "referral_at", "referral")),
        ("messenger_outbound", ("purpose",)),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_column(column)
    with op.batch_alter_table("messenger_templates", schema=None) as batch_op:
        batch_op.drop_index("ix_messenger_templates_name")
    op.drop_table("messenger_templates")
    op.drop_table("messenger_page")
