"""The thread list pane: filters (mine / unassigned / all; open / pending / resolved), the search
box (with the server's search for what the rows do not show), and the list view whose visible
rows' timers one QTimer refreshes every second. It shows a store's threads (attach_store), kept
up to date by its events.

It also keeps the one rule of selection: the open thread is the highlighted row. Only the agent
(a click, a key in the list, Enter in the search box, or the window acting for them) opens a
thread; when the model or the view moves the current row by itself (a row filtered out, removed,
re-sorted, the view taking the focus), the highlight is put back on the open thread. A live change
that would filter the open thread out keeps it in the list until the agent moves on; a filter the
agent changes that hides it closes it (nothing else opens in its place).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.ui import plain_text
from agent_desktop.ui.thread_delegate import ThreadDelegate
from agent_desktop.ui.thread_filter import ThreadFilterProxy
from agent_desktop.ui.thread_model import ThreadListModel, ThreadRole

if TYPE_CHECKING:
    from agent_desktop.core.rows import ThreadRow
    from agent_desktop.store.client_store import ClientStore
    from agent_desktop.store.tasks import BackgroundTasks


class ThreadListView(QListView):
    """The thread list's view: rows of one height, so a changed row repaints only itself.

    QListView's own dataChanged lays the items out again and repaints the whole viewport for a
    one-row change (every visible row painted again for each live event); with uniform row
    heights a row's data cannot move the others, so only the changed rows are updated.

    It also tells the agent's moves (mouse, keys, `agent_move()`) from the ones the model or the
    view makes by itself, so that only the agent opens a thread.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A viewport made here: PySide6 knows its Python object. Qt's own one, the first time
        # `viewport()` hands it to Python, made PySide6 create every QtWidgets class it had not
        # created yet with their enums (~65 enum classes, ~20 ms of the start; fast_start.py 11).
        viewport = QWidget(self)
        # As Qt fills its own viewport: opaque, in the base colour. A transparent one showed the
        # window's colour below the rows and could not scroll its pixels: every row was painted
        # again on each step of a scroll (12.8 rows a step instead of 5.5, 10,000 threads).
        viewport.setBackgroundRole(QPalette.ColorRole.Base)
        viewport.setAutoFillBackground(True)
        self.setViewport(viewport)
        self._agent_moves = 0

    @contextmanager
    def agent_move(self) -> Iterator[None]:
        """Within this block, a change of the current row is the agent's choice."""
        self._agent_moves += 1
        try:
            yield
        finally:
            self._agent_moves -= 1

    def moved_by_agent(self) -> bool:
        return self._agent_moves > 0

    def mousePressEvent(self, event: QMouseEvent) -> None:
        with self.agent_move():
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        with self.agent_move():
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        with self.agent_move():
            super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        with self.agent_move():
            super().keyPressEvent(event)

    def dataChanged(
        self,
        topLeft: QModelIndex | QPersistentModelIndex,
        bottomRight: QModelIndex | QPersistentModelIndex,
        roles: Sequence[int] = (),
    ) -> None:
        if self.uniformItemSizes():
            QAbstractItemView.dataChanged(self, topLeft, bottomRight, list(roles))
        else:
            super().dataChanged(topLeft, bottomRight, list(roles))


