"""The open conversation: its messages oldest first, with the agent's own unsent replies at the end.

Server messages are kept in created_at order (ties in the server's order); outbox entries ("sending" / "failed") follow
them until the server confirms them, when they are replaced by the stored message.

The server's messages are kept as compact rows (`ConversationMessage`, a slotted
`agent_desktop.core.rows.MessageRow`: ~150 bytes with one author row per author, against ~1.3 KB
for the pydantic `Message` with its `__dict__`, its set of fields and its author); they read like
the model (`m.author.kind`, `m.text`, `m.created_at`) and `m.message()` gives the model back.
They are made as the thread list's last messages are (`ValuePool.message_row`, sharing words
with the store's threads).
A conversation of 5,000 messages scrolled back held ~6.5 MB of models, and the heap kept most of
that high-water mark after it was closed. The agent's unsent replies stay models (a handful).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, Signal

from agent_desktop.core.rows import AuthorRow, MessageRow
from agent_desktop.core.sharing import ValuePool

if TYPE_CHECKING:
    from typing import TypeAlias

    from agent_desktop.core.types import Message

    # A message as a conversation holds it: a stored one as its row, an unsent reply as the model.
    AnyMessage: TypeAlias = Message | MessageRow

EntryState = Literal["sending", "sent", "failed"]


@dataclass(frozen=True, slots=True, weakref_slot=True)
class ConversationMessage(MessageRow):
    """A stored message of the open conversation (a `MessageRow` that a weak reference may
    follow, as the UI's caches do)."""


@dataclass(frozen=True, slots=True)
class ConversationEntry:
    """One row of the conversation. `key` is the message id, or "local:<client_id>" until sent.

    Slotted: a conversation of 5,000 messages has 5,000 of them (a `__dict__` each was ~1.2 MB).
    """

    key: str
    message: AnyMessage
    state: EntryState = "sent"
    error: str | None = None

    @property
    def client_id(self) -> str | None:
        return self.message.client_id

    @property
    def pending(self) -> bool:
        return self.state != "sent"


def _order(message: AnyMessage) -> float:
    """Sort key: time only; ties keep the server's order (sorts are stable)."""
    return message.created_at.timestamp()


class Conversation(QObject):
    """The messages of one thread, as the UI shows them.

    Signals (the UI's list model keeps its own copy and applies them in order):
      reset(list)                 the whole list of ConversationEntry replaced (open, reload)
      inserted(int, list)         first row, the ConversationEntry objects inserted there
      removed(int, int)           first row, count
      changed(int, object)        row, its new ConversationEntry
      hasMoreChanged(bool)        whether older messages can be loaded with load_older()
    """

    reset = Signal(list)
    inserted = Signal(int, list)
    removed = Signal(int, int)
    changed = Signal(int, object)
    hasMoreChanged = Signal(bool)

    def __init__(
        self, thread_id: str, parent: QObject | None = None, pool: ValuePool | None = None
    ) -> None:
        super().__init__(parent)
        self.thread_id = thread_id
        # The store's shared words (`ValuePool`); a conversation made alone has its own.
        self._pool = pool if pool is not None else ValuePool()
        self.entries: list[ConversationEntry] = []
        # The entries' keys: a live message (new, so not among them) is placed without a scan of
        # every row (`upsert_message` on each message of the open thread was O(n): 1.15 ms at
        # 5,000). The agent's unsent replies are always the last rows (a suffix), newest last.
        self._keys: set[str] = set()
        self.has_more = False
        self.loading = False
        # One author row per author (a customer's messages are half of a conversation).
        self._authors: dict[AuthorRow, AuthorRow] = {}

    # -- queries -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.entries)

    def index_of(self, key: str) -> int:
        if key not in self._keys:
            return -1
        entries = self.entries
        for row in range(len(entries) - 1, -1, -1):  # the newest rows change most
            if entries[row].key == key:
                return row
        return -1

    def index_of_client_id(self, client_id: str) -> int:
        entries = self.entries
        for row in range(len(entries) - 1, self._first_pending_row() - 1, -1):
            if entries[row].client_id == client_id:
                return row
        return -1

    @property
    def oldest_message_id(self) -> str | None:
        for entry in self.entries:
            if not entry.pending:
                return entry.key
        return None

    @property
    def messages(self) -> list[AnyMessage]:
        """The confirmed messages, oldest first (rows: `ConversationMessage`)."""
        return [e.message for e in self.entries if not e.pending]

    def _row(self, message: AnyMessage) -> ConversationMessage:
        """The compact row kept for a stored message (the message itself if it is one)."""
        if isinstance(message, ConversationMessage):
            return message
        a = message.author
        author = AuthorRow(a.kind, a.id, a.name)
        author = self._authors.setdefault(author, author)
        return self._pool.message_row(ConversationMessage, message, self.thread_id, author)

    def _rows(self, messages: Iterable[AnyMessage]) -> list[ConversationMessage]:
        return [self._row(m) for m in messages]

    def _first_pending_row(self) -> int:
        entries = self.entries
        row = len(entries)
        while row > 0 and entries[row - 1].pending:
            row -= 1
        return row

    # -- mutations (called by the store) ------------------------------------------------------

    def set_all(
        self, messages: Iterable[AnyMessage], pending: list[ConversationEntry], *, has_more: bool
    ) -> None:
        """Replace everything; `messages` oldest first (a server page reversed)."""
        confirmed = {m.id: m for m in self._rows(messages)}
        ordered = sorted(confirmed.values(), key=_order)
        confirmed_clients = {m.client_id for m in ordered if m.client_id}
        self.entries = [ConversationEntry(m.id, m) for m in ordered] + [
            p for p in pending if p.client_id not in confirmed_clients
        ]
        self._keys = {e.key for e in self.entries}
        self.reset.emit(list(self.entries))
        self._set_has_more(has_more)

    def prepend_older(self, messages: Iterable[AnyMessage], *, has_more: bool) -> int:
        """Add an older page (`messages` oldest first) above the current rows."""
        known = self._keys
        older = sorted(self._rows(m for m in messages if m.id not in known), key=_order)
        if older:
            rows = [ConversationEntry(m.id, m) for m in older]
            self.entries[0:0] = rows
            known.update(e.key for e in rows)
            self.inserted.emit(0, rows)
        self._set_has_more(has_more)
        return len(older)

    def upsert_message(self, message: AnyMessage) -> None:
        """A stored message arrived (event or send answer): add it, or replace its row."""
        message = self._row(message)
        row = self.index_of(message.id)
        if row >= 0:
            entry = ConversationEntry(message.id, message)
            if self.entries[row] != entry:
                self.entries[row] = entry
                self.changed.emit(row, entry)
            return
        if message.client_id:
            pending_row = self.index_of_client_id(message.client_id)
            if pending_row >= 0:
                self._keys.discard(self.entries.pop(pending_row).key)
                self.removed.emit(pending_row, 1)
        end = self._first_pending_row()
        row = end
        key = _order(message)
        while row > 0 and _order(self.entries[row - 1].message) > key:
            row -= 1
        entry = ConversationEntry(message.id, message)
        self.entries.insert(row, entry)
        self._keys.add(entry.key)
        self.inserted.emit(row, [entry])

    def add_pending(self, entry: ConversationEntry) -> None:
        row = len(self.entries)
        self.entries.append(entry)
        self._keys.add(entry.key)
        self.inserted.emit(row, [entry])

    def update_pending(self, client_id: str, state: EntryState, error: str | None) -> None:
        row = self.index_of_client_id(client_id)
        if row >= 0:
            entry = replace(self.entries[row], state=state, error=error)
            self.entries[row] = entry
            self.changed.emit(row, entry)

    def remove_pending(self, client_id: str) -> None:
        row = self.index_of_client_id(client_id)
        if row >= 0:
            self._keys.discard(self.entries.pop(row).key)
            self.removed.emit(row, 1)

    def _set_has_more(self, has_more: bool) -> None:
        if has_more != self.has_more:
            self.has_more = has_more
            self.hasMoreChanged.emit(has_more)
