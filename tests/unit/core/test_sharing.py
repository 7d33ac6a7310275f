"""The value pool: the rows made from threads parsed from JSON (as the connector parses them)
share their repeated values and give back threads equal to the parsed ones; messages compacted in
place compare and serialize exactly as before."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError, fields
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from agent_desktop.core import sharing
from agent_desktop.core.rows import AuthorRow, MessageRow, ThreadRow
from agent_desktop.core.sharing import ValuePool, utc
from agent_desktop.core.types import (
    Author,
    CustomerRef,
    Message,
    ReplyWindow,
    Thread,
    ThreadPage,
)


def raw_thread(n: int, *, author: str = "automated", window: str = "standard") -> dict[str, Any]:
    sent = f"2026-12-06T08:{n % 60:02d}:58.729539Z"
    return {
        "id": f"t_{n}",
        "customer": {"id": f"c_{n}", "name": f"Customer {n}", "avatar_url": None},
        "status": "open",
        "assignee_id": "a_1818e811892f902b",
        "last_message": {
            "id": f"m_{n}",
            "thread_id": f"t_{n}",
            "client_id": None,
            "author": {
                "kind": author,
                "id": f"c_{n}" if author == "customer" else None,
                "name": f"Customer {n}" if author == "customer" else "Atelier Lumière",
            },
            "kind": "text",
            "text": f"Merci pour votre message {n}",
            "attachments": [],
            "order_id": None,
            "order_event": None,
            "tag": None,
            "delivery": "sent",
            "error": None,
            "created_at": sent,
        },
        "waiting_since": sent if author == "customer" else None,
        "unread": 1,
        "channel": "messenger",
        "reply_window": {
            "state": window,
            "closes_at": None if window == "closed" else "2026-12-07T08:49:56.856111Z",
        },
        "last_customer_message_at": sent if author == "customer" else "2026-12-06T07:00:00Z",
        "updated_at": sent,
    }


def page(*threads: dict[str, Any]) -> list[Thread]:
    """Parsed as the connector parses a page: from the decoded JSON of the answer."""
    return ThreadPage.model_validate(json.loads(json.dumps({"items": list(threads)}))).items


def datetimes(thread: Thread | ThreadRow) -> list[datetime | None]:
    if isinstance(thread, ThreadRow):
        found = [thread.updated_at, thread.window_closes_at]
    else:
        found = [thread.updated_at, thread.reply_window.closes_at]
    found += [thread.waiting_since, thread.last_customer_message_at]
    if thread.last_message is not None:
        found.append(thread.last_message.created_at)
    return [d for d in found if d is not None]


def test_rows_give_back_threads_equal_to_the_parsed_ones() -> None:
    raws = [
        raw_thread(1),
        raw_thread(2, author="customer"),
        raw_thread(3, author="agent", window="closed"),
    ]
    pool = ValuePool()
    rows = [pool.row(t) for t in page(*raws)]
    assert [r.thread() for r in rows] == page(*raws)
    assert [r.thread().model_dump_json() for r in rows] == [
        t.model_dump_json() for t in page(*raws)
    ]


def test_row_fields_are_the_model_fields() -> None:
    """A field added to a model must be added to its row (and to `ValuePool.row`); a thread's
    customer and reply window are slots of its row, named after their fields."""
    flat = {"customer": ("customer_", CustomerRef), "reply_window": ("window_", ReplyWindow)}
    expected = set()
    for name in Thread.model_fields:
        prefix, part = flat.get(name, ("", None))
        expected |= {prefix + f for f in part.model_fields} if part else {name}
    assert {f.name for f in fields(ThreadRow)} == expected
    assert [f.name for f in fields(MessageRow)] == list(Message.model_fields)
    assert [f.name for f in fields(AuthorRow)] == list(Author.model_fields)


def test_rows_are_read_only() -> None:
    row = ValuePool().row(page(raw_thread(1))[0])
    with pytest.raises(FrozenInstanceError):
        row.status = "resolved"  # type: ignore[misc]


def test_threads_share_their_repeated_values() -> None:
    pool = ValuePool()
    a, b = (pool.row(t) for t in page(raw_thread(1), raw_thread(2)))
    assert a.assignee_id is b.assignee_id
    assert a.channel is b.channel
    assert a.status is b.status
    assert a.last_message is not None and b.last_message is not None
    # The shop's automated answer is one Author for every thread.
    assert a.last_message.author is b.last_message.author
    assert a.last_message.kind is b.last_message.kind
    assert a.last_message.delivery is b.last_message.delivery
    assert a.last_message.thread_id is a.id
    assert a.window_state is b.window_state
    # The thread was updated by its last message: one datetime for both.
    assert a.updated_at is a.last_message.created_at


def test_a_customers_message_shares_the_customers_id_and_name() -> None:
    (thread,) = (ValuePool().row(t) for t in page(raw_thread(1, author="customer")))
    assert thread.last_message is not None
    author = thread.last_message.author
    assert author.id is thread.customer_id
    assert author.name is thread.customer_name
    assert thread.waiting_since is thread.last_message.created_at
    assert thread.last_customer_message_at is thread.last_message.created_at


def test_every_datetime_is_on_the_shared_utc_timezone() -> None:
    parsed = page(raw_thread(1), raw_thread(2, author="customer"))
    assert all(d.tzinfo is not UTC for t in parsed for d in datetimes(t))  # pydantic's own
    pool = ValuePool()
    for thread in parsed:
        assert all(d.tzinfo is UTC for d in datetimes(pool.row(thread)))


def test_a_reply_window_is_two_slots_of_its_row_and_gives_the_model_back() -> None:
    pool = ValuePool()
    a, b, c = (
        pool.row(t)
        for t in page(raw_thread(1, window="closed"), raw_thread(2, window="closed"), raw_thread(3))
    )
    assert a.window_state is b.window_state and a.window_closes_at is None
    assert (c.window_state, c.window_closes_at) == ("standard", c.thread().reply_window.closes_at)
    assert c.window() == page(raw_thread(3))[0].reply_window
    assert c.customer() == page(raw_thread(3))[0].customer


def test_a_shared_author_is_only_reused_when_equal() -> None:
    pool = ValuePool()
    first = pool.row(page(raw_thread(1))[0])
    other = raw_thread(2)
    other["last_message"]["author"]["name"] = "Another shop"
    second = pool.row(page(other)[0])
    assert first.last_message is not None and second.last_message is not None
    assert second.last_message.author.name == "Another shop"
    assert second.last_message.author is not first.last_message.author


def test_a_message_of_another_thread_keeps_its_own_thread_id() -> None:
    (thread,) = page(raw_thread(1))
    message = Message.model_validate(raw_thread(2)["last_message"])
    ValuePool().message(message, thread)
    assert message.thread_id == "t_2"


def test_messages_compacted_in_place_share_with_their_thread() -> None:
    pool = ValuePool()
    row = pool.row(page(raw_thread(1, author="customer"))[0])
    raw = raw_thread(1, author="customer")["last_message"]
    parsed = Message.model_validate(json.loads(json.dumps(raw)))
    message = Message.model_validate(json.loads(json.dumps(raw)))
    assert pool.message(message, row) is message
    assert message == parsed
    assert message.thread_id is row.id
    assert message.author.id is row.customer_id
    assert message.created_at.tzinfo is UTC
    assert message.kind is pool.message(Message.model_validate(raw), row).kind


def test_the_pool_stops_growing_at_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sharing, "MAX_ENTRIES", 3)
    pool = ValuePool()
    for n in range(20):
        raw = raw_thread(n)
        raw["assignee_id"] = f"a_{n}"
        row = pool.row(page(raw)[0])
        assert row.assignee_id == f"a_{n}"
    assert len(pool) == 3


def test_utc_keeps_naive_datetimes_and_other_offsets() -> None:
    naive = datetime(2026, 12, 6, 8, 0)
    paris = datetime(2026, 12, 6, 9, 0, tzinfo=timezone(timedelta(hours=1)))
    assert utc(naive) is naive
    assert utc(paris) is paris
    parsed = Message.model_validate(raw_thread(1)["last_message"]).created_at
    assert utc(parsed) == parsed and utc(parsed).tzinfo is UTC


def test_making_a_row_leaves_the_thread_as_it_was() -> None:
    (thread,) = page(raw_thread(1, author="customer"))
    before = thread.model_dump_json()
    author = thread.last_message.author if thread.last_message else None
    ValuePool().row(thread)
    assert thread.model_dump_json() == before
    assert thread.last_message is not None and thread.last_message.author is author
    assert thread.updated_at.tzinfo is not UTC
