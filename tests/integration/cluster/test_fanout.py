"""The fan-out reader of one instance (server/cluster.py, `Fanout`): a burst of NOTIFYs costs one
read, a NOTIFY that arrives while a read runs is never skipped, every event reaches the hub once
and in seq order, and writers waiting for their own events share the read too.

Two in-process contexts ("instances") on a fresh PostgreSQL database; the reader's query is held
after it ran (the events it saw are fixed, the commits after it are not) to put NOTIFYs and
writers in the middle of a read deterministically. Skipped without PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from agent_desktop.server import cluster as cluster_module
from agent_desktop.server import services
from agent_desktop.server.cluster import Fanout
from agent_desktop.server.context import ServerConfig, ServerContext, open_context
from agent_desktop.server.hub import PublishedEvent, Subscriber
from agent_desktop.server.models import CustomerRow, EventRow, ThreadRow

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


@pytest.fixture
async def pair(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[ServerContext, ServerContext]]:
    # No periodic health read in the middle of the counted reads (it only asks for a read when
    # this instance is behind, which these tests make it on purpose).
    monkeypatch.setattr(cluster_module, "HEALTH_SECONDS", 3600.0)
    contexts: list[ServerContext] = []
    try:
        for name in ("a", "b"):
            config = ServerConfig(
                database_url=pg_url, media_dir=tmp_path / name, instance_name=name
            )
            contexts.append(await open_context(config))
        for ctx in contexts:
            assert ctx.cluster is not None
            await asyncio.wait_for(ctx.cluster.listening.wait(), 30)
        yield contexts[0], contexts[1]
    finally:
        for ctx in reversed(contexts):
            await ctx.aclose()


async def until(predicate: Callable[[], bool], what: str, within: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def top_seq(ctx: ServerContext) -> int:
    async with ctx.sessionmaker() as session:
        return int((await session.execute(select(func.max(EventRow.seq)))).scalar() or 0)


async def new_threads(ctx: ServerContext, count: int) -> list[str]:
    ids = []
    async with ctx.write() as session:
        for n in range(count):
            _, thread = await services.create_customer_thread(ctx, session, name=f"Fan {n}")
            ids.append(thread.id)
    return ids


async def customer_says(ctx: ServerContext, thread_id: str, words: str) -> None:
    async with ctx.write(thread=thread_id) as session:
        thread = await session.get(ThreadRow, thread_id)
        customer = await session.get(CustomerRow, thread.customer_id)
        await services.post_signed(
            ctx, session, thread=thread, author=customer, text=words
        )


def seqs(sub: Subscriber) -> list[int]:
    return [seq for seq, _text in sub.frames]


class HeldReads:
    """Holds the instance's next read after its query ran, until `release()`."""

    def __init__(self, fanout: Fanout, monkeypatch: pytest.MonkeyPatch) -> None:
        self.holding = asyncio.Event()
        self._release = asyncio.Event()
        self._real: Callable[[int], Awaitable[list[PublishedEvent]]] = fanout._fetch
        monkeypatch.setattr(fanout, "_fetch", self._fetch)

    async def _fetch(self, after: int) -> list[PublishedEvent]:
        rows = await self._real(after)
        if not self._release.is_set():
            self.holding.set()
            await self._release.wait()
        return rows

    def release(self) -> None:
        self._release.set()


def frames_of(sub: Subscriber) -> list[tuple[int, str]]:
    return list(sub.frames)


