"""Announces Messenger reply-window changes: when a thread's window moves from standard to
human_agent (24 h after the customer's last message, or at the end of a Click-to-Messenger ad's
longer standard window) or closes (7 days), a thread.updated event goes out, so every client sees
the change without polling.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.core.reply_window import HUMAN_AGENT_WINDOW, STANDARD_WINDOW
from agent_desktop.server import services
from agent_desktop.server.context import ServerContext
from agent_desktop.server.convert import WINDOW_CHANNELS
from agent_desktop.server.models import ThreadRow, utcnow

log = logging.getLogger(__name__)

BOUNDARIES: tuple[timedelta, ...] = (STANDARD_WINDOW, HUMAN_AGENT_WINDOW)


# The end of the last checked interval, kept in the database: the job runs on one instance at a
# time (server/cluster.py) and the next one to run it continues from there, so no change is
# announced twice or missed when the job moves.
CHECKED_UNTIL = "reply_windows_checked_until"
LONGEST = max(BOUNDARIES)


def _changed_between(since: datetime, until: datetime) -> Any:
    conditions = [
        and_(
            ThreadRow.last_customer_message_at > since - boundary,
            ThreadRow.last_customer_message_at <= until - boundary,
        )
        for boundary in BOUNDARIES
    ]
    # A longer standard window (a Click-to-Messenger ad's) ends at its own time.
    conditions.append(
        and_(
            ThreadRow.standard_window_until > since,
            ThreadRow.standard_window_until <= until,
        )
    )
    return select(ThreadRow.id).where(ThreadRow.channel.in_(WINDOW_CHANNELS), or_(*conditions))


async def announce_window_changes(ctx: ServerContext, since: datetime, until: datetime) -> int:
    """Emit thread.updated for each thread whose window changed state in (since, until]."""
    async with ctx.write() as session:
        return await _announce(session, since, until)


async def _announce(session: AsyncSession, since: datetime, until: datetime) -> int:
    ids = list((await session.execute(_changed_between(since, until))).scalars())
    for thread_id in ids:
        thread = await session.get(ThreadRow, thread_id)
        if thread is not None:
            await services.emit_thread(session, thread)
    return len(ids)


async def check_windows(ctx: ServerContext) -> int:
    """Announce the changes since the last check (by any instance), and record this one."""
    async with ctx.write() as session:
        now = utcnow()
        stored = await services.get_meta(session, CHECKED_UNTIL)
        since = datetime.fromisoformat(stored) if stored else now
        # After a long stop, changes older than the longest window are no longer news.
        since = min(max(since, now - LONGEST), now)
        count = await _announce(session, since, now) if since < now else 0
        await services.set_meta(session, CHECKED_UNTIL, now.isoformat())
    return count


async def watch_windows(ctx: ServerContext, interval: float = 30.0) -> None:
    """Check every `interval` seconds until cancelled (run as the `reply-windows` job)."""
    await check_windows(ctx)  # a new holder of the job catches up at once
    while True:
        await asyncio.sleep(interval)
        try:
            await check_windows(ctx)
        except Exception:
            log.warning("could not announce reply-window changes", exc_info=True)
