"""Announces Messenger reply-window changes: when a thread's window moves from standard to
human_agent (24 h after the customer's last message) or closes (7 days), a thread.updated event
goes out, so every client sees the change without polling.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select

from agent_desktop.core.reply_window import HUMAN_AGENT_WINDOW, STANDARD_WINDOW
from agent_desktop.server import services
from agent_desktop.server.context import ServerContext
from agent_desktop.server.convert import WINDOW_CHANNELS
from agent_desktop.server.models import ThreadRow, utcnow

log = logging.getLogger(__name__)

BOUNDARIES: tuple[timedelta, ...] = (STANDARD_WINDOW, HUMAN_AGENT_WINDOW)


async def announce_window_changes(ctx: ServerContext, since: datetime, until: datetime) -> int:
    """Emit thread.updated for each thread whose window changed state in (since, until]."""
    conditions = [
        and_(
            ThreadRow.last_customer_message_at > since - boundary,
            ThreadRow.last_customer_message_at <= until - boundary,
        )
        for boundary in BOUNDARIES
    ]
    query = select(ThreadRow.id).where(ThreadRow.channel.in_(WINDOW_CHANNELS), or_(*conditions))
    async with ctx.sessionmaker() as session:
        ids = list((await session.execute(query)).scalars())
    if not ids:
        return 0
    async with ctx.write() as session:
        for thread_id in ids:
            thread = await session.get(ThreadRow, thread_id)
            if thread is not None:
                await services.emit_thread(session, thread)
    return len(ids)


async def watch_windows(ctx: ServerContext, interval: float = 30.0) -> None:
    """Check every `interval` seconds until cancelled."""
    last = utcnow()
    while True:
        await asyncio.sleep(interval)
        now = utcnow()
        try:
            await announce_window_changes(ctx, last, now)
        except Exception:
            log.warning("could not announce reply-window changes", exc_info=True)
        last = now
