"""MessengerStore over an in-process backend: which order message an order gets, the facts follow
the open conversation (a late answer for a thread left meanwhile is dropped), refusals reported
with the server's sentence, a failed Messenger delivery resent once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.backends.base import ConflictError, OrderMessageKind
from agent_desktop.core.messenger_types import MessengerState
from agent_desktop.core.order_types import Address, Order, OrderItem, Payment, Shipment
from agent_desktop.core.types import Event, Message, ReplyWindow
from agent_desktop.store.client_store import ClientStore
from agent_desktop.store.connection import ConnectionInfo
from agent_desktop.store.messenger import MessengerStore, order_message_kind
from tests.helpers.qasync_loop import wait_for_condition as until
from tests.unit.store.fakes import T0, FakeBackend, as_backend, message, thread

BLOCKED = "Another app is handling this Messenger conversation right now."


def order(status: str = "paid", shipped: bool = False) -> Order:
    return Order(
        id="o1",
        number="#1",
        placed_at=T0,
        status=status,
        currency="EUR",
        items=[OrderItem(sku="s", title="Scarf", quantity=1, unit_price=1000)],
        subtotal=1000,
        shipping=0,
        tax=0,
        total=1000,
        payment=Payment(method="card", status="paid"),
        shipping_address=Address(),
        shipment=Shipment(carrier="Colissimo", tracking_number="6A1", status="in_transit")
        if shipped
        else None,
    )


def test_order_message_kind() -> None:
    assert order_message_kind(order("paid")) == "receipt"
    assert order_message_kind(order("placed")) == "receipt"
    assert order_message_kind(order("shipped", shipped=True)) == "shipping_update"
    assert order_message_kind(order("delivered", shipped=True)) == "shipping_update"
    assert order_message_kind(order("cancelled")) is None
    assert order_message_kind(order("refunded", shipped=True)) is None


class FakeMessengerBackend(FakeBackend):
    def __init__(self) -> None:
        super().__init__()
        self.facts: dict[str, MessengerState | None] = {}
        self.gates: dict[str, asyncio.Event] = {}
        self.order_sends: list[dict[str, Any]] = []
        self.refusal: Exception | None = None
        self.asked: list[str] = []

    async def messenger_state(self, thread_id: str) -> MessengerState | None:
        self.asked.append(thread_id)
        gate = self.gates.get(thread_id)
        if gate is not None:
            await gate.wait()
        return self.facts.get(thread_id)

    async def send_order_message(
        self, thread_id: str, *, order_id: str, kind: OrderMessageKind, client_id: str
    ) -> Message:
        self.order_sends.append(
            {"thread_id": thread_id, "order_id": order_id, "kind": kind, "client_id": client_id}
        )
        if self.refusal is not None:
            raise self.refusal
        sent = message(f"om{len(self.order_sends)}", thread_id, 9, client_id=client_id)
        return sent.model_copy(
            update={"kind": "order_event", "order_id": order_id, "author": sent.author}
        )


def facts(thread_id: str, reason: str | None = None) -> MessengerState:
    return MessengerState(
        thread_id=thread_id,
        psid=f"psid-{thread_id}",
        handover=None,
        reply_window=ReplyWindow(state="standard", closes_at=T0 + timedelta(hours=24)),
        reply_block_reason=None,
        order_update_block_reason=reason,
    )


@pytest.fixture
async def fake() -> FakeMessengerBackend:
    backend = FakeMessengerBackend()
    backend.facts = {"t1": facts("t1"), "t2": facts("t2", BLOCKED)}
    return backend


@pytest.fixture
async def store(fake: FakeMessengerBackend, tmp_path: Path) -> AsyncIterator[ClientStore]:
    s = ClientStore(as_backend(fake), agent_key="ann@x.test", db_path=tmp_path / "state.db")
    await s.start()
    yield s
    await s.close()


async def test_state_follows_the_open_conversation(
    store: ClientStore, fake: FakeMessengerBackend
) -> None:
    messenger = MessengerStore(store)
    seen: list[MessengerState | None] = []
    messenger.stateChanged.connect(seen.append)
    await store.open_thread("t1")
    await until(lambda: messenger.state == facts("t1"))
    await store.open_thread("t2")
    assert messenger.state is None  # never the previous thread's facts
    await until(lambda: messenger.state is not None)
    assert messenger.state.order_update_block_reason == BLOCKED
    assert seen[-1] == facts("t2", BLOCKED)
    # A slow answer for a thread left meanwhile is dropped.
    fake.gates["t1"] = asyncio.Event()
    await store.open_thread("t1")
    await until(lambda: messenger.running() == 1)
    await store.open_thread("t2")
    fake.gates["t1"].set()
    await until(lambda: messenger.running() == 0)
    assert messenger.thread_id == "t2"
    assert messenger.state == facts("t2", BLOCKED)
    await messenger.close()


async def test_facts_asked_again_when_the_open_thread_changes_not_when_it_is_read(
    store: ClientStore, fake: FakeMessengerBackend
) -> None:
    """A customer message in the open thread (the window moves) asks for its facts again; the
    read mark that follows (the answer to the agent's read, then its event) changes only the
    unread count, and asks for nothing (it was two more requests per live message)."""
    messenger = MessengerStore(store)
    await store.open_thread("t1")
    await until(lambda: messenger.state == facts("t1") and messenger.running() == 0)
    assert fake.asked == ["t1"]

    def changed(seq: int, minutes: float, **fields: Any) -> None:
        data = {"thread": thread("t1", minutes, **fields).model_dump(mode="json")}
        assert store.apply_event(Event(seq=seq, name="thread.updated", data=data))
        store.sync.flush()

    changed(1, 5, unread=1, last_customer_message_at=T0 + timedelta(minutes=5))
    await until(lambda: len(fake.asked) == 2 and messenger.running() == 0)
    changed(2, 5, unread=0, last_customer_message_at=T0 + timedelta(minutes=5))  # read
    changed(3, 5, unread=0, last_customer_message_at=T0 + timedelta(minutes=5))  # its event
    changed(4, 5, unread=0, last_customer_message_at=T0 + timedelta(minutes=5), status="pending")
    await until(lambda: len(fake.asked) >= 3 and messenger.running() == 0)
    assert fake.asked == ["t1", "t1", "t1"]  # the status change asked; the read marks did not
    await messenger.close()


async def test_backend_without_a_bridge(store: ClientStore, fake: FakeMessengerBackend) -> None:
    """A server without a bridge answers 404 (None): the open thread's changes do not ask again
    (one request per live message); another thread, or the stream back after a break (a
    restarted server may have its bridge on), does."""
    fake.facts = {}
    messenger = MessengerStore(store)
    store.connectionChanged.emit(ConnectionInfo(state="live"))  # the first connection
    await store.open_thread("t1")
    await until(lambda: messenger.running() == 0)
    assert messenger.state is None
    assert fake.asked == ["t1"]
    for seq in (1, 2, 3):
        data = {"thread": thread("t1", seq, unread=seq).model_dump(mode="json")}
        assert store.apply_event(Event(seq=seq, name="thread.updated", data=data))
        store.sync.flush()
    assert messenger.running() == 0
    assert fake.asked == ["t1"]
    store.connectionChanged.emit(ConnectionInfo(state="live", outbox_count=1))
    assert messenger.running() == 0  # still the same connection
    store.connectionChanged.emit(ConnectionInfo(state="reconnecting"))
    fake.facts = {"t1": facts("t1")}
    store.connectionChanged.emit(ConnectionInfo(state="live"))
    await until(lambda: messenger.state == facts("t1") and messenger.running() == 0)
    assert fake.asked == ["t1", "t1"]
    await store.open_thread("t2")
    await until(lambda: messenger.running() == 0)
    assert fake.asked == ["t1", "t1", "t2"]
    await messenger.close()


async def test_send_and_refusal(store: ClientStore, fake: FakeMessengerBackend) -> None:
    messenger = MessengerStore(store)
    conversation = await store.open_thread("t1")
    sent: list[tuple[str, Message]] = []
    failed: list[tuple[str, str]] = []
    messenger.orderMessageSent.connect(lambda oid, m: sent.append((oid, m)))
    messenger.orderMessageFailed.connect(lambda oid, reason: failed.append((oid, reason)))
    task = messenger.send_order_status(order("shipped", shipped=True))
    assert task is not None
    await task
    assert fake.order_sends[-1]["kind"] == "shipping_update"
    assert sent and sent[0][0] == "o1"
    assert any(e.message.id == sent[0][1].id for e in conversation.entries)
    # A cancelled order has nothing to send.
    assert messenger.send_order_status(order("cancelled")) is None
    fake.refusal = ConflictError(BLOCKED, status=409, code="standby")
    task = messenger.send_order_status(order())
    assert task is not None
    await task
    assert failed == [("o1", BLOCKED)]
    assert fake.order_sends[-1]["kind"] == "receipt"
    await until(lambda: messenger.running() == 0)  # the facts were asked again
    await messenger.close()


async def test_failed_delivery_is_resent_once(
    store: ClientStore, fake: FakeMessengerBackend
) -> None:
    messenger = MessengerStore(store)
    await store.open_thread("t1")
    refused = message("m5", "t1", 3, text="Are you there?", kind="agent").model_copy(
        update={"delivery": "failed", "error": "This person isn't available right now."}
    )
    fake.thread_list = [thread("t1", last_customer_message_at=store.now())]
    store.threads["t1"] = fake.thread_list[0]
    task = messenger.resend(refused)
    assert task is not None
    await task
    assert [s["text"] for s in fake.sent] == ["Are you there?"]
    assert messenger.resend(refused) is None  # once
    order_card = refused.model_copy(
        update={"id": "m6", "kind": "order_event", "order_id": "o1", "order_event": "placed"}
    )
    task = messenger.resend(order_card)
    assert task is not None
    await task
    assert fake.order_sends[-1]["kind"] == "receipt"
    delivered = refused.model_copy(update={"id": "m7", "delivery": "delivered"})
    assert messenger.resend(delivered) is None
    await until(lambda: messenger.running() == 0 and not store.outbox())
    await messenger.close()
