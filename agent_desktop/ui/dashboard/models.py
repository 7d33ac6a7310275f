"""The dashboard's two table models: the live queue of waiting threads (longest wait first) and the
team's agents with their presence, load and response figures.

Both change row by row as events arrive; the page's one-second tick refreshes only the columns
that move with time (`tick()`).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from agent_desktop.core.clock import TimerReading, format_elapsed, timer_reading
from agent_desktop.core.rows import ThreadRow
from agent_desktop.core.types import Agent, AgentFigures
from agent_desktop.ui import fmt
from agent_desktop.ui.plain_text import ROW_CHARS, one_line, tooltip

Index = QModelIndex | QPersistentModelIndex
THREAD_MIME = "application/x-agent-desktop-thread-id"

STATE_COLOURS = {
    "ok": QColor("#2e9d4f"),
    "warning": QColor("#d98a00"),
    "breached": QColor("#d93025"),
}
PRESENCE_COLOURS = {
    "online": QColor("#2e9d4f"),
    "away": QColor("#d98a00"),
    "offline": QColor("#8a8f98"),
}


class Role(IntEnum):
    Id = Qt.ItemDataRole.UserRole + 1
    TimerState = Qt.ItemDataRole.UserRole + 2
    Seconds = Qt.ItemDataRole.UserRole + 3


def waits(thread: ThreadRow) -> bool:
    """An open (or pending) thread with a customer waiting for the shop."""
    return thread.waiting_since is not None and thread.status in ("open", "pending")


def _key(thread: ThreadRow) -> tuple[datetime, str]:
    assert thread.waiting_since is not None
    return (thread.waiting_since, thread.id)


class QueueModel(QAbstractTableModel):
    """Every thread that waits, longest wait first: timer, customer, assignee, reply window.

    `set_filter(fn)` keeps only the threads `fn(thread)` accepts (an agent's own and unassigned).
    Signals: the standard QAbstractItemModel ones.
    """

    TIMER, CUSTOMER, ASSIGNEE, WINDOW = range(4)
    COLUMNS = 4

    def __init__(
        self, parent: QObject | None = None, *, now: Callable[[], datetime] | None = None
    ) -> None:
        super().__init__(parent)
        self._threads: list[ThreadRow] = []
        self._keys: list[tuple[datetime, str]] = []
        self._agents: dict[str, Agent] = {}
        self._now = now or (lambda: datetime.now(UTC))
        self._filter: Callable[[ThreadRow], bool] = lambda _t: True
        self.target_seconds = 300

    # --- Qt model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._threads)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (
            self.tr("Waiting"),
            self.tr("Customer"),
            self.tr("Assignee"),
            self.tr("Reply window"),
        )
        return titles[section] if 0 <= section < len(titles) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def mimeTypes(self) -> list[str]:
        return [THREAD_MIME]

    def mimeData(self, indexes: Iterable[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        for index in indexes:
            if index.isValid():
                thread_id = self._threads[index.row()].id
                mime.setData(THREAD_MIME, QByteArray(thread_id.encode()))
                break
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._threads):
            return None
        thread = self._threads[index.row()]
        col = index.column()
        if role == Role.Id:
            return thread.id
        if col == self.TIMER:
            reading = self.timer(thread)
            if role == Qt.ItemDataRole.DisplayRole:
                if reading.state == "breached" and reading.elapsed_seconds >= 86_400:
                    return "+" + long_elapsed(reading.overdue_seconds)
                return reading.text
            if role == Role.TimerState:
                return reading.state
            if role == Role.Seconds:
                return reading.elapsed_seconds
            if role == Qt.ItemDataRole.ForegroundRole:
                colour = STATE_COLOURS.get(reading.state)
                return QBrush(colour) if colour is not None else None
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if role == Qt.ItemDataRole.ToolTipRole:
                assert thread.waiting_since is not None
                return tooltip(
                    self.tr("Waiting since %1").replace("%1", fmt.time_of_day(thread.waiting_since))
                )
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            unassigned = col == self.ASSIGNEE and thread.assignee_id is None
            if role == Qt.ItemDataRole.ForegroundRole and unassigned:
                return QBrush(STATE_COLOURS["warning"])
            return None
        text = None
        if col == self.CUSTOMER:
            text = thread.customer.name
        elif col == self.ASSIGNEE:
            text = self.agent_name(thread.assignee_id)
        elif col == self.WINDOW:
            text = self.window_text(thread)
        if text is None:
            return None
        # Customer and agent names: shown plain, and cut before the view elides them.
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(text)
        return one_line(text, ROW_CHARS)

    # --- contents
    def timer(self, thread: ThreadRow) -> TimerReading:
        return timer_reading(thread.waiting_since, self._now(), self.target_seconds, thread.status)

    def agent_name(self, agent_id: str | None) -> str:
        if agent_id is None:
            return self.tr("Unassigned")
        agent = self._agents.get(agent_id)
        return agent.name if agent is not None else agent_id

    def window_text(self, thread: ThreadRow) -> str:
        window = thread.reply_window
        until = (
            self.tr(" until %1").replace("%1", fmt.weekday_time(window.closes_at))
            if window.closes_at is not None
            else ""
        )
        if window.state == "standard":
            return self.tr("Open (24 h)") + until
        if window.state == "human_agent":
            return self.tr("Human agent only") + until
        if window.state == "closed":
            return self.tr("Closed")
        return self.tr("No limit")

    def set_now(self, now: Callable[[], datetime]) -> None:
        self._now = now

    def set_agents(self, agents: Iterable[Agent]) -> None:
        self._agents = {a.id: a for a in agents}
        if self._threads:
            self.dataChanged.emit(
                self.index(0, self.ASSIGNEE), self.index(len(self._threads) - 1, self.ASSIGNEE)
            )

    def set_filter(self, accept: Callable[[ThreadRow], bool], threads: Iterable[ThreadRow]) -> None:
        self._filter = accept
        self.set_threads(threads)

    def set_threads(self, threads: Iterable[ThreadRow]) -> None:
        self.beginResetModel()
        kept = sorted((t for t in threads if waits(t) and self._filter(t)), key=_key)
        self._threads = kept
        self._keys = [_key(t) for t in kept]
        self.endResetModel()

    def upsert(self, thread: ThreadRow) -> None:
        """Insert, move or remove one thread after a change."""
        self.remove(thread.id)
        if not waits(thread) or not self._filter(thread):
            return
        key = _key(thread)
        row = bisect.bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._threads.insert(row, thread)
        self._keys.insert(row, key)
        self.endInsertRows()

    def remove(self, thread_id: str) -> None:
        row = self.row_of(thread_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._threads[row]
        del self._keys[row]
        self.endRemoveRows()

    def row_of(self, thread_id: str) -> int | None:
        for row, thread in enumerate(self._threads):
            if thread.id == thread_id:
                return row
        return None

    def thread_at(self, row: int) -> ThreadRow | None:
        return self._threads[row] if 0 <= row < len(self._threads) else None

    def threads(self) -> list[ThreadRow]:
        return list(self._threads)

    def tick(self) -> None:
        """The timers moved on: refresh the timer column only."""
        if self._threads:
            self.dataChanged.emit(
                self.index(0, self.TIMER),
                self.index(len(self._threads) - 1, self.TIMER),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole],
            )


@dataclass(frozen=True)
class AgentLoad:
    """What the threads say about one agent: open threads, waiting threads, the oldest wait."""

    open: int = 0
    waiting: int = 0
    oldest_wait: datetime | None = None


def agent_loads(threads: Iterable[ThreadRow]) -> dict[str, AgentLoad]:
    opened: dict[str, int] = {}
    waiting: dict[str, int] = {}
    oldest: dict[str, datetime] = {}
    for t in threads:
        if t.assignee_id is None or t.status not in ("open", "pending"):
            continue
        a = t.assignee_id
        if t.status == "open":
            opened[a] = opened.get(a, 0) + 1
        if t.waiting_since is not None:
            waiting[a] = waiting.get(a, 0) + 1
            if a not in oldest or t.waiting_since < oldest[a]:
                oldest[a] = t.waiting_since
    ids = set(opened) | set(waiting)
    return {a: AgentLoad(opened.get(a, 0), waiting.get(a, 0), oldest.get(a)) for a in ids}


class AgentsModel(QAbstractTableModel):
    """The team, one agent per row: presence (and since when), open threads, threads waiting on
    them, their oldest wait, replies today, median response time and share within target.

    Signals:
      assignRequested(str, str)   thread id, agent id: a queue row was dropped on an agent
    """

    assignRequested = Signal(str, str)

    NAME, PRESENCE, OPEN, WAITING, OLDEST, REPLIES, MEDIAN, WITHIN = range(8)
    COLUMNS = 8

    def __init__(
        self, parent: QObject | None = None, *, now: Callable[[], datetime] | None = None
    ) -> None:
        super().__init__(parent)
        self._agents: list[Agent] = []
        self._loads: dict[str, AgentLoad] = {}
        self._figures: dict[str, AgentFigures] = {}
        self._today: dict[str, int] = {}
        self._now = now or (lambda: datetime.now(UTC))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._agents)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            titles = (
                self.tr("Agent"),
                self.tr("Presence"),
                self.tr("Open"),
                self.tr("Waiting"),
                self.tr("Oldest wait"),
                self.tr("Replies today"),
                self.tr("Median"),
                self.tr("In target"),
            )
            return titles[section] if 0 <= section < len(titles) else None
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = (
                None,
                self.tr("Online, away or offline, and for how long"),
                self.tr("Open threads assigned"),
                self.tr("Threads waiting for this agent's reply"),
                self.tr("The longest wait among them"),
                self.tr("Public replies since midnight"),
                self.tr("Median response time over the window"),
                self.tr("Share of openings answered within the target"),
            )
            return tips[section] if 0 <= section < len(tips) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDropEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def mimeTypes(self) -> list[str]:
        return [THREAD_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return data.hasFormat(THREAD_MIME) and self._drop_row(row, parent) is not None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        target = self._drop_row(row, parent)
        if not data.hasFormat(THREAD_MIME) or target is None:
            return False
        thread_id = bytes(data.data(THREAD_MIME).data()).decode()
        self.assignRequested.emit(thread_id, self._agents[target].id)
        return False  # nothing moves in this model; the store updates the queue

    def _drop_row(self, row: int, parent: Index) -> int | None:
        target = parent.row() if parent.isValid() else row
        return target if 0 <= target < len(self._agents) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._agents):
            return None
        agent = self._agents[index.row()]
        col = index.column()
        if role == Role.Id:
            return agent.id
        load = self._loads.get(agent.id, AgentLoad())
        figures = self._figures.get(agent.id)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == self.PRESENCE:
                return QBrush(PRESENCE_COLOURS.get(agent.presence, PRESENCE_COLOURS["offline"]))
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= self.OPEN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.NAME:
            return tooltip(agent.email)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col == self.NAME:
            return one_line(agent.name, ROW_CHARS)
        if col == self.PRESENCE:
            return self.presence_text(agent)
        if col == self.OPEN:
            return str(load.open)
        if col == self.WAITING:
            return str(load.waiting)
        if col == self.OLDEST:
            if load.oldest_wait is None:
                return "–"
            return long_elapsed((self._now() - load.oldest_wait).total_seconds())
        if col == self.REPLIES:
            return str(self._today.get(agent.id, 0))
        if col == self.MEDIAN:
            if figures is None or figures.median_response_seconds is None:
                return "–"
            return format_elapsed(figures.median_response_seconds)
        if col == self.WITHIN:
            if figures is None or figures.within_target_rate is None:
                return "–"
            return fmt.percent(figures.within_target_rate)
        return None

    def presence_text(self, agent: Agent) -> str:
        names = {
            "online": self.tr("Online"),
            "away": self.tr("Away"),
            "offline": self.tr("Offline"),
        }
        name = names.get(agent.presence, agent.presence)
        if agent.presence_since is None:
            return name
        seconds = max(0.0, (self._now() - agent.presence_since).total_seconds())
        return self.tr("%1 for %2").replace("%1", name).replace("%2", _duration(seconds))

    # --- contents
    def set_now(self, now: Callable[[], datetime]) -> None:
        self._now = now

    def set_agents(self, agents: Iterable[Agent]) -> None:
        ordered = sorted(agents, key=lambda a: (a.role == "lead", a.name.casefold(), a.id))
        if [a.id for a in ordered] == [a.id for a in self._agents]:
            self._agents = ordered
            self._all_changed()
            return
        self.beginResetModel()
        self._agents = ordered
        self.endResetModel()

    def set_numbers(
        self,
        loads: dict[str, AgentLoad],
        figures: dict[str, AgentFigures],
        today: dict[str, int],
    ) -> bool:
        """New figures; returns whether anything changed."""
        if loads == self._loads and figures == self._figures and today == self._today:
            return False
        self._loads, self._figures, self._today = loads, figures, today
        self._all_changed()
        return True

    def agent_at(self, row: int) -> Agent | None:
        return self._agents[row] if 0 <= row < len(self._agents) else None

    def row_of(self, agent_id: str) -> int | None:
        for row, agent in enumerate(self._agents):
            if agent.id == agent_id:
                return row
        return None

    def _all_changed(self) -> None:
        if self._agents:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._agents) - 1, self.COLUMNS - 1)
            )

    def tick(self) -> None:
        """Time moved on: the presence durations and the oldest waits."""
        if not self._agents:
            return
        last = len(self._agents) - 1
        roles = [Qt.ItemDataRole.DisplayRole]
        self.dataChanged.emit(self.index(0, self.PRESENCE), self.index(last, self.PRESENCE), roles)
        self.dataChanged.emit(self.index(0, self.OLDEST), self.index(last, self.OLDEST), roles)


def long_elapsed(seconds: float) -> str:
    """ "m:ss" or "h:mm:ss" below a day, then "3 d 04 h" (a timer of 612:20:55 reads badly)."""
    if seconds < 86_400:
        return format_elapsed(seconds)
    hours = int(seconds // 3600)
    return (
        QCoreApplication.translate("Dashboard", "%1 d %2 h")
        .replace("%1", str(hours // 24))
        .replace("%2", f"{hours % 24:02d}")
    )


def _duration(seconds: float) -> str:
    """A presence duration: "12 min", "3 h 05", "2 d"."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return QCoreApplication.translate("Dashboard", "less than a minute")
    if minutes < 60:
        return QCoreApplication.translate("Dashboard", "%1 min").replace("%1", str(minutes))
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return (
            QCoreApplication.translate("Dashboard", "%1 h %2")
            .replace("%1", str(hours))
            .replace("%2", f"{rest:02d}")
        )
    return QCoreApplication.translate("Dashboard", "%1 d").replace("%1", str(hours // 24))
