"""The team lead's response dashboard (and an agent's "My numbers"): live queue, agents, the page's
responsiveness against the badge, charts, alerts, team settings and exports."""

from __future__ import annotations

from agent_desktop.ui.dashboard.page import DashboardPage

__all__ = ["DashboardPage"]
