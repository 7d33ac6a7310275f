"""The thread list's filters (assignee, status, search words and the server's search hits) over
the sorted `ThreadListModel` (thread_model.py): `ShownThreads` keeps the shown threads in the
source's order and re-places only those that changed, and `ThreadFilterProxy` is the C++ model
the view reads them through.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

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

from agent_desktop.ui.thread_model import ThreadListModel, preview_text

if TYPE_CHECKING:
    from agent_desktop.core.rows import ThreadRow

Index = QModelIndex | QPersistentModelIndex


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

    def thread_at(self, pos: int) -> ThreadRow | None:
        """The thread shown at row `pos`, or None."""
        return self._shown[pos] if 0 <= pos < len(self._shown) else None

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
            hay = f"{thread.customer_name} {preview_text(thread)}".casefold()
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
