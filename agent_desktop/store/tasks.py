"""Background coroutines started by the interface or a store: kept referenced, cancelled on
shutdown, and their failures turned into a sentence for the agent instead of a traceback.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from agent_desktop.backends.base import BackendError
from agent_desktop.store.sentences import SOMETHING_FAILED, error_sentence, translate
from agent_desktop.store.state_db import StorageError

log = logging.getLogger(__name__)


def current_loop() -> asyncio.AbstractEventLoop | None:
    """The running loop, else the thread's set loop (qasync's before it runs), else None."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        try:
            return asyncio.get_event_loop()
        except RuntimeError:
            return None


class BackgroundTasks:
    """Starts coroutines on the running loop; `on_error(sentence)` hears about failures.

    Not asyncio.TaskGroup: a failing task does not cancel the others, and nothing waits for them
    as a block; they are cancelled together on shutdown (`cancel_all`)."""

    def __init__(self, on_error: Callable[[str], None] | None = None) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self.on_error = on_error

    def start(
        self, coro: Coroutine[Any, Any, Any], name: str = "ui-task"
    ) -> asyncio.Task[Any] | None:
        loop = current_loop()
        if loop is None:
            coro.close()
            return None
        task = loop.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None:
            return
        if isinstance(exc, BackendError | StorageError):  # both carry a sentence for the agent
            message = error_sentence(exc)
        else:
            log.error("Task %s failed", task.get_name(), exc_info=exc)
            message = translate(SOMETHING_FAILED)
        if self.on_error is not None:
            self.on_error(message)

    def running(self) -> int:
        return len(self._tasks)

    def cancel(self) -> None:
        """Ask every running task to stop, without waiting for them."""
        for task in self._tasks:
            task.cancel()

    async def cancel_all(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()
