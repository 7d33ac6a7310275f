"""The dashboard's three charts (QtCharts): openings and responses per hour over the last 24 hours,
the distribution of response times with the target marked, and the response rate and median per
day over the window. Hovering a bar or a point shows its values in a tooltip.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from babel import dates as babel_dates
from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QCursor, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import QToolTip, QWidget

from agent_desktop.core.clock import format_elapsed
from agent_desktop.core.formatting import resolve_locale
from agent_desktop.ui import fmt
from agent_desktop.ui.plain_text import tooltip

if TYPE_CHECKING:
    from agent_desktop.core.metrics_live import DailyPoint, HourBucket

OPENINGS_COLOUR = QColor("#4a78c2")
RESPONSES_COLOUR = QColor("#2e9d4f")
TARGET_COLOUR = QColor("#d93025")
MEDIAN_COLOUR = QColor("#d98a00")
BINS_PER_TARGET = 5
TARGETS_SHOWN = 3


class _ChartView(QChartView):
    """A chart view with the app's look; `last_tip` keeps the last hover text (for tests)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setTitle(title)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(180)
        self.last_tip = ""
        self._apply_palette()

    def set_title(self, title: str) -> None:
        """The chart's title (the page names the window it covers)."""
        self.chart().setTitle(title)

    def _apply_palette(self) -> None:
        pal = self.palette()
        chart = self.chart()
        chart.setBackgroundBrush(pal.base())
        chart.setTitleBrush(pal.windowText())
        chart.legend().setLabelBrush(pal.windowText())

    def _style_axis(self, axis: QValueAxis | QBarCategoryAxis) -> None:
        axis.setLabelsBrush(self.palette().windowText())
        font = axis.labelsFont()
        font.setPointSizeF(max(6.5, font.pointSizeF() * 0.8))
        axis.setLabelsFont(font)

    def _count_axes(
        self, chart: QChart, series: QBarSeries, x: QValueAxis | QBarCategoryAxis, top: float
    ) -> QValueAxis:
        """`x` at the bottom and a count axis from 0 (at least 4) on the left, both on `series`;
        returns the count axis."""
        y = QValueAxis()
        y.setRange(0, max(4, top))
        y.setLabelFormat("%d")
        y.setTickCount(5)
        y.applyNiceNumbers()
        for axis, side in ((x, Qt.AlignmentFlag.AlignBottom), (y, Qt.AlignmentFlag.AlignLeft)):
            self._style_axis(axis)
            chart.addAxis(axis, side)
            series.attachAxis(axis)
        return y

    def show_tip(self, text: str) -> None:
        self.last_tip = text
        if text:
            QToolTip.showText(QCursor.pos(), tooltip(text), self)
        else:
            QToolTip.hideText()

    def _reset(self) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            # removeAxis only gives the axis back (the chart no longer owns it): without the
            # delete, every refresh of a chart kept its axes alive, ~13 KB each (issue 22's
            # working-day growth).
            chart.removeAxis(axis)
            axis.deleteLater()


