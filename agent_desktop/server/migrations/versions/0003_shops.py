"""Shops: orders from several sources, order actions, integration tokens, customer links, the
webhook inbox (issue 18).

Revision ID: 0003
Revises: f770ee3be637 (claims on Messenger sends)
Create Date: 2026-12-07

Orders keep several shipments (the old `shipment` becomes the first of `shipments`), refunds,
returns, discounts and their source; existing orders and the customers who have orders are the
demo shop's (`source_kind` "demo", `external_id` = their id). `orders.number` is no longer unique:
two shops may both have an order #1001. Customers get search keys (name without accents, phone
digits), computed here for the existing ones.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "f770ee3be637"
branch_labels: str | None = None
depends_on: str | None = None

UTC = sa.DateTime()  # naive UTC (models.UTCDateTime)


def _name_key(text: str | None) -> str:
    """As shop.search.name_key at the time of this revision (frozen here on purpose)."""
    plain = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def _digits(phone: str | None) -> str:
    return "".join(ch for ch in phone or "" if ch.isdigit())


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _drop_unique_number() -> None:
    """The baseline's unnamed UNIQUE(number) on orders: named by PostgreSQL, not by SQLite."""
    bind = op.get_bind()
    for constraint in sa.inspect(bind).get_unique_constraints("orders"):
        name = constraint.get("name")
        if constraint["column_names"] == ["number"] and name:
            op.drop_constraint(str(name), "orders", type_="unique")
            return
    convention = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
    with op.batch_alter_table("orders", naming_convention=convention) as batch_op:
        batch_op.drop_constraint("uq_orders_number", type_="unique")


