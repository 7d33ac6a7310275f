"""ClientStore over an in-process backend: seq ordering and dedup, all-or-nothing event application,
batched signals, resync, the outbox state machine, drafts and storage failures."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.backends.base import (
    ConflictError,
    NetworkError,
    Ready,
    Resync,
    ServerError,
    StreamState,
    ValidationError,
)
from agent_desktop.core.pages import MESSAGE_PAGE
from agent_desktop.core.types import Event, Thread
from agent_desktop.store import read_marks, sync
from agent_desktop.store.caches import CUSTOMERS_KEPT
from agent_desktop.store.client_store import ClientStore
from agent_desktop.store.conversation import Conversation
from agent_desktop.store.state_db import StateDb, StorageError, state_db_path
from tests.helpers.qasync_loop import wait_for_condition as until
from tests.unit.store.fakes import FakeBackend, as_backend, message, thread


def last_state(conv: Conversation) -> str:
    """The last row's state (a function, so mypy does not narrow it across awaits)."""
    return conv.entries[-1].state


@pytest.fixture
async def fake() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
async def store(fake: FakeBackend) -> AsyncIterator[ClientStore]:
    s = ClientStore(
        as_backend(fake), agent_key="ann@x.test", send_retry_base=0.01, send_retry_cap=0.05
    )
    await s.start()
    yield s
    await s.close()


def ev(seq: int, name: str, **data: Any) -> Event:
    return Event(seq=seq, name=name, data=data)


def thread_event(seq: int, thread_id: str, minutes: float, **fields: Any) -> Event:
    return ev(
        seq, "thread.updated", thread=thread(thread_id, minutes, **fields).model_dump(mode="json")
    )


async def test_start_loads_threads_and_agent(store: ClientStore) -> None:
    assert set(store.threads) == {"t1", "t2"}
    assert store.me is not None and store.me.id == "a1"
    assert store.loaded


async def test_events_apply_once_in_order_and_seq_is_persisted(
    store: ClientStore, fake: FakeBackend
) -> None:
    batches: list[list[str]] = []
    store.threadsChanged.connect(batches.append)
    assert store.apply_event(thread_event(1, "t1", 1, status="pending"))
    assert store.apply_event(thread_event(2, "t2", 1, unread=4))
    assert not store.apply_event(thread_event(2, "t2", 9, unread=99))  # duplicate seq
    assert not store.apply_event(thread_event(1, "t1", 9, status="spam"))  # older seq
    assert store.threads["t1"].status == "pending"
    assert store.threads["t2"].unread == 4
    assert store.duplicates_skipped == 2
    assert fake.acked == 2
    await until(lambda: StateDb(store.db.path).last_seq == 2)  # written once, soon after
    assert batches == [["t1", "t2"]]  # one batch for both changes


async def test_live_seq_written_once_a_second_and_a_restart_resumes_after_the_last(
    fake: FakeBackend,
) -> None:
    """Live events come one by one: the applied seq is written once for a second of them, not
    once each (an fsync each on the GUI thread), and nothing is lost across a restart: closing
    writes the last seq, and the next start resumes the stream right after it."""
    store = ClientStore(as_backend(fake), agent_key="ann@x.test")
    await store.start()
    writes: list[int] = []
    write = store.db.set_last_seq

    def counted(seq: int) -> None:
        writes.append(seq)
        write(seq)

    store.db.set_last_seq = counted  # type: ignore[method-assign]
    try:
        await until(lambda: fake.after == [0])
        for seq in range(1, 21):  # twenty events, each in its own turn of the loop
            await fake.items.put(thread_event(seq, "t1", 1, unread=seq))
            await until(lambda seq=seq: store.last_seq == seq)  # type: ignore[misc]
        await until(lambda: StateDb(store.db.path).last_seq == 20)
        assert writes == [20]
        for seq in range(21, 24):  # closed before their second is over
            await fake.items.put(thread_event(seq, "t2", 1, unread=seq))
        await until(lambda: store.last_seq == 23)
    finally:
        await store.close()
    assert writes == [20, 23]
    again = ClientStore(as_backend(fake), agent_key="ann@x.test")
    await again.start()
    try:
        assert again.last_seq == 23
        await until(lambda: fake.after == [0, 23])  # resumed after the last applied event
        await fake.items.put(thread_event(24, "t2", 2, unread=24))
        await until(lambda: again.threads["t2"].unread == 24)
    finally:
        await again.close()


