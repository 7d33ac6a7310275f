"""The dashboard's models (qtmodeltester, order, live moves, the one-second tick on the timer column
only, drops onto an agent) and its alert monitor (once per transition, with an injected clock)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, Qt

from agent_desktop.core.rows import ThreadRow
from agent_desktop.core.sharing import ValuePool
from agent_desktop.core.types import Agent, AgentFigures, CustomerRef, Figures, Thread
from agent_desktop.ui.dashboard.agents_model import AgentLoad, AgentsModel, agent_loads
from agent_desktop.ui.dashboard.alerts import AlertMonitor
from agent_desktop.ui.dashboard.models import THREAD_MIME, QueueModel, Role

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def thread(
    tid: str, waited: float | None, assignee: str | None = None, status: str = "open"
) -> ThreadRow:
    """A thread as the store keeps it (a row)."""
    return ValuePool().row(
        Thread(
            id=tid,
            customer=CustomerRef(id=f"c_{tid}", name=f"Customer {tid}"),
            status=status,  # type: ignore[arg-type]
            assignee_id=assignee,
            waiting_since=NOW - timedelta(seconds=waited) if waited is not None else None,
            updated_at=NOW,
        )
    )


AGENTS = [
    Agent(
        id="a1",
        name="Amélie",
        email="a1@x",
        presence="online",
        presence_since=NOW - timedelta(minutes=12),
    ),
    Agent(id="a2", name="Bruno", email="a2@x", presence="offline"),
    Agent(id="lead", name="Léa", email="l@x", role="lead", presence="away"),
]


def queue(threads: list[Thread]) -> QueueModel:
    model = QueueModel(now=lambda: NOW)
    model.set_agents(AGENTS)
    model.set_threads(threads)
    return model


def test_agents_columns_name_the_window_they_cover(qapp: Any) -> None:
    """Issue 21: "Replies today" beside a median over the team's window said neither; the
    titles name the days, so the status bar's figures of today and these never seem to differ
    for the same thing."""
    model = AgentsModel(now=lambda: NOW)

    def title(col: int) -> str:
        return str(model.headerData(col, Qt.Orientation.Horizontal))

    assert title(AgentsModel.REPLIES) == "Replies today"
    changed: list[tuple[int, int]] = []
    model.headerDataChanged.connect(lambda _o, first, last: changed.append((first, last)))
    model.set_window(7)
    assert (title(AgentsModel.MEDIAN), title(AgentsModel.WITHIN)) == (
        "Median, 7 days",
        "In target, 7 days",
    )
    assert changed == [(AgentsModel.MEDIAN, AgentsModel.WITHIN)]
    model.set_window(1)
    assert title(AgentsModel.MEDIAN) == "Median, 24 h"


def test_day_labels_are_unambiguous(qapp: Any) -> None:
    """Issue 21: "T 1" and "T 3" told Tuesday from Thursday by nothing."""
    from datetime import date

    from agent_desktop.ui import fmt
    from agent_desktop.ui.dashboard.charts import short_day

    previous = fmt.locale()
    try:
        fmt.set_locale("en")
        assert short_day(date(2026, 11, 30)) == "Mon 30"
        assert short_day(date(2026, 12, 3)) == "Thu 3"
        assert short_day(date(2026, 12, 3), 30) == "3 Dec"
        fmt.set_locale("fr")
        assert short_day(date(2026, 11, 30)) == "lun. 30"
    finally:
        fmt.set_locale(previous)


def test_queue_model_tester_and_order(qtmodeltester: Any) -> None:
    model = queue(
        [
            thread("t1", 30),
            thread("t2", 400, "a1"),
            thread("t3", 200, "a2"),
            thread("t4", None),  # nobody waits
            thread("t5", 900, status="resolved"),  # no timer
            thread("t6", 100, status="spam"),
        ]
    )
    qtmodeltester.check(model)
    assert [model.index(r, 0).data(Role.Id) for r in range(model.rowCount())] == ["t2", "t3", "t1"]
    assert model.index(0, QueueModel.TIMER).data() == "+1:40"
    assert model.index(0, QueueModel.TIMER).data(Role.TimerState) == "breached"
    assert model.index(1, QueueModel.TIMER).data(Role.TimerState) == "warning"
    assert model.index(2, QueueModel.TIMER).data(Role.TimerState) == "ok"
    assert model.index(0, QueueModel.ASSIGNEE).data() == "Amélie"
    assert model.index(2, QueueModel.ASSIGNEE).data() == "Unassigned"
    assert model.index(0, QueueModel.CUSTOMER).data() == "Customer t2"
    # Live changes move rows; an answered thread leaves.
    model.upsert(thread("t1", 1000))
    qtmodeltester.check(model)
    assert model.row_of("t1") == 0
    model.upsert(thread("t2", None, "a1"))
    assert model.row_of("t2") is None
    model.upsert(thread("t7", 10))
    assert model.row_of("t7") == model.rowCount() - 1
    model.remove("t3")
    qtmodeltester.check(model)
    assert model.rowCount() == 2


def test_queue_tick_touches_the_timer_column_only(qtbot: Any) -> None:
    model = queue([thread("t1", 30), thread("t2", 60)])
    changes: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, roles=(): changes.append((a.row(), a.column(), b.row(), b.column()))
    )
    model.tick()
    assert changes == [(0, QueueModel.TIMER, 1, QueueModel.TIMER)]


def test_queue_filter_and_drag() -> None:
    model = QueueModel(now=lambda: NOW)
    model.set_filter(
        lambda t: t.assignee_id in (None, "a1"),
        [thread("t1", 30, "a1"), thread("t2", 60, "a2"), thread("t3", 90)],
    )
    assert [t.id for t in model.threads()] == ["t3", "t1"]
    model.upsert(thread("t2", 60, None))
    assert model.row_of("t2") is not None
    mime = model.mimeData([model.index(0, 1)])
    assert bytes(mime.data(THREAD_MIME).data()).decode() == "t3"


def test_agents_model_tester_and_figures(qtmodeltester: Any) -> None:
    model = AgentsModel(now=lambda: NOW)
    model.set_agents(AGENTS)
    threads = [thread("t1", 30, "a1"), thread("t2", 400, "a1"), thread("t3", None, "a2")]
    loads = agent_loads(threads)
    assert loads["a1"] == AgentLoad(open=2, waiting=2, oldest_wait=NOW - timedelta(seconds=400))
    model.set_numbers(
        loads,
        {"a1": AgentFigures(responded=4, median_response_seconds=95, within_target_rate=0.75)},
        {"a1": 7},
    )
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert model.agent_at(2).id == "lead"  # type: ignore[union-attr]  # leads last
    row = model.row_of("a1")
    assert row == 0

    def cell(col: int) -> str:
        return str(model.index(row, col).data())

    assert cell(AgentsModel.PRESENCE) == "Online for 12 min"
    assert cell(AgentsModel.OPEN) == "2"
    assert cell(AgentsModel.WAITING) == "2"
    assert cell(AgentsModel.OLDEST) == "6:40"
    assert cell(AgentsModel.REPLIES) == "7"
    assert cell(AgentsModel.MEDIAN) == "1:35"
    assert cell(AgentsModel.WITHIN) == "75%"
    assert model.index(1, AgentsModel.MEDIAN).data() == "–"
    # The same agents again: rows stay, data changes.
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.set_agents(AGENTS)
    assert resets == []
    qtmodeltester.check(model)


def test_drop_on_an_agent_asks_for_an_assignment(qtbot: Any) -> None:
    model = AgentsModel(now=lambda: NOW)
    model.set_agents(AGENTS)
    mime = QMimeData()
    mime.setData(THREAD_MIME, QByteArray(b"t9"))
    parent = model.index(1, 0)
    assert model.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, parent)
    assert not model.canDropMimeData(QMimeData(), Qt.DropAction.MoveAction, -1, -1, parent)
    with qtbot.wait_signal(model.assignRequested) as blocker:
        model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, parent)
    assert blocker.args == ["t9", "a2"]
    assert not model.canDropMimeData(mime, Qt.DropAction.MoveAction, 9, 0, QModelIndex())


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def test_alerts_once_per_transition() -> None:
    clock = Clock()
    sent: list[tuple[str, str]] = []
    monitor = AlertMonitor(lambda t, b: sent.append((t, b)), clock)
    agents = {a.id: a for a in AGENTS}
    waiting_since = NOW
    nobody = thread("t1", 0)  # unassigned
    offline = thread("t2", 0, "a2")  # assigned to an offline agent
    online = thread("t3", 0, "a1")  # assigned to an online agent
    threads = [nobody, offline, online]
    good = Figures(counted=10, responded=10, response_rate=1.0)

    def check(seconds: float, team: Figures = good) -> list[str]:
        clock.now = waiting_since + timedelta(seconds=seconds)
        return [f"{a.kind}:{a.thread_id or ''}" for a in monitor.check(threads, agents, 300, team)]

    assert check(0) == []  # primes
    assert check(100) == []
    assert sorted(check(180)) == ["unattended:t1", "unattended:t2"]
    assert check(181) == []
    assert check(250) == []
    assert sorted(check(300)) == ["breached:t1", "breached:t2", "breached:t3"]
    assert check(400) == []
    low = Figures(counted=10, responded=8, response_rate=0.8)
    assert check(401, low) == ["rate:"]
    assert check(402, low) == []
    assert check(403, good) == []
    assert check(404, low) == ["rate:"]
    assert "2 more openings" not in sent[-1][1]
    assert "10 more openings" in sent[-1][1]
    # All answered so far, but two openings still waiting would bring it under 90 % if missed.
    at_risk = Figures(counted=10, responded=10, pending=2, response_rate=1.0)
    assert check(405, good) == []
    assert check(406, at_risk) == ["rate:"]
    assert "If the 2 openings still waiting" in sent[-1][1]
    assert check(407, at_risk) == []
    assert check(408, low) == []  # still under: no new alert
    # The customer is answered and writes again: a new wait, new alerts.
    threads = [thread("t1", None)]
    assert check(500, low) == []
    waiting_since = NOW + timedelta(seconds=600)
    threads = [replace(thread("t1", None), waiting_since=waiting_since)]
    assert check(0, low) == []
    assert check(180, low) == ["unattended:t1"]
    assert len(sent) == 9


def test_alerts_are_silent_when_disabled() -> None:
    clock = Clock()
    sent: list[tuple[str, str]] = []
    monitor = AlertMonitor(lambda t, b: sent.append((t, b)), clock)
    monitor.enabled = False
    threads = [thread("t1", 0)]
    monitor.check(threads, {}, 300, None)
    clock.now = NOW + timedelta(seconds=400)
    assert monitor.check(threads, {}, 300, None) == []
    assert sent == []


def test_messages_during_the_load_count_once(qapp: Any) -> None:
    """Live messages that arrive while the bulk data loads wait, then apply once: those the data
    already holds are dropped by id."""
    from agent_desktop.backends.base import MetricsData
    from agent_desktop.core.metrics import MetricMessage, MetricThread, compute_metrics
    from agent_desktop.core.types import Author, Message, TeamSettings
    from agent_desktop.store.dashboard import DashboardData

    data = DashboardData()
    data.loading = True
    t0 = NOW - timedelta(hours=30)

    def msg(mid: str, at: datetime, kind: str = "customer") -> Message:
        return Message(id=mid, thread_id="t1", author=Author(kind=kind), text="x", created_at=at)  # type: ignore[arg-type]

    old = msg("m1", t0)
    new = msg("m2", t0 + timedelta(hours=26))
    data.on_store_messageCreated("t1", old)  # already in the data
    data.on_store_messageCreated("t1", new)  # not yet
    fetched = MetricsData(
        since=t0 - timedelta(days=1),
        until=t0 + timedelta(hours=1),
        threads=[MetricThread("t1", [MetricMessage(at=t0, author="customer")])],
        message_ids=frozenset({"m1"}),
    )
    data._install(fetched, TeamSettings())
    data._set_loading(False)
    data.on_store_messageCreated("t1", new)  # the event again (a replay): ignored
    expected = compute_metrics(
        [
            MetricThread(
                "t1",
                [
                    MetricMessage(at=t0, author="customer"),
                    MetricMessage(at=new.created_at, author="customer"),
                ],
            )
        ],
        now=NOW,
    )
    assert data.result(NOW).team == expected.team
    assert expected.team.openings == 2
