"""Run async tests inside a qasync event loop, so Qt signals and asyncio share one loop as in the app.

Use from a conftest.py: `from tests.helpers.qasync_loop import pytest_asyncio_loop_factories`
(a pytest-asyncio hook: every async test under that conftest runs in a `qasync.QEventLoop` over the
one QApplication, test ids get a `[qasync]` suffix), plus the autouse fixture
`collect_garbage_on_the_gui_thread`. Sync tests can use the `qasync_loop` fixture.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication


def _application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication([])
    assert isinstance(app, QApplication)
    return app


def new_qasync_loop() -> asyncio.AbstractEventLoop:
    """A fresh qasync loop over the (shared) QApplication."""
    loop: asyncio.AbstractEventLoop = qasync.QEventLoop(_application())
    return loop


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], asyncio.AbstractEventLoop]]:
    """pytest-asyncio hook: async tests in this directory run on a qasync loop."""
    return {"qasync": new_qasync_loop}


@pytest.fixture(autouse=True)
def collect_garbage_on_the_gui_thread() -> Iterator[None]:
    """Collect each test's garbage here, on the main thread, right after the test.

    Python's cyclic collector runs in whichever thread happens to allocate; if it frees a dead
    QObject (a store, a qasync loop's timers) in a helper thread (a proxy, an executor) while Qt
    runs in the main thread, Qt crashes. Collecting deterministically on the main thread avoids it.
    """
    yield
    gc.collect()


@pytest.fixture
def qasync_loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """For sync tests: a qasync loop to drive with `loop.run_until_complete(...)`."""
    loop = new_qasync_loop()
    try:
        yield loop
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()


async def wait_for_condition(cond: Callable[[], bool], within: float = 10.0) -> None:
    """Poll `cond` on the running loop until it is true; TimeoutError after `within` seconds."""
    async with asyncio.timeout(within):
        while not cond():  # noqa: ASYNC110 - the condition is state, not an event we own
            await asyncio.sleep(0.01)
