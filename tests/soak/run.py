"""Soak run: minutes of simulated traffic through a faulty link, then an exactly-once audit.

    python tests/soak/run.py [--minutes 10] [--quick] [--seed N]

A reference server (a subprocess, test seed) runs behind a loopback proxy. Customers write through
the simulate endpoint (straight to the server, as Messenger would); the client store (the app's
own ClientStore and connector) sends replies through its outbox and follows the event stream
through the proxy. Every few seconds a random fault strikes: the proxy cuts every connection,
black-holes traffic for a while, or adds latency; or the server is SIGKILLed and restarted on the
same database. At the end the faults stop, the outbox drains, and the server is audited over HTTP:
every reply sent exactly once, every customer message the server acknowledged still there once,
the store's threads equal to the server's. Prints the counts and the client's memory (RSS) at
start and end; exits 1 on any duplicate or loss, a diverging store, or RSS growth over 5 %.
Not part of the normal test suite.

The client (store, connector, the agent's replies) runs in this process on the app's qasync loop;
everything else (server control, proxy, customers, chaos) runs in a child process, so the memory
measured is the client's own (a server restart polled from a thread here cost ~2.7 MB of RSS
that had nothing to do with the client).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, deque
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

MAX_GROWTH = 0.05


def rss_bytes() -> int:
    """The process's resident memory now (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def http_pool(backend: Any) -> str:
    """The connector's HTTP connection pool: connections held (a leak shows here first)."""
    pool = getattr(getattr(backend._http, "_transport", None), "_pool", None)
    if pool is None:
        return "pool ?"
    names = {0: "new", 1: "active", 2: "idle", 3: "closed"}
    states = Counter(
        "connecting"
        if c._connection is None
        else names.get(getattr(getattr(c._connection, "_state", None), "value", -1), "other")
        for c in pool.connections
    )
    return f"pool {len(pool.connections)} connections {dict(states)}"


def heap() -> str:
    """Where the memory is: Python's live blocks, and the C heap in use vs. free but kept (glibc's
    mallinfo2; free-but-kept memory is fragmentation, not a leak)."""
    from tests.helpers.mallinfo import mallinfo

    text = f"python blocks {sys.getallocatedblocks()}"
    info = mallinfo()
    if info is not None:
        text += f", C heap {mb(info['uordblks'] + info['hblkhd'])} used, {mb(info['fordblks'])} free"
    return text


def mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


