"""Baseline: the schema of the last release before Alembic (`schema_version` 1).

Revision ID: 0001
Revises:
Create Date: 2026-12-07

A fresh database gets every table here. A database made by that release (its tables, a
`schema_version` row at 1, the Messenger tables only if the bridge was ever on) is adopted: only the
missing tables are created, so it ends exactly like a fresh one. The DDL is frozen here on purpose:
never import the models in a revision, they describe the newest schema, not this one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC as _UTC
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

UTC = sa.DateTime()  # naive UTC (models.UTCDateTime)


def _id(name: str = "id") -> sa.Column[str]:
    return sa.Column(name, sa.String(40), nullable=False)


def _table(
    name: str,
    *items: Any,
    indexes: Sequence[tuple[str, list[str]]] = (),
    **kw: Any,
) -> None:
    """Create `name` with its indexes, unless it exists (a database of the previous release)."""
    if sa.inspect(op.get_bind()).has_table(name):
        return
    op.create_table(name, *items, **kw)
    for index_name, index_columns in indexes:
        op.create_index(index_name, name, index_columns)


def upgrade() -> None:
    _table(
        "agents",
        _id(),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("presence", sa.String(10), nullable=False),
        sa.Column("presence_since", UTC, nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    _table(
        "customers",
        _id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("phone", sa.String(50), nullable=True),
        sa.Column("locale", sa.String(20), nullable=False),
        sa.Column("avatar_url", sa.Text(), nullable=True),
        sa.Column("customer_since", UTC, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("consent_order_updates", sa.Boolean(), nullable=False),
        sa.Column("messenger_psid", sa.String(100), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("messenger_psid"),
        indexes=[("ix_customers_name", ["name"])],
    )
    _table(
        "events",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sqlite_autoincrement=True,
    )
    _table(
        "meta",
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    _table(
        "schema_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    if not sa.inspect(op.get_bind()).has_table("team_settings"):
        settings = op.create_table(
            "team_settings",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("target_seconds", sa.Integer(), nullable=False),
            sa.Column("window_days", sa.Integer(), nullable=False),
            sa.Column("away", sa.JSON(), nullable=False),
            sa.Column("allowed_tags", sa.JSON(), nullable=False),
            sa.Column("updated_at", UTC, nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.bulk_insert(
            settings,
            [
                {
                    "id": 1,
                    "target_seconds": 300,
                    "window_days": 7,
                    "away": [],
                    "allowed_tags": ["HUMAN_AGENT"],
                    "updated_at": datetime.now(_UTC).replace(tzinfo=None),
                }
            ],
        )
    _table(
        "orders",
        _id(),
        sa.Column("number", sa.String(50), nullable=False),
        _id("customer_id"),
        sa.Column("placed_at", UTC, nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("subtotal", sa.Integer(), nullable=False),
        sa.Column("shipping", sa.Integer(), nullable=False),
        sa.Column("tax", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("payment", sa.JSON(), nullable=False),
        sa.Column("shipping_address", sa.JSON(), nullable=False),
        sa.Column("shipment", sa.JSON(), nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
        indexes=[("ix_orders_customer_id", ["customer_id"])],
    )
    _table(
        "templates",
        _id(),
        sa.Column("shortcut", sa.String(50), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(20), nullable=False),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("owner_id", sa.String(40), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["agents.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _table(
        "threads",
        _id(),
        _id("customer_id"),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("assignee_id", sa.String(40), nullable=True),
        sa.Column("waiting_since", UTC, nullable=True),
        sa.Column("queue_since", UTC, nullable=True),
        sa.Column("unread", sa.Integer(), nullable=False),
        sa.Column("last_message_id", sa.String(40), nullable=True),
        sa.Column("last_customer_message_at", UTC, nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["assignee_id"], ["agents.id"]),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
        sa.PrimaryKeyConstraint("id"),
        indexes=[
            ("ix_threads_customer_id", ["customer_id"]),
            ("ix_threads_queue", ["queue_since", "id"]),
            ("ix_threads_updated", ["updated_at", "id"]),
        ],
    )
    _table(
        "tokens",
        sa.Column("token_hash", sa.String(64), nullable=False),
        _id("agent_id"),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("revoked_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"]),
        sa.PrimaryKeyConstraint("token_hash"),
        indexes=[("ix_tokens_agent_id", ["agent_id"])],
    )
    _table(
        "messages",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        _id(),
        _id("thread_id"),
        sa.Column("client_id", sa.String(100), nullable=True),
        sa.Column("author_kind", sa.String(12), nullable=False),
        sa.Column("author_id", sa.String(40), nullable=True),
        sa.Column("author_name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("order_id", sa.String(40), nullable=True),
        sa.Column("order_event", sa.String(30), nullable=True),
        sa.Column("tag", sa.String(50), nullable=True),
        sa.Column("delivery", sa.String(10), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("external_id", sa.String(200), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["thread_id"], ["threads.id"]),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("external_id"),
        sa.UniqueConstraint("id"),
        sa.UniqueConstraint("thread_id", "client_id", name="uq_messages_thread_client"),
        indexes=[("ix_messages_thread_created", ["thread_id", "created_at", "pk"])],
    )
    # The Messenger bridge's tables (it created them itself on its first start before Alembic).
    _table(
        "messenger_inbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("received_at", UTC, nullable=False),
        sa.Column("processed_at", UTC, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sqlite_autoincrement=True,
        indexes=[("ix_messenger_inbox_pending", ["processed_at", "seq"])],
    )
    _table(
        "messenger_outbound",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(40), nullable=False),
        sa.Column("thread_id", sa.String(40), nullable=False),
        sa.Column("psid", sa.String(100), nullable=False),
        sa.Column("messaging_type", sa.String(20), nullable=False),
        sa.Column("tag", sa.String(50), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("mid", sa.String(200), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("message_id"),
        sa.UniqueConstraint("mid"),
        sqlite_autoincrement=True,
        indexes=[("ix_messenger_outbound_status", ["status", "seq"])],
    )
    _table(
        "messenger_threads",
        sa.Column("thread_id", sa.String(40), nullable=False),
        sa.Column("psid", sa.String(100), nullable=False),
        sa.Column("page_id", sa.String(100), nullable=False),
        sa.Column("handover", sa.String(20), nullable=True),
        sa.Column("handover_app_id", sa.String(100), nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("thread_id"),
        sa.UniqueConstraint("psid"),
    )


def downgrade() -> None:
    for name in (
        "messenger_threads",
        "messenger_outbound",
        "messenger_inbox",
        "messages",
        "tokens",
        "threads",
        "templates",
        "orders",
        "team_settings",
        "schema_version",
        "meta",
        "events",
        "customers",
        "agents",
    ):
        op.drop_table(name)
