"""The dashboard's widgets without a server: chart tooltips on hover, the histogram's bins, the
gauges' colours, the team settings dialog, and the French translation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCharts import QBarSeries, QLineSeries
from PySide6.QtCore import QCoreApplication, QDateTime, QPointF

from agent_desktop.core.metrics_live import DailyPoint, HourBucket
from agent_desktop.core.types import AwayPeriod, TeamSettings
from agent_desktop.ui import i18n
from agent_desktop.ui.dashboard.charts import (
    DailyChart,
    DistributionChart,
    HourlyChart,
    histogram,
)
from agent_desktop.ui.dashboard.gauges import BAD, GOOD, NEUTRAL, Gauge
from agent_desktop.ui.dashboard.page import precise_percent
from agent_desktop.ui.dashboard.team_settings import TeamSettingsDialog

START = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)

# Tooltips and top-level widgets on the offscreen platform: it warns that it cannot raise them.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_hourly_chart_tooltips(qtbot: Any) -> None:
    chart = HourlyChart()
    qtbot.add_widget(chart)
    chart.set_buckets([HourBucket(START + timedelta(hours=i), i % 4, i % 3) for i in range(24)])
    series = next(s for s in chart.chart().series() if isinstance(s, QBarSeries))
    series.hovered.emit(True, 7, series.barSets()[0])
    assert "Openings: 3" in chart.last_tip
    assert "Responses: 1" in chart.last_tip
    series.hovered.emit(False, 7, series.barSets()[0])
    assert chart.last_tip == ""


def test_distribution_chart_bins_and_tooltips(qtbot: Any) -> None:
    width, bins = histogram([0, 59, 60, 299, 300, 10_000], 300)
    assert width == 60
    assert len(bins) == 16
    assert bins[0] == 2 and bins[1] == 1 and bins[4] == 1 and bins[5] == 1 and bins[15] == 1
    chart = DistributionChart()
    qtbot.add_widget(chart)
    chart.set_times([0, 59, 60, 299, 300, 10_000], 300)
    bars = next(s for s in chart.chart().series() if isinstance(s, QBarSeries))
    target = next(s for s in chart.chart().series() if isinstance(s, QLineSeries))
    assert target.points()[0].x() == 4.5  # between the bins below and above 5:00
    bars.hovered.emit(True, 0, bars.barSets()[0])
    assert chart.last_tip == "0:00 to 1:00\nAnswered openings: 2"
    bars.hovered.emit(True, 15, bars.barSets()[0])
    assert chart.last_tip.startswith("15:00 or more")


def test_daily_chart_tooltips(qtbot: Any) -> None:
    chart = DailyChart()
    qtbot.add_widget(chart)
    points = [
        DailyPoint(date(2026, 3, 1), 10, 8, 7, 0.875, 150.0),
        DailyPoint(date(2026, 3, 2), 4, 0, 0, None, None),
    ]
    chart.set_points(points, 300)
    rate = next(s for s in chart.chart().series() if s.name() == "Response rate")
    assert isinstance(rate, QLineSeries)
    assert [p.y() for p in rate.points()] == [87.5]
    rate.hovered.emit(QPointF(0, 87.5), True)
    assert "(7 of 8)" in chart.last_tip and "2:30" in chart.last_tip
    rate.hovered.emit(QPointF(1, 0), True)
    assert "Openings: 4" in chart.last_tip


def test_gauges_colour_against_the_threshold(qtbot: Any) -> None:
    rate = Gauge("Response rate")
    qtbot.add_widget(rate)
    rate.set_scale(1.0, 0.9, higher_is_better=True)
    rate.set_value(None, "–")
    assert rate.colour() == NEUTRAL
    rate.set_value(0.9, "90.0%")
    assert rate.colour() == GOOD
    rate.set_value(0.899, "89.9%")
    assert rate.colour() == BAD
    median = Gauge("Median response time")
    qtbot.add_widget(median)
    median.set_scale(600, 300, higher_is_better=False)
    median.set_value(299, "4:59")
    assert median.colour() == GOOD
    median.set_value(300, "5:00")
    assert median.colour() == BAD
    median.resize(220, 180)
    assert not median.grab().isNull()
    assert precise_percent(0.8999) == "89.9%"
    assert precise_percent(0.9) == "90.0%"


def test_team_settings_dialog(qtbot: Any) -> None:
    start = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    settings = TeamSettings(
        target_seconds=300,
        window_days=7,
        away=[AwayPeriod(start=start, end=start + timedelta(hours=14))],
        allowed_tags=["HUMAN_AGENT", "ACCOUNT_UPDATE"],
    )
    dialog = TeamSettingsDialog(settings, now=start)
    qtbot.add_widget(dialog)
    assert dialog.target_seconds() == 300
    assert dialog.list.count() == 1
    later = start + timedelta(days=1)
    dialog.start_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(later.timestamp())))
    dialog.end_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(later.timestamp()) - 60))
    dialog.on_add_clicked()
    assert dialog.error.text() and dialog.list.count() == 1
    dialog.end_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(later.timestamp()) + 3600))
    dialog.on_add_clicked()
    assert dialog.error.text() == "" and dialog.list.count() == 2
    dialog.minutes.setValue(0)
    dialog.seconds.setValue(0)
    dialog.on_buttons_accepted()
    assert "at least one second" in dialog.error.text()
    dialog.minutes.setValue(2)
    dialog.seconds.setValue(15)
    with qtbot.wait_signal(dialog.saveRequested) as blocker:
        dialog.on_buttons_accepted()
    saved = blocker.args[0]
    assert isinstance(saved, TeamSettings)
    assert saved.target_seconds == 135
    assert saved.allowed_tags == ["HUMAN_AGENT", "ACCOUNT_UPDATE"]
    assert [p.end - p.start for p in saved.away] == [timedelta(hours=14), timedelta(hours=1)]
    dialog.list.setCurrentRow(0)
    dialog.on_remove_clicked()
    assert len(dialog.settings().away) == 1


def test_french_translation_loads(qapp: Any) -> None:
    try:
        assert i18n.install(qapp, "fr")
        assert QCoreApplication.translate("DashboardPage", "My numbers") == "Mes chiffres"
        assert QCoreApplication.translate("QueueModel", "Unassigned") == "Non attribuée"
    finally:
        i18n.install(qapp, "en")
    assert QCoreApplication.translate("DashboardPage", "My numbers") == "My numbers"


def test_charts_delete_the_axes_they_replace(qtbot: Any) -> None:
    """A refresh removes the chart's axes and deletes them: removeAxis alone gives them back
    undeleted, and a dashboard kept open all day leaked ~13 KB per axis per refresh."""
    import shiboken6

    hourly, daily, spread = HourlyChart(), DailyChart(), DistributionChart()
    for chart in (hourly, daily, spread):
        qtbot.add_widget(chart)
    buckets = [HourBucket(START + timedelta(hours=i), i % 4, i % 3) for i in range(24)]
    points = [DailyPoint(date(2026, 3, 1), 10, 8, 7, 0.875, 150.0)]
    refresh = (
        lambda: hourly.set_buckets(buckets),
        lambda: daily.set_points(points, 300),
        lambda: spread.set_times([0, 60, 300], 300),
    )
    for draw in refresh:
        draw()
    old = [axis for chart in (hourly, daily, spread) for axis in chart.chart().axes()]
    assert old
    for draw in refresh:
        draw()
    qtbot.waitUntil(lambda: not any(shiboken6.isValid(axis) for axis in old))
    assert all(chart.chart().axes() for chart in (hourly, daily, spread))
