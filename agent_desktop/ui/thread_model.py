"""The thread list's item model (kept sorted most urgent first) and its filter proxy.

Live updates are incremental: a changed thread is moved to its new place with beginMoveRows and
refreshed with dataChanged, so the view keeps its selection and scroll position.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from agent_desktop.core.clock import TimerReading, timer_reading
from agent_desktop.core.rows import ThreadRow
from agent_desktop.core.types import Agent
from agent_desktop.ui.plain_text import one_line, tooltip

_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)
# More threads moving at once than this are re-placed in one layout change. Any structural change
# makes the view lay out all its rows again (QListView), a single move as much as a whole layout
# change: two moves already cost more than one re-placing.
BATCH_MOVES = 1
# A preview is one line of a row or a tooltip: a 100,000-character message is not joined and
# searched whole on every paint.
PREVIEW_CHARS = 1000
Index = QModelIndex | QPersistentModelIndex


class ThreadRole(IntEnum):
    Thread = Qt.ItemDataRole.UserRole + 1
    ThreadId = Qt.ItemDataRole.UserRole + 2
    Timer = Qt.ItemDataRole.UserRole + 3
    Assignee = Qt.ItemDataRole.UserRole + 4
    Preview = Qt.ItemDataRole.UserRole + 5


def urgency_key(thread: ThreadRow) -> tuple[int, float, str]:
    """Waiting threads first (oldest wait first), then the rest by most recent activity."""
    if thread.status in ("resolved", "spam"):
        return (2, -thread.updated_at.timestamp(), thread.id)
    if thread.waiting_since is not None:
        return (0, thread.waiting_since.timestamp(), thread.id)
    return (1, -thread.updated_at.timestamp(), thread.id)


def _first(pair: tuple[tuple[int, float, str], ThreadRow]) -> tuple[int, float, str]:
    return pair[0]


def _unread_of(thread: ThreadRow) -> int:
    return thread.unread if thread.status in ("open", "pending") else 0


def preview_text(thread: ThreadRow) -> str:
    """The last message as one plain line (its first PREVIEW_CHARS characters)."""
    msg = thread.last_message
    if msg is None:
        return ""
    text = msg.text or (msg.attachments[0].name if msg.attachments else "")
    return one_line(text, PREVIEW_CHARS)


class ThreadListModel(QAbstractListModel):
    """Every thread the client knows, sorted most urgent first.

    Signals: the standard QAbstractItemModel ones (rowsInserted, rowsMoved, dataChanged...).
    """

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        now: Callable[[], datetime] | None = None,
        target_seconds: int = 300,
    ) -> None:
        super().__init__(parent)
        self._threads: list[ThreadRow] = []
        self._keys: list[tuple[int, float, str]] = []
        self._rows: dict[str, int] = {}
        self._unread = 0
        self._agents: dict[str, Agent] = {}
        self._now = now or (lambda: datetime.now(UTC))
        self.target_seconds = target_seconds
        # The threads re-placed by the layout change being signalled (None: any other change),
        # so that the filter proxy re-places those alone.
        self.last_replaced: list[ThreadRow] | None = None

    # --- the Qt model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._threads)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._threads):
            return None
        return self.thread_data(self._threads[index.row()], role)

    def thread_data(self, thread: ThreadRow, role: int) -> Any:
        """What `data` gives for `thread` in `role` (the filter proxy reads its rows here)."""
        if role == Qt.ItemDataRole.DisplayRole:
            return thread.customer.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(preview_text(thread))
        if role == ThreadRole.Thread:
            return thread
        if role == ThreadRole.ThreadId:
            return thread.id
        if role == ThreadRole.Preview:
            return preview_text(thread)
        if role == ThreadRole.Timer:
            return self.timer(thread)
        if role == ThreadRole.Assignee:
            agent = self._agents.get(thread.assignee_id or "")
            return agent.name if agent else ""
        return None

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update({int(r): QByteArray(r.name.lower().encode()) for r in ThreadRole})
        return names

    # --- reading
    def timer(self, thread: ThreadRow) -> TimerReading:
        return timer_reading(thread.waiting_since, self._now(), self.target_seconds, thread.status)

    def thread_at(self, row: int) -> ThreadRow | None:
        return self._threads[row] if 0 <= row < len(self._threads) else None

    def row_of(self, thread_id: str) -> int:
        return self._rows.get(thread_id, -1)

    def get(self, thread_id: str) -> ThreadRow | None:
        row = self._rows.get(thread_id)
        return None if row is None else self._threads[row]

    def threads(self) -> list[ThreadRow]:
        return list(self._threads)

    def agent_name(self, agent_id: str | None) -> str:
        agent = self._agents.get(agent_id or "")
        return agent.name if agent else ""

    def unread_total(self) -> int:
        """Unread messages in open and pending threads (kept up to date, not summed per call)."""
        return self._unread

    # --- changing
    def set_now(self, now: Callable[[], datetime]) -> None:
        self._now = now

    def set_agents(self, agents: Iterable[Agent]) -> None:
        self._agents = {a.id: a for a in agents}
        if self._threads:
            self.dataChanged.emit(
                self.index(0), self.index(len(self._threads) - 1), [int(ThreadRole.Assignee)]
            )

    def set_threads(self, threads: Iterable[ThreadRow]) -> None:
        """Replace everything (sign-in, resync); live changes go through `upsert`."""
        self.beginResetModel()
        keyed = sorted(((urgency_key(t), t) for t in threads), key=_first)
        self._keys = [k for k, _ in keyed]
        self._threads = [t for _, t in keyed]
        self._rows = {t.id: i for i, t in enumerate(self._threads)}
        self._unread = sum(_unread_of(t) for t in self._threads)
        self.endResetModel()

    def merge(self, threads: Iterable[ThreadRow]) -> None:
        for thread in threads:
            self.upsert(thread)

    def upsert_many(self, threads: Iterable[ThreadRow]) -> None:
        """Apply a batch of changed threads (one flush of the store). A thread that keeps its
        place is replaced in its row (one row repainted); a single one that moves is moved;
        two or more (a burst of events) are re-placed in one layout change, as each move makes
        the filter proxy map every row again (11-30 ms at 10,000 rows), as a layout change does."""
        new: list[ThreadRow] = []
        movers: list[ThreadRow] = []
        for thread in {t.id: t for t in threads}.values():
            row = self._rows.get(thread.id)
            if row is None:
                new.append(thread)
            elif self._keys[row] == urgency_key(thread):
                self.upsert(thread)
            else:
                movers.append(thread)
        if len(movers) <= BATCH_MOVES:
            for thread in movers:
                self.upsert(thread)
        else:
            self._replace_moved(movers)
        for thread in new:
            self.upsert(thread)

    def _replace_moved(self, movers: list[ThreadRow]) -> None:
        """Re-place `movers` in one layout change: each is taken out of its row and put back at
        its key's place (two list operations each), and only the rows between the first and the
        last place touched are numbered again, not all 10,000."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [self._threads[i.row()].id if i.isValid() else None for i in persistent]
        old_rows = sorted((self._rows[t.id] for t in movers), reverse=True)
        for thread in movers:
            self._unread += _unread_of(thread) - _unread_of(self._threads[self._rows[thread.id]])
        for row in old_rows:
            del self._threads[row]
            del self._keys[row]
        keyed = sorted(((urgency_key(t), t) for t in movers), key=_first)
        for key, thread in keyed:
            pos = bisect.bisect_left(self._keys, key)
            self._threads.insert(pos, thread)
            self._keys.insert(pos, key)
        # Below `low` and from `high` on, every row keeps its number: the removals and the
        # insertions all fall in between.
        new_rows = [bisect.bisect_left(self._keys, key) for key, _ in keyed]
        low = min(old_rows[-1], new_rows[0])
        high = max(old_rows[0], new_rows[-1]) + 1
        self._reindex_rows(low, high)
        self.last_replaced = [t for _, t in keyed]
        self.changePersistentIndexList(
            persistent,
            [self.index(self._rows[tid]) if tid is not None else QModelIndex() for tid in held],
        )
        self.layoutChanged.emit()
        self.last_replaced = None

    def upsert(self, thread: ThreadRow) -> None:
        key = urgency_key(thread)
        old = self._rows.get(thread.id)
        if old is None:
            pos = bisect.bisect_left(self._keys, key)
            self.beginInsertRows(QModelIndex(), pos, pos)
            self._threads.insert(pos, thread)
            self._keys.insert(pos, key)
            self._unread += _unread_of(thread)
            self._reindex_rows(pos, len(self._threads))
            self.endInsertRows()
            return
        self._unread += _unread_of(thread) - _unread_of(self._threads[old])
        # Its place among the others (the keys are unique: they end with the thread id).
        new = bisect.bisect_left(self._keys, key)
        if new > old:
            new -= 1
        if new == old:
            self._threads[old] = thread
            self._keys[old] = key
            idx = self.index(old)
            self.dataChanged.emit(idx, idx)
            return
        dest = new if new < old else new + 1
        self.beginMoveRows(QModelIndex(), old, old, QModelIndex(), dest)
        del self._threads[old]
        del self._keys[old]
        self._threads.insert(new, thread)
        self._keys.insert(new, key)
        self._reindex_rows(min(old, new), max(old, new) + 1)
        self.endMoveRows()
        idx = self.index(new)
        self.dataChanged.emit(idx, idx)

    def remove(self, thread_id: str) -> None:
        row = self._rows.get(thread_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        self._unread -= _unread_of(self._threads[row])
        del self._threads[row]
        del self._keys[row]
        del self._rows[thread_id]
        self._reindex_rows(row, len(self._threads))
        self.endRemoveRows()

    def refresh_row(self, thread_id: str) -> None:
        """Tell the views (and a filter proxy) that the row of `thread_id` is to be looked at
        again, though its data did not change."""
        row = self._rows.get(thread_id)
        if row is not None:
            idx = self.index(row)
            self.dataChanged.emit(idx, idx)

    def refresh_timers(self, rows: Iterable[int]) -> None:
        """Emit dataChanged for the timer role of the given rows (grouped in runs)."""
        ordered = sorted({r for r in rows if 0 <= r < len(self._threads)})
        start = prev = None
        for row in [*ordered, None]:
            if row is not None and prev is not None and row == prev + 1:
                prev = row
                continue
            if start is not None and prev is not None:
                self.dataChanged.emit(self.index(start), self.index(prev), [int(ThreadRole.Timer)])
            start = prev = row

    def _reindex_rows(self, start: int, stop: int) -> None:
        """Row numbers of the threads in [start, stop) after an insert, move or removal there
        (the sort keys are kept in step by the caller: a live event costs its range, not n)."""
        self._rows.update(
            zip([t.id for t in self._threads[start:stop]], range(start, stop), strict=True)
        )


class ShownThreads(QAbstractListModel):
    """Filters the sorted thread list by assignee, status and a search text (keeps the order).

    A thread matches the search when its customer name or last message contains the words, or
    when the server's search (`q`, which also covers order numbers and older messages) returned it.

    The `kept` thread (the open one) stays in the list whatever a live change does to it, so the
    open conversation is never filtered out under the agent; a filter the agent changes applies
    to it too (it is no longer kept if the new filter hides it).

    Not a QSortFilterProxyModel: that one maps every source row again (a Python
    `filterAcceptsRow` call each, 13 ms at 10,000 threads) after any move or layout change of
    the source, so each flush of a burst paid it. This one keeps the shown threads in the
    source's order, with their keys, and re-places only the threads that changed (bisect):
    a burst's flush of ten movers costs them, not the whole list. A filter the agent changes
    filters every thread again, once.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._me: str | None = None
        self._assignee = "all"  # mine | unassigned | all
        self._statuses: frozenset[str] = frozenset({"open"})
        self._words: list[str] = []
        self._server_hits: frozenset[str] = frozenset()
        self._kept: str | None = None
        self._threads_model: ThreadListModel | None = None
        self._shown: list[ThreadRow] = []  # in the source's order (most urgent first)
        self._keys: list[tuple[int, float, str]] = []
        self._pos: dict[str, int] = {}
        self._removing: list[str] = []

    # --- the source
    def setSourceModel(self, model: ThreadListModel) -> None:
        old = self._threads_model
        if old is not None:
            for signal, slot in self._connections(old):
                signal.disconnect(slot)
        self._threads_model = model
        for signal, slot in self._connections(model):
            signal.connect(slot)
        self._rebuild(reset=True)

    def sourceModel(self) -> ThreadListModel | None:
        return self._threads_model

    def _connections(self, model: ThreadListModel) -> list[tuple[Any, Any]]:
        return [
            (model.modelReset, self.on_source_modelReset),
            (model.rowsInserted, self.on_source_rowsInserted),
            (model.rowsAboutToBeRemoved, self.on_source_rowsAboutToBeRemoved),
            (model.rowsRemoved, self.on_source_rowsRemoved),
            (model.rowsMoved, self.on_source_rowsMoved),
            (model.layoutChanged, self.on_source_layoutChanged),
            (model.dataChanged, self.on_source_dataChanged),
        ]

    def on_source_modelReset(self) -> None:
        self._rebuild(reset=True)

    def on_source_rowsInserted(self, parent: Index, first: int, last: int) -> None:
        model = self._threads_model
        assert model is not None
        for row in range(first, last + 1):
            thread = model._threads[row]
            if self.accepts(thread):
                self._insert_one(thread, model._keys[row])

    def on_source_rowsAboutToBeRemoved(self, parent: Index, first: int, last: int) -> None:
        model = self._threads_model
        assert model is not None
        self._removing = [model._threads[r].id for r in range(first, last + 1)]

    def on_source_rowsRemoved(self, parent: Index, first: int, last: int) -> None:
        gone, self._removing = self._removing, []
        for thread_id in gone:
            self._remove_one(thread_id)

    def _insert_one(self, thread: ThreadRow, key: tuple[int, float, str]) -> None:
        pos = bisect.bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), pos, pos)
        self._shown.insert(pos, thread)
        self._keys.insert(pos, key)
        self._reindex(pos, len(self._shown))
        self.endInsertRows()

    def _remove_one(self, thread_id: str) -> None:
        pos = self._pos.get(thread_id)
        if pos is None:
            return
        self.beginRemoveRows(QModelIndex(), pos, pos)
        del self._shown[pos]
        del self._keys[pos]
        del self._pos[thread_id]
        self._reindex(pos, len(self._shown))
        self.endRemoveRows()

    def on_source_rowsMoved(
        self, parent: Index, start: int, end: int, destination: Index, row: int
    ) -> None:
        model = self._threads_model
        assert model is not None
        count = end - start + 1
        first = row if row < start else row - count
        self._replace(model._threads[first : first + count])

    def on_source_layoutChanged(self, *args: Any) -> None:
        model = self._threads_model
        assert model is not None
        if model.last_replaced is None:
            self._rebuild()
        else:
            self._replace(model.last_replaced)

    def on_source_dataChanged(self, top: Index, bottom: Index, roles: Sequence[int] = ()) -> None:
        model = self._threads_model
        assert model is not None
        first, last = top.row(), bottom.row()
        if roles or last - first > 64:
            # Shown values only (agent names, timers): the threads and the filters are the same.
            if roles and last - first > 64 and self._shown:
                self.dataChanged.emit(self.index(0), self.index(len(self._shown) - 1), roles)
                return
            if not roles:
                self._rebuild()
                return
        flipped: list[ThreadRow] = []
        for row in range(first, last + 1):
            thread = model._threads[row]
            pos = self._pos.get(thread.id)
            if roles:
                if pos is not None:
                    idx = self.index(pos)
                    self.dataChanged.emit(idx, idx, roles)
                continue
            if (pos is not None) != self.accepts(thread):
                flipped.append(thread)
            elif pos is not None:
                # The same place among all threads, so the same among the shown ones.
                self._shown[pos] = thread
                self._keys[pos] = model._keys[row]
                idx = self.index(pos)
                self.dataChanged.emit(idx, idx)
        # A thread the filters now show or hide (in its place: its key did not change) comes
        # or goes as a row, as the open thread must not be re-laid out under the agent.
        for thread in flipped:
            if thread.id in self._pos:
                self._remove_one(thread.id)
            else:
                self._insert_one(thread, model._keys[model.row_of(thread.id)])

    # --- keeping the shown threads
    def _reindex(self, start: int, stop: int) -> None:
        self._pos.update(
            zip([t.id for t in self._shown[start:stop]], range(start, stop), strict=True)
        )

    def _replace(self, threads: list[ThreadRow]) -> None:
        """Take `threads` (changed in the source) out of the shown ones and put back those the
        filters accept at their key's place, in one layout change."""
        model = self._threads_model
        assert model is not None
        changed = {t.id: t for t in threads}
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [self._shown[i.row()].id if i.isValid() else None for i in persistent]
        old_rows = sorted((self._pos[i] for i in changed if i in self._pos), reverse=True)
        for row in old_rows:
            del self._pos[self._shown[row].id]
            del self._shown[row]
            del self._keys[row]
        low = old_rows[-1] if old_rows else len(self._shown)
        for thread in changed.values():
            row = model.row_of(thread.id)
            if row < 0 or not self.accepts(thread):
                continue
            key = model._keys[row]
            pos = bisect.bisect_left(self._keys, key)
            self._shown.insert(pos, thread)
            self._keys.insert(pos, key)
            low = min(low, pos)
        self._reindex(low, len(self._shown))
        self.changePersistentIndexList(
            persistent,
            [self.index(self._pos[tid]) if tid in self._pos else QModelIndex() for tid in held],
        )
        self.layoutChanged.emit()

    def _rebuild(self, *, reset: bool = False) -> None:
        """Filter every thread again (a filter changed, or the source was reset)."""
        model = self._threads_model
        threads = model._threads if model is not None else []
        keys = model._keys if model is not None else []
        accepts = self.accepts
        pairs = [(k, t) for k, t in zip(keys, threads, strict=True) if accepts(t)]
        if reset:
            self.beginResetModel()
        else:
            self.layoutAboutToBeChanged.emit()
            persistent = self.persistentIndexList()
            held = [self._shown[i.row()].id if i.isValid() else None for i in persistent]
        self._keys = [k for k, _ in pairs]
        self._shown = [t for _, t in pairs]
        self._pos = {t.id: i for i, t in enumerate(self._shown)}
        if reset:
            self.endResetModel()
            return
        self.changePersistentIndexList(
            persistent,
            [self.index(self._pos[tid]) if tid in self._pos else QModelIndex() for tid in held],
        )
        self.layoutChanged.emit()

    # --- reading
    def row_of(self, thread_id: str) -> int:
        return self._pos.get(thread_id, -1)

    # --- the Qt model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        model = self._threads_model
        if model is None or not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        return model.thread_data(self._shown[index.row()], role)

    def roleNames(self) -> dict[int, QByteArray]:
        model = self._threads_model
        return model.roleNames() if model is not None else super().roleNames()

    def mapFromSource(self, source: Index) -> QModelIndex:
        model = self._threads_model
        if model is None or not source.isValid():
            return QModelIndex()
        thread = model.thread_at(source.row())
        pos = self._pos.get(thread.id) if thread is not None else None
        return QModelIndex() if pos is None else self.index(pos)

    def mapToSource(self, index: Index) -> QModelIndex:
        model = self._threads_model
        if model is None or not index.isValid() or not 0 <= index.row() < len(self._shown):
            return QModelIndex()
        row = model.row_of(self._shown[index.row()].id)
        return model.index(row) if row >= 0 else QModelIndex()

    # --- the filters
    def set_me(self, agent_id: str | None) -> None:
        self._me = agent_id
        self._refilter(by_agent=False)

    def set_kept(self, thread_id: str | None) -> None:
        """Keep `thread_id` in the list whatever the filters say (None: keep none). The thread
        kept before is filtered again, alone (not the whole list)."""
        old, self._kept = self._kept, thread_id
        model = self._threads_model
        if old is not None and old != thread_id and model is not None:
            model.refresh_row(old)

    def kept(self) -> str | None:
        return self._kept

    def set_assignee(self, which: str) -> None:
        self._assignee = which
        self._refilter()

    def assignee(self) -> str:
        return self._assignee

    def set_statuses(self, statuses: Iterable[str]) -> None:
        self._statuses = frozenset(statuses)
        self._refilter()

    def statuses(self) -> frozenset[str]:
        return self._statuses

    def set_search(self, text: str, server_hits: Iterable[str] = ()) -> None:
        self._words = [w.casefold() for w in text.split()]
        self._server_hits = frozenset(server_hits)
        self._refilter()

    def search_active(self) -> bool:
        return bool(self._words)

    def _refilter(self, *, by_agent: bool = True) -> None:
        """Apply changed filters; the agent's own change ends keeping a thread it hides."""
        model = self._threads_model
        if by_agent and self._kept is not None and model is not None:
            kept, self._kept = self._kept, None
            thread = model.get(kept)
            if thread is not None and self.accepts(thread):
                self._kept = kept
        self._rebuild()

    def accepts(self, thread: ThreadRow) -> bool:
        """Whether the filters show `thread`."""
        # A row the filters refuse is still shown when it is the kept (open) thread.
        if self._statuses and thread.status not in self._statuses:
            return thread.id == self._kept
        if self._assignee == "mine" and thread.assignee_id != self._me:
            return thread.id == self._kept
        if self._assignee == "unassigned" and thread.assignee_id is not None:
            return thread.id == self._kept
        if self._words:
            if thread.id in self._server_hits:
                return True
            hay = f"{thread.customer.name} {preview_text(thread)}".casefold()
            return all(w in hay for w in self._words) or thread.id == self._kept
        return True


class ThreadFilterProxy(QSortFilterProxyModel):
    """The thread list as the view sees it: the `ShownThreads` of a ThreadListModel, passed
    through a QSortFilterProxyModel that filters nothing (no Python `filterAcceptsRow`).

    Why the pass-through: on every insert, move or layout change, QListView lays out all its
    rows again and asks its model for an index of each (twice). Asked of a Python model, each
    is a call into Python (`rowCount`, 15,000 of them at 7,500 rows: ~15 ms); asked of this C++
    model, none is.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shown = ShownThreads(self)
        super().setSourceModel(self.shown)

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        assert isinstance(model, ThreadListModel)
        self.shown.setSourceModel(model)

    def index_of(self, thread_id: str | None) -> QModelIndex:
        """The row showing `thread_id`, or an invalid index."""
        pos = self.shown.row_of(thread_id) if thread_id else -1
        return self.index(pos, 0) if pos >= 0 else QModelIndex()

    def set_me(self, agent_id: str | None) -> None:
        self.shown.set_me(agent_id)

    def set_kept(self, thread_id: str | None) -> None:
        self.shown.set_kept(thread_id)

    def kept(self) -> str | None:
        return self.shown.kept()

    def set_assignee(self, which: str) -> None:
        self.shown.set_assignee(which)

    def assignee(self) -> str:
        return self.shown.assignee()

    def set_statuses(self, statuses: Iterable[str]) -> None:
        self.shown.set_statuses(statuses)

    def statuses(self) -> frozenset[str]:
        return self.shown.statuses()

    def set_search(self, text: str, server_hits: Iterable[str] = ()) -> None:
        self.shown.set_search(text, server_hits)

    def search_active(self) -> bool:
        return self.shown.search_active()
