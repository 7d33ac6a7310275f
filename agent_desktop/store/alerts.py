"""The agent's response-target alert: when a thread assigned to the agent has waited for
WARNING_FRACTION of the team's target (SPEC §2), the store says so once, so the interface can
notify before the target is missed. A thread that is answered and then waits again is warned
about again.

No timer ticks for it: the alert is scheduled for the moment the next of the agent's threads
reaches the warning, and moved when a thread changes.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING

from agent_desktop.core.clock import NO_TIMER_STATUSES, WARNING_FRACTION, timer_reading

if TYPE_CHECKING:
    from agent_desktop.core.rows import ThreadRow
    from agent_desktop.store.client_store import ClientStore


class ResponseAlerts:
    """Watches the agent's own waiting threads; emits the store's `responseDue`."""

    def __init__(self, store: ClientStore) -> None:
        self._store = store
        self._mine: dict[str, ThreadRow] = {}
        self._warned: dict[str, datetime] = {}  # thread id → the wait it was warned about
        self._handle: asyncio.TimerHandle | None = None
        self._next: tuple[float, str] | None = None  # (due timestamp, thread id) of the handle
        self._stale = False  # the last schedule found no loop: the next update does it again

    def reset(self) -> None:
        """Every thread was replaced (start, resync)."""
        self._mine.clear()
        for thread in self._store.threads.values():
            self._track(thread)
        self._schedule()

    def update(self, ids: list[str]) -> None:
        """Some threads changed (a batch of the store's `threadsChanged`).

        A live event changes a thread or two: the next warning moves only if one of them is due
        before it, or if it was the one scheduled (then all of the agent's threads are looked at
        again). Every event used to look at all of them and set a new timer."""
        threads = self._store.threads
        for thread_id in ids:
            thread = threads.get(thread_id)
            if thread is None:
                self._mine.pop(thread_id, None)
                self._warned.pop(thread_id, None)
            else:
                self._track(thread)
        scheduled = self._next
        if self._stale:
            self._schedule()
            return
        if scheduled is not None and scheduled[1] in ids:
            self._schedule()
            return
        best = scheduled
        for thread_id in ids:
            due = self._due(thread_id)
            if due is not None and (best is None or due < best[0]):
                best = (due, thread_id)
        if best is not scheduled:
            self._set_timer(best)

    def _track(self, thread: ThreadRow) -> None:
        me = self._store.me
        waiting = thread.waiting_since
        timed = waiting is not None and thread.status not in NO_TIMER_STATUSES
        if me is not None and thread.assignee_id == me.id and timed:
            self._mine[thread.id] = thread
            if waiting is not None and self._warned.get(thread.id, waiting) != waiting:
                del self._warned[thread.id]  # answered, and waiting again since
        else:
            self._mine.pop(thread.id, None)
            self._warned.pop(thread.id, None)

    def check(self, now: datetime | None = None) -> None:
        """Warn about every thread of the agent's that reached the warning since the last check
        (`now`: the server's time, by default the store's clock)."""
        self._handle = None
        self._next = None
        store = self._store
        now = now or store.now()
        target = store.settings.target_seconds
        for thread in list(self._mine.values()):
            waiting = thread.waiting_since
            if waiting is None or thread.id in self._warned:
                continue
            reading = timer_reading(waiting, now, target, thread.status)
            if reading.state in ("warning", "breached", "none"):
                self._warned[thread.id] = waiting
                if reading.state == "warning":  # a breach already missed is not announced
                    left = max(0, int(target - reading.elapsed_seconds))
                    store.responseDue.emit(thread.id, thread.customer_name, left)
        self._schedule()

    def reschedule(self) -> None:
        """The team's target changed: the next warning moves."""
        self._schedule()

    def _due(self, thread_id: str) -> float | None:
        """When `thread_id` reaches the warning (a timestamp), if it is one of the agent's
        waiting threads not warned about yet."""
        thread = self._mine.get(thread_id)
        if thread is None or thread.waiting_since is None or thread_id in self._warned:
            return None
        return thread.waiting_since.timestamp() + WARNING_FRACTION * self._target()

    def _target(self) -> float:
        return float(self._store.settings.target_seconds)

    def _schedule(self) -> None:
        """Check again when the next unwarned thread of the agent's reaches the warning."""
        best: tuple[float, str] | None = None
        for thread_id in self._mine:
            due = self._due(thread_id)
            if due is not None and (best is None or due < best[0]):
                best = (due, thread_id)
        self._set_timer(best)

    def _set_timer(self, best: tuple[float, str] | None) -> None:
        """Run `check` when `best` (due timestamp, thread id) is due; None: nothing is."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self._next = None
        self._stale = False
        store = self._store
        if best is None or store.closed:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._stale = True  # no loop to wait on: the next update looks at every thread
            return
        delay = max(0.0, best[0] - store.now().timestamp())
        self._next = best
        self._handle = loop.call_later(delay + 0.05, self.check)

    def close(self) -> None:
        self._next = None
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
