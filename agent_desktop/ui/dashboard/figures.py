"""The dashboard's figures in words: the team's gauges and labels, what it takes to get the
response rate back to 90 %, and the queue's counts. The page (ui/dashboard/page.py) calls these;
their sentences keep the page's translation context ("DashboardPage")."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from babel import numbers as babel_numbers
from PySide6.QtCore import QCoreApplication

from agent_desktop.core.clock import format_elapsed, timer_reading
from agent_desktop.core.formatting import resolve_locale
from agent_desktop.core.projection import openings_to_recover, projected_rate
from agent_desktop.ui import fmt
from agent_desktop.ui.dashboard.models import long_elapsed

if TYPE_CHECKING:
    from agent_desktop.core.rows import ThreadRow
    from agent_desktop.core.types import Figures
    from agent_desktop.ui.dashboard.page import DashboardPage


def show_gauges(page: DashboardPage, team: Figures, target: float) -> None:
    """The team's figures on the page's gauges and labels."""
    if team.response_rate is None:
        page.rate_gauge.set_value(
            None, "–", QCoreApplication.translate("DashboardPage", "No openings counted yet")
        )
    else:
        page.rate_gauge.set_value(
            team.response_rate,
            precise_percent(team.response_rate),
            QCoreApplication.translate("DashboardPage", "%1 of %2 openings")
            .replace("%1", str(team.responded))
            .replace("%2", str(team.counted)),
        )
    caption = QCoreApplication.translate("DashboardPage", "target %1").replace(
        "%1", format_elapsed(target)
    )
    if team.median_response_seconds is None:
        page.median_gauge.set_value(None, "–", caption)
    else:
        page.median_gauge.set_value(
            team.median_response_seconds,
            format_elapsed(team.median_response_seconds),
            caption,
        )
    page.fastest_label.setText(
        format_elapsed(team.fastest90_mean_seconds)
        if team.fastest90_mean_seconds is not None
        else "–"
    )
    page.within_label.setText(
        fmt.percent(team.within_target_rate) if team.within_target_rate is not None else "–"
    )
    page.pending_label.setText(str(team.pending))
    projected = projected_rate(team.responded, team.counted, team.pending)
    page.projected_label.setText(precise_percent(projected) if projected is not None else "–")
    page.badge_label.setText(
        QCoreApplication.translate("DashboardPage", "Yes")
        if team.badge
        else QCoreApplication.translate("DashboardPage", "Not now")
    )
    page.projection_label.setText(projection_text(team.responded, team.counted))


def name_windows(page: DashboardPage, days: int) -> None:
    """Every figure over the team's window says which: the gauges, the response-time
    distribution and the daily chart, like the agents table's "Median, 7 days" (the hourly
    chart says "24 h", the queue and its counts are live, "Replies today" since midnight)."""
    if days == 1:
        gauges = QCoreApplication.translate("DashboardPage", "Page responsiveness, 24 h")
        times = QCoreApplication.translate("DashboardPage", "Response times, 24 h")
        daily = QCoreApplication.translate(
            "DashboardPage", "Response rate and median per day, 24 h"
        )
    else:
        gauges = QCoreApplication.translate(
            "DashboardPage", "Page responsiveness, %1 days"
        ).replace("%1", str(days))
        times = QCoreApplication.translate("DashboardPage", "Response times, %1 days").replace(
            "%1", str(days)
        )
        daily = QCoreApplication.translate(
            "DashboardPage", "Response rate and median per day, %1 days"
        ).replace("%1", str(days))
    page.gauge_box.setTitle(gauges)
    page.distribution_chart.set_title(times)
    page.daily_chart.set_title(daily)


def projection_text(responded: int, counted: int) -> str:
    k = openings_to_recover(responded, counted)
    if not counted:
        return QCoreApplication.translate("DashboardPage", "No openings counted in the window yet.")
    if not k:
        return QCoreApplication.translate("DashboardPage", "The response rate meets 90 %.")
    if k == 1:
        return QCoreApplication.translate(
            "DashboardPage", "One more opening answered within 24 h brings the rate back to 90 %."
        )
    return QCoreApplication.translate(
        "DashboardPage", "%1 more openings answered within 24 h bring the rate back to 90 %."
    ).replace("%1", str(k))


def queue_counts(threads: Sequence[ThreadRow], now: datetime, target: float) -> dict[str, Any]:
    """waiting, unassigned, warning, breached (ints) and oldest (seconds or None) of the queue's
    threads (most urgent first)."""
    states = [timer_reading(t.waiting_since, now, target, t.status).state for t in threads]
    oldest = threads[0] if threads else None
    return {
        "waiting": len(threads),
        "unassigned": sum(1 for t in threads if t.assignee_id is None),
        "warning": states.count("warning"),
        "breached": states.count("breached"),
        "oldest": (
            (now - oldest.waiting_since).total_seconds()
            if oldest is not None and oldest.waiting_since is not None
            else None
        ),
    }


def counts_text(c: dict[str, Any]) -> str:
    text = (
        QCoreApplication.translate(
            "DashboardPage", "Waiting %1 · Unassigned %2 · Warning %3 · Breached %4"
        )
        .replace("%1", str(c["waiting"]))
        .replace("%2", str(c["unassigned"]))
        .replace("%3", str(c["warning"]))
        .replace("%4", str(c["breached"]))
    )
    if c["oldest"] is not None:
        text += "  ·  " + QCoreApplication.translate("DashboardPage", "Oldest %1").replace(
            "%1", long_elapsed(c["oldest"])
        )
    return text


def precise_percent(ratio: float) -> str:
    """A share with one decimal, rounded down ("89.9%"), so a rate just under 90 % never reads
    as 90 %; the locale's own pattern otherwise ("89,9 %" in French)."""
    locale = resolve_locale(fmt.locale())
    pattern = locale.percent_formats[None].pattern
    shown = math.floor(ratio * 1000 + 1e-9) / 1000
    return babel_numbers.format_percent(shown, pattern.replace("0", "0.0", 1), locale=locale)
