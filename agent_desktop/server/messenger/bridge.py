"""The Messenger bridge at work: it owns the Graph client, the templates, the Page's facts and its
three parts, and starts and stops them with the server.

- `inbox.py`: the durable webhook inbox and the one worker that applies it in order
  (`inbound.py` applies each event to the conversations);
- `outbox.py`: replies, order messages and utility messages queued and sent through the Send API
  under the policy, the pacer and the Page's pause;
- `page_pause.py`: Meta's 10/1893063 pause of the Page, shared by every instance.

Here: the Page's id, the allowed tags and the facts the policy needs about a conversation.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.server import services
from agent_desktop.server.context import ServerContext
from agent_desktop.server.messenger import redact
from agent_desktop.server.messenger.config import MessengerConfig
from agent_desktop.server.messenger.gate import PauseGate
from agent_desktop.server.messenger.graph import GraphClient, GraphError
from agent_desktop.server.messenger.inbound import InboundApplier
from agent_desktop.server.messenger.inbox import INBOX_JOB, Inbox
from agent_desktop.server.messenger.outbox import OUTBOX_WAKE, Outbox
from agent_desktop.server.messenger.page_pause import PAGE_WAKE, PagePause
from agent_desktop.server.messenger.policy import (
    Facts,
    Owner,
    usable_allowed_tags,
)
from agent_desktop.server.messenger.tables import LinkRow, OutboundRow
from agent_desktop.server.messenger.templates import TemplateService
from agent_desktop.server.models import CustomerRow, MessageRow, ThreadRow, utcnow
from agent_desktop.server.readiness import StartsInBackground

log = logging.getLogger("agent_desktop.server.messenger")

ORDER_AUTHOR_NAME = "Order updates"


class MessengerBridge(StartsInBackground):
    """Owns the inbox and outbox workers; `on_reply` is registered in `ctx.outbound_hooks`.
    Ready once it has loaded the Page's pause (before its workers run)."""

    def __init__(
        self, ctx: ServerContext, config: MessengerConfig, graph: GraphClient | None = None
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.config = config
        self.graph = graph or GraphClient(config)
        self.media_dir = ctx.media_dir / "messenger"
        self._filter: redact.RedactingFilter | None = None
        self._page_id = config.page_id
        self.gate = PauseGate(config.pause_probe_seconds)
        self.templates = TemplateService(ctx, self.graph, self.page_id)
        self.page_pause = PagePause(ctx, self.gate)
        self.inbox = Inbox(
            ctx,
            config,
            self.graph,
            self.media_dir,
            self.known_page_id,
            InboundApplier(ctx, config, self.templates),
        )
        self.outbox = Outbox(self)

    # --- life cycle ---------------------------------------------------------------------------

    def launch(self) -> None:
        """Register the reply hook and start the workers (needs a running event loop).

        The workers run until the server's context closes (it cancels its tasks), then the Graph
        client is closed and the log filter removed.
        """
        self._filter = redact.install(self.config.secret_values())
        self.ctx.outbound_hooks.append(self.on_reply)
        self.ctx.on_wake(INBOX_JOB, self.inbox.wake.set)
        self.ctx.on_wake(OUTBOX_WAKE, self.outbox.wake.set)
        self.ctx.on_wake(PAGE_WAKE, self.page_pause.on_wake)
        self.ctx.spawn(self._run(), name="messenger-bridge")

    async def _run(self) -> None:
        try:
            self.media_dir.mkdir(parents=True, exist_ok=True)
            await self.page_pause.load()
            self._ready.set()
            log.info("Messenger bridge started (Graph API at %s)", self.config.graph_url)
            # The inbox is processed in order by one instance; every instance claims sends.
            self.ctx.run_job(INBOX_JOB, self.inbox.run)
            await self.outbox.run()
        finally:
            if self.on_reply in self.ctx.outbound_hooks:
                self.ctx.outbound_hooks.remove(self.on_reply)
            await self.outbox.stop()
            await self.graph.aclose()
            if self._filter is not None:
                redact.uninstall(self._filter)
                self._filter = None

    # --- the parts' entry points ------------------------------------------------------------------

    async def enqueue(self, body: bytes) -> int:
        """Store one verified webhook delivery durably and wake the worker; returns its seq."""
        return await self.inbox.enqueue(body)

    async def on_reply(self, message: MessageRow, thread: ThreadRow) -> None:
        """Outbound hook: relay a public agent reply on a Messenger thread to the Send API."""
        await self.outbox.on_reply(message, thread)

    async def deliver(self, out: OutboundRow, *, probe: bool = False) -> str | None:
        """Send one claimed message under every rule and record the outcome (outbox.deliver)."""
        return await self.outbox.deliver(out, probe=probe)

    async def page_state(self, session: AsyncSession) -> dict[str, Any]:
        """Whether the Page may send now, for the banner every agent and lead sees."""
        return await self.page_pause.page_state(session)

    async def try_now(self) -> None:
        """A team lead asks to try sending again at once (one message, from this instance)."""
        await self.page_pause.try_now()

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
