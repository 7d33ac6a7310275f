"""The compact form in which the client keeps its threads: one slotted row per thread.

The store holds every thread of the shop (10,000 and more) for the list, its filters and the
dashboard. As pydantic models a thread is five objects, each with a `__dict__` of its own (464
bytes for the thread and for its last message alone); a `ThreadRow` holds the thread's fields,
its customer's (`customer_id`, `customer_name`, `customer_avatar_url`) and its reply window's
(`window_state`, `window_closes_at`) in the slots of one object (160 bytes), with the last
message and its author as slotted rows. Rows never change in place (frozen), and
`ThreadRow.thread()` gives the pydantic `Thread` back when the wire form is wanted (`customer()`
and `window()` its parts). `agent_desktop.core.sharing.ValuePool.row` makes them from parsed
threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent_desktop.core.literals import (
        AuthorKind,
        DeliveryState,
        MessageKind,
        OrderEvent,
        ThreadStatus,
        WindowState,
    )
    from agent_desktop.core.types import (
        Attachment,
        Author,
        CustomerRef,
        CustomerSuggestion,
        Message,
        ReplyWindow,
        Thread,
    )

__all__ = ["AuthorRow", "MessageRow", "ThreadRow"]


@dataclass(frozen=True, slots=True)
class AuthorRow:
    """The fields of `Author`."""

    kind: AuthorKind
    id: str | None = None
    name: str = ""

    def author(self) -> Author:
        from agent_desktop.core.types import Author

        return Author(kind=self.kind, id=self.id, name=self.name)


@dataclass(frozen=True, slots=True)
class MessageRow:
    """The fields of `Message` (a thread's last message); attachments in a tuple."""

    id: str
    thread_id: str
    client_id: str | None
    author: AuthorRow
    kind: MessageKind
    text: str
    attachments: tuple[Attachment, ...]
    order_id: str | None
    order_event: OrderEvent | None
    tag: str | None
    delivery: DeliveryState
    error: str | None
    created_at: datetime

    def message(self) -> Message:
        from agent_desktop.core.types import Message

        return Message(
            id=self.id,
            thread_id=self.thread_id,
            client_id=self.client_id,
            author=self.author.author(),
            kind=self.kind,
            text=self.text,
            attachments=list(self.attachments),
            order_id=self.order_id,
            order_event=self.order_event,
            tag=self.tag,
            delivery=self.delivery,
            error=self.error,
            created_at=self.created_at,
        )


@dataclass(frozen=True, slots=True)
class ThreadRow:
    """The fields of `Thread`, for the thread list (see the module docstring); its customer's and
    its reply window's fields are slots of the row itself."""

    id: str
    customer_id: str
    customer_name: str
    status: ThreadStatus
    assignee_id: str | None
    last_message: MessageRow | None
    waiting_since: datetime | None
    unread: int
    channel: str
    window_state: WindowState
    window_closes_at: datetime | None
    last_customer_message_at: datetime | None
    updated_at: datetime
    customer_avatar_url: str | None = None
    customer_suggestion: CustomerSuggestion | None = None  # rare: kept as the model
    standard_window_until: datetime | None = None

    def customer(self) -> CustomerRef:
        from agent_desktop.core.types import CustomerRef

        return CustomerRef(
            id=self.customer_id, name=self.customer_name, avatar_url=self.customer_avatar_url
        )

    def window(self) -> ReplyWindow:
        from agent_desktop.core.types import ReplyWindow

        return ReplyWindow(state=self.window_state, closes_at=self.window_closes_at)

    def thread(self) -> Thread:
        """The pydantic model of this thread, equal to the one the row was made from."""
        from agent_desktop.core.types import Thread

        return Thread(
            id=self.id,
            customer=self.customer(),
            status=self.status,
            assignee_id=self.assignee_id,
            last_message=self.last_message.message() if self.last_message else None,
            waiting_since=self.waiting_since,
            unread=self.unread,
            channel=self.channel,
            reply_window=self.window(),
            last_customer_message_at=self.last_customer_message_at,
            standard_window_until=self.standard_window_until,
            updated_at=self.updated_at,
            customer_suggestion=self.customer_suggestion,
        )
