"""The Team page's table: every member with role, state (online, away, offline, invited,
deactivated) and when they were last seen. Active members first, by name; the team is small, so
each change resets the model."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from agent_desktop.ui import fmt
from agent_desktop.ui.plain_text import NAME_CHARS, one_line

if TYPE_CHECKING:
    from agent_desktop.core.types import Agent

Index = QModelIndex | QPersistentModelIndex

STATE_COLOURS = {
    "online": QColor("#2e9d4f"),
    "away": QColor("#d98a00"),
    "offline": QColor("#8a8f98"),
    "invited": QColor("#1a73e8"),
    "reset": QColor("#1a73e8"),
    "code_expired": QColor("#d98a00"),
    "deactivated": QColor("#d93025"),
}


class Column(IntEnum):
    Name = 0
    Email = 1
    Role = 2
    State = 3
    LastSeen = 4


class TeamRole(IntEnum):
    Id = Qt.ItemDataRole.UserRole + 1
    State = Qt.ItemDataRole.UserRole + 2


def member_state(agent: Agent, now: datetime | None = None) -> str:
    """deactivated; invited or reset while a code waits (code_expired once it no longer works);
    else the presence."""
    if not agent.active:
        return "deactivated"
    if agent.invitation_expires_at is not None:
        if agent.invitation_expires_at <= (now or datetime.now(UTC)):
            return "code_expired"
        return "invited" if agent.last_seen_at is None else "reset"
    return agent.presence


class TeamModel(QAbstractTableModel):
    """The team (`set_members`), one row per member."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.members: list[Agent] = []
        self.me_id: str | None = None
        self.now: datetime | None = None  # tests fix the clock; None: the real one

    def set_members(self, members: Iterable[Agent], me_id: str | None = None) -> None:
        self.beginResetModel()
        self.members = sorted(members, key=lambda a: (not a.active, a.name.casefold(), a.id))
        self.me_id = me_id
        self.endResetModel()

    def member(self, row: int) -> Agent | None:
        return self.members[row] if 0 <= row < len(self.members) else None

    def row_of_email(self, email: str) -> int:
        for row, agent in enumerate(self.members):
            if agent.email == email:
                return row
        return -1

    def row_of(self, agent_id: str) -> int:
        for row, agent in enumerate(self.members):
            if agent.id == agent_id:
                return row
        return -1

    # --- Qt
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.members)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            Column.Name: self.tr("Name"),
            Column.Email: self.tr("Email"),
            Column.Role: self.tr("Role"),
            Column.State: self.tr("State"),
            Column.LastSeen: self.tr("Last seen"),
        }.get(Column(section))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        agent = self.member(index.row()) if index.isValid() else None
        if agent is None:
            return None
        column = Column(index.column())
        state = member_state(agent, self.now)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(agent, column, state)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.State:
            if state in ("invited", "reset") and agent.invitation_expires_at is not None:
                return self.tr("The invitation code works until %1").replace(
                    "%1", fmt.date_time(agent.invitation_expires_at)
                )
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == Column.State:
                return QBrush(STATE_COLOURS.get(state, STATE_COLOURS["offline"]))
            if not agent.active:
                return QBrush(STATE_COLOURS["offline"])
            return None
        if role == TeamRole.Id:
            return agent.id
        if role == TeamRole.State:
            return state
        return None

    def _text(self, agent: Agent, column: Column, state: str) -> str:
        if column == Column.Name:
            name = one_line(agent.name, NAME_CHARS)
            return self.tr("%1 (you)").replace("%1", name) if agent.id == self.me_id else name
        if column == Column.Email:
            return one_line(agent.email, NAME_CHARS)
        if column == Column.Role:
            return self.tr("Team lead") if agent.role == "lead" else self.tr("Agent")
        if column == Column.State:
            return {
                "online": self.tr("Online"),
                "away": self.tr("Away"),
                "offline": self.tr("Offline"),
                "invited": self.tr("Invited"),
                "reset": self.tr("Password reset"),
                "code_expired": self.tr("Code expired"),
                "deactivated": self.tr("Deactivated"),
            }.get(state, state)
        return self.last_seen(agent)

    def last_seen(self, agent: Agent) -> str:
        if agent.active and agent.presence in ("online", "away"):
            return self.tr("Now")
        if agent.last_seen_at is None:
            return self.tr("Never")
        now = self.now or datetime.now(UTC)
        minutes = int((now - agent.last_seen_at).total_seconds() // 60)
        if minutes < 1:
            return self.tr("Just now")
        if minutes < 60:
            return self.tr("%1 min ago").replace("%1", str(minutes))
        if minutes < 24 * 60:
            return self.tr("%1 h ago").replace("%1", str(minutes // 60))
        return fmt.date_time(agent.last_seen_at)
