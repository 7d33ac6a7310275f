"""The agent's unsent text per thread, kept in the local database: written at once (`save`) or a
moment after the last keystroke (`save_later`), and always before the store closes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from agent_desktop.store.state_db import StateDb, StorageError

SAVE_DELAY = 0.3  # seconds after the last keystroke


class Drafts:
    """Drafts in `db`; a failed write is reported to `on_error(sentence)` (the store's
    `storageError`)."""

    def __init__(self, db: StateDb, on_error: Callable[[str], None]) -> None:
        self._db = db
        self._on_error = on_error
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._pending: dict[str, str] = {}

    def get(self, thread_id: str) -> str:
        if thread_id in self._pending:
            return self._pending[thread_id]
        return self._db.draft(thread_id)

    def save(self, thread_id: str, text: str) -> None:
        """Write the draft now (raises StorageError, also reported to `on_error`)."""
        self._pending.pop(thread_id, None)
        handle = self._timers.pop(thread_id, None)
        if handle is not None:
            handle.cancel()
        try:
            self._db.set_draft(thread_id, text)
        except StorageError as exc:
            self._on_error(str(exc))
            raise

    def save_later(self, thread_id: str, text: str, delay: float = SAVE_DELAY) -> None:
        """Debounced save: the last text wins `delay` seconds after the last keystroke (raises
        RuntimeError outside a running loop)."""
        self._pending[thread_id] = text
        handle = self._timers.pop(thread_id, None)
        if handle is not None:
            handle.cancel()
        loop = asyncio.get_running_loop()
        self._timers[thread_id] = loop.call_later(delay, self._write, thread_id)

    def _write(self, thread_id: str) -> None:
        self._timers.pop(thread_id, None)
        text = self._pending.pop(thread_id, None)
        if text is None:
            return
        try:
            self._db.set_draft(thread_id, text)
        except StorageError as exc:
            self._on_error(str(exc))

    def flush(self) -> None:
        """Write every draft still waiting for its delay (the store is closing)."""
        for thread_id in list(self._timers):
            handle = self._timers.get(thread_id)
            if handle is not None:
                handle.cancel()
            self._write(thread_id)
        self._timers.clear()
