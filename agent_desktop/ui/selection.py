"""Which thread is open: the thread list says which one the agent chose (ui/thread_list.py keeps
it the highlighted row); this controller shows it in the conversation pane and the composer at
once, then loads its messages (debounced, so holding J/K opens only where the agent stops), its
customer's purchase history, marks it read and tells the colleagues it is being viewed. The
conversation header's actions on the open thread (older messages, assign, status, resolve and
next) are carried out here too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from agent_desktop.backends.base import BackendError
from agent_desktop.store.sentences import error_sentence
from agent_desktop.ui.first_paint import next_paint

if TYPE_CHECKING:
    from agent_desktop.core.order_types import Customer, Order
    from agent_desktop.core.rows import ThreadRow
    from agent_desktop.core.types import ThreadStatus
    from agent_desktop.store.client_store import ClientStore
    from agent_desktop.store.conversation import Conversation
    from agent_desktop.store.tasks import BackgroundTasks
    from agent_desktop.ui.composer import ComposerPane
    from agent_desktop.ui.conversation_model import ConversationModel
    from agent_desktop.ui.conversation_pane import ConversationPane
    from agent_desktop.ui.images import ImageCache
    from agent_desktop.ui.purchase_history import PurchaseHistory
    from agent_desktop.ui.thread_list import ThreadListPane
    from agent_desktop.ui.thread_model import ThreadListModel

OPEN_DELAY_MS = 120  # moving quickly through the list opens only where it stops
# A thread stays open this long before it counts as read: passing over rows leaves them unread.
READ_AFTER_MS = 1500
TYPING_SHOWN = 6.0  # seconds "… is typing" stays after the colleague's last keystroke


class SelectionController(QObject):
    """The open thread of the workspace.

    Signals:
    opened(str thread_id)   the thread is shown with its conversation and purchase history
    changed()               another thread (or none) is open; its panes are set already
    historyLoaded(str thread_id)  the open thread's customer and orders are (re)loaded
    """

    opened = Signal(str)
    changed = Signal()
    historyLoaded = Signal(str)

    def __init__(
        self,
        *,
        thread_list: ThreadListPane,
        thread_model: ThreadListModel,
        conversation: ConversationPane,
        conversation_model: ConversationModel,
        composer: ComposerPane,
        history: PurchaseHistory,
        images: ImageCache,
        tasks: BackgroundTasks,
        before_switch: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        """`before_switch` runs before another thread replaces the open one (the draft is
        saved there)."""
        super().__init__(parent)
        self.store: ClientStore | None = None
        self.thread_id: str | None = None
        self.customer: Customer | None = None
        self.orders: list[Order] = []
        self._typing: dict[str, dict[str, tuple[str, float]]] = {}
        self._list = thread_list
        self._threads = thread_model
        self._conversation = conversation
        self._model = conversation_model
        self._composer = composer
        self._history = history
        self._images = images
        self._tasks = tasks
        self._before_switch = before_switch
        self.open_timer = QTimer(self)
        self.open_timer.setSingleShot(True)
        self.open_timer.setInterval(OPEN_DELAY_MS)
        self.open_timer.timeout.connect(self.on_open_timer_timeout)
        # Read marks: the agent's or nobody's thread once it stayed open READ_AFTER_MS; any
        # thread (a colleague's too) at once when the agent opens it with Enter (`read_now`);
        # the server marks it read when the agent replies.
        self.read_timer = QTimer(self)
        self.read_timer.setSingleShot(True)
        self.read_timer.setInterval(READ_AFTER_MS)
        self.read_timer.timeout.connect(self.on_read_timer_timeout)
        self._read_wanted = False
        self._opened_id: str | None = None  # the thread whose messages are loaded and shown
        thread_list.threadSelected.connect(self.on_thread_list_threadSelected)
        thread_list.threadClosed.connect(self.on_thread_list_threadClosed)
        conversation.loadOlderRequested.connect(self.on_conversation_loadOlderRequested)
        conversation.assignRequested.connect(self.on_conversation_assignRequested)
        conversation.statusRequested.connect(self.on_conversation_statusRequested)
        conversation.resolveNextRequested.connect(self.resolve_and_next)
        history.customerLinked.connect(self.on_history_customerLinked)

    def set_store(self, store: ClientStore | None) -> None:
        """Follow `store`'s conversation and orders (None: signed out, nothing open)."""
        if self.store is not None:
            self.store.conversationOpened.disconnect(self.on_store_conversationOpened)
            self.store.ordersChanged.disconnect(self.on_store_ordersChanged)
            self.store.typing.disconnect(self.on_store_typing)
            self.store.viewersChanged.disconnect(self.on_store_viewersChanged)
            self.store.threadsChanged.disconnect(self.on_store_threadsChanged)
        self.store = store
        self._typing.clear()
        self.thread_id = None
        self.customer = None
        self.orders = []
        self.open_timer.stop()
        self.read_timer.stop()
        self._opened_id = None
        if store is not None:
            store.conversationOpened.connect(self.on_store_conversationOpened)
            store.ordersChanged.connect(self.on_store_ordersChanged)
            store.typing.connect(self.on_store_typing)
            store.viewersChanged.connect(self.on_store_viewersChanged)
            store.threadsChanged.connect(self.on_store_threadsChanged)

    def open_thread(self) -> ThreadRow | None:
        return self._threads.get(self.thread_id) if self.thread_id else None

    # -- the agent's choice -------------------------------------------------------------------

    def on_thread_list_threadSelected(self, thread_id: str) -> None:
        store = self.store
        if store is None or thread_id == self.thread_id:
            return
        self._before_switch()
        self.read_timer.stop()
        self._read_wanted = False
        self._opened_id = None
        self.thread_id = thread_id
        thread = self._threads.get(thread_id)
        self._conversation.set_thread(thread)
        if thread is not None:
            self._conversation.update_header(thread, self._threads.agent_name(thread.assignee_id))
        self._composer.set_thread(thread, store.draft(thread_id))
        self.customer = None
        self.orders = []
        self._model.set_orders([])
        if thread is not None:
            self._history.set_thread(thread_id, thread.customer_name, thread.customer_suggestion)
        self._history.show_message(self.tr("Loading the purchase history…"))
        self.update_presence_line()
        self.changed.emit()
        self.open_timer.start()

    def on_thread_list_threadClosed(self, thread_id: str) -> None:
        """The open thread left the list (the agent's filter hides it, or it is gone): nothing
        is open, and the composer names no one."""
        if thread_id != self.thread_id:
            return
        self._before_switch()
        self.open_timer.stop()
        self.read_timer.stop()
        self._read_wanted = False
        self._opened_id = None
        self.thread_id = None
        self._conversation.set_thread(None)
        self._composer.set_thread(None)
        self.customer = None
        self.orders = []
        self._history.set_thread(None)
        self._history.show_message(self.tr("Select a conversation to see the customer's orders."))
        if self.store is not None:
            self.store.close_thread()
        self.changed.emit()

    def on_open_timer_timeout(self) -> None:
        if self.thread_id is not None:
            self._tasks.start(self._open(self.thread_id), "open-thread")

    async def _open(self, thread_id: str) -> None:
        store = self.store
        if store is None:
            return
        await store.open_thread(thread_id)
        if self.thread_id != thread_id:
            return
        # The newest messages are painted first; the purchase history (from the cache, without
        # a yield) takes longer to build than they do (Qt paints on its own timer: one turn of
        # the loop was not enough, and the opening waited for the history's order cards).
        await next_paint(self._conversation.view.viewport())
        if self.thread_id != thread_id:
            return
        await self.load_history(thread_id)
        thread = store.threads.get(thread_id)
        self._opened_id = thread_id
        if self._read_wanted:
            await self._mark_read(thread_id)
        elif thread is not None and thread.assignee_id in (None, self._me()):
            self.read_timer.start()
        self._tasks.start(store.notify_viewing(thread_id), "viewing")
        self.opened.emit(thread_id)

    def _me(self) -> str | None:
        store = self.store
        return store.me.id if store is not None and store.me is not None else None

    def read_now(self) -> None:
        """The agent opened the highlighted thread on purpose (Enter): it is read now, or as soon
        as its messages are loaded."""
        thread_id = self.thread_id
        if thread_id is None:
            return
        self.read_timer.stop()
        if self._opened_id == thread_id:
            self._tasks.start(self._mark_read(thread_id), "mark-read")
        else:
            self._read_wanted = True

    def counts_as_read(self, thread_id: str) -> bool:
        """Whether `thread_id` is open and has been for a moment (or was opened with Enter), so
        a message arriving in it is read as it comes."""
        return (
            self._opened_id == thread_id
            and not self.read_timer.isActive()
            and not self._read_wanted
        )

    def on_read_timer_timeout(self) -> None:
        if self.thread_id is not None:
            self._tasks.start(self._mark_read(self.thread_id), "mark-read")

    async def _mark_read(self, thread_id: str) -> None:
        self._read_wanted = False
        store = self.store
        conversation = store.conversation if store is not None else None
        if store is None or conversation is None or conversation.thread_id != thread_id:
            return
        thread = store.threads.get(thread_id)
        newest = next((e.message for e in reversed(conversation.entries) if not e.pending), None)
        if newest is not None and thread is not None and thread.unread:
            await store.mark_read(thread_id, newest.id)

    # -- the purchase history -----------------------------------------------------------------

    async def load_history(self, thread_id: str, refresh: bool = False) -> None:
        store = self.store
        thread = store.threads.get(thread_id) if store else None
        if store is None or thread is None:
            return
        customer_id = thread.customer_id
        try:
            customer = await store.customer(customer_id, refresh=refresh)
            orders = await store.orders(customer_id, refresh=refresh)
        except BackendError as exc:
            if self.thread_id == thread_id:
                self._history.show_message(
                    self.tr("The purchase history could not be loaded: %1").replace(
                        "%1", error_sentence(exc)
                    )
                )
            return
        if self.thread_id != thread_id:
            return
        history = self._history
        same = self.customer is not None and self.customer.id == customer_id
        selected = history.selected_order_id if same else None
        self.customer = customer
        self.orders = orders
        history.set_data(customer, orders, selected)
        self._model.set_orders(orders)
        self.historyLoaded.emit(thread_id)
        for order in orders:
            for item in order.items:
                if item.image_url:
                    self._images.request(item.image_url)

    def on_store_threadsChanged(self, ids: list[str]) -> None:
        """The open thread changed: another customer (linked, maybe on another agent's screen)
        brings their purchase history; a new suggestion shows its banner."""
        if self.thread_id is None or self.thread_id not in ids or self.store is None:
            return
        thread = self.store.threads.get(self.thread_id)
        if thread is None:
            return
        self._history.set_thread(self.thread_id, thread.customer_name, thread.customer_suggestion)
        if self.customer is not None and thread.customer_id != self.customer.id:
            self._tasks.start(self.load_history(self.thread_id, refresh=True), "linked-customer")

    def on_history_customerLinked(self, thread_id: str) -> None:
        if thread_id == self.thread_id:
            self._tasks.start(self.load_history(thread_id, refresh=True), "linked-customer")

    def on_store_ordersChanged(self, customer_id: str) -> None:
        if self.customer is not None and customer_id == self.customer.id and self.thread_id:
            self._tasks.start(self.load_history(self.thread_id), "orders")

    def on_store_conversationOpened(self, conversation: Conversation | None) -> None:
        self._model.bind(conversation)
        self._model.set_orders(self.orders)

    # -- who else is here ----------------------------------------------------------------------

    def on_store_typing(self, thread_id: str, agent_id: str, name: str) -> None:
        self._typing.setdefault(thread_id, {})[agent_id] = (name, time.monotonic())
        self.update_presence_line()

    def on_store_viewersChanged(self, thread_id: str, names: list[str]) -> None:
        self.update_presence_line()

    def update_presence_line(self) -> None:
        """Who else views or types in the open thread."""
        store = self.store
        tid = self.thread_id
        if store is None or tid is None:
            return
        now = time.monotonic()
        typing = [n for n, at in self._typing.get(tid, {}).values() if now - at < TYPING_SHOWN]
        self._conversation.set_presence_text(store.viewers(tid), typing)

    # -- actions on the open thread -----------------------------------------------------------

    def on_conversation_loadOlderRequested(self) -> None:
        if self.store is not None:
            self._tasks.start(self._load_older(self.store), "load-older")

    async def _load_older(self, store: ClientStore) -> None:
        added = await store.load_older()
        self._conversation.older_done(added)

    def on_conversation_assignRequested(self, agent_id: str | None) -> None:
        if self.store is not None and self.thread_id:
            self._tasks.start(self.store.assign(self.thread_id, agent_id), "assign")

    def on_conversation_statusRequested(self, status: ThreadStatus) -> None:
        if self.store is not None and self.thread_id:
            self._tasks.start(self.store.set_status(self.thread_id, status), "status")

    def resolve_and_next(self) -> None:
        """Resolve the open thread and open the one below it (above it when it is the last)."""
        store = self.store
        tid = self.thread_id
        if store is None or tid is None:
            return
        nxt = self._list.next_thread_id(tid)
        self._tasks.start(store.set_status(tid, "resolved"), "resolve")
        if nxt and nxt != tid:
            self._list.select_thread(nxt)
        self._composer.editor.setFocus()

    def ready_for_screenshot(self) -> bool:
        """True once the open thread's purchase history and its pictures are shown."""
        history = self._history
        return (
            history.customer is not None
            and self._images.pending() == 0
            and history.pictures_loaded()
        )
