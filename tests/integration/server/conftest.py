"""Shared pieces of the reference-server tests: one seeded server for the session, shared by tests
that do not interfere (each makes its own customers and threads), tokens, a small websocket client.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.helpers.server_fixtures import (
    AGENT2_EMAIL,
    AGENT_EMAIL,
    LEAD_EMAIL,
    InProcessServer,
    ServerProcess,
    auth_headers,
    login,
)


@pytest.fixture(scope="session")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One seeded server for all the server tests (each test makes its own customers and threads)."""
    proc = InProcessServer(tmp_path_factory.mktemp("shared"), ("--seed-test",))
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture(scope="session")
def tokens(shared: ServerProcess) -> dict[str, str]:
    return {
        "agent": login(shared, AGENT_EMAIL),
        "agent2": login(shared, AGENT2_EMAIL),
        "lead": login(shared, LEAD_EMAIL),
    }


class Api:
    """A tiny synchronous client for one signed-in agent."""

    def __init__(self, server: ServerProcess, token: str | None) -> None:
        self.server = server
        self.token = token
        self.client = httpx.Client(base_url=server.api, timeout=10.0)

    def _headers(self) -> dict[str, str]:
        return auth_headers(self.token) if self.token else {}

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.client.get(path, params=params or None, headers=self._headers())

    def post(self, path: str, body: Any = None, **kw: Any) -> httpx.Response:
        return self.client.post(path, json=body, headers=self._headers(), **kw)

    def put(self, path: str, body: Any = None) -> httpx.Response:
        return self.client.put(path, json=body, headers=self._headers())

    def delete(self, path: str) -> httpx.Response:
        return self.client.delete(path, headers=self._headers())

    def close(self) -> None:
        self.client.close()


@pytest.fixture(scope="session")
def agent(shared: ServerProcess, tokens: dict[str, str]) -> Iterator[Api]:
    api = Api(shared, tokens["agent"])
    yield api
    api.close()


@pytest.fixture(scope="session")
def agent2(shared: ServerProcess, tokens: dict[str, str]) -> Iterator[Api]:
    api = Api(shared, tokens["agent2"])
    yield api
    api.close()


@pytest.fixture(scope="session")
def lead(shared: ServerProcess, tokens: dict[str, str]) -> Iterator[Api]:
    api = Api(shared, tokens["lead"])
    yield api
    api.close()


def new_thread(server: ServerProcess, text: str = "Hello", **kw: Any) -> dict[str, Any]:
    """A new customer writes: returns the new thread (as the API shows it)."""
    r = httpx.post(
        f"{server.api}/simulate/customer-message",
        json={"customer_name": f"Customer {uuid.uuid4().hex[:8]}", "text": text, **kw},
    )
    assert r.status_code == 201, r.text
    thread: dict[str, Any] = r.json()["thread"]
    return thread


def customer_writes(server: ServerProcess, thread_id: str, text: str, **kw: Any) -> dict[str, Any]:
    r = httpx.post(
        f"{server.api}/simulate/customer-message",
        json={"thread_id": thread_id, "text": text, **kw},
    )
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


class Stream:
    """A websocket client of /api/v1/events for tests."""

    def __init__(self, conn: ClientConnection) -> None:
        self.conn = conn

    @classmethod
    async def open(cls, server: ServerProcess, token: str, after: int = 0) -> Stream:
        conn = await connect(server.ws_url, open_timeout=10)
        await conn.send(json.dumps({"type": "hello", "token": token, "after": after}))
        return cls(conn)

    async def recv(self, wait: float = 10.0) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.conn.recv(), wait)
        data: dict[str, Any] = json.loads(raw)
        return data

    async def until_ready(self, wait: float = 10.0) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Messages before `ready` (replayed events, maybe resync), and the ready message."""
        before: list[dict[str, Any]] = []
        while True:
            msg = await self.recv(wait)
            if msg["type"] == "ready":
                return before, msg
            before.append(msg)

    async def next_event(self, name: str | None = None, wait: float = 10.0) -> dict[str, Any]:
        while True:
            msg = await self.recv(wait)
            if msg["type"] == "event" and (name is None or msg["name"] == name):
                return msg

    async def send(self, msg: dict[str, Any]) -> None:
        await self.conn.send(json.dumps(msg))

    async def close(self) -> None:
        await self.conn.close()
