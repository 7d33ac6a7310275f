"""Reliability tests: faults injected between the client and the real server (a loopback proxy that
cuts, black-holes and delays; SIGKILL and restart of the server; a skewed clock; a locked or full
local database), bad input fed to every parser, and the security properties. Async tests run on a
qasync loop, as in the app.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.store.client_store import ClientStore
from tests.helpers.faults import fault_proxy_factory
from tests.helpers.qasync_loop import (
    collect_garbage_on_the_gui_thread,
    pytest_asyncio_loop_factories,
    qasync_loop,
    wait_for_condition,
)
from tests.helpers.server_fixtures import ServerProcess
from tests.helpers.store_fixtures import (
    FAST,
    StoreFactory,
    all_messages,
    all_threads,
    customer_writes,
    eventually,
    make_store,
    signed_in,
)

__all__ = [
    "FAST",
    "StoreFactory",
    "collect_garbage_on_the_gui_thread",
    "customer_writes",
    "eventually",
    "fault_proxy_factory",
    "make_store",
    "pytest_asyncio_loop_factories",
    "qasync_loop",
    "signed_in",
]


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
    ours = {k: v.thread().model_dump(mode="json") for k, v in store.threads.items()}
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


@pytest.fixture
async def window_store(
    qtbot: Any, server: ServerProcess, make_store: StoreFactory
) -> AsyncIterator[tuple[Any, ClientStore]]:
    """A shown main window on a live store. The window is detached from the store and closed
    here, before the store closes (pytest-qt would close it first, with the store attached)."""
    from agent_desktop.ui.main_window import MainWindow

    store = await make_store(server.url, live=False)
    window = MainWindow()
    window.resize(1100, 700)
    window.show()
    window.attach_store(store)
    try:
        await wait_for_condition(lambda: store.loaded and store.connection.state == "live", 20)
        yield window, store
        await wait_for_condition(lambda: window.tasks.running() == 0, 8)
    finally:
        window.detach_store()
        async with asyncio.timeout(20):  # a task that ignores its cancellation fails, never hangs
            await window.tasks.cancel_all()
        window.images.cancel_all()
        window.close()
        window.deleteLater()


async def open_in_window(window: Any, store: ClientStore, thread_id: str) -> None:
    await wait_for_condition(lambda: thread_id in store.threads, 10)
    await wait_for_condition(lambda: window.thread_model.row_of(thread_id) >= 0, 10)
    assert window.thread_list.select_thread(thread_id)
    await wait_for_condition(lambda: window.current_thread_id == thread_id, 10)