def test_seq_written_without_fsync_the_outbox_still_with(tmp_path: Path) -> None:
    """The seq (a resume point: events replayed after a lost write change nothing) is written
    with synchronous=NORMAL; every other write, the outbox's first, keeps synchronous=FULL."""
    db = StateDb(tmp_path / "state.db")
    try:
        db.set_last_seq(7)
        assert db._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL for what follows
        assert StateDb(tmp_path / "state.db").last_seq == 7
        traced: list[str] = []
        db._db.set_trace_callback(traced.append)
        db.set_last_seq(8)
        assert traced[0] == "PRAGMA synchronous=NORMAL"
        assert traced[-1] == "PRAGMA synchronous=FULL"
        assert any("last_seq" in sql or "meta" in sql for sql in traced[1:-1])
    finally:
        db.close()


async def test_the_same_thread_state_again_changes_nothing(store: ClientStore) -> None:
    """The event of the agent's own read mark repeats the state its answer gave: no batch, so
    no repaint and no header or composer update for it."""
    batches: list[list[str]] = []
    store.threadsChanged.connect(batches.append)
    assert store.apply_event(thread_event(1, "t1", 3, unread=0))
    store.sync.flush()
    kept = store.threads["t1"]
    assert store.apply_event(thread_event(2, "t1", 3, unread=0))  # applied: the seq moves on
    store.sync.flush()
    assert store.last_seq == 2
    assert store.threads["t1"] is kept
    assert batches == [["t1"]]
    assert store.apply_event(thread_event(3, "t1", 3, unread=2))
    store.sync.flush()
    assert batches == [["t1"], ["t1"]]


async def test_stream_events_are_applied(store: ClientStore, fake: FakeBackend) -> None:
    await fake.items.put(Ready(seq=0))
    await fake.items.put(thread_event(1, "t3", 0))
    await until(lambda: "t3" in store.threads)
    assert store.last_seq == 1


async def test_threads_kept_share_their_repeated_values(fake: FakeBackend) -> None:
    """Threads from the pages and from events go through the store's value pool (as parsed from
    JSON, each would hold its own copy of "messenger", its assignee's id, a timezone object)."""
    fake.thread_list = [
        Thread.model_validate_json(thread(tid, 1, assignee_id="a1").model_dump_json())
        for tid in ("t1", "t2")
    ]
    store = ClientStore(as_backend(fake), agent_key="ann@x.test")
    await store.start()
    try:
        store.apply_event(thread_event(1, "t3", 2, assignee_id="a1"))
        t1, t2, t3 = (store.threads[tid] for tid in ("t1", "t2", "t3"))
        assert t1.channel is t2.channel is t3.channel
        assert t1.assignee_id is t2.assignee_id is t3.assignee_id
        assert t1.updated_at.tzinfo is UTC and t3.updated_at.tzinfo is UTC
    finally:
        await store.close()


async def test_customers_and_orders_of_the_conversations_left_long_ago_are_let_go(
    store: ClientStore, fake: FakeBackend
) -> None:
    first = [f"c{i}" for i in range(CUSTOMERS_KEPT)]
    for customer_id in first:
        await store.customer(customer_id)
        await store.orders(customer_id)
    await store.customer("c0")  # its conversation opened again: the most recent now
    await store.orders("c0")
    await store.customer("c-new")
    await store.orders("c-new")
    assert store.cached_customer("c1") is None and store.cached_orders("c1") is None
    assert store.cached_customer("c0") is not None and store.cached_orders("c0") is not None
    assert store.cached_customer("c-new") is not None
    assert fake.customer_calls.count("c0") == 1  # the cached one was answered from the cache
    await store.customer("c1")
    assert fake.customer_calls.count("c1") == 2


async def test_older_thread_state_never_overwrites_a_newer_one(store: ClientStore) -> None:
    store.apply_event(thread_event(1, "t1", 10, status="resolved"))
    store.apply_event(thread_event(2, "t1", 5, status="open"))
    assert store.threads["t1"].status == "resolved"


async def test_malformed_event_applies_nothing_and_asks_for_a_reload(store: ClientStore) -> None:
    conv = await store.open_thread("t1")
    before_rows = list(conv.entries)
    bad = ev(
        1, "message.created", message=message("m9").model_dump(mode="json"), thread={"id": "t1"}
    )
    assert not store.apply_event(bad)
    assert conv.entries == before_rows
    assert "m9" not in {e.key for e in conv.entries}
    assert store.last_seq == 1  # the stream moves on; a reload repairs the state
    assert store.sync.needs_reload


