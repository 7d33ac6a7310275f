"""Several equal instances of the server on one PostgreSQL database (docs/DEPLOY.md).

Everything rests on PostgreSQL itself:

- **One gap-free seq in commit order.** A write transaction (`ServerContext.write`) writes its
  data, then inserts its events with placeholder seqs (negative); a deferred constraint trigger
  (Alembic revision 3e1f5a9c0b27) numbers them while the transaction commits: it takes the
  transaction-scoped advisory lock `SEQ_LOCK`, gives each event the highest committed seq + 1 and
  sends the NOTIFY. The lock is held from there to the end of the commit, inside the one round
  trip of the COMMIT, so seq N commits before seq N + 1 is handed out (a client resuming with
  `after` can never skip an event that commits late) and a rollback leaves no hole.
- **Writers of the data** are serialized by the database too, before that: `DATA_LOCK` taken
  exclusively by a write that may touch anything, or shared together with its thread's own lock
  (`THREAD_LOCK_CLASS`, hashtext(thread id)) by a write of one conversation (a message, a status,
  an assignment, a read mark), so writes to different threads overlap and writes to one thread
  follow each other. Locks are always taken in the order DATA_LOCK, thread, SEQ_LOCK: no
  deadlock between them.
- **Fan-out.** The NOTIFY (`agent_desktop_events`, the new seq) is delivered at the commit.
  Every instance LISTENs; its `Fanout` reads the events after the last seq it pushed from the
  table, in order, and hands them to its own hub, so each socket gets each event once, in order.
  NOTIFYs that arrive while a read runs are served together by the next read (one query per
  instance for a burst, not one per commit), a NOTIFY of an event already pushed costs nothing
  (an instance's own commits, read for their writer), each read is one round trip on the
  reader's own connection, and each event is serialized once per instance. The instance that
  wrote waits, right after its commit, for a read that began after it.
- **Signals** between instances travel as `NOTIFY agent_desktop_signals` with a JSON payload,
  never stored: ephemeral `typing` / `viewing` with their message, "close the sockets of this
  token" (logout), and wake-ups that tell the other instances there is work (a webhook to
  process, a send to claim).
- **A lost LISTEN connection** is reconnected with a growing pause, and the fan-out catches up
  from the last seq it pushed. A periodic check (`HEALTH_SECONDS`) also catches a connection that
  died silently.
- **Singleton jobs** (`LeaderJob`) run on whichever instance holds their session-level advisory
  lock; when that instance dies, PostgreSQL frees the lock with its connection and another
  instance takes the job within `JOB_RETRY_SECONDS`.

SQLite keeps the single-process path: no `Cluster`, the hub is fed directly, jobs just run.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from agent_desktop.core.retry import RetryPolicy
from agent_desktop.server.hub import PublishedEvent
from agent_desktop.server.models import EventRow

if TYPE_CHECKING:
    from agent_desktop.server.context import ServerContext

log = logging.getLogger(__name__)

EVENTS_CHANNEL = "agent_desktop_events"
SIGNALS_CHANNEL = "agent_desktop_signals"
# Advisory lock keys: pg_advisory_xact_lock(SEQ_LOCK) for event writers, and the two-key form
# (JOB_LOCK_CLASS, job number) for the singleton jobs (pg_locks shows them as classid/objid).
SEQ_LOCK = 0x4147_4453_5345_5121  # "AGDSSEQ!"
DATA_LOCK = 0x4147_4453_4441_5441  # "AGDSDATA": exclusive, or shared with a thread's own lock
THREAD_LOCK_CLASS = 0x4147_4454  # "AGDT": (THREAD_LOCK_CLASS, hashtext(thread id))
JOB_LOCK_CLASS = 0x4147_4453  # "AGDS"
JOBS = {
    "reply-windows": 1,
    "demo-simulator": 2,
    "messenger-inbox": 3,
    "shopify-inbox": 4,
    "shopify-reconcile": 5,
    "medusa-sync": 6,
}

HEALTH_SECONDS = 2.0  # how often the LISTEN connection is checked (and missed events looked for)
HEALTH_TIMEOUT = 5.0
RECONNECT_FIRST = 0.2  # seconds before reconnecting a lost connection, doubling up to ...
RECONNECT_MAX = 5.0
RECONNECT = RetryPolicy(base=RECONNECT_FIRST, cap=RECONNECT_MAX, jitter=0.0)
JOB_RETRY_SECONDS = 1.0  # how often an instance without a job tries to take it
READ_BATCH = 500
# The fan-out's one statement (the events table's JSON column comes back as its text).
READ_TIMEOUT = 30.0  # a read that takes longer is given up, on a new connection
READ_QUERY = "SELECT seq, name, data::text FROM events WHERE seq > $1 ORDER BY seq LIMIT $2"
SIGNAL_QUEUE = 1000  # signals waiting to be sent; more are dropped (typing, viewing, wake-ups)


def default_instance_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def asyncpg_dsn(url: str) -> str:
    """The SQLAlchemy URL as a DSN for asyncpg itself (the LISTEN and job connections)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def connect(url: str, purpose: str, instance: str) -> Any:
    import asyncpg

    return await asyncpg.connect(
        asyncpg_dsn(url),
        server_settings={"application_name": f"agent-desktop {purpose} {instance}"[:63]},
    )


