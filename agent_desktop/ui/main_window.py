"""The main window: it hosts the views (ui/views.py: the workspace and the dashboard) above the
status bar, or the full-window blocked screen (ui/blocked_screen.py) when the backend cannot be
used, and shows a `ClientStore` (attach_store).

The workspace's parts are its own files: the thread list (ui/thread_list.py), which thread is
open (ui/selection.py), writing and sending (ui/send_controller.py), menus and keys
(ui/shortcuts.py). What is left here is the wiring to the store: the list kept up to date, the
title and the tray's unread count, notifications, the status bar, and the layout remembered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtWidgets import QMainWindow, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from agent_desktop.core import intents
from agent_desktop.store.connection import ConnectionInfo
from agent_desktop.store.messenger import MessengerStore
from agent_desktop.store.shop import ShopStore
from agent_desktop.store.signals import connect_all, disconnect_all
from agent_desktop.store.tasks import BackgroundTasks
from agent_desktop.ui import dashboard, fmt, notifications, theme
from agent_desktop.ui.blocked_screen import BlockedScreen
from agent_desktop.ui.composer import ComposerPane
from agent_desktop.ui.conversation_model import ConversationModel
from agent_desktop.ui.conversation_pane import ConversationPane
from agent_desktop.ui.dialogs import SettingsDialog, ShortcutsDialog
from agent_desktop.ui.first_paint import AfterFirstPaint
from agent_desktop.ui.flow import AgentFlow
from agent_desktop.ui.images import ImageCache
from agent_desktop.ui.messenger_banner import MessengerBanner
from agent_desktop.ui.purchase_history import PurchaseHistory
from agent_desktop.ui.quick_replies import QuickReplyPopup, TemplateListModel
from agent_desktop.ui.selection import SelectionController
from agent_desktop.ui.send_controller import SendController
from agent_desktop.ui.settings_file import settings
from agent_desktop.ui.shortcuts import Shortcuts
from agent_desktop.ui.status_bar import StatusBar
from agent_desktop.ui.suggestions import SuggestionController
from agent_desktop.ui.thread_list import ThreadListPane
from agent_desktop.ui.thread_model import ThreadListModel
from agent_desktop.ui.views import Views

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from agent_desktop.core.rows import ThreadRow
    from agent_desktop.core.types import Message
    from agent_desktop.store.client_store import ClientStore
    from agent_desktop.ui.dashboard.page import DashboardPage

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Signals:
    signOutRequested()             the agent chose Sign out
    retryRequested()               "Try again" on the full-window error screen
    signInRequested()              "Sign in again" on the full-window error screen
    changePasswordRequested()      Account → Change password
    unreadChanged(int)             total unread messages in open and pending threads
    notify(str title, str body)    something worth a desktop notification
    notification(str title, str body, str thread_id)  the same, with the thread a click on it
                                   opens ("" for none): the one the desktop notifier listens to
    dataLoaded()                   the threads were (re)loaded: after the first page at sign-in,
                                   when all pages are in, and after every resync
    conversationReady(str)         thread id whose conversation and purchase history are shown
    """

    signOutRequested = Signal()
    retryRequested = Signal()
    signInRequested = Signal()
    changePasswordRequested = Signal()
    unreadChanged = Signal(int)
    notify = Signal(str, str)
    notification = Signal(str, str, str)
    dataLoaded = Signal()
    conversationReady = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, starting: bool = False) -> None:
        """`starting`: the app's own start (startup/main.py): what the first page does not need
        waits until it is painted (startup/fast_start.py)."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowIcon(theme.app_icon())
        self.store: ClientStore | None = None
        self.shop: ShopStore | None = None
        self.tasks = BackgroundTasks(self.show_error)
        self.images = ImageCache(parent=self)
        self._last_unread = -1
        self._title_unread = -1  # the count the window title shows
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
        self.splitter = self._build_workspace()

        self.views = Views(self)
        self.views.add_view("workspace", self.splitter, self.tr("Conversations"))
        self.blocked = BlockedScreen(self)
        self.blocked.retryRequested.connect(self.retryRequested)
        self.blocked.signInRequested.connect(self.signInRequested)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("mainStack")
        self.stack.addWidget(self.views)
        self.stack.addWidget(self.blocked)
        # Above every view: the Messenger banner (Meta paused the Page's sends).
        self.messenger_banner = MessengerBanner(self)
        self.messenger_banner.resumeRequested.connect(self.on_messenger_banner_resumeRequested)
        central = QWidget(self)
        cbox = QVBoxLayout(central)
        cbox.setContentsMargins(0, 0, 0, 0)
        cbox.setSpacing(0)
        cbox.addWidget(self.messenger_banner)
        cbox.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)

        self.selection = SelectionController(
            thread_list=self.thread_list,
            thread_model=self.thread_model,
            conversation=self.conversation,
            conversation_model=self.conversation_model,
            composer=self.composer,
            history=self.history,
            images=self.images,
            tasks=self.tasks,
            before_switch=self.flush_draft,
            parent=self,
        )
        self.sending = SendController(
            window=self,
            selection=self.selection,
            composer=self.composer,
            conversation=self.conversation,
            conversation_model=self.conversation_model,
            history=self.history,
            quick_replies=self.quick_replies,
            template_model=self.template_model,
            tasks=self.tasks,
            show_error=self.show_error,
        )
        self.suggestions = SuggestionController(
            selection=self.selection, composer=self.composer, parent=self
        )
        self.flow = AgentFlow(self)
        self.shortcuts = Shortcuts(self, listen=not starting)

        self.selection.opened.connect(self.conversationReady)
        self.thread_list.composeRequested.connect(self.composer.editor.setFocus)
        self.thread_list.tick.connect(self.on_thread_list_tick)
        # Only when the unread total moves: a slot on dataChanged ran (its indexes made into
        # Python objects) for every live event and for the timers' rows each second.
        self.thread_model.unreadChanged.connect(self.on_thread_model_unreadChanged)
        self.history.orderSelected.connect(self.on_history_orderSelected)
        self.images.loaded.connect(self.on_images_loaded)

        self._after_paint = AfterFirstPaint(
            self.thread_list.view.viewport(), lambda: self.thread_model.rowCount() > 0, parent=self
        )
        if starting:
            self.after_first_page(self.shortcuts.listen)
        # The tray badge is redrawn at most every 200 ms, however fast messages arrive.
        self._unread_timer = QTimer(self)
        self._unread_timer.setSingleShot(True)
        self._unread_timer.setInterval(200)
        self._unread_timer.timeout.connect(self.on_unread_timer_timeout)
        # The dashboard page (and its charts) is built when its tab is first shown, or when a team
        # lead signs in (the alerts run in the background): an empty tab stands in until then.
        self._dashboard: DashboardPage | None = None
        self.views.add_view("dashboard", QWidget(self.views), dashboard.tab_title(False))
        self.views.currentChanged.connect(self.on_views_currentChanged)
        self.update_title()
        self.resize(1280, 800)
        self.restore_layout()

    def _build_workspace(self) -> QSplitter:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("mainSplitter")
        for pane, minimum, stretch in (
            (self.thread_list, 300, 0),
            (self.conversation, 380, 1),
            (self.history, 280, 0),
        ):
            splitter.addWidget(pane)
            pane.setMinimumWidth(minimum)
            splitter.setStretchFactor(splitter.count() - 1, stretch)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([340, 600, 340])
        return splitter

    # --- what the parts know
    @property
    def current_thread_id(self) -> str | None:
        """The open thread (the highlighted row of the list), or None."""
        return self.selection.thread_id

    def current_thread(self) -> ThreadRow | None:
        return self.selection.open_thread()

    def flush_draft(self) -> None:
        self.sending.flush_draft()

    def open_template_editor(self) -> None:
        self.sending.open_template_editor()

    def resolve_and_next(self) -> None:
        self.selection.resolve_and_next()

    def wait_ready_for_screenshot(self) -> bool:
        """True once the open thread's conversation, purchase history and pictures are shown."""
        return self.selection.ready_for_screenshot()

    # --- views and the dashboard
    def has_view(self, name: str) -> bool:
        return self.views.has_view(name)

    def show_view(self, name: str) -> None:
        self.views.show_view(name)

    @property
    def dashboard(self) -> DashboardPage:
        """The dashboard page, built on first use: its alerts become desktop notifications, a
        thread double-clicked there opens in the workspace."""
        if self._dashboard is None:
            from agent_desktop.ui.dashboard.page import DashboardPage

            page = DashboardPage(self)
            page.notify.connect(self.notify)
            page.notify.connect(self.on_page_notify)
            page.openThreadRequested.connect(self.open_in_workspace)
            store = self.store
            lead = bool(store and store.me and store.me.role == "lead")
            self.views.replace_view("dashboard", page, dashboard.tab_title(lead))
            self._dashboard = page
            if store is not None:
                page.attach_store(store)
                page.attach_shop(self.shop)
                page.attach_messenger(self.history.messenger)
        return self._dashboard

    def dashboard_built(self) -> bool:
        return self._dashboard is not None

    def on_page_notify(self, title: str, body: str) -> None:
        self.notification.emit(title, body, "")

    def notify_about(self, thread_id: str, title: str, body: str) -> None:
        self.notify.emit(title, body)
        self.notification.emit(title, body, thread_id)

    def open_from_notification(self, thread_id: str) -> None:
        """A notification about `thread_id` was clicked (ui/notifications.py opens it)."""
        notifications.open_clicked(self, thread_id)

    def open_in_workspace(self, thread_id: str) -> None:
        self.views.show_view("workspace")
        if not self.thread_list.select_thread(thread_id):
            self.show_error(self.tr("That conversation is hidden by the list's filter."))

    def on_views_currentChanged(self, index: int) -> None:
        if self.views.name_at(index) == "dashboard":
            self.dashboard.activate_if_needed()

    def _prepare_dashboard(self) -> None:
        """A lead's dashboard runs from sign-in (alerts); an agent's waits for its tab."""
        store = self.store
        if store is None or self._dashboard is not None:
            return
        if store.me is not None and store.me.role == "lead":
            self.dashboard.activate_if_needed()
        else:
            self.views.set_title("dashboard", dashboard.tab_title(False))

    # --- dialogs and layout
    def focus_search(self) -> None:
        self.thread_list.search.setFocus()
        self.thread_list.search.selectAll()

    def show_shortcuts(self) -> None:
        dialog = ShortcutsDialog(self, enter_sends=self.composer.enter_sends)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_settings(self) -> None:
        dialog = SettingsDialog(
            self,
            language=str(settings().value("ui/language", "")),
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

    # --- Messenger: the Page's sending state
    def on_messenger_pageChanged(self, page: object) -> None:
        from agent_desktop.core.messenger_types import PageSending  # a page came: imported

        store = self.store
        self.messenger_banner.set_lead(bool(store and store.me and store.me.role == "lead"))
        self.messenger_banner.on_messenger_pageChanged(
            page if isinstance(page, PageSending) else None
        )

    def on_messenger_permissionsChanged(self, permissions: object) -> None:
        granted = getattr(permissions, "human_agent", None)
        self.thread_list.delegate.human_agent_granted = granted
        self.thread_list.view.viewport().update()

    def on_messenger_banner_resumeRequested(self) -> None:
        messenger = self.history.messenger
        if messenger is not None:
            messenger.run(messenger.resume(), "messenger-resume")

    # --- the store
    def _now(self) -> datetime:
        if self.store is not None:
            return self.store.now()
        return datetime.now().astimezone()

    def attach_store(self, store: ClientStore) -> None:
        self.detach_store()
        self.store = store
        self.selection.set_store(store)
        self.sending.set_store(store)
        self.suggestions.set_store(store)
        messenger = MessengerStore(store)
        messenger.stateChanged.connect(self.composer.on_messenger_stateChanged)
        messenger.stateChanged.connect(self.conversation.on_messenger_stateChanged)
        messenger.pageChanged.connect(self.on_messenger_pageChanged)
        messenger.permissionsChanged.connect(self.on_messenger_permissionsChanged)
        self.history.attach_messenger(messenger)
        self.shop = ShopStore(store, tasks=self.tasks)
        self.history.attach_shop(self.shop)
        self.thread_list.attach_store(store, self.tasks)
        self.images.set_fetch(store.media)
        pairs = [
            (store.threadsReset, self.on_store_threadsReset),
            (store.threadsChanged, self.on_store_threadsChanged),
            (store.messageCreated, self.on_store_messageCreated),
            (store.responseDue, self.on_store_responseDue),
            (store.connectionChanged, self.on_store_connectionChanged),
            (store.templatesChanged, self.on_store_templatesChanged),
            (store.agentsChanged, self.on_store_agentsChanged),
            (store.errorOccurred, self.show_error),
            (store.storageError, self.show_error),
            (store.sendFailed, self.on_store_sendFailed),
        ]
        connect_all(pairs)
        self._store_connections = pairs
        self.stack.setCurrentWidget(self.views)
        self.status.attach_store(store, self.tasks)
        if store.loaded:
            self.on_store_threadsReset()
            self.on_store_agentsChanged()
            self.on_store_templatesChanged()
        if self._dashboard is not None:
            self._dashboard.attach_store(store)
            self._dashboard.attach_shop(self.shop)
            self._dashboard.attach_messenger(messenger)
        self.after_first_page(fmt.warm_up)

    def detach_store(self) -> None:
        if self.store is None:
            return
        self.flush_draft()
        disconnect_all(self._store_connections)
        self._store_connections = []
        self.history.attach_messenger(None)
        self.history.attach_shop(None)
        if self._dashboard is not None:
            self._dashboard.attach_shop(None)
        if self.shop is not None:
            self.shop.stop()
            self.shop = None
        self.messenger_banner.on_messenger_pageChanged(None)
        if self._dashboard is not None:
            self._dashboard.attach_messenger(None)
        self.store = None
        self.selection.set_store(None)
        self.sending.set_store(None)
        self.suggestions.set_store(None)
        self.images.cancel_all()
        self.images.set_fetch(None)
        self.thread_list.detach_store()
        self.conversation_model.bind(None)
        self.conversation.set_thread(None)
        self.composer.set_thread(None)
        self.history.show_message(self.tr("Select a conversation to see the customer's orders."))
        self.status.detach_store()
        if self._dashboard is not None:
            self._dashboard.detach_store()

    def show_unreachable(self, reason: str) -> None:
        self.blocked.show_unreachable(reason)
        self.stack.setCurrentWidget(self.blocked)

    def show_signed_out(self, reason: str) -> None:
        self.status.set_connection(ConnectionInfo(state="signed_out"))
        self.blocked.show_signed_out(reason)
        self.stack.setCurrentWidget(self.blocked)

    def show_error(self, text: str) -> None:
        self.status.showMessage(text, 8000)

    # --- store signals
    def on_store_threadsReset(self) -> None:
        store = self.store
        if store is None:
            return
        if store.me is not None:
            self.status.set_presence(store.me.presence)
        self._prepare_dashboard()
        self.update_title()
        self.dataLoaded.emit()
        self.after_first_page(self.status.refresh_today_once)
        self.after_first_page(intents.compile_cues)  # not at start nor at the first open

    def after_first_page(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the thread list shows its first rows (see ui/first_paint.py)."""
        self._after_paint.call(callback)

    def on_store_threadsChanged(self, ids: list[str]) -> None:
        store = self.store
        if store is None:
            return
        open_id = self.current_thread_id
        thread = store.threads.get(open_id) if open_id in ids else None
        if thread is not None:
            self.conversation.update_header(
                thread, self.thread_model.agent_name(thread.assignee_id)
            )
            self.composer.update_thread(thread)
        self.update_title()

    def on_store_messageCreated(self, thread_id: str, message: Message) -> None:
        """A customer wrote: a notification when the thread is the agent's or nobody's (unless
        the agent is looking at it), and it is read when it is open in the active window."""
        store = self.store
        if store is None or message.author.kind != "customer":
            return
        thread = store.threads.get(thread_id)
        ours = notifications.concerns_me(store, thread)
        looking = self.isActiveWindow() and thread_id == self.current_thread_id
        if ours and not looking and notifications.arrived_live(store, message):
            self.notify_about(thread_id, *notifications.new_message(thread, message))
        # Read as it comes only in a thread the agent has been on for a moment (ui/selection.py)
        # and that is theirs or nobody's: a colleague's thread is theirs to read.
        if looking and ours and self.selection.counts_as_read(thread_id):
            # Its row shows it read now; the request (2-3 ms of httpx) once the row is painted.
            sending = store.read_as_it_comes(thread_id, message.id)
            if sending is not None:
                self.after_first_page(lambda: self._mark_read(store, sending))

    def _mark_read(self, store: ClientStore, sending: Coroutine[Any, Any, None]) -> None:
        if store is self.store and not store.closed:
            self.tasks.start(sending, "mark-read")
        else:
            sending.close()

    def on_store_responseDue(self, thread_id: str, name: str, seconds_left: int) -> None:
        self.notify_about(thread_id, *notifications.response_due(name, seconds_left))

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
        self.conversation.set_agents(list(store.agents.values()), store.me)
        self._prepare_dashboard()
        if store.me is not None:
            self.status.set_presence(store.me.presence)
        thread = self.current_thread()
        if thread is not None:
            self.conversation.update_header(
                thread, self.thread_model.agent_name(thread.assignee_id)
            )

    def on_store_sendFailed(self, client_id: str, reason: str) -> None:
        self.show_error(self.tr("A message could not be sent: %1").replace("%1", reason))

    # --- the list and the title
    def on_history_orderSelected(self, order_id: str) -> None:
        self.status.showMessage(self.tr("Quick replies now use this order."), 3000)

    def on_images_loaded(self, url: str) -> None:
        self.history.on_images_loaded(url)
        self.conversation.view.viewport().update()
        self.thread_list.view.viewport().update()

    def on_thread_model_unreadChanged(self, unread: int) -> None:
        self.update_title()

    def update_title(self) -> None:
        unread = self.thread_model.unread_total()
        if unread == self._title_unread:
            return  # most model changes (each live event, the timers each second) keep the count
        self._title_unread = unread
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

    def on_thread_list_tick(self) -> None:
        """Once a second: the reply window's countdown and who is typing."""
        self.composer.update_window()
        self.selection.update_presence_line()
