"""What the thread list's model and the dashboard's live queue share: the clock their wait timers
read against the reply-time target, and the team by id for their assignee column."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from agent_desktop.core.clock import TimerReading, timer_reading

if TYPE_CHECKING:
    from agent_desktop.core.rows import ThreadRow
    from agent_desktop.core.types import Agent


class ThreadTimes:
    """A mixin for a Qt model of threads that sets `_threads`, `_agents`, `_now` and
    `target_seconds` in its `__init__` and says how its assignees are repainted
    (`_assignees_changed`)."""

    _threads: list[ThreadRow]
    _agents: dict[str, Agent]
    _now: Callable[[], datetime]
    target_seconds: int

    def timer(self, thread: ThreadRow) -> TimerReading:
        return timer_reading(thread.waiting_since, self._now(), self.target_seconds, thread.status)

    def set_now(self, now: Callable[[], datetime]) -> None:
        self._now = now

    def set_agents(self, agents: Iterable[Agent]) -> None:
        self._agents = {a.id: a for a in agents}
        if self._threads:
            self._assignees_changed()

    def _assignees_changed(self) -> None:
        """Tell the views that every row's assignee may read differently now."""
        raise NotImplementedError
