"""The main window: thread list, conversation and purchase history in three resizable panes, the
status bar, keyboard shortcuts, and a full-window screen when the backend cannot be used.

It shows a `ClientStore` (attach_store) and turns the agent's actions into store calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QElapsedTimer,
    QEvent,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.backends.base import BackendError
from agent_desktop.core.reply_window import ReplyNotAllowed, required_tag
from agent_desktop.core.rows import ThreadRow
from agent_desktop.core.templates import TemplateContext, pick_order, render
from agent_desktop.core.types import Customer, Message, Order, Template
from agent_desktop.store.client_store import ClientStore, ConnectionInfo
from agent_desktop.store.conversation import Conversation
from agent_desktop.store.messenger import MessengerStore
from agent_desktop.store.tasks import BackgroundTasks
from agent_desktop.ui import dashboard, fmt, theme
from agent_desktop.ui.composer import ComposerPane
from agent_desktop.ui.conversation_model import ConversationModel
from agent_desktop.ui.conversation_pane import ConversationPane
from agent_desktop.ui.dialogs import SettingsDialog, ShortcutsDialog
from agent_desktop.ui.first_paint import AfterFirstPaint
from agent_desktop.ui.images import ImageCache
from agent_desktop.ui.plain_text import isolate, label
from agent_desktop.ui.purchase_history import PurchaseHistory
from agent_desktop.ui.quick_replies import QuickReplyPopup, TemplateListModel
from agent_desktop.ui.settings_file import settings
from agent_desktop.ui.status_bar import StatusBar
from agent_desktop.ui.template_editor import TemplateEditor
from agent_desktop.ui.thread_list import ThreadListPane
from agent_desktop.ui.thread_model import ThreadListModel

if TYPE_CHECKING:
    from agent_desktop.ui.dashboard.page import DashboardPage

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Signals:
    signOutRequested()             the agent chose Sign out
    retryRequested()               "Try again" on the full-window error screen
    signInRequested()              "Sign in again" on the full-window error screen
    unreadChanged(int)             total unread messages in open and pending threads
    notify(str title, str body)    something worth a desktop notification
    dataLoaded()                   the first threads arrived
    conversationReady(str)         thread id whose conversation and purchase history are shown
    """

    signOutRequested = Signal()
    retryRequested = Signal()
    signInRequested = Signal()
    unreadChanged = Signal(int)
    notify = Signal(str, str)
    dataLoaded = Signal()
    conversationReady = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowIcon(theme.app_icon())
        self.store: ClientStore | None = None
        self.tasks = BackgroundTasks(self.show_error)
        self.images = ImageCache(parent=self)
        self.current_thread_id: str | None = None
        self._customer: Customer | None = None
        self._orders: list[Order] = []
        self._typing: dict[str, dict[str, tuple[str, float]]] = {}
        self._warned: set[str] = set()
        # The agent's own threads with a running timer: the only ones the 1 s tick looks at.
        self._mine: dict[str, ThreadRow] = {}
        self._last_unread = -1
        self._store_connections: list[tuple[Any, Any]] = []
        self.sound = bool(settings().value("notifications/sound", False, type=bool))

        self.thread_model = ThreadListModel(self)
        self.conversation_model = ConversationModel(self)
        self.template_model = TemplateListModel(self)

        self.thread_list = ThreadListPane(self.thread_model, self, self.images.pixmap)
        self.composer = ComposerPane(self, now=self._now)
        self.composer.enter_sends = bool(settings().value("composer/enter_sends", True, type=bool))
        self.conversation = ConversationPane(
            self.conversation_model, self, self.images.pixmap, self.composer
        )
        self.history = PurchaseHistory(self, self.images.pixmap)
        self.quick_replies = QuickReplyPopup(self.template_model, self)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.thread_list)
        self.splitter.addWidget(self.conversation)
        self.splitter.addWidget(self.history)
        self.splitter.setChildrenCollapsible(False)
        self.thread_list.setMinimumWidth(300)
        self.conversation.setMinimumWidth(380)
        self.history.setMinimumWidth(280)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([340, 600, 340])

        # Views: the workspace now; a later "dashboard" page is added with add_view().
        self.views = QTabWidget(self)
        self.views.setObjectName("views")
        self.views.setDocumentMode(True)
        self.views.addTab(self.splitter, self.tr("Conversations"))
        self.views.tabBar().hide()
        self._view_names = ["workspace"]

        self.blocked = QWidget(self)
        self.blocked.setObjectName("blockedScreen")
        bbox = QVBoxLayout(self.blocked)
        bbox.addStretch(1)
        self.blocked_title = label(parent=self.blocked)
        self.blocked_title.setObjectName("blockedTitle")
        self.blocked_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.blocked_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.blocked_title.setFont(font)
        bbox.addWidget(self.blocked_title)
        self.blocked_text = label(parent=self.blocked, wrap=True)
        self.blocked_text.setObjectName("blockedText")
        self.blocked_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bbox.addWidget(self.blocked_text)
        self.blocked_button = QPushButton(self.blocked)
        self.blocked_button.setObjectName("blockedButton")
        self.blocked_button.clicked.connect(self.on_blocked_button_clicked)
        bbox.addWidget(self.blocked_button, 0, Qt.AlignmentFlag.AlignCenter)
        bbox.addStretch(2)

        self.stack = QStackedWidget(self)
        self.stack.setObjectName("mainStack")
        self.stack.addWidget(self.views)
        self.stack.addWidget(self.blocked)
        self.setCentralWidget(self.stack)

        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self._build_menus()
        self._build_shortcuts()

        self.thread_list.threadSelected.connect(self.on_thread_list_threadSelected)
        self.thread_list.threadClosed.connect(self.on_thread_list_threadClosed)
        self.thread_list.composeRequested.connect(self.composer.editor.setFocus)
        self.thread_list.searchChanged.connect(self.on_thread_list_searchChanged)
        self.thread_list.tick.connect(self.on_thread_list_tick)
        self.thread_model.rowsInserted.connect(self.on_thread_model_changed)
        self.thread_model.dataChanged.connect(self.on_thread_model_changed)
        self.thread_model.modelReset.connect(self.on_thread_model_changed)
        self.conversation.loadOlderRequested.connect(self.on_conversation_loadOlderRequested)
        self.conversation.assignRequested.connect(self.on_conversation_assignRequested)
        self.conversation.statusRequested.connect(self.on_conversation_statusRequested)
        self.conversation.resolveNextRequested.connect(self.resolve_and_next)
        self.conversation.delegate.retryRequested.connect(self.on_delegate_retryRequested)
        self.composer.sendRequested.connect(self.on_composer_sendRequested)
        self.composer.draftChanged.connect(self.on_composer_draftChanged)
        self.composer.quickRepliesRequested.connect(self.open_quick_replies)
        self.quick_replies.chosen.connect(self.on_quick_replies_chosen)
        self.quick_replies.dismissed.connect(self.composer.editor.setFocus)
        self.history.orderSelected.connect(self.on_history_orderSelected)
        self.images.loaded.connect(self.on_images_loaded)
        self.status.presenceToggled.connect(self.on_status_presenceToggled)

        self._open_timer = QTimer(self)
        self._open_timer.setSingleShot(True)
        self._open_timer.setInterval(120)
        self._open_timer.timeout.connect(self.on_open_timer_timeout)
        self._today_timer = QElapsedTimer()  # since the last refresh_today (invalid: never)
        self._after_paint = AfterFirstPaint(
            self.thread_list.view.viewport(), lambda: self.thread_model.rowCount() > 0, parent=self
        )
        self._stats_timer = QTimer(self)
        self._stats_timer.setInterval(60_000)
        self._stats_timer.timeout.connect(self.refresh_today)
        # The tray badge is redrawn at most every 200 ms, however fast messages arrive.
        self._unread_timer = QTimer(self)
        self._unread_timer.setSingleShot(True)
        self._unread_timer.setInterval(200)
        self._unread_timer.timeout.connect(self.on_unread_timer_timeout)
        # The dashboard page (and its charts) is built when its tab is first shown, or when a team
        # lead signs in (the alerts run in the background): an empty tab stands in until then.
        self._dashboard: DashboardPage | None = None
        self.add_view("dashboard", QWidget(self.views), dashboard.tab_title(False))
        self.views.currentChanged.connect(self.on_views_currentChanged)
        self.update_title()
        self.resize(1280, 800)
        self.restore_layout()

    # --- views (the seam for the dashboard)
    def add_view(self, name: str, widget: QWidget, title: str) -> None:
        self.views.addTab(widget, title)
        self._view_names.append(name)
        self.views.tabBar().setVisible(self.views.count() > 1)

    def replace_view(self, name: str, widget: QWidget, title: str) -> None:
        """Put `widget` in place of the view `name` (the same tab, still current if it was)."""
        i = self._view_names.index(name)
        current = self.views.currentIndex()
        old = self.views.widget(i)
        blocked = self.views.blockSignals(True)
        try:
            self.views.insertTab(i, widget, title)
            self.views.removeTab(i + 1)
            self.views.setCurrentIndex(current)
        finally:
            self.views.blockSignals(blocked)
        if old is not None:
            old.deleteLater()

    @property
    def dashboard(self) -> DashboardPage:
        """The dashboard page, built on first use."""
        if self._dashboard is None:
            self._dashboard = dashboard.install(self)
            if self.store is not None:
                self._dashboard.attach_store(self.store)
        return self._dashboard

    def dashboard_built(self) -> bool:
        return self._dashboard is not None

    def on_views_currentChanged(self, index: int) -> None:
        if 0 <= index < len(self._view_names) and self._view_names[index] == "dashboard":
            self.dashboard.activate_if_needed()

    def has_view(self, name: str) -> bool:
        return name in self._view_names

    def show_view(self, name: str) -> None:
        if name in self._view_names:
            self.views.setCurrentIndex(self._view_names.index(name))

    # --- menus and keys
    def _build_menus(self) -> None:
        bar = self.menuBar()
        account = bar.addMenu(self.tr("&Account"))
        self.settings_action = QAction(self.tr("Settings…"), self)
        self.settings_action.triggered.connect(self.open_settings)
        account.addAction(self.settings_action)
        self.templates_action = QAction(self.tr("Quick replies…"), self)
        self.templates_action.triggered.connect(self.open_template_editor)
        account.addAction(self.templates_action)
        account.addSeparator()
        self.sign_out_action = QAction(self.tr("Sign out"), self)
        self.sign_out_action.setObjectName("signOutAction")
        self.sign_out_action.triggered.connect(self.signOutRequested)
        account.addAction(self.sign_out_action)
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        account.addAction(quit_action)
        help_menu = bar.addMenu(self.tr("&Help"))
        shortcuts = QAction(self.tr("Keyboard shortcuts"), self)
        shortcuts.setShortcut(QKeySequence(Qt.Key.Key_F1))
        shortcuts.triggered.connect(self.show_shortcuts)
        help_menu.addAction(shortcuts)
        self.addAction(shortcuts)

    def _shortcut(self, keys: str | QKeySequence, slot: Any) -> QShortcut:
        sc = QShortcut(QKeySequence(keys), self)
        sc.setContext(Qt.ShortcutContext.WindowShortcut)
        sc.activated.connect(slot)
        return sc

    def _build_shortcuts(self) -> None:
        self._shortcut("Alt+Down", lambda: self.thread_list.move_selection(1))
        self._shortcut("Alt+Up", lambda: self.thread_list.move_selection(-1))
        self._shortcut("Ctrl+Shift+N", self.composer.toggle_kind)
        self._shortcut("Ctrl+Shift+R", self.resolve_and_next)
        self._shortcut("Ctrl+F", self.focus_search)
        self._shortcut("Ctrl+K", lambda: self.open_quick_replies(""))
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self:
            return False
        if watched is not QApplication.focusWidget():
            return False  # handle each key press once, where it is delivered
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        typing = isinstance(watched, (QLineEdit, QPlainTextEdit))
        if key == Qt.Key.Key_Escape and not self.quick_replies.isVisible():
            if watched is not self.thread_list.view:
                self.thread_list.view.setFocus()
                return True
            return False
        jk = key in (Qt.Key.Key_J, Qt.Key.Key_K)
        if jk and not typing and mods == Qt.KeyboardModifier.NoModifier:
            self.thread_list.move_selection(1 if key == Qt.Key.Key_J else -1)
            return True
        return False

    def focus_search(self) -> None:
        self.thread_list.search.setFocus()
        self.thread_list.search.selectAll()

    def show_shortcuts(self) -> None:
        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_settings(self) -> None:
        s = settings()
        dialog = SettingsDialog(
            self,
            language=str(s.value("ui/language", "")),
            enter_sends=self.composer.enter_sends,
            sound=self.sound,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.on_settings_changed)
        dialog.open()

    def on_settings_changed(self, language: str, enter_sends: bool, sound: bool) -> None:
        s = settings()
        s.setValue("ui/language", language)
        s.setValue("composer/enter_sends", enter_sends)
        s.setValue("notifications/sound", sound)
        self.composer.enter_sends = enter_sends
        self.sound = sound
        self.composer.update_window()

    # --- layout memory
    def restore_layout(self) -> None:
        s = settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        split = s.value("window/splitter")
        if isinstance(split, QByteArray):
            self.splitter.restoreState(split)

    def save_layout(self) -> None:
        s = settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.flush_draft()
        super().closeEvent(event)

    # --- the store
    def _now(self) -> datetime:
        if self.store is not None:
            return self.store.now()
        return datetime.now().astimezone()

    def attach_store(self, store: ClientStore) -> None:
        self.detach_store()
        self.store = store
        messenger = MessengerStore(store)
        messenger.stateChanged.connect(self.composer.on_messenger_stateChanged)
        self.history.attach_messenger(messenger)
        self.thread_model.set_now(store.now)
        self.images.set_fetch(store.backend.media)
        pairs = [
            (store.threadsReset, self.on_store_threadsReset),
            (store.threadsChanged, self.on_store_threadsChanged),
            (store.messageCreated, self.on_store_messageCreated),
            (store.conversationOpened, self.on_store_conversationOpened),
            (store.connectionChanged, self.on_store_connectionChanged),
            (store.templatesChanged, self.on_store_templatesChanged),
            (store.agentsChanged, self.on_store_agentsChanged),
            (store.settingsChanged, self.on_store_settingsChanged),
            (store.ordersChanged, self.on_store_ordersChanged),
            (store.customerChanged, self.on_store_customerChanged),
            (store.typing, self.on_store_typing),
            (store.viewersChanged, self.on_store_viewersChanged),
            (store.errorOccurred, self.show_error),
            (store.storageError, self.show_error),
            (store.sendFailed, self.on_store_sendFailed),
        ]
        for signal, slot in pairs:
            signal.connect(slot)
        self._store_connections = pairs
        self.stack.setCurrentWidget(self.views)
        self.status.set_connection(store.connection)
        if store.loaded:
            self.on_store_threadsReset()
            self.on_store_agentsChanged()
            self.on_store_templatesChanged()
        self._stats_timer.start()
        if self._dashboard is not None:
            self._dashboard.attach_store(store)
        self.after_first_page(fmt.warm_up)

    def detach_store(self) -> None:
        if self.store is None:
            return
        self.flush_draft()
        for signal, slot in self._store_connections:
            with contextlib.suppress(RuntimeError, SystemError, TypeError):
                signal.disconnect(slot)
        self._store_connections = []
        self.history.attach_messenger(None)
        self.store = None
        self.current_thread_id = None
        self.images.cancel_all()
        self.images.set_fetch(None)
        self.thread_model.set_threads([])
        self.conversation_model.bind(None)
        self.conversation.set_thread(None)
        self.composer.set_thread(None)
        self.history.show_message(self.tr("Select a conversation to see the customer's orders."))
        self.status.set_today(None)
        self.status.clear_presence()
        self.status.set_connection(ConnectionInfo(state="signed_out"))
        self._stats_timer.stop()
        self._today_timer.invalidate()
        if self._dashboard is not None:
            self._dashboard.detach_store()
        self._mine.clear()

    def show_blocked(self, title: str, text: str, button: str, action: str) -> None:
        """The full-window screen: backend unreachable ("retry") or token revoked ("signin")."""
        self.blocked_title.setText(title)
        self.blocked_text.setText(text)
        self.blocked_button.setText(button)
        self.blocked_button.setProperty("action", action)
        self.stack.setCurrentWidget(self.blocked)

    def show_unreachable(self, reason: str) -> None:
        self.show_blocked(
            self.tr("The support backend cannot be reached"),
            reason + "\n" + self.tr("Your drafts and unsent messages are kept on this computer."),
            self.tr("Try again"),
            "retry",
        )

    def show_signed_out(self, reason: str) -> None:
        self.status.set_connection(ConnectionInfo(state="signed_out"))
        self.show_blocked(
            self.tr("You are signed out"),
            reason or self.tr("Your session has ended; please sign in again."),
            self.tr("Sign in again"),
            "signin",
        )

    def on_blocked_button_clicked(self) -> None:
        if self.blocked_button.property("action") == "signin":
            self.signInRequested.emit()
        else:
            self.retryRequested.emit()

    def show_error(self, text: str) -> None:
        self.status.showMessage(text, 8000)

    # --- store signals
    def on_store_threadsReset(self) -> None:
        store = self.store
        if store is None:
            return
        selected = self.current_thread_id
        self.thread_model.set_threads(store.threads.values())
        self._mine.clear()
        for thread in store.threads.values():
            self._track_mine(thread)
        self.thread_list.proxy.set_me(store.me.id if store.me else None)
        self.thread_model.target_seconds = store.settings.target_seconds
        if store.me is not None:
            self.status.set_presence(store.me.presence)
        if selected:
            self.thread_list.select_thread(selected)
        self._prepare_dashboard()
        self.update_title()
        self.dataLoaded.emit()
        self.after_first_page(self._refresh_today_once)

    def after_first_page(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the thread list shows its first rows (see ui/first_paint.py)."""
        self._after_paint.call(callback)

    def _refresh_today_once(self) -> None:
        # The threads come in twice at sign-in (the first page, then all): one request for the
        # agent's figures of the day is enough (the server computes them).
        if self.store is not None and (
            not self._today_timer.isValid() or self._today_timer.hasExpired(10_000)
        ):
            self.refresh_today()

    def on_store_threadsChanged(self, ids: list[str]) -> None:
        store = self.store
        if store is None:
            return
        changed: list[ThreadRow] = []
        for thread_id in ids:
            thread = store.threads.get(thread_id)
            if thread is None:
                self.thread_model.remove(thread_id)
                self._mine.pop(thread_id, None)
                continue
            changed.append(thread)
        self.thread_model.upsert_many(changed)
        for thread in changed:
            thread_id = thread.id
            self._track_mine(thread)
            if thread_id == self.current_thread_id:
                self.conversation.update_header(
                    thread, self.thread_model.agent_name(thread.assignee_id)
                )
                self.composer.update_thread(thread)
        self.update_title()

    def on_store_messageCreated(self, thread_id: str, message: Message) -> None:
        store = self.store
        if store is None or message.author.kind != "customer":
            return
        thread = store.threads.get(thread_id)
        mine = thread is not None and store.me is not None and thread.assignee_id == store.me.id
        unassigned = thread is not None and thread.assignee_id is None
        if (mine or unassigned) and not (
            self.isActiveWindow() and thread_id == self.current_thread_id
        ):
            name = thread.customer.name if thread else message.author.name
            self.notify.emit(
                self.tr("New message from %1").replace("%1", isolate(name)),
                " ".join(message.text.split())[:140],
            )
        if thread_id == self.current_thread_id and self.isActiveWindow():
            self.tasks.start(store.mark_read(thread_id, message.id), "mark-read")

    def on_store_conversationOpened(self, conversation: Conversation | None) -> None:
        self.conversation_model.bind(conversation)
        self.conversation_model.set_orders(self._orders)

    def on_store_connectionChanged(self, info: ConnectionInfo) -> None:
        self.status.set_connection(info)
        if info.state == "signed_out":
            self.show_signed_out(info.error or "")

    def on_store_templatesChanged(self) -> None:
        if self.store is not None:
            self.template_model.set_templates(self.store.templates)

    def on_store_agentsChanged(self) -> None:
        store = self.store
        if store is None:
            return
        self.thread_model.set_agents(store.agents.values())
        self.conversation.set_agents(list(store.agents.values()), store.me)
        self._prepare_dashboard()
        if store.me is not None:
            self.status.set_presence(store.me.presence)
        thread = self.current_thread()
        if thread is not None:
            self.conversation.update_header(
                thread, self.thread_model.agent_name(thread.assignee_id)
            )

    def _prepare_dashboard(self) -> None:
        """A lead's dashboard runs from sign-in (alerts); an agent's waits for its tab."""
        store = self.store
        if store is None or self._dashboard is not None:
            return
        lead = store.me is not None and store.me.role == "lead"
        if lead:
            self.dashboard.activate_if_needed()
        else:
            index = self._view_names.index("dashboard")
            self.views.setTabText(index, dashboard.tab_title(False))

    def on_store_settingsChanged(self) -> None:
        if self.store is not None:
            self.thread_model.target_seconds = self.store.settings.target_seconds

    def on_store_ordersChanged(self, customer_id: str) -> None:
        if (
            self._customer is not None
            and customer_id == self._customer.id
            and self.store is not None
        ):
            self.tasks.start(
                self._load_history(self.current_thread_id or "", refresh=False), "orders"
            )

    def on_store_customerChanged(self, customer_id: str) -> None:
        pass

    def on_store_typing(self, thread_id: str, agent_id: str, name: str) -> None:
        import time as _time

        self._typing.setdefault(thread_id, {})[agent_id] = (name, _time.monotonic())
        self.update_presence_line()

    def on_store_viewersChanged(self, thread_id: str, names: list[str]) -> None:
        self.update_presence_line()

    def on_store_sendFailed(self, client_id: str, reason: str) -> None:
        self.show_error(self.tr("A message could not be sent: %1").replace("%1", reason))

    def update_presence_line(self) -> None:
        import time as _time

        store = self.store
        tid = self.current_thread_id
        if store is None or tid is None:
            return
        now = _time.monotonic()
        typing = [n for n, at in self._typing.get(tid, {}).values() if now - at < 6]
        self.conversation.set_presence_text(store.viewers(tid), typing)

    # --- thread selection
    def current_thread(self) -> ThreadRow | None:
        return self.thread_model.get(self.current_thread_id) if self.current_thread_id else None

    def flush_draft(self) -> None:
        if self.store is not None and self.current_thread_id:
            try:
                self.store.save_draft(self.current_thread_id, self.composer.text())
            except Exception as exc:  # reported by the store's storageError too
                log.warning("draft not saved: %s", exc)

    def on_thread_list_threadSelected(self, thread_id: str) -> None:
        store = self.store
        if store is None or thread_id == self.current_thread_id:
            return
        self.flush_draft()
        self.current_thread_id = thread_id
        thread = self.thread_model.get(thread_id)
        self.conversation.set_thread(thread)
        if thread is not None:
            self.conversation.update_header(
                thread, self.thread_model.agent_name(thread.assignee_id)
            )
        self.composer.set_thread(thread, store.draft(thread_id))
        self._customer = None
        self._orders = []
        self.conversation_model.set_orders([])
        self.history.show_message(self.tr("Loading the purchase history…"))
        self.update_presence_line()
        # Debounced: moving quickly through the list (J/K held down) opens only where it stops.
        self._open_timer.start()

    def on_thread_list_threadClosed(self, thread_id: str) -> None:
        """The open thread left the list (the agent's filter hides it, or it is gone): nothing
        is open, and the composer names no one."""
        if thread_id != self.current_thread_id:
            return
        self.flush_draft()
        self._open_timer.stop()
        self.current_thread_id = None
        self.conversation.set_thread(None)
        self.composer.set_thread(None)
        self._customer = None
        self._orders = []
        self.history.show_message(self.tr("Select a conversation to see the customer's orders."))
        if self.store is not None:
            self.store.close_thread()

    def on_open_timer_timeout(self) -> None:
        if self.current_thread_id is not None:
            self.tasks.start(self._open(self.current_thread_id), "open-thread")

    async def _open(self, thread_id: str) -> None:
        store = self.store
        if store is None:
            return
        conversation = await store.open_thread(thread_id)
        if self.current_thread_id != thread_id:
            return
        # The newest messages are painted first; the purchase history (from the cache, without
        # a yield) takes longer to build.
        await asyncio.sleep(0)
        if self.current_thread_id != thread_id:
            return
        await self._load_history(thread_id)
        newest = next((e.message for e in reversed(conversation.entries) if not e.pending), None)
        thread = store.threads.get(thread_id)
        if newest is not None and thread is not None and thread.unread:
            await store.mark_read(thread_id, newest.id)
        self.tasks.start(store.notify_viewing(thread_id), "viewing")
        self.conversationReady.emit(thread_id)

    async def _load_history(self, thread_id: str, refresh: bool = False) -> None:
        store = self.store
        thread = store.threads.get(thread_id) if store else None
        if store is None or thread is None:
            return
        customer_id = thread.customer.id
        try:
            customer = await store.customer(customer_id, refresh=refresh)
            orders = await store.orders(customer_id, refresh=refresh)
        except BackendError as exc:
            if self.current_thread_id == thread_id:
                self.history.show_message(
                    self.tr("The purchase history could not be loaded: %1").replace("%1", str(exc))
                )
            return
        if self.current_thread_id != thread_id:
            return
        selected = (
            self.history.selected_order_id
            if self._customer and self._customer.id == customer_id
            else None
        )
        self._customer = customer
        self._orders = orders
        self.history.set_data(customer, orders, selected)
        self.conversation_model.set_orders(orders)
        for order in orders:
            for item in order.items:
                if item.image_url:
                    self.images.request(item.image_url)

    def on_history_orderSelected(self, order_id: str) -> None:
        self.status.showMessage(self.tr("Quick replies now use this order."), 3000)

    def on_images_loaded(self, url: str) -> None:
        self.history.on_images_loaded(url)
        self.conversation.view.viewport().update()
        self.thread_list.view.viewport().update()

    def on_thread_model_changed(self, *args: object) -> None:
        self.update_title()

    def update_title(self) -> None:
        unread = self.thread_model.unread_total()
        title = self.tr("Agent Desktop")
        if unread:
            title = self.tr("(%1) Agent Desktop").replace("%1", str(unread))
        self.setWindowTitle(title)
        if unread != self._last_unread and not self._unread_timer.isActive():
            self._unread_timer.start()

    def on_unread_timer_timeout(self) -> None:
        unread = self.thread_model.unread_total()
        if unread != self._last_unread:
            self._last_unread = unread
            self.unreadChanged.emit(unread)

    # --- conversation actions
    def on_conversation_loadOlderRequested(self) -> None:
        if self.store is not None:
            self.tasks.start(self._load_older(), "load-older")

    async def _load_older(self) -> None:
        assert self.store is not None
        added = await self.store.load_older()
        self.conversation.older_done(added)

    def on_conversation_assignRequested(self, agent_id: str | None) -> None:
        if self.store is not None and self.current_thread_id:
            self.tasks.start(self.store.assign(self.current_thread_id, agent_id), "assign")

    def on_conversation_statusRequested(self, status: str) -> None:
        if self.store is not None and self.current_thread_id:
            self.tasks.start(self.store.set_status(self.current_thread_id, status), "status")  # type: ignore[arg-type]

    def resolve_and_next(self) -> None:
        store = self.store
        tid = self.current_thread_id
        if store is None or tid is None:
            return
        nxt = self.thread_list.next_thread_id(tid)
        self.tasks.start(store.set_status(tid, "resolved"), "resolve")
        if nxt and nxt != tid:
            self.thread_list.select_thread(nxt)
        self.composer.editor.setFocus()

    def on_delegate_retryRequested(self, key: str) -> None:
        if self.store is not None:
            self.store.retry(key.removeprefix("local:"))
        row = self.conversation_model.row_of(key)
        message = self.conversation_model.messages()[row] if row >= 0 else None
        messenger = self.history.messenger
        if messenger is not None and message is not None and message.id == key:
            if messenger.was_resent(message.id):
                self.show_error(
                    self.tr("This message was already sent again; the new copy is further down.")
                )
            else:
                messenger.resend(message)  # stored, but Messenger refused it

    def on_composer_draftChanged(self, text: str) -> None:
        store = self.store
        if store is not None and self.current_thread_id:
            try:
                store.save_draft_later(self.current_thread_id, text)
            except RuntimeError:
                store.save_draft(self.current_thread_id, text)
            if text:
                self.tasks.start(store.notify_typing(self.current_thread_id), "typing")

    def on_composer_sendRequested(self, tid: str, text: str, kind: str) -> None:
        """Send to the thread the composer names (it is the open one: both change together)."""
        store = self.store
        if store is None or tid != self.current_thread_id:
            log.error("Send refused: the composer's thread %s is not the open one", tid)
            self.composer.editor.setPlainText(text)
            return
        tag = None
        if kind == "reply":
            try:
                tag = required_tag(
                    self.composer.current_window().state, store.settings.allowed_tags
                )
            except ReplyNotAllowed as exc:
                self.composer.editor.setPlainText(text)
                self.show_error(str(exc))
                return
        self.tasks.start(self._send(tid, text, kind, tag), "send")

    async def _send(self, thread_id: str, text: str, kind: str, tag: str | None) -> None:
        assert self.store is not None
        try:
            await self.store.send(thread_id, text, kind=kind, tag=tag)  # type: ignore[arg-type]
        except Exception:
            if self.current_thread_id == thread_id and not self.composer.text():
                self.composer.editor.setPlainText(text)
            raise
        self.store.save_draft(thread_id, "")
        self.conversation.scroll_to_bottom()

    # --- quick replies
    def template_context(self) -> TemplateContext:
        store = self.store
        order = pick_order(self._orders, self.history.selected_order_id)
        return TemplateContext(
            customer=self._customer, agent=store.me if store else None, order=order
        )

    def open_quick_replies(self, query: str = "") -> None:
        if self.current_thread_id is None:
            return
        self.quick_replies.popup(self.composer.editor, query)

    def on_quick_replies_chosen(self, template: Template) -> None:
        rendered = render(template.body, self.template_context())
        self.composer.insert_rendered(rendered.text, rendered.unfilled_spans)
        self.composer.editor.setFocus()

    def open_template_editor(self) -> None:
        store = self.store
        if store is None:
            return
        editor = TemplateEditor(
            self.template_model,
            self.template_context,
            is_lead=bool(store.me and store.me.role == "lead"),
            me_id=store.me.id if store.me else None,
            parent=self,
        )
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saveRequested.connect(
            lambda tid, fields: self.tasks.start(
                self._save_template(editor, tid, fields), "template"
            )
        )
        editor.deleteRequested.connect(
            lambda tid: self.tasks.start(store.delete_template(tid), "template-delete")
        )
        editor.open()
        self._template_editor = editor

    async def _save_template(
        self, editor: TemplateEditor, template_id: str | None, fields: dict[str, Any]
    ) -> None:
        assert self.store is not None
        try:
            if template_id:
                await self.store.update_template(template_id, fields)
            else:
                await self.store.create_template(fields)
        except BackendError as exc:
            editor.show_error(str(exc))
            return
        editor.show_error(self.tr("Saved."))

    # --- presence and numbers
    def on_status_presenceToggled(self, presence: str) -> None:
        if self.store is not None:
            self.tasks.start(self._set_presence(presence), "presence")

    async def _set_presence(self, presence: str) -> None:
        assert self.store is not None
        agent = await self.store.set_presence(presence)  # type: ignore[arg-type]
        self.status.set_presence(agent.presence)

    def refresh_today(self) -> None:
        if self.store is not None and self.store.me is not None:
            self._today_timer.start()
            self.tasks.start(self._refresh_today(), "today")

    async def _refresh_today(self) -> None:
        store = self.store
        if store is None or store.me is None:
            return
        start = datetime.combine(datetime.now().date(), time(0)).astimezone()
        try:
            report = await store.backend.metrics(since=start, agent_id=store.me.id)
        except BackendError:
            return
        if self.store is store and store.me is not None:
            self.status.set_today(report.agents.get(store.me.id))

    # --- the one-second tick
    def on_thread_list_tick(self) -> None:
        self.composer.update_window()
        self.update_presence_line()
        store = self.store
        if store is None or store.me is None:
            return
        target = self.thread_model.target_seconds
        for thread in list(self._mine.values()):
            reading = self.thread_model.timer(thread)
            if reading.state in ("warning", "breached") and thread.id not in self._warned:
                self._warned.add(thread.id)
                if reading.state == "warning":
                    left = max(0, int(target - reading.elapsed_seconds))
                    self.notify.emit(
                        self.tr("%1 is waiting").replace("%1", isolate(thread.customer.name)),
                        self.tr("The response target is reached in %1 s.").replace("%1", str(left)),
                    )
            elif reading.state == "ok":
                self._warned.discard(thread.id)

    def _track_mine(self, thread: ThreadRow) -> None:
        me = self.store.me if self.store is not None else None
        if me is not None and thread.assignee_id == me.id and thread.waiting_since is not None:
            self._mine[thread.id] = thread
        else:
            self._mine.pop(thread.id, None)
            self._warned.discard(thread.id)

    def on_thread_list_searchChanged(self, text: str) -> None:
        if self.store is not None and text:
            self.tasks.start(self._server_search(text), "search")

    async def _server_search(self, text: str) -> None:
        store = self.store
        if store is None:
            return
        page = await store.backend.threads(q=text, assignee="any", limit=200)
        for thread in page.items:
            if thread.id not in store.threads:
                self.thread_model.upsert(store.row(thread))
        self.thread_list.set_server_hits(text, [t.id for t in page.items])

    def wait_ready_for_screenshot(self) -> bool:
        """True once the open thread's conversation, purchase history and pictures are shown."""
        return (
            self.history.customer is not None
            and self.images.pending() == 0
            and self.history.pictures_loaded()
        )
