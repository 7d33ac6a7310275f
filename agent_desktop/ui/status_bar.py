"""The status bar: connection state (live / reconnecting in N s / offline with the outbox count /
signed out), the agent's presence toggle, and the agent's own numbers today (asked of the store
after the first page of threads is shown, then every minute).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, QTimer, Signal
from PySide6.QtWidgets import QStatusBar, QToolButton, QWidget

from agent_desktop.backends.base import BackendError
from agent_desktop.core.clock import format_elapsed
from agent_desktop.store.connection import ConnectionInfo
from agent_desktop.ui import fmt, plain_text, theme

if TYPE_CHECKING:
    from agent_desktop.core.types import AgentFigures, Presence
    from agent_desktop.store.client_store import ClientStore
    from agent_desktop.store.tasks import BackgroundTasks

FIGURES_EVERY_MS = 60_000
FIGURES_AT_MOST_EVERY_MS = 10_000  # the first page and then all threads: one request


class StatusBar(QStatusBar):
    """Signals: presenceToggled(str presence) when the agent switches online / away."""

    presenceToggled = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.connection = plain_text.label(parent=self)
        self.connection.setObjectName("connectionStatus")
        self.addPermanentWidget(self.connection)  # permanent: messages never hide it
        self.stats = plain_text.label(parent=self)
        self.stats.setObjectName("todayStats")
        self.addPermanentWidget(self.stats)
        self.presence = QToolButton(self)
        self.presence.setObjectName("presenceToggle")
        self.presence.setCheckable(True)
        self.presence.setAutoRaise(True)
        self.presence.clicked.connect(self.on_presence_clicked)
        self.addPermanentWidget(self.presence)
        self._state = "signed_out"
        self._store: ClientStore | None = None
        self._tasks: BackgroundTasks | None = None
        self._figures_timer = QTimer(self)
        self._figures_timer.setInterval(FIGURES_EVERY_MS)
        self._figures_timer.timeout.connect(self.refresh_today)
        self._since_figures = QElapsedTimer()  # since the last refresh_today (invalid: never)
        self.set_presence("offline")
        self.presence.hide()  # shown once a signed-in agent's presence is known
        self.set_connection(ConnectionInfo(state="signed_out"))

    def connection_text(self, info: ConnectionInfo) -> str:
        waiting = ""
        if info.outbox_count:
            waiting = (
                self.tr(", 1 message waiting to be sent")
                if info.outbox_count == 1
                else self.tr(", %1 messages waiting to be sent").replace(
                    "%1", str(info.outbox_count)
                )
            )
        if info.state == "live":
            return self.tr("● Live") + waiting
        if info.state == "signed_out":
            return self.tr("Signed out")
        if info.state == "reconnecting":
            seconds = max(0, round(info.retry_in or 0))
            return self.tr("Offline: reconnecting in %1 s").replace("%1", str(seconds)) + waiting
        if info.state == "offline":
            return self.tr("Offline") + waiting
        return self.tr("Connecting…") + waiting

    def set_connection(self, info: ConnectionInfo) -> None:
        was_live = self._state == "live"
        self._state = info.state
        self.connection.setText(self.connection_text(info))
        colour = {
            "live": theme.TIMER_COLOURS["ok"],
            "reconnecting": theme.TIMER_COLOURS["warning"],
        }.get(info.state, theme.FAILED if info.state in ("offline", "signed_out") else None)
        self.connection.setStyleSheet(f"color: {colour.name()};" if colour is not None else "")
        self.connection.setToolTip(plain_text.tooltip(info.error or ""))
        if self.presence.property("presence") is not None and was_live != (info.state == "live"):
            self._show_presence()

    def set_presence(self, presence: str) -> None:
        """The agent's presence as the server knows it; shown as "Offline" (and not switchable)
        while the connection is not live: colleagues see this agent offline then."""
        self.presence.setProperty("presence", presence)
        self._show_presence()
        self.presence.show()

    def _show_presence(self) -> None:
        presence = str(self.presence.property("presence"))
        live = self._state == "live"
        shown = presence if live else "offline"
        self.presence.setChecked(shown == "online")
        label = {
            "online": self.tr("Online"),
            "away": self.tr("Away"),
            "offline": self.tr("Offline"),
        }.get(shown, shown)
        self.presence.setText(("● " if shown == "online" else "○ ") + label)
        self.presence.setEnabled(live)
        self.presence.setToolTip(
            self.tr("Click to switch between online and away")
            if live
            else self.tr("Not connected: your presence comes back when the connection does")
        )

    def clear_presence(self) -> None:
        """Signed out: no presence to show or toggle."""
        self.presence.hide()

    def on_presence_clicked(self) -> None:
        current = self.presence.property("presence")
        presence: Presence = "away" if current == "online" else "online"
        self.presenceToggled.emit(presence)
        if self._store is not None and self._tasks is not None:
            self._tasks.start(self._set_presence(self._store, presence), "presence")

    async def _set_presence(self, store: ClientStore, presence: Presence) -> None:
        agent = await store.set_presence(presence)
        if self._store is store:
            self.set_presence(agent.presence)

    # --- the store's agent
    def attach_store(self, store: ClientStore, tasks: BackgroundTasks) -> None:
        """Show `store`'s connection and agent; the presence toggle and the figures use it."""
        self._store = store
        self._tasks = tasks
        self.set_connection(store.connection)
        self._figures_timer.start()

    def detach_store(self) -> None:
        self._store = None
        self._tasks = None
        self._figures_timer.stop()
        self._since_figures.invalidate()
        self.set_today(None)
        self.clear_presence()
        self.set_connection(ConnectionInfo(state="signed_out"))

    def refresh_today(self) -> None:
        store, tasks = self._store, self._tasks
        if store is not None and tasks is not None and store.me is not None:
            self._since_figures.start()
            tasks.start(self._refresh_today(store), "today")

    def refresh_today_once(self) -> None:
        """At sign-in the threads come twice (the first page, then all): one request for the
        figures of the day is enough (the server computes them)."""
        if not self._since_figures.isValid() or self._since_figures.hasExpired(
            FIGURES_AT_MOST_EVERY_MS
        ):
            self.refresh_today()

    async def _refresh_today(self, store: ClientStore) -> None:
        midnight = datetime.combine(date.today(), datetime.min.time()).astimezone()
        try:
            figures = await store.my_figures(since=midnight)
        except BackendError:
            return
        if self._store is store:
            self.set_today(figures)

    def set_today(self, figures: AgentFigures | None) -> None:
        if figures is None:
            self.stats.setText("")
            return
        if figures.replies == 1:
            parts = [self.tr("Today: 1 reply")]
        else:
            parts = [self.tr("Today: %1 replies").replace("%1", fmt.number(figures.replies))]
        if figures.median_response_seconds is not None:
            parts.append(
                self.tr("median %1").replace("%1", format_elapsed(figures.median_response_seconds))
            )
        if figures.within_target_rate is not None:
            parts.append(
                self.tr("%1 within target").replace("%1", fmt.percent(figures.within_target_rate))
            )
        self.stats.setText(" · ".join(parts))
