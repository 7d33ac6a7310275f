"""The lead's dialogs of the dashboard page (`DashboardPage` in page.py inherits them): the
Messenger Page's permissions and utility templates, the team settings (saved through the store)
and the exports (CSV or the metrics' input, for a period). Only a lead opens them. Their sentences
keep the page's translation context ("DashboardPage")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt

from agent_desktop.backends.base import BackendError, ForbiddenError
from agent_desktop.store.dashboard import DashboardData, fetch_period
from agent_desktop.store.sentences import error_sentence
from agent_desktop.ui.dashboard import export
from agent_desktop.ui.dashboard.export import ExportDialog
from agent_desktop.ui.dashboard.messenger_templates import MessengerTemplatesDialog
from agent_desktop.ui.dashboard.page_layout import DashboardLayout
from agent_desktop.ui.dashboard.team_settings import TeamSettingsDialog

if TYPE_CHECKING:
    from agent_desktop.core.types import TeamSettings
    from agent_desktop.store.client_store import ClientStore
    from agent_desktop.store.messenger import MessengerStore
    from agent_desktop.store.tasks import BackgroundTasks


class DashboardDialogs(DashboardLayout):
    """Opens the lead's dialogs and carries out what they ask (the page's `store`, `tasks` and
    `data`, made in DashboardPage.__init__)."""

    store: ClientStore | None
    tasks: BackgroundTasks
    data: DashboardData
    now: Callable[[], datetime]
    show_message: Callable[[str], None]
    messenger: MessengerStore | None
    messenger_dialog: MessengerTemplatesDialog | None
    settings_dialog: TeamSettingsDialog | None
    export_dialog: ExportDialog | None

    @property
    def is_lead(self) -> bool:
        store = self.store
        return bool(store and store.me and store.me.role == "lead")

    # --- Messenger: permissions and utility templates (leads only)
    def attach_messenger(self, messenger: MessengerStore | None) -> None:
        """The main window's Messenger store (None: no bridge, or signed out)."""
        self.messenger = messenger
        self.update_messenger_button()

    def update_messenger_button(self) -> None:
        messenger = self.messenger
        has_bridge = messenger is not None and messenger.admin is not None
        self.messenger_button.setVisible(self.is_lead and has_bridge)

    def open_messenger(self) -> MessengerTemplatesDialog | None:
        """Open the Messenger dialog; None (and nothing opens) for anyone but a lead."""
        if self.messenger is None or not self.is_lead:
            return None
        dialog = MessengerTemplatesDialog(self.messenger, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "messenger_dialog", None))
        self.messenger_dialog = dialog
        dialog.open()
        return dialog

    # --- team settings (leads only)
    def open_team_settings(self) -> TeamSettingsDialog | None:
        """Open the team settings dialog; None (and nothing opens) for anyone but a lead."""
        store = self.store
        if store is None or not self.is_lead:
            self.show_message(
                QCoreApplication.translate(
                    "DashboardPage", "Only a team lead can change the team settings."
                )
            )
            return None
        dialog = TeamSettingsDialog(store.settings, self, now=self.now())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saveRequested.connect(
            lambda s: self.tasks.start(self.save_settings(dialog, s), "team-settings")
        )
        dialog.finished.connect(lambda _r: setattr(self, "settings_dialog", None))
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    async def save_settings(
        self, dialog: TeamSettingsDialog | None, settings: TeamSettings
    ) -> TeamSettings | None:
        """PUT the settings; every client (this one too) applies them from `settings.changed`."""
        store = self.store
        if store is None:
            return None
        try:
            saved = await store.update_settings(settings)
        except ForbiddenError:
            text = QCoreApplication.translate(
                "DashboardPage", "Only a team lead can change the team settings."
            )
            if dialog is not None:
                dialog.show_error(text)
            self.show_message(text)
            return None
        except BackendError as exc:
            if dialog is not None:
                dialog.show_error(error_sentence(exc))
            return None
        if dialog is not None:
            dialog.saved()
        return saved

    # --- exports (leads only)
    def open_export(self) -> ExportDialog | None:
        if self.store is None or not self.is_lead:
            return None
        dialog = ExportDialog(self, self.now(), int(self.data.settings.window_days))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exportRequested.connect(
            lambda kind, since, until, path: self.tasks.start(
                self.export(kind, since, until, Path(path)), "export"
            )
        )
        self.export_dialog = dialog
        dialog.open()
        return dialog

    async def export(self, kind: str, since: datetime, until: datetime, path: Path) -> None:
        """Write `kind` ("metrics", "openings" or "data") for [since, until] to `path`."""
        store = self.store
        if store is None:
            return
        period = await fetch_period(store, since, until)
        try:
            if kind == "metrics":
                export.write_metrics_csv(path, period, store.agents)
            elif kind == "openings":
                export.write_openings_csv(path, period)
            else:
                export.write_metrics_input(path, period)
        except OSError as exc:
            self.show_message(
                QCoreApplication.translate(
                    "DashboardPage", "The file could not be written: %1"
                ).replace("%1", exc.strerror or "")
            )
            return
        self.show_message(
            QCoreApplication.translate("DashboardPage", "Saved %1").replace("%1", path.name)
        )
