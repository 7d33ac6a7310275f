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
import re
import socket
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from sqlalchemy import func, select
from starlette.types import ASGIApp, Receive, Scope, Send

from agent_desktop.server.accounts import ENDED
from agent_desktop.server.context import ServerContext
from agent_desktop.server.deps import check_token
from agent_desktop.server.errors import server_time
from agent_desktop.server.hub import CLOSE_UNAUTHORIZED, Subscriber, event_for, frame_text
from agent_desktop.server.models import EventRow

log = logging.getLogger(__name__)
router = APIRouter()

HELLO_TIMEOUT = 15.0
CLOSE_BAD_HELLO = 4400
REPLAY_BATCH = 500
EPHEMERAL = ("typing", "viewing")
CLOSE_TIMEOUT = 5.0  # seconds a close frame may wait for a peer that reads nothing
_THREAD_ID = re.compile(r"[A-Za-z0-9_.:-]{1,100}")


def abort_connection(scope: Scope) -> None:
    """Drop the connection under a websocket at once (no close handshake): for a peer that reads
    nothing, whose socket would otherwise stay open with its buffers until TCP gives up."""
    abort = scope.get(ABORT_KEY)
    if callable(abort):
        abort()


ABORT_KEY = "agent_desktop.abort"
# Bytes of kernel send buffer per websocket (Linux doubles it): ~2.6 MB/s at 100 ms RTT, far more
# than the stream needs; behind a reverse proxy the RTT is a fraction of a millisecond.
WS_SEND_BUFFER = 128 * 1024


class ConnectionAbort:
    """ASGI middleware (outermost) for websocket connections: puts the server's `transport.abort`
    into the scope (uvicorn's protocol object is the `send` it passes; ASGI has no abort of its
    own), and bounds the kernel's send buffer of the socket to WS_SEND_BUFFER. Linux otherwise lets
    it grow to 4 MB (`tcp_wmem`), and a peer that reads nothing would hold that much of the
    server's memory before the per-socket queue bound (hub.py) even starts counting."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            transport = getattr(getattr(send, "__self__", None), "transport", None)
            abort = getattr(transport, "abort", None)
            if callable(abort):
                scope[ABORT_KEY] = abort
            sock = transport.get_extra_info("socket") if transport is not None else None
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, WS_SEND_BUFFER)
        await self.app(scope, receive, send)


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
            await ws.send_text(frame_text({"type": "resync"}))
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
                await ws.send_text(frame_text(event_for(sub.agent_id, seq, name, data)))
                last = seq
            if len(rows) < REPLAY_BATCH:
                return max(last, high)


async def _send(ws: WebSocket, ctx: ServerContext, sub: Subscriber, token: str, after: int) -> None:
    """Everything the server sends on the socket: resync or replay, ready, then the live frames
    until the socket closes (a close code from the hub ends this task)."""
    # A logout between the check above and subscribing would not have reached this socket.
    again, ended = await check_token(ctx, token)
    if again is None:
        sub.close(CLOSE_UNAUTHORIZED, ENDED[ended][0])
        return
    if after < 0:
        await ws.send_text(frame_text({"type": "resync"}))
        async with ctx.sessionmaker() as session:
            last = int((await session.execute(select(func.max(EventRow.seq)))).scalar() or 0)
    else:
        last = await _replay(ws, ctx, sub, after)
    ready = {"type": "ready", "seq": last, "server_time": server_time()}
    await ws.send_text(frame_text(ready))
    while True:
        item = await sub.next()
        if isinstance(item, int):
            return
        seq, text = item
        if seq:
            if seq <= last:
                continue  # already replayed
            last = seq
        await ws.send_text(text)
        # A send into a socket whose peer is gone does not suspend: yield, so the loop notices
        # the lost connection (and the next send raises) instead of writing the whole queue into
        # a dead transport, one asyncio warning per frame.
        await asyncio.sleep(0)


async def _listen(ws: WebSocket, ctx: ServerContext, sub: Subscriber) -> None:
    """Client → server: ping, typing/viewing (rate-limited per socket); anything else is
    ignored."""
    while True:
        raw = await ws.receive_text()
        try:
            msg = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        if not isinstance(msg, dict):
            continue
        kind = msg.get("type")
        if kind == "ping":
            if sub.relay_due("", ""):
                sub.offer_ephemeral(frame_text({"type": "pong", "server_time": server_time()}))
        elif kind in EPHEMERAL:
            thread_id = msg.get("thread_id")
            if (
                isinstance(thread_id, str)
                and _THREAD_ID.fullmatch(thread_id)
                and sub.relay_due(str(kind), thread_id)
            ):
                ctx.relay_ephemeral(sub, str(kind), thread_id)


async def _close(ws: WebSocket, code: int, reason: str) -> None:
    """Close with `code`; a peer that reads nothing cannot even take the close frame, so after
    CLOSE_TIMEOUT the connection is dropped."""
    try:
        async with asyncio.timeout(CLOSE_TIMEOUT):
            await ws.close(code=code, reason=reason)
    except TimeoutError:
        abort_connection(ws.scope)
    except Exception:  # the peer is already gone
        pass


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
    if not isinstance(token, str):
        token = ""
    # The close reason says why a token does not work (accounts.ENDED: session_expired...).
    principal, ended = await check_token(ctx, token)
    if principal is None:
        with contextlib.suppress(Exception):
            await ws.close(code=CLOSE_UNAUTHORIZED, reason=ENDED[ended][0])
        return
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        after = -1  # not a seq we can replay from: resync
    sub = ctx.hub.subscribe(principal.agent.id, principal.agent.name, principal.token_hash)
    tasks = [
        asyncio.create_task(_send(ws, ctx, sub, token, after)),
        asyncio.create_task(_listen(ws, ctx, sub)),
        asyncio.create_task(sub.wait_closed()),
    ]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        ctx.hub.unsubscribe(sub)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, Exception):
                await task
    if sub.close_code is not None:
        await _close(ws, sub.close_code, sub.close_reason)
