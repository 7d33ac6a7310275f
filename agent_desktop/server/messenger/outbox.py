"""The Messenger outbox: agents' replies, order messages and utility messages queued in the
`messenger_outbound` table (`queue_send`, in the caller's transaction) and sent through the Send
API by every instance, each send claimed by one of them (server/claims.py): a send whose instance
dies is finished by another.

Sending (`deliver`, one claimed message): the Page's pause gate first (Meta's 10/1893063 holds
every send, one probe at a time, `page_pause.py`), then the policy again with today's facts
(`policy.recheck`), then the pacer (below Meta's per-Page rates), then the Send API; the outcome
is recorded on the message (delivery sent/failed). Messages to one customer leave in order; up to
`send_concurrency` customers are served at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.core.messenger_rules import rules_on
from agent_desktop.server import services
from agent_desktop.server.claims import ClaimQueue
from agent_desktop.server.messenger.graph import GraphError, PageRestricted
from agent_desktop.server.messenger.pacing import Pacer, message_kind
from agent_desktop.server.messenger.policy import (
    PolicyRefusal,
    SendDecision,
    recheck,
    reply_decision,
)
from agent_desktop.server.messenger.tables import LinkRow, OutboundRow
from agent_desktop.server.models import MessageRow, ThreadRow, utcnow

if TYPE_CHECKING:
    from agent_desktop.server.messenger.bridge import MessengerBridge

log = logging.getLogger("agent_desktop.server.messenger")

OUTBOX_WAKE = "messenger-outbox"
LONG_PACE_SECONDS = 5.0  # a longer wait for the pacer gives the send back instead of holding it
POLL_SECONDS = 5.0  # how often idle workers look for work a lost wake-up did not announce
RETRY_LATER = timedelta(seconds=60)  # a send that failed unexpectedly is tried again after this
ENGAGED_REFRESH_SECONDS = 60.0
# A send the daily budget holds back is looked at again after at most this long, not parked until
# the budget's window frees a slot (up to a day): more engaged users raise the budget meanwhile.
BUDGET_RECHECK_SECONDS = 30.0


class Outbox:
    """Queues sends and runs this instance's sender; reads the bridge's facts, templates, Graph
    client and the Page's pause."""

    def __init__(self, bridge: MessengerBridge) -> None:
        self.bridge = bridge
        self.ctx = bridge.ctx
        self.config = bridge.config
        self.graph = bridge.graph
        self.gate = bridge.gate
        self.page = bridge.page_pause
        self.wake = asyncio.Event()
        # The durable outbox, claimed one send at a time by whichever instance is free
        # (server/claims.py): a send whose instance dies is finished by another.
        self.sends: ClaimQueue[OutboundRow] = ClaimQueue(
            self.ctx, OutboundRow, ttl=self.ctx.config.claim_seconds
        )
        self._engaged = 1
        self._engaged_at = -ENGAGED_REFRESH_SECONDS
        self.pacer = Pacer(engaged_users=lambda: self._engaged)
        self._sending: set[asyncio.Task[None]] = set()
        self._slot_free = asyncio.Event()

    async def stop(self) -> None:
        """Cancel the sends in flight (the server is closing; their claims expire)."""
        for task in list(self._sending):
            task.cancel()
        if self._sending:
            await asyncio.gather(*self._sending, return_exceptions=True)

    async def on_reply(self, message: MessageRow, thread: ThreadRow) -> None:
        """Outbound hook: relay a public agent reply on a Messenger thread to the Send API."""
        if thread.channel != "messenger":
            return
        await self.bridge.ready()
        async with self.ctx.write(thread=thread.id) as session:  # this conversation's rows only
            link = await self.bridge.link_for_thread(session, thread.id)
            if link is None:
                return  # a conversation that did not come from Messenger (demo data)
            row = await session.get(MessageRow, message.pk)
            fresh = await session.get(ThreadRow, thread.id)
            if row is None or fresh is None:
                return
            try:
                # A person's reply (the hook sees only agents' public replies): HUMAN_AGENT only
                # if the window demands it; never a tag the client asked for inside 24 h.
                facts = await self.bridge.facts(session, fresh, link, replies_only=True)
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

    async def run(self) -> None:
        """Claim the sends that may go now and send them, up to `send_concurrency` at once.

        Only the oldest queued send of each customer is claimed (their messages leave in order,
        across instances too). While Meta has paused the Page (10/1893063) nothing is claimed
        until the probe time, then one send only (the probe)."""
        while True:
            self.wake.clear()
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
                        await self.wake.wait()
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
        self.wake.set()  # the customer's next message may go now

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
            link = await self.bridge.link_for_thread(session, out.thread_id)
            if thread is None or link is None:
                raise PolicyRefusal("The conversation no longer exists.", "not_messenger")
            facts = await self.bridge.facts(
                session, thread, link, replies_only=out.purpose == "reply"
            )
            template_ok = True
            if out.purpose == "utility":
                template = json.loads(out.payload).get("template") or {}
                language = (template.get("language") or {}).get("code", "")
                template_ok = await self.bridge.templates.is_approved(
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
                later = min(wait, BUDGET_RECHECK_SECONDS)
                await self.sends.release(out.seq, not_before=utcnow() + timedelta(seconds=later))
                return None

            async def before_attempt(kind: Any = kind) -> None:
                await self.pacer.acquire(kind, refresh=self._refresh_engaged)

            try:
                result = await self.graph.send(
                    out.psid, payload, decision, before_attempt=before_attempt
                )
            except PageRestricted as exc:
                await self.page.pause(str(exc))
                await self.sends.release(out.seq)  # tried again once the Page may send
                return None
            except GraphError as exc:
                if probe or self.gate.paused:
                    if exc.code is not None:
                        await self.page.resume()  # Meta judged the message: the Page may send
                    else:
                        self.gate.release_probe()
                await self._record(out, None, str(exc), decision)
                return "failed"
        if probe or self.gate.paused:
            await self.page.resume()
        await self._record(out, result.message_id, None, decision)
        return "sent"

    # --- the Page's pause (10/1893063), shared by every instance through its row -------------

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
