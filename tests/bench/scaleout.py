"""Scale-out benchmark (issue 20): the live stream's fan-out with 3 instances on one PostgreSQL
behind nginx (TLS), beside 1 instance behind the same nginx, in the same run; then the throughput
ceiling of each (the write rate at which the p99 crosses 100 ms). Loopback only, bounded.

    .venv/bin/python tests/bench/scaleout.py [--sockets 1000] [--rate 100] [--seconds 60]
        [--agents 100] [--threads 200] [--ceiling 50,100,200,400] [--ceiling-seconds 10]
        [--json FILE]

Needs PostgreSQL (AGENT_DESKTOP_TEST_POSTGRES_URL, or a throw-away cluster is started with
tests/helpers/pgcluster.py) and nginx. For each setup: `--sockets` websockets through nginx
(signed in as the lead), customer messages at `--rate`/s through nginx, and `--agents` agents
adding notes (a quarter of the rate, spread over them), all spread over `--threads`
conversations (writes to one conversation follow each other; to different ones they overlap). Latency = the time a socket received a
message's `message.created` − its `created_at` (stamped by the server when the writing
transaction starts: the commit is inside it, so this is an upper bound of commit → delivery).
Every socket must receive every message once: lost and duplicated are counted. Each instance's
CPU (share of one core) and RSS, nginx's and the benchmark client's own CPU and the p99 lag of
its event loop (when the CPU nears 1.0 or the lag nears the latencies, the client, busy or
starved of CPU, is what limits the figure), and how often a writer waited on the seq lock
(PostgreSQL `pg_locks`, sampled every 50 ms) are printed with it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from tests.bench.procstat import cpu_seconds, rss_mb  # noqa: E402
from tests.helpers import pgcluster  # noqa: E402
from tests.helpers import postgres as pg  # noqa: E402
from tests.helpers.cluster import Cluster  # noqa: E402
from tests.helpers.dbquery import query  # noqa: E402

MARK = "bench-so "


@dataclass
class Socket:
    got: dict[int, float] = field(default_factory=dict)
    dupes: int = 0


async def socket_task(
    url: str, ssl: Any, token: str, after: int, sock: Socket, ready: list[int], stop: asyncio.Event
) -> None:
    async with connect(url, ssl=ssl, max_size=None, ping_interval=None, open_timeout=60) as ws:
        await ws.send(json.dumps({"type": "hello", "token": token, "after": after}))
        async for raw in ws:
            text = raw if isinstance(raw, str) else raw.decode()
            if text.startswith('{"type":"ready"') or '"type": "ready"' in text[:40]:
                ready.append(1)
                break
        while not stop.is_set():
            try:
                raw = await asyncio.wait_for(ws.recv(), 0.5)
            except TimeoutError:
                continue
            now = time.time()
            text = raw if isinstance(raw, str) else raw.decode()
            at = text.find(MARK)
            if at < 0 or "message.created" not in text[:120]:
                continue
            end = at + len(MARK)
            stop_at = end
            while stop_at < len(text) and text[stop_at].isdigit():
                stop_at += 1
            n = int(text[end:stop_at])
            if n in sock.got:
                sock.dupes += 1
            else:
                sock.got[n] = now


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(len(values) * p))] * 1000


async def new_threads(http: httpx.AsyncClient, count: int) -> list[str]:
    """`count` new conversations (a customer's first message each), 10 at a time."""
    ids: list[str] = []
    while len(ids) < count:
        batch = await asyncio.gather(
            *(
                http.post(
                    "/simulate/customer-message",
                    json={"customer_name": f"Bench {uuid.uuid4().hex[:8]}", "text": "Bonjour"},
                )
                for _ in range(min(10, count - len(ids)))
            )
        )
        ids += [b.raise_for_status().json()["thread"]["id"] for b in batch]
    return ids


async def measure(
    cluster: Cluster, sockets: int, rate: float, seconds: float, agents: int, threads: int
) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=cluster.api, verify=cluster.ssl, timeout=60) as http:
        r = await http.post("/auth/login", json={"email": "lead@demo.test", "password": "demo"})
        r.raise_for_status()
        token = r.json()["token"]
        r = await http.get(
            "/threads",
            params={"assignee": "any", "limit": 200},
            headers={"Authorization": f"Bearer {token}"},
        )
        thread_ids = [t["id"] for t in r.json()["items"]]
        thread_ids += await new_threads(http, threads - len(thread_ids))
        agent_tokens = await agent_logins(cluster, http, agents)
        after = int(query(cluster.database_url, "SELECT coalesce(max(seq), 0) FROM events")[0][0])
        socks = [Socket() for _ in range(sockets)]
        ready: list[int] = []
        stop = asyncio.Event()
        tasks = []
        for s in socks:  # open them a few at a time (the proxy and the instances accept them)
            tasks.append(
                asyncio.create_task(
                    socket_task(cluster.ws_url, cluster.ssl, token, after, s, ready, stop)
                )
            )
            if len(tasks) % 50 == 0:
                await asyncio.sleep(0.2)
        deadline = time.monotonic() + 120
        while len(ready) < sockets and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            for t in tasks:
                if t.done() and t.exception() is not None:
                    raise RuntimeError(f"a websocket failed: {t.exception()!r}")
        if len(ready) < sockets:
            raise RuntimeError(f"only {len(ready)} of {sockets} websockets became ready")
        pids = [p.proc.pid for p in cluster.instances if p.proc is not None]
        nginx_pid = cluster.nginx.proc.pid if cluster.nginx.proc is not None else 0
        cpu0 = {pid: cpu_seconds(pid) for pid in pids}
        client0 = sum(os.times()[:2])
        nginx_cpu0 = nginx_cpu(nginx_pid)
        waits: list[tuple[int, int]] = []
        sampling = asyncio.create_task(sample_lock_waits(cluster.database_url, waits, stop))
        lags: list[float] = []
        lagging = asyncio.create_task(loop_lag(lags, stop))
        created: dict[int, float] = {}
        errlog = cluster.nginx.workdir / "error.log"
        err0 = errlog.stat().st_size
        total = int(rate * seconds)
        t0 = time.perf_counter()
        run = uuid.uuid4().hex[:4]
        pending: set[asyncio.Task[None]] = set()

        failed: Counter[str] = Counter()  # requests not answered 2xx, by status (or error)

        async def customer(n: int) -> None:
            try:
                r = await http.post(
                    "/simulate/customer-message",
                    json={"thread_id": thread_ids[n % len(thread_ids)], "text": f"{MARK}{n} {run}"},
                )
            except httpx.HTTPError as exc:
                failed[type(exc).__name__] += 1
                return
            if r.status_code >= 300:
                failed[str(r.status_code)] += 1
                return
            created[n] = datetime.fromisoformat(r.json()["message"]["created_at"]).timestamp()

        async def note(n: int) -> None:
            # In another conversation than the customer message sent with it (the same one would
            # make every fourth message wait for a note's thread lock: not what agents do).
            tok = agent_tokens[n % len(agent_tokens)]
            try:
                r = await http.post(
                    f"/threads/{thread_ids[(n + len(thread_ids) // 2) % len(thread_ids)]}/messages",
                    json={"client_id": f"{run}-{n}", "text": f"note {n}", "kind": "note"},
                    headers={"Authorization": f"Bearer {tok}"},
                )
            except httpx.HTTPError as exc:
                failed[type(exc).__name__] += 1
                return
            if r.status_code >= 300:
                failed[str(r.status_code)] += 1

        for n in range(total):
            delay = t0 + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            task = asyncio.create_task(customer(n))
            pending.add(task)
            task.add_done_callback(pending.discard)
            if agent_tokens and n % 4 == 0:
                task = asyncio.create_task(note(n))
                pending.add(task)
                task.add_done_callback(pending.discard)
        await asyncio.gather(*pending)
        elapsed = time.perf_counter() - t0
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(len(s.got) < len(created) for s in socks):  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        wall = time.perf_counter() - t0
        cpu = {pid: (cpu_seconds(pid) - cpu0[pid]) / wall for pid in pids}
        nginx_share = (nginx_cpu(nginx_pid) - nginx_cpu0) / wall
        client_share = (sum(os.times()[:2]) - client0) / wall
        rss = {pid: rss_mb(pid) for pid in pids}
        stop.set()
        await asyncio.gather(*tasks, sampling, lagging, return_exceptions=True)
    lags.sort()
    latencies = sorted(s.got[n] - created[n] for s in socks for n in s.got if n in created)
    lost = sum(len(created) - len([n for n in s.got if n in created]) for s in socks)
    with errlog.open("rb") as f:
        f.seek(err0)
        upstream_errors = [
            line[line.find("[error]") :][:200]
            for line in f.read().decode("utf-8", "replace").splitlines()
            if "[error]" in line and "upstream" in line
        ]
    return {
        "instances": len(cluster.instances),
        "sockets": sockets,
        "rate_per_s": rate,
        "threads": len(thread_ids),
        "achieved_rate_per_s": round(total / elapsed, 1),
        "messages": total,
        "deliveries": len(latencies),
        "lost": lost,
        "duplicated": sum(s.dupes for s in socks),
        "failed_requests": dict(failed),
        "nginx_upstream_errors": len(upstream_errors),
        "nginx_first_error": upstream_errors[0] if upstream_errors else "",
        "p50_ms": round(pct(latencies, 0.50), 1),
        "p99_ms": round(pct(latencies, 0.99), 1),
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
        "instance_cpu": [round(c, 2) for c in cpu.values()],
        "instance_rss_mb": [round(m) for m in rss.values()],
        "nginx_cpu": round(nginx_share, 2),
        "bench_client_cpu": round(client_share, 2),
        # How late the client's own loop ran (a 10 ms sleep's overshoot): when its p99 nears the
        # latencies, the client (starved of CPU, or too busy) is what the figure measures.
        "bench_client_lag_p99_ms": round(pct(lags, 0.99), 1),
        "seq_lock_wait_share": round(sum(1 for w in waits if w[0]) / len(waits), 3) if waits else 0,
        "data_lock_wait_share": round(sum(1 for w in waits if w[1]) / len(waits), 3)
        if waits
        else 0,
    }


