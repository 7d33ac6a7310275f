"""The reference server's shared state (`ServerContext`): database sessions, the event hub, the
configuration, and `write()`, the one way to change data so events are committed and published in
seq order.

On PostgreSQL the context also has a `Cluster` (server/cluster.py): several instances share the
database, and `write()`, `publish`, `relay_ephemeral`, `close_token`, `wake` and `run_job` reach
the other instances through it. On SQLite (one process) they act on this process alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from agent_desktop.server.configuration import Settings, load_settings
from agent_desktop.server.hub import EventHub, PublishedEvent, Subscriber
from agent_desktop.server.models import EventRow

if TYPE_CHECKING:
    from agent_desktop.server.cluster import Cluster
    from agent_desktop.server.models import MessageRow, ThreadRow

log = logging.getLogger(__name__)

OutboundHook = Callable[["MessageRow", "ThreadRow"], Awaitable[None]]
# Sends an order event message to the customer (the Messenger bridge registers one): called in the
# write transaction with (session, message, thread); returns None when the send is queued, or the
# sentence saying why it cannot be sent.
OrderNoticeHook = Callable[["AsyncSession", "MessageRow", "ThreadRow"], Awaitable[str | None]]


@dataclass
class ServerConfig:
    """What the server core runs with. `agent-desktop-server` builds it from the settings
    (`from_settings`); the fields here take precedence over `settings` for the values they hold.
    Other parts read their own sections from `settings` (`config.settings["messenger.app_id"]`);
    a config made directly (tests, embedding) reads those from the defaults and the environment.
    """

    host: str = "127.0.0.1"
    port: int = 8765
    database_url: str = ""
    demo: bool = False
    threads: int | None = None
    simulate: float | None = None  # customer messages per minute (demo default 4)
    seed_test: bool = False
    allow_simulation: bool = False
    event_retention: int = 10_000
    media_dir: Path | None = None
    window_check_seconds: float = 30.0  # how often reply-window changes are announced
    instance_name: str = ""  # this instance among several (default: host name and process id)
    claim_seconds: float = 30.0  # how long a claim on durable work (a Messenger send) lasts
    max_body_bytes: int = 1024 * 1024  # the largest request body accepted (413 beyond)
    ws_queue_limit: int = 1000  # frames a websocket may fall behind before it is closed (1013)
    data_dir: Path | None = None  # None: agent_desktop.paths.data_dir()
    settings: Settings = field(default_factory=load_settings)

    @classmethod
    def from_settings(cls, settings: Settings) -> ServerConfig:
        return cls(
            host=settings["server.host"],
            port=settings["server.port"],
            database_url=settings["database.url"],
            demo=settings["demo.enabled"],
            threads=settings["demo.threads"],
            simulate=settings["demo.simulate"],
            seed_test=settings["demo.seed_test"],
            allow_simulation=settings["demo.allow_simulation"],
            event_retention=settings["server.event_retention"],
            media_dir=settings["server.media_dir"],
            window_check_seconds=settings["server.window_check_seconds"],
            data_dir=settings["server.data_dir"],
            instance_name=settings["server.instance_name"],
            claim_seconds=settings["server.claim_seconds"],
            max_body_bytes=settings["server.max_body_bytes"],
            ws_queue_limit=settings["server.ws_queue_limit"],
            settings=settings,
        )

    def data_folder(self) -> Path:
        """The folder of the default SQLite database and media (created when missing)."""
        if self.data_dir is None:
            from agent_desktop.paths import data_dir

            return data_dir()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir

    def resolved_database_url(self) -> str:
        from agent_desktop.server.db import sqlite_url_for

        return self.database_url or sqlite_url_for(self.data_folder() / "server.sqlite")

    @property
    def simulation_enabled(self) -> bool:
        return self.demo or self.seed_test or self.allow_simulation


class InOrder:
    """Runs work for one key (a conversation) one piece at a time, in the order it was asked
    for: an asyncio lock per key, whose waiters queue first come, first served, forgotten once
    nobody holds or awaits it."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @asynccontextmanager
    async def turn(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]

    def __len__(self) -> int:
        return len(self._locks)


