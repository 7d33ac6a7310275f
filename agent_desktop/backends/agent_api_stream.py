"""The Agent API's event stream (SPEC §3): one websocket that says hello with the token and the
last seq the consumer acknowledged, yields the server's events, `ready`, `resync` and the
ephemeral signals (typing, viewing), and reconnects by itself with backoff, asking `/health`
every second meanwhile so a server that comes back is reached within ~2 s. A sign-out (close code
4401, or HTTP 401/403) ends it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

from agent_desktop.backends.agent_api_client import AgentApiClient, parse_time
from agent_desktop.backends.agent_api_http import API, parse_model
from agent_desktop.backends.base import Ephemeral as EphemeralItem
from agent_desktop.backends.base import (
    ProtocolError,
    Ready,
    Resync,
    StreamItem,
    StreamState,
)
from agent_desktop.backends.tls import tls_context
from agent_desktop.core.types import EPHEMERAL_NAMES, Event

log = logging.getLogger("agent_desktop.backends.agent_api")
# websockets logs every frame at DEBUG, the hello frame (with the token) included: its logger for
# the event stream stays at INFO whatever the application's level.
_ws_log = logging.getLogger("agent_desktop.backends.agent_api.websocket")
_ws_log.setLevel(logging.INFO)

MAX_FRAME_BYTES = 2 * 1024 * 1024  # larger frames are logged and skipped
SIGNED_OUT_CODE = 4401
# What one read of the socket takes at most. asyncio reads 256 KiB at once: a burst of queued
# events (a client resumed after a sleep, a reconnection's replay) came as ~430 frames parsed in
# one callback, 26 ms without a paint; 64 KiB keeps each read's callback to a quarter of that.
READ_CHUNK = 64 * 1024
# While the stream waits to reconnect, the server is asked this often whether it answers again.
PROBE_INTERVAL = 1.0


def _signed_out_sentence() -> str:
    return "Your session has ended; please sign in again."


class AgentApiStream(AgentApiClient):
    """The event stream of the Agent API connector (`AgentApiBackend` inherits it)."""

    def ack(self, seq: int) -> None:
        """Tell the stream the last seq applied, so a reconnect resumes after it."""
        self._acked = max(self._acked, seq)

    @property
    def resume_seq(self) -> int:
        """The seq the next (re)connection asks to resume after."""
        return self._acked

    def _ws_url(self) -> str:
        parts = urlsplit(self._base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        return f"{scheme}://{parts.netloc}{parts.path}{API}/events"

    async def stream(self, after: int) -> AsyncIterator[StreamItem]:
        """The live event stream from `after` (see the Backend protocol); ends on sign-out."""
        # Imported here, when the stream opens, not with the connector: the start does not need
        # it before the first page of threads is on screen (~20 ms).
        import websockets
        from websockets.asyncio.client import connect as ws_connect

        self._acked = max(self._acked, after)
        attempt = 0
        yield StreamState("connecting")
        while not self._closed:
            error = "The connection to the backend was lost."
            try:
                async with ws_connect(
                    self._ws_url(),
                    open_timeout=self._timeout,
                    ping_interval=self._ping_interval,
                    ping_timeout=self._ping_timeout,
                    close_timeout=2,
                    max_size=MAX_FRAME_BYTES * 4,
                    proxy=None if self._loopback else True,
                    user_agent_header="AgentDesktop/0.1",
                    logger=_ws_log,
                    # wss:// trusts what HTTP trusts (websockets would take the system's CAs).
                    ssl=tls_context() if self._https else None,
                ) as ws:
                    self._ws = ws
                    read_in_chunks(ws.transport)
                    hello = {"type": "hello", "token": self._token or "", "after": self._acked}
                    await ws.send(json.dumps(hello))
                    resynced = False
                    async for raw in ws:
                        item = self._frame(raw)
                        if item is None:
                            continue
                        if isinstance(item, Resync):
                            resynced = True
                        if isinstance(item, Ready):
                            attempt = 0
                            if resynced:  # our seq meant nothing to the server: start from its own
                                self._acked = item.seq
                            yield item
                            yield StreamState("live")
                        else:
                            yield item
                    if ws.close_code == SIGNED_OUT_CODE:
                        why = ws.close_reason or "unauthorized"
                        yield StreamState("signed_out", error=_signed_out_sentence(), code=why)
                        return
            except websockets.ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd is not None else None
                if code == SIGNED_OUT_CODE:
                    why = (exc.rcvd.reason if exc.rcvd is not None else "") or "unauthorized"
                    yield StreamState("signed_out", error=_signed_out_sentence(), code=why)
                    return
                log.info("Event stream closed (code %s)", code)
            except websockets.InvalidStatus as exc:
                status = exc.response.status_code
                if status in (401, 403):
                    yield StreamState(
                        "signed_out", error=_signed_out_sentence(), code="unauthorized"
                    )
                    return
                error = f"The backend refused the live connection (HTTP {status})."
                log.info("Event stream refused: HTTP %s", status)
            except (OSError, TimeoutError, websockets.WebSocketException) as exc:
                log.info("Event stream failed: %s", type(exc).__name__)
                error = f"Cannot reach the backend at {self._base_url}."
            finally:
                self._ws = None
            if self._closed:
                return
            delay = self._reconnect.delay(attempt)
            attempt += 1
            yield StreamState("reconnecting", retry_in=delay, error=error)
            await self._wait_or_answer(delay)
            yield StreamState("connecting")

    async def _wait_or_answer(self, delay: float) -> None:
        """Wait `delay` seconds before connecting again, or less: the server's health check is
        asked every PROBE_INTERVAL seconds meanwhile, and once it answers the stream connects,
        so a server that comes back is reached within ~2 s, not at the end of a long backoff."""
        loop = asyncio.get_running_loop()
        end = loop.time() + delay
        while not self._closed:
            left = end - loop.time()
            if left <= 0:
                return
            await asyncio.sleep(min(PROBE_INTERVAL, left))
            if end - loop.time() <= 0 or await self._answers():
                return

    async def _answers(self) -> bool:
        """Whether the server answers its health check (200: up, its database reachable)."""
        import httpx  # loaded already: the connector's requests use it

        try:
            response = await asyncio.wait_for(self._http.get(f"{API}/health"), PROBE_INTERVAL)
        except (OSError, TimeoutError, RuntimeError, httpx.HTTPError):
            return False
        return response.status_code == 200

    def _frame(self, raw: str | bytes) -> Event | Ready | Resync | EphemeralItem | None:
        """Decode one websocket frame; an invalid frame is logged and skipped (None)."""
        if len(raw) > MAX_FRAME_BYTES:
            log.warning("Skipped an oversized event frame (%d bytes)", len(raw))
            return None
        try:
            frame = json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: nested too deep to decode
            log.warning("Skipped an event frame that is not JSON")
            return None
        if not isinstance(frame, dict):
            log.warning("Skipped an event frame that is not an object")
            return None
        kind = frame.get("type")
        try:
            if kind == "event":
                return parse_model(Event, frame, what="event")
            if kind == "ready":
                seq = frame.get("seq")
                if not isinstance(seq, int) or isinstance(seq, bool):
                    raise ProtocolError("ready without seq")
                server_time = parse_time(frame.get("server_time"))
                if server_time is not None:
                    self._clock_offset = server_time.timestamp() - time.time()
                return Ready(seq=seq, server_time=server_time)
            if kind == "resync":
                return Resync()
            if kind == "pong":
                return None
            if kind == "ephemeral" and isinstance(frame.get("name"), str):
                data = frame.get("data")
                return EphemeralItem(
                    name=frame["name"], data=data if isinstance(data, dict) else {}
                )
            if kind in EPHEMERAL_NAMES:
                data = frame.get("data")
                if not isinstance(data, dict):
                    data = {k: v for k, v in frame.items() if k != "type"}
                return EphemeralItem(name=str(kind), data=data)
        except ProtocolError:
            log.warning("Skipped a malformed %r frame", kind)
            return None
        log.info("Skipped an event frame of unknown type %r", kind)
        return None

    async def send_ephemeral(self, name: str, data: dict[str, Any]) -> None:
        """Send `typing` / `viewing` on the open stream (dropped silently when offline)."""
        ws = self._ws
        if ws is None:
            return
        import websockets  # imported by `stream`, which opened `ws`

        try:
            await ws.send(json.dumps({"type": name, "data": data, **data}))
        except (websockets.WebSocketException, OSError):
            log.debug("Dropped an ephemeral %s signal: stream not connected", name)


def read_in_chunks(transport: object) -> None:
    """Let `transport` read at most READ_CHUNK bytes per callback: asyncio's plain socket
    transports read `max_size` bytes at once (a TLS transport reads its own records: left)."""
    if isinstance(getattr(transport, "max_size", None), int):
        transport.max_size = READ_CHUNK  # type: ignore[attr-defined]
