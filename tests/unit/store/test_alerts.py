"""The response-target warning of the agent's own threads (store/alerts.py): once per wait, at the
moment a thread reaches the warning (no ticking timer), never for a closed thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from agent_desktop.core.sharing import ValuePool
from agent_desktop.core.types import Agent, TeamSettings
from agent_desktop.store.alerts import ResponseAlerts
from tests.helpers.qasync_loop import wait_for_condition
from tests.unit.store.fakes import thread

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
ME = Agent(id="a1", name="Amélie", email="a1@shop.test", role="agent", presence="online")


@dataclass
class Due:
    emitted: list[tuple[str, str, int]] = field(default_factory=list)

    def emit(self, thread_id: str, name: str, left: int) -> None:
        self.emitted.append((thread_id, name, left))


@dataclass
class StoreStandIn:
    """What ResponseAlerts reads of a ClientStore."""

    threads: dict[str, Any]
    clock: list[datetime]
    me: Agent | None = field(default_factory=lambda: ME)
    settings: TeamSettings = field(default_factory=lambda: TeamSettings(target_seconds=300))
    closed: bool = False
    responseDue: Due = field(default_factory=Due)

    def now(self) -> datetime:
        return self.clock[0]


def rows(*threads: Any) -> dict[str, Any]:
    pool = ValuePool()
    return {t.id: pool.row(t) for t in threads}


def waiting(thread_id: str, seconds: float, **fields: Any) -> Any:
    return thread(thread_id, waiting_since=NOW - timedelta(seconds=seconds), **fields)


def test_warns_once_per_wait_and_never_for_closed_or_others_threads() -> None:
    store = StoreStandIn(
        rows(
            waiting("mine", 200, assignee_id="a1"),  # 67 % of the target: warning
            waiting("fresh", 10, assignee_id="a1"),  # ok
            waiting("late", 400, assignee_id="a1"),  # already breached: not announced
            waiting("closed", 200, assignee_id="a1", status="resolved"),
            waiting("theirs", 200, assignee_id="a2"),
        ),
        [NOW],
    )
    alerts = ResponseAlerts(store)  # type: ignore[arg-type]
    alerts.reset()
    alerts.check(NOW)
    alerts.check(NOW)
    assert store.responseDue.emitted == [("mine", "Customer mine", 100)]
    alerts.check(NOW + timedelta(seconds=180))  # "fresh" reaches 60 % of 300 s at 180 s
    assert [e[0] for e in store.responseDue.emitted] == ["mine", "fresh"]
    # Answered, then waiting again: warned again when the new wait reaches the warning.
    store.threads.update(rows(waiting("mine", 0, assignee_id="a1", minutes=1)))
    alerts.update(["mine"])
    alerts.check(NOW + timedelta(seconds=190))
    assert [e[0] for e in store.responseDue.emitted] == ["mine", "fresh", "mine"]
    alerts.close()


async def test_the_check_is_scheduled_for_the_moment_a_thread_reaches_the_warning() -> None:
    """No ticking: one timer, set for the next warning; closed threads schedule nothing (a
    resolved thread still has a waiting_since and must not make the check run in a loop)."""
    store = StoreStandIn(
        rows(
            waiting("soon", 300 * 0.6 - 0.2, assignee_id="a1"),
            waiting("closed", 200, assignee_id="a1", status="resolved"),
        ),
        [NOW],
    )
    checks: list[datetime] = []
    alerts = ResponseAlerts(store)  # type: ignore[arg-type]
    real_check = alerts.check

    def counting(now: datetime | None = None) -> None:
        checks.append(store.now())
        store.clock[0] = NOW + timedelta(seconds=0.3)  # the server's time when it runs
        real_check(now)

    alerts.check = counting  # type: ignore[method-assign]
    alerts.reset()
    await wait_for_condition(lambda: bool(store.responseDue.emitted), 5)
    assert [e[0] for e in store.responseDue.emitted] == ["soon"]
    assert len(checks) == 1
    assert alerts._handle is None  # nothing is due any more: no further check is scheduled
    alerts.close()


async def test_a_live_event_moves_the_timer_only_when_the_next_warning_moves() -> None:
    """Each event used to look at every waiting thread of the agent's and set a new timer; now
    a changed thread moves the timer only if it is due first, or if it was the one due."""
    store = StoreStandIn(
        rows(*(waiting(f"w{i}", 10 + i, assignee_id="a1") for i in range(50))), [NOW]
    )
    alerts = ResponseAlerts(store)  # type: ignore[arg-type]
    alerts.reset()
    first = alerts._handle
    assert alerts._next is not None and alerts._next[1] == "w49"  # waiting longest: due first
    store.threads.update(rows(waiting("w3", 13, assignee_id="a1", unread=2)))
    alerts.update(["w3"])  # a customer wrote again in a thread due later: nothing moves
    assert alerts._handle is first
    store.threads.update(rows(waiting("new", 100, assignee_id="a1")))
    alerts.update(["new"])  # due before all the others
    assert alerts._next is not None and alerts._next[1] == "new"
    store.threads.update(rows(thread("new", minutes=1, assignee_id="a1")))
    alerts.update(["new"])  # answered: the next one is due next
    assert alerts._next is not None and alerts._next[1] == "w49"
    store.threads.pop("w49")
    alerts.update(["w49"])  # gone (another agent took it)
    assert alerts._next is not None and alerts._next[1] == "w48"
    due = NOW - timedelta(seconds=58) + timedelta(seconds=180)  # w48 reaches 60 % of 300 s
    store.clock[0] = due
    alerts.check(due)
    assert [e[0] for e in store.responseDue.emitted] == ["w48"]
    assert alerts._next is not None and alerts._next[1] == "w47"
    alerts.close()
    assert alerts._handle is None
