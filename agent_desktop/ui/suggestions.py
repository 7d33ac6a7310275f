"""The open thread's suggested reply (core/suggest.py) kept up to date: when the thread opens, when
the customer writes again, when their orders, the team's templates or its settings change. The
composer shows it (ui/suggestion_bar.py); Tab inserts it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance

from agent_desktop.core.suggest import Suggestion, suggest, unanswered_text

if TYPE_CHECKING:
    from agent_desktop.core.types import Message
    from agent_desktop.store.client_store import ClientStore
    from agent_desktop.ui.composer import ComposerPane
    from agent_desktop.ui.selection import SelectionController


class SuggestionController(QObject):
    """Signals: suggested(str thread_id, object suggestion_or_None) after each refresh."""

    suggested = Signal(str, object)

    def __init__(
        self,
        *,
        selection: SelectionController,
        composer: ComposerPane,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store: ClientStore | None = None
        self._selection = selection
        self._composer = composer
        # Several changes in one turn of the loop (a message and its thread update) refresh once.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)
        selection.opened.connect(self.on_selection_opened)
        selection.historyLoaded.connect(self.on_selection_historyLoaded)
        selection.changed.connect(self.on_selection_changed)

    def set_store(self, store: ClientStore | None) -> None:
        if self.store is not None:
            for signal, slot in self._pairs(self.store):
                signal.disconnect(slot)
        self.store = store
        self._timer.stop()
        if store is not None:
            for signal, slot in self._pairs(store):
                signal.connect(slot)

    def _pairs(self, store: ClientStore) -> list[tuple[SignalInstance, Callable[..., None]]]:
        return [
            (store.messageCreated, self.on_store_messageCreated),
            (store.templatesChanged, self.later),
            (store.settingsChanged, self.later),
        ]

    def later(self) -> None:
        self._timer.start()

    def on_selection_opened(self, thread_id: str) -> None:
        self.refresh()

    def on_selection_historyLoaded(self, thread_id: str) -> None:
        self.later()

    def on_selection_changed(self) -> None:
        self._timer.stop()
        self._composer.set_suggestion(None)

    def on_store_messageCreated(self, thread_id: str, message: Message) -> None:
        if thread_id == self._selection.thread_id:
            self.later()

    def compute(self) -> Suggestion | None:
        """The suggestion for the open thread now (None when nothing fits)."""
        store = self.store
        selection = self._selection
        thread_id = selection.thread_id
        conversation = store.conversation if store is not None else None
        if (
            store is None
            or thread_id is None
            or conversation is None
            or conversation.thread_id != thread_id
            or selection.customer is None
        ):
            return None
        # From the newest back to the last reply (not every message of a long conversation).
        entries = reversed(conversation.entries)
        text = unanswered_text((entry.message for entry in entries), newest_first=True)
        if not text:
            return None
        return suggest(
            text,
            customer=selection.customer,
            orders=selection.orders,
            templates=store.templates,
            now=store.now(),
            agent=store.me,
            settings=store.settings,
        )

    def refresh(self) -> None:
        self._timer.stop()
        thread_id = self._selection.thread_id
        if thread_id is None or self._composer.thread_id() != thread_id:
            return
        suggestion = self.compute()
        self._composer.set_suggestion(suggestion)
        self.suggested.emit(thread_id, suggestion)
