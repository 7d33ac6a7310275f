"""The Chatwoot connector's live stream against the loopback ActionCable: events with a
synthesized seq, presence, typing, reconnect with refetch and convergence, stale sockets,
refused subscriptions."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from agent_desktop.backends.base import Ephemeral, Ready, Resync, StreamItem, StreamState
from agent_desktop.backends.chatwoot import ChatwootBackend
from agent_desktop.core.types import Event, Thread
from tests.helpers.chatwoot_server import FakeChatwoot
from tests.helpers.qasync_loop import wait_for_condition

MakeBackend = Callable[..., Awaitable[ChatwootBackend]]


class Reader:
    """Runs `backend.stream(after)` in a task and hands its items out one by one."""

    def __init__(self, backend: ChatwootBackend, after: int = 0) -> None:
        self.queue: asyncio.Queue[StreamItem] = asyncio.Queue()
        self.items: list[StreamItem] = []
        self._task = asyncio.create_task(self._run(backend, after))

    async def _run(self, backend: ChatwootBackend, after: int) -> None:
        async for item in backend.stream(after):
            self.items.append(item)
            await self.queue.put(item)

    async def until(
        self, check: Callable[[StreamItem], bool], limit: float = 10
    ) -> list[StreamItem]:
        """Items up to and including the first one for which `check` holds."""
        got: list[StreamItem] = []
        async with asyncio.timeout(limit):
            while True:
                item = await self.queue.get()
                got.append(item)
                if check(item):
                    return got

    async def live(self) -> list[StreamItem]:
        return await self.until(lambda i: isinstance(i, StreamState) and i.state == "live")

    async def event(self, name: str) -> Event:
        items = await self.until(lambda i: isinstance(i, Event) and i.name == name)
        item = items[-1]
        assert isinstance(item, Event)
        return item

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


@pytest.fixture
async def reader_of() -> AsyncIterator[Callable[..., Reader]]:
    readers: list[Reader] = []

    def make(backend: ChatwootBackend, after: int = 0) -> Reader:
        reader = Reader(backend, after)
        readers.append(reader)
        return reader

    yield make
    for reader in readers:
        await reader.stop()


def is_state(name: str) -> Callable[[StreamItem], bool]:
    return lambda i: isinstance(i, StreamState) and i.state == name


async def test_live_events_with_synthesized_seq(
    fake: FakeChatwoot,
    backend: ChatwootBackend,
    seeded: dict[str, Any],
    reader_of: Callable[..., Reader],
) -> None:
    reader = reader_of(backend)
    first = await reader.live()
    assert isinstance(first[0], StreamState) and first[0].state == "connecting"
    assert any(isinstance(i, Ready) and i.seq == 0 for i in first)
    assert fake.subscribed() == 1
    conv = seeded["c1"]
    await fake.customer_writes(conv, "Are you there?")
    created = await reader.event("message.created")
    assert created.data["message"]["text"] == "Are you there?"
    assert created.data["message"]["author"]["kind"] == "customer"
    assert created.data["thread"]["id"] == str(conv.id)
    updated = await reader.event("thread.updated")
    assert updated.seq > created.seq >= 1
    sent = await backend.send_message(str(conv.id), client_id="cid-42", text="Yes!", kind="reply")
    echoed = await reader.event("message.created")
    assert echoed.data["message"]["client_id"] == "cid-42"  # echo_id -> client_id
    assert echoed.data["message"]["id"] == sent.id
    assert echoed.data["thread"]["waiting_since"] is None
    foreign = {**fake.push_message(fake.messages[0]), "account_id": 2}
    for sock in fake.sockets:  # an event of another account on this socket is ignored
        await fake._send(
            sock,
            {
                "identifier": sock.identifier,
                "message": {"event": "message.created", "data": foreign},
            },
        )
    await backend.set_status(str(conv.id), "resolved")
    items = await reader.until(
        lambda i: (
            isinstance(i, Event)
            and i.name == "thread.updated"
            and i.data["thread"]["status"] == "resolved"
        )
    )
    assert not any(
        isinstance(i, Event) and i.data.get("message", {}).get("id") == str(foreign["id"])
        for i in items
    )
    seqs = [i.seq for i in reader.items if isinstance(i, Event)]
    assert seqs == list(range(1, len(seqs) + 1))


async def test_presence_and_typing(
    fake: FakeChatwoot,
    backend: ChatwootBackend,
    make_backend: MakeBackend,
    seeded: dict[str, Any],
    reader_of: Callable[..., Reader],
) -> None:
    reader = reader_of(backend)
    await reader.live()
    # update_presence keeps coming (every 0.5 s here)
    await wait_for_condition(lambda: fake.presence_updates >= 2, 10)
    assert fake.presence_updates >= 2
    assert seeded["agent"].availability == "online"
    admin = await make_backend("admin")
    await admin.set_presence("away")
    presence = await reader.event("agent.presence")
    assert presence.data["agent"]["id"] == str(seeded["admin"].id)
    assert presence.data["agent"]["presence"] == "away"
    await admin.send_ephemeral("typing", {"thread_id": str(seeded["c1"].id), "typing": True})
    items = await reader.until(lambda i: isinstance(i, Ephemeral))
    typing = items[-1]
    assert isinstance(typing, Ephemeral) and typing.name == "typing"
    assert typing.data["thread_id"] == str(seeded["c1"].id) and typing.data["typing"] is True
    assert typing.data["agent_id"] == str(seeded["admin"].id)
    assert typing.data["agent_name"] == "Bruno Admin"


def apply(
    threads: dict[str, Thread], messages: dict[str, dict[str, Any]], items: list[StreamItem]
) -> None:
    """A minimal store: the latest thread state and every message by id."""
    for item in items:
        if isinstance(item, Event):
            if "thread" in item.data:
                thread = Thread.model_validate(item.data["thread"])
                threads[thread.id] = thread
            if "message" in item.data:
                messages[item.data["message"]["id"]] = item.data["message"]


async def test_reconnect_refetches_and_converges(
    fake: FakeChatwoot,
    backend: ChatwootBackend,
    make_backend: MakeBackend,
    seeded: dict[str, Any],
    reader_of: Callable[..., Reader],
) -> None:
    c1, c2 = seeded["c1"], seeded["c2"]
    threads = {t.id: t for t in (await backend.threads()).items}
    messages: dict[str, dict[str, Any]] = {}
    for m in (await backend.messages(str(c1.id))).items:
        messages[m.id] = m.model_dump(mode="json")
    await backend.send_ephemeral("viewing", {"thread_id": str(c1.id)})
    reader = reader_of(backend)
    apply(threads, messages, await reader.live())
    fake.refuse_cable = True
    await fake.drop_sockets()
    items = await reader.until(is_state("reconnecting"))
    # While the connector is away (nothing is broadcast to it): a message and triage.
    fake.add_message(c1, "Hello? Anyone?")
    admin = await make_backend("admin")
    await admin.assign(str(c2.id), str(seeded["admin"].id))
    await admin.set_status(str(seeded["c3"].id), "pending")
    fake.refuse_cable = False
    items += await reader.live()
    apply(threads, messages, items)
    events = [i for i in items if isinstance(i, Event)]
    assert any(
        e.name == "message.created" and e.data["message"]["text"] == "Hello? Anyone?"
        for e in events
    )
    seqs = [e.seq for e in reader.items if isinstance(e, Event)]
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))
    ready = [i for i in items if isinstance(i, Ready)][-1]
    assert ready.seq == max(e.seq for e in events)  # Ready comes after the catch-up events
    # Converged: the local view equals what Chatwoot now says.
    fresh = {t.id: t for t in (await backend.threads()).items}
    for thread_id, thread in fresh.items():
        mine = threads[thread_id]
        assert (mine.status, mine.assignee_id, mine.waiting_since, mine.unread) == (
            thread.status,
            thread.assignee_id,
            thread.waiting_since,
            thread.unread,
        ), thread_id
    server_ids = {m.id for m in (await backend.messages(str(c1.id))).items}
    assert server_ids <= set(messages)


async def test_too_much_change_means_resync(
    fake: FakeChatwoot,
    make_backend: MakeBackend,
    seeded: dict[str, Any],
    reader_of: Callable[..., Reader],
) -> None:
    backend = await make_backend(resync_threshold=2)
    reader = reader_of(backend)
    await reader.live()
    fake.refuse_cable = True
    await fake.drop_sockets()
    for conv in (seeded["c1"], seeded["c2"], seeded["c3"]):
        fake.add_message(conv, "burst")
    await reader.until(is_state("reconnecting"))
    fake.refuse_cable = False
    items = await reader.until(lambda i: isinstance(i, Resync))
    assert not any(isinstance(i, Event) for i in items)  # no partial catch-up before it
    await reader.live()


async def test_first_connection_after_a_previous_run_resyncs(
    backend: ChatwootBackend, reader_of: Callable[..., Reader]
) -> None:
    reader = reader_of(backend, after=57)
    items = await reader.live()
    assert any(isinstance(i, Resync) for i in items)
    ready = next(i for i in items if isinstance(i, Ready))
    assert ready.seq == 57  # the synthesized seq continues from the consumer's


async def test_stale_socket_reconnects(
    fake: FakeChatwoot, backend: ChatwootBackend, reader_of: Callable[..., Reader]
) -> None:
    reader = reader_of(backend)
    await reader.live()
    fake.pings_paused = True
    fake.presence_updates = -1000  # keep the presence broadcasts from counting as traffic
    items = await reader.until(is_state("reconnecting"), limit=15)
    retry = items[-1]
    assert isinstance(retry, StreamState) and retry.retry_in is not None and retry.retry_in > 0
    fake.pings_paused = False
    await reader.live()


async def test_server_restart_notice_reconnects(
    fake: FakeChatwoot, backend: ChatwootBackend, reader_of: Callable[..., Reader]
) -> None:
    reader = reader_of(backend)
    await reader.live()
    await fake.restart_notice()
    await reader.until(is_state("reconnecting"))
    await reader.live()
    assert fake.subscribed() == 1


async def test_refused_subscription_signs_out(
    fake: FakeChatwoot,
    make_backend: MakeBackend,
    seeded: dict[str, Any],
    reader_of: Callable[..., Reader],
) -> None:
    backend = await make_backend(subscribe_timeout=0.5)
    await backend.profile()
    seeded["agent"].pubsub_token = "rotated"  # the cached pubsub token is stale: read again
    reader = reader_of(backend)
    await reader.live()
    other = await make_backend(subscribe_timeout=0.5)
    await other.profile()
    seeded["agent"].roles = {3: "agent"}  # no longer a member: the subscription is refused
    reader = reader_of(other)
    items = await reader.until(
        lambda i: isinstance(i, StreamState) and i.state in {"signed_out", "live"}
    )
    assert is_state("signed_out")(items[-1])


async def test_bad_token_signs_out(fake: FakeChatwoot, reader_of: Callable[..., Reader]) -> None:
    backend = ChatwootBackend(fake.url, account_id=1, token="bad")
    try:
        reader = reader_of(backend)
        items = await reader.until(lambda i: isinstance(i, StreamState) and i.state != "connecting")
        assert is_state("signed_out")(items[-1])
    finally:
        await backend.aclose()
