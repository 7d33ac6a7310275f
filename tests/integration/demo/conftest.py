"""Fixtures for the demo tests: a demo database seeded once per module (read with SQL), and
the real server running in this process on a free loopback port, so a test can drive the
simulator while a websocket client listens.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
import uvicorn
from websockets.asyncio.client import ClientConnection, connect

from agent_desktop.server.app import create_app
from agent_desktop.server.context import ServerConfig, ServerContext, open_context
from agent_desktop.server.demo.seed import seed_demo
from agent_desktop.server.runner import prepare
from tests.helpers import dbquery
from tests.helpers.postgres import server_database_url


@dataclass
class SeededDemo:
    url: str
    media_dir: Path
    first: dict[str, Any]
    second: dict[str, Any]

    def db(self) -> Any:
        """A connection shaped like sqlite3's, on SQLite or PostgreSQL (tests/helpers/dbquery)."""
        return dbquery.connect(self.url)


async def _seed_twice(url: str, media: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    ctx = await open_context(ServerConfig(database_url=url, media_dir=media))
    try:
        first = await seed_demo(ctx)
        second = await seed_demo(ctx)
    finally:
        await ctx.aclose()
    return first, second


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeededDemo]:
    """The default demo seed on a temporary database, seeded twice (the second does nothing)."""
    folder = tmp_path_factory.mktemp("demo-seed")
    url, media = server_database_url(folder), folder / "media"
    first, second = asyncio.run(_seed_twice(url, media))
    yield SeededDemo(url, media, first, second)


@dataclass
class LiveDemo:
    ctx: ServerContext
    url: str

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/api/v1/events"

    async def login(self, email: str = "agent@demo.test", password: str = "demo") -> str:
        async with httpx.AsyncClient(base_url=self.url) as client:
            r = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert r.status_code == 201, r.text
        token: str = r.json()["token"]
        return token


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def live_demo(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveDemo]:
    """The reference server with the demo seed (simulator off), served in this process, shared by
    a module's tests (which run in the module's event loop)."""
    tmp_path = tmp_path_factory.mktemp("live-demo")
    config = ServerConfig(
        host="127.0.0.1",
        port=0,
        database_url=server_database_url(tmp_path),
        demo=True,
        simulate=0,
        media_dir=tmp_path / "media",
    )
    ctx = await prepare(config)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(ctx),
            host="127.0.0.1",
            port=0,
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws="websockets-sansio",
            ws_ping_interval=None,
        )
    )
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            assert not task.done(), "the server did not start"
            await asyncio.sleep(0.02)
        port = next(s.getsockname()[1] for srv in server.servers for s in srv.sockets)
        yield LiveDemo(ctx, f"http://127.0.0.1:{port}")
    finally:
        ctx.hub.close_all()
        server.should_exit = True
        await task
        await ctx.aclose()


class Events:
    """A websocket client of the live stream."""

    def __init__(self, conn: ClientConnection) -> None:
        self.conn = conn

    @classmethod
    async def open(cls, demo: LiveDemo, token: str) -> Events:
        conn = await connect(demo.ws_url, open_timeout=10)
        await conn.send(json.dumps({"type": "hello", "token": token, "after": 0}))
        events = cls(conn)
        while (await events.recv())["type"] != "ready":
            pass
        return events

    async def recv(self, wait: float = 10.0) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(await asyncio.wait_for(self.conn.recv(), wait))
        return data

    async def next(self, name: str, wait: float = 10.0) -> dict[str, Any]:
        """The next stored event called `name` (others are skipped)."""
        while True:
            msg = await self.recv(wait)
            if msg.get("type") == "event" and msg.get("name") == name:
                return msg

    async def close(self) -> None:
        await self.conn.close()
