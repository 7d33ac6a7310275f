"""The team lead's response dashboard (and an agent's "My numbers"): live queue, agents, the page's
responsiveness against the badge, charts, alerts, team settings and exports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from agent_desktop.ui.dashboard.page import DashboardPage

if TYPE_CHECKING:
    from agent_desktop.ui.main_window import MainWindow

__all__ = ["DashboardPage", "install"]


def install(window: MainWindow) -> DashboardPage:
    """Add the dashboard as a view of the main window: its alerts go to the window's desktop
    notifications, a double-clicked thread opens in the workspace. The window still calls
    `attach_store`/`detach_store` on the returned page with its own."""
    page = DashboardPage(window)
    page.notify.connect(window.notify)

    def open_in_workspace(thread_id: str) -> None:
        window.show_view("workspace")
        if not window.thread_list.select_thread(thread_id):
            window.show_error(
                QCoreApplication.translate(
                    "DashboardPage", "That conversation is hidden by the list's filter."
                )
            )

    page.openThreadRequested.connect(open_in_workspace)
    window.add_view("dashboard", page, QCoreApplication.translate("DashboardPage", "Dashboard"))
    return page
