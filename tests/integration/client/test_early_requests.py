"""Early requests (`backends.early`) against the real server: a start takes the early sign-in
and first loads instead of asking again, and falls back to asking when an early answer is of no
use (another token, a failed sign-in, an answer cut in transit)."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.backends.base import AuthError
from agent_desktop.backends.early import EarlyAnswer, EarlyRequests, first_loads
from agent_desktop.core.pages import THREAD_PAGE
from agent_desktop.core.retry import RetryPolicy
from agent_desktop.store.client_store import ClientStore
from tests.helpers.faults import fault_proxy_factory
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import AGENT_EMAIL, PASSWORD, ServerProcess
from tests.helpers.store_fixtures import FAST, signed_in

__all__ = ["fault_proxy_factory"]


def counting(backend: AgentApiBackend) -> list[tuple[str, str]]:
    """Record every request the connector itself sends from now on."""
    asked: list[tuple[str, str]] = []
    real = backend._exchange

    async def exchange(method: str, url: str, **kwargs: Any) -> Any:
        asked.append((method, url))
        return await real(method, url, **kwargs)

    backend._exchange = exchange  # type: ignore[method-assign]
    return asked


async def start_store(backend: AgentApiBackend) -> ClientStore:
    store = ClientStore(backend, agent_key=AGENT_EMAIL)
    await store.start()
    return store


async def test_a_start_takes_the_early_sign_in_and_first_loads(server: ServerProcess) -> None:
    early = EarlyRequests(server.url, first_loads(), email=AGENT_EMAIL, password=PASSWORD)
    early.start()
    backend = AgentApiBackend(server.url, early=early, **FAST)
    asked = counting(backend)
    reference = await signed_in(server.url)
    store: ClientStore | None = None
    try:
        result = await backend.login(AGENT_EMAIL, PASSWORD)
        assert result.agent.email == AGENT_EMAIL and backend.token == result.token
        store = await start_store(backend)
        # Nothing was asked twice: the store's first loads are exactly the early ones.
        assert asked == []
        assert early.exhausted
        # ... and they are the backend's real answers.
        assert store.me is not None and store.me.email == AGENT_EMAIL
        assert {a.id for a in await reference.agents()} == set(store.agents)
        assert [t.id for t in store.templates] == [t.id for t in await reference.templates()]
        page = await reference.threads(assignee="any", limit=THREAD_PAGE)
        assert {t.id for t in page.items} <= set(store.threads)
        assert abs(backend.clock_offset) < 1.0  # measured from the early exchange's own times
        await wait_for_condition(lambda: store is not None and store.connection.state == "live")
        # The start keeps `early` for the session: once taken, its GETs' answers (the page of
        # threads' body among them) are not kept with it.
        gc.collect()
        kept = [a for a in gc.get_objects() if isinstance(a, EarlyAnswer) and a.token]
        assert kept == []
    finally:
        if store is not None:
            await store.close()
        await backend.aclose()
        await reference.aclose()


async def test_early_answers_sent_with_another_token_are_not_used(server: ServerProcess) -> None:
    early = EarlyRequests(server.url, first_loads(), email=AGENT_EMAIL, token="a-stale-token")
    early.start()
    early.join(10)  # all answered: 401 for the stale token
    backend = await signed_in(server.url, early=early)  # a real sign-in, with a new token
    asked = counting(backend)
    try:
        store = await start_store(backend)
        assert store.loaded and store.me is not None and store.me.email == AGENT_EMAIL
        assert len(asked) == len(first_loads())  # every first load asked again, with the token
        await store.close()
    finally:
        await backend.aclose()


async def test_a_refused_early_sign_in_is_the_sign_in_error(server: ServerProcess) -> None:
    early = EarlyRequests(server.url, first_loads(), email=AGENT_EMAIL, password="wrong")
    early.start()
    backend = AgentApiBackend(server.url, early=early, **FAST)
    try:
        with pytest.raises(AuthError) as refused:
            await backend.login(AGENT_EMAIL, "wrong")
        assert str(refused.value).endswith(".") and "Traceback" not in str(refused.value)
        # The early loads were never sent (no token): signing in again loads everything anew.
        await backend.login(AGENT_EMAIL, PASSWORD)
        store = await start_store(backend)
        assert store.loaded and store.threads
        await store.close()
    finally:
        await backend.aclose()


async def test_an_early_answer_cut_in_transit_is_asked_again(
    server: ServerProcess, fault_proxy_factory: Any
) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    proxy = fault_proxy_factory(host, int(port))
    proxy.cut_response_mid_frame(b"GET /api/v1/threads?")  # the first page's answer, once
    early = EarlyRequests(proxy.url, first_loads(), email=AGENT_EMAIL, password=PASSWORD)
    early.start()
    early.join(10)
    assert proxy.responses_cut == 1
    backend = AgentApiBackend(proxy.url, early=early, **FAST)
    asked = counting(backend)
    try:
        await backend.login(AGENT_EMAIL, PASSWORD)
        store = await start_store(backend)
        assert [method for method, _ in asked] == ["GET"]  # only the page that was cut
        reference = await signed_in(server.url)
        page = await reference.threads(assignee="any", limit=THREAD_PAGE)
        await reference.aclose()
        assert {t.id for t in page.items} <= set(store.threads)
        await store.close()
    finally:
        await backend.aclose()


async def test_a_deferred_start_leaves_the_stream_and_other_pages_for_later(
    server: ServerProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    import agent_desktop.store.sync as store_sync

    monkeypatch.setattr(store_sync, "THREAD_PAGE", 2)  # a first page and more pages after it
    backend = await signed_in(server.url)
    store = ClientStore(backend, agent_key=AGENT_EMAIL)
    try:
        await store.start(defer=True)
        assert store.loaded and len(store.threads) == 2 and not store.threads_complete
        assert store.connection.state == "connecting"  # no stream yet
        every = {t.id for t in (await backend.threads(assignee="any", limit=200)).items}
        store.start_background()
        await wait_for_condition(
            lambda: store.threads_complete and store.connection.state == "live"
        )
        assert set(store.threads) == every
        store.start_background()  # once only: nothing started twice
        assert store.threads_complete
    finally:
        await store.close()
        await backend.aclose()


async def test_pages_after_the_first_are_loaded_again_after_a_network_failure(
    server: ServerProcess, fault_proxy_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection breaks while the pages after the first load: the agent reads a network
    sentence (not "internal error"), the first page stays on screen, and the pages are asked for
    again, here when the event stream comes back (the store also retries on a timer)."""
    import agent_desktop.store.sync as store_sync

    monkeypatch.setattr(store_sync, "THREAD_PAGE", 2)
    host, port = server.url.removeprefix("http://").split(":")
    proxy = fault_proxy_factory(host, int(port))
    backend = AgentApiBackend(proxy.url, **{**FAST, "retries": 0})
    await backend.login(AGENT_EMAIL, PASSWORD)
    store = ClientStore(backend, agent_key=AGENT_EMAIL)
    store.sync.rest_retry = RetryPolicy(base=600, cap=600)  # only a wake-up retries here
    errors: list[str] = []
    store.errorOccurred.connect(errors.append)
    proxy.cut_request_mid_frame(b"cursor=")  # the first page after the first, once
    try:
        await store.start()
        await wait_for_condition(lambda: proxy.requests_cut == 1 and bool(errors), 15)
        assert errors[0].startswith("Not every conversation is loaded yet: ")
        assert "keeps trying" in errors[0] and "internal" not in errors[0]
        assert len(store.threads) == 2 and not store.threads_complete
        # Broken again on the next try (woken by hand): no second sentence for the same outage.
        proxy.cut_request_mid_frame(b"cursor=")
        store.sync.wake_rest()
        await wait_for_condition(lambda: proxy.requests_cut == 2, 15)
        # The event stream drops and comes back: the pages load, all of them.
        await wait_for_condition(lambda: store.connection.state == "live", 15)
        proxy.cut()
        reference = await signed_in(server.url)
        every = {t.id for t in (await reference.threads(assignee="any", limit=200)).items}
        await reference.aclose()
        await wait_for_condition(lambda: store.threads_complete, 20)
        assert set(store.threads) == every and len(every) > 2
        assert len(errors) == 1, errors
    finally:
        await store.close()
        await backend.aclose()
