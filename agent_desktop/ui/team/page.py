"""The Team page, for team leads: every member with role, presence and last seen; add a member (and
show the one-time code to pass on), rename, make lead or agent, deactivate (choosing what becomes
of their open conversations), activate, reset. It follows the store's team live (`agent.updated`
and `agent.presence` events), so another lead's change shows at once.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.store.accounts import team_accounts
from agent_desktop.store.tasks import BackgroundTasks
from agent_desktop.ui import plain_text, theme
from agent_desktop.ui.team.dialogs import (
    AddMemberDialog,
    CodeDialog,
    DeactivateDialog,
    RenameDialog,
    ResetDialog,
    shown_name,
)
from agent_desktop.ui.team.model import Column, TeamModel

PENDING_SECONDS = 10.0

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from agent_desktop.backends.base import TeamAccounts
    from agent_desktop.core.types import Agent, NewMember
    from agent_desktop.store.client_store import ClientStore


class TeamPage(QWidget):
    """Signals: message(str) with a sentence for the status bar after each change."""

    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamPage")
        self.store: ClientStore | None = None
        self.members: dict[str, Agent] = {}
        # agent id -> (the page's own result, when, the store's copy before the change)
        self._pending: dict[str, tuple[Agent, float, Agent | None]] = {}
        self.tasks = BackgroundTasks(self.show_error)
        self.dialog: QDialog | None = None

        box = QVBoxLayout(self)
        top = QHBoxLayout()
        title = plain_text.label(self.tr("Team"), self)
        font = title.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        title.setFont(font)
        top.addWidget(title)
        top.addStretch(1)
        self.add_button = QPushButton(self.tr("Add a member…"), self)
        self.add_button.setObjectName("addMember")
        self.add_button.clicked.connect(self.on_add_button_clicked)
        top.addWidget(self.add_button)
        box.addLayout(top)
        self.intro = plain_text.label(
            self.tr(
                "Members sign in with their email and password. A new member first signs in "
                "with the one-time code you give them and chooses their password."
            ),
            self,
            wrap=True,
        )
        box.addWidget(self.intro)

        self.model = TeamModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("teamTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.Name, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.Email, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self.on_view_customContextMenuRequested)
        self.view.doubleClicked.connect(self.on_view_doubleClicked)
        box.addWidget(self.view, 1)

        actions = QHBoxLayout()
        self.rename_button = QPushButton(self.tr("Rename…"), self)
        self.rename_button.setObjectName("renameMember")
        self.rename_button.clicked.connect(self.rename_selected)
        self.role_button = QPushButton(self.tr("Make team lead"), self)
        self.role_button.setObjectName("changeRole")
        self.role_button.clicked.connect(self.change_role_selected)
        self.active_button = QPushButton(self.tr("Deactivate…"), self)
        self.active_button.setObjectName("deactivateMember")
        self.active_button.clicked.connect(self.toggle_active_selected)
        self.reset_button = QPushButton(self.tr("Reset password…"), self)
        self.reset_button.setObjectName("resetMember")
        self.reset_button.clicked.connect(self.reset_selected)
        for button in (self.rename_button, self.role_button, self.active_button, self.reset_button):
            actions.addWidget(button)
        actions.addStretch(1)
        box.addLayout(actions)
        self.status = plain_text.label(parent=self, wrap=True)
        self.status.setObjectName("teamStatus")
        box.addWidget(self.status)

        self.view.selectionModel().selectionChanged.connect(self.update_buttons)
        self.model.modelReset.connect(self.update_buttons)
        # "5 min ago" moves with time.
        self._clock = QTimer(self)
        self._clock.setInterval(60_000)
        self._clock.timeout.connect(self.on_clock_timeout)
        self._clock.start()
        self.update_buttons()

    # --- the store
    def attach_store(self, store: ClientStore) -> None:
        self.detach_store()
        self.store = store
        store.agentsChanged.connect(self.on_store_agentsChanged)
        self.on_store_agentsChanged()

    def detach_store(self) -> None:
        if self.store is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self.store.agentsChanged.disconnect(self.on_store_agentsChanged)
        self.store = None
        self.members = {}
        self._pending.clear()
        self.model.set_members([])

    @property
    def accounts(self) -> TeamAccounts | None:
        return team_accounts(self.store)

    @property
    def me(self) -> Agent | None:
        return self.store.me if self.store is not None else None

    def on_store_agentsChanged(self) -> None:
        if self.store is None:
            return
        self.members = dict(self.store.agents)
        # A change this page made shows until the store's copy of that member moves (the event
        # stream brought this change, or a later one: it wins; a member who signs in with their
        # code right after being added shows online at once), for at most PENDING_SECONDS.
        now = time.monotonic()
        for agent_id, (agent, since, before) in list(self._pending.items()):
            current = self.members.get(agent_id)
            if current == agent or current != before or now - since > PENDING_SECONDS:
                del self._pending[agent_id]
            else:
                self.members[agent_id] = agent
        self._refresh()

    def _refresh(self) -> None:
        selected = self.selected()
        self.model.set_members(self.members.values(), self.me.id if self.me else None)
        is_lead = self.me is not None and self.me.role == "lead"
        self.add_button.setEnabled(is_lead and self.accounts is not None)
        if selected is not None:
            self.select(selected.id)

    def _took(self, agent: Agent, sentence: str) -> None:
        """A change the server made: shown at once (the store's event follows)."""
        before = self.store.agents.get(agent.id) if self.store is not None else None
        self.members[agent.id] = agent
        self._pending[agent.id] = (agent, time.monotonic(), before)
        self._refresh()
        self.select(agent.id)
        self.show_info(sentence)

    # --- selection and buttons
    def selected(self) -> Agent | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.member(rows[0].row()) if rows else None

    def select(self, agent_id: str) -> None:
        row = self.model.row_of(agent_id)
        if row >= 0:
            self.view.selectRow(row)

    def select_email(self, email: str) -> None:
        row = self.model.row_of_email(email)
        if row >= 0:
            self.view.selectRow(row)

    def update_buttons(self, *_: Any) -> None:
        member = self.selected()
        lead = self.me is not None and self.me.role == "lead" and self.accounts is not None
        other = member is not None and self.me is not None and member.id != self.me.id
        self.rename_button.setEnabled(lead and member is not None)
        self.role_button.setEnabled(lead and member is not None)
        self.role_button.setText(
            self.tr("Make agent")
            if member is not None and member.role == "lead"
            else self.tr("Make team lead")
        )
        self.active_button.setEnabled(lead and other)
        self.active_button.setText(
            self.tr("Activate")
            if member is not None and not member.active
            else self.tr("Deactivate…")
        )
        self.reset_button.setEnabled(lead and other and member is not None and member.active)

    def on_clock_timeout(self) -> None:
        if self.model.rowCount():
            top = self.model.index(0, Column.LastSeen)
            bottom = self.model.index(self.model.rowCount() - 1, Column.LastSeen)
            self.model.dataChanged.emit(top, bottom)

    def on_view_doubleClicked(self, _index: QModelIndex) -> None:
        self.rename_selected()

    def on_view_customContextMenuRequested(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        self.view.selectRow(index.row())
        menu = QMenu(self)
        for button in (self.rename_button, self.role_button, self.active_button, self.reset_button):
            action = QAction(plain_text.caption(button.text()), menu)
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
            menu.addAction(action)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    # --- messages
    def show_error(self, text: str) -> None:
        dialog = self.dialog
        if dialog is not None and hasattr(dialog, "show_error"):
            dialog.show_error(text)
            return
        self.status.setStyleSheet(f"color: {theme.FAILED.name()};")
        self.status.setText(text)

    def show_info(self, text: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(text)
        self.message.emit(text)

    def _open(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(lambda _result, d=dialog: self._closed(d))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _done(self, dialog: QDialog) -> None:
        dialog.accept()

    # --- add
    def on_add_button_clicked(self) -> None:
        dialog = AddMemberDialog(self)
        dialog.submitted.connect(lambda e, n, r: self.tasks.start(self._add(dialog, e, n, r)))
        self._open(dialog)

    async def _add(self, dialog: AddMemberDialog, email: str, name: str, role: str) -> None:
        accounts = self.accounts
        if accounts is None:
            return
        added = await accounts.add_member(
            email=email, name=name, role="lead" if role == "lead" else "agent"
        )
        self._done(dialog)
        self._took(
            added.agent,
            self.tr("%1 was added; give them their code.").replace("%1", shown_name(added.agent)),
        )
        self._show_code(added)

    def _show_code(self, new: NewMember) -> None:
        self._open(
            CodeDialog(
                self,
                member=new.agent,
                code=new.invitation.code,
                expires_at=new.invitation.expires_at,
            )
        )

    # --- rename and role
    def rename_selected(self) -> None:
        member = self.selected()
        if member is None or not self.rename_button.isEnabled():
            return
        dialog = RenameDialog(self, member)
        dialog.submitted.connect(lambda name: self.tasks.start(self._rename(dialog, member, name)))
        self._open(dialog)

    async def _rename(self, dialog: RenameDialog, member: Agent, name: str) -> None:
        accounts = self.accounts
        if accounts is None:
            return
        agent = await accounts.update_member(member.id, name=name)
        self._done(dialog)
        self._took(agent, self.tr("Renamed %1.").replace("%1", shown_name(agent)))

    def change_role_selected(self) -> None:
        member = self.selected()
        if member is None or not self.role_button.isEnabled():
            return
        role = "agent" if member.role == "lead" else "lead"
        self.tasks.start(self._change_role(member, role), "team-role")

    async def _change_role(self, member: Agent, role: str) -> None:
        accounts = self.accounts
        if accounts is None:
            return
        agent = await accounts.update_member(member.id, role="lead" if role == "lead" else "agent")
        sentence = (
            self.tr("%1 is now a team lead.")
            if agent.role == "lead"
            else self.tr("%1 is now an agent.")
        )
        self._took(agent, sentence.replace("%1", shown_name(agent)))

    # --- deactivate and activate
    def open_threads_of(self, agent_id: str) -> int:
        if self.store is None:
            return 0
        return sum(
            1
            for t in self.store.threads.values()
            if t.assignee_id == agent_id and t.status in ("open", "pending")
        )

    def toggle_active_selected(self) -> None:
        member = self.selected()
        if member is None or not self.active_button.isEnabled():
            return
        if not member.active:
            self.tasks.start(self._activate(member), "team-activate")
            return
        dialog = DeactivateDialog(self, member, self.open_threads_of(member.id))
        dialog.submitted.connect(
            lambda choice: self.tasks.start(self._deactivate(dialog, member, choice))
        )
        self._open(dialog)

    async def _deactivate(self, dialog: DeactivateDialog, member: Agent, choice: str) -> None:
        accounts = self.accounts
        if accounts is None:
            return
        agent = await accounts.deactivate_member(
            member.id, open_threads="keep" if choice == "keep" else "unassign"
        )
        self._done(dialog)
        self._took(
            agent,
            self.tr("%1 was deactivated and signed out.").replace("%1", shown_name(agent)),
        )

    async def _activate(self, member: Agent) -> None:
        accounts = self.accounts
        if accounts is None:
            return
        agent = await accounts.activate_member(member.id)
        self._took(
            agent,
            self.tr("%1 can sign in again.").replace("%1", shown_name(agent)),
        )

    # --- reset
    def reset_selected(self) -> None:
        member = self.selected()
        if member is None or not self.reset_button.isEnabled():
            return
        dialog = ResetDialog(self, member)
        dialog.submitted.connect(lambda: self.tasks.start(self._reset(dialog, member)))
        self._open(dialog)

    async def _reset(self, dialog: ResetDialog, member: Agent) -> None:
        accounts = self.accounts
        if accounts is None:
            return
        new = await accounts.reset_member(member.id)
        self._done(dialog)
        self._took(
            new.agent,
            self.tr("%1's password was reset; give them their new code.").replace(
                "%1", shown_name(new.agent)
            ),
        )
        self._show_code(new)

    async def aclose(self) -> None:
        await self.tasks.cancel_all()
