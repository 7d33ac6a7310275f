"""The bridge's own tables, migrated with the server's (`server/migrations/versions/`): the durable
webhook inbox, the link from a Messenger user (PSID) to a thread with who owns it and the ad that
brought it, the queue of outgoing sends, the Page's utility message templates, and the Page's
sending state.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Float, Index, Integer, String, Text, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from agent_desktop.server.claims import ClaimColumns
from agent_desktop.server.models import UTCDateTime, utcnow


class BridgeBase(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime}


class InboxRow(BridgeBase):
    """One webhook delivery, stored (raw) before the 200 answer and processed in `seq` order."""

    __tablename__ = "messenger_inbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)

    __table_args__ = (
        Index("ix_messenger_inbox_pending", "processed_at", "seq"),
        {"sqlite_autoincrement": True},
    )


class LinkRow(BridgeBase):
    """A Messenger conversation: the customer's PSID, the thread, who controls it (`handover`
    "standby" while another app or the Page inbox owns it, `handover_app_id` that owner when
    known), and the Click-to-Messenger ad that brought the customer (`referral`, Meta's referral
    object; `ad_window_pending` until the customer's first message after it)."""

    __tablename__ = "messenger_threads"
    thread_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    psid: Mapped[str] = mapped_column(String(100), unique=True)
    page_id: Mapped[str] = mapped_column(String(100), default="")
    handover: Mapped[str | None] = mapped_column(String(20), default=None)  # None | "standby"
    handover_app_id: Mapped[str | None] = mapped_column(String(100), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    referral: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    referral_at: Mapped[datetime | None] = mapped_column(default=None)
    ad_window_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class OutboundRow(ClaimColumns, BridgeBase):
    """A message the bridge must send (or has sent) through the Send API, claimed by one instance
    at a time while it is sent (server/claims.py)."""

    __tablename__ = "messenger_outbound"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(40), unique=True)
    thread_id: Mapped[str] = mapped_column(String(40))
    psid: Mapped[str] = mapped_column(String(100))
    messaging_type: Mapped[str] = mapped_column(String(20))
    tag: Mapped[str | None] = mapped_column(String(50), default=None)
    # reply (an agent's), order (a receipt or shipping text inside the window), utility (an order
    # update from an approved template): the policy checks each again just before it goes out.
    purpose: Mapped[str] = mapped_column(String(10), default="reply", server_default="reply")
    payload: Mapped[str] = mapped_column(Text)  # the Send API `message` object, JSON
    status: Mapped[str] = mapped_column(String(10), default="queued")  # queued|sent|failed
    mid: Mapped[str | None] = mapped_column(String(200), unique=True, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_messenger_outbound_status", "status", "seq"),
        {"sqlite_autoincrement": True},
    )


class TemplateRow(BridgeBase):
    """One of the Page's utility message templates (one language of it: Meta identifies a template
    by Page, name and language). `fields` names the order value each placeholder {{1}}, {{2}}...
    is filled with; `status` is Meta's (PENDING, APPROVED, REJECTED, PAUSED, DISABLED...), kept
    live by the message_template_status_update webhook."""

    __tablename__ = "messenger_templates"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    meta_id: Mapped[str | None] = mapped_column(String(100), unique=True, default=None)
    name: Mapped[str] = mapped_column(String(512))
    language: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(String(20))  # receipt | shipping_update
    source: Mapped[str] = mapped_column(String(10))  # library | page
    library_name: Mapped[str | None] = mapped_column(String(512), default=None)
    body: Mapped[str] = mapped_column(Text, default="")
    fields: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="PENDING")
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    created_by: Mapped[str | None] = mapped_column(String(40), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_messenger_templates_name", "name", "language", unique=True),)


class PageStateRow(BridgeBase):
    """Whether the Page may send now: `paused_since` is set when Meta answered 10/1893063 (the Page
    is temporarily restricted from sending); the sender then waits until `probe_at` and tries one
    message, doubling `probe_seconds` each time the restriction still holds."""

    __tablename__ = "messenger_page"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1: one Page per server
    paused_since: Mapped[datetime | None] = mapped_column(default=None)
    paused_reason: Mapped[str | None] = mapped_column(Text, default=None)
    probe_at: Mapped[datetime | None] = mapped_column(default=None)
    probe_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    resumed_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