class HourlyChart(_ChartView):
    """Openings and responses per hour, the last 24 hours (the newest hour on the right)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Openings and responses per hour, 24 h"), parent)
        self.buckets: list[HourBucket] = []

    def set_buckets(self, buckets: Sequence[HourBucket]) -> None:
        self.buckets = list(buckets)
        self._reset()
        chart = self.chart()
        openings = QBarSet(self.tr("Openings"))
        openings.setColor(OPENINGS_COLOUR)
        responses = QBarSet(self.tr("Responses"))
        responses.setColor(RESPONSES_COLOUR)
        x = edge_axis(len(self.buckets))
        top = 1
        for i, b in enumerate(self.buckets):
            openings.append(b.openings)
            responses.append(b.responses)
            top = max(top, b.openings, b.responses)
            local = b.start.astimezone()
            if local.hour % 3 == 0:
                x.append(f"{local.hour:02d}:00", i - 0.5)
        series = QBarSeries()
        series.setBarWidth(0.85)
        series.append(openings)
        series.append(responses)
        series.hovered.connect(self.on_series_hovered)
        chart.addSeries(series)
        self._count_axes(chart, series, x, top)

    def tip_for(self, index: int) -> str:
        if not 0 <= index < len(self.buckets):
            return ""
        b = self.buckets[index]
        start = b.start.astimezone()
        return (
            self.tr("%1 to %2")
            .replace("%1", fmt.time_of_day(start))
            # An hour later, in the same zone.
            .replace("%2", fmt.time_of_day(datetime.fromtimestamp(start.timestamp() + 3600)))
            + "\n"
            + self.tr("Openings: %1").replace("%1", str(b.openings))
            + "\n"
            + self.tr("Responses: %1").replace("%1", str(b.responses))
        )

    def on_series_hovered(self, status: bool, index: int, barset: QBarSet) -> None:
        self.show_tip(self.tip_for(index) if status else "")


def edge_axis(count: int) -> QCategoryAxis:
    """An x axis for `count` bars at 0..count-1 whose labels sit on the bars' edges (a bar
    category axis elides every label once the bars are narrower than their text)."""
    axis = QCategoryAxis()
    axis.setRange(-0.5, count - 0.5)
    axis.setStartValue(-0.5)
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    axis.setGridLineVisible(False)
    return axis


def histogram(times: Sequence[float], target_seconds: float) -> tuple[float, list[int]]:
    """Bins of a fifth of the target up to three targets, and one bin for everything slower."""
    width = max(1.0, target_seconds / BINS_PER_TARGET)
    count = BINS_PER_TARGET * TARGETS_SHOWN
    bins = [0] * (count + 1)
    for t in times:
        bins[min(count, int(max(0.0, t) // width))] += 1
    return width, bins


class DistributionChart(_ChartView):
    """How long the answered openings of the window waited, with the target as a red line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Response times"), parent)
        self.width_s = 60.0
        self.bins: list[int] = []
        self.target_seconds = 300.0

    def set_times(self, times: Sequence[float], target_seconds: float) -> None:
        self.target_seconds = target_seconds
        self.width_s, self.bins = histogram(times, target_seconds)
        self._reset()
        chart = self.chart()
        bars = QBarSet(self.tr("Answered openings"))
        bars.setColor(OPENINGS_COLOUR)
        x = edge_axis(len(self.bins))
        for i, n in enumerate(self.bins):
            bars.append(n)
            if i == len(self.bins) - 1:
                x.append("≥" + format_elapsed(i * self.width_s), i - 0.5)
            elif i % BINS_PER_TARGET == 0:
                x.append(format_elapsed(i * self.width_s), i - 0.5)
        series = QBarSeries()
        series.setBarWidth(0.9)
        series.append(bars)
        series.hovered.connect(self.on_series_hovered)
        chart.addSeries(series)
        top = max([1, *self.bins])
        y = self._count_axes(chart, series, x, top)
        # The target: a vertical line at the edge between the bins below and above it.
        line = QLineSeries()
        line.setName(self.tr("Target %1").replace("%1", format_elapsed(target_seconds)))
        edge = target_seconds / self.width_s - 0.5
        line.append(QPointF(edge, 0))
        line.append(QPointF(edge, y.max()))
        line.setPen(QPen(TARGET_COLOUR, 2, Qt.PenStyle.DashLine))
        chart.addSeries(line)
        line.attachAxis(x)
        line.attachAxis(y)

    def tip_for(self, index: int) -> str:
        if not 0 <= index < len(self.bins):
            return ""
        lo = format_elapsed(index * self.width_s)
        if index == len(self.bins) - 1:
            span = self.tr("%1 or more").replace("%1", lo)
        else:
            span = (
                self.tr("%1 to %2")
                .replace("%1", lo)
                .replace("%2", format_elapsed((index + 1) * self.width_s))
            )
        return span + "\n" + self.tr("Answered openings: %1").replace("%1", str(self.bins[index]))

    def on_series_hovered(self, status: bool, index: int, barset: QBarSet) -> None:
        self.show_tip(self.tip_for(index) if status else "")


