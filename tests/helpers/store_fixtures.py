"""Shared helpers for tests that run the client store against the real reference server.

Use from a conftest.py: `from tests.helpers.store_fixtures import make_store` (the fixture) and
import the helpers where needed:

    FAST              connector options for tests: quick retries and reconnects, short timeouts
    signed_in(url)    a signed-in AgentApiBackend (FAST options, overridable)
    all_threads / all_messages   every thread / every message of a thread, through every page
    eventually(check) retry an async check until it passes, failing after `within` seconds
    customer_writes   a customer message through the simulate endpoint (Messenger's way in)
    make_store        fixture: `await make_store(url, email=..., live=True, clock=None,
                      send_attempt_timeout=90.0, **backend_options)`
                      → a started ClientStore (live by default); closed after the test
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.core.types import Message, Thread
from agent_desktop.store.client_store import ClientStore
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import AGENT_EMAIL, PASSWORD

FAST: dict[str, Any] = {
    "retries": 2,
    "retry_base": 0.05,
    "reconnect_base": 0.1,
    "reconnect_cap": 0.5,
    "timeout": 5.0,
}

StoreFactory = Callable[..., Awaitable[ClientStore]]


async def signed_in(url: str, email: str = AGENT_EMAIL, **kwargs: Any) -> AgentApiBackend:
    backend = AgentApiBackend(url, **{**FAST, **kwargs})
    await backend.login(email, PASSWORD)
    return backend


async def all_threads(backend: AgentApiBackend) -> dict[str, Thread]:
    found: dict[str, Thread] = {}
    cursor: str | None = None
    while True:
        page = await backend.threads(limit=200, cursor=cursor)
        found.update((t.id, t) for t in page.items)
        cursor = page.next_cursor
        if not cursor:
            return found


async def all_messages(backend: AgentApiBackend, thread_id: str) -> list[Message]:
    """Every message of a thread, oldest first, through every page."""
    out: list[Message] = []
    before: str | None = None
    while True:
        page = await backend.messages(thread_id, before=before, limit=200)
        out.extend(page.items)
        if not page.has_more or not page.items:
            return list(reversed(out))
        before = page.items[-1].id


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 20.0) -> None:
    """Retry an async check until it passes; fail with a clear message after `within` seconds
    (a check that hangs counts against the same bound)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        try:
            async with asyncio.timeout_at(deadline):
                if await check():
                    return
                await asyncio.sleep(0.1)
        except TimeoutError:
            pytest.fail(f"condition not reached within {within} s")


async def customer_writes(server_url: str, thread_id: str, text: str) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=10.0) as client:
        r = await client.post(
            f"{server_url}/api/v1/simulate/customer-message",
            json={"thread_id": thread_id, "text": text},
        )
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


@pytest.fixture
async def make_store() -> AsyncIterator[StoreFactory]:
    """`await make_store(url, email=..., live=True, clock=None, send_attempt_timeout=90.0,
    **backend_options)`: a started
    store (live unless `live=False`); every store is closed, then its backend, after the test."""
    made: list[ClientStore] = []

    async def make(
        url: str,
        email: str = AGENT_EMAIL,
        live: bool = True,
        clock: Any = None,
        send_attempt_timeout: float = 90.0,
        **kwargs: Any,
    ) -> ClientStore:
        backend = await signed_in(url, email, **kwargs)
        store = ClientStore(
            backend,
            agent_key=email,
            clock=clock,
            send_retry_base=0.1,
            send_retry_cap=0.5,
            send_attempt_timeout=send_attempt_timeout,
        )
        made.append(store)
        await store.start()
        if live:
            await wait_for_condition(lambda: store.connection.state == "live", 20)
        return store

    yield make
    for store in made:
        async with asyncio.timeout(30):  # a store that cannot stop fails the test, never hangs
            await store.close()
            await store.backend.aclose()
