"""The open conversation as an item model: one row per message, oldest first.

It mirrors a store `Conversation` (its reset / inserted / removed / changed signals) and adds
what painting needs: whether a day separator goes above a row, whether the message is the agent's
own, its delivery state (sending / sent / failed with the reason) and, for order events, the order.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import date, datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

if TYPE_CHECKING:
    from agent_desktop.core.order_types import Order
    from agent_desktop.store.conversation import AnyMessage, Conversation, ConversationEntry

Index = QModelIndex | QPersistentModelIndex


class MessageRole(IntEnum):
    Message = Qt.ItemDataRole.UserRole + 20
    DayHeader = Qt.ItemDataRole.UserRole + 21
    Delivery = Qt.ItemDataRole.UserRole + 22
    Error = Qt.ItemDataRole.UserRole + 23
    Own = Qt.ItemDataRole.UserRole + 24
    Order = Qt.ItemDataRole.UserRole + 25
    Key = Qt.ItemDataRole.UserRole + 26


class RowFacts(NamedTuple):
    """A row's message and what the model adds to it (see `ConversationModel.facts`)."""

    message: AnyMessage
    day: date | None  # the day separator above the row, if one goes there
    delivery: str | None
    error: str | None
    order: Order | None  # for an order event, when the order is known


def _local_day(dt: datetime) -> date:
    return dt.astimezone().date()


def _delivery(entry: ConversationEntry) -> str | None:
    """What the row shows of its delivery: the client's own state while sending or failed, else
    the message's."""
    if entry.state in ("sending", "failed"):
        return entry.state
    if entry.message.delivery == "failed":
        return "failed"
    return entry.message.delivery


class ConversationModel(QAbstractListModel):
    """Messages of the open thread, oldest first, mirrored from a store Conversation.

    Signals: the standard QAbstractItemModel ones.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[ConversationEntry] = []
        # Each row's painted height (-1: not measured yet), kept by the delegate: a page of older
        # messages inserted above makes QListView ask every row's size again. Read directly by
        # the delegate (a layout reads every row's).
        self.row_heights: list[int] = []
        self._orders: dict[str, Order] = {}
        self._source: Conversation | None = None

    # --- binding to the store
    def bind(self, conversation: Conversation | None) -> None:
        if self._source is not None:
            # The store may already have deleted the old conversation (deleteLater).
            with contextlib.suppress(RuntimeError, SystemError, TypeError):
                for signal, slot in self._connections():
                    signal.disconnect(slot)
        self._source = conversation
        if conversation is not None:
            for signal, slot in self._connections():
                signal.connect(slot)
        self.on_source_reset(list(conversation.entries) if conversation else [])

    def source(self) -> Conversation | None:
        return self._source

    def _connections(self) -> list[tuple[Any, Any]]:
        src = self._source
        assert src is not None
        return [
            (src.reset, self.on_source_reset),
            (src.inserted, self.on_source_inserted),
            (src.removed, self.on_source_removed),
            (src.changed, self.on_source_changed),
        ]

    def on_source_reset(self, entries: list[ConversationEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.row_heights = [-1] * len(self._entries)
        self.endResetModel()

    def on_source_inserted(self, row: int, entries: list[ConversationEntry]) -> None:
        if not entries:
            return
        self.beginInsertRows(QModelIndex(), row, row + len(entries) - 1)
        self._entries[row:row] = entries
        self.row_heights[row:row] = [-1] * len(entries)
        after_row = row + len(entries)
        if after_row < len(self.row_heights):
            self.row_heights[after_row] = -1  # its day separator may come or go
        self.endInsertRows()
        after = self.index(after_row)
        if after.isValid():
            self.dataChanged.emit(after, after, [int(MessageRole.DayHeader)])

    def on_source_removed(self, row: int, count: int) -> None:
        if count <= 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self._entries[row : row + count]
        del self.row_heights[row : row + count]
        if row < len(self.row_heights):
            self.row_heights[row] = -1
        self.endRemoveRows()
        after = self.index(row)
        if after.isValid():
            self.dataChanged.emit(after, after, [int(MessageRole.DayHeader)])

    def on_source_changed(self, row: int, entry: ConversationEntry) -> None:
        if 0 <= row < len(self._entries):
            self._entries[row] = entry
            self.row_heights[row] = -1
            idx = self.index(row)
            self.dataChanged.emit(idx, idx)

    # --- Qt interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        msg = entry.message
        if role == Qt.ItemDataRole.DisplayRole:
            return msg.text
        if role == MessageRole.Message:
            return msg
        if role == MessageRole.Key:
            return entry.key
        if role == MessageRole.DayHeader:
            return self._day_header(index.row())
        if role == MessageRole.Delivery:
            return _delivery(entry)
        if role == MessageRole.Error:
            return entry.error or msg.error
        if role == MessageRole.Own:
            return msg.author.kind == "agent"
        if role == MessageRole.Order:
            return self._orders.get(msg.order_id or "")
        return None

    def facts(self, row: int) -> RowFacts | None:
        """What the delegate lays a row out from, in one call (the Message, DayHeader, Delivery,
        Error and Order roles): each `data()` call crosses from Qt into Python, and a row is
        measured and painted from six of them."""
        if not 0 <= row < len(self._entries):
            return None
        entry = self._entries[row]
        msg = entry.message
        order = self._orders.get(msg.order_id or "") if msg.kind == "order_event" else None
        return RowFacts(
            msg, self._day_header(row), _delivery(entry), entry.error or msg.error, order
        )

    def _day_header(self, row: int) -> date | None:
        """The day of row `row` when a day separator goes above it (its day differs from the
        row's before), else None."""
        day = _local_day(self._entries[row].message.created_at)
        if row > 0 and _local_day(self._entries[row - 1].message.created_at) == day:
            return None
        return day

    # --- row heights (for the delegate)
    def height(self, row: int) -> int:
        """The height the delegate measured for `row`, or -1."""
        return self.row_heights[row] if 0 <= row < len(self.row_heights) else -1

    def set_height(self, row: int, height: int) -> None:
        if 0 <= row < len(self.row_heights):
            self.row_heights[row] = height

    def forget_heights(self) -> None:
        """Every row is measured again (the view was resized or restyled)."""
        self.row_heights = [-1] * len(self._entries)

    # --- reading
    def entries(self) -> list[ConversationEntry]:
        return list(self._entries)

    def messages(self) -> list[AnyMessage]:
        return [e.message for e in self._entries]

    def row_of(self, key: str) -> int:
        for i, entry in enumerate(self._entries):
            if entry.key == key or entry.message.id == key or entry.message.client_id == key:
                return i
        return -1

    # --- orders for the order-event cards
    def set_orders(self, orders: Iterable[Order]) -> None:
        self._orders = {o.id: o for o in orders}
        rows = [i for i, e in enumerate(self._entries) if e.message.order_id]
        for i in rows:
            self.row_heights[i] = -1
        if rows:
            self.dataChanged.emit(self.index(rows[0]), self.index(rows[-1]))

    def order(self, order_id: str) -> Order | None:
        return self._orders.get(order_id)