@dataclass
class ServerContext:
    """Everything a request handler, the demo simulator or the Messenger bridge needs.

    `outbound_hooks` are awaited (as background tasks) after a public agent reply commits, with
    the stored message and its thread; the Messenger bridge registers one to call the Send API.
    A conversation's replies reach the hooks one after the other, in commit order
    (`outbound_order`), so that its Messenger sends are queued in the order they were written.
    `order_sources` maps a source kind (demo, api, shopify, medusa) to its `shop.source.OrderSource`;
    `order_notice_hooks` send order-action results to customers who asked to be told.
    """

    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    config: ServerConfig
    media_dir: Path
    hub: EventHub = field(default_factory=EventHub)
    outbound_hooks: list[OutboundHook] = field(default_factory=list)
    outbound_order: InOrder = field(default_factory=InOrder)
    order_sources: dict[str, Any] = field(default_factory=dict)
    order_notice_hooks: list[OrderNoticeHook] = field(default_factory=list)
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    min_seq: int = 0  # the oldest stored event's seq (0: none stored yet)
    instance: str = ""
    cluster: Cluster | None = None  # PostgreSQL: this instance's part among several
    _wakers: dict[str, list[Callable[[], None]]] = field(default_factory=dict)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str | None = None) -> asyncio.Task[Any]:
        """Run a background task, keep a reference, and log what it raises."""
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self.tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task %s failed", task.get_name(), exc_info=task.exception())

    @asynccontextmanager
    async def write(
        self, *, sequenced: bool = True, thread: str | None = None
    ) -> AsyncIterator[AsyncSession]:
        """A write transaction. Event seqs commit in order; events added with `services.emit`
        are published to the hub after the commit, then callbacks queued with
        `services.after_commit` run as background tasks.

        On SQLite writers are serialized in this process. On PostgreSQL the database serializes
        them (server/cluster.py, "one gap-free seq"): the data is written under
        `cluster.DATA_LOCK`, the events are inserted with placeholder seqs, and the database
        numbers them while the transaction commits, under `cluster.SEQ_LOCK` held inside the
        COMMIT alone; they are then read back in order with the other instances' (one read for
        every commit announced meanwhile, `cluster.Fanout`). A write that changes one
        conversation and nothing shared says so with `thread=` its id: it takes DATA_LOCK shared
        and that thread's own lock, so writes to different threads run side by side (a write
        without `thread=` takes DATA_LOCK alone, as every write once did). `sequenced=False` is
        for writes that emit no event (claims, the webhook inbox, sign-in attempts): on
        PostgreSQL they take no lock and run concurrently.
        """
        callbacks: list[Callable[[], Coroutine[Any, Any, Any]]] = []
        postgres = self.is_postgres
        async with contextlib.AsyncExitStack() as stack:
            if not postgres:
                await stack.enter_async_context(self.write_lock)
            session = await stack.enter_async_context(self.sessionmaker())
            session.info["events"] = []
            session.info["after_commit"] = []
            async with session.begin():
                if postgres:
                    session.info["defer_events"] = sequenced
                    if sequenced:
                        await self._lock_data(session, thread)
                yield session
                rows: list[EventRow] = session.info["events"]
                if rows and postgres:
                    await self._number_events(session, rows)
            if rows:
                if postgres:  # numbered at the commit: pushed by this instance's one reader
                    if self.cluster is not None:  # (with the others', in order, one read)
                        last = await self.cluster.fanout.sync()
                    else:  # a command on PostgreSQL (import, seed): no sockets to feed here
                        async with self.sessionmaker() as fresh:
                            top = (await fresh.execute(select(func.max(EventRow.seq)))).scalar()
                        last = int(top or 0)
                else:
                    self.hub.publish([PublishedEvent(r.seq, r.name, r.data) for r in rows])
                    last = rows[-1].seq
                try:
                    await self._prune(session, last)
                except Exception:  # the change is committed; pruning waits for the next write
                    log.warning("could not prune old events", exc_info=True)
            callbacks = session.info["after_commit"]
        for callback in callbacks:
            self.spawn(callback(), name="after-commit")

    async def _lock_data(self, session: AsyncSession, thread: str | None) -> None:
        """The data lock of a PostgreSQL write: exclusive, or shared plus the thread's own."""
        from agent_desktop.server.cluster import DATA_LOCK, THREAD_LOCK_CLASS

        if thread is None:
            await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": DATA_LOCK})
            return
        await session.execute(text("SELECT pg_advisory_xact_lock_shared(:key)"), {"key": DATA_LOCK})
        await session.execute(
            text("SELECT pg_advisory_xact_lock(:cls, hashtext(:thread))"),
            {"cls": THREAD_LOCK_CLASS, "thread": thread},
        )

    async def _number_events(self, session: AsyncSession, rows: list[EventRow]) -> None:
        """Insert this transaction's events with placeholder seqs; PostgreSQL numbers them while
        the transaction commits (the trigger of Alembic revision 3e1f5a9c0b27): under the
        instances' shared SEQ_LOCK, after the highest committed seq, with the NOTIFY that tells
        the other instances. The lock is held inside the COMMIT's one round trip: seq N commits
        before seq N + 1 is handed out, and a rollback leaves no hole."""
        table = EventRow.__table__
        stmt = insert(EventRow).values(
            seq=-func.nextval("agent_desktop_event_placeholder"),
            name=bindparam("event_name"),
            data=bindparam("event_data", type_=table.c.data.type),
            created_at=bindparam("event_at", type_=table.c.created_at.type),
        )
        await session.execute(
            stmt,
            [{"event_name": r.name, "event_data": r.data, "event_at": r.created_at} for r in rows],
        )

    def relay_ephemeral(self, sender: Subscriber, name: str, thread_id: str) -> None:
        """`typing` / `viewing` to the other agents' sockets, on every instance; never stored."""
        message = self.hub.relay_ephemeral(sender, name, thread_id)
        if self.cluster is not None:
            self.cluster.relay_ephemeral(message, sender.agent_id)

    def close_token(self, token_hash: str, reason: str = "") -> int:
        """Close the websockets opened with this token, on every instance, with `reason` (the
        code of why the session ended, sent as the close reason); returns how many were open on
        this one."""
        closed = self.hub.close_token(token_hash, reason=reason)
        if self.cluster is not None:
            self.cluster.close_token(token_hash, reason)
        return closed

    def on_wake(self, name: str, callback: Callable[[], None]) -> None:
        """`callback()` whenever some instance says `name` has work (`wake(name)`)."""
        if self.cluster is not None:
            self.cluster.on_wake(name, callback)
        else:
            self._wakers.setdefault(name, []).append(callback)

    def wake(self, name: str) -> None:
        if self.cluster is not None:
            self.cluster.wake(name)
        else:
            for callback in self._wakers.get(name, ()):
                callback()

    def run_job(self, name: str, factory: Callable[[], Coroutine[Any, Any, Any]]) -> None:
        """A job that must run once across instances (`cluster.JOBS`): on PostgreSQL on whichever
        instance holds its advisory lock (it moves when that instance dies); here otherwise."""
        if self.cluster is not None:
            self.cluster.run_job(name, factory)
        else:
            self.spawn(factory(), name=name)

    async def _prune(self, session: AsyncSession, last_seq: int) -> None:
        """Keep the last `event_retention` events (pruned in small batches)."""
        keep = max(1, self.config.event_retention)
        floor = last_seq - keep + 1  # the oldest seq to keep
        if self.min_seq and floor - self.min_seq < max(1, keep // 20):
            return
        async with session.begin():
            if self.min_seq == 0:
                low = (await session.execute(select(func.min(EventRow.seq)))).scalar()
                self.min_seq = int(low or 0)
            if self.min_seq and floor - self.min_seq >= max(1, keep // 20):
                await session.execute(delete(EventRow).where(EventRow.seq < floor))
                self.min_seq = floor

    async def load_min_seq(self) -> None:
        async with self.sessionmaker() as session:
            self.min_seq = int(
                (await session.execute(select(func.min(EventRow.seq)))).scalar() or 0
            )

    async def aclose(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)
        self.hub.close_all()
        await self.engine.dispose()


async def open_context(config: ServerConfig) -> ServerContext:
    """Connect to the configured database, create or migrate the schema, and build the context."""
    from agent_desktop.server.db import init_schema, make_engine, make_sessionmaker

    url = config.resolved_database_url()
    config.database_url = url
    engine = make_engine(url)
    try:
        await init_schema(engine)
    except BaseException:
        await engine.dispose()
        raise
    media = config.media_dir or (config.data_folder() / "media")
    media.mkdir(parents=True, exist_ok=True)
    from agent_desktop.server.cluster import default_instance_name

    ctx = ServerContext(
        engine=engine,
        sessionmaker=make_sessionmaker(engine),
        config=config,
        media_dir=media,
        instance=config.instance_name or default_instance_name(),
        hub=EventHub(config.ws_queue_limit),
    )
    try:
        await ctx.load_min_seq()
        if ctx.is_postgres:
            from agent_desktop.server.cluster import Cluster

            ctx.cluster = Cluster(ctx, url, ctx.instance)
            await ctx.cluster.start()
    except BaseException:
        await ctx.aclose()
        raise
    return ctx


@asynccontextmanager
async def opened_context(config: ServerConfig) -> AsyncIterator[ServerContext]:
    """`open_context` for one piece of work (an admin command, an import): closed when it ends."""
    ctx = await open_context(config)
    try:
        yield ctx
    finally:
        await ctx.aclose()
