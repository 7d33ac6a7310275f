"""The store converges to the server's state: after live events, a dropped websocket, a silent
(black-holed) link, a server restart and a resync."""

from __future__ import annotations

import asyncio

import pytest

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.store.state_db import StateDb, state_db_path
from tests.helpers.proxy import TcpProxy
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import AGENT2_EMAIL, AGENT_EMAIL, LEAD_EMAIL, ServerProcess
from tests.integration.client.conftest import (
    StoreFactory,
    customer_writes,
    eventually,
    signed_in,
    store_matches_server,
)

T_WAITING = "t_camille"
T_ANSWERED = "t_jonas"


async def test_live_events_keep_the_store_equal_to_the_server(
    shared_server: ServerProcess, make_store: StoreFactory
) -> None:
    store = await make_store(shared_server.url)
    await store.open_thread(T_WAITING)
    other = await signed_in(shared_server.url, LEAD_EMAIL)
    batches: list[list[str]] = []
    store.threadsChanged.connect(batches.append)
    try:
        await customer_writes(shared_server.url, T_WAITING, "Où est ma commande ?")
        await other.assign(T_ANSWERED, None)
        await other.set_status(T_ANSWERED, "pending")
        await other.send_message(
            T_WAITING, client_id="c-agent2-1", text="Je regarde.", kind="reply"
        )
        await eventually(lambda: store_matches_server(store, other))
        texts = [m.text for m in store.conversation.messages] if store.conversation else []
        assert texts[-2:] == ["Où est ma commande ?", "Je regarde."]
        assert any(T_ANSWERED in batch for batch in batches)
        assert store.duplicates_skipped == 0
    finally:
        await other.aclose()


@pytest.mark.slow
async def test_store_recovers_after_the_websocket_is_cut(
    shared_server: ServerProcess, make_store: StoreFactory, tcp_proxy_factory: type[TcpProxy]
) -> None:
    proxy = tcp_proxy_factory("127.0.0.1", shared_server.port)
    store = await make_store(proxy.url)
    other = await signed_in(shared_server.url, AGENT2_EMAIL)
    states: list[str] = []
    store.connectionChanged.connect(lambda info: states.append(info.state))
    try:
        proxy.pause()  # nothing passes while the server changes
        await customer_writes(shared_server.url, T_WAITING, "Allô ?")
        await other.set_status(T_ANSWERED, "resolved")
        assert proxy.cut() >= 1
        await wait_for_condition(lambda: "reconnecting" in states, 10)
        await customer_writes(shared_server.url, T_ANSWERED, "Encore moi")
        proxy.resume()
        await wait_for_condition(lambda: store.connection.state == "live", 20)
        await eventually(lambda: store_matches_server(store, other))
        assert store.duplicates_skipped == 0
    finally:
        await other.aclose()


@pytest.mark.slow
async def test_heartbeat_notices_a_silent_link(
    shared_server: ServerProcess, make_store: StoreFactory, tcp_proxy_factory: type[TcpProxy]
) -> None:
    proxy = tcp_proxy_factory("127.0.0.1", shared_server.port)
    store = await make_store(proxy.url, ping_interval=0.3, ping_timeout=0.5)
    other = await signed_in(shared_server.url, AGENT2_EMAIL)
    states: list[str] = []
    store.connectionChanged.connect(lambda info: states.append(info.state))
    try:
        proxy.pause()  # a black hole: no close, no reset, just silence
        await customer_writes(shared_server.url, T_WAITING, "Silence radio")
        await wait_for_condition(lambda: "reconnecting" in states, 15)
        proxy.resume()
        await wait_for_condition(lambda: store.connection.state == "live", 20)
        await eventually(lambda: store_matches_server(store, other))
    finally:
        await other.aclose()


@pytest.mark.slow
async def test_store_recovers_after_a_server_restart(
    server: ServerProcess, make_store: StoreFactory
) -> None:
    store = await make_store(server.url)
    await store.open_thread(T_WAITING)
    await asyncio.to_thread(server.stop)
    await wait_for_condition(lambda: store.connection.state != "live", 15)
    await asyncio.to_thread(server.start)
    await wait_for_condition(lambda: store.connection.state == "live", 30)
    await customer_writes(server.url, T_WAITING, "Après le redémarrage")
    other = await signed_in(server.url, AGENT_EMAIL)
    try:
        await eventually(lambda: store_matches_server(store, other))
        assert store.conversation is not None
        assert store.conversation.messages[-1].text == "Après le redémarrage"
    finally:
        await other.aclose()


async def test_resync_reloads_everything(
    shared_server: ServerProcess, make_store: StoreFactory
) -> None:
    # A seq far ahead of the server's (e.g. the server's database was replaced) forces a resync.
    db = StateDb(state_db_path(shared_server.url, AGENT_EMAIL))
    db.set_last_seq(10_000_000)
    db.close()
    other = await signed_in(shared_server.url, AGENT2_EMAIL)
    try:
        store = await make_store(shared_server.url)
        await wait_for_condition(lambda: store.last_seq < 10_000_000, 15)
        await customer_writes(shared_server.url, T_WAITING, "Après la resynchronisation")
        await eventually(lambda: store_matches_server(store, other))
        # The applied seq reaches the disk once per burst, shortly after the repaint.
        await wait_for_condition(lambda: persisted_seq(shared_server.url) == store.last_seq, 5)
        backend = store.backend
        assert isinstance(backend, AgentApiBackend)
        assert backend.resume_seq == store.last_seq  # the next reconnect resumes, no resync
    finally:
        await other.aclose()


def persisted_seq(url: str) -> int:
    db = StateDb(state_db_path(url, AGENT_EMAIL))
    try:
        return db.last_seq
    finally:
        db.close()


@pytest.mark.slow
async def test_a_server_back_is_reached_within_the_probe_not_the_backoff(
    server: ServerProcess, make_store: StoreFactory
) -> None:
    """Issue 21: once the server answers again the stream reconnects within ~2 s (the health
    check is asked every second while waiting), even when the backoff says a minute."""
    store = await make_store(server.url, reconnect_base=60.0, reconnect_cap=60.0)
    await asyncio.to_thread(server.stop)
    await wait_for_condition(lambda: store.connection.state == "reconnecting", 15)
    assert (store.connection.retry_in or 0) >= 30  # without the probe: 30 s or more to wait
    await asyncio.to_thread(server.start)  # returns once the server answers
    await wait_for_condition(lambda: store.connection.state == "live", 15)
