"""The Page's pause (Meta's 10/1893063: the Page may not send), shared by every instance through
its row (`PageStateRow`): the local `PauseGate` holds every send while paused and lets one probe
through at the probe time; a probe that Meta judges resumes sending, a refused one doubles the wait.
Pausing and resuming emit `messenger.page` (the banner agents and leads see) and wake the other
instances, which reload the row.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.server import services
from agent_desktop.server.context import ServerContext
from agent_desktop.server.messenger.gate import PauseGate
from agent_desktop.server.messenger.outbox import OUTBOX_WAKE
from agent_desktop.server.messenger.tables import PageStateRow
from agent_desktop.server.models import utcnow

log = logging.getLogger("agent_desktop.server.messenger")

PAGE_WAKE = "messenger-page"  # another instance paused or resumed the Page's sends
PAGE_EVENT = "messenger.page"


class PagePause:
    """Pauses and resumes the Page's sends, on this instance's gate and in the shared row."""

    def __init__(self, ctx: ServerContext, gate: PauseGate) -> None:
        self.ctx = ctx
        self.gate = gate

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

    async def load(self) -> None:
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

    def on_wake(self) -> None:
        self.ctx.spawn(self.load(), name="messenger-page-state")

    async def pause(self, reason: str) -> None:
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

    async def resume(self) -> None:
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
        probe's outcome (pause or resume) writes the row and wakes every instance."""
        self.gate.probe_now()
        async with self.ctx.write(sequenced=False) as session:
            row = await session.get(PageStateRow, 1)
            if row is not None and row.paused_since is not None:
                row.probe_at = utcnow()
