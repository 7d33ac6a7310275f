"""The team lead's response dashboard (and an agent's "My numbers"): live queue, agents, the page's
responsiveness against the badge, charts, alerts, team settings and exports.

The page and its charts are imported and built only when they are needed (the tab is first shown,
or a team lead signs in and needs the alerts): the main window builds the page then and wires it
(ui/main_window.py `dashboard`), not at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from agent_desktop.ui.dashboard.page import DashboardPage

__all__ = ["DashboardPage", "tab_title"]


def __getattr__(name: str) -> Any:
    if name == "DashboardPage":
        from agent_desktop.ui.dashboard.page import DashboardPage

        return DashboardPage
    raise AttributeError(name)


def tab_title(lead: bool) -> str:
    """The tab's title before the page exists (the page keeps it up to date afterwards)."""
    return (
        QCoreApplication.translate("DashboardPage", "Dashboard")
        if lead
        else QCoreApplication.translate("DashboardPage", "My numbers")
    )
