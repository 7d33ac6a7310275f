"""Store tests run on a qasync loop (Qt signals and asyncio in one loop, as in the app)."""

from tests.helpers.qasync_loop import (
    collect_garbage_on_the_gui_thread,
    pytest_asyncio_loop_factories,
    qasync_loop,
)

__all__ = ["collect_garbage_on_the_gui_thread", "pytest_asyncio_loop_factories", "qasync_loop"]
