"""The Messenger bridge at work: a durable webhook inbox processed in order by one worker, and an
outbox that relays agents' replies and order messages through the Send API.

Inbound messages go through `services.post_message`, so waiting_since, unread, the reply window
and the event stream stay exactly as for any other message. A Page echo (a reply written in another
inbox) is stored as a public reply by the author "Page" (kind agent, id "page"): it stops the
response clock and counts as a reply in the metrics, under the agent id "page".
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import mimetypes
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.server import services
from agent_desktop.server.claims import ClaimQueue
from agent_desktop.server.context import ServerContext
from agent_desktop.server.convert import dump, thread_to_api
from agent_desktop.server.messenger import redact
from agent_desktop.server.messenger.config import MessengerConfig
from agent_desktop.server.messenger.graph import GraphClient, GraphError
from agent_desktop.server.messenger.payloads import (
    InControl,
    InDelivery,
    InEvent,
    InMessage,
    InRead,
    fresh_events,
    parse_payload,
)
from agent_desktop.server.messenger.policy import (
    STANDBY,
    PolicyRefusal,
    SendDecision,
    reply_decision,
)
from agent_desktop.server.messenger.tables import InboxRow, LinkRow, OutboundRow
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
POLL_SECONDS = 5.0  # how often idle workers look for work a lost wake-up did not announce
RETRY_LATER = timedelta(seconds=60)  # a send that failed unexpectedly is tried again after this
DELIVERY_RANK = {"sent": 0, "delivered": 1, "read": 2}


@dataclass(slots=True)
class _Prefetched:
    """Network work done before the write transaction: names and copied attachments."""

    names: dict[str, str] = field(default_factory=dict)
    attachments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


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
            self._ready.set()
            log.info("Messenger bridge started (Graph API at %s)", self.config.graph_url)
            # The inbox is processed in order by one instance; every instance claims sends.
            self.ctx.run_job(INBOX_JOB, self._inbox_loop)
            await self._outbox_loop()
        finally:
            if self.on_reply in self.ctx.outbound_hooks:
                self.ctx.outbound_hooks.remove(self.on_reply)
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
            is_image = att.kind == "image" or mime.startswith("image/")
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
        else:
            await self._apply_control(session, event)

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
        _, thread = found
        attachments = pre.attachments.get(ev.mid, [])
        text = ev.text or (ev.quick_reply_payload or "")
        note = pre.notes.get(ev.mid)
        if note:
            text = f"{text}\n{note}" if text else note
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

    async def _apply_control(self, session: AsyncSession, ev: InControl) -> None:
        found = await self._link(session, ev.psid, "", None)
        if found is None:
            return
        link, thread = found
        handover = None if ev.ours else "standby"
        if link.handover == handover:
            return
        link.handover = handover
        link.handover_app_id = ev.other_app_id
        link.updated_at = utcnow()
        thread.updated_at = max(thread.updated_at, ev.at)
        await session.flush()
        api = await thread_to_api(session, thread)
        # thread.updated with one extra key the client may read: who controls the conversation.
        services.emit(session, "thread.updated", {"thread": dump(api), "handover": handover})

    # --- outbox ---------------------------------------------------------------------------------

    async def allowed_tags(self, session: AsyncSession) -> tuple[str, ...]:
        """Tags from MESSENGER_ALLOWED_TAGS, else the team settings' list plus the order tag."""
        if self.config.allowed_tags is not None:
            return self.config.allowed_tags
        settings = await services.get_settings(session)
        return (*settings.allowed_tags, self.config.order_tag)

    async def link_for_thread(self, session: AsyncSession, thread_id: str) -> LinkRow | None:
        return await session.get(LinkRow, thread_id)

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
            if row is None:
                return
            fresh = await session.get(ThreadRow, thread.id)
            last_customer = fresh.last_customer_message_at if fresh else None
            try:
                if link.handover == "standby":
                    raise PolicyRefusal(STANDBY, "standby")
                decision = reply_decision(last_customer, utcnow(), await self.allowed_tags(session))
            except PolicyRefusal as refusal:
                await services.update_delivery(
                    self.ctx, session, message=row, delivery="failed", error=refusal.reason
                )
                return
            if row.tag and decision.tag is None and row.tag in await self.allowed_tags(session):
                decision = SendDecision("MESSAGE_TAG", row.tag)
            self.queue_send(session, row, link.psid, decision, {"text": row.text})

    def queue_send(
        self,
        session: AsyncSession,
        message: MessageRow,
        psid: str,
        decision: SendDecision,
        payload: dict[str, Any],
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
            created_at=utcnow(),
        )
        session.add(out)

        async def _wake() -> None:
            self.ctx.wake(OUTBOX_WAKE)

        services.after_commit(session, _wake)

    async def _outbox_loop(self) -> None:
        """Claim the oldest send nobody holds, send it, record the outcome; then the next."""
        while True:
            self._outbox_wake.clear()
            claimed = await self.sends.claim(limit=1)
            if not claimed:
                # Woken when a reply is queued (on any instance); the timeout also picks up sends
                # whose instance died, once their claim has expired.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(POLL_SECONDS):
                        await self._outbox_wake.wait()
                continue
            out = claimed[0]
            try:
                await self._send_one(out)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.error("Messenger send %s failed unexpectedly", out.seq, exc_info=exc)
                with contextlib.suppress(Exception):
                    await self.sends.release(out.seq, not_before=utcnow() + RETRY_LATER)

    async def _send_one(self, out: OutboundRow) -> None:
        decision = SendDecision(out.messaging_type, out.tag)  # type: ignore[arg-type]
        mid: str | None = None
        error: str | None = None
        async with self.sends.holding(out.seq):
            try:
                result = await self.graph.send(out.psid, json.loads(out.payload), decision)
                mid = result.message_id
            except GraphError as exc:
                error = str(exc)
        async with self.ctx.write() as session:
            done = await self.sends.finish(
                session, out.seq, status="sent" if mid else "failed", mid=mid
            )
            if not done:
                return  # another instance took it over meanwhile and records its own outcome
            message = (
                await session.execute(select(MessageRow).where(MessageRow.id == out.message_id))
            ).scalar_one_or_none()
            if message is None:
                return
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