async def test_a_burst_of_notifies_is_read_once_in_order_and_none_is_skipped(
    pair: tuple[ServerContext, ServerContext], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = pair
    assert b.cluster is not None
    threads = await new_threads(a, 20)
    start = await top_seq(a)
    await until(lambda: b.cluster is not None and b.cluster.fanout.last >= start, "b caught up")
    sub = b.hub.subscribe("agent", "Agent", "token")
    fanout = b.cluster.fanout
    held = HeldReads(fanout, monkeypatch)

    # A first commit: b's reader runs its query (which sees this commit alone) and is held.
    await customer_says(a, threads[0], "before the burst")
    await asyncio.wait_for(held.holding.wait(), 30)
    seen = await top_seq(a)
    reads = fanout.reads
    notified = b.cluster.notified
    # Twenty commits while that read is held: their NOTIFYs all arrive during the read.
    for n, thread_id in enumerate(threads):
        await customer_says(a, thread_id, f"burst {n}")
    end = await top_seq(a)
    # One NOTIFY per event: wait for every one of the burst's to arrive during the held read.
    burst = end - seen
    await until(lambda: b.cluster is not None and b.cluster.notified >= notified + burst, "NOTIFYs")
    assert fanout.last < seen  # nothing of the held read pushed yet

    held.release()
    await until(lambda: fanout.last >= end, "the burst pushed")
    # The held read, then ONE read for the whole burst (not one per NOTIFY).
    assert fanout.reads == reads + 1
    # Every event once, in seq order, none skipped (the held read's and the burst's).
    assert seqs(sub) == list(range(start + 1, end + 1))
    texts = [text for _seq, text in frames_of(sub) if '"message.created"' in text]
    assert len(texts) == 21
    assert '"before the burst"' in texts[0]
    assert all(f'"burst {n}"' in texts[n + 1] for n in range(20))


async def test_writers_waiting_for_their_events_share_one_read(
    pair: tuple[ServerContext, ServerContext], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = pair
    assert b.cluster is not None
    threads = await new_threads(b, 11)
    start = await top_seq(b)
    await until(lambda: b.cluster is not None and b.cluster.fanout.last >= start, "b caught up")
    fanout = b.cluster.fanout
    held = HeldReads(fanout, monkeypatch)
    await customer_says(a, threads[0], "from the other instance")
    await asyncio.wait_for(held.holding.wait(), 30)
    reads = fanout.reads
    sub = b.hub.subscribe("agent", "Agent", "token")
    real_sync = fanout.sync
    waiting: list[int] = []

    async def counted_sync() -> int:
        waiting.append(1)
        return await real_sync()

    monkeypatch.setattr(fanout, "sync", counted_sync)

    # Ten writers on b commit while b's reader is held: each waits for its own events.
    returned: list[list[int]] = []

    async def writer(n: int) -> None:
        await customer_says(b, threads[n + 1], f"writer {n}")
        returned.append(seqs(sub))  # what b's sockets had when the write returned

    writers = [asyncio.create_task(writer(n)) for n in range(10)]
    await until(lambda: len(waiting) == 10, "the ten writers waiting for their events")
    assert not returned  # no writer returns before its events are pushed
    held.release()
    await asyncio.wait_for(asyncio.gather(*writers), 60)
    end = await top_seq(b)
    assert fanout.reads == reads + 1  # the held read, then one for all ten writers
    # When the writes returned, b's hub had every event up to the last commit, in order, once.
    assert all(got == list(range(start + 1, end + 1)) for got in returned), returned
    assert fanout.last == end


async def test_events_after_a_failed_read_are_pushed_once_the_database_answers(
    pair: tuple[ServerContext, ServerContext], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = pair
    assert b.cluster is not None
    threads = await new_threads(a, 3)
    start = await top_seq(a)
    await until(lambda: b.cluster is not None and b.cluster.fanout.last >= start, "b caught up")
    fanout = b.cluster.fanout
    sub = b.hub.subscribe("agent", "Agent", "token")
    real = fanout._fetch
    failures: list[int] = []

    async def failing(after: int) -> list[PublishedEvent]:
        if len(failures) < 2:
            failures.append(after)
            raise ConnectionError("the database went away")
        return await real(after)

    monkeypatch.setattr(fanout, "_fetch", failing)
    for n, thread_id in enumerate(threads):
        await customer_says(a, thread_id, f"while failing {n}")
    end = await top_seq(a)
    await until(lambda: fanout.last >= end, "the events pushed after the failures")
    assert failures == [start, start]  # retried from the same place
    assert seqs(sub) == list(range(start + 1, end + 1))


async def test_an_instance_reads_its_own_commit_once(
    pair: tuple[ServerContext, ServerContext], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer's round reads its events; their NOTIFY, handled during that round or after
    it, costs no second read (the event is pushed already)."""
    _a, b = pair
    assert b.cluster is not None
    cluster = b.cluster
    fanout = cluster.fanout
    before = await top_seq(b)
    notified = cluster.notified
    threads = await new_threads(b, 2)
    start = await top_seq(b)
    await until(lambda: cluster.notified >= notified + start - before, "b's own NOTIFYs")
    await fanout.sync()  # whatever those NOTIFYs asked for is done
    sub = b.hub.subscribe("agent", "Agent", "token")
    reads, covered = fanout.reads, fanout.covered
    # NOTIFYs are kept back until the test hands them on (they may arrive before the writer asks
    # for its round, and then that round is theirs: the order is what this test fixes).
    kept: list[int] = []
    real_notice = fanout.notice
    monkeypatch.setattr(fanout, "notice", kept.append)

    # The NOTIFY is handled while the writer's round is held after its query (which saw it).
    held = HeldReads(fanout, monkeypatch)
    writer = asyncio.create_task(customer_says(b, threads[0], "mine"))
    await asyncio.wait_for(held.holding.wait(), 30)
    await until(lambda: len(kept) == 1, "its NOTIFY")
    real_notice(kept[0])
    held.release()
    await asyncio.wait_for(writer, 30)
    await until(lambda: fanout.covered == covered + 1, "the NOTIFY found pushed")
    assert fanout.reads == reads + 1

    # The NOTIFY is handled after the writer's round: nothing to read either.
    await customer_says(b, threads[1], "mine again")
    await until(lambda: len(kept) == 2, "its NOTIFY")
    real_notice(kept[1])
    assert fanout.covered == covered + 2
    assert fanout.reads == reads + 2
    end = await top_seq(b)
    assert kept == [end - 1, end]
    assert seqs(sub) == list(range(start + 1, end + 1))


async def test_the_reader_reconnects_when_its_connection_is_killed(
    pair: tuple[ServerContext, ServerContext],
) -> None:
    a, b = pair
    assert b.cluster is not None
    threads = await new_threads(a, 3)
    start = await top_seq(a)
    fanout = b.cluster.fanout
    await until(lambda: fanout.last >= start, "b caught up")
    sub = b.hub.subscribe("agent", "Agent", "token")
    # The reader's own connection (application_name "agent-desktop fanout b") dies.
    async with a.sessionmaker() as session:
        killed = (
            await session.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = 'agent-desktop fanout b'"
                )
            )
        ).scalar()
    assert killed == 1
    for n, thread_id in enumerate(threads):
        await customer_says(a, thread_id, f"after the kill {n}")
    end = await top_seq(a)
    await until(lambda: fanout.last >= end, "the events pushed on a new connection")
    assert seqs(sub) == list(range(start + 1, end + 1))
