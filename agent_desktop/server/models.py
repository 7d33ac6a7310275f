"""The reference server's database tables (SQLAlchemy 2 ORM), shared by the API, demo seed and bridge.

Times are stored as naive UTC and read back as aware UTC (`UTCDateTime`). Ids are opaque strings
from `new_id`. The event log (`EventRow.seq`) is the durable source of the live stream.

A change here needs its migration: `python3 run.py revision -m "what changed"` writes it into
`migrations/versions/` (docs/SERVER.md, "Schema migrations").
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The server's clock: an aware UTC datetime."""
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    """A fresh opaque id such as `t_3f9c0a1b2c3d4e5f`."""
    return f"{prefix}_{secrets.token_hex(8)}"


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC; returns aware UTC datetimes (SQLite drops tzinfo)."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012


class MetaRow(Base):
    """Small key/value facts about the database (e.g. `demo_seeded`, `test_seeded`)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class AgentRow(Base):
    """A member of the team. `password_hash` is empty until an invitation code is turned into a
    password (and again after a reset); a deactivated member (`active` false) cannot sign in."""

    __tablename__ = "agents"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10), default="agent")  # agent | lead
    password_hash: Mapped[str] = mapped_column(Text)
    presence: Mapped[str] = mapped_column(String(10), default="offline")
    presence_since: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    last_seen_at: Mapped[datetime | None] = mapped_column(default=None)
    deactivated_at: Mapped[datetime | None] = mapped_column(default=None)
    # When the member's pending invitation or reset code expires (None: no code pending).
    invitation_expires_at: Mapped[datetime | None] = mapped_column(default=None)


class TokenRow(Base):
    """A session token, stored only as its SHA-256 hex digest. `last_used_at` moves at most once a
    minute (idle lifetime); `revoked_reason` says why it stopped working (logout, expired,
    deactivated, password_reset, password_changed, restored), so the client can say it."""

    __tablename__ = "tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_reason: Mapped[str | None] = mapped_column(String(20), default=None)


class InvitationRow(Base):
    """A one-time code that lets a member set their password (`kind`: invitation for a new member,
    reset after a lead's reset). Stored as its SHA-256 digest; a newer code of the same member
    replaces the older one (`used_at` set with `replaced`)."""

    __tablename__ = "invitations"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(12), default="invitation")  # invitation | reset
    created_by: Mapped[str | None] = mapped_column(String(40), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    outcome: Mapped[str | None] = mapped_column(String(12), default=None)  # used | replaced


class LoginThrottleRow(Base):
    """Sign-in attempts per account (lower-case email) in the current window, counted in the
    database so that every server instance sharing it sees the same count (`auth.reserve_attempt`).
    """

    __tablename__ = "login_throttle"
    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class CustomerRow(Base):
    __tablename__ = "customers"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    phone: Mapped[str | None] = mapped_column(String(50), default=None)
    locale: Mapped[str] = mapped_column(String(20), default="en")
    avatar_url: Mapped[str | None] = mapped_column(Text, default=None)
    customer_since: Mapped[datetime] = mapped_column(default=utcnow)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    consent_order_updates: Mapped[bool] = mapped_column(Boolean, default=False)
    # Messenger page-scoped id (PSID) of the customer, when they wrote on Messenger.
    messenger_psid: Mapped[str | None] = mapped_column(String(100), unique=True, default=None)
    # Where the shop knows this customer from (demo | shopify | medusa | api) and its id there;
    # both NULL for a customer known only from a conversation (a Messenger user, say).
    source_kind: Mapped[str | None] = mapped_column(String(20), default=None)
    external_id: Mapped[str | None] = mapped_column(String(200), default=None)
    source_updated_at: Mapped[datetime | None] = mapped_column(default=None)
    source_data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # connector's own
    # Lower case, without accents, for search; phone_digits keeps only the phone's digits.
    search_name: Mapped[str] = mapped_column(String(200), default="", index=True)
    phone_digits: Mapped[str] = mapped_column(String(50), default="")

    __table_args__ = (
        # A unique index rather than a constraint: SQLite adds it without copying the table.
        Index("uq_customers_source", "source_kind", "external_id", unique=True),
        Index("ix_customers_email", "email"),
    )


class OrderRow(Base):
    """An order in its own currency (minor units). Items, payment, address, shipments (with
    their tracking events), discounts, refunds and returns are JSON in the API's shapes.

    `source_kind`/`external_id` name the shop the order lives in; `source_updated_at` is that
    shop's last change (newest wins on ingest); `source_data` is the connector's own (line item
    ids and the like, never shown).
    """

    __tablename__ = "orders"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    number: Mapped[str] = mapped_column(String(50), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    placed_at: Mapped[datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(30))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    items: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [OrderItem as JSON]
    subtotal: Mapped[int] = mapped_column(Integer, default=0)
    shipping: Mapped[int] = mapped_column(Integer, default=0)
    tax: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    payment: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # Payment as JSON
    shipping_address: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # Address
    shipments: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [Shipment]
    discount: Mapped[int] = mapped_column(Integer, default=0)
    discounts: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [Discount]
    refunds: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [Refund]
    returns: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [Return]
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)
    source_kind: Mapped[str] = mapped_column(String(20), default="demo")
    external_id: Mapped[str | None] = mapped_column(String(200), default=None)
    source_updated_at: Mapped[datetime | None] = mapped_column(default=None)
    source_data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("uq_orders_source", "source_kind", "external_id", unique=True),)

    @property
    def shipment(self) -> dict[str, Any] | None:
        """The first shipment (what the API calls `shipment`), or None."""
        return self.shipments[0] if self.shipments else None

    @property
    def refunded(self) -> int:
        return sum(int(r.get("amount", 0)) for r in self.refunds or [])


class ThreadRow(Base):
    """A conversation with one customer on one channel.

    `waiting_since`, `unread`, `last_message_id` and `last_customer_message_at` are kept exact by
    `services.post_message`; `queue_since` is `waiting_since` for open/pending threads and NULL for
    resolved/spam ones (the list's sort key).
    """

    __tablename__ = "threads"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="messenger")
    status: Mapped[str] = mapped_column(String(10), default="open")
    assignee_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"), default=None)
    waiting_since: Mapped[datetime | None] = mapped_column(default=None)
    queue_since: Mapped[datetime | None] = mapped_column(default=None)
    unread: Mapped[int] = mapped_column(Integer, default=0)
    last_message_id: Mapped[str | None] = mapped_column(String(40), default=None)
    last_customer_message_at: Mapped[datetime | None] = mapped_column(default=None)
    # The end of a standard window longer than 24 h: set by the Messenger bridge when a customer's
    # first message follows a Click-to-Messenger ad (core.reply_window honours it).
    standard_window_until: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The shop customer the server suggests this thread's customer is (CustomerSuggestion JSON).
    customer_suggestion: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)

    __table_args__ = (
        Index("ix_threads_queue", "queue_since", "id"),
        Index("ix_threads_updated", "updated_at", "id"),
    )


class MessageRow(Base):
    """One message. `pk` orders messages with equal `created_at`; `id` is the public id.

    Idempotent sending is the unique constraint on (thread_id, client_id); Messenger's `mid` is
    unique in `external_id`.
    """

    __tablename__ = "messages"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    thread_id: Mapped[str] = mapped_column(ForeignKey("threads.id"))
    client_id: Mapped[str | None] = mapped_column(String(100), default=None)
    author_kind: Mapped[str] = mapped_column(String(12))  # customer|agent|automated|system
    author_id: Mapped[str | None] = mapped_column(String(40), default=None)
    author_name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(12), default="text")  # text|note|image|order_event
    text: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [Attachment as JSON]
    order_id: Mapped[str | None] = mapped_column(String(40), default=None)
    order_event: Mapped[str | None] = mapped_column(String(30), default=None)
    tag: Mapped[str | None] = mapped_column(String(50), default=None)
    delivery: Mapped[str] = mapped_column(String(10), default="sent")
    error: Mapped[str | None] = mapped_column(Text, default=None)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("thread_id", "client_id", name="uq_messages_thread_client"),
        Index("ix_messages_thread_created", "thread_id", "created_at", "pk"),
    )


class TemplateRow(Base):
    __tablename__ = "templates"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    shortcut: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(20), default="en")
    scope: Mapped[str] = mapped_column(String(10), default="personal")  # team | personal
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The customer question a team template answers (core.intents.TEMPLATE_INTENTS), or None.
    intent: Mapped[str | None] = mapped_column(String(40), default=None)


class EventRow(Base):
    """One event of the live stream, written in the same transaction as the change it reports."""

    __tablename__ = "events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = ({"sqlite_autoincrement": True},)


class TeamSettingsRow(Base):
    """The team's settings (one row, id 1): response target, window, away periods, allowed tags."""

    __tablename__ = "team_settings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_seconds: Mapped[int] = mapped_column(Integer, default=300)
    window_days: Mapped[int] = mapped_column(Integer, default=7)
    away: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{"start", "end"}] ISO strings
    allowed_tags: Mapped[list[Any]] = mapped_column(JSON, default=lambda: ["HUMAN_AGENT"])
    refund_limits: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {"EUR": 5000}
    return_instructions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {"fr": …}
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class OrderActionRow(Base):
    """An order action (cancel, refund, return, change_address) asked by an agent.

    Idempotent on `client_id` (unique). `request` holds items, amount, address and
    notify_customer as the agent sent them; `status` moves in_progress → done | failed, or
    pending_approval → (a lead decides) in_progress … | declined.
    """

    __tablename__ = "order_actions"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(100), unique=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    thread_id: Mapped[str | None] = mapped_column(String(40), default=None)
    type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    request: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    external_id: Mapped[str | None] = mapped_column(String(200), default=None)
    agent_id: Mapped[str | None] = mapped_column(String(40), default=None)
    agent_name: Mapped[str] = mapped_column(String(200), default="")
    decided_by: Mapped[str | None] = mapped_column(String(40), default=None)
    decided_by_name: Mapped[str] = mapped_column(String(200), default="")
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class IntegrationRow(Base):
    """An integration token for the ingest API, created by a lead; only its digest is stored."""

    __tablename__ = "integrations"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_hint: Mapped[str] = mapped_column(String(20), default="")  # the last characters
    created_by: Mapped[str | None] = mapped_column(String(40), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)


class CustomerLinkRow(Base):
    """A suggested, confirmed or dismissed link from a thread to a shop customer."""

    __tablename__ = "customer_links"
    thread_id: Mapped[str] = mapped_column(ForeignKey("threads.id"), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(12))  # suggested | linked | dismissed
    reason: Mapped[str] = mapped_column(Text, default="")
    previous_customer_id: Mapped[str | None] = mapped_column(String(40), default=None)
    decided_by: Mapped[str | None] = mapped_column(String(40), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)


class WebhookInboxRow(Base):
    """A shop webhook delivery (Shopify), stored raw before the answer and processed in order.

    `delivery_id` (X-Shopify-Webhook-Id) is unique: a duplicate delivery is dropped on arrival.
    """

    __tablename__ = "webhook_inbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(20))
    delivery_id: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, default=None)

    __table_args__ = (
        UniqueConstraint("source", "delivery_id", name="uq_webhook_inbox_delivery"),
        Index("ix_webhook_inbox_pending", "processed_at", "seq"),
        {"sqlite_autoincrement": True},
    )