class Fanout:
    """Hands committed events to this instance's hub strictly in seq order, each once.

    One reader per instance. Everything that may mean new events (this instance's own commit, the
    health check, a reconnect) asks for a *round* (`request`), and so does a NOTIFY (`notice`)
    of an event not pushed yet; requests that arrive while a round runs are served together by
    the next one, so a burst of NOTIFYs costs one read, not one each. A NOTIFY of an event that a
    round has pushed meanwhile needs no read at all: seqs commit in order, so when `last` has
    reached it, it and everything before it are pushed (this is what an instance's own commits'
    NOTIFYs find: their writer's round read them). A round reads every event after the last seq
    pushed (all that is committed when its query starts, in seq order, `READ_BATCH` at a time) in
    one round trip on the reader's own connection (no pool, no transaction: one statement), and
    the hub serializes each event once for all of this instance's sockets. The database round
    trip is never made while anything else waits on a lock: `sync()` callers just wait for the
    round that began after them.
    """

    def __init__(self, ctx: ServerContext, url: str = "", instance: str = "") -> None:
        self.ctx = ctx
        self.url = url or ctx.config.database_url
        self.instance = instance or default_instance_name()
        self.last = 0  # the last seq handed to the hub
        self.reads = 0  # queries run (each returns up to READ_BATCH events)
        self.rounds = 0  # rounds completed
        self.covered = 0  # NOTIFYs that needed no read of their own (already pushed)
        self._asked = 0  # the latest request's ticket
        self._served = 0  # every ticket up to this one is served
        self._announced = 0  # the highest seq a NOTIFY announced
        self._kick = asyncio.Event()
        self._round_done: asyncio.Future[None] | None = None
        self._conn: Any = None  # the reader's own connection (asyncpg), opened on first use

    async def start(self) -> None:
        """Live events start after what is committed now (sockets replay the rest)."""
        async with self.ctx.sessionmaker() as session:
            top = (await session.execute(select(func.max(EventRow.seq)))).scalar()
        self.last = int(top or 0)
        self._round_done = asyncio.get_running_loop().create_future()
        self.ctx.spawn(self._run(), name="cluster-fanout")

    def request(self) -> int:
        """Ask for a read of what is committed from now on; the ticket `sync` waits for."""
        self._asked += 1
        self._kick.set()
        return self._asked

    def notice(self, seq: int) -> None:
        """A NOTIFY: event `seq` has committed. Read unless it is pushed already."""
        if seq <= self.last:
            self.covered += 1
            return
        self._announced = max(self._announced, seq)
        self._kick.set()

    async def sync(self) -> int:
        """Return once a round that began after this call has pushed what is committed now (a
        writer's own events, right after its commit); the last seq pushed. When the database
        cannot be read within `HEALTH_TIMEOUT` it returns anyway: the events are committed, and the
        reader pushes them as soon as it can read again."""
        ticket = self.request()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(HEALTH_TIMEOUT):
                while self._served < ticket:
                    assert self._round_done is not None
                    await asyncio.shield(self._round_done)
        return self.last

    async def _run(self) -> None:
        try:
            while True:
                await self._kick.wait()
                self._kick.clear()
                ticket = self._asked  # requests made before this point are served by this round
                if ticket == self._served and self._announced <= self.last:
                    self.covered += 1  # only NOTIFYs of events the last round pushed
                    continue
                try:
                    await self._read()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    log.warning("could not read the events after seq %s: %s", self.last, exc)
                    await asyncio.sleep(RECONNECT_FIRST)
                    self._kick.set()  # try again
                    continue
                self.rounds += 1
                self._served = ticket
                done = self._round_done
                self._round_done = asyncio.get_running_loop().create_future()
                if done is not None:
                    done.set_result(None)
        finally:
            await self._disconnect()

    async def _read(self) -> None:
        """Push every event committed after `last`, in seq order."""
        while True:
            rows = await self._fetch(self.last)
            if not rows:
                return
            if rows[0].seq != self.last + 1:
                self._lost(self.last + 1)
            self.ctx.hub.publish(rows)
            self.last = rows[-1].seq
            if len(rows) < READ_BATCH:
                return  # all that was committed when the query started

    async def _fetch(self, after: int) -> list[PublishedEvent]:
        """Up to READ_BATCH events after `after`, in seq order: one statement (prepared once) on
        the reader's own connection, opened again after a failure."""
        self.reads += 1
        try:
            if self._conn is None or self._conn.is_closed():
                self._conn = await connect(self.url, "fanout", self.instance)
            rows = await self._conn.fetch(READ_QUERY, after, READ_BATCH, timeout=READ_TIMEOUT)
        except BaseException:
            conn, self._conn = self._conn, None
            if conn is not None:
                conn.terminate()  # in an unknown state: the next read opens another
            raise
        return [PublishedEvent(r[0], r[1], json.loads(r[2])) for r in rows]

    async def _disconnect(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and not conn.is_closed():
            try:
                await asyncio.shield(conn.close(timeout=2))
            except BaseException:
                conn.terminate()

    def _lost(self, seq: int) -> None:
        """Events this instance never pushed are gone (pruned while it lagged): every socket
        must resync, so close them (the clients reconnect and are told to resync)."""
        log.warning("events from seq %s were pruned before they were pushed: closing sockets", seq)
        self.ctx.hub.close_all(1012)


async def keep_connected(
    url: str,
    purpose: str,
    instance: str,
    use: Callable[[Any, Callable[[], None]], Awaitable[None]],
    on_lost: Callable[[Exception, float], None],
) -> None:
    """Until cancelled: open a connection for `purpose` and run `use(conn, connected)` on it.

    When the connection (or `use`) fails, `on_lost(exc, delay)` is told, and the next connection is
    opened after `delay`: RECONNECT_FIRST doubling up to RECONNECT_MAX, back to the first once
    `use` calls `connected()`. When `use` returns, a new connection is opened at once. The
    connection is closed every time.
    """
    attempt = 0

    def connected() -> None:
        nonlocal attempt
        attempt = 0

    while True:
        conn = None
        try:
            conn = await connect(url, purpose, instance)
            await use(conn, connected)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            delay = RECONNECT.delay(attempt)
            attempt += 1
            on_lost(exc, delay)
            await asyncio.sleep(delay)
        finally:
            if conn is not None:
                with contextlib.suppress(Exception):
                    await asyncio.shield(conn.close(timeout=2))


class LeaderJob:
    """A job that must run on exactly one instance: the holder of its advisory lock."""

    def __init__(
        self,
        cluster: Cluster,
        name: str,
        factory: Callable[[], Coroutine[Any, Any, Any]],
    ) -> None:
        self.cluster = cluster
        self.name = name
        self.number = JOBS[name]
        self.factory = factory
        self.running = False

    async def run(self) -> None:
        """Until cancelled: take the lock when it is free, run the job while it is held."""

        async def hold(conn: Any, connected: Callable[[], None]) -> None:
            connected()
            await self._take_lock(conn)
            await self._lead(conn)

        def lost(exc: Exception, _delay: float) -> None:
            log.warning("job %s: database connection lost (%s)", self.name, exc)

        await keep_connected(
            self.cluster.url, f"job {self.name}", self.cluster.instance, hold, lost
        )

    async def _take_lock(self, conn: Any) -> None:
        """Return once this connection holds the job's lock (tried every JOB_RETRY_SECONDS)."""
        query = "SELECT pg_try_advisory_lock($1, $2)"
        while True:
            if await conn.fetchval(query, JOB_LOCK_CLASS, self.number):
                return
            await asyncio.sleep(JOB_RETRY_SECONDS)

    async def _lead(self, conn: Any) -> None:
        """Run the job while the lock's connection lives; cancel it the moment it is lost."""
        log.info("instance %s now runs %s", self.cluster.instance, self.name)
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _c: lost.set())
        job = asyncio.create_task(self.factory(), name=self.name)
        watch = asyncio.create_task(lost.wait())
        self.running = True
        try:
            while True:
                done, _ = await asyncio.wait(
                    {job, watch}, timeout=HEALTH_SECONDS, return_when=asyncio.FIRST_COMPLETED
                )
                if job in done:
                    if not job.cancelled() and job.exception() is not None:
                        log.error("job %s failed", self.name, exc_info=job.exception())
                    return  # the lock goes with the connection; the job starts again
                if watch in done:
                    raise ConnectionError("the lock's connection closed")
                async with asyncio.timeout(HEALTH_TIMEOUT):
                    await conn.fetchval("SELECT 1")
        finally:
            self.running = False
            for task in (job, watch):
                task.cancel()
            with contextlib.suppress(BaseException):
                await asyncio.gather(job, watch, return_exceptions=True)