async def loop_lag(lags: list[float], stop: asyncio.Event) -> None:
    """How late this process's event loop wakes up from a 10 ms sleep, until `stop`."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        at = loop.time()
        await asyncio.sleep(0.01)
        lags.append(max(0.0, loop.time() - at - 0.01))


def nginx_cpu(master: int) -> float:
    """CPU seconds of nginx's master and workers."""
    total = 0.0
    for pid in [master, *children(master)]:
        with contextlib.suppress(OSError):
            total += cpu_seconds(pid)
    return total


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


async def sample_lock_waits(url: str, waits: list[tuple[int, int]], stop: asyncio.Event) -> None:
    """Every 50 ms: how many backends wait on the seq lock, and how many on the data or a
    thread's lock (server/cluster.py)."""
    import asyncpg

    from agent_desktop.server.cluster import SEQ_LOCK

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        while not stop.is_set():
            row = await conn.fetchrow(
                "SELECT count(*) FILTER (WHERE l.classid = $1 AND l.objid = $2 AND l.objsubid = 1),"
                " count(*) FILTER (WHERE NOT (l.classid = $1 AND l.objid = $2 AND l.objsubid = 1))"
                " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                " WHERE l.locktype = 'advisory' AND NOT l.granted"
                " AND a.datname = current_database()",
                (SEQ_LOCK >> 32) & 0xFFFFFFFF,
                SEQ_LOCK & 0xFFFFFFFF,
            )
            waits.append((int(row[0]), int(row[1])))
            await asyncio.sleep(0.05)
    finally:
        await conn.close()


