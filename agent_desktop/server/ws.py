"""`WS /api/v1/events`: hello → replay of stored events after the client's seq (or resync) → ready
→ live events; typing/viewing relayed to the other agents; ping answered with pong (SPEC §3).

The socket subscribes to the hub BEFORE reading the replay, and drops queued live events whose seq
was already replayed, so there is neither a gap nor a duplicate between replay and live.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from sqlalchemy import func, select

from agent_desktop.server.context import ServerContext
from agent_desktop.server.deps import principal_for_token
from agent_desktop.server.errors import server_time
from agent_desktop.server.hub import CLOSE_UNAUTHORIZED, Subscriber, event_for
from agent_desktop.server.models import EventRow

log = logging.getLogger(__name__)
router = APIRouter()

HELLO_TIMEOUT = 15.0
CLOSE_BAD_HELLO = 4400
REPLAY_BATCH = 500
EPHEMERAL = ("typing", "viewing")


async def _read_hello(ws: WebSocket) -> dict[str, Any] | None:
    try:
        raw = await asyncio.wait_for(ws.receive_text(), HELLO_TIMEOUT)
        hello = json.loads(raw)
    except (TimeoutError, ValueError, KeyError, RuntimeError, WebSocketDisconnect):
        return None  # no hello: silence, garbage, a binary frame, or the client already left
    if not isinstance(hello, dict) or hello.get("type") != "hello":
        return None
    return hello


async def _replay(ws: WebSocket, ctx: ServerContext, sub: Subscriber, after: int) -> int:
    """Send resync or the stored events after `after`; returns the last seq the client has."""
    async with ctx.sessionmaker() as session:
        low, high = (
            await session.execute(select(func.min(EventRow.seq), func.max(EventRow.seq)))
        ).one()
        low, high = int(low or 0), int(high or 0)
        if after > high or (low and after + 1 < low) or (not low and after > 0):
            await ws.send_json({"type": "resync"})
            return high
        last = after
        while True:
            rows = (
                await session.execute(
                    select(EventRow.seq, EventRow.name, EventRow.data)
                    .where(EventRow.seq > last)
                    .order_by(EventRow.seq)
                    .limit(REPLAY_BATCH)
                )
            ).all()
            for seq, name, data in rows:
                await ws.send_json(event_for(sub.agent_id, seq, name, data))
                last = seq
            if len(rows) < REPLAY_BATCH:
                return max(last, high)


async def _pump(ws: WebSocket, sub: Subscriber, last: int) -> None:
    """Send queued items; an int in the queue closes the socket with that code."""
    while True:
        item = await sub.queue.get()
        if isinstance(item, int):
            with contextlib.suppress(Exception):
                await ws.close(code=item)
            return
        if item.get("type") == "event":
            if item["seq"] <= last:
                continue
            last = item["seq"]
        await ws.send_json(item)


async def _listen(ws: WebSocket, ctx: ServerContext, sub: Subscriber) -> None:
    """Client → server: ping, typing/viewing; anything else is ignored."""
    while True:
        raw = await ws.receive_text()
        try:
            msg = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(msg, dict):
            continue
        kind = msg.get("type")
        if kind == "ping":
            sub.queue.put_nowait({"type": "pong", "server_time": server_time()})
        elif kind in EPHEMERAL:
            thread_id = msg.get("thread_id")
            if isinstance(thread_id, str) and 0 < len(thread_id) <= 100:
                ctx.relay_ephemeral(sub, str(kind), thread_id)


@router.websocket("/api/v1/events")
async def events(ws: WebSocket) -> None:
    ctx: ServerContext = ws.app.state.ctx
    await ws.accept()
    hello = await _read_hello(ws)
    if hello is None:
        with contextlib.suppress(Exception):
            await ws.close(code=CLOSE_BAD_HELLO, reason="expected hello")
        return
    token = hello.get("token")
    after = hello.get("after", 0)
    principal = None
    if not isinstance(token, str):
        token = ""
    if token:
        async with ctx.sessionmaker() as session:
            principal = await principal_for_token(session, token)
    if principal is None:
        with contextlib.suppress(Exception):
            await ws.close(code=CLOSE_UNAUTHORIZED, reason="invalid token")
        return
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        after = -1  # not a seq we can replay from: resync
    sub = ctx.hub.subscribe(principal.agent.id, principal.agent.name, principal.token_hash)
    tasks: list[asyncio.Task[None]] = []
    try:
        # A logout between the check above and subscribing would not have reached this socket.
        async with ctx.sessionmaker() as session:
            if await principal_for_token(session, token) is None:
                await ws.close(code=CLOSE_UNAUTHORIZED, reason="token revoked")
                return
        if after < 0:
            await ws.send_json({"type": "resync"})
            async with ctx.sessionmaker() as session:
                last = int((await session.execute(select(func.max(EventRow.seq)))).scalar() or 0)
        else:
            last = await _replay(ws, ctx, sub, after)
        await ws.send_json({"type": "ready", "seq": last, "server_time": server_time()})
        tasks = [
            asyncio.create_task(_pump(ws, sub, last)),
            asyncio.create_task(_listen(ws, ctx, sub)),
        ]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass  # the client went away
    finally:
        ctx.hub.unsubscribe(sub)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, Exception):
                await task