async def test_message_created_appends_to_the_open_conversation(store: ClientStore) -> None:
    conv = await store.open_thread("t1")
    inserted: list[tuple[int, list[Any]]] = []
    conv.inserted.connect(lambda row, entries: inserted.append((row, entries)))
    created: list[str] = []
    store.messageCreated.connect(lambda tid, msg: created.append(msg.id))
    new = message("m2", "t1", 1)
    data = {
        "message": new.model_dump(mode="json"),
        "thread": thread("t1", 1).model_dump(mode="json"),
    }
    store.apply_event(ev(1, "message.created", **data))
    store.apply_event(ev(2, "message.updated", **data))  # same message again: no second row
    assert [e.key for e in conv.entries] == ["m1", "m2"]
    assert inserted == [(1, [conv.entries[1]])]
    assert created == ["m2"]


async def test_the_open_threads_row_changes_with_its_conversation_others_batched(
    store: ClientStore,
) -> None:
    """A message in the open thread: its row's change is emitted at once, before the bubble is
    added, so that one paint shows both; other threads' changes wait for the batch."""
    conv = await store.open_thread("t1")
    order: list[str] = []
    conv.inserted.connect(lambda row, entries: order.append("bubble"))
    store.threadsChanged.connect(lambda ids: order.append("rows " + ",".join(ids)))

    def created(seq: int, message_id: str, thread_id: str) -> Event:
        return ev(
            seq,
            "message.created",
            message=message(message_id, thread_id, seq).model_dump(mode="json"),
            thread=thread(thread_id, seq).model_dump(mode="json"),
        )

    assert store.apply_event(created(1, "m7", "t2"))
    assert order == []  # batched
    assert store.apply_event(created(2, "m8", "t1"))
    assert order == ["rows t2,t1", "bubble"]
    store.sync.flush()
    assert order == ["rows t2,t1", "bubble"]  # nothing left to emit
    assert store.threads["t1"].updated_at == thread("t1", 2).updated_at


async def test_resync_reloads_and_takes_the_servers_seq(
    store: ClientStore, fake: FakeBackend
) -> None:
    store.apply_event(thread_event(10, "t1", 1))
    fake.thread_list = [thread("t9")]
    resets: list[bool] = []
    store.threadsReset.connect(lambda: resets.append(True))
    await fake.items.put(Resync())
    await fake.items.put(Ready(seq=3))
    await until(lambda: "t9" in store.threads)
    assert set(store.threads) == {"t9"}
    await until(lambda: store.last_seq == 3)
    assert resets
    await fake.items.put(thread_event(4, "t4", 0))  # seq below the old 10 is applied after resync
    await until(lambda: "t4" in store.threads)


async def test_signed_out_state_is_reported(store: ClientStore, fake: FakeBackend) -> None:
    """The store says why the session ended (the server's code), in a sentence of its own that
    says drafts and unsent replies are kept."""
    from agent_desktop.store import session_end

    got: list[str] = []
    store.signedOut.connect(got.append)
    await fake.items.put(StreamState("signed_out", error="Session ended.", code="session_expired"))
    await until(lambda: bool(got))
    assert got == [session_end.sentence("session_expired")]
    assert "expired" in got[0] and "drafts" in got[0]
    assert store.signed_out_code == "session_expired"
    assert store.connection.state == "signed_out"


async def test_send_shows_sending_then_sent(store: ClientStore, fake: FakeBackend) -> None:
    conv = await store.open_thread("t1")
    fake.send_gate = asyncio.Event()
    entry = await store.send("t1", "On it!")
    assert entry.state == "sending"
    assert conv.entries[-1].state == "sending"
    assert [r.client_id for r in store.outbox()] == [entry.client_id]
    fake.send_gate.set()
    await until(lambda: not store.outbox())
    assert last_state(conv) == "sent"
    assert conv.entries[-1].key.startswith("srv-")
    assert len(conv.entries) == 2


async def test_network_failures_are_retried_with_the_same_client_id(
    store: ClientStore, fake: FakeBackend
) -> None:
    fake.send_outcomes = [NetworkError("down"), ServerError("oops", status=503), None]
    entry = await store.send("t1", "Hello")
    await until(lambda: not store.outbox())
    assert [s["client_id"] for s in fake.sent] == [entry.client_id] * 3
    assert len(fake.stored) == 1


