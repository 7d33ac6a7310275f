"""The open conversation's rows: time order with server tie order, pending replies at the end,
replaced in place by the stored message, and signals that let a list model mirror the rows."""

from __future__ import annotations

import asyncio
from typing import Any

from agent_desktop.core.sharing import ValuePool
from agent_desktop.core.types import Event, Message
from agent_desktop.store.client_store import ClientStore
from agent_desktop.store.conversation import Conversation, ConversationEntry, ConversationMessage
from tests.unit.store.fakes import FakeBackend, as_backend, message, thread


def mirror(conv: Conversation) -> list[Any]:
    """A list kept up to date from the signals alone, as the UI's model does."""
    rows: list[Any] = []

    def on_reset(entries: list[ConversationEntry]) -> None:
        rows[:] = [e.key for e in entries]

    def on_inserted(first: int, entries: list[ConversationEntry]) -> None:
        rows[first:first] = [e.key for e in entries]

    def on_removed(first: int, count: int) -> None:
        del rows[first : first + count]

    def on_changed(row: int, entry: ConversationEntry) -> None:
        rows[row] = entry.key

    conv.reset.connect(on_reset)
    conv.inserted.connect(on_inserted)
    conv.removed.connect(on_removed)
    conv.changed.connect(on_changed)
    return rows


def pending(client_id: str) -> ConversationEntry:
    msg = message(f"local:{client_id}", "t1", 99, client_id=client_id, kind="agent")
    return ConversationEntry(f"local:{client_id}", msg, "sending")


def test_rows_follow_time_and_pending_stay_last(qapp: Any) -> None:
    conv = Conversation("t1")
    rows = mirror(conv)
    tie_a, tie_b = message("zz", "t1", 1), message("aa", "t1", 1)
    conv.set_all([message("m0", "t1", 0), tie_a, tie_b], [pending("c1")], has_more=True)
    assert rows == ["m0", "zz", "aa", "local:c1"]  # equal times keep the server's order
    conv.upsert_message(message("m5", "t1", 5))
    assert rows == ["m0", "zz", "aa", "m5", "local:c1"]
    conv.upsert_message(message("late", "t1", 0.5))  # an older message lands in its place
    assert rows == ["m0", "late", "zz", "aa", "m5", "local:c1"]
    conv.upsert_message(message("srv-1", "t1", 6, client_id="c1", kind="agent"))
    assert rows == ["m0", "late", "zz", "aa", "m5", "srv-1"]
    assert [e.key for e in conv.entries] == rows
    assert not any(e.pending for e in conv.entries)


def test_older_pages_and_updates_keep_the_mirror_exact(qapp: Any) -> None:
    conv = Conversation("t1")
    rows = mirror(conv)
    more: list[bool] = []
    conv.hasMoreChanged.connect(more.append)
    conv.set_all([message("m3", "t1", 3)], [], has_more=True)
    assert conv.prepend_older([message("m1", "t1", 1), message("m2", "t1", 2)], has_more=False) == 2
    conv.upsert_message(message("m2", "t1", 2, text="edited"))
    conv.add_pending(pending("c9"))
    conv.update_pending("c9", "failed", "Window closed.")
    assert conv.entries[-1].error == "Window closed."
    conv.remove_pending("c9")
    assert rows == ["m1", "m2", "m3"] == [e.key for e in conv.entries]
    assert conv.entries[1].message.text == "edited"
    assert more == [True, False]


async def test_message_arriving_while_the_page_loads_is_kept() -> None:
    fake = FakeBackend()
    store = ClientStore(as_backend(fake), agent_key="ann@x.test")
    await store.start()
    gate = asyncio.Event()
    original = fake.messages

    async def slow_messages(thread_id: str, **kwargs: Any) -> Any:
        page = await original(thread_id, **kwargs)
        await gate.wait()
        return page

    fake.messages = slow_messages  # type: ignore[method-assign]
    try:
        opening = asyncio.ensure_future(store.open_thread("t1"))
        await asyncio.sleep(0.05)
        live = message("m-live", "t1", 3)
        store.apply_event(
            Event(
                seq=1,
                name="message.created",
                data={
                    "message": live.model_dump(mode="json"),
                    "thread": thread("t1", 3).model_dump(mode="json"),
                },
            )
        )
        gate.set()
        conv = await opening
        assert [e.key for e in conv.entries] == ["m1", "m-live"]
    finally:
        await store.close()


