"""The Messenger bridge at work: a durable webhook inbox processed in order by one worker, and an
outbox that relays agents' replies, order messages and utility messages through the Send API.

Inbound messages go through `services.post_message`, so waiting_since, unread, the reply window
and the event stream stay exactly as for any other message. A Page echo (a reply written in another
inbox) is stored as a public reply by the author "Page" (kind agent, id "page"): it stops the
response clock and counts as a reply in the metrics, under the agent id "page".

Sending (`deliver`, one queued message; callable from any worker that claims it): the Page's pause
gate first (Meta's 10/1893063 holds every send, one probe at a time), then the policy again with
today's facts (`policy.recheck`), then the pacer (below Meta's per-Page rates), then the Send API.
Messages to one customer leave in order; up to `send_concurrency` customers are served at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import mimetypes
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.core.messenger_rules import rules_on
from agent_desktop.server import services
from agent_desktop.server.claims import ClaimQueue
from agent_desktop.server.context import ServerContext
from agent_desktop.server.convert import dump, thread_to_api
from agent_desktop.server.messenger import redact
from agent_desktop.server.messenger.config import MessengerConfig
from agent_desktop.server.messenger.gate import PauseGate
from agent_desktop.server.messenger.graph import GraphClient, GraphError, PageRestricted
from agent_desktop.server.messenger.pacing import Pacer, message_kind
from agent_desktop.server.messenger.payloads import (
    InControl,
    InDelivery,
    InEvent,
    InMessage,
    InRead,
    InReferral,
    InTemplateStatus,
    fresh_events,
    parse_payload,
)
from agent_desktop.server.messenger.policy import (
    Facts,
    Owner,
    PolicyRefusal,
    SendDecision,
    recheck,
    reply_decision,
    usable_allowed_tags,
)
from agent_desktop.server.messenger.tables import InboxRow, LinkRow, OutboundRow, PageStateRow
from agent_desktop.server.messenger.templates import TemplateService
from agent_desktop.server.models import CustomerRow, MessageRow, ThreadRow, utcnow

log = logging.getLogger("agent_desktop.server.messenger")

PAGE_AUTHOR_ID = "page"
PAGE_AUTHOR_NAME = "Page"
ORDER_AUTHOR_NAME = "Order updates"
INBOX_BATCH = 100
INBOX_CHUNK = 10  # deliveries applied per write transaction (webhooks wait for it)
INBOX_GATHER_SECONDS = 0.02
INBOX_JOB = "messenger-inbox"  # the singleton job (server/cluster.py) and its wake-up name
OUTBOX_WAKE = "messenger-outbox"
PAGE_WAKE = "messenger-page"  # another instance paused or resumed the Page's sends
LONG_PACE_SECONDS = 5.0  # a longer wait for the pacer gives the send back instead of holding it
POLL_SECONDS = 5.0  # how often idle workers look for work a lost wake-up did not announce
RETRY_LATER = timedelta(seconds=60)  # a send that failed unexpectedly is tried again after this
DELIVERY_RANK = {"sent": 0, "delivered": 1, "read": 2}
PAGE_EVENT = "messenger.page"
STICKER_TEXT = "(sticker)"
ENGAGED_REFRESH_SECONDS = 60.0


@dataclass(slots=True)
class _Prefetched:
    """Network work done before the write transaction: names and copied attachments."""

    names: dict[str, str] = field(default_factory=dict)
    attachments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)  # psid -> the app that owns it now


def fallback_name(psid: str) -> str:
    return f"Messenger user {psid[-4:]}"


class MessengerBridge:
    """Owns the inbox and outbox workers; `on_reply` is registered in `ctx.outbound_hooks`."""

    def __init__(
        self, ctx: ServerContext, config: MessengerConfig, graph: GraphClient | None = None
    ) -> None:
        self.ctx = ctx
        self.config = config
        self.graph = graph or GraphClient(config)
        self.media_dir = ctx.media_dir / "messenger"
        self._inbox_wake = asyncio.Event()
        self._outbox_wake = asyncio.Event()
        # The durable outbox, claimed one send at a time by whichever instance is free
        # (server/claims.py): a send whose instance dies is finished by another.
        self.sends: ClaimQueue[OutboundRow] = ClaimQueue(
            ctx, OutboundRow, ttl=ctx.config.claim_seconds
        )
        self._ready = asyncio.Event()
        self._filter: redact.RedactingFilter | None = None
        self._page_id = config.page_id
        self.gate = PauseGate(config.pause_probe_seconds)
        self._engaged = 1
        self._engaged_at = -ENGAGED_REFRESH_SECONDS
        self.pacer = Pacer(engaged_users=lambda: self._engaged)
        self.templates = TemplateService(ctx, self.graph, self.page_id)
        self._sending: set[asyncio.Task[None]] = set()
        self._slot_free = asyncio.Event()

    # --- life cycle ---------------------------------------------------------------------------

    def launch(self) -> None:
        """Register the reply hook and start the workers (needs a running event loop).

        The workers run until the server's context closes (it cancels its tasks), then the Graph
        client is closed and the log filter removed.
        """
        self._filter = redact.install(self.config.secret_values())
        self.ctx.outbound_hooks.append(self.on_reply)
        self.ctx.on_wake(INBOX_JOB, self._inbox_wake.set)
        self.ctx.on_wake(OUTBOX_WAKE, self._outbox_wake.set)
        self.ctx.on_wake(PAGE_WAKE, self._on_page_wake)
        self.ctx.spawn(self._run(), name="messenger-bridge")

    @property
    def is_ready(self) -> bool:
        return self._ready.is_set()

    async def ready(self) -> None:
        """Wait until the bridge has loaded its queued sends (a few milliseconds after start-up)."""
        await self._ready.wait()

    async def wait_ready(self, within: float) -> bool:
        """Like `ready`, but gives up after `within` seconds (start-up failed): False then."""
        try:
            async with asyncio.timeout(within):
                await self._ready.wait()
        except TimeoutError:
            return False
        return True

    async def _run(self) -> None:
        try:
            self.media_dir.mkdir(parents=True, exist_ok=True)
            await self._load_page_state()
            self._ready.set()
            log.info("Messenger bridge started (Graph API at %s)", self.config.graph_url)
            # The inbox is processed in order by one instance; every instance claims sends.
            self.ctx.run_job(INBOX_JOB, self._inbox_loop)
            await self._outbox_loop()
        finally:
            if self.on_reply in self.ctx.outbound_hooks:
                self.ctx.outbound_hooks.remove(self.on_reply)
            for task in list(self._sending):
                task.cancel()
            if self._sending:
                await asyncio.gather(*self._sending, return_exceptions=True)
            await self.graph.aclose()
            if self._filter is not None:
                redact.uninstall(self._filter)
                self._filter = None

    # --- inbox ----------------------------------------------------------------------------------

    async def enqueue(self, body: bytes) -> int:
        """Store one verified webhook delivery durably and wake the worker; returns its seq."""
        # Through the server's serialized writer: concurrent SQLite writers would otherwise wait
        # in SQLite's busy handler, which sleeps in steps of several milliseconds.
        async with self.ctx.write(sequenced=False) as session:
            row = InboxRow(body=body.decode("utf-8", errors="replace"), received_at=utcnow())
            session.add(row)
            await session.flush()
            seq = row.seq
        self.ctx.wake(INBOX_JOB)  # the instance that runs the inbox job, maybe another
        return seq

    async def _inbox_loop(self) -> None:
        while True:
            self._inbox_wake.clear()
            async with self.ctx.sessionmaker() as session:
                batch = list(
                    (
                        await session.execute(
                            select(InboxRow)
                            .where(InboxRow.processed_at.is_(None))
                            .order_by(InboxRow.seq)
                            .limit(INBOX_BATCH)
                        )
                    ).scalars()
                )
            if not batch:
                # Woken by a webhook on any instance; the timeout is a safety net for a wake-up
                # lost between instances.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(POLL_SECONDS):
                        await self._inbox_wake.wait()
                # Let a burst gather for a moment: one transaction for many deliveries costs far
                # less than one each, and leaves the writer free for the webhook's own inserts.
                await asyncio.sleep(INBOX_GATHER_SECONDS)
                continue
            for start in range(0, len(batch), INBOX_CHUNK):
                chunk = [(row.seq, row.body) for row in batch[start : start + INBOX_CHUNK]]
                if not await self._process(chunk, log_errors=False):
                    # Something in the chunk failed: redo it one delivery at a time, so only the
                    # bad delivery is set aside.
                    for item in chunk:
                        await self._process([item], log_errors=True)

    async def _process(self, chunk: list[tuple[int, str]], *, log_errors: bool) -> bool:
        """Apply deliveries in one transaction, marking them processed; False if it failed."""
        seqs = [seq for seq, _ in chunk]
        try:
            events: list[InEvent] = []
            for _, raw in chunk:
                events.extend(parse_payload(json.loads(raw), self.config.app_id).events)
            events, stale = fresh_events(events, utcnow())
            if stale:  # one line per chunk of deliveries, not one per message
                log.warning("Messenger webhook: skipped %d message(s) dated over 8 days ago", stale)
            pre = await self._prefetch(events)
            async with self.ctx.write() as session:
                for event in events:
                    await self._apply(session, event, pre)
                await session.execute(
                    update(InboxRow).where(InboxRow.seq.in_(seqs)).values(processed_at=utcnow())
                )
            return True
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not log_errors:
                return False
            seq = seqs[0]
            log.error("Messenger webhook delivery %s could not be processed", seq, exc_info=exc)
            async with self.ctx.sessionmaker() as session, session.begin():
                await session.execute(
                    update(InboxRow)
                    .where(InboxRow.seq == seq)
                    .values(processed_at=utcnow(), error=type(exc).__name__)
                )
            return False

    async def _prefetch(self, events: list[InEvent]) -> _Prefetched:
        pre = _Prefetched()
        unknown_owner = {
            e.psid for e in events if isinstance(e, InControl) and not e.ours and not e.other_app_id
        }
        if unknown_owner and self.config.page_token:
            # Conversation Routing: who took the conversation (the Page inbox or another app)?
            page_id = await self.known_page_id()
            for psid in sorted(unknown_owner):
                owner = await self.graph.thread_owner(page_id, psid) if page_id else None
                if owner and owner != self.config.app_id:
                    pre.owners[psid] = owner
        messages = [e for e in events if isinstance(e, InMessage)]
        if not messages:
            return pre
        async with self.ctx.sessionmaker() as session:
            mids = [m.mid for m in messages]
            known = set(
                (
                    await session.execute(
                        select(MessageRow.external_id).where(MessageRow.external_id.in_(mids))
                    )
                ).scalars()
            )
            psids = {m.psid for m in messages}
            linked = set(
                (
                    await session.execute(select(LinkRow.psid).where(LinkRow.psid.in_(psids)))
                ).scalars()
            )
        for psid in sorted(psids - linked):
            pre.names[psid] = await self.graph.profile_name(psid) or fallback_name(psid)
        for msg in messages:
            if msg.mid in known or not msg.attachments:
                continue
            copied, failed = await self._copy_attachments(msg)
            pre.attachments[msg.mid] = copied
            if failed:
                pre.notes[msg.mid] = (
                    f"({failed} attachment(s) could not be copied: unreachable or larger than "
                    f"{self.config.media_max_bytes // (1024 * 1024)} MB.)"
                )
        return pre

    async def _copy_attachments(self, msg: InMessage) -> tuple[list[dict[str, Any]], int]:
        copied: list[dict[str, Any]] = []
        failed = 0
        for att in msg.attachments:
            if not att.url:  # a sticker known only by its id
                continue
            got = await self.graph.download(att.url, self.config.media_max_bytes)
            if got is None:
                failed += 1
                continue
            data, mime = got
            ext = mimetypes.guess_extension(mime) if mime else None
            name = hashlib.sha256(data).hexdigest()[:24] + (ext or ".bin")
            path = self.media_dir / name
            if not path.exists():
                await asyncio.to_thread(path.write_bytes, data)
            is_image = att.kind in ("image", "sticker") or mime.startswith("image/")
            copied.append(
                {
                    "kind": "image" if is_image else "file",
                    "url": f"/media/messenger/{name}",
                    "name": att.name or name,
                    "mime": mime,
                }
            )
        return copied, failed

    async def _apply(self, session: AsyncSession, event: InEvent, pre: _Prefetched) -> None:
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
            await self.templates.apply_status(
                session,
                meta_id=event.meta_id,
                name=event.name,
                language=event.language,
                event=event.event,
                reason=event.reason,
                at=event.at,
            )
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

    async def _apply_message(self, session: AsyncSession, ev: InMessage, pre: _Prefetched) -> None:
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

    async def _apply_control(self, session: AsyncSession, ev: InControl, pre: _Prefetched) -> None:
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

    async def known_page_id(self) -> str | None:
        """The Page's id: configured, seen in a webhook, or asked of Meta (GET /me)."""
        if self._page_id:
            return self._page_id
        async with self.ctx.sessionmaker() as session:
            seen = (
                await session.execute(select(LinkRow.page_id).where(LinkRow.page_id != "").limit(1))
            ).scalar_one_or_none()
        if seen:
            self._page_id = str(seen)
            return self._page_id
        if not self.config.page_token:
            return None
        try:
            page = await self.graph.page()
        except GraphError:
            return None
        self._page_id = str(page.get("id") or "") or None
        return self._page_id

    async def page_id(self) -> str:
        """Like known_page_id, but a GraphError with a sentence when it cannot be known."""
        found = await self.known_page_id()
        if not found:
            raise GraphError(
                "The server does not know the Page's id: set MESSENGER_PAGE_ID or a Page access "
                "token."
            )
        return found

    async def allowed_tags(self, session: AsyncSession) -> tuple[str, ...]:
        """MESSENGER_ALLOWED_TAGS, else the team settings' list; never a tag Meta retired."""
        if self.config.allowed_tags is not None:
            tags: tuple[str, ...] = self.config.allowed_tags
        else:
            tags = tuple((await services.get_settings(session)).allowed_tags)
        return usable_allowed_tags(tags, utcnow())

    async def facts(
        self,
        session: AsyncSession,
        thread: ThreadRow,
        link: LinkRow,
        customer: CustomerRow | None = None,
        *,
        replies_only: bool = False,
    ) -> Facts:
        """What the policy needs to know about this conversation, now (`replies_only`: leave
        out what only order updates need, the customer's consent and the approved templates)."""
        consent = False
        approved: set[str] = set()
        if not replies_only:
            if customer is None:
                customer = await session.get(CustomerRow, thread.customer_id)
            consent = bool(customer and customer.consent_order_updates)
            approved = await self.templates.approved_purposes(session)
        return Facts(
            last_customer_message_at=thread.last_customer_message_at,
            standard_window_until=thread.standard_window_until,
            owner=Owner.of(link.handover, link.handover_app_id),
            consent_order_updates=consent,
            human_agent_permission=self.config.human_agent,
            utility_permission=self.config.utility_messaging,
            allowed_tags=await self.allowed_tags(session),
            approved_templates=approved,
        )

    async def link_for_thread(self, session: AsyncSession, thread_id: str) -> LinkRow | None:
        return await session.get(LinkRow, thread_id)

    async def page_state(self, session: AsyncSession) -> dict[str, Any]:
        """Whether the Page may send now, for the banner every agent and lead sees."""
        row = await session.get(PageStateRow, 1)
        paused = row is not None and row.paused_since is not None
        return {
            "sending": "paused" if paused else "ok",
            "paused_since": row.paused_since.isoformat()
            if paused and row and row.paused_since
            else None,
            "reason": row.paused_reason if paused and row else None,
            "next_attempt_at": row.probe_at.isoformat()
            if paused and row and row.probe_at
            else None,
        }

    # --- outbox ---------------------------------------------------------------------------------

    async def on_reply(self, message: MessageRow, thread: ThreadRow) -> None:
        """Outbound hook: relay a public agent reply on a Messenger thread to the Send API."""
        if thread.channel != "messenger":
            return
        await self.ready()
        async with self.ctx.write(thread=thread.id) as session:  # this conversation's rows only
            link = await self.link_for_thread(session, thread.id)
            if link is None:
                return  # a conversation that did not come from Messenger (demo data)
            row = await session.get(MessageRow, message.pk)
            fresh = await session.get(ThreadRow, thread.id)
            if row is None or fresh is None:
                return
            try:
                # A person's reply (the hook sees only agents' public replies): HUMAN_AGENT only
                # if the window demands it; never a tag the client asked for inside 24 h.
                facts = await self.facts(session, fresh, link, replies_only=True)
                decision = reply_decision(facts, utcnow())
            except PolicyRefusal as refusal:
                await services.update_delivery(
                    self.ctx, session, message=row, delivery="failed", error=refusal.reason
                )
                return
            row.tag = decision.tag
            self.queue_send(session, row, link.psid, decision, {"text": row.text}, "reply")

    def queue_send(
        self,
        session: AsyncSession,
        message: MessageRow,
        psid: str,
        decision: SendDecision,
        payload: dict[str, Any],
        purpose: str = "reply",
    ) -> None:
        """Add an outbox row in the current transaction; the worker picks it up after commit."""
        out = OutboundRow(
            message_id=message.id,
            thread_id=message.thread_id,
            psid=psid,
            messaging_type=decision.messaging_type,
            tag=decision.tag,
            payload=json.dumps(payload),
            status="queued",
            purpose=purpose,
            created_at=utcnow(),
        )
        session.add(out)

        async def _wake() -> None:
            self.ctx.wake(OUTBOX_WAKE)

        services.after_commit(session, _wake)

    async def _outbox_loop(self) -> None:
        """Claim the sends that may go now and send them, up to `send_concurrency` at once.

        Only the oldest queued send of each customer is claimed (their messages leave in order,
        across instances too). While Meta has paused the Page (10/1893063) nothing is claimed
        until the probe time, then one send only (the probe)."""
        while True:
            self._outbox_wake.clear()
            probe = False
            if self.gate.paused:
                probe = await self.gate.wait()
            free = self.config.send_concurrency - len(self._sending)
            if free <= 0:
                await self._slot_free.wait()
                self._slot_free.clear()
                if probe:
                    self.gate.release_probe()
                continue
            claimed = await self._claim_heads(1 if probe else free)
            if not claimed:
                if probe:
                    self.gate.release_probe()
                # Woken when a reply is queued (on any instance); the timeout also picks up sends
                # whose instance died, once their claim has expired.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(POLL_SECONDS):
                        await self._outbox_wake.wait()
                continue
            for out in claimed:
                task = asyncio.create_task(self._deliver_claimed(out, probe=probe))
                self._sending.add(task)
                task.add_done_callback(self._send_done)
            if probe:
                # Wait for the probe's answer before anything else goes.
                await asyncio.gather(*list(self._sending), return_exceptions=True)

    def _send_done(self, task: asyncio.Task[None]) -> None:
        self._sending.discard(task)
        self._slot_free.set()
        self._outbox_wake.set()  # the customer's next message may go now

    async def _claim_heads(self, limit: int) -> list[OutboundRow]:
        """Claim up to `limit` queued sends that are each the oldest of their customer's."""
        # Each customer's oldest queued send (one pass over the queued rows, by the status
        # index), among them those nobody holds now.
        first = (
            select(func.min(OutboundRow.seq))
            .where(OutboundRow.status == "queued")
            .group_by(OutboundRow.psid)
        )
        now = utcnow()
        heads = (
            select(OutboundRow.seq)
            .where(
                OutboundRow.seq.in_(first),
                or_(OutboundRow.claim_until.is_(None), OutboundRow.claim_until < now),
                or_(OutboundRow.not_before.is_(None), OutboundRow.not_before <= now),
            )
            .order_by(OutboundRow.seq)
            .limit(limit)
        )
        async with self.ctx.sessionmaker() as session:
            keys = list((await session.execute(heads)).scalars())
        if not keys:
            return []
        return await self.sends.claim(limit=limit, keys=keys)

    async def _deliver_claimed(self, out: OutboundRow, *, probe: bool = False) -> None:
        try:
            await self.deliver(out, probe=probe)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.error("Messenger send %s failed unexpectedly", out.seq, exc_info=exc)
            if probe:
                self.gate.release_probe()
            with contextlib.suppress(Exception):
                await self.sends.release(out.seq, not_before=utcnow() + RETRY_LATER)

    async def _refresh_engaged(self) -> None:
        """Count the people the Page can message now (their last message is less than 7 days
        old: Meta's engaged users) for the pacer's daily budget, at most every
        ENGAGED_REFRESH_SECONDS, and at once when the budget is what holds a send back."""
        now = time.monotonic()
        stale = now - self._engaged_at >= ENGAGED_REFRESH_SECONDS
        budget_bound = self.pacer.daily_blocked() and now - self._engaged_at >= 1.0
        if not (stale or budget_bound):
            return
        self._engaged_at = now
        since = utcnow() - rules_on(utcnow()).human_agent_window
        async with self.ctx.sessionmaker() as session:
            count = (
                await session.execute(
                    select(func.count())
                    .select_from(LinkRow)
                    .join(ThreadRow, ThreadRow.id == LinkRow.thread_id)
                    .where(ThreadRow.last_customer_message_at > since)
                )
            ).scalar_one()
        self._engaged = max(1, int(count))

    async def _recheck(self, out: OutboundRow) -> SendDecision:
        """The policy again, with the facts as they are now (PolicyRefusal: do not send)."""
        decision = SendDecision(out.messaging_type, out.tag)  # type: ignore[arg-type]
        async with self.ctx.sessionmaker() as session:
            thread = await session.get(ThreadRow, out.thread_id)
            link = await self.link_for_thread(session, out.thread_id)
            if thread is None or link is None:
                raise PolicyRefusal("The conversation no longer exists.", "not_messenger")
            facts = await self.facts(session, thread, link, replies_only=out.purpose == "reply")
            template_ok = True
            if out.purpose == "utility":
                template = json.loads(out.payload).get("template") or {}
                language = (template.get("language") or {}).get("code", "")
                template_ok = await self.templates.is_approved(
                    session, str(template.get("name", "")), str(language)
                )
        return recheck(out.purpose, decision, facts, utcnow(), template_ok=template_ok)

    async def deliver(self, out: OutboundRow, *, probe: bool = False) -> str | None:
        """Send one claimed message under every rule and record the outcome; returns "sent",
        "failed", or None when it was given back for later (the Page is paused, or the daily
        budget is spent: it is not lost). `probe`: the one try while Meta has paused the Page."""
        async with self.sends.holding(out.seq):
            try:
                decision = await self._recheck(out)
            except PolicyRefusal as refusal:
                if probe:
                    self.gate.release_probe()
                await self._record(out, None, refusal.reason, None)
                return "failed"
            payload = json.loads(out.payload)
            kind = message_kind(payload)
            await self._refresh_engaged()
            wait = self.pacer.delay(kind)
            if wait > LONG_PACE_SECONDS:  # the daily budget: give the send back for later
                if probe:
                    self.gate.release_probe()
                await self.sends.release(out.seq, not_before=utcnow() + timedelta(seconds=wait))
                return None

            async def before_attempt(kind: Any = kind) -> None:
                await self.pacer.acquire(kind, refresh=self._refresh_engaged)

            try:
                result = await self.graph.send(
                    out.psid, payload, decision, before_attempt=before_attempt
                )
            except PageRestricted as exc:
                await self._pause(str(exc))
                await self.sends.release(out.seq)  # tried again once the Page may send
                return None
            except GraphError as exc:
                if probe or self.gate.paused:
                    if exc.code is not None:
                        await self._resume()  # Meta judged the message: the Page may send
                    else:
                        self.gate.release_probe()
                await self._record(out, None, str(exc), decision)
                return "failed"
        if probe or self.gate.paused:
            await self._resume()
        await self._record(out, result.message_id, None, decision)
        return "sent"

    # --- the Page's pause (10/1893063), shared by every instance through its row -------------

    async def _load_page_state(self) -> None:
        """Bring the local gate in line with the Page's row (at start, and when another
        instance paused or resumed the Page)."""
        async with self.ctx.sessionmaker() as session:
            state = await session.get(PageStateRow, 1)
        if state is not None and state.paused_since is not None:
            wait = (state.probe_at - utcnow()).total_seconds() if state.probe_at else 0.0
            self.gate.pause(probe_in=max(0.0, wait))
            self.gate.probe_seconds = state.probe_seconds or self.gate.probe_seconds
        elif self.gate.paused:
            self.gate.resume()

    def _on_page_wake(self) -> None:
        self.ctx.spawn(self._load_page_state(), name="messenger-page-state")

    async def _pause(self, reason: str) -> None:
        newly = not self.gate.paused
        self.gate.pause()
        async with self.ctx.write() as session:
            row = await session.get(PageStateRow, 1)
            if row is None:
                row = PageStateRow(id=1)
                session.add(row)
            now = utcnow()
            if row.paused_since is None:
                row.paused_since = now
            row.paused_reason = reason
            row.probe_seconds = self.gate.probe_seconds
            row.probe_at = now + timedelta(seconds=self.gate.probe_seconds)
            row.updated_at = now
            await session.flush()
            services.emit(session, PAGE_EVENT, {"page": await self.page_state(session)})
        self.ctx.wake(PAGE_WAKE)
        if newly:
            log.warning(
                "Messenger restricted the Page from sending (10/1893063): sends are paused; "
                "next try in %.0f s",
                self.gate.probe_seconds,
            )

    async def _resume(self) -> None:
        if not self.gate.paused:
            return
        self.gate.resume()
        async with self.ctx.write() as session:
            row = await session.get(PageStateRow, 1)
            if row is not None and row.paused_since is not None:
                row.paused_since = None
                row.paused_reason = None
                row.probe_at = None
                row.probe_seconds = 0.0
                row.resumed_at = row.updated_at = utcnow()
                await session.flush()
                services.emit(session, PAGE_EVENT, {"page": await self.page_state(session)})
        self.ctx.wake(PAGE_WAKE)
        self.ctx.wake(OUTBOX_WAKE)
        log.warning("Messenger lets the Page send again: sending resumed")

    async def try_now(self) -> None:
        """A team lead asks to try sending again at once (one message, from this instance).

        The row says a try is due now (for the banner), but no other instance is woken to read
        it: they would each probe too, and on PostgreSQL this instance's own wake-up, arriving
        after the probe was refused, would undo the doubled wait and probe again at once. The
        probe's outcome (_pause or _resume) writes the row and wakes every instance."""
        self.gate.probe_now()
        async with self.ctx.write(sequenced=False) as session:
            row = await session.get(PageStateRow, 1)
            if row is not None and row.paused_since is not None:
                row.probe_at = utcnow()

    async def _record(
        self,
        out: OutboundRow,
        mid: str | None,
        error: str | None,
        decision: SendDecision | None,
    ) -> None:
        values: dict[str, Any] = {"status": "sent" if mid else "failed", "mid": mid}
        if decision is not None:
            values.update(messaging_type=decision.messaging_type, tag=decision.tag)
        async with self.ctx.write() as session:
            done = await self.sends.finish(session, out.seq, **values)
            if not done:
                return  # another instance took it over meanwhile and records its own outcome
            message = (
                await session.execute(select(MessageRow).where(MessageRow.id == out.message_id))
            ).scalar_one_or_none()
            if message is None:
                return
            if decision is not None and message.kind != "order_event":
                message.tag = decision.tag
            duplicate = None
            if mid:
                duplicate = (
                    await session.execute(
                        select(MessageRow.pk).where(MessageRow.external_id == mid)
                    )
                ).scalar_one_or_none()
            await services.update_delivery(
                self.ctx,
                session,
                message=message,
                delivery="sent" if mid else "failed",
                error=error,
                external_id=mid if duplicate is None else None,
            )
