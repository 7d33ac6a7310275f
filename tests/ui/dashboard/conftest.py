"""Dashboard tests: a DashboardPage on a signed-in store against the real reference server.

`dash_server` is one seeded server process per module (tests write into their own new threads);
`make_dash(email, now=None)` signs in and returns a live `Dash` (page, store, backend).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.store.client_store import ClientStore
from agent_desktop.ui.dashboard.page import DashboardPage
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import PASSWORD, ServerProcess


@pytest.fixture(scope="module")
def dash_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path_factory.mktemp("dash-server"), ("--seed-test",))
    proc.start()
    yield proc
    proc.stop()


@dataclass
class Dash:
    page: DashboardPage
    store: ClientStore
    backend: AgentApiBackend
    server: ServerProcess
    alerts: list[tuple[str, str]] = field(default_factory=list)

    async def until(self, cond: Callable[[], bool], within: float = 10.0) -> None:
        await wait_for_condition(cond, within)


@pytest.fixture
async def make_dash(qapp: Any, dash_server: ServerProcess) -> AsyncIterator[Any]:
    made: list[Dash] = []

    async def make(email: str, now: Callable[[], datetime] | None = None) -> Dash:
        backend = AgentApiBackend(
            dash_server.url, retries=1, timeout=5.0, reconnect_base=0.1, reconnect_cap=1.0
        )
        await backend.login(email, PASSWORD)
        store = ClientStore(backend, agent_key=email)
        alerts: list[tuple[str, str]] = []
        page = DashboardPage(notifier=lambda t, b: alerts.append((t, b)), now=now)
        page.resize(1280, 760)
        page.show()
        await store.start()
        await wait_for_condition(lambda: store.loaded and store.connection.state == "live", 20)
        page.attach_store(store)
        await wait_for_condition(lambda: page.data.loaded and page.result is not None, 20)
        dash = Dash(page, store, backend, dash_server, alerts)
        made.append(dash)
        return dash

    yield make
    for dash in made:
        with contextlib.suppress(TimeoutError):
            await wait_for_condition(lambda d=dash: d.page.tasks.running() == 0, 8)
        dash.page.detach_store()
        await dash.page.tasks.cancel_all()
        await dash.store.close()
        await dash.backend.aclose()
        dash.page.close()
        dash.page.deleteLater()
    await asyncio.sleep(0)
