"""The agent's flow through the keyboard, from the list to a sent answer in three keys: after
sign-in the list has the keyboard with the most urgent thread highlighted; Enter opens it and goes
to its composer; Tab inserts the suggested reply; Enter sends; Esc returns to the list; Ctrl+Enter
sends and opens the next thread waiting for the agent. (The keys themselves are caught by
ui/shortcuts.py and ui/composer.py; the F1 sheet, ui/dialogs.py, lists them.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from agent_desktop.ui.main_window import MainWindow


class AgentFlow(QObject):
    """Moves the keyboard and the open thread along the flow. Signals: none."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.composer.nextRequested.connect(self.open_next_waiting)

    def focus_most_urgent(self) -> None:
        """After sign-in: the list has the keyboard, the most urgent thread waiting for the agent
        (theirs or nobody's; else the list's first) highlighted, and so open: the open thread is
        the highlighted row."""
        w = self.window
        if w.current_thread_id is None:
            nxt = w.thread_list.next_waiting_thread_id(None, self._me())
            if nxt is None or not w.thread_list.select_thread(nxt):
                w.thread_list.select_row(0)
        w.thread_list.view.setFocus()

    def _me(self) -> str | None:
        store = self.window.store
        return store.me.id if store is not None and store.me is not None else None

    def compose_highlighted(self) -> None:
        """Enter in the list: the highlighted thread opens (if it is not open yet) and the
        keyboard goes to its composer."""
        w = self.window
        current = w.thread_list.current_thread_id()
        if current is None:
            if not w.thread_list.select_row(0):
                return
        elif current != w.current_thread_id:
            w.thread_list.select_thread(current)
        w.selection.read_now()
        w.composer.editor.setFocus()

    def open_next_waiting(self) -> None:
        """After a reply sent with Ctrl+Enter: the most urgent other thread waiting for the agent
        (theirs or nobody's) opens, with the keyboard in its composer."""
        w = self.window
        nxt = w.thread_list.next_waiting_thread_id(w.current_thread_id, self._me())
        if nxt is None:
            w.status.showMessage(self.tr("No other conversation is waiting for you."), 5000)
            w.thread_list.view.setFocus()
            return
        w.thread_list.select_thread(nxt)
        w.composer.editor.setFocus()
