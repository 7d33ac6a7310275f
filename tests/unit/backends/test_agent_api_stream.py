"""The connector's event stream against a small in-process websocket server on loopback: hello with
the acknowledged seq, bad frames skipped, reconnect with backoff, resync, and 4401 → signed out."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from websockets.asyncio.server import Server, ServerConnection, serve

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.backends.agent_api_stream import MAX_FRAME_BYTES
from agent_desktop.backends.base import Ready, Resync, StreamItem, StreamState
from agent_desktop.core.types import Event

NOW = "2026-03-20T12:00:00Z"


def event(seq: int) -> str:
    return json.dumps({"type": "event", "seq": seq, "name": "thread.updated", "data": {}})


class Script:
    """Each connection runs the next scripted session; hellos are recorded."""

    def __init__(self, sessions: list[Any]) -> None:
        self.sessions = sessions
        self.hellos: list[dict[str, Any]] = []

    async def handler(self, ws: ServerConnection) -> None:
        self.hellos.append(json.loads(await ws.recv()))
        session = self.sessions.pop(0)
        await session(ws)


@pytest.fixture
async def script_server() -> AsyncIterator[tuple[Script, Server, str]]:
    script = Script([])
    async with serve(script.handler, "127.0.0.1", 0, max_size=None) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        yield script, server, f"http://127.0.0.1:{port}"


async def collect_until(stream: AsyncIterator[StreamItem], stop: Any) -> list[StreamItem]:
    items: list[StreamItem] = []
    async with asyncio.timeout(20):
        async for item in stream:
            items.append(item)
            if stop(item):
                return items
    return items


async def test_stream_skips_bad_frames_resumes_after_ack_and_stops_on_4401(
    script_server: tuple[Script, Server, str],
) -> None:
    script, _server, url = script_server

    async def first(ws: ServerConnection) -> None:
        await ws.send(json.dumps({"type": "ready", "seq": 2, "server_time": NOW}))
        await ws.send("not json")
        await ws.send("[1, 2]")
        await ws.send(json.dumps({"type": "event", "seq": "three"}))
        await ws.send(json.dumps({"type": "event", "seq": 9, "data": "x" * MAX_FRAME_BYTES}))
        await ws.send(json.dumps({"type": "typing", "thread_id": "t1", "agent_id": "a2"}))
        await ws.send(event(3))
        await ws.send(event(4))
        await asyncio.sleep(0.2)
        await ws.close(1011, "server going away")

    async def second(ws: ServerConnection) -> None:
        await ws.send(json.dumps({"type": "ready", "seq": 4}))
        await asyncio.sleep(0.1)
        await ws.close(4401, "token revoked")

    script.sessions = [first, second]
    backend = AgentApiBackend(url, token="secret", reconnect_base=0.05, reconnect_cap=0.2)
    stream = backend.stream(1)
    try:
        items = await collect_until(stream, lambda i: isinstance(i, Event) and i.seq == 3)
        backend.ack(3)  # the consumer applied 3 but not 4 when the link broke
        items += await collect_until(
            stream, lambda i: isinstance(i, StreamState) and i.state == "signed_out"
        )
    finally:
        await stream.aclose()  # type: ignore[attr-defined]
        await backend.aclose()
    kinds = [i.state if isinstance(i, StreamState) else type(i).__name__ for i in items]
    assert kinds == [
        "connecting",
        "Ready",
        "live",
        "Ephemeral",
        "Event",
        "Event",
        "reconnecting",
        "connecting",
        "Ready",
        "live",
        "signed_out",
    ]
    assert [i.seq for i in items if isinstance(i, Event)] == [3, 4]
    assert [h["after"] for h in script.hellos] == [1, 3]
    assert all(
        h == {"type": "hello", "token": "secret", "after": h["after"]} for h in script.hellos
    )
    reconnecting = next(
        i for i in items if isinstance(i, StreamState) and i.state == "reconnecting"
    )
    assert reconnecting.retry_in is not None and 0 < reconnecting.retry_in <= 0.2
    assert reconnecting.error


async def test_resync_then_resume_from_the_servers_seq(
    script_server: tuple[Script, Server, str],
) -> None:
    script, _server, url = script_server

    async def resync(ws: ServerConnection) -> None:
        await ws.send(json.dumps({"type": "resync"}))
        await ws.send(json.dumps({"type": "ready", "seq": 7}))
        await asyncio.sleep(0.1)
        await ws.close(1011)

    async def after_resync(ws: ServerConnection) -> None:
        await ws.send(json.dumps({"type": "ready", "seq": 7}))
        await ws.wait_closed()

    script.sessions = [resync, after_resync]
    backend = AgentApiBackend(url, token="t", reconnect_base=0.05, reconnect_cap=0.1)
    stream = backend.stream(500)
    try:
        items = await collect_until(stream, lambda i: isinstance(i, Ready))
        assert any(isinstance(i, Resync) for i in items)
        await collect_until(stream, lambda i: isinstance(i, Ready))
    finally:
        await stream.aclose()  # type: ignore[attr-defined]
        await backend.aclose()
    assert [h["after"] for h in script.hellos] == [500, 7]


async def test_unreachable_server_backs_off_with_growing_delays() -> None:
    backend = AgentApiBackend(
        "http://127.0.0.1:9", token="t", reconnect_base=0.01, reconnect_cap=0.08
    )
    stream = backend.stream(0)
    delays: list[float] = []
    try:
        async with asyncio.timeout(20):
            async for item in stream:
                if isinstance(item, StreamState) and item.state == "reconnecting":
                    assert item.retry_in is not None
                    delays.append(item.retry_in)
                    if len(delays) == 6:
                        break
    finally:
        await stream.aclose()  # type: ignore[attr-defined]
        await backend.aclose()
    assert delays[0] < delays[2] < delays[4]  # doubling beats the ±20 % jitter
    assert max(delays) <= 0.08
