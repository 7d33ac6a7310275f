"""The outbox delivers exactly once: through a server outage during the send, through a response
lost after the server committed, and after a client restart; rejected sends fail with a reason."""

from __future__ import annotations

import asyncio

import pytest

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.store.client_store import ClientStore
from agent_desktop.store.state_db import StateDb, state_db_path
from tests.helpers.proxy import TcpProxy
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import AGENT_EMAIL, ServerProcess
from tests.integration.client.conftest import FAST, StoreFactory, signed_in

T_WAITING = "t_camille"
T_CLOSED = "t_olga"


async def copies(backend: AgentApiBackend, thread_id: str, client_id: str) -> int:
    page = await backend.messages(thread_id, limit=200)
    return sum(1 for m in page.items if m.client_id == client_id)


@pytest.mark.slow
async def test_send_during_an_outage_is_delivered_once_when_the_server_returns(
    server: ServerProcess, make_store: StoreFactory
) -> None:
    store = await make_store(server.url)
    conversation = await store.open_thread(T_WAITING)
    await asyncio.to_thread(server.stop)
    entry = await store.send(T_WAITING, "Envoyé pendant la panne")
    assert conversation.entries[-1].state == "sending"
    await wait_for_condition(lambda: store.outbox()[0].attempts >= 2, 20)  # failed attempts
    assert [r.client_id for r in store.outbox()] == [entry.client_id]
    await asyncio.to_thread(server.start)
    await wait_for_condition(lambda: not store.outbox(), 30)
    assert conversation.entries[-1].state in ("sent",)
    assert not conversation.entries[-1].key.startswith("local:")
    check = await signed_in(server.url)
    try:
        assert await copies(check, T_WAITING, entry.client_id or "") == 1
    finally:
        await check.aclose()


@pytest.mark.slow
async def test_lost_response_after_commit_gives_exactly_one_message(
    shared_server: ServerProcess, make_store: StoreFactory, tcp_proxy_factory: type[TcpProxy]
) -> None:
    proxy = tcp_proxy_factory("127.0.0.1", shared_server.port)
    store = await make_store(proxy.url)
    conversation = await store.open_thread(T_WAITING)
    proxy.lose_response_after(f"POST /api/v1/threads/{T_WAITING}/messages".encode())
    entry = await store.send(T_WAITING, "Réponse perdue en route")
    await wait_for_condition(lambda: not store.outbox(), 30)
    assert proxy.responses_lost == 1
    assert [e.key for e in conversation.entries].count(conversation.entries[-1].key) == 1
    check = await signed_in(shared_server.url)
    try:
        assert await copies(check, T_WAITING, entry.client_id or "") == 1
    finally:
        await check.aclose()


async def test_outbox_survives_a_client_restart(
    shared_server: ServerProcess, make_store: StoreFactory
) -> None:
    # A previous session queued a reply and died before sending it.
    db = StateDb(state_db_path(shared_server.url, AGENT_EMAIL))
    db.outbox_add("c-from-last-session", T_WAITING, "Message d'hier soir", "reply", None)
    db.close()
    store = await make_store(shared_server.url)
    await wait_for_condition(lambda: not store.outbox(), 20)
    check = await signed_in(shared_server.url)
    try:
        assert await copies(check, T_WAITING, "c-from-last-session") == 1
    finally:
        await check.aclose()


async def test_closed_window_and_too_long_text_fail_with_the_servers_reason(
    shared_server: ServerProcess, make_store: StoreFactory
) -> None:
    store = await make_store(shared_server.url)
    conversation = await store.open_thread(T_CLOSED)
    failed: list[tuple[str, str]] = []
    store.sendFailed.connect(lambda cid, reason: failed.append((cid, reason)))
    late = await store.send(T_CLOSED, "Trop tard ?")
    long = await store.send(T_WAITING, "x" * 2001)
    await wait_for_condition(lambda: len(failed) == 2, 20)
    rows = {r.client_id: r for r in store.outbox()}
    assert rows[late.client_id or ""].state == "failed"
    assert rows[late.client_id or ""].text == "Trop tard ?"
    assert rows[long.client_id or ""].state == "failed"
    reasons = dict(failed)
    assert reasons[late.client_id or ""].endswith(".")
    assert conversation.entries[-1].state == "failed"
    assert store.discard(late.client_id or "") == "Trop tard ?"
    assert store.connection.outbox_count == 1


async def test_note_sent_while_offline_then_store_closed_is_kept(
    shared_server: ServerProcess, tcp_proxy_factory: type[TcpProxy]
) -> None:
    proxy = tcp_proxy_factory("127.0.0.1", shared_server.port)
    backend = await signed_in(proxy.url, **FAST)
    store = ClientStore(backend, agent_key="offline@x.test", send_retry_base=0.05)
    await store.start()
    proxy.pause()
    proxy.cut()
    entry = await store.send(T_WAITING, "Note interne", kind="note")
    await wait_for_condition(lambda: store.delivery.delivering(entry.client_id or ""), 5)
    await store.close()
    await backend.aclose()
    kept = StateDb(state_db_path(proxy.url, "offline@x.test")).outbox_rows()
    assert [(r.text, r.kind, r.state) for r in kept] == [("Note interne", "note", "sending")]
