"""The bridge's own tables, migrated with the server's (`server/migrations/versions/`): the durable
webhook inbox, the link from a Messenger user (PSID) to a thread with its handover state, and the
queue of outgoing sends.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Index, Integer, String, Text
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
    """A Messenger conversation: the customer's PSID, the thread, who controls it (`handover`)."""

    __tablename__ = "messenger_threads"
    thread_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    psid: Mapped[str] = mapped_column(String(100), unique=True)
    page_id: Mapped[str] = mapped_column(String(100), default="")
    handover: Mapped[str | None] = mapped_column(String(20), default=None)  # None | "standby"
    handover_app_id: Mapped[str | None] = mapped_column(String(100), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


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
    payload: Mapped[str] = mapped_column(Text)  # the Send API `message` object, JSON
    status: Mapped[str] = mapped_column(String(10), default="queued")  # queued|sent|failed
    mid: Mapped[str | None] = mapped_column(String(200), unique=True, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_messenger_outbound_status", "status", "seq"),
        {"sqlite_autoincrement": True},
    )
