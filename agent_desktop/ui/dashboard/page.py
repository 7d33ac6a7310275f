"""The dashboard page: the live queue, the team, the page's responsiveness against the badge, the
charts, the lead's alerts, team settings and exports. A lead sees the team; an agent sees a reduced
"My numbers" page (their own queue and row, the team's figures, no settings, alerts or exports).

Everything updates from the store's events; one timer ticks once a second for the live timers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QMenu,
    QTabWidget,
    QWidget,
)

from agent_desktop.store.dashboard import DashboardData
from agent_desktop.store.tasks import BackgroundTasks
from agent_desktop.ui import plain_text
from agent_desktop.ui.dashboard import figures
from agent_desktop.ui.dashboard.agents_model import AgentLoad, AgentsModel, agent_loads
from agent_desktop.ui.dashboard.alerts import AlertMonitor, Notifier
from agent_desktop.ui.dashboard.figures import precise_percent as precise_percent
from agent_desktop.ui.dashboard.models import QueueModel, Role
from agent_desktop.ui.dashboard.page_dialogs import DashboardDialogs

if TYPE_CHECKING:
    from agent_desktop.core.metrics import MetricsResult
    from agent_desktop.core.rows import ThreadRow
    from agent_desktop.store.client_store import ClientStore
    from agent_desktop.store.messenger import MessengerStore
    from agent_desktop.store.shop import ShopStore
    from agent_desktop.ui.dashboard.export import ExportDialog
    from agent_desktop.ui.dashboard.messenger_templates import MessengerTemplatesDialog
    from agent_desktop.ui.dashboard.team_settings import TeamSettingsDialog

log = logging.getLogger(__name__)

CHART_EVERY = 30  # ticks between chart refreshes when nothing else moved them


class DashboardPage(DashboardDialogs):
    """Signals:
    openThreadRequested(str)   thread id double-clicked in the queue: show it in the workspace
    notify(str, str)           title, body: a lead alert (the default notifier emits this)
    figuresUpdated()           the gauges and tables were refreshed (tests wait on it)
    """

    openThreadRequested = Signal(str)
    notify = Signal(str, str)
    figuresUpdated = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        notifier: Notifier | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardPage")
        self.store: ClientStore | None = None
        self._now_override = now
        self.tasks = BackgroundTasks(self.show_message)
        self.data = DashboardData(self)
        self.alerts = AlertMonitor(notifier or self.notify.emit, self.now)
        self.result: MetricsResult | None = None
        self.result_at: datetime | None = None  # the `now` the shown figures are for
        self._ticks = 0
        self._loads: dict[str, AgentLoad] = {}
        self._loads_stale = False
        self._active = False
        self._charts_stale = False
        # Work that only the visible page needs waits while it is hidden (done in showEvent).
        self._queue_stale = False  # threads changed while the page was inactive
        self._view_stale = False  # counts, agents' figures and column widths

        self._store_connections: list[tuple[Any, Any]] = []
        self.settings_dialog: TeamSettingsDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self.messenger: MessengerStore | None = None
        self.messenger_dialog: MessengerTemplatesDialog | None = None

        self.queue_model = QueueModel(self, now=self.now)
        self.agents_model = AgentsModel(self, now=self.now)
        self._build()

        self.queue_view.doubleClicked.connect(self.on_queue_view_doubleClicked)
        self.queue_view.customContextMenuRequested.connect(
            self.on_queue_view_customContextMenuRequested
        )
        self.agents_model.assignRequested.connect(self.on_agents_model_assignRequested)
        self.settings_button.clicked.connect(self.open_team_settings)
        self.export_button.clicked.connect(self.open_export)
        self.messenger_button.clicked.connect(self.open_messenger)
        self.data.changed.connect(self.on_data_changed)
        self.data.failed.connect(self.show_message)
        self.data.loadingChanged.connect(self.on_data_loadingChanged)

        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.setInterval(150)
        self.refresh_timer.timeout.connect(self.refresh_figures)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self._lead_seen = False
        self.set_lead(False)

    # --- mode
    def set_lead(self, lead: bool) -> None:
        self.title.setText(self.tr("Team dashboard") if lead else self.tr("My numbers"))
        self.queue_box.setTitle(self.tr("Live queue") if lead else self.tr("My queue"))
        self.agents_box.setTitle(self.tr("Agents") if lead else self.tr("My figures"))
        tabs = self._tab_widget()
        if tabs is not None:
            tabs.setTabText(
                tabs.indexOf(self), self.tr("Dashboard") if lead else self.tr("My numbers")
            )
        self.settings_button.setVisible(lead)
        self.export_button.setVisible(lead)
        self.approvals_box.setVisible(lead and self.approvals_box.shop is not None)
        if lead and not self._lead_seen and self.approvals_box.shop is not None:
            self._lead_seen = True
            self.approvals_box.refresh()
        self.update_messenger_button()
        self.alerts.enabled = lead
        self.agents_view.setAcceptDrops(lead)

    def _tab_widget(self) -> QTabWidget | None:
        widget = self.parentWidget()
        while widget is not None:
            if isinstance(widget, QTabWidget) and widget.indexOf(self) >= 0:
                return widget
            widget = widget.parentWidget()
        return None

    def ready_for_screenshot(self) -> bool:
        """True once the figures are loaded and drawn (the `--screenshot --view dashboard` path)."""
        if self.store is None or not self.data.loaded:
            return False
        self.refresh_figures()
        self.update_counts()
        return self.result is not None

    def now(self) -> datetime:
        if self._now_override is not None:
            return self._now_override()
        if self.store is not None:
            return self.store.now()
        return datetime.now(UTC)

    # --- the store
    def attach_shop(self, shop: ShopStore | None) -> None:
        """Refunds waiting for a lead's approval (None: the backend has no shop actions)."""
        available = shop if shop is not None and shop.available else None
        self.approvals_box.attach_shop(available)
        self.approvals_box.setVisible(self.is_lead and available is not None)

    def attach_store(self, store: ClientStore) -> None:
        self.detach_store()
        self.store = store
        pairs = [
            (store.threadsReset, self.on_store_threadsReset),
            (store.threadsChanged, self.on_store_threadsChanged),
            (store.agentsChanged, self.on_store_agentsChanged),
            (store.settingsChanged, self.on_store_settingsChanged),
        ]
        for signal, slot in pairs:
            signal.connect(slot)
        self._store_connections = pairs
        self.alerts.reset()
        if store.loaded:
            self.on_store_threadsReset()
        self.activate_if_needed()

    def activate_if_needed(self) -> None:
        """Start the figures and the tick for a lead (alerts) or once the page is shown; an
        agent who never opens "My numbers" costs nothing."""
        store = self.store
        if store is None or self._active or not (self.is_lead or self.isVisible()):
            return
        self._active = True
        if self._queue_stale:
            self._queue_stale = False
            self.on_store_threadsReset()
        self.data.attach(store)
        self.timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.activate_if_needed()
        if self._view_stale:
            self._view_stale = False
            self.refresh_agents()
            self.update_counts()
            self.fit_timer.start()
        if self._charts_stale:
            self.schedule_refresh()

    def detach_store(self) -> None:
        store = self.store
        if store is None:
            return
        for signal, slot in self._store_connections:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                log.debug("already disconnected")
        self._store_connections = []
        self.data.detach()
        self._active = False
        self.store = None
        self.timer.stop()
        self._loads = {}
        self.queue_model.set_threads([])
        self.agents_model.set_agents([])
        self.result = None

    def _accept(self, thread: ThreadRow) -> bool:
        """Lead: every waiting thread; agent: their own and the unassigned ones."""
        store = self.store
        if store is None or store.me is None or store.me.role == "lead":
            return True
        return thread.assignee_id in (None, store.me.id)

    def on_store_threadsReset(self) -> None:
        store = self.store
        if store is None:
            return
        self.set_lead(self.is_lead)
        self.queue_model.target_seconds = store.settings.target_seconds
        self.median_gauge.set_scale(
            2.0 * store.settings.target_seconds,
            store.settings.target_seconds,
            higher_is_better=False,
        )
        self.queue_model.set_filter(self._accept, store.threads.values())
        self._loads_stale = True
        self.on_store_agentsChanged()
        self.activate_if_needed()
        self.schedule_refresh()

    def on_store_threadsChanged(self, ids: list[str]) -> None:
        store = self.store
        if store is None:
            return
        if not self._active:
            self._queue_stale = True  # rebuilt from the store when the page is first needed
            return
        for thread_id in ids:
            thread = store.threads.get(thread_id)
            if thread is None:
                self.queue_model.remove(thread_id)
            else:
                self.queue_model.upsert(thread)
        self._loads_stale = True
        self.refresh_agents()
        self.update_counts()

    def on_store_agentsChanged(self) -> None:
        store = self.store
        if store is None:
            return
        self.set_lead(self.is_lead)
        self.queue_model.set_agents(store.agents.values())
        if self.is_lead or store.me is None:
            self.agents_model.set_agents(store.agents.values())
        else:
            self.agents_model.set_agents([store.agents.get(store.me.id, store.me)])
        self.refresh_agents()

    def on_store_settingsChanged(self) -> None:
        store = self.store
        if store is None:
            return
        target = store.settings.target_seconds
        self.queue_model.target_seconds = target
        self.median_gauge.set_scale(2.0 * target, target, higher_is_better=False)
        self.queue_model.tick()
        self.schedule_refresh()

    def on_data_changed(self) -> None:
        self.schedule_refresh()

    def on_data_loadingChanged(self, loading: bool) -> None:
        self.status_label.setText(self.tr("Loading the figures…") if loading else "")

    def schedule_refresh(self) -> None:
        if not self.refresh_timer.isActive():
            self.refresh_timer.start()

    # --- numbers
    def refresh_figures(self, *, charts: bool = True) -> None:
        """Gauges, the agents' figures, and (unless `charts` is False) the charts."""
        if self.store is None or not self.data.loaded:
            return
        now = self.now()
        result = self.data.result(now)
        self.result = result
        self.result_at = now
        self.agents_model.set_window(int(self.data.settings.window_days))
        figures.name_windows(self, int(self.data.settings.window_days))
        self._show_gauges(result)
        self.refresh_agents()
        if charts and self.isVisible():
            self.refresh_charts(now, result)
            self._charts_stale = False
        elif charts:
            self._charts_stale = True
        self.figuresUpdated.emit()

    def refresh_charts(self, now: datetime, result: MetricsResult) -> None:
        target = float(self.data.settings.target_seconds)
        self.hourly_chart.set_buckets(self.data.hour_buckets(now))
        times = [
            o.response_seconds
            for o in result.openings
            if o.state == "responded" and o.response_seconds is not None
        ]
        self.distribution_chart.set_times(times, target)
        self.daily_chart.set_points(self.data.daily_series(now), target)

    def _show_gauges(self, result: MetricsResult) -> None:
        figures.show_gauges(self, result.team, float(self.data.settings.target_seconds))

    def projection_text(self, responded: int, counted: int) -> str:
        return figures.projection_text(responded, counted)

    def refresh_agents(self) -> None:
        store = self.store
        if store is None:
            return
        if not self.isVisible():
            self._view_stale = True
            return
        if self._loads_stale:
            self._loads_stale = False
            self._loads = agent_loads(store.threads.values())
        loads = self._loads
        figures = dict(self.result.per_agent) if self.result is not None else {}
        now = self.now()
        today = {a: self.data.replies_today(a, now) for a in store.agents}
        if self.agents_model.set_numbers(loads, figures, today):
            self.fit_timer.start()

    def counts(self) -> dict[str, Any]:
        """waiting, unassigned, warning, breached (ints) and oldest (seconds or None)."""
        return figures.queue_counts(
            self.queue_model.threads(), self.now(), self.queue_model.target_seconds
        )

    def update_counts(self) -> None:
        if not self.isVisible():
            self._view_stale = True
            return
        self.counts_label.setText(figures.counts_text(self.counts()))

    # --- the one-second tick
    def tick(self) -> None:
        store = self.store
        if store is None:
            return
        self._ticks += 1
        self.queue_model.tick()
        self.agents_model.tick()
        self.update_counts()
        if self.data.loaded:
            charts = self._ticks % CHART_EVERY == 0
            self.refresh_figures(charts=charts)
            team = self.result.team if self.result is not None else None
            self.alerts.check(
                self.queue_model.threads(), store.agents, self.queue_model.target_seconds, team
            )

    # --- actions
    def on_queue_view_doubleClicked(self, index: QModelIndex) -> None:
        thread_id = index.data(Role.Id)
        if thread_id:
            self.openThreadRequested.emit(str(thread_id))

    def assign_menu(self, thread_id: str) -> QMenu:
        store = self.store
        menu = QMenu(self)
        menu.setObjectName("assignMenu")
        if store is None:
            return menu
        thread = store.threads.get(thread_id)
        names = {
            "online": self.tr("online"),
            "away": self.tr("away"),
            "offline": self.tr("offline"),
        }
        for agent in sorted(store.agents.values(), key=lambda a: a.name.casefold()):
            action = QAction(
                plain_text.caption(
                    self.tr("Assign to %1 (%2)")
                    .replace("%1", plain_text.names([agent.name]))
                    .replace("%2", names.get(agent.presence, agent.presence))
                ),
                menu,
            )
            action.setData(agent.id)
            action.setCheckable(True)
            action.setChecked(thread is not None and thread.assignee_id == agent.id)
            action.triggered.connect(lambda _c=False, a=agent.id: self.assign(thread_id, a))
            menu.addAction(action)
        menu.addSeparator()
        clear = QAction(self.tr("Unassign"), menu)
        clear.setData("")
        clear.triggered.connect(lambda _c=False: self.assign(thread_id, None))
        menu.addAction(clear)
        open_action = QAction(self.tr("Open in the workspace"), menu)
        open_action.triggered.connect(lambda _c=False: self.openThreadRequested.emit(thread_id))
        menu.addSeparator()
        menu.addAction(open_action)
        return menu

    def on_queue_view_customContextMenuRequested(self, pos: QPoint) -> None:
        index = self.queue_view.indexAt(pos)
        thread_id = index.data(Role.Id) if index.isValid() else None
        if not thread_id:
            return
        if not self.is_lead:
            menu = QMenu(self)
            action = menu.addAction(self.tr("Open in the workspace"))
            action.triggered.connect(lambda _c=False: self.openThreadRequested.emit(thread_id))
        else:
            menu = self.assign_menu(str(thread_id))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.queue_view.viewport().mapToGlobal(pos))

    def on_agents_model_assignRequested(self, thread_id: str, agent_id: str) -> None:
        self.assign(thread_id, agent_id)

    def assign(self, thread_id: str, agent_id: str | None) -> None:
        if self.store is None or not self.is_lead:
            return
        self.tasks.start(self.store.assign(thread_id, agent_id), "dashboard-assign")

    def show_message(self, text: str) -> None:
        self.status_label.setText(text)