class Cluster:
    """This instance's part in a PostgreSQL deployment: LISTEN, fan-out, signals, leader jobs."""

    def __init__(self, ctx: ServerContext, url: str, instance: str) -> None:
        self.ctx = ctx
        self.url = url
        self.instance = instance
        self.fanout = Fanout(ctx, url, instance)
        self.jobs: dict[str, LeaderJob] = {}
        self.listening = asyncio.Event()
        self.reconnects = 0
        self.notified = 0  # NOTIFYs of new events received
        self._wakers: dict[str, list[Callable[[], None]]] = {}
        self._outgoing: asyncio.Queue[str] = asyncio.Queue(SIGNAL_QUEUE)

    async def start(self) -> None:
        await self.fanout.start()
        self.ctx.spawn(self._listen(), name="cluster-listen")
        self.ctx.spawn(self._send(), name="cluster-notify")

    # --- singleton jobs ---

    def run_job(self, name: str, factory: Callable[[], Coroutine[Any, Any, Any]]) -> LeaderJob:
        job = LeaderJob(self, name, factory)
        self.jobs[name] = job
        self.ctx.spawn(job.run(), name=f"leader-{name}")
        return job

    # --- signals between instances ---

    def on_wake(self, name: str, callback: Callable[[], None]) -> None:
        self._wakers.setdefault(name, []).append(callback)

    def wake(self, name: str) -> None:
        """Tell every instance (this one too) that `name` has work."""
        for callback in self._wakers.get(name, ()):
            callback()
        self._signal("wake", n=name)

    def relay_ephemeral(self, message: dict[str, Any], sender_agent_id: str) -> None:
        """A typing/viewing message for the other instances' sockets."""
        self._signal("ephemeral", a=sender_agent_id, m=message)

    def close_token(self, token_hash: str, reason: str = "") -> None:
        """Close the sockets opened with this token on the other instances (a logout, a revoked
        token), with `reason` (why the session ended, accounts.ENDED). Losing this signal is
        safe: every request with the token is refused anyway, and each instance's session sweep
        closes sockets whose token stopped working."""
        self._signal("close", t=token_hash, r=reason)

    def _signal(self, kind: str, **data: Any) -> None:
        payload = json.dumps({"o": self.instance, "k": kind, **data})
        with contextlib.suppress(asyncio.QueueFull):  # nothing durable rides on a signal
            self._outgoing.put_nowait(payload)

    async def _send(self) -> None:
        """Send queued signals, a batch per transaction (delivered at its commit)."""
        from sqlalchemy import text

        while True:
            batch = [await self._outgoing.get()]
            while not self._outgoing.empty() and len(batch) < 100:
                batch.append(self._outgoing.get_nowait())
            try:
                async with self.ctx.engine.connect() as conn:
                    for payload in batch:
                        await conn.execute(
                            text("SELECT pg_notify(:channel, :payload)"),
                            {"channel": SIGNALS_CHANNEL, "payload": payload},
                        )
                    await conn.commit()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("could not signal the other instances (%d lost): %s", len(batch), exc)

    # --- LISTEN ---

    def _on_event(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        """An event committed (the payload is its seq): one read gets it with any others
        announced meanwhile, none when it is pushed already (Fanout.notice)."""
        self.notified += 1
        try:
            seq = int(payload)
        except ValueError:
            self.fanout.request()  # not ours to parse: read anyway
            return
        self.fanout.notice(seq)

    def _on_signal(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            data = json.loads(payload)
            if data["o"] == self.instance:
                return
            kind = data["k"]
            if kind == "ephemeral":
                self.ctx.hub.relay_message(data["m"], skip_agent_id=str(data["a"]))
            elif kind == "close":
                self.ctx.hub.close_token(str(data["t"]), reason=str(data.get("r") or ""))
            elif kind == "wake":
                for callback in self._wakers.get(str(data["n"]), ()):
                    callback()
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed signal from another instance")

    async def _listen(self) -> None:
        await keep_connected(self.url, "listen", self.instance, self._hear, self._deaf)

    async def _hear(self, conn: Any, connected: Callable[[], None]) -> None:
        """LISTEN on `conn` until it is lost; announce what committed meanwhile."""
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _c: lost.set())
        await conn.add_listener(EVENTS_CHANNEL, self._on_event)
        await conn.add_listener(SIGNALS_CHANNEL, self._on_signal)
        self.listening.set()
        connected()
        # What committed while this instance was not listening (none at the first start).
        self.fanout.request()
        for callbacks in self._wakers.values():
            for callback in callbacks:
                callback()
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(HEALTH_SECONDS):
                    await lost.wait()
            if lost.is_set():
                raise ConnectionError("the LISTEN connection closed")
            if await self._top(conn) > self.fanout.last:
                self.fanout.request()  # a notification lost on the way: catch up anyway

    def _deaf(self, exc: Exception, delay: float) -> None:
        self.listening.clear()
        self.reconnects += 1
        log.warning("LISTEN connection lost (%s); reconnecting in %.1f s", exc, delay)

    async def _top(self, conn: Any) -> int:
        async with asyncio.timeout(HEALTH_TIMEOUT):
            return int(await conn.fetchval("SELECT coalesce(max(seq), 0) FROM events"))
