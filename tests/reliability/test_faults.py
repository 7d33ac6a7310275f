"""Faults between the client and the real server: a send cut half-way through its request or its
answer, a server SIGKILLed after committing and during a burst of sends, events arriving while the
websocket is down on a slow link. After each, the store equals the server and every message exists
exactly once on the server (checked over HTTP)."""

from __future__ import annotations

import asyncio

import pytest

from agent_desktop.store.client_store import ClientStore
from tests.helpers.faults import FaultProxy
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import AGENT2_EMAIL, LEAD_EMAIL, ServerProcess
from tests.reliability.conftest import (
    StoreFactory,
    client_id_counts,
    customer_writes,
    eventually,
    signed_in,
    store_equals_server,
)

T_WAITING = "t_camille"
T_ANSWERED = "t_jonas"
T_HUMAN = "t_sofia"
SEND = b"POST /api/v1/threads/"


async def settle_and_compare(
    store: ClientStore, server: ServerProcess, client_ids: list[str], threads: list[str]
) -> None:
    """The outbox drains, the store equals the server, each client_id is stored exactly once."""
    await wait_for_condition(lambda: not store.outbox(), 30)
    reference = await signed_in(server.url, AGENT2_EMAIL)
    try:
        await eventually(lambda: store_equals_server(store, reference))
        counts = await client_id_counts(reference, threads)
        assert {cid: counts[cid] for cid in client_ids} == dict.fromkeys(client_ids, 1)
        assert all(n == 1 for n in counts.values()), counts
    finally:
        await reference.aclose()
    assert store.duplicates_skipped == 0


async def test_send_cut_mid_request_on_a_slow_link_is_delivered_once(
    server: ServerProcess, make_store: StoreFactory, fault_proxy_factory: type[FaultProxy]
) -> None:
    proxy = fault_proxy_factory("127.0.0.1", server.port)
    store = await make_store(proxy.url)
    conversation = await store.open_thread(T_WAITING)
    proxy.delay(0.05)
    proxy.cut_request_mid_frame(SEND)
    entry = await store.send(T_WAITING, "Coupé au milieu de la requête")
    await wait_for_condition(lambda: proxy.requests_cut == 1, 10)
    await settle_and_compare(store, server, [entry.client_id or ""], [T_WAITING])
    assert [e.state for e in conversation.entries][-1] == "sent"
    assert [m.text for m in conversation.messages].count("Coupé au milieu de la requête") == 1


async def test_send_whose_answer_is_cut_mid_frame_is_stored_once(
    server: ServerProcess, make_store: StoreFactory, fault_proxy_factory: type[FaultProxy]
) -> None:
    proxy = fault_proxy_factory("127.0.0.1", server.port)
    store = await make_store(proxy.url)
    conversation = await store.open_thread(T_WAITING)
    proxy.cut_response_mid_frame(SEND)
    entry = await store.send(T_WAITING, "Réponse tronquée")
    await wait_for_condition(lambda: proxy.responses_cut == 1, 10)
    await settle_and_compare(store, server, [entry.client_id or ""], [T_WAITING])
    assert [m.text for m in conversation.messages].count("Réponse tronquée") == 1


@pytest.mark.slow
async def test_server_killed_after_committing_a_send(
    server: ServerProcess, make_store: StoreFactory, fault_proxy_factory: type[FaultProxy]
) -> None:
    proxy = fault_proxy_factory("127.0.0.1", server.port)
    store = await make_store(proxy.url)
    await store.open_thread(T_WAITING)
    # The event stream is down too, so no message.created tells the client either.
    proxy.refuse_websockets = True
    proxy.cut()
    await wait_for_condition(lambda: store.connection.state != "live", 10)
    proxy.lose_response_and_pause(SEND)
    entry = await store.send(T_WAITING, "Validé puis le serveur meurt")
    await wait_for_condition(lambda: proxy.responses_lost == 1, 10)
    await asyncio.to_thread(server.kill)  # SIGKILL: no clean shutdown
    assert store.outbox(), "the client cannot know yet that the server stored it"
    await asyncio.to_thread(server.start)
    proxy.refuse_websockets = False
    proxy.cut()
    proxy.resume()
    await settle_and_compare(store, server, [entry.client_id or ""], [T_WAITING])


@pytest.mark.slow
async def test_sigkill_during_a_burst_of_sends_loses_nothing(
    server: ServerProcess, make_store: StoreFactory
) -> None:
    store = await make_store(server.url)
    await store.open_thread(T_HUMAN)
    before = await customer_writes(server.url, T_WAITING, "Écrit avant la panne")
    entries = []
    for i in range(12):
        thread = T_WAITING if i % 2 else T_HUMAN
        entries.append(await store.send(thread, f"Rafale {i}"))
        if i == 5:
            await asyncio.to_thread(server.kill)
    assert store.outbox()
    # The sends after the kill fail at least once before the server comes back.
    await wait_for_condition(lambda: any(r.attempts > 0 for r in store.outbox()), 20)
    await asyncio.to_thread(server.start)
    after = await customer_writes(server.url, T_WAITING, "Écrit après le redémarrage")
    await settle_and_compare(
        store, server, [e.client_id or "" for e in entries], [T_WAITING, T_HUMAN]
    )
    reference = await signed_in(server.url)
    try:
        page = await reference.messages(T_WAITING, limit=200)
        ids = [m.id for m in page.items]
        assert before["message"]["id"] in ids and after["message"]["id"] in ids
    finally:
        await reference.aclose()


@pytest.mark.slow
async def test_events_while_the_websocket_is_down_arrive_once(
    server: ServerProcess, make_store: StoreFactory, fault_proxy_factory: type[FaultProxy]
) -> None:
    proxy = fault_proxy_factory("127.0.0.1", server.port)
    store = await make_store(proxy.url)
    conversation = await store.open_thread(T_WAITING)
    other = await signed_in(server.url, LEAD_EMAIL)
    try:
        proxy.pause()  # black hole first, then drop the connections
        proxy.cut()
        await wait_for_condition(lambda: store.connection.state != "live", 10)
        texts = [f"Pendant la coupure {i}" for i in range(5)]
        for text in texts:
            await customer_writes(server.url, T_WAITING, text)
        await other.send_message(T_WAITING, client_id="other-1", text="Collègue", kind="reply")
        await other.assign(T_ANSWERED, None)
        queued = await store.send(T_WAITING, "Envoyé hors ligne")
        await wait_for_condition(lambda: store.delivery.delivering(queued.client_id or ""), 5)
        proxy.delay(0.02)  # the link comes back, slowly
        proxy.resume()
        await wait_for_condition(lambda: store.connection.state == "live", 20)
        await settle_and_compare(
            store, server, [queued.client_id or "", "other-1"], [T_WAITING, T_ANSWERED]
        )
        shown = [m.text for m in conversation.messages]
        for text in [*texts, "Collègue", "Envoyé hors ligne"]:
            assert shown.count(text) == 1, text
        assert store.threads[T_ANSWERED].assignee_id is None
    finally:
        await other.aclose()
