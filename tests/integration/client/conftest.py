"""Client integration tests: the store and connector against the real server, on a qasync loop,
with a loopback TCP proxy to break the connection on purpose. The store helpers and the
`make_store` fixture are shared with the reliability tests (tests/helpers/store_fixtures.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.store.client_store import ClientStore
from tests.helpers.proxy import tcp_proxy_factory
from tests.helpers.qasync_loop import (
    collect_garbage_on_the_gui_thread,
    pytest_asyncio_loop_factories,
    qasync_loop,
)
from tests.helpers.server_fixtures import ServerProcess
from tests.helpers.store_fixtures import (
    FAST,
    StoreFactory,
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
    "make_store",
    "pytest_asyncio_loop_factories",
    "qasync_loop",
    "signed_in",
    "tcp_proxy_factory",
]


async def store_matches_server(store: ClientStore, reference: AgentApiBackend) -> bool:
    """The store's threads (and open conversation) equal what the server says right now."""
    expected = await all_threads(reference)
    ours = {k: v.thread().model_dump(mode="json") for k, v in store.threads.items()}
    if ours != {k: v.model_dump(mode="json") for k, v in expected.items()}:
        return False
    conversation = store.conversation
    if conversation is not None:
        page = await reference.messages(conversation.thread_id, limit=200)
        server_ids = sorted(m.id for m in page.items)
        if sorted(m.id for m in conversation.messages) != server_ids:
            return False
    return True


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One test-seed server for a module whose tests do not stop it or depend on untouched data."""
    proc = ServerProcess(tmp_path_factory.mktemp("shared-server"), ("--seed-test",))
    proc.start()
    yield proc
    proc.stop()
