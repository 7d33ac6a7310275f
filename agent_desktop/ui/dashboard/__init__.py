"""The team lead's response dashboard (and an agent's "My numbers"): live queue, agents, the page's
responsiveness against the badge, charts, alerts, team settings and exports.

The page and its charts are imported and built only when they are needed (the tab is first shown,
or a team lead signs in and needs the alerts): `install` is called then, not at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from agent_desktop.ui.dashboard.page import DashboardPage
    from agent_desktop.ui.main_window import MainWindow

__all__ = ["DashboardPage", "install", "tab_title"]


def __getattr__(name: str) -> Any:
    if name == "DashboardPage":
        from agent_desktop.ui.dashboard.page import DashboardPage

        return DashboardPage
    raise AttributeError(name)


def tab_title(lead: bool) -> str:
    """The tab's title before the page exists (the page keeps it up to date afterwards)."""
    from agent_desktop.ui.dashboard import i18n as dashboard_i18n

    dashboard_i18n.install()
    return (
        QCoreApplication.translate("DashboardPage", "Dashboard")
        if lead
        else QCoreApplication.translate("DashboardPage", "My numbers")
    )


def install(window: MainWindow) -> DashboardPage:
    """Build the dashboard page into the window's "dashboard" view: its alerts go to the window's
    desktop notifications, a double-clicked thread opens in the workspace. The window then calls
    `attach_store`/`detach_store` on the returned page with its own."""
    from agent_desktop.ui.dashboard.page import DashboardPage

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
    store = window.store
    title = tab_title(bool(store and store.me and store.me.role == "lead"))
    if window.has_view("dashboard"):
        window.replace_view("dashboard", page, title)
    else:
        window.add_view("dashboard", page, title)
    return page