class DailyChart(_ChartView):
    """The response rate (left axis, with the 90 % line) and the median response time (right axis)
    of each day's openings over the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Response rate and median per day"), parent)
        self.points: list[DailyPoint] = []
        self._target = 0.0
        self._narrow = False  # the day of the month alone: the weekday would be elided

    def _is_narrow(self) -> bool:
        """Whether "Mon 30" does not fit each day's share of the axis (about 3/4 of the chart's
        width): the labels are then the day of the month alone ("30"), never elided to "M…"."""
        if not self.points or len(self.points) > 28:  # the axis's labels must differ
            return False
        widest = max(
            self.fontMetrics().horizontalAdvance(short_day(p.day, len(self.points)))
            for p in self.points
        )
        return widest + 10 > self.width() * 0.75 / len(self.points)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.points and self._is_narrow() != self._narrow:
            self.set_points(self.points, self._target)

    def set_points(self, points: Sequence[DailyPoint], target_seconds: float) -> None:
        self.points = list(points)
        self._target = target_seconds
        self._narrow = self._is_narrow()
        self._reset()
        chart = self.chart()
        rate = QLineSeries()
        rate.setName(self.tr("Response rate"))
        rate.setPen(QPen(RESPONSES_COLOUR, 2))
        rate.setPointsVisible(True)
        median = QLineSeries()
        median.setName(self.tr("Median (min)"))
        median.setPen(QPen(MEDIAN_COLOUR, 2))
        median.setPointsVisible(True)
        goal = QLineSeries()
        goal.setName(self.tr("90 %"))
        goal.setPen(QPen(TARGET_COLOUR, 1, Qt.PenStyle.DashLine))
        top_minutes = max(1.0, target_seconds / 60 * 2)
        labels: list[str] = []
        for i, p in enumerate(self.points):
            labels.append(str(p.day.day) if self._narrow else short_day(p.day, len(self.points)))
            if p.response_rate is not None:
                rate.append(QPointF(i, p.response_rate * 100))
            if p.median_response_seconds is not None:
                minutes = p.median_response_seconds / 60
                median.append(QPointF(i, minutes))
                top_minutes = max(top_minutes, minutes * 1.1)
        n = max(1, len(self.points))
        goal.append(QPointF(0, 90))
        goal.append(QPointF(n - 1, 90))
        for s in (rate, median, goal):
            chart.addSeries(s)
        rate.hovered.connect(self.on_series_hovered)
        median.hovered.connect(self.on_series_hovered)
        x = QBarCategoryAxis()
        x.append(labels or [""])
        y_rate = QValueAxis()
        y_rate.setRange(0, 100)
        y_rate.setLabelFormat("%d %%")
        y_rate.setTickCount(6)
        y_median = QValueAxis()
        y_median.setRange(0, top_minutes)
        y_median.setLabelFormat("%.0f min")
        y_median.setTickCount(6)
        self._style_axis(x)
        self._style_axis(y_rate)
        self._style_axis(y_median)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_rate, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(y_median, Qt.AlignmentFlag.AlignRight)
        for s in (rate, median, goal):
            s.attachAxis(x)
        rate.attachAxis(y_rate)
        goal.attachAxis(y_rate)
        median.attachAxis(y_median)

    def tip_for(self, index: int) -> str:
        if not 0 <= index < len(self.points):
            return ""
        p = self.points[index]
        rate = fmt.percent(p.response_rate) if p.response_rate is not None else "–"
        median = (
            format_elapsed(p.median_response_seconds)
            if p.median_response_seconds is not None
            else "–"
        )
        return "\n".join(
            [
                fmt.day(p.day),
                self.tr("Response rate: %1 (%2 of %3)")
                .replace("%1", rate)
                .replace("%2", str(p.responded))
                .replace("%3", str(p.counted)),
                self.tr("Median response time: %1").replace("%1", median),
                self.tr("Openings: %1").replace("%1", str(p.openings)),
            ]
        )

    def on_series_hovered(self, point: QPointF, state: bool) -> None:
        self.show_tip(self.tip_for(round(point.x())) if state else "")


def short_day(day: date, days: int = 7) -> str:
    """A day on an axis of `days` days, unambiguous: the weekday abbreviated and the day of the
    month over two weeks or less ("Mon 30", "lun. 30"; an initial alone told Tuesday from
    Thursday by nothing), the day and month over longer periods ("30 Nov", "30 nov.")."""
    pattern = "EEE d" if days <= 14 else "d MMM"
    return babel_dates.format_date(day, pattern, locale=resolve_locale(fmt.locale()))