def test_stored_messages_are_kept_as_rows_that_give_the_models_back(qapp: Any) -> None:
    """A conversation keeps its server messages as compact rows (~150 bytes against ~1.3 KB
    for the model), one author row per author; each row gives back a model equal to the one it
    was made from. An unsent reply stays the model it was made as."""
    conv = Conversation("t1")
    page = [message(f"m{i}", "t1", i, kind="customer" if i % 2 else "agent") for i in range(6)]
    conv.set_all(page, [pending("c9")], has_more=True)
    older = [message("m-1", "t1", -1)]
    conv.prepend_older(older, has_more=False)
    live = message("m6", "t1", 6, text="live")
    conv.upsert_message(live)

    stored = [e for e in conv.entries if not e.pending]
    assert [e.key for e in stored] == ["m-1", *(m.id for m in page), "m6"]
    assert all(isinstance(e.message, ConversationMessage) for e in stored)
    assert [e.message.message() for e in stored] == [*older, *page, live]  # type: ignore[union-attr]
    assert len({id(e.message.author) for e in stored}) == 2  # the customer, the agent
    assert not isinstance(conv.entries[-1].message, ConversationMessage)  # the unsent reply
    # An event repeating a stored message changes nothing; an edit replaces its row.
    conv.upsert_message(message("m2", "t1", 2, kind="customer" if 2 % 2 else "agent"))
    assert conv.entries[3].message.text == "hello"
    conv.upsert_message(message("m2", "t1", 2, text="edited", kind="agent"))
    assert conv.entries[3].message.text == "edited"


def test_rows_share_their_words_with_the_stores_pool(qapp: Any) -> None:
    """The conversation's rows are made as the thread list's last messages are
    (`ValuePool.message_row`): a message parsed on its own holds its own thread id, its row the
    conversation's, and its words go through the store's pool."""
    pool = ValuePool()
    thread_id = "".join(["t", "1"])  # not the interned literal the messages parse into
    conv = Conversation(thread_id, pool=pool)
    parsed = [
        Message.model_validate_json(m.model_dump_json())
        for m in (message("m1", "t1", 1), message("m2", "t1", 2, kind="agent"))
    ]
    assert all(m.thread_id is not thread_id for m in parsed)
    conv.set_all(parsed, [], has_more=False)
    rows = [e.message for e in conv.entries]
    assert [r.message() for r in rows] == parsed  # type: ignore[union-attr]
    assert all(r.thread_id is thread_id for r in rows)
    assert len(pool) > 0  # the words went through the store's pool


def test_rows_are_found_by_key_after_every_kind_of_change(qapp: Any) -> None:
    # The keys kept beside the rows (a live message is placed without a scan of every row) follow
    # each change: a message seen again replaces its row wherever it came from (a page, an older
    # page, an event), a confirmed reply lands before the replies still pending, and a pending
    # reply's key goes with it.
    conv = Conversation("t1")
    rows = mirror(conv)
    conv.set_all([message("m5", "t1", 5)], [pending("c1")], has_more=True)
    conv.prepend_older([message("m1", "t1", 1)], has_more=False)
    conv.add_pending(pending("c2"))
    conv.upsert_message(message("srv-2", "t1", 6, client_id="c2", kind="agent"))
    assert rows == ["m1", "m5", "srv-2", "local:c1"]
    conv.upsert_message(message("m5", "t1", 5))
    conv.upsert_message(message("srv-2", "t1", 6, client_id="c2", kind="agent"))
    conv.upsert_message(message("m1", "t1", 1, text="edited"))
    assert rows == ["m1", "m5", "srv-2", "local:c1"] == [e.key for e in conv.entries]
    assert conv.entries[0].message.text == "edited"
    assert conv.index_of("local:c2") == -1 and conv.index_of_client_id("c2") == -1
    assert conv.index_of_client_id("c1") == 3 and conv.index_of("local:c1") == 3
    conv.remove_pending("c1")
    conv.upsert_message(message("m7", "t1", 7))
    assert rows == ["m1", "m5", "srv-2", "m7"] and conv.index_of("local:c1") == -1
    conv.set_all([message("m9", "t1", 9)], [], has_more=False)
    assert conv.index_of("m1") == -1 and conv.index_of("m9") == 0
