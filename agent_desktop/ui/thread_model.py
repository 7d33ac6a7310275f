"""The thread list's item model (kept sorted most urgent first) and its filter proxy.

Live updates are incremental: a changed thread is moved to its new place with beginMoveRows and
refreshed with dataChanged, so the view keeps its selection and scroll position.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Iterable
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
# makes the filter proxy map every row again (10,000 filterAcceptsRow calls, 11-30 ms at 10,000
# threads), a single move as much as a whole layout change: two moves already cost more than one
# re-placing.
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

    # --- the Qt model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._threads)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._threads):
            return None
        thread = self._threads[index.row()]
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
        changed = {t.id for t in movers}
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [self._threads[i.row()].id if i.isValid() else None for i in persistent]
        for thread in movers:
            self._unread += _unread_of(thread) - _unread_of(self._threads[self._rows[thread.id]])
        kept = [
            (k, t) for k, t in zip(self._keys, self._threads, strict=True) if t.id not in changed
        ]
        moved = sorted(((urgency_key(t), t) for t in movers), key=_first)
        merged = list(heapq.merge(kept, moved, key=_first))
        self._keys = [k for k, _ in merged]
        self._threads = [t for _, t in merged]
        self._rows = {t.id: i for i, t in enumerate(self._threads)}
        self.changePersistentIndexList(
            persistent,
            [self.index(self._rows[tid]) if tid is not None else QModelIndex() for tid in held],
        )
        self.layoutChanged.emit()

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
        rows = self._rows
        for i in range(start, stop):
            rows[self._threads[i].id] = i


class ThreadFilterProxy(QSortFilterProxyModel):
    """Filters the sorted thread list by assignee, status and a search text (keeps the order).

    A thread matches the search when its customer name or last message contains the words, or
    when the server's search (`q`, which also covers order numbers and older messages) returned it.

    The `kept` thread (the open one) stays in the list whatever a live change does to it, so the
    open conversation is never filtered out under the agent; a filter the agent changes applies
    to it too (it is no longer kept if the new filter hides it).
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
        self.setDynamicSortFilter(True)

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        self._threads_model = model if isinstance(model, ThreadListModel) else None
        super().setSourceModel(model)

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
            row = model.row_of(kept)
            if row >= 0 and self.filterAcceptsRow(row, QModelIndex()):
                self._kept = kept
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        # Called for every row (10,000) after each move or layout change of the source: kept to
        # plain attribute reads (no sourceModel() wrapper, no method call per row).
        model = self._threads_model
        if model is None:
            return True
        threads = model._threads
        if not 0 <= source_row < len(threads):
            return False
        thread = threads[source_row]
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