async def agent_logins(cluster: Cluster, http: httpx.AsyncClient, agents: int) -> list[str]:
    """`agents` accounts written to the database, signed in; their tokens."""
    from agent_desktop.server.auth import hash_password

    digest = hash_password("demo")
    tokens = []
    for _ in range(agents):
        tag = uuid.uuid4().hex[:10]
        query(
            cluster.database_url,
            "INSERT INTO agents (id, email, name, role, password_hash, presence, created_at) "
            "VALUES (?, ?, ?, 'agent', ?, 'offline', timezone('utc', now()))",
            f"a_{tag}",
            f"bench-{tag}@demo.test",
            f"Bench {tag}",
            digest,
        )
        r = await http.post(
            "/auth/login", json={"email": f"bench-{tag}@demo.test", "password": "demo"}
        )
        r.raise_for_status()
        tokens.append(r.json()["token"])
    return tokens


def start_cluster(workdir: Path, instances: int) -> Cluster:
    url = pg.create_database("agent_desktop_bench")
    cluster = Cluster(
        workdir / f"x{instances}",
        url,
        instances=instances,
        args=("--allow-simulation", "--window-check-seconds", "0"),
    )
    return cluster.start()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {"fanout": [], "ceiling": []}
    with tempfile.TemporaryDirectory(prefix="bench-scaleout-") as tmp:
        work = Path(tmp)
        for instances in (1, 3):
            cluster = start_cluster(work, instances)
            try:
                figure = await measure(
                    cluster, args.sockets, args.rate, args.seconds, args.agents, args.threads
                )
                print(json.dumps({"figure": "fanout", **figure}), flush=True)
                results["fanout"].append(figure)
                for rate in args.ceiling:
                    step = await measure(
                        cluster, args.ceiling_sockets, rate, args.ceiling_seconds, 0, args.threads
                    )
                    print(json.dumps({"figure": "ceiling", **step}), flush=True)
                    results["ceiling"].append(step)
                    if step["p99_ms"] > 100 or step["achieved_rate_per_s"] < rate * 0.9:
                        break
            finally:
                cluster.stop()
                pg.drop_database(cluster.database_url)
    return results


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sockets", type=int, default=1000)
    p.add_argument("--rate", type=float, default=100.0, help="customer messages per second")
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--agents", type=int, default=100)
    p.add_argument(
        "--threads",
        type=int,
        default=200,
        help="conversations the writes are spread over (writes to one thread follow each other)",
    )
    p.add_argument(
        "--ceiling",
        type=lambda s: [float(x) for x in s.split(",") if x],
        default=[50.0, 100.0, 200.0, 400.0],
        help="write rates to step through (stops once p99 > 100 ms)",
    )
    p.add_argument("--ceiling-sockets", type=int, default=100)
    p.add_argument("--ceiling-seconds", type=float, default=10.0)
    p.add_argument("--json", type=Path, default=None, help="write the results here too")
    args = p.parse_args()
    if args.sockets > 2000 or args.seconds > 300:
        p.error("bounded: at most 2000 sockets and 300 s")
    own = None
    if not pg.ADMIN_URL:
        own = Path(tempfile.mkdtemp(prefix="bench-pg-"))
        pg.ADMIN_URL = pgcluster.start(own)
    try:
        results = asyncio.run(run(args))
    finally:
        if own is not None:
            pgcluster.stop(own)
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
