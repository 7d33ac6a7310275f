"""Share equal values between the threads and messages the client keeps in memory.

A page of threads decoded from JSON holds a fresh object for every value: each of 10,000 threads
has its own "messenger" string, its own copy of its assignee's id, a timezone object per
datetime (pydantic makes one for every datetime it parses), its own `Author` for the shop's
automated greeting, and its last message repeats the thread's id and its customer's id and name.
`ValuePool.row` makes a thread's compact row (`agent_desktop.core.rows`) with those values shared,
and `ValuePool.message_row` a message's (a thread's last one, or the open conversation's);
`ValuePool.message` points a message's at one shared object each, in place, so it takes only a
message that was just parsed and that no one else holds yet.

The client treats models and rows as values (it never changes one in place; `model_copy` makes a
new model), so sharing a value or an author between threads is safe, and a compacted message
compares equal to what it was. The pool holds only the small vocabulary: words like "open" or "sent", agent ids
and names, the non-customer authors; it stops taking new
entries past `MAX_ENTRIES`, so a backend that sends unique values cannot make it grow for good.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from agent_desktop.core.rows import AuthorRow, MessageRow, ThreadRow

if TYPE_CHECKING:
    from agent_desktop.core.types import Author, Message, Thread

MAX_ENTRIES = 4096
_ZERO = timedelta(0)

T = TypeVar("T")
R = TypeVar("R", bound=MessageRow)


def utc(value: datetime) -> datetime:
    """`value` with `datetime.UTC` as its timezone object when it is UTC already (pydantic gives
    each parsed datetime a timezone object of its own); naive and other offsets are kept."""
    tz = value.tzinfo
    if tz is None or tz is UTC or value.utcoffset() != _ZERO:
        return value
    return value.replace(tzinfo=UTC)


class ValuePool:
    """The shared values of one store (see the module docstring)."""

    def __init__(self) -> None:
        self._values: dict[Any, Any] = {}

    def __len__(self) -> int:
        return len(self._values)

    def _share(self, value: T) -> T:
        """The pool's object equal to `value` (`value` itself the first time)."""
        if value is None:
            return value
        shared = self._values.get(value)
        if shared is not None:
            return shared  # type: ignore[no-any-return]
        if len(self._values) < MAX_ENTRIES:
            self._values[value] = value
        return value

    def row(self, thread: Thread) -> ThreadRow:
        """The compact row of a thread (`agent_desktop.core.rows`), with its repeated values
        shared (the thread itself is left as it is)."""
        customer = thread.customer
        window = thread.reply_window
        message = thread.last_message
        last = None
        if message is not None:
            author = self._author_row(message.author, thread)
            last = self.message_row(MessageRow, message, thread.id, author)
        sent = None if last is None else last.created_at
        spoke = thread.last_customer_message_at
        if spoke is not None:
            spoke = _reuse(spoke, sent)
        waiting = thread.waiting_since
        if waiting is not None:
            waiting = _reuse(waiting, sent, spoke)
        return ThreadRow(
            id=thread.id,
            customer_id=customer.id,
            customer_name=customer.name,
            status=self._share(thread.status),
            assignee_id=self._share(thread.assignee_id),
            last_message=last,
            waiting_since=waiting,
            unread=thread.unread,
            channel=self._share(thread.channel),
            window_state=self._share(window.state),
            window_closes_at=None if window.closes_at is None else utc(window.closes_at),
            last_customer_message_at=spoke,
            updated_at=_reuse(thread.updated_at, sent),
            customer_avatar_url=customer.avatar_url,
            customer_suggestion=thread.customer_suggestion,
            standard_window_until=thread.standard_window_until,
        )

    def message_row(
        self, row_type: type[R], message: Message | MessageRow, thread_id: str, author: AuthorRow
    ) -> R:
        """The compact row of `message` (a `row_type`: `MessageRow` or a subclass of it) with its
        words shared: its thread's id is `thread_id` when equal, `author` is its author's row."""
        return row_type(
            id=message.id,
            thread_id=thread_id if message.thread_id == thread_id else message.thread_id,
            client_id=message.client_id,
            author=author,
            kind=self._share(message.kind),
            text=message.text,
            attachments=tuple(message.attachments),
            order_id=message.order_id,
            order_event=self._share(message.order_event),
            tag=self._share(message.tag),
            delivery=self._share(message.delivery),
            error=message.error,
            created_at=utc(message.created_at),
        )

    def message(self, message: Message, thread: Thread | ThreadRow | None = None) -> Message:
        """Compact a freshly parsed message in place (its thread's id, and its customer's id
        and name, are taken from `thread` when they are equal); returns it."""
        fields = message.__dict__
        if thread is not None and message.thread_id == thread.id:
            fields["thread_id"] = thread.id
        fields["kind"] = self._share(message.kind)
        fields["delivery"] = self._share(message.delivery)
        fields["order_event"] = self._share(message.order_event)
        fields["tag"] = self._share(message.tag)
        fields["created_at"] = utc(message.created_at)
        fields["author"] = self._author(message.author, thread)
        return message

    def _author(self, author: Author, thread: Thread | ThreadRow | None) -> Author:
        if author.kind != "customer":
            # An agent, the shop's automated answers, the system: a handful for the whole shop.
            return self._share_model(author, (author.kind, author.id, author.name))
        fields = author.__dict__
        fields["kind"] = self._share(author.kind)
        if isinstance(thread, ThreadRow):
            customer_id, name = thread.customer_id, thread.customer_name
        elif thread is not None:
            customer_id, name = thread.customer.id, thread.customer.name
        if thread is not None and author.id == customer_id:
            fields["id"] = customer_id
            if author.name == name:
                fields["name"] = name
        # One author for all of a customer's messages (half of a conversation's messages).
        return self._share_model(author, (author.kind, author.id, author.name))

    def _author_row(self, author: Author, thread: Thread) -> AuthorRow:
        if author.kind != "customer":
            # An agent, the shop's automated answers, the system: a handful for the whole shop.
            return self._share(AuthorRow(author.kind, author.id, author.name))
        customer = thread.customer
        same = author.id == customer.id
        return AuthorRow(
            self._share(author.kind),
            customer.id if same else author.id,
            customer.name if same and author.name == customer.name else author.name,
        )

    def _share_model(self, model: T, key: Any) -> T:
        """One model per `key` (models are not hashable, so they are looked up by a key)."""
        shared = self._values.get(("model", type(model), key))
        if shared is not None and shared == model:
            return shared  # type: ignore[no-any-return]
        if shared is None and len(self._values) < MAX_ENTRIES:
            self._values[("model", type(model), key)] = model
        return model


def _reuse(value: datetime, *held: datetime | None) -> datetime:
    """The first of `held` (datetimes the thread holds already, shared) equal to `value`, or
    `value` on the shared UTC timezone."""
    for other in held:
        if other is not None and other == value:
            return other
    return utc(value)
