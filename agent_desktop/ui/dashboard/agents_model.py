"""The dashboard's agents table: the team, one agent per row, with their presence, load and
response figures (see models.py for the queue and what the two tables share)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush

from agent_desktop.core.clock import format_elapsed
from agent_desktop.ui import fmt
from agent_desktop.ui.dashboard.models import (
    PRESENCE_COLOURS,
    THREAD_MIME,
    Index,
    Role,
    long_elapsed,
)
from agent_desktop.ui.plain_text import ROW_CHARS, one_line, tooltip

if TYPE_CHECKING:
    from agent_desktop.core.rows import ThreadRow
    from agent_desktop.core.types import Agent, AgentFigures


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
        # The days the median and in-target columns cover (the team's window); their titles say
        # it, beside "Replies today" and the status bar's figures of today.
        self.window_days: int | None = None

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
                *self.window_titles(),
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

    def window_titles(self) -> tuple[str, str]:
        """The median's and in-target's column titles, naming the days they cover."""
        days = self.window_days
        if days is None:
            return self.tr("Median"), self.tr("In target")
        if days == 1:
            return self.tr("Median, 24 h"), self.tr("In target, 24 h")
        return (
            self.tr("Median, %1 days").replace("%1", str(days)),
            self.tr("In target, %1 days").replace("%1", str(days)),
        )

    def set_window(self, days: int) -> None:
        if days != self.window_days:
            self.window_days = days
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, self.MEDIAN, self.WITHIN)

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


def _duration(seconds: float) -> str:
    """A presence duration: "12 min", "3 h 05", "2 d"."""
    minutes = int(seconds // 60)
    if minutes < 1:
        # Short: the presence column is sized to its longest text.
        return QCoreApplication.translate("Dashboard", "< 1 min")
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
