"""The seq lock on PostgreSQL, narrowed (server/context.py, ServerContext.write): a write holds
`SEQ_LOCK` only to number, insert and commit its events, so a slow writer does not hold back
writers of other threads; still, seqs stay gap-free and commit in their order (a reader that
resumes after the highest seq it saw never skips one that commits late), writes to one thread
follow each other, and every event's thread is the state its own commit left.

In-process contexts on a fresh PostgreSQL database (skipped without one, like test_postgres.py).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from agent_desktop.server import services
from agent_desktop.server.cluster import DATA_LOCK, THREAD_LOCK_CLASS
from agent_desktop.server.context import ServerConfig, ServerContext, open_context
from agent_desktop.server.models import CustomerRow, ThreadRow

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


@pytest.fixture
async def ctx(pg_url: str, tmp_path: Path) -> AsyncIterator[ServerContext]:
    context = await open_context(ServerConfig(database_url=pg_url, media_dir=tmp_path / "media"))
    try:
        yield context
    finally:
        await context.aclose()


async def new_threads(ctx: ServerContext, count: int) -> list[str]:
    ids = []
    async with ctx.write() as session:
        for n in range(count):
            _, thread = await services.create_customer_thread(ctx, session, name=f"Slow {n}")
            ids.append(thread.id)
    return ids


async def customer_writes(ctx: ServerContext, session: Any, thread_id: str, words: str) -> None:
    thread = await session.get(ThreadRow, thread_id)
    customer = await session.get(CustomerRow, thread.customer_id)
    await services.post_signed(ctx, session, thread=thread, author=customer, text=words)


async def scalar(ctx: ServerContext, sql: str, **params: Any) -> Any:
    async with ctx.sessionmaker() as session:
        return (await session.execute(text(sql), params)).scalar()


async def waiting_on(ctx: ServerContext, classid: int, objid: int) -> int:
    """Backends of this database waiting for the advisory lock (classid, objid)."""
    return int(
        await scalar(
            ctx,
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND NOT l.granted AND l.classid = :c "
            "AND l.objid = :o AND a.datname = current_database()",
            c=classid,
            o=objid,
        )
    )


async def until(predicate: Any, what: str, within: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def lock_key(key: int) -> tuple[int, int]:
    """pg_locks' (classid, objid) of a one-key (bigint) advisory lock."""
    return (key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF


async def test_an_open_write_holds_back_only_its_own_thread_and_seqs_follow_commits(
    ctx: ServerContext,
) -> None:
    first, second = await new_threads(ctx, 2)
    base = int(await scalar(ctx, "SELECT max(seq) FROM events"))
    inside, release = asyncio.Event(), asyncio.Event()

    async def slow() -> None:  # has written its message and its event, not committed
        async with ctx.write(thread=first) as session:
            await customer_writes(ctx, session, first, "slow one")
            await session.flush()
            inside.set()
            await release.wait()

    slow_task = asyncio.create_task(slow())
    await asyncio.wait_for(inside.wait(), 60)
    # Another thread's write commits meanwhile: the open one holds no seq yet.
    await asyncio.wait_for(_write(ctx, second, second, "quick one"), 60)
    assert await scalar(ctx, "SELECT max(seq) FROM events") == base + 1
    # A second write to the same thread waits for the first (its thread lock) ...
    same_task = asyncio.create_task(_write(ctx, first, first, "after the slow one"))
    thread_objid = await scalar(ctx, "SELECT hashtext(:t)", t=first) & 0xFFFFFFFF

    async def same_waits() -> bool:
        return await waiting_on(ctx, THREAD_LOCK_CLASS, thread_objid) == 1

    await until(same_waits, "the second write of the thread to wait for the first")
    # ... and a write that may touch anything waits for every write of a thread (DATA_LOCK).
    wide_task = asyncio.create_task(_write(ctx, None, second, "wide"))

    async def wide_waits() -> bool:
        return await waiting_on(ctx, *lock_key(DATA_LOCK)) >= 1

    await until(wide_waits, "the wide write to wait for the data lock")
    assert not same_task.done() and not wide_task.done()
    release.set()
    await asyncio.wait_for(asyncio.gather(slow_task, same_task, wide_task), 60)
    async with ctx.sessionmaker() as session:
        events = (
            await session.execute(
                text("SELECT seq, data FROM events WHERE seq > :b ORDER BY seq"), {"b": base}
            )
        ).all()
    assert [e.seq for e in events] == [base + 1, base + 2, base + 3, base + 4]
    texts = [e.data["message"]["text"] for e in events]
    assert texts[:3] == ["quick one", "slow one", "after the slow one"]
    assert texts[3] == "wide"
    # The events of `first` carry the thread as each commit left it.
    assert [e.data["thread"]["unread"] for e in events[1:3]] == [1, 2]


async def _write(ctx: ServerContext, lock: str | None, thread_id: str, words: str) -> None:
    """A customer message into `thread_id`, written as a write of `lock` (None: of anything)."""
    async with ctx.write(thread=lock) as session:
        await customer_writes(ctx, session, thread_id, words)


async def test_slow_writers_interleaved_never_leave_a_gap_a_reader_skips(
    ctx: ServerContext,
) -> None:
    """60 writers over 4 threads, each slow a random while inside its transaction (after its
    data, before its commit; some of them through a second instance's context on the same
    database), against a reader that keeps resuming after the highest seq it has seen, as a
    client does with `after`: it must see every seq, each once, in order."""
    other = await open_context(
        ServerConfig(database_url=ctx.config.database_url, media_dir=ctx.media_dir)
    )
    try:
        threads = await new_threads(ctx, 4)
        base = int(await scalar(ctx, "SELECT max(seq) FROM events"))
        rng = random.Random(20)
        seen: list[int] = []
        done = asyncio.Event()

        async def writer(n: int) -> None:
            target = ctx if n % 3 else other
            thread_id = threads[n % len(threads)]
            async with target.write(thread=thread_id) as session:
                await customer_writes(target, session, thread_id, f"writer {n}")
                await session.flush()
                await session.execute(text("SELECT pg_sleep(:s)"), {"s": rng.random() * 0.05})

        async def reader() -> None:
            last = base
            while True:
                finished = done.is_set()  # read once more after the last writer committed
                async with ctx.sessionmaker() as session:
                    rows = (
                        await session.execute(
                            text("SELECT seq FROM events WHERE seq > :after ORDER BY seq"),
                            {"after": last},
                        )
                    ).scalars()
                    fresh = list(rows)
                seen.extend(fresh)
                if fresh:
                    last = fresh[-1]
                if finished:
                    return
                await asyncio.sleep(0)

        reading = asyncio.create_task(reader())
        await asyncio.gather(*(writer(n) for n in range(60)))
        done.set()
        await asyncio.wait_for(reading, 60)
        assert seen == list(range(base + 1, base + 61))
        async with ctx.sessionmaker() as session:
            events = (
                await session.execute(
                    text("SELECT seq, data FROM events WHERE seq > :b ORDER BY seq"),
                    {"b": base},
                )
            ).all()
        assert len(events) == 60
        await _all_seqs(ctx)
        # Per thread, each event's thread is the state its own commit left: unread 1, 2, 3 ...
        unread: dict[str, list[int]] = {t: [] for t in threads}
        for e in events:
            unread[e.data["thread"]["id"]].append(e.data["thread"]["unread"])
        for counts in unread.values():
            assert counts == list(range(1, len(counts) + 1))
    finally:
        await other.aclose()


async def _all_seqs(ctx: ServerContext) -> list[int]:
    async with ctx.sessionmaker() as session:
        rows = (await session.execute(text("SELECT seq FROM events ORDER BY seq"))).scalars()
        seqs = list(rows)
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # contiguous
    return seqs
