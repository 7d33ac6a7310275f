"""Client integration tests: the store and connector against the real server, on a qasync loop,
with a loopback TCP proxy to break the connection on purpose."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.core.types import Thread
from agent_desktop.store.client_store import ClientStore
from tests.helpers.proxy import tcp_proxy_factory
from tests.helpers.qasync_loop import (
    collect_garbage_on_the_gui_thread,
    pytest_asyncio_loop_factories,
    qasync_loop,
    wait_for_condition,
)
from tests.helpers.server_fixtures import AGENT_EMAIL, PASSWORD, ServerProcess

__all__ = [
    "collect_garbage_on_the_gui_thread",
    "pytest_asyncio_loop_factories",
    "qasync_loop",
    "tcp_proxy_factory",
]

FAST: dict[str, Any] = {
    "retries": 2,
    "retry_base": 0.05,
    "reconnect_base": 0.1,
    "reconnect_cap": 1.0,
    "timeout": 5.0,
}


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


async def store_matches_server(store: ClientStore, reference: AgentApiBackend) -> bool:
    """The store's threads (and open conversation) equal what the server says right now."""
    expected = await all_threads(reference)
    ours = {k: v.model_dump(mode="json") for k, v in store.threads.items()}
    if ours != {k: v.model_dump(mode="json") for k, v in expected.items()}:
        return False
    conversation = store.conversation
    if conversation is not None:
        page = await reference.messages(conversation.thread_id, limit=200)
        server_ids = sorted(m.id for m in page.items)
        if sorted(m.id for m in conversation.messages) != server_ids:
            return False
    return True


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 20.0) -> None:
    """Retry an async check until it passes; fail with a clear message after `within` seconds."""
    import asyncio

    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"condition not reached within {within} s")
        await asyncio.sleep(0.1)


async def customer_writes(server_url: str, thread_id: str, text: str) -> dict[str, Any]:
    async with httpx.AsyncClient() as client:
        r = await client.post(
            f"{server_url}/api/v1/simulate/customer-message",
            json={"thread_id": thread_id, "text": text},
        )
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


StoreFactory = Callable[..., Awaitable[ClientStore]]


@pytest.fixture
async def make_store() -> AsyncIterator[StoreFactory]:
    """`await make_store(url, email=..., **backend_options)`: a started store, live; closed after."""
    made: list[ClientStore] = []

    async def make(
        url: str, email: str = AGENT_EMAIL, live: bool = True, **kwargs: Any
    ) -> ClientStore:
        backend = await signed_in(url, email, **kwargs)
        store = ClientStore(backend, agent_key=email, send_retry_base=0.1, send_retry_cap=0.5)
        made.append(store)
        await store.start()
        if live:
            await wait_for_condition(lambda: store.connection.state == "live", 20)
        return store

    yield make
    for store in made:
        await store.close()
        await store.backend.aclose()


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One test-seed server for a module whose tests do not stop it or depend on untouched data."""
    proc = ServerProcess(tmp_path_factory.mktemp("shared-server"), ("--seed-test",))
    proc.start()
    yield proc
    proc.stop()
