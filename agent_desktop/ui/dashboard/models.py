"""The dashboard's live queue of waiting threads (longest wait first), and what the dashboard's
table models share (roles, colours, the drag format of a thread). The agents' table is
agents_model.py.

Both models change row by row as events arrive; the page's one-second tick refreshes only the
columns that move with time (`tick()`).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from agent_desktop.core.clock import format_elapsed
from agent_desktop.ui import fmt
from agent_desktop.ui.plain_text import ROW_CHARS, one_line, tooltip
from agent_desktop.ui.thread_times import ThreadTimes

if TYPE_CHECKING:
    from agent_desktop.core.rows import ThreadRow
    from agent_desktop.core.types import Agent

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


class QueueModel(ThreadTimes, QAbstractTableModel):
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
            text = thread.customer_name
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
    def agent_name(self, agent_id: str | None) -> str:
        if agent_id is None:
            return self.tr("Unassigned")
        agent = self._agents.get(agent_id)
        return agent.name if agent is not None else agent_id

    def window_text(self, thread: ThreadRow) -> str:
        state, closes_at = thread.window_state, thread.window_closes_at
        until = (
            self.tr(" until %1").replace("%1", fmt.weekday_time(closes_at))
            if closes_at is not None
            else ""
        )
        if state == "standard":
            return self.tr("Open (24 h)") + until
        if state == "human_agent":
            return self.tr("Human agent only") + until
        if state == "closed":
            return self.tr("Closed")
        return self.tr("No limit")

    def _assignees_changed(self) -> None:
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
