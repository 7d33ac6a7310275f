"""What the window tells the agent through a desktop notification (ui/desktop.py shows it): who
a customer's message concerns, whether it arrived live (not the backlog replayed at sign-in),
the title and body of the two notices, and what a click on one opens. Names are isolated
(ui/plain_text.py) so a right-to-left name cannot turn the sentence around; the sentences keep the
window's translation context ("MainWindow")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from agent_desktop.ui.desktop import raise_window
from agent_desktop.ui.plain_text import isolate

if TYPE_CHECKING:
    from agent_desktop.core.rows import ThreadRow
    from agent_desktop.core.types import Message
    from agent_desktop.store.client_store import ClientStore
    from agent_desktop.ui.main_window import MainWindow


def concerns_me(store: ClientStore, thread: ThreadRow | None) -> bool:
    """The thread is the signed-in agent's, or nobody's (a colleague's is theirs to hear about)."""
    if thread is None:
        return False
    return thread.assignee_id is None or (
        store.me is not None and thread.assignee_id == store.me.id
    )


def arrived_live(store: ClientStore, message: Message) -> bool:
    """The message arrived after sign-in, not in its backlog: the event stream has caught up once
    (its first Ready). The events it replays at sign-in (those since the last one this computer
    applied) raise messageCreated like live ones, and must not each become a notification; the
    first load over HTTP raises none."""
    return store.loaded and store.sync.caught_up


def new_message(thread: ThreadRow | None, message: Message) -> tuple[str, str]:
    """Title and body for a customer's new message (the first 140 characters, on one line)."""
    name = thread.customer_name if thread else message.author.name
    return (
        QCoreApplication.translate("MainWindow", "New message from %1").replace(
            "%1", isolate(name)
        ),
        " ".join(message.text.split())[:140],
    )


def response_due(name: str, seconds_left: int) -> tuple[str, str]:
    """Title and body for a thread about to miss the response target."""
    return (
        QCoreApplication.translate("MainWindow", "%1 is waiting").replace("%1", isolate(name)),
        QCoreApplication.translate("MainWindow", "The response target is reached in %1 s.").replace(
            "%1", str(seconds_left)
        ),
    )


def open_clicked(window: MainWindow, thread_id: str) -> None:
    """A notification about `thread_id` was clicked: the window comes up with that thread selected
    and open, as if the agent had picked it in the list (ui/selection.py opens it). A thread the
    list's search or filter hides is shown by clearing the search and widening the filter."""
    raise_window(window)
    store = window.store
    thread = store.threads.get(thread_id) if store is not None else None
    thread_list = window.thread_list
    if thread is not None and not thread_list.select_thread(thread_id):
        thread_list.search.clear()
        thread_list.set_assignee("all")
        if thread.status not in thread_list.proxy.statuses():
            thread_list.status.setCurrentIndex(max(0, thread_list.status.findData(thread.status)))
    window.open_in_workspace(thread_id)
    thread_list.view.setFocus()