class RecentLog(logging.Handler):
    """Counts the client's warnings and errors and keeps the last few (a bounded buffer)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0
        self.lines: deque[str] = deque(maxlen=20)

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        line = f"{record.levelname} {record.name}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            line += f" [{type(record.exc_info[1]).__name__}: {record.exc_info[1]}]"
        self.lines.append(line)


class World:
    """Everything but the client, in a process of its own (so the client's memory is measured
    alone): the reference server (its subprocess), the faulty proxy, the customers, the chaos.

    Steered over a pipe: it sends ("ready", info) once up; on "stop" the faults stop, the link is
    healed and the server is up again, and it answers ("stopped", stats); on "exit" it ends."""

    def __init__(self, seed: int, workdir: Path, conn: Connection) -> None:
        from tests.helpers.faults import FaultProxy
        from tests.helpers.server_fixtures import ServerProcess

        self.conn = conn
        self.rng = random.Random(seed)
        self.server = ServerProcess(workdir / "server", ("--seed-test",))
        self.server.start()
        self.proxy = FaultProxy("127.0.0.1", self.server.port)
        self.proxy.start()
        self.threads: list[str] = []
        self.customer_ids: list[str] = []  # message ids the server acknowledged (201)
        self.customer_failures = 0
        self.faults: Counter[str] = Counter()
        self.stop = asyncio.Event()

    async def receive(self) -> Any:
        while not self.conn.poll():  # noqa: ASYNC110 - a pipe, polled without a thread
            await asyncio.sleep(0.1)
        return self.conn.recv()

    async def run(self) -> None:
        async with httpx.AsyncClient(timeout=5.0) as http:
            for i in range(6):
                r = await http.post(
                    f"{self.server.api}/simulate/customer-message",
                    json={"customer_name": f"Client Soak {i}", "text": "Bonjour !"},
                )
                r.raise_for_status()
                self.threads.append(r.json()["thread"]["id"])
                self.customer_ids.append(r.json()["message"]["id"])
            self.conn.send(
                (
                    "ready",
                    {"proxy": self.proxy.url, "server": self.server.url, "threads": self.threads},
                )
            )
            tasks = [asyncio.create_task(self.customers(http)), asyncio.create_task(self.chaos())]
            await self.receive()  # "stop"
            self.stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            # Calm after the storm: the link is healthy and the server up; let everything land.
            self.proxy.delay(0)
            self.proxy.resume()
            if not self.server.running:
                await asyncio.to_thread(self.server.start)
        stats = {
            "faults": dict(self.faults),
            "customer_ids": self.customer_ids,
            "customer_failures": self.customer_failures,
        }
        self.conn.send(("stopped", stats))
        await self.receive()  # "exit"
        self.proxy.stop()
        self.server.stop()

    async def customers(self, http: httpx.AsyncClient) -> None:
        n = 0
        while not self.stop.is_set():
            thread_id = self.rng.choice(self.threads)
            n += 1
            try:
                r = await http.post(
                    f"{self.server.api}/simulate/customer-message",
                    json={"thread_id": thread_id, "text": f"Client soak {n}"},
                )
                if r.status_code == 201:
                    self.customer_ids.append(r.json()["message"]["id"])
                else:
                    self.customer_failures += 1
            except httpx.HTTPError:
                self.customer_failures += 1  # the server is down: Messenger would retry
            await asyncio.sleep(self.rng.uniform(0.15, 0.5))

    async def chaos(self) -> None:
        while not self.stop.is_set():
            await asyncio.sleep(self.rng.uniform(2.0, 5.0))
            if self.stop.is_set():
                return
            fault = self.rng.choice(["cut", "black-hole", "delay", "kill", "cut-mid-send"])
            self.faults[fault] += 1
            if fault == "cut":
                self.proxy.cut()
            elif fault == "black-hole":
                self.proxy.pause()
                await asyncio.sleep(self.rng.uniform(0.5, 3.0))
                self.proxy.resume()
            elif fault == "delay":
                self.proxy.delay(self.rng.uniform(0.05, 0.3))
                await asyncio.sleep(self.rng.uniform(1.0, 3.0))
                self.proxy.delay(0)
            elif fault == "cut-mid-send":
                self.proxy.cut_request_mid_frame(b"POST /api/v1/threads/")
            else:
                await asyncio.to_thread(self.server.kill)
                await asyncio.sleep(self.rng.uniform(0.2, 1.5))
                await asyncio.to_thread(self.server.start)


def world_main(seed: int, workdir: str, conn: Connection) -> None:
    """The world process's entry point."""
    logging.basicConfig(level=logging.CRITICAL)
    asyncio.run(World(seed, Path(workdir), conn).run())


