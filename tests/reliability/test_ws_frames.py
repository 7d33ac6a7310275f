"""Malformed, oversized (10 MB) and non-UTF-8 websocket frames: sent to the reference SERVER (it
closes or ignores them, keeps serving everyone else), and fed to the CLIENT connector by a fake
loopback server (it logs and skips or reconnects, never raises, applies nothing bad)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import websockets
from websockets.asyncio.client import connect as ws_connect
from websockets.asyncio.server import ServerConnection, serve

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.backends.base import Ephemeral, Ready, StreamItem, StreamState
from agent_desktop.core.types import Event
from tests.helpers.server_fixtures import AGENT2_EMAIL, ServerProcess, login
from tests.reliability.conftest import customer_writes

TEN_MB = 10 * 1024 * 1024
NON_UTF8 = b"\xff\xfe\xc3\x28 invalid \xa0\xa1"

# (label, how to send it): a text frame, or a binary one
BAD_FRAMES: list[tuple[str, str | bytes, bool]] = [
    ("not json", "{not json", True),
    ("json array", "[1, 2, 3]", True),
    ("json null", "null", True),
    ("wrong types", '{"type": 5, "thread_id": {"x": []}}', True),
    ("typing without thread", '{"type": "typing"}', True),
    ("typing with a huge thread id", json.dumps({"type": "typing", "thread_id": "x" * 5000}), True),
    ("deep nesting", "[" * 100_000 + "]" * 100_000, True),
    ("non-UTF-8 binary", NON_UTF8, False),
    ("non-UTF-8 text", NON_UTF8, True),
    ("10 MB text", json.dumps({"type": "ping", "pad": "x" * TEN_MB}), True),
    ("10 MB binary", b"\x00" * TEN_MB, False),
]


async def send_raw(ws: Any, payload: str | bytes, text: bool) -> None:
    """Send a frame as-is: bytes in a TEXT frame are not checked for UTF-8 on the way out."""
    data = payload.encode() if isinstance(payload, str) else payload
    await ws.send(data, text=text)


async def hello(ws: Any, token: str) -> None:
    await ws.send(json.dumps({"type": "hello", "token": token, "after": 0}))
    async with asyncio.timeout(10):
        async for raw in ws:
            if json.loads(raw).get("type") == "ready":
                return


async def server_still_serves(server: ServerProcess, token: str) -> None:
    """Health answers, and a fresh client gets ready and then a live event."""
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"{server.api}/health")).status_code == 200
    async with ws_connect(server.ws_url, max_size=None) as ws:
        await hello(ws, token)
        await customer_writes(server.url, "t_noah", "Toujours là ?")
        async with asyncio.timeout(10):
            async for raw in ws:
                if json.loads(raw).get("type") == "event":
                    break


@pytest.mark.slow
async def test_server_closes_or_ignores_bad_frames_and_keeps_serving(server: ServerProcess) -> None:
    token = login(server, AGENT2_EMAIL)
    outcomes: dict[str, str] = {}
    for label, payload, text in BAD_FRAMES:
        for stage in ("before hello", "after ready"):
            async with ws_connect(server.ws_url, max_size=None, close_timeout=2) as ws:
                if stage == "after ready":
                    await hello(ws, token)
                await send_raw(ws, payload, text)
                # The server either closes the socket or ignores the frame and still answers.
                await ws.send(json.dumps({"type": "ping"}))
                try:
                    async with asyncio.timeout(10):
                        async for raw in ws:
                            if json.loads(raw).get("type") == "pong":
                                outcomes[f"{label} {stage}"] = "ignored"
                                break
                except websockets.ConnectionClosed:
                    outcomes[f"{label} {stage}"] = f"closed {ws.close_code}"
            assert server.running, f"the server died on {label} {stage}"
            assert f"{label} {stage}" in outcomes, f"no answer after {label} {stage}"
    # Before hello every bad frame ends the socket (bad hello: 4400; bad UTF-8: 1007; too big: 1009).
    assert all(v.startswith("closed") for k, v in outcomes.items() if k.endswith("before hello"))
    await server_still_serves(server, token)
    # uvicorn logs the invalid UTF-8 it refused (1007) with a traceback of its own; none of ours.
    assert "agent_desktop/server/" not in server.log_text()


# --- the client connector ------------------------------------------------------------------------

GOOD_EVENT = {
    "type": "event",
    "seq": 1,
    "name": "agent.presence",
    "data": {
        "agent": {
            "id": "a1",
            "name": "Amélie",
            "email": "a@x.test",
            "role": "agent",
            "presence": "away",
        }
    },
}


class FakeEvents:
    """A loopback websocket server speaking the event stream: the first connection gets one bad
    frame among good ones, later connections only good ones."""

    def __init__(self, payload: str | bytes, text: bool) -> None:
        self.payload = payload
        self.text = text
        self.connections = 0

    async def handle(self, ws: ServerConnection) -> None:
        self.connections += 1
        await ws.recv()  # hello
        await ws.send(
            json.dumps({"type": "ready", "seq": 0, "server_time": "2026-03-20T12:00:00Z"})
        )
        if self.connections == 1:
            await send_raw(ws, self.payload, self.text)
        await ws.send(json.dumps(GOOD_EVENT))
        await ws.wait_closed()


@pytest.fixture
async def fake_events(request: pytest.FixtureRequest) -> AsyncIterator[tuple[FakeEvents, str]]:
    _label, payload, text = request.param
    fake = FakeEvents(payload, text)
    async with serve(fake.handle, "127.0.0.1", 0, max_size=None) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        yield fake, f"http://127.0.0.1:{port}"


@pytest.mark.parametrize(
    "fake_events", BAD_FRAMES, indirect=True, ids=[label for label, _, _ in BAD_FRAMES]
)
async def test_client_skips_or_reconnects_on_bad_frames_and_applies_nothing_bad(
    fake_events: tuple[FakeEvents, str], caplog: pytest.LogCaptureFixture
) -> None:
    fake, url = fake_events
    caplog.set_level(logging.INFO, logger="agent_desktop")
    backend = AgentApiBackend(url, token="t", reconnect_base=0.05, reconnect_cap=0.2, timeout=5)
    items: list[StreamItem] = []
    try:
        async with asyncio.timeout(20), contextlib.aclosing(backend.stream(0)) as stream:
            async for item in stream:
                items.append(item)
                if isinstance(item, Event):
                    backend.ack(item.seq)
                    break
    finally:
        await backend.aclose()
    events = [i for i in items if isinstance(i, Event)]
    assert [(e.seq, e.name) for e in events] == [(1, "agent.presence")]  # the good one, once
    assert any(isinstance(i, Ready) for i in items)
    states = [i.state for i in items if isinstance(i, StreamState)]
    assert "signed_out" not in states
    if fake.connections > 1:
        assert "reconnecting" in states  # the connection was dropped, then resumed
    elif not any(isinstance(i, Ephemeral) for i in items):
        assert any("Skipped" in r.getMessage() for r in caplog.records)  # logged and skipped
