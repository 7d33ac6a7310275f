"""Applying Meta's webhook events to the server's conversations (one write transaction per chunk of
deliveries, run by the inbox job in `inbox.py`).

Inbound messages go through `services.post_message`, so waiting_since, unread, the reply window
and the event stream stay exactly as for any other message. A Page echo (a reply written in another
inbox) is stored as a public reply by the author "Page" (kind agent, id "page"): it stops the
response clock and counts as a reply in the metrics, under the agent id "page". Delivery and read
receipts, ad referrals and Conversation Routing (who owns the conversation) update the thread.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.core.messenger_rules import rules_on
from agent_desktop.server import services
from agent_desktop.server.context import ServerContext
from agent_desktop.server.convert import dump, thread_to_api
from agent_desktop.server.messenger.config import MessengerConfig
from agent_desktop.server.messenger.payloads import (
    InControl,
    InDelivery,
    InEvent,
    InMessage,
    InRead,
    InReferral,
    InTemplateStatus,
)
from agent_desktop.server.messenger.policy import Owner
from agent_desktop.server.messenger.tables import LinkRow, OutboundRow
from agent_desktop.server.messenger.templates import TemplateService
from agent_desktop.server.models import CustomerRow, MessageRow, ThreadRow, utcnow

log = logging.getLogger("agent_desktop.server.messenger")

PAGE_AUTHOR_ID = "page"
PAGE_AUTHOR_NAME = "Page"
DELIVERY_RANK = {"sent": 0, "delivered": 1, "read": 2}
STICKER_TEXT = "(sticker)"


@dataclass(slots=True)
class Prefetched:
    """Network work done before the write transaction: names and copied attachments."""

    names: dict[str, str] = field(default_factory=dict)
    attachments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)  # psid -> the app that owns it now


def fallback_name(psid: str) -> str:
    return f"Messenger user {psid[-4:]}"


class InboundApplier:
    """Applies parsed webhook events inside the caller's write transaction."""

    def __init__(
        self, ctx: ServerContext, config: MessengerConfig, templates: TemplateService
    ) -> None:
        self.ctx = ctx
        self.config = config
        self.templates = templates

    async def apply(self, session: AsyncSession, event: InEvent, pre: Prefetched) -> None:
        if isinstance(event, InMessage):
            await self._apply_message(session, event, pre)
        elif isinstance(event, InDelivery):
            await self._apply_delivery(
                session, event.psid, "delivered", event.watermark, event.mids
            )
        elif isinstance(event, InRead):
            await self._apply_delivery(session, event.psid, "read", event.watermark, ())
        elif isinstance(event, InReferral):
            await self._apply_referral(session, event)
        elif isinstance(event, InTemplateStatus):
            await self.templates.apply_status(session, event)
        else:
            await self._apply_control(session, event, pre)

    async def _link(
        self, session: AsyncSession, psid: str, page_id: str, name: str | None
    ) -> tuple[LinkRow, ThreadRow] | None:
        link = (
            await session.execute(select(LinkRow).where(LinkRow.psid == psid))
        ).scalar_one_or_none()
        if link is not None:
            thread = await session.get(ThreadRow, link.thread_id)
            if thread is not None:
                return link, thread
        if name is None:
            return None
        customer = (
            await session.execute(select(CustomerRow).where(CustomerRow.messenger_psid == psid))
        ).scalar_one_or_none()
        thread = None
        if customer is None:
            customer = await services.create_customer(
                self.ctx, session, name=name, messenger_psid=psid
            )
        else:
            # A known customer (imported with their PSID): continue their latest Messenger thread
            # unless it already belongs to another Messenger conversation.
            linked = select(LinkRow.thread_id)
            thread = (
                await session.execute(
                    select(ThreadRow)
                    .where(
                        ThreadRow.customer_id == customer.id,
                        ThreadRow.channel == "messenger",
                        ThreadRow.id.not_in(linked),
                    )
                    .order_by(ThreadRow.updated_at.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()
        if thread is None:
            thread = await services.create_thread(
                self.ctx, session, customer=customer, channel="messenger"
            )
        if link is None:
            link = LinkRow(thread_id=thread.id, psid=psid, page_id=page_id)
            session.add(link)
        else:
            link.thread_id = thread.id
        await session.flush()
        return link, thread

    async def _apply_message(self, session: AsyncSession, ev: InMessage, pre: Prefetched) -> None:
        seen = (
            await session.execute(select(MessageRow.id).where(MessageRow.external_id == ev.mid))
        ).scalar_one_or_none()
        if seen is not None:
            return
        if ev.is_echo and await self._is_own_echo(session, ev):
            return
        found = await self._link(
            session, ev.psid, ev.page_id, pre.names.get(ev.psid) or fallback_name(ev.psid)
        )
        assert found is not None
        link, thread = found
        attachments = pre.attachments.get(ev.mid, [])
        text = ev.text or (ev.quick_reply_payload or "")
        note = pre.notes.get(ev.mid)
        if note:
            text = f"{text}\n{note}" if text else note
        if not text and not attachments and any(a.kind == "sticker" for a in ev.attachments):
            text = STICKER_TEXT
        if not ev.is_echo:
            self._note_referral(link, thread, ev.referral, ev.at, message=True)
        kind = "image" if any(a["kind"] == "image" for a in attachments) else "text"
        if ev.is_echo:
            await services.post_message(
                self.ctx,
                session,
                thread=thread,
                author_kind="agent",
                author_id=PAGE_AUTHOR_ID,
                author_name=PAGE_AUTHOR_NAME,
                kind=kind,
                text=text,
                attachments=attachments,
                created_at=ev.at,
                external_id=ev.mid,
                notify_outbound=False,
            )
            return
        customer = await session.get(CustomerRow, thread.customer_id)
        await services.post_message(
            self.ctx,
            session,
            thread=thread,
            author_kind="customer",
            author_id=thread.customer_id,
            author_name=customer.name if customer is not None else "",
            kind=kind,
            text=text,
            attachments=attachments,
            created_at=ev.at,
            external_id=ev.mid,
        )

    async def _is_own_echo(self, session: AsyncSession, ev: InMessage) -> bool:
        """An echo of a message this bridge sent (or is sending): never store it twice."""
        if self.config.app_id and ev.app_id == self.config.app_id:
            return True
        own = (
            await session.execute(select(OutboundRow.seq).where(OutboundRow.mid == ev.mid))
        ).scalar_one_or_none()
        if own is not None:
            return True
        in_flight = (
            await session.execute(
                select(OutboundRow.payload).where(
                    OutboundRow.psid == ev.psid,
                    OutboundRow.status == "queued",
                    OutboundRow.mid.is_(None),
                )
            )
        ).scalars()
        for payload in in_flight:
            message = json.loads(payload)
            if message.get("text", "") == ev.text or (not ev.text and "attachment" in message):
                return True
        return False

    async def _apply_delivery(
        self,
        session: AsyncSession,
        psid: str,
        state: str,
        watermark: datetime,
        mids: tuple[str, ...],
    ) -> None:
        found = await self._link(session, psid, "", None)
        if found is None:
            return
        _, thread = found
        rows = (
            await session.execute(
                select(MessageRow).where(
                    MessageRow.thread_id == thread.id,
                    MessageRow.author_kind != "customer",
                    MessageRow.kind != "note",
                    MessageRow.external_id.is_not(None),
                    MessageRow.delivery.in_(("sent", "delivered")),
                )
            )
        ).scalars()
        for row in rows:
            if DELIVERY_RANK.get(row.delivery, 3) >= DELIVERY_RANK[state]:
                continue
            if row.created_at <= watermark or row.external_id in mids:
                await services.update_delivery(
                    self.ctx, session, message=row, delivery=state, error=None
                )

    def _note_referral(
        self,
        link: LinkRow,
        thread: ThreadRow,
        referral: dict[str, Any] | None,
        at: datetime,
        *,
        message: bool,
    ) -> bool:
        """Keep the ad (or link) that brought the customer; a Click-to-Messenger ad's first
        message opens the longer standard window. Returns True when the thread changed."""
        changed = False
        if referral is not None:
            link.referral = referral
            link.referral_at = at
            link.ad_window_pending = str(referral.get("source", "")).upper() == "ADS"
            changed = True
        if message and link.ad_window_pending:
            link.ad_window_pending = False
            window = rules_on(at).ad_standard_window
            if window is not None:
                until = at + window
                if thread.standard_window_until is None or until > thread.standard_window_until:
                    thread.standard_window_until = until
            changed = True
        return changed

    async def _apply_referral(self, session: AsyncSession, ev: InReferral) -> None:
        found = await self._link(session, ev.psid, ev.page_id, None)
        if found is None:
            # A referral reaches a known conversation only (messaging_referrals); a new one carries
            # it on its first message.
            log.info("Messenger referral for an unknown conversation skipped")
            return
        link, thread = found
        if self._note_referral(link, thread, ev.referral, ev.at, message=False):
            link.updated_at = utcnow()
            thread.updated_at = max(thread.updated_at, ev.at)
            await services.emit_thread(session, thread)

    async def _apply_control(self, session: AsyncSession, ev: InControl, pre: Prefetched) -> None:
        found = await self._link(session, ev.psid, "", None)
        if found is None:
            return
        link, thread = found
        handover = None if ev.ours else "standby"
        owner_app = None if ev.ours else (ev.other_app_id or pre.owners.get(ev.psid))
        if link.handover == handover and (ev.ours or owner_app in (None, link.handover_app_id)):
            return
        link.handover = handover
        link.handover_app_id = owner_app or (link.handover_app_id if handover else None)
        link.updated_at = utcnow()
        thread.updated_at = max(thread.updated_at, ev.at)
        await session.flush()
        api = await thread_to_api(session, thread)
        owner = Owner.of(link.handover, link.handover_app_id)
        # thread.updated with extra keys the client may read: who answers the conversation.
        services.emit(
            session,
            "thread.updated",
            {
                "thread": dump(api),
                "handover": handover,
                "owner": {"kind": owner.kind, "app_id": owner.app_id},
            },
        )

    # --- facts and rules ------------------------------------------------------------------------
