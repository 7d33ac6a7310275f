"""Read marks for the messages the agent sees as they come (the open thread), at most one request
per thread every `READ_MARK_INTERVAL` seconds.

Each read mark is an HTTP request (~1 ms of httpx in Python), its answer applied and its row
repainted, and its event decoded: a customer writing in bursts into the open thread paid all that
per message. The first message is marked at once; those arriving within the interval after it are
marked in one read mark of the newest when the interval ends.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

READ_MARK_INTERVAL = 2.0


class ReadMarks:
    """The read marks of one store; `mark(thread_id, message_id)` sends one, `read_here(thread_id)`
    shows the thread's messages read until it has."""

    def __init__(
        self, mark: Callable[[str, str], Awaitable[Any]], read_here: Callable[[str], None]
    ) -> None:
        self._mark = mark
        self._read_here = read_here
        self._wanted: dict[str, str] = {}  # thread id -> the newest message to mark read
        self._sent: dict[str, float] = {}  # thread id -> when its last read mark went out
        self._sending: set[str] = set()  # threads whose read mark waits or is on its way

    @property
    def pending(self) -> int:
        """How many threads have a read mark waiting or on its way."""
        return len(self._sending)

    def as_it_comes(self, thread_id: str, message_id: str) -> Coroutine[Any, Any, None] | None:
        """Mark `message_id` (just arrived in `thread_id`, seen by the agent) read: at once when
        the thread's last read mark went out READ_MARK_INTERVAL seconds ago or more, else when
        that interval ends, with the newest message asked for by then. Gives the coroutine that
        sends it (for the caller's tasks, which report a failure), or None when the thread's
        read mark is already waiting or on its way: that one takes this message. The thread's
        row shows the message read at once."""
        self._wanted[thread_id] = message_id
        self._read_here(thread_id)
        if thread_id in self._sending:
            return None
        self._sending.add(thread_id)
        return self._send(thread_id)

    async def _send(self, thread_id: str) -> None:
        try:
            while thread_id in self._wanted:
                wait = self._wait(thread_id)
                if wait > 0:
                    await asyncio.sleep(wait)
                newest = self._wanted.pop(thread_id)
                self._sent[thread_id] = time.monotonic()
                await self._mark(thread_id, newest)
                if thread_id in self._wanted:  # the answer counts the messages still waiting
                    self._read_here(thread_id)
        finally:
            self._sending.discard(thread_id)
            self._wanted.pop(thread_id, None)  # after a failure: read with the next one
            now = time.monotonic()
            for other, at in list(self._sent.items()):
                if now - at >= READ_MARK_INTERVAL:
                    del self._sent[other]

    def _wait(self, thread_id: str) -> float:
        """Seconds until the thread's next read mark may go out (negative: it may now)."""
        sent = self._sent.get(thread_id)
        return -1.0 if sent is None else sent + READ_MARK_INTERVAL - time.monotonic()