async def test_rejected_send_fails_keeps_text_and_can_be_retried(
    store: ClientStore, fake: FakeBackend
) -> None:
    conv = await store.open_thread("t1")
    failures: list[tuple[str, str]] = []
    store.sendFailed.connect(lambda cid, reason: failures.append((cid, reason)))
    fake.send_outcomes = [ConflictError("The reply window is closed.")]
    entry = await store.send("t1", "Too late?")
    await until(lambda: bool(failures))
    row = store.outbox()[0]
    assert (row.state, row.error, row.text) == (
        "failed",
        "The reply window is closed.",
        "Too late?",
    )
    assert conv.entries[-1].state == "failed"
    assert conv.entries[-1].error == "The reply window is closed."
    store.retry(entry.client_id or "")
    await until(lambda: not store.outbox())
    assert last_state(conv) == "sent"


async def test_failed_send_can_be_discarded(store: ClientStore, fake: FakeBackend) -> None:
    conv = await store.open_thread("t1")
    fake.send_outcomes = [ValidationError("Too long.")]
    entry = await store.send("t1", "x" * 2001)
    await until(lambda: bool(store.outbox()) and store.outbox()[0].state == "failed")
    assert store.discard(entry.client_id or "") == "x" * 2001
    assert not store.outbox()
    assert [e.key for e in conv.entries] == ["m1"]


async def test_event_confirms_before_the_http_answer(store: ClientStore, fake: FakeBackend) -> None:
    conv = await store.open_thread("t1")
    fake.send_gate = asyncio.Event()
    entry = await store.send("t1", "Quick")
    await until(lambda: bool(fake.sent))
    stored = message("srv-x", "t1", 5, client_id=entry.client_id, text="Quick", kind="agent")
    store.apply_event(
        ev(
            1,
            "message.created",
            message=stored.model_dump(mode="json"),
            thread=thread("t1", 5).model_dump(mode="json"),
        )
    )
    assert not store.outbox()
    assert [e.key for e in conv.entries] == ["m1", "srv-x"]
    assert last_state(conv) == "sent"


async def test_outbox_is_replayed_on_start(fake: FakeBackend) -> None:
    db = StateDb(state_db_path(fake.base_url, "ann@x.test"))
    db.outbox_add("c-left-over", "t1", "From before the crash", "reply", None)
    db.close()
    store = ClientStore(as_backend(fake), agent_key="ann@x.test", send_retry_base=0.01)
    await store.start()
    try:
        await until(lambda: not store.outbox())
        assert [s["client_id"] for s in fake.sent] == ["c-left-over"]
    finally:
        await store.close()


class BrokenConnection:
    def __init__(self, message: str) -> None:
        self.message = message

    def execute(self, *args: object) -> None:
        raise sqlite3.OperationalError(self.message)

    def close(self) -> None:
        pass


@pytest.mark.parametrize(
    ("failure", "sentence"),
    [("database or disk is full", "disk is full"), ("database is locked", "locked")],
)
async def test_storage_failure_raises_and_signals(
    store: ClientStore, fake: FakeBackend, failure: str, sentence: str
) -> None:
    errors: list[str] = []
    store.storageError.connect(errors.append)
    real = store.db._db
    store.db._db = BrokenConnection(failure)  # type: ignore[assignment]
    try:
        with pytest.raises(StorageError, match=sentence):
            await store.send("t1", "Keep me in the composer")
        with pytest.raises(StorageError):
            store.save_draft("t1", "draft")
    finally:
        store.db._db = real
    assert len(errors) == 2 and sentence in errors[0]
    assert not fake.sent


async def test_drafts_are_debounced_and_written_through(store: ClientStore) -> None:
    store.save_draft_later("t1", "Bon")
    store.save_draft_later("t1", "Bonjour")
    assert store.draft("t1") == "Bonjour"
    assert StateDb(store.db.path).draft("t1") == ""
    await until(lambda: StateDb(store.db.path).draft("t1") == "Bonjour")
    store.save_draft("t1", "")
    assert store.draft("t1") == ""


async def test_close_flushes_pending_drafts(fake: FakeBackend, tmp_path: Path) -> None:
    store = ClientStore(as_backend(fake), agent_key="ann@x.test")
    await store.start()
    store.save_draft_later("t2", "unsaved yet", delay=60)
    await store.close()
    assert StateDb(store.db.path).draft("t2") == "unsaved yet"