def upgrade() -> None:
    op.create_table(
        "integrations",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("token_hint", sa.String(20), nullable=False),
        sa.Column("created_by", sa.String(40), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("revoked_at", UTC, nullable=True),
        sa.Column("last_used_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "webhook_inbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("delivery_id", sa.String(200), nullable=False),
        sa.Column("topic", sa.String(100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("received_at", UTC, nullable=False),
        sa.Column("processed_at", UTC, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("source", "delivery_id", name="uq_webhook_inbox_delivery"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_webhook_inbox_pending", "webhook_inbox", ["processed_at", "seq"])
    op.create_table(
        "customer_links",
        sa.Column("thread_id", sa.String(40), nullable=False),
        sa.Column("customer_id", sa.String(40), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("previous_customer_id", sa.String(40), nullable=True),
        sa.Column("decided_by", sa.String(40), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("decided_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
        sa.ForeignKeyConstraint(["thread_id"], ["threads.id"]),
        sa.PrimaryKeyConstraint("thread_id", "customer_id"),
    )
    op.create_table(
        "order_actions",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("client_id", sa.String(100), nullable=False),
        sa.Column("order_id", sa.String(40), nullable=False),
        sa.Column("thread_id", sa.String(40), nullable=True),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("external_id", sa.String(200), nullable=True),
        sa.Column("agent_id", sa.String(40), nullable=True),
        sa.Column("agent_name", sa.String(200), nullable=False),
        sa.Column("decided_by", sa.String(40), nullable=True),
        sa.Column("decided_by_name", sa.String(200), nullable=False),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("client_id"),
    )
    op.create_index("ix_order_actions_order_id", "order_actions", ["order_id"])
    op.create_index("ix_order_actions_status", "order_actions", ["status"])

    with op.batch_alter_table("customers") as batch_op:
        batch_op.add_column(sa.Column("source_kind", sa.String(20), nullable=True))
        batch_op.add_column(sa.Column("external_id", sa.String(200), nullable=True))
        batch_op.add_column(sa.Column("source_updated_at", UTC, nullable=True))
        batch_op.add_column(
            sa.Column("source_data", sa.JSON(), nullable=False, server_default="{}")
        )
        batch_op.add_column(
            sa.Column("search_name", sa.String(200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("phone_digits", sa.String(50), nullable=False, server_default="")
        )
        batch_op.create_index("ix_customers_email", ["email"])
        batch_op.create_index("ix_customers_search_name", ["search_name"])
        batch_op.create_index("uq_customers_source", ["source_kind", "external_id"], unique=True)

    _drop_unique_number()
    with op.batch_alter_table("orders") as batch_op:
        batch_op.add_column(sa.Column("shipments", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("discount", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("discounts", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("refunds", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("returns", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("cancelled_at", UTC, nullable=True))
        batch_op.add_column(
            sa.Column("source_kind", sa.String(20), nullable=False, server_default="demo")
        )
        batch_op.add_column(sa.Column("external_id", sa.String(200), nullable=True))
        batch_op.add_column(sa.Column("source_updated_at", UTC, nullable=True))
        batch_op.add_column(
            sa.Column("source_data", sa.JSON(), nullable=False, server_default="{}")
        )
        batch_op.create_index("ix_orders_number", ["number"])
        batch_op.create_index("uq_orders_source", ["source_kind", "external_id"], unique=True)

    with op.batch_alter_table("team_settings") as batch_op:
        batch_op.add_column(
            sa.Column("refund_limits", sa.JSON(), nullable=False, server_default="{}")
        )
    with op.batch_alter_table("threads") as batch_op:
        batch_op.add_column(sa.Column("customer_suggestion", sa.JSON(), nullable=True))

    # The existing orders and customers: the demo shop's.
    bind = op.get_bind()
    orders = sa.table(
        "orders",
        sa.column("id", sa.String),
        sa.column("shipment", sa.JSON),
        sa.column("shipments", sa.JSON),
        sa.column("external_id", sa.String),
        sa.column("updated_at", UTC),
        sa.column("source_updated_at", UTC),
    )
    for order_id, shipment in bind.execute(sa.select(orders.c.id, orders.c.shipment)).all():
        shipment = _json(shipment)
        bind.execute(
            orders.update()
            .where(orders.c.id == order_id)
            .values(
                shipments=[shipment] if shipment else [],
                external_id=order_id,
                source_updated_at=orders.c.updated_at,
            )
        )
    customers = sa.table(
        "customers",
        sa.column("id", sa.String),
        sa.column("name", sa.String),
        sa.column("phone", sa.String),
        sa.column("search_name", sa.String),
        sa.column("phone_digits", sa.String),
        sa.column("source_kind", sa.String),
        sa.column("external_id", sa.String),
    )
    buyers = {
        row[0] for row in bind.execute(sa.text("SELECT DISTINCT customer_id FROM orders")).all()
    }
    rows = bind.execute(sa.select(customers.c.id, customers.c.name, customers.c.phone)).all()
    for customer_id, name, phone in rows:
        values: dict[str, Any] = {"search_name": _name_key(name), "phone_digits": _digits(phone)}
        if customer_id in buyers:
            values.update(source_kind="demo", external_id=customer_id)
        bind.execute(customers.update().where(customers.c.id == customer_id).values(**values))

    with op.batch_alter_table("orders") as batch_op:
        batch_op.drop_column("shipment")


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch_op:
        batch_op.add_column(sa.Column("shipment", sa.JSON(), nullable=True))
    bind = op.get_bind()
    for order_id, shipments in bind.execute(sa.text("SELECT id, shipments FROM orders")).all():
        shipments = _json(shipments) or []
        bind.execute(
            sa.text("UPDATE orders SET shipment = :s WHERE id = :i"),
            {"s": json.dumps(shipments[0]) if shipments else None, "i": order_id},
        )
    with op.batch_alter_table("threads") as batch_op:
        batch_op.drop_column("customer_suggestion")
    with op.batch_alter_table("team_settings") as batch_op:
        batch_op.drop_column("refund_limits")
    with op.batch_alter_table("orders") as batch_op:
        batch_op.drop_index("uq_orders_source")
        batch_op.drop_index("ix_orders_number")
        for name in ("source_data", "source_updated_at", "external_id", "source_kind",
                     "cancelled_at", "returns", "refunds", "discounts", "discount", "shipments"):  # fmt: skip
            batch_op.drop_column(name)
        batch_op.create_unique_constraint("uq_orders_number", ["number"])
    with op.batch_alter_table("customers") as batch_op:
        batch_op.drop_index("uq_customers_source")
        batch_op.drop_index("ix_customers_search_name")
        batch_op.drop_index("ix_customers_email")
        for name in ("phone_digits", "search_name", "source_data", "source_updated_at",
                     "external_id", "source_kind"):  # fmt: skip
            batch_op.drop_column(name)
    op.drop_index("ix_order_actions_status", "order_actions")
    op.drop_index("ix_order_actions_order_id", "order_actions")
    op.drop_table("order_actions")
    op.drop_table("customer_links")
    op.drop_index("ix_webhook_inbox_pending", "webhook_inbox")
    op.drop_table("webhook_inbox")
    op.drop_table("integrations")
