"""The dashboard page's widgets and their layout (`DashboardPage` in page.py inherits it): the
header with the lead's buttons, the live queue, the page's responsiveness gauges, the team table
beside the approvals, and the three charts, in splitters; and the sizing of the tables' columns.
Its sentences keep the page's translation context ("DashboardPage")."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.ui import plain_text
from agent_desktop.ui.dashboard.agents_model import AgentsModel
from agent_desktop.ui.dashboard.approvals import ApprovalsBox
from agent_desktop.ui.dashboard.charts import DailyChart, DistributionChart, HourlyChart
from agent_desktop.ui.dashboard.gauges import Gauge
from agent_desktop.ui.dashboard.header import TwoLineHeader
from agent_desktop.ui.dashboard.models import QueueModel


class DashboardLayout(QWidget):
    """Builds the page's widgets (`_build`, once, from DashboardPage.__init__) and sizes the
    tables' columns."""

    queue_model: QueueModel
    agents_model: AgentsModel
    _view_stale: bool

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(8, 6, 8, 6)
        root.setSpacing(6)

        header = QHBoxLayout()
        self.title = plain_text.label(parent=self)
        self.title.setObjectName("dashboardTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        header.addWidget(self.title)
        header.addSpacing(16)
        self.counts_label = plain_text.label(parent=self)
        self.counts_label.setObjectName("queueCounts")
        self.counts_label.setWordWrap(True)  # on two lines rather than widen a small window
        header.addWidget(self.counts_label, 1)
        self.status_label = plain_text.label(parent=self)
        self.status_label.setObjectName("dashboardStatus")
        header.addWidget(self.status_label)
        self.settings_button = QPushButton(
            QCoreApplication.translate("DashboardPage", "Team settings…"), self
        )
        self.settings_button.setObjectName("teamSettingsButton")
        header.addWidget(self.settings_button)
        self.export_button = QPushButton(
            QCoreApplication.translate("DashboardPage", "Export…"), self
        )
        self.export_button.setObjectName("exportButton")
        header.addWidget(self.export_button)
        self.messenger_button = QPushButton(
            QCoreApplication.translate("DashboardPage", "Messenger…"), self
        )
        self.messenger_button.setObjectName("messengerButton")
        self.messenger_button.setToolTip(
            QCoreApplication.translate(
                "DashboardPage",
                "What Meta granted the Page, and its utility templates for order updates",
            )
        )
        self.messenger_button.hide()
        header.addWidget(self.messenger_button)
        root.addLayout(header)

        vsplit = QSplitter(Qt.Orientation.Vertical, self)
        vsplit.setObjectName("dashboardSplitter")
        vsplit.setChildrenCollapsible(False)
        top = self._side_by_side(vsplit)

        self.queue_box, self.queue_view = self._table_box(top, "queueView", self.queue_model)
        self.queue_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.queue_view.setDragEnabled(True)
        self.queue_view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        qh = self.queue_view.horizontalHeader()
        # Sized when rows come and go, not on every tick (a resize-to-contents header measures
        # every row again at each dataChanged).
        qh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        qh.setSectionResizeMode(QueueModel.CUSTOMER, QHeaderView.ResizeMode.Stretch)
        qh.resizeSection(
            QueueModel.TIMER, self.queue_view.fontMetrics().horizontalAdvance("+00:00:00") + 16
        )

        self.gauge_box = QGroupBox(
            QCoreApplication.translate("DashboardPage", "Page responsiveness"), top
        )
        grid = QGridLayout(self.gauge_box)
        grid.setContentsMargins(6, 6, 6, 6)
        self.rate_gauge = Gauge(
            QCoreApplication.translate("DashboardPage", "Response rate"), self.gauge_box
        )
        self.rate_gauge.setObjectName("rateGauge")
        self.rate_gauge.set_scale(1.0, 0.9, higher_is_better=True)
        self.median_gauge = Gauge(
            QCoreApplication.translate("DashboardPage", "Median response time"), self.gauge_box
        )
        self.median_gauge.setObjectName("medianGauge")
        grid.addWidget(self.rate_gauge, 0, 0)
        grid.addWidget(self.median_gauge, 0, 1)
        side = QFrame(self.gauge_box)
        form = QFormLayout(side)
        form.setContentsMargins(4, 0, 0, 0)
        self.fastest_label = self._value_label("fastestLabel")
        self.within_label = self._value_label("withinLabel")
        self.badge_label = self._value_label("badgeLabel")
        self.pending_label = self._value_label("pendingLabel")
        self.projected_label = self._value_label("projectedLabel")
        self.projected_label.setToolTip(
            QCoreApplication.translate(
                "DashboardPage",
                "The rate if none of the openings still waiting is answered within 24 h",
            )
        )
        form.addRow(
            QCoreApplication.translate("DashboardPage", "Fastest 90 % (mean)"), self.fastest_label
        )
        form.addRow(QCoreApplication.translate("DashboardPage", "Within target"), self.within_label)
        form.addRow(
            QCoreApplication.translate("DashboardPage", "Awaiting 24 h"), self.pending_label
        )
        form.addRow(
            QCoreApplication.translate("DashboardPage", "If they are missed"), self.projected_label
        )
        form.addRow(QCoreApplication.translate("DashboardPage", "Badge"), self.badge_label)
        grid.addWidget(side, 0, 2)
        self.projection_label = plain_text.label(parent=self.gauge_box)
        self.projection_label.setObjectName("projectionLabel")
        self.projection_label.setWordWrap(True)
        grid.addWidget(self.projection_label, 1, 0, 1, 3)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        middle = self._side_by_side(vsplit)
        self.agents_box, self.agents_view = self._table_box(middle, "agentsView", self.agents_model)
        self.agents_view.setAcceptDrops(True)
        self.agents_view.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.agents_view.setDropIndicatorShown(True)
        # Columns as wide as their titles (on two lines) or cells, the names taking the rest;
        # a team's handful of rows is cheap to measure at each change.
        ah = TwoLineHeader(self.agents_view)
        self.agents_view.setHorizontalHeader(ah)
        ah.setHighlightSections(False)
        ah.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        ah.setSectionResizeMode(AgentsModel.NAME, QHeaderView.ResizeMode.Stretch)
        ah.sectionResized.connect(self._agents_column_resized)
        self.agents_model.modelReset.connect(self.fit_agents_width)
        self.fit_timer = QTimer(self)
        self.fit_timer.setSingleShot(True)
        self.fit_timer.setInterval(0)
        self.fit_timer.timeout.connect(self.fit_columns)
        for signal in (
            self.queue_model.modelReset,
            self.queue_model.rowsInserted,
            self.agents_model.modelReset,
        ):
            signal.connect(self.fit_timer.start)

        charts = self._side_by_side(vsplit)
        self.hourly_chart = HourlyChart(charts)
        self.hourly_chart.setObjectName("hourlyChart")
        self.distribution_chart = DistributionChart(charts)
        self.distribution_chart.setObjectName("distributionChart")
        self.daily_chart = DailyChart(charts)
        self.daily_chart.setObjectName("dailyChart")
        top.addWidget(self.queue_box)
        top.addWidget(self.gauge_box)
        middle.addWidget(self.agents_box)
        self.approvals_box = ApprovalsBox(middle)
        middle.addWidget(self.approvals_box)
        # The agents table takes most of the row: its eight columns fit 1024 pixels in French.
        middle.setStretchFactor(0, 4)
        middle.setStretchFactor(1, 1)
        middle.setSizes([800, 250])
        for chart in (self.hourly_chart, self.distribution_chart, self.daily_chart):
            charts.addWidget(chart)
        for part in (top, middle, charts):
            vsplit.addWidget(part)
        top.setStretchFactor(0, 5)
        top.setStretchFactor(1, 4)
        top.setSizes([640, 520])
        vsplit.setStretchFactor(0, 3)
        vsplit.setStretchFactor(1, 2)
        vsplit.setStretchFactor(2, 3)
        vsplit.setSizes([260, 175, 245])
        root.addWidget(vsplit, 1)

    def fit_columns(self) -> None:
        """Size the tables' columns to their contents (after rows or figures changed)."""
        if not self.isVisible():
            self._view_stale = True  # measuring every row of a hidden table is wasted
            return
        for column in (QueueModel.TIMER, QueueModel.ASSIGNEE, QueueModel.WINDOW):
            self.queue_view.resizeColumnToContents(column)

    def _agents_column_resized(self, column: int, _old: int, _new: int) -> None:
        if column != AgentsModel.NAME:  # the names' column follows the table's width
            self.fit_agents_width()

    def fit_agents_width(self) -> None:
        """Ask the splitter for the agents table's whole width (every column as its contents
        need, the longest name whole); the refunds beside it take what is left."""
        view = self.agents_view
        header = view.horizontalHeader()
        columns = sum(
            header.sectionSize(c) for c in range(AgentsModel.COLUMNS) if c != AgentsModel.NAME
        )
        names = max(view.sizeHintForColumn(AgentsModel.NAME), header.sectionSizeHint(0))
        frame = 2 * view.frameWidth() + view.verticalScrollBar().sizeHint().width()
        view.setMinimumWidth(columns + names + frame)

    def _value_label(self, name: str) -> QLabel:
        label = plain_text.label(parent=self)
        label.setObjectName(name)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        return label

    @staticmethod
    def _side_by_side(parent: QSplitter) -> QSplitter:
        """A row of the page's splitter, whose parts are never collapsed away."""
        row = QSplitter(Qt.Orientation.Horizontal, parent)
        row.setChildrenCollapsible(False)
        return row

    def _table_box(
        self, parent: QWidget, name: str, model: QAbstractItemModel
    ) -> tuple[QGroupBox, QTableView]:
        """A group box filled by one table of `model` (object name `name`), looked like the
        page's other tables."""
        box = QGroupBox(parent)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        view = QTableView(box)
        view.setObjectName(name)
        view.setModel(model)
        self._table_look(view)
        layout.addWidget(view)
        return box, view

    @staticmethod
    def _table_look(view: QTableView) -> None:
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.setShowGrid(False)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
        view.horizontalHeader().setHighlightSections(False)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
