"""Store tests run on a qasync loop (Qt signals and asyncio in one loop, as in the app)."""

from tests.helpers.qasync_loop import pytest_asyncio_loop_factories, qasync_loop

__all__ = ["pytest_asyncio_loop_factories", "qasync_loop"]
