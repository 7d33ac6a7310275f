"""Faults on the workstation: a clock that is wrong or jumps an hour (timers stay right), the local
outbox database locked by another program or the disk full (a clear sentence, the text stays in
the composer, nothing half-sent), through the store and through the window's composer."""

from __future__ import annotations

import types
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

import agent_desktop.backends.agent_api_client as agent_api_client
import agent_desktop.backends.agent_api_stream as agent_api_stream
import agent_desktop.store.client_store as client_store
from agent_desktop.core.clock import ServerClock, timer_reading
from agent_desktop.store.client_store import ClientStore
from agent_desktop.store.state_db import StorageError
from tests.helpers.faults import FailingConnection, disk_full, locked_database
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import ServerProcess
from tests.reliability.conftest import StoreFactory, open_in_window
from tests.reliability.test_faults import settle_and_compare

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

_real_time = agent_api_stream.time.time


class Skew:
    """The workstation's wall clock, `seconds` away from the truth (both time.time and now())."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def time(self) -> float:
        return _real_time() + self.seconds

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.seconds)


@pytest.fixture
def skew(monkeypatch: pytest.MonkeyPatch) -> Skew:
    clock = Skew()

    class SkewedDatetime(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return datetime.now(tz) + timedelta(seconds=clock.seconds)

    monkeypatch.setattr(agent_api_stream, "time", types.SimpleNamespace(time=clock.time))
    monkeypatch.setattr(agent_api_client, "time", types.SimpleNamespace(time=clock.time))
    monkeypatch.setattr(client_store, "datetime", SkewedDatetime)
    return clock


async def new_waiting_thread(server: ServerProcess, name: str, text: str) -> str:
    async with httpx.AsyncClient() as client:
        r = await client.post(
            f"{server.api}/simulate/customer-message",
            json={"customer_name": name, "text": text},
        )
    assert r.status_code == 201, r.text
    thread_id: str = r.json()["thread"]["id"]
    return thread_id


async def server_now(server: ServerProcess) -> datetime:
    async with httpx.AsyncClient() as client:
        r = await client.get(f"{server.api}/health")
    return datetime.fromisoformat(r.json()["server_time"].replace("Z", "+00:00"))


async def test_timers_stay_right_when_the_workstation_clock_is_wrong_or_jumps(
    server: ServerProcess, make_store: StoreFactory, skew: Skew
) -> None:
    thread_id = await new_waiting_thread(server, "Horloge Faussée", "Bonjour, une question")
    skew.seconds = -3600.0  # the workstation runs an hour behind
    store = await make_store(server.url, clock=ServerClock(local=skew.now))
    await wait_for_condition(lambda: thread_id in store.threads, 10)

    async def error_seconds() -> float:
        thread = store.threads[thread_id]
        shown = timer_reading(thread.waiting_since, store.now(), 300).elapsed_seconds
        assert thread.waiting_since is not None
        truth = (await server_now(server) - thread.waiting_since).total_seconds()
        return abs(shown - truth)

    assert await error_seconds() < 3
    skew.seconds = 3600.0  # mid-session the clock jumps two hours forward (NTP, DST bug, user)
    customer_id = store.threads[thread_id].customer_id
    await store.customer(customer_id, refresh=True)  # the next answer carries server_time
    assert await error_seconds() < 3
    assert timer_reading(store.threads[thread_id].waiting_since, store.now(), 300).state == "ok"


async def test_locked_outbox_says_why_keeps_nothing_and_sends_once_later(
    server: ServerProcess, make_store: StoreFactory
) -> None:
    thread_id = await new_waiting_thread(server, "Base Verrouillée", "Allô ?")
    store = await make_store(server.url)
    store.db._db.execute("PRAGMA busy_timeout = 300")  # fail fast instead of after 2 s
    errors: list[str] = []
    store.storageError.connect(errors.append)
    with locked_database(store.db.path), pytest.raises(StorageError) as refused:
        await store.send(thread_id, "Pendant le verrou")
    assert "locked" in str(refused.value) and str(refused.value).endswith(".")
    assert errors == [str(refused.value)]
    assert store.outbox() == []
    entry = await store.send(thread_id, "Pendant le verrou")
    await settle_and_compare(store, server, [entry.client_id or ""], [thread_id])


async def test_full_disk_says_why_and_sends_once_when_space_returns(
    server: ServerProcess, make_store: StoreFactory
) -> None:
    thread_id = await new_waiting_thread(server, "Disque Plein", "Vous êtes là ?")
    store = await make_store(server.url)
    await store.open_thread(thread_id)
    text = "Merci ! " + "😀" * 1500  # 6 kB: needs new pages in the file
    with disk_full(store.db._db), pytest.raises(StorageError) as refused:
        await store.send(thread_id, text)
    assert "disk is full" in str(refused.value)
    assert store.outbox() == []
    assert store.conversation is not None
    assert all(e.state == "sent" for e in store.conversation.entries)
    entry = await store.send(thread_id, text)
    await settle_and_compare(store, server, [entry.client_id or ""], [thread_id])


@pytest.mark.parametrize("failure", ["disk full", "database is locked"])
async def test_composer_keeps_the_text_when_the_outbox_cannot_be_written(
    server: ServerProcess,
    window_store: tuple[Any, ClientStore],
    failure: str,
) -> None:
    window, store = window_store
    thread_id = await new_waiting_thread(server, f"Composer {failure}", "Une question")
    await open_in_window(window, store, thread_id)
    text = "Merci, je vérifie votre commande."
    window.composer.editor.setPlainText(text)
    error = "database or disk is full" if failure == "disk full" else "database is locked"
    shown_messages: list[str] = []  # what the status bar showed, in order
    window.status.messageChanged.connect(shown_messages.append)
    real = store.db._db
    store.db._db = FailingConnection(real, error)  # type: ignore[assignment]
    try:
        assert window.composer.try_send()
        await wait_for_condition(lambda: window.composer.text() == text, 15)
        await wait_for_condition(lambda: window.tasks.running() == 0, 15)
        # The sentence the agent saw (under load a later message may have replaced it by now).
        expected = "disk is full" if failure == "disk full" else "locked"
        shown = [m for m in shown_messages if expected in m]
        assert shown, f"the status bar never said why: {shown_messages}"
        assert all("Traceback" not in m and m.endswith(".") for m in shown)
        assert store.outbox() == []
    finally:
        store.db._db = real  # whatever happened, the store gets its database back
    assert window.composer.try_send()
    await wait_for_condition(lambda: not store.outbox() and window.composer.text() == "", 20)
    await settle_and_compare(store, server, [], [thread_id])
    page = await store.backend.messages(thread_id)
    assert [m.text for m in page.items].count(text) == 1
