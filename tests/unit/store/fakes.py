"""An in-process backend for store unit tests: canned data, a scripted send, a queue-fed stream."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from agent_desktop.backends.base import Backend, BackendError, StreamItem
from agent_desktop.core.order_types import Customer, Order
from agent_desktop.core.types import (
    Agent,
    Author,
    CustomerRef,
    Message,
    MessagePage,
    TeamSettings,
    Template,
    Thread,
    ThreadPage,
)

T0 = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def thread(thread_id: str, minutes: float = 0, **fields: Any) -> Thread:
    return Thread(
        id=thread_id,
        customer=CustomerRef(id=f"cust-{thread_id}", name=f"Customer {thread_id}"),
        updated_at=T0 + timedelta(minutes=minutes),
        **fields,
    )


def message(
    message_id: str,
    thread_id: str = "t1",
    minutes: float = 0,
    *,
    client_id: str | None = None,
    text: str = "hello",
    kind: str = "customer",
) -> Message:
    return Message(
        id=message_id,
        thread_id=thread_id,
        client_id=client_id,
        author=Author(kind=kind, id="a1" if kind == "agent" else None, name="X"),
        text=text,
        created_at=T0 + timedelta(minutes=minutes),
    )


class FakeBackend:
    """Implements the Backend protocol's surface the store uses."""

    base_url = "http://127.0.0.1:1"
    kind = "fake"
    clock_offset = 0.0

    def __init__(self) -> None:
        self.me_agent = Agent(id="a1", name="Ann", email="ann@x.test")
        self.thread_list = [thread("t1"), thread("t2")]
        self.thread_messages: dict[str, list[Message]] = {"t1": [message("m1")], "t2": []}
        self.send_outcomes: list[BackendError | None] = []  # None: succeed
        self.sent: list[dict[str, Any]] = []
        self.stored: dict[str, Message] = {}
        self.items: asyncio.Queue[StreamItem] = asyncio.Queue()
        self.acked = 0
        self.reloads = 0
        self.after: list[int] = []
        self.send_gate: asyncio.Event | None = None
        self.customer_calls: list[str] = []
        self.read_marks: list[tuple[str, str]] = []  # (thread id, message id) asked for

    def set_token(self, token: str | None) -> None:
        pass

    async def me(self) -> Agent:
        self.reloads += 1
        return self.me_agent

    async def agents(self) -> list[Agent]:
        return [self.me_agent]

    async def customer(self, customer_id: str) -> Customer:
        self.customer_calls.append(customer_id)
        return Customer(id=customer_id, name=f"Customer {customer_id}", customer_since=T0)

    async def orders(self, customer_id: str) -> list[Order]:
        return []

    async def templates(self) -> list[Template]:
        return []

    async def settings(self) -> TeamSettings:
        return TeamSettings()

    async def threads(self, **kwargs: Any) -> ThreadPage:
        return ThreadPage(items=list(self.thread_list))

    async def messages(
        self, thread_id: str, *, before: str | None = None, limit: int = 50
    ) -> MessagePage:
        items = sorted(
            self.thread_messages.get(thread_id, []), key=lambda m: m.created_at, reverse=True
        )
        if before is not None:
            ids = [m.id for m in items]
            items = items[ids.index(before) + 1 :] if before in ids else []
        return MessagePage(items=items[:limit], has_more=len(items) > limit)

    async def send_message(
        self, thread_id: str, *, client_id: str, text: str, kind: str, tag: str | None = None
    ) -> Message:
        self.sent.append({"thread_id": thread_id, "client_id": client_id, "text": text})
        if self.send_gate is not None:
            await self.send_gate.wait()
        outcome = self.send_outcomes.pop(0) if self.send_outcomes else None
        if outcome is not None:
            raise outcome
        stored = self.stored.get(client_id)
        if stored is None:
            stored = message(
                f"srv-{len(self.stored) + 1}",
                thread_id,
                5,
                client_id=client_id,
                text=text,
                kind="agent",
            )
            self.stored[client_id] = stored
        return stored

    async def mark_read(self, thread_id: str, message_id: str) -> Thread:
        self.read_marks.append((thread_id, message_id))
        return thread(thread_id, len(self.read_marks), unread=0)

    async def stream(self, after: int) -> AsyncIterator[StreamItem]:
        self.after.append(after)
        while True:
            yield await self.items.get()

    def ack(self, seq: int) -> None:
        self.acked = max(self.acked, seq)

    async def send_ephemeral(self, name: str, data: dict[str, Any]) -> None:
        pass

    async def aclose(self) -> None:
        pass


def as_backend(fake: FakeBackend) -> Backend:
    """The fake covers what the store calls, not the whole protocol."""
    return cast(Backend, fake)
