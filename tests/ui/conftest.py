"""UI tests: widgets driven with pytest-qt on a qasync loop, against the real reference server.

`ui_server` is one seeded server per test module (started once: the tests use different threads
or restore what they change); `workspace` is a signed-in MainWindow with its store, live.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.store.client_store import ClientStore
from agent_desktop.ui.main_window import MainWindow
from tests.helpers.qasync_loop import (
    pytest_asyncio_loop_factories,
    qasync_loop,
    wait_for_condition,
)
from tests.helpers.server_fixtures import AGENT_EMAIL, PASSWORD, ServerProcess

__all__ = ["pytest_asyncio_loop_factories", "qasync_loop"]


@pytest.fixture(scope="module")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path_factory.mktemp("ui-server"), ("--seed-test",))
    proc.start()
    yield proc
    proc.stop()


@dataclass
class Workspace:
    window: MainWindow
    store: ClientStore
    server: ServerProcess

    async def until(self, cond: Any, within: float = 10.0) -> None:
        await wait_for_condition(cond, within)

    async def open(self, thread_id: str) -> None:
        """Select a thread in the list and wait for its conversation and purchase history."""
        w = self.window
        proxy = w.thread_list.proxy
        thread = self.store.threads[thread_id]
        if thread.status not in proxy.statuses():
            idx = w.thread_list.status.findData(thread.status)
            w.thread_list.status.setCurrentIndex(idx)
        assert w.thread_list.select_thread(thread_id)
        await self.until(
            lambda: (
                w.current_thread_id == thread_id
                and w.conversation_model.rowCount() > 0
                and w.history.customer is not None
                and w.history.customer.id == thread.customer_id
            )
        )


async def customer_writes(server: ServerProcess, thread_id: str, text: str) -> dict[str, Any]:
    async with httpx.AsyncClient() as client:
        r = await client.post(
            f"{server.api}/simulate/customer-message", json={"thread_id": thread_id, "text": text}
        )
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


@pytest.fixture
async def workspace(qtbot: Any, ui_server: ServerProcess) -> AsyncIterator[Workspace]:
    backend = AgentApiBackend(
        ui_server.url, retries=1, timeout=5.0, reconnect_base=0.1, reconnect_cap=1.0
    )
    await backend.login(AGENT_EMAIL, PASSWORD)
    store = ClientStore(backend, agent_key=AGENT_EMAIL, send_retry_base=0.1, send_retry_cap=0.5)
    window = MainWindow()  # closed below, after the store (not by qtbot, which closes it first)
    window.resize(1280, 800)
    window.show()
    window.attach_store(store)
    await store.start()
    await wait_for_condition(lambda: store.loaded and store.connection.state == "live", 20)
    await wait_for_condition(lambda: window.thread_model.rowCount() > 0, 10)
    yield Workspace(window, store, ui_server)
    # Let in-flight requests finish (the Messenger facts' too: a read mark asks for them again):
    # a request cancelled mid-way can leave its socket, or an unstarted connect, to the GC.
    messenger = window.history.messenger
    try:
        await wait_for_condition(
            lambda: (
                window.tasks.running() == 0
                and window.images.pending() == 0
                and (messenger is None or messenger.running() == 0)
            ),
            20,
        )
    except TimeoutError:

        def chain(coro: Any) -> list[str]:
            out = []
            while coro is not None:
                frame = getattr(coro, "cr_frame", None) or getattr(coro, "ag_frame", None)
                if frame is not None:
                    out.append(f"{frame.f_code.co_filename}:{frame.f_lineno}")
                coro = getattr(coro, "cr_await", None) or getattr(coro, "ag_await", None)
            return out

        raise AssertionError([chain(t.get_coro()) for t in window.tasks._tasks]) from None
    window.detach_store()
    await window.tasks.cancel_all()
    window.images.cancel_all()
    await store.close()
    await backend.aclose()
    window.close()
    window.deleteLater()
    await asyncio.sleep(0)
