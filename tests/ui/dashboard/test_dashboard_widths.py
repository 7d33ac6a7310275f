"""Issue 21, dashboard polish: the agents table's columns are sized to their contents at
1024×700 in English and French: every title (on two lines) and every cell fits its column, the
names take the rest of the width, and no column is pushed out of sight."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QStyle

from agent_desktop.ui import i18n
from agent_desktop.ui.dashboard.agents_model import AgentsModel
from agent_desktop.ui.dashboard.header import TwoLineHeader, two_lines
from tests.helpers.server_fixtures import AGENT_EMAIL, LEAD_EMAIL

from .conftest import Dash

# The offscreen platform's note when a resized top-level page updates its size hints.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def misfits(dash: Dash) -> list[str]:
    """What does not fit in the agents table: a title line or a cell wider than its column, or
    columns wider than the table."""
    view = dash.page.agents_view
    header = view.horizontalHeader()
    assert isinstance(header, TwoLineHeader)
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    metrics = header.fontMetrics()
    problems: list[str] = []
    for column in range(AgentsModel.COLUMNS):
        width = header.sectionSize(column)
        title = header.title(column)
        for line in two_lines(title, metrics):
            if metrics.horizontalAdvance(line) + 2 * margin > width:
                problems.append(f"title {title!r} ({line!r}) in {width} px")
        cells = view.sizeHintForColumn(column)
        if cells > width:
            problems.append(f"cells of {title!r} need {cells} px, have {width}")
    total = header.length()
    if total > view.viewport().width():
        problems.append(f"columns {total} px in a table {view.viewport().width()} px wide")
    if header.height() < 2 * metrics.lineSpacing():
        problems.append(f"header {header.height()} px high for two lines")
    return problems


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_agents_columns_fit_their_contents_at_1024x700(
    qapp: Any, make_dash: Any, language: str
) -> None:
    assert i18n.install(qapp, language)
    try:
        dash: Dash = await make_dash(LEAD_EMAIL)
        page = dash.page
        # The page's share of a 1024×700 window (tabs, menu and status bar take the rest).
        page.resize(1016, 620)
        header = page.agents_view.horizontalHeader()
        await dash.until(lambda: page.width() == 1016 and dash.store.agents)
        await dash.until(lambda: page.agents_model.rowCount() == len(dash.store.agents))
        page.refresh_figures()
        await dash.until(lambda: not misfits(dash), 5)
        assert not misfits(dash), misfits(dash)
        # Sized to content: a column is no wider than its title or its widest cell needs.
        for column in range(1, AgentsModel.COLUMNS):
            needed = max(header.sectionSizeHint(column), page.agents_view.sizeHintForColumn(column))
            assert header.sectionSize(column) == needed, header.title(column)
        # The table asks for that width, and the page still fits a 1024-pixel window.
        assert page.minimumSizeHint().width() <= 1016
        # The names take what is left, the whole of the longest one.
        names = page.agents_view.sizeHintForColumn(AgentsModel.NAME)
        assert header.sectionSize(AgentsModel.NAME) >= names
        assert header.title(AgentsModel.MEDIAN) == (
            "Médiane, 7 jours" if language == "fr" else "Median, 7 days"
        )
        # Painted on two lines, split where the longer line is shortest.
        assert header.shown(header.title(AgentsModel.MEDIAN)) == (
            "Médiane,\n7 jours" if language == "fr" else "Median,\n7 days"
        )
    finally:
        i18n.install(qapp, "en")


@pytest.mark.parametrize(("language", "email"), [("en", LEAD_EMAIL), ("fr", AGENT_EMAIL)])
async def test_figures_over_different_windows_say_which(
    qapp: Any, make_dash: Any, language: str, email: str
) -> None:
    """Beside "Replies today" and the live queue, the figures over the team's window (gauges,
    response times, daily chart, the table's median) and the hourly chart's 24 h name their
    window, on the dashboard and on an agent's My numbers."""
    assert i18n.install(qapp, language)
    try:
        dash: Dash = await make_dash(email)
        page = dash.page
        page.refresh_figures()
        days = int(dash.store.settings.window_days)
        assert days > 1
        fr = language == "fr"
        expected = {
            page.gauge_box.title(): (
                f"Réactivité de la page, {days} jours"
                if fr
                else f"Page responsiveness, {days} days"
            ),
            page.distribution_chart.chart().title(): (
                f"Temps de réponse, {days} jours" if fr else f"Response times, {days} days"
            ),
            page.daily_chart.chart().title(): (
                f"Taux de réponse et médiane par jour, {days} jours"
                if fr
                else f"Response rate and median per day, {days} days"
            ),
            page.hourly_chart.chart().title(): (
                "Ouvertures et réponses par heure, 24 h"
                if fr
                else "Openings and responses per hour, 24 h"
            ),
        }
        for shown, wanted in expected.items():
            assert shown == wanted
        header = page.agents_view.horizontalHeader()
        assert isinstance(header, TwoLineHeader)
        assert header.title(AgentsModel.REPLIES) == (
            "Réponses aujourd'hui" if fr else "Replies today"
        )
    finally:
        i18n.install(qapp, "en")
