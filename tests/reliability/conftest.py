"""Reliability tests: faults injected between the client and the real server (a loopback proxy that
cuts, black-holes and delays; SIGKILL and restart of the server; a skewed clock; a locked or full
local database), bad input fed to every parser, and the security properties. Async tests run on a
qasync loop, as in the app.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.core.types import Message, Thread
from agent_desktop.store.client_store import ClientStore
from tests.helpers.faults import fault_proxy_factory
from tests.helpers.qasync_loop import (
    collect_garbage_on_the_gui_thread,
    pytest_asyncio_loop_factories,
    qasync_loop,
    wait_for_condition,
)
from tests.helpers.server_fixtures import AGENT_EMAIL, PASSWORD, ServerProcess

__all__ = [
    "collect_garbage_on_the_gui_thread",
    "fault_proxy_factory",
    "pytest_asyncio_loop_factories",
    "qasync_loop",
]

FAST: dict[str, Any] = {
    "retries": 2,
    "retry_base": 0.05,
    "reconnect_base": 0.1,
    "reconnect_cap": 0.5,
    "timeout": 4.0,
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


async def client_id_counts(backend: AgentApiBackend, thread_ids: list[str]) -> Counter[str]:
    """How many stored messages carry each client_id, over the given threads."""
    counts: Counter[str] = Counter()
    for thread_id in thread_ids:
        for m in await all_messages(backend, thread_id):
            if m.client_id:
                counts[m.client_id] += 1
    return counts


async def store_equals_server(store: ClientStore, reference: AgentApiBackend) -> bool:
    """The store's threads and open conversation equal what the server says right now, and the
    server holds no message twice."""
    expected = await all_threads(reference)
    ours = {k: v.model_dump(mode="json") for k, v in store.threads.items()}
    if ours != {k: v.model_dump(mode="json") for k, v in expected.items()}:
        return False
    conversation = store.conversation
    if conversation is not None:
        server_messages = await all_messages(reference, conversation.thread_id)
        server_ids = [m.id for m in server_messages]
        if len(set(server_ids)) != len(server_ids):
            return False
        shown = [m.id for m in conversation.messages]
        if len(set(shown)) != len(shown) or not set(shown) <= set(server_ids):
            return False
        if shown != server_ids[-len(shown) :]:
            return False
    return True


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await check():
        if loop.time() > deadline:
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


@pytest.fixture(scope="package")
def rel_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One test-seed server (a subprocess, so it can be SIGKILLed and restarted on the same
    database and port) for the whole reliability area; tests leave it running."""
    proc = ServerProcess(tmp_path_factory.mktemp("reliability-server"), ("--seed-test",))
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture
def server(rel_server: ServerProcess) -> ServerProcess:
    """The shared reliability server, started again if a test left it stopped."""
    if not rel_server.running:
        rel_server.start()
    return rel_server


StoreFactory = Callable[..., Awaitable[ClientStore]]


@pytest.fixture
async def make_store() -> AsyncIterator[StoreFactory]:
    """`await make_store(url, email=..., live=True, clock=None, **backend_options)`."""
    made: list[ClientStore] = []

    async def make(
        url: str,
        email: str = AGENT_EMAIL,
        live: bool = True,
        clock: Any = None,
        **kwargs: Any,
    ) -> ClientStore:
        backend = await signed_in(url, email, **kwargs)
        store = ClientStore(
            backend, agent_key=email, clock=clock, send_retry_base=0.1, send_retry_cap=0.5
        )
        made.append(store)
        await store.start()
        if live:
            await wait_for_condition(lambda: store.connection.state == "live", 20)
        return store

    yield make
    for store in made:
        await store.close()
        await store.backend.aclose()


@pytest.fixture
async def window_store(
    qtbot: Any, server: ServerProcess, make_store: StoreFactory
) -> AsyncIterator[tuple[Any, ClientStore]]:
    from agent_desktop.ui.main_window import MainWindow

    store = await make_store(server.url, live=False)
    window = MainWindow()
    qtbot.add_widget(window)
    window.resize(1100, 700)
    window.show()
    window.attach_store(store)
    await wait_for_condition(lambda: store.loaded and store.connection.state == "live", 20)
    yield window, store
    await wait_for_condition(lambda: window.tasks.running() == 0, 8)
    window.detach_store()
    await window.tasks.cancel_all()
    window.images.cancel_all()


async def open_in_window(window: Any, store: ClientStore, thread_id: str) -> None:
    await wait_for_condition(lambda: thread_id in store.threads, 10)
    await wait_for_condition(lambda: window.thread_model.row_of(thread_id) >= 0, 10)
    assert window.thread_list.select_thread(thread_id)
    await wait_for_condition(lambda: window.current_thread_id == thread_id, 10)
