"""The client's store on the Chatwoot connector, through a loopback TCP proxy that breaks the
connection: it converges to Chatwoot's state after a reconnect, and its outbox delivers exactly
once although Chatwoot does not deduplicate `echo_id` (the connector's send journal does)."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest

from agent_desktop.backends.chatwoot import ChatwootBackend
from agent_desktop.store.client_store import ClientStore
from tests.helpers.chatwoot_server import FakeChatwoot
from tests.helpers.proxy import TcpProxy, tcp_proxy_factory
from tests.helpers.qasync_loop import wait_for_condition

__all__ = ["tcp_proxy_factory"]

# The TCP proxy cuts links from its own thread's event loop; a transport of a link cut while it
# was being opened can reach the garbage collector unclosed. That is the proxy's teardown, not
# the connector's, and `collect_garbage` below keeps it inside these tests.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Exception ignored in.*_SelectorTransport.__del__:pytest.PytestUnraisableExceptionWarning",
    "ignore:unclosed transport:ResourceWarning",
)


@pytest.fixture(autouse=True)
def collect_garbage() -> Iterator[None]:
    """Torn down last: what the proxy left behind is collected within this test."""
    yield
    gc.collect()


FAST: dict[str, Any] = {
    "timeout": 2.0,
    "presence_interval": 0.5,
    "stale_after": 1.0,
    "subscribe_timeout": 2.0,
    "reconnect_base": 0.05,
    "reconnect_cap": 0.3,
    "retry_base": 0.01,
}
StoreFactory = Callable[..., Awaitable[ClientStore]]


@pytest.fixture
async def make_store(fake: FakeChatwoot) -> AsyncIterator[StoreFactory]:
    made: list[ClientStore] = []

    async def make(url: str, *, live: bool = True, retry_base: float = 0.05) -> ClientStore:
        token = fake.seeded["agent"].access_token  # type: ignore[attr-defined]
        backend = ChatwootBackend(url, account_id=1, token=token, **FAST)
        store = ClientStore(
            backend,
            agent_key="alice@shop.test",
            send_retry_base=retry_base,
            send_retry_cap=max(0.3, retry_base),
        )
        made.append(store)
        await store.start()
        if live:
            await wait_for_condition(lambda: store.connection.state == "live", 20)
        return store

    yield make
    for store in made:
        await store.close()
        await store.backend.aclose()


def proxy_for(fake: FakeChatwoot, factory: Callable[[str, int], TcpProxy]) -> TcpProxy:
    return factory("127.0.0.1", int(fake.url.rsplit(":", 1)[1]))


def summary(thread: Any) -> tuple[Any, ...]:
    last = thread.last_message.id if thread.last_message else None
    return (thread.status, thread.assignee_id, thread.waiting_since, thread.unread, last)


async def converged(store: ClientStore, reference: ChatwootBackend) -> bool:
    expected = {t.id: t for t in (await reference.threads()).items}
    if {k: summary(v) for k, v in store.threads.items()} != {
        k: summary(v) for k, v in expected.items()
    }:
        return False
    conversation = store.conversation
    if conversation is not None:
        page = await reference.messages(conversation.thread_id, limit=200)
        if sorted(m.id for m in conversation.messages) != sorted(m.id for m in page.items):
            return False
    return True


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 15.0) -> None:
    import asyncio

    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"not converged within {within} s")
        await asyncio.sleep(0.1)


async def test_store_converges_after_a_broken_connection(
    fake: FakeChatwoot,
    seeded: dict[str, Any],
    make_store: StoreFactory,
    make_backend: Callable[..., Awaitable[ChatwootBackend]],
    tcp_proxy_factory: Callable[[str, int], TcpProxy],
) -> None:
    proxy = proxy_for(fake, tcp_proxy_factory)
    store = await make_store(proxy.url)
    reference = await make_backend("admin")
    c1, c2, c3 = (str(seeded[k].id) for k in ("c1", "c2", "c3"))
    conversation = await store.open_thread(c1)
    await fake.customer_writes(seeded["c1"], "Live before the cut")
    await wait_for_condition(
        lambda: any(m.text == "Live before the cut" for m in conversation.messages), 10
    )
    await eventually(lambda: converged(store, reference))
    proxy.pause()
    proxy.cut()
    await wait_for_condition(lambda: store.connection.state != "live", 10)
    # Changes the store cannot hear about: nothing reaches it through the black hole.
    fake.add_message(seeded["c1"], "Written while the agent was offline")
    await reference.assign(c2, str(seeded["admin"].id))
    await reference.set_status(c3, "pending")
    await reference.send_message(c1, client_id="admin-1", text="Admin reply", kind="reply")
    proxy.resume()
    await wait_for_condition(lambda: store.connection.state == "live", 20)
    await eventually(lambda: converged(store, reference))
    texts = [m.text for m in conversation.messages]
    assert "Written while the agent was offline" in texts and "Admin reply" in texts
    assert store.threads[c2].assignee_id == str(seeded["admin"].id)
    assert store.threads[c3].status == "pending"


async def test_store_outbox_exactly_once_through_a_lost_answer(
    fake: FakeChatwoot,
    seeded: dict[str, Any],
    make_store: StoreFactory,
    tcp_proxy_factory: Callable[[str, int], TcpProxy],
) -> None:
    proxy = proxy_for(fake, tcp_proxy_factory)
    store = await make_store(proxy.url)
    c1 = seeded["c1"]
    conversation = await store.open_thread(str(c1.id))
    proxy.lose_response_after(f"POST /api/v1/accounts/1/conversations/{c1.id}/messages".encode())
    entry = await store.send(str(c1.id), "Exactly once, please")
    await wait_for_condition(lambda: not store.outbox(), 20)
    assert proxy.responses_lost == 1
    assert sum(1 for m in fake.messages if m.content == "Exactly once, please") == 1
    mine = [e for e in conversation.entries if e.message.text == "Exactly once, please"]
    assert len(mine) == 1 and mine[0].state == "sent"
    assert mine[0].message.client_id == entry.client_id


async def test_outbox_exactly_once_across_a_restart(
    fake: FakeChatwoot,
    seeded: dict[str, Any],
    make_store: StoreFactory,
    tcp_proxy_factory: Callable[[str, int], TcpProxy],
) -> None:
    """The answer is lost and the live socket is down, so nothing tells this run the reply
    arrived; the app closes. The next run replays its outbox: the connector's journal finds the
    stored reply among the conversation's messages instead of posting it again."""
    proxy = proxy_for(fake, tcp_proxy_factory)
    store = await make_store(proxy.url, retry_base=60.0)  # this run will not retry in time
    c1 = seeded["c1"]
    fake.refuse_cable = True
    await fake.drop_sockets()
    await wait_for_condition(lambda: store.connection.state != "live", 10)
    proxy.lose_response_after(f"POST /api/v1/accounts/1/conversations/{c1.id}/messages".encode())
    await store.send(str(c1.id), "Sent just before closing")
    await wait_for_condition(lambda: proxy.responses_lost == 1, 10)
    await wait_for_condition(
        lambda: any(m.content == "Sent just before closing" for m in fake.messages), 10
    )
    assert len(store.outbox()) == 1  # this run does not know the reply arrived
    await store.close()
    await store.backend.aclose()
    fake.refuse_cable = False
    again = await make_store(proxy.url)
    await wait_for_condition(lambda: not again.outbox(), 20)
    assert sum(1 for m in fake.messages if m.content == "Sent just before closing") == 1