class ThreadListPane(QWidget):
    """Signals:
    threadSelected(str thread_id)     the agent opened a thread (click, keyboard, Enter in search)
    threadClosed(str thread_id)       the open thread left the list (a filter the agent changed
                                      hides it, or it is gone): nothing is open now
    composeRequested()                Enter in the search box opened the highlighted thread: the
                                      keyboard goes to the composer
    searchChanged(str text)           the search text changed (debounced), for the server's q
    statusFilterChanged(str status)   the status filter changed (open / pending / resolved)
    tick()                            once a second, after the visible timers were refreshed
    """

    threadSelected = Signal(str)
    threadClosed = Signal(str)
    composeRequested = Signal()
    searchChanged = Signal(str)
    statusFilterChanged = Signal(str)
    tick = Signal()

    def __init__(
        self,
        model: ThreadListModel,
        parent: QWidget | None = None,
        pixmap_for: Callable[[str], QPixmap | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("threadListPane")
        self.model = model
        self.store: ClientStore | None = None
        self._tasks: BackgroundTasks | None = None
        self._open: str | None = None  # the open thread: the one highlighted row
        self._restoring = False
        self.proxy = ThreadFilterProxy(self)
        self.proxy.setSourceModel(model)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 0, 0)
        box.setSpacing(6)

        self.search = QLineEdit(self)
        self.search.setObjectName("threadSearch")
        self.search.setPlaceholderText(self.tr("Search (Ctrl+F)"))
        self.search.setToolTip(self.tr("Search by customer name, order number or message text"))
        self.search.setClearButtonEnabled(True)
        top = QHBoxLayout()
        top.setSpacing(4)
        top.addWidget(self.search, 1)
        box.addLayout(top)

        row = QHBoxLayout()
        row.setSpacing(2)
        self.assignee_group = QButtonGroup(self)
        self.assignee_buttons: dict[str, QPushButton] = {}
        for key, label in (
            ("mine", self.tr("Mine")),
            ("unassigned", self.tr("Unassigned")),
            ("all", self.tr("All")),
        ):
            button = QPushButton(label, self)
            button.setObjectName(f"filter_{key}")
            button.setCheckable(True)
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.assignee_group.addButton(button)
            self.assignee_buttons[key] = button
            row.addWidget(button)
            button.toggled.connect(lambda on, k=key: self.on_assignee_toggled(k) if on else None)
        self.assignee_buttons["all"].setChecked(True)
        self.status = QComboBox(self)
        self.status.setObjectName("statusFilter")
        for key, label in (
            ("open", self.tr("Open")),
            ("pending", self.tr("Pending")),
            ("resolved", self.tr("Resolved")),
            ("spam", self.tr("Spam")),
        ):
            self.status.addItem(label, key)
        self.status.currentIndexChanged.connect(self.on_status_currentIndexChanged)
        self.status.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        top.addWidget(self.status, 0)
        box.addLayout(row)

        self.view = ThreadListView(self)
        self.view.setObjectName("threadList")
        self.view.setModel(self.proxy)
        self.delegate = ThreadDelegate(self.view, pixmap_for)
        self.view.setItemDelegate(self.delegate)
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setMouseTracking(True)
        self.view.selectionModel().currentChanged.connect(self.on_selection_currentChanged)
        box.addWidget(self.view, 1)
        self.empty = plain_text.label(self.tr("No conversation matches these filters."), self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.hide()
        box.addWidget(self.empty)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self.on_proxy_changed)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(300)
        self._search_timer.timeout.connect(self.on_search_timer_timeout)
        self.search.textChanged.connect(self.on_search_textChanged)
        self.search.returnPressed.connect(self.on_search_returnPressed)
        # A current row the model or the view moved by itself is put back once the change is over.
        self._resync_timer = QTimer(self)
        self._resync_timer.setSingleShot(True)
        self._resync_timer.setInterval(0)
        self._resync_timer.timeout.connect(self.sync_current)

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.on_timer_timeout)
        self.timer.start()

    # --- the store's threads
    def attach_store(self, store: ClientStore, tasks: BackgroundTasks) -> None:
        """Show `store`'s threads from now on (`tasks` runs the server's searches)."""
        self.detach_store()
        self.store = store
        self._tasks = tasks
        self.model.set_now(store.now)
        store.threadsReset.connect(self.on_store_threadsReset)
        store.threadsChanged.connect(self.on_store_threadsChanged)
        store.agentsChanged.connect(self.on_store_agentsChanged)
        store.settingsChanged.connect(self.on_store_settingsChanged)
        if store.loaded:
            self.on_store_threadsReset()
            self.on_store_agentsChanged()

    def detach_store(self) -> None:
        store = self.store
        if store is None:
            return
        for signal, slot in (
            (store.threadsReset, self.on_store_threadsReset),
            (store.threadsChanged, self.on_store_threadsChanged),
            (store.agentsChanged, self.on_store_agentsChanged),
            (store.settingsChanged, self.on_store_settingsChanged),
        ):
            signal.disconnect(slot)
        self.store = None
        self._tasks = None
        self.model.set_threads([])

    def on_store_threadsReset(self) -> None:
        store = self.store
        if store is None:
            return
        self.model.set_threads(store.threads.values())
        self.proxy.set_me(store.me.id if store.me else None)
        self.model.target_seconds = store.settings.target_seconds

    def on_store_threadsChanged(self, ids: list[str]) -> None:
        store = self.store
        if store is None:
            return
        changed: list[ThreadRow] = []
        for thread_id in ids:
            thread = store.threads.get(thread_id)
            if thread is None:
                self.model.remove(thread_id)
            else:
                changed.append(thread)
        self.model.upsert_many(changed)

    def on_store_agentsChanged(self) -> None:
        if self.store is not None:
            self.model.set_agents(self.store.agents.values())

    def on_store_settingsChanged(self) -> None:
        if self.store is not None:
            self.model.target_seconds = self.store.settings.target_seconds

    async def _server_search(self, store: ClientStore, text: str) -> None:
        """The server's search (order numbers, older messages) adds its hits to the list."""
        hits = await store.search(text)
        if self.store is not store:
            return
        for row in hits:
            if row.id not in store.threads:
                self.model.upsert(row)
        self.set_server_hits(text, [row.id for row in hits])

    # --- selection
    def current_thread_id(self) -> str | None:
        idx = self.view.currentIndex()
        value = idx.data(ThreadRole.ThreadId) if idx.isValid() else None
        return str(value) if value else None

    def open_thread_id(self) -> str | None:
        """The open thread (the highlighted row), or None."""
        return self._open

    def _proxy_index(self, thread_id: str | None) -> QModelIndex:
        return self.proxy.index_of(thread_id)

    def select_thread(self, thread_id: str) -> bool:
        """Open `thread_id` for the agent (it must be in the filtered list)."""
        idx = self._proxy_index(thread_id)
        if not idx.isValid():
            return False
        self._select(idx)
        return True

    def select_row(self, row: int) -> bool:
        if not 0 <= row < self.proxy.rowCount():
            return False
        self._select(self.proxy.index(row, 0))
        return True

    def _select(self, idx: QModelIndex) -> None:
        with self.view.agent_move():
            self.view.selectionModel().setCurrentIndex(
                idx, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        self.view.scrollTo(idx)

    def move_selection(self, delta: int) -> bool:
        current = self.view.currentIndex()
        row = current.row() + delta if current.isValid() else 0
        return self.select_row(max(0, min(self.proxy.rowCount() - 1, row)))

    def next_thread_id(self, after: str) -> str | None:
        """The thread below `after` in the list (or above it when `after` is last)."""
        idx = self._proxy_index(after)
        if not idx.isValid():
            first = self.proxy.index(0, 0)
            return str(first.data(ThreadRole.ThreadId)) if first.isValid() else None
        for candidate in (idx.row() + 1, idx.row() - 1):
            other = self.proxy.index(candidate, 0)
            if other.isValid():
                return str(other.data(ThreadRole.ThreadId))
        return None

    def next_waiting_thread_id(self, after: str | None, me: str | None) -> str | None:
        """The most urgent thread shown, other than `after`, whose customer waits for an answer
        and that is the agent's or nobody's (a colleague's is theirs to answer)."""
        for r in range(self.proxy.rowCount()):
            thread_id = self.proxy.index(r, 0).data(ThreadRole.ThreadId)
            thread = self.model.get(str(thread_id)) if thread_id else None
            if thread is None or thread.id == after or thread.waiting_since is None:
                continue
            if thread.status in ("open", "pending") and thread.assignee_id in (None, me):
                return thread.id
        return None

    def on_selection_currentChanged(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._restoring:
            return
        thread_id = current.data(ThreadRole.ThreadId) if current.isValid() else None
        if thread_id and self.view.moved_by_agent():
            self._set_open(str(thread_id))
        else:
            # Moved by the model (a row left or moved) or by the view (it took the focus): never
            # an opening. Put the highlight back once the change is over.
            self._resync_timer.start()

    def _set_open(self, thread_id: str | None) -> None:
        old = self._open
        if thread_id == old:
            return
        self._open = thread_id
        self.proxy.set_kept(thread_id)
        if thread_id is not None:
            self.threadSelected.emit(thread_id)
        elif old is not None:
            self.threadClosed.emit(old)

    def close_thread(self) -> None:
        """Nothing open, nothing highlighted."""
        self._set_open(None)
        self.sync_current()

    def sync_current(self) -> None:
        """Make the highlighted row the open thread's again; close it if it left the list."""
        self._resync_timer.stop()
        idx = self._proxy_index(self._open)
        if self._open is not None and not idx.isValid():
            self._set_open(None)
        sm = self.view.selectionModel()
        selected = sm.selectedIndexes()
        if self.view.currentIndex() == idx and selected == ([idx] if idx.isValid() else []):
            return
        self._restoring = True
        try:
            if idx.isValid():
                sm.setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            else:
                sm.clear()
        finally:
            self._restoring = False

    # --- filters
    def on_assignee_toggled(self, key: str) -> None:
        self.proxy.set_assignee(key)

    def set_assignee(self, key: str) -> None:
        self.assignee_buttons[key].setChecked(True)

    def on_status_currentIndexChanged(self, index: int) -> None:
        key = str(self.status.itemData(index))
        self.proxy.set_statuses({key})
        self.statusFilterChanged.emit(key)

    def on_search_textChanged(self, text: str) -> None:
        self.proxy.set_search(text, ())
        self._search_timer.start()

    def on_search_timer_timeout(self) -> None:
        text = self.search.text().strip()
        self.searchChanged.emit(text)
        if text and self.store is not None and self._tasks is not None:
            self._tasks.start(self._server_search(self.store, text), "search")

    def on_search_returnPressed(self) -> None:
        """Open the highlighted thread, or else the first one shown, and go to the composer."""
        idx = self._proxy_index(self._open)
        if not idx.isValid():
            idx = self.proxy.index(0, 0)
        if not idx.isValid():
            return
        self._select(idx)
        self.composeRequested.emit()

    def set_server_hits(self, query: str, thread_ids: list[str]) -> None:
        if query == self.search.text().strip():
            self.proxy.set_search(query, thread_ids)

    def on_proxy_changed(self, *args: object) -> None:
        self.empty.setVisible(self.proxy.rowCount() == 0 and self.model.rowCount() > 0)
        self.sync_current()

    # --- the one timer
    def visible_source_rows(self) -> list[int]:
        vp = self.view.viewport()
        top = self.view.indexAt(QPoint(4, 1))
        bottom = self.view.indexAt(QPoint(4, vp.height() - 2))
        if not top.isValid():
            return []
        last = bottom.row() if bottom.isValid() else self.proxy.rowCount() - 1
        # The shown threads read from the filter's own list (the proxy passes its rows through
        # unchanged): an index and a data() call through two models per row, once a second,
        # was ~2 % of the client's CPU over the live figure.
        shown = self.proxy.shown
        rows = []
        for r in range(top.row(), last + 1):
            thread = shown.thread_at(r)
            row = self.model.row_of(thread.id) if thread is not None else -1
            if row >= 0:
                rows.append(row)
        return rows

    def on_timer_timeout(self) -> None:
        self.model.refresh_timers(self.visible_source_rows())
        self.tick.emit()
