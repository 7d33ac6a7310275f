"""What accounts add to a signed-in session: the Team view for team leads (shown while the member
is a lead on a backend that offers accounts, so a promotion or demotion shows at once), and
Account → Change password for everyone on such a backend.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from agent_desktop.store.accounts import team_accounts
from agent_desktop.store.tasks import BackgroundTasks
from agent_desktop.ui import team
from agent_desktop.ui.dialogs import ChangePasswordDialog

if TYPE_CHECKING:
    from agent_desktop.store.client_store import ClientStore
    from agent_desktop.ui.main_window import MainWindow
    from agent_desktop.ui.team.page import TeamPage

VIEW = "team"


class AccountsUi(QObject):
    """Follows the window's store (`attach_store` / `detach_store`)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.store: ClientStore | None = None
        self.page: TeamPage | None = None
        self.dialog: ChangePasswordDialog | None = None
        self.tasks = BackgroundTasks(self.on_task_error)
        window.changePasswordRequested.connect(self.on_window_changePasswordRequested)

    def attach_store(self, store: ClientStore) -> None:
        if store is self.store:
            self.update()
            return
        self.detach_store()
        self.store = store
        store.agentsChanged.connect(self.update)
        self.update()

    def detach_store(self) -> None:
        if self.store is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self.store.agentsChanged.disconnect(self.update)
        self.store = None
        self._drop_page()
        self.window.shortcuts.change_password_action.setVisible(False)
        if self.dialog is not None:
            self.dialog.close()

    def update(self) -> None:
        """Show or take away the Team view and the password action for the current member."""
        store = self.store
        self.window.shortcuts.change_password_action.setVisible(team_accounts(store) is not None)
        if team.offered(store) and store is not None:
            if self.page is None:
                from agent_desktop.ui.team.page import TeamPage

                self.page = TeamPage(self.window.views)
                self.window.views.add_view(
                    VIEW, self.page, QCoreApplication.translate("TeamPage", "Team")
                )
            if self.page.store is not store:
                self.page.attach_store(store)
        else:
            self._drop_page()

    def _drop_page(self) -> None:
        page, self.page = self.page, None
        if page is not None:
            self.window.views.remove_view(VIEW)
            page.detach_store()
            self.tasks.start(page.aclose(), "team-page-close")
            page.deleteLater()

    # --- Account → Change password
    def on_window_changePasswordRequested(self) -> None:
        if team_accounts(self.store) is None:
            return
        if self.dialog is None:
            self.dialog = ChangePasswordDialog(self.window)
            self.dialog.submitted.connect(self.on_dialog_submitted)
            self.dialog.finished.connect(self.on_dialog_finished)
        self.dialog.open()

    def on_dialog_submitted(self, current: str, new: str) -> None:
        self.tasks.start(self._change_password(current, new), "change-password")

    async def _change_password(self, current: str, new: str) -> None:
        accounts = team_accounts(self.store)
        if accounts is None:
            return
        await accounts.change_password(current, new)
        if self.dialog is not None:
            self.dialog.accept()
        self.window.show_error(
            self.tr("Your password was changed. Other computers were signed out.")
        )

    def on_dialog_finished(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def on_task_error(self, text: str) -> None:
        if self.dialog is not None:
            self.dialog.show_error(text)
        else:
            self.window.show_error(text)

    async def aclose(self) -> None:
        self._drop_page()
        await self.tasks.cancel_all()
