"""Cancelled and stuck sends: the faults behind replies left "sending" for good in the soak run.

A call cancelled at the wrong moment (after httpcore's pool gave it a fresh connection, before the
request went out) used to keep its pool slot forever; the store cancels calls routinely (a
delivery confirmed by its event, a conversation closed while loading), so after enough of them
every request failed with PoolTimeout and no reply left the outbox again. Also here: an attempt
that hangs on a black-holed link is abandoned by the store's watchdog and tried again, and a
delivery cancelled from outside is scheduled again; each message is stored exactly once.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from agent_desktop.backends.base import NetworkError
from tests.helpers.faults import FaultProxy
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import ServerProcess
from tests.reliability.conftest import StoreFactory, signed_in
from tests.reliability.test_faults import settle_and_compare

T_WAITING = "t_camille"
POOL_SIZE = 4


async def test_cancelled_calls_never_use_up_the_connection_pool(
    server: ServerProcess, fault_proxy_factory: type[FaultProxy]
) -> None:
    proxy = fault_proxy_factory("127.0.0.1", server.port)
    # A small pool, so a handful of lost slots is enough to show; a short pool timeout.
    transport = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=POOL_SIZE))
    backend = await signed_in(proxy.url, timeout=2.0, retries=0, transport=transport)
    try:
        # Cancel calls at every point of their way out: after 0, 1, 2... turns of the loop.
        for turns in range(40):
            for _round in range(3):
                calls = [asyncio.ensure_future(backend.me()) for _ in range(2)]
                for _ in range(turns):
                    await asyncio.sleep(0)
                for call in calls:
                    call.cancel()
                await asyncio.gather(*calls, return_exceptions=True)
        async with asyncio.timeout(30):
            for _ in range(POOL_SIZE + 2):
                try:
                    me = await backend.me()
                except NetworkError as exc:
                    pytest.fail(f"the pool was used up by cancelled calls: {exc}")
                assert me.email
    finally:
        await backend.aclose()


async def test_a_send_hanging_on_a_black_holed_link_is_abandoned_and_delivered_once(
    server: ServerProcess, make_store: StoreFactory, fault_proxy_factory: type[FaultProxy]
) -> None:
    proxy = fault_proxy_factory("127.0.0.1", server.port)
    # The connector would wait 60 s for an answer; the store gives each attempt 1 s.
    store = await make_store(proxy.url, timeout=60.0, send_attempt_timeout=1.0)
    await store.open_thread(T_WAITING)
    proxy.pause()  # every byte is swallowed, no connection ends
    entry = await store.send(T_WAITING, "Envoyé dans le trou noir")
    client_id = entry.client_id or ""
    await wait_for_condition(lambda: store.outbox()[0].attempts >= 2, 15)
    assert store.outbox()[0].state == "sending"
    proxy.resume()  # the abandoned requests and the retries all reach the server now
    await settle_and_compare(store, server, [client_id], [T_WAITING])


async def test_a_delivery_cancelled_from_outside_is_scheduled_again(
    server: ServerProcess, make_store: StoreFactory, fault_proxy_factory: type[FaultProxy]
) -> None:
    proxy = fault_proxy_factory("127.0.0.1", server.port)
    store = await make_store(proxy.url)
    proxy.pause()
    entry = await store.send(T_WAITING, "Livraison interrompue")
    client_id = entry.client_id or ""
    await wait_for_condition(lambda: client_id in store.delivery._deliveries, 5)
    store.delivery._deliveries[client_id].cancel()  # e.g. a stray cancellation of the whole task
    await wait_for_condition(lambda: client_id not in store.delivery._deliveries, 5)
    assert store.outbox()[0].state == "sending"
    proxy.resume()
    await settle_and_compare(store, server, [client_id], [T_WAITING])