async def test_load_older_pages_back(store: ClientStore, fake: FakeBackend) -> None:
    fake.thread_messages["t1"] = [message(f"m{i:03}", "t1", i) for i in range(120)]
    conv = await store.open_thread("t1")
    pages = [MESSAGE_PAGE] * (120 // MESSAGE_PAGE) + [120 % MESSAGE_PAGE] * bool(120 % MESSAGE_PAGE)
    assert len(conv) == pages[0] and conv.has_more
    assert conv.entries[-1].key == "m119"
    for page in pages[1:]:
        assert await store.load_older() == page
    assert not conv.has_more
    assert [e.key for e in conv.entries] == [f"m{i:03}" for i in range(120)]


async def test_messages_read_as_they_come_are_marked_read_at_most_once_an_interval(
    store: ClientStore, fake: FakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A customer writing fast into the open thread: the first message is read at once, those
    of the next interval in one read mark of the newest, not one request each; the server's
    unread count still ends at zero with the newest message read."""
    monkeypatch.setattr(read_marks, "READ_MARK_INTERVAL", 0.3)
    first = store.read_as_it_comes("t1", "m1")
    assert first is not None
    started = asyncio.get_running_loop().create_task(first)
    await until(lambda: fake.read_marks == [("t1", "m1")])
    # Within the interval: one read mark waits; the messages after it join it.
    await started
    waiting = store.read_as_it_comes("t1", "m2")
    assert waiting is not None
    waited = asyncio.get_running_loop().create_task(waiting)
    assert store.read_as_it_comes("t1", "m3") is None
    assert store.read_as_it_comes("t1", "m4") is None
    # Another thread has its own interval.
    other = store.read_as_it_comes("t2", "n1")
    assert other is not None
    await other
    assert fake.read_marks == [("t1", "m1"), ("t2", "n1")]
    await waited
    assert fake.read_marks[2:] == [("t1", "m4")]
    assert store.threads["t1"].unread == 0
    await asyncio.sleep(0.35)
    # The interval passed with nothing new: the next message is read at once.
    later = store.read_as_it_comes("t1", "m5")
    assert later is not None
    await later
    assert fake.read_marks[3:] == [("t1", "m5")]


async def test_the_open_threads_row_shows_its_messages_read_as_they_come(
    store: ClientStore, fake: FakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A customer writing several messages within a read mark's interval into the open thread:
    its row shows them read as they come, not when the interval's read mark has gone out (up to
    READ_MARK_INTERVAL later); an answer that still counts a waiting message does not undo it."""
    monkeypatch.setattr(read_marks, "READ_MARK_INTERVAL", 60.0)
    changed: list[list[str]] = []
    store.threadsChanged.connect(changed.append)
    assert store.apply_event(thread_event(1, "t1", 1, unread=1))
    store.sync.flush()
    first = store.read_as_it_comes("t1", "m1")
    assert first is not None
    assert store.threads["t1"].unread == 0  # before the request
    store.sync.flush()
    assert changed[-1] == ["t1"]
    await first
    # The next message, within the interval: its read mark waits, its row is read already.
    assert store.apply_event(thread_event(2, "t1", 5, unread=1))
    store.sync.flush()
    assert store.threads["t1"].unread == 1
    waiting = store.read_as_it_comes("t1", "m2")
    assert waiting is not None
    assert store.threads["t1"].unread == 0
    assert fake.read_marks == [("t1", "m1")]
    waiting.close()


async def test_a_read_marks_answer_counting_a_waiting_message_leaves_the_row_read(
    store: ClientStore, fake: FakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read_marks, "READ_MARK_INTERVAL", 60.0)
    asked, answer = asyncio.Event(), asyncio.Event()

    async def mark_read(thread_id: str, message_id: str) -> Thread:
        fake.read_marks.append((thread_id, message_id))
        asked.set()
        await answer.wait()
        return thread(thread_id, 9, unread=1)  # m2 came after the message it marks

    monkeypatch.setattr(fake, "mark_read", mark_read)
    first = store.read_as_it_comes("t1", "m1")
    assert first is not None
    sending = asyncio.get_running_loop().create_task(first)
    await asked.wait()
    assert store.read_as_it_comes("t1", "m2") is None  # taken by the read mark on its way
    answer.set()
    await until(lambda: store.threads["t1"].updated_at == thread("t1", 9).updated_at)
    assert store.threads["t1"].unread == 0  # m2 is seen; its read mark waits for the interval
    sending.cancel()


async def test_the_heap_is_trimmed_after_a_burst_not_after_each_live_event(
    store: ClientStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []
    monkeypatch.setattr(store.heap, "soon", lambda: asked.append(True))
    assert store.apply_event(thread_event(1, "t1", 1, unread=1))
    store.sync.flush()
    assert asked == []  # one live event: little freed, no timer restarted for it
    for seq in range(2, 2 + sync.TRIM_AFTER_BATCH):
        assert store.apply_event(thread_event(seq, f"b{seq}", 1))
    store.sync.flush()
    assert asked == [True]
