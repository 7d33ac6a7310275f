"""The thread list's item model, kept sorted most urgent first (its filters: thread_filter.py).

Live updates are incremental: a changed thread is moved to its new place with beginMoveRows and
refreshed with dataChanged, so the view keeps its selection and scroll position.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from agent_desktop.ui.plain_text import one_line, tooltip
from agent_desktop.ui.thread_times import ThreadTimes

if TYPE_CHECKING:
    from agent_desktop.core.rows import ThreadRow
    from agent_desktop.core.types import Agent

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
    # (thread, timer reading, assignee name): what a row's paint reads, in one call through the
    # filter proxy instead of three (each ~15 µs of Python).
    Row = Qt.ItemDataRole.UserRole + 6


ROW_ROLE = int(ThreadRole.Row)


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


class ThreadListModel(ThreadTimes, QAbstractListModel):
    """Every thread the client knows, sorted most urgent first.

    Signals: the standard QAbstractItemModel ones (rowsInserted, rowsMoved, dataChanged...),
    and unreadChanged(int): the unread total (`unread_total`) after a change that moved it (the
    window title and the tray follow it; most changes, the timers' each second, keep it).
    """

    unreadChanged = Signal(int)

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
        if role == ROW_ROLE:
            agent = self._agents.get(thread.assignee_id or "")
            return (thread, self.timer(thread), agent.name if agent else "")
        if role == Qt.ItemDataRole.DisplayRole:
            return thread.customer_name
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
    def _assignees_changed(self) -> None:
        self.dataChanged.emit(
            self.index(0), self.index(len(self._threads) - 1), [int(ThreadRole.Assignee)]
        )

    def set_threads(self, threads: Iterable[ThreadRow]) -> None:
        """Replace everything (sign-in, resync); live changes go through `upsert`."""
        before = self._unread
        self.beginResetModel()
        keyed = sorted(((urgency_key(t), t) for t in threads), key=_first)
        self._keys = [k for k, _ in keyed]
        self._threads = [t for _, t in keyed]
        self._rows = {t.id: i for i, t in enumerate(self._threads)}
        self._unread = sum(_unread_of(t) for t in self._threads)
        self.endResetModel()
        self._unread_moved(before)

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
        before = self._unread
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
        self._unread_moved(before)

    def upsert(self, thread: ThreadRow) -> None:
        before = self._unread
        self._upsert(thread)
        self._unread_moved(before)

    def _upsert(self, thread: ThreadRow) -> None:
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
        before = self._unread
        self.beginRemoveRows(QModelIndex(), row, row)
        self._unread -= _unread_of(self._threads[row])
        del self._threads[row]
        del self._keys[row]
        del self._rows[thread_id]
        self._reindex_rows(row, len(self._threads))
        self.endRemoveRows()
        self._unread_moved(before)

    def _unread_moved(self, before: int) -> None:
        if self._unread != before:
            self.unreadChanged.emit(self._unread)

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
