"""What the window tells the agent through a desktop notification (ui/desktop.py shows it): who
a customer's message concerns, whether it arrived live (not the backlog replayed at sign-in), and
the title and body of the two notices. Names are isolated
(ui/plain_text.py) so a right-to-left name cannot turn the sentence around; the sentences keep the
window's translation context ("MainWindow")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from agent_desktop.core.rows import ThreadRow
from agent_desktop.core.types import Message
from agent_desktop.store.client_store import ClientStore
from agent_desktop.ui.plain_text import isolate


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
    name = thread.customer.name if thread else message.author.name
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