class Soak:
    """The client side: the app's ClientStore and connector, an agent replying, the audit."""

    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.rng = random.Random(args.seed + 1)
        self.duration = args.minutes * 60.0
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.world = context.Process(
            target=world_main, args=(args.seed, str(workdir), child), name="soak-world"
        )
        self.world.start()
        self.threads: list[str] = []
        self.sent: list[str] = []  # client ids of the replies queued
        self.customer_ids: list[str] = []  # message ids the server acknowledged (201)
        self.customer_failures = 0
        self.created_seen: Counter[str] = Counter()  # message id -> messageCreated emissions
        self.faults: Counter[str] = Counter()
        self.lives = 0
        self._last_state = ""
        self.stop = asyncio.Event()
        self.rss_start = 0
        self.rss_end = 0
        self.server_url = ""
        self.log = RecentLog()
        client_log = logging.getLogger("agent_desktop")
        client_log.addHandler(self.log)
        client_log.setLevel(logging.WARNING)
        client_log.propagate = False

    async def receive(self, expected: str, within: float) -> Any:
        deadline = time.monotonic() + within
        while not self.conn.poll():
            if time.monotonic() > deadline or not self.world.is_alive():  # a pipe: polled
                raise RuntimeError(f"the world process did not send {expected!r}")
            await asyncio.sleep(0.1)
        kind, payload = self.conn.recv()
        assert kind == expected, kind
        return payload

    async def agent(self, store: Any) -> None:
        from agent_desktop.store.state_db import StorageError

        n = 0
        opened_at = 0.0
        while not self.stop.is_set():
            now = time.monotonic()
            if now - opened_at > 30:  # the agent moves on to another conversation now and then
                opened_at = now
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(store.open_thread(self.rng.choice(self.threads)), 10)
            n += 1
            try:
                entry = await store.send(self.rng.choice(self.threads), f"Réponse soak {n}")
                self.sent.append(entry.client_id or "")
            except StorageError as exc:
                print(f"  storage error: {exc}", flush=True)
            await asyncio.sleep(self.rng.uniform(0.2, 0.6))

    # -- the run ---------------------------------------------------------------------------

    async def run(self) -> int:
        from agent_desktop.backends.agent_api import AgentApiBackend
        from agent_desktop.store.client_store import ClientStore
        from tests.helpers.server_fixtures import AGENT_EMAIL, PASSWORD

        world = await self.receive("ready", 180)
        self.threads = world["threads"]
        self.server_url = world["server"]
        backend = AgentApiBackend(
            world["proxy"],
            retries=2,
            retry_base=0.1,
            reconnect_base=0.2,
            reconnect_cap=2.0,
            timeout=5.0,
            ping_interval=2.0,
            ping_timeout=3.0,
        )
        await backend.login(AGENT_EMAIL, PASSWORD)
        store = ClientStore(backend, agent_key=AGENT_EMAIL, send_retry_base=0.2, send_retry_cap=2.0)
        store.messageCreated.connect(lambda _tid, message: self.created_seen.update([message.id]))
        store.connectionChanged.connect(self._on_connection)
        await store.start()
        start = time.monotonic()
        agent = asyncio.create_task(self.agent(store))
        warmup = min(60.0, self.duration * 0.1)
        await asyncio.sleep(warmup)
        gc.collect()
        self.rss_start = rss_bytes()
        if self.args.trace_memory:
            tracemalloc.start(10)
            first = tracemalloc.take_snapshot()
        next_report = 60.0
        while time.monotonic() - start < self.duration:
            await asyncio.sleep(1.0)
            elapsed = time.monotonic() - start
            if elapsed >= next_report:  # once a minute
                next_report += 60.0
                print(
                    f"  {elapsed / 60:4.1f} min: {len(self.sent)} sent, "
                    f"{len(store.outbox())} in the outbox, RSS {mb(rss_bytes())}, "
                    f"{heap()}, {http_pool(store.backend)}",
                    flush=True,
                )
        self.stop.set()
        await asyncio.gather(agent, return_exceptions=True)
        self.conn.send("stop")
        stats = await self.receive("stopped", 120)
        self.faults.update(stats["faults"])
        self.customer_ids = stats["customer_ids"]
        self.customer_failures = stats["customer_failures"]
        deadline = time.monotonic() + 90
        while (store.outbox() or store.connection.state != "live") and (  # noqa: ASYNC110
            time.monotonic() < deadline
        ):
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)  # the last events reach the store
        gc.collect()
        self.rss_end = rss_bytes()
        if self.args.trace_memory:
            growth = tracemalloc.take_snapshot().compare_to(first, "lineno")
            print("  memory growth by line (tracemalloc):")
            for stat in growth[:15]:
                print(f"    {stat}")
        return await self.audit(store)

    def _on_connection(self, info: Any) -> None:
        if info.state == "live" and self._last_state != "live":
            self.lives += 1
        self._last_state = info.state

    async def audit(self, store: Any) -> int:
        from agent_desktop.backends.agent_api import AgentApiBackend
        from tests.helpers.server_fixtures import LEAD_EMAIL, PASSWORD

        reference = AgentApiBackend(self.server_url, timeout=10.0)
        await reference.login(LEAD_EMAIL, PASSWORD)
        try:
            client_ids: Counter[str] = Counter()
            message_ids: Counter[str] = Counter()
            for thread_id in self.threads:
                before: str | None = None
                while True:
                    page = await reference.messages(thread_id, before=before, limit=200)
                    for m in page.items:
                        message_ids[m.id] += 1
                        if m.client_id:
                            client_ids[m.client_id] += 1
                    if not page.has_more or not page.items:
                        break
                    before = page.items[-1].id
            server_threads: dict[str, Any] = {}
            cursor: str | None = None
            while True:
                tpage = await reference.threads(limit=200, cursor=cursor)
                server_threads.update((t.id, t.model_dump(mode="json")) for t in tpage.items)
                cursor = tpage.next_cursor
                if not cursor:
                    break
        finally:
            await reference.aclose()
        ours = {k: v.thread().model_dump(mode="json") for k, v in store.threads.items()}
        store_equal = ours == server_threads
        delivered = sum(1 for cid in self.sent if client_ids[cid] >= 1)
        duplicated = sum(1 for cid in self.sent if client_ids[cid] > 1)
        duplicated += sum(1 for n in message_ids.values() if n > 1)
        duplicated += sum(1 for n in self.created_seen.values() if n > 1)
        lost = sum(1 for cid in self.sent if client_ids[cid] == 0)
        lost += sum(1 for mid in self.customer_ids if message_ids[mid] == 0)
        unsent = len(store.outbox())
        stuck = Counter((row.state, row.error, row.attempts > 0) for row in store.outbox())
        growth = (self.rss_end - self.rss_start) / self.rss_start if self.rss_start else 0.0
        reconnects = max(0, self.lives - 1)

        print(f"soak: {self.args.minutes:g} min, seed {self.args.seed}")
        print(f"  faults injected:      {sum(self.faults.values())} {dict(self.faults)}")
        print(f"  replies sent:         {len(self.sent)}")
        print(f"  replies delivered:    {delivered}")
        print(
            f"  customer messages:    {len(self.customer_ids)} acknowledged, "
            f"{self.customer_failures} refused while the server was down"
        )
        print(f"  duplicated:           {duplicated}")
        print(f"  lost:                 {lost}")
        print(f"  still in the outbox:  {unsent} {dict(stuck) if stuck else ''}")
        print(f"  connection at the end: {store.connection.state}")
        print(f"  reconnects:           {reconnects}")
        print(f"  duplicate events skipped by the store: {store.duplicates_skipped}")
        print(f"  store equals server:  {store_equal}")
        print(
            f"  client RSS:           {mb(self.rss_start)} -> {mb(self.rss_end)} "
            f"({growth * 100:+.1f} %, limit +{MAX_GROWTH * 100:.0f} %)"
        )
        print(f"  HTTP connection pool: {http_pool(store.backend)}")
        print(f"  heap at the end:      {heap()}")
        self.report_stuck(store)
        await store.close()
        await store.backend.aclose()
        ok = duplicated == 0 and lost == 0 and unsent == 0 and store_equal
        ok = ok and growth <= MAX_GROWTH
        print("soak: PASS" if ok else "soak: FAIL", flush=True)
        return 0 if ok else 1

    def report_stuck(self, store: Any) -> None:
        """For each row still in the outbox: is a delivery task alive, and where does it wait?"""
        print(f"  client warnings and errors: {self.log.count}")
        rows = store.outbox()
        if not rows:
            return
        print(f"  stuck rows: {len(rows)}; delivery tasks alive: {len(store.delivery._deliveries)}")
        for row in rows[:5]:
            task = store.delivery._deliveries.get(row.client_id)
            print(f"    {row.client_id} {row.state} attempts={row.attempts} task={task!r}")
            if task is not None:
                task.print_stack(limit=30, file=sys.stdout)
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        print(f"  other asyncio tasks: {len(others)}")
        for task in others[:10]:
            print(f"    {task.get_name()}")
        for line in self.log.lines:
            print(f"    {line}")

    def close(self) -> None:
        """End the world process (it stops the proxy and the server)."""
        if self.world.is_alive():
            with contextlib.suppress(OSError):
                self.conn.send("exit")
            self.world.join(30)
        if self.world.is_alive():
            self.world.kill()
            self.world.join(5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long (default 10)")
    parser.add_argument("--quick", action="store_true", help="one minute (development)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: time)")
    parser.add_argument(
        "--trace-memory", action="store_true", help="print where memory grew (tracemalloc)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.minutes = 1.0
    if args.seed is None:
        args.seed = int(time.time())
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.CRITICAL)
    with tempfile.TemporaryDirectory(prefix="agent-desktop-soak-") as tmp:
        work = Path(tmp)
        os.environ["AGENT_DESKTOP_DATA_DIR"] = str(work / "data")
        os.environ["AGENT_DESKTOP_CONFIG_DIR"] = str(work / "config")
        import keyring

        from tests.helpers.memkeyring import MemoryKeyring

        keyring.set_keyring(MemoryKeyring())
        import qasync
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication([])
        loop = qasync.QEventLoop(app)  # the app's loop: Qt events (deleteLater) and asyncio as one
        soak = Soak(args, work)
        try:
            return loop.run_until_complete(soak.run())
        finally:
            soak.close()
            loop.close()


if __name__ == "__main__":
    sys.exit(main())
