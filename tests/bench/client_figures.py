"""The figures measured on the real client (client_driver.py) against the bench's server: live
updates, a burst, opening and scrolling back a long conversation, scrolling at a steady pace,
memory and idle CPU. Each returns Figures of one run (harness.Figure).
"""

from __future__ import annotations

import json
import os
import re
import signal
import statistics
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import procstat
from harness import HERE, Child, Figure, Server, client_env, pct, profile

# CPU the client may spend on 1,000 events: at a steady 20 events/s (a busy shop's whole team at
# its peak), 1.5 s per 1,000 is 3 % of one core; a burst applied at once has no painting per
# event and no timers (see docs/PERFORMANCE.md).
CPU_LIVE_LIMIT_S = 1.5
CPU_BURST_LIMIT_S = 0.6


def created_ts(result: dict[str, Any]) -> float:
    return datetime.fromisoformat(result["message"]["created_at"]).timestamp()


def ws_rtt_baseline(count: int) -> list[float]:
    """Round trips of a small websocket message over loopback (websockets echo server)."""
    import asyncio

    import websockets
    from websockets.asyncio.server import serve

    async def echo(ws: Any) -> None:
        async for m in ws:
            await ws.send(m)

    async def main() -> list[float]:
        async with serve(echo, "127.0.0.1", 0) as srv:
            port = next(iter(srv.sockets)).getsockname()[1]
            async with websockets.connect(f"ws://127.0.0.1:{port}") as ws:
                out = []
                for i in range(count):
                    t0 = time.perf_counter()
                    await ws.send(json.dumps({"type": "event", "seq": i, "data": "x" * 600}))
                    await ws.recv()
                    out.append(time.perf_counter() - t0)
                    await asyncio.sleep(0.002)
                return out

    return asyncio.run(main())


class RawListener:
    """A bare websocket client on the same event stream (in a thread of the bench): when each
    bench-live message reached a socket that does nothing else. Its latency is the server's
    share of the client's (commit, push, loopback); the rest is the client's."""

    def __init__(self, server: Server) -> None:
        self.pattern = re.compile(r"bench-live (\d+)")
        self.url = server.url.replace("http", "ws", 1) + "/api/v1/events"
        self.token = str(server.http.headers["Authorization"]).removeprefix("Bearer ")
        self.seen: dict[int, float] = {}
        self.ready = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        if not self.ready.wait(30):
            raise RuntimeError("the raw websocket listener did not connect")

    def _run(self) -> None:
        import asyncio

        import websockets

        async def main() -> None:
            async with websockets.connect(self.url, max_size=None, ping_interval=None) as ws:
                hello = {"type": "hello", "token": self.token, "after": 10**12}
                await ws.send(json.dumps(hello))
                while not self.stop.is_set():
                    try:
                        raw = await asyncio.wait_for(ws.recv(), 0.2)
                    except TimeoutError:
                        continue
                    now = time.time()
                    text = raw if isinstance(raw, str) else raw.decode()
                    if '"ready"' in text[:40] or '"resync"' in text[:40]:
                        self.ready.set()
                        continue
                    m = self.pattern.search(text)
                    if m and '"message.created"' in text:
                        self.seen.setdefault(int(m.group(1)), now)

        asyncio.run(main())

    def close(self) -> dict[int, float]:
        self.stop.set()
        self.thread.join(5)
        return self.seen


def figure_live(server: Server, client: Child, events: int) -> list[Figure]:
    visible = client.call("visible")
    targets = visible[: max(1, len(visible) - 1)]
    rate = 20.0
    raw = RawListener(server)
    by_n: dict[int, float] = {}
    profile(client, "")
    created: dict[str, float] = {}
    cpu0 = client.call("cpu")
    t0 = time.perf_counter()
    for n in range(events):
        due = t0 + n / rate
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        res = server.post(targets[n % len(targets)], f"bench-live {n}")
        created[res["message"]["id"]] = by_n[n] = created_ts(res)
    time.sleep(1.0)
    cpu_s = client.call("cpu") - cpu0
    raw_seen = raw.close()
    # The figure starts at the commit (the definition): the server publishes the event
    # right after it, and the probe in server_probe.py notes when. `created_at` is stamped when
    # the transaction starts, before the server's own queries: from it, the same latencies are
    # kept below as created_* (a conservative upper bound).
    published = server.commits()
    committed = {m: published[m] for m in created if m in published}
    ids_by_n = {n: m for m, n in zip(created, by_n, strict=True)}
    server_lat = [
        (raw_seen[n] - committed[ids_by_n[n]]) * 1000
        for n in by_n
        if n in raw_seen and ids_by_n[n] in committed
    ]
    profile(client, "live")
    seen = client.call("paints")
    paints, applied = seen["painted"], seen["applied"]
    lat = [(paints[m] - t) * 1000 for m, t in committed.items() if m in paints]
    created_lat = [(paints[m] - t) * 1000 for m, t in created.items() if m in paints]
    pre_commit = [(committed[m] - t) * 1000 for m, t in created.items() if m in committed]
    first = min(created.values(), default=0.0)
    slowest = sorted(
        (
            round((paints[m] - t) * 1000, 1),  # committed -> painted
            round((applied[m] - t) * 1000, 1) if m in applied else None,  # -> in the store
            round(t - first, 2),  # seconds into the run
        )
        for m, t in committed.items()
        if m in paints
    )[::-1][:12]
    store_lat = [(applied[m] - t) * 1000 for m, t in committed.items() if m in applied]
    missing = len(created) - len(lat)
    rtt = [x * 1000 for x in ws_rtt_baseline(events)]
    p50, p99 = pct(lat, 0.5), pct(lat, 0.99)
    b99 = pct(rtt, 0.99)
    detail = {
        "events": events,
        "rows": len(targets),
        "p50_ms": p50,
        "p99_ms": p99,
        "missing": missing,
        "cpu_s": cpu_s,
        "store_applied_p50_ms": pct(store_lat, 0.5),
        "store_applied_p99_ms": pct(store_lat, 0.99),
        # the same messages at a bare websocket client: the server's part of the latency
        "raw_ws_p50_ms": pct(server_lat, 0.5),
        "raw_ws_p99_ms": pct(server_lat, 0.99),
        "raw_ws_missing": len(by_n) - len(server_lat),
        # from the server's created_at stamp (start of the transaction) instead of the commit
        "created_p50_ms": pct(created_lat, 0.5),
        "created_p99_ms": pct(created_lat, 0.99),
        "pre_commit_p50_ms": pct(pre_commit, 0.5),
        "pre_commit_p99_ms": pct(pre_commit, 0.99),
        "ws_rtt_p99_ms": b99,
        "slowest": slowest,  # (painted ms, applied ms, seconds into the run): the tail
    }
    return [
        Figure(
            "live_p99",
            "live update: commit → row repainted, p99",
            p99,
            "ms",
            15,
            text=f"p50 {p50:.1f} ms; a bare socket on the same server p99"
            f" {pct(server_lat, 0.99):.1f} ms; from created_at p99 {pct(created_lat, 0.99):.1f}"
            f" ms; ws round trip p99 {b99:.2f} ms",
            detail=detail,
        ),
        Figure(
            "live_lost",
            "live update: messages never painted",
            missing,
            "",
            0,
            digits=0,
            text=f"{len(lat)} of {len(created)} painted",
        ),
        Figure(
            "cpu_live",
            f"CPU per 1,000 events, live ({rate:.0f}/s, rows repainted)",
            cpu_s / events * 1000,
            "s",
            CPU_LIVE_LIMIT_S,
            digits=2,
            text=f"{cpu_s:.2f} s of CPU for {events} events over {events / rate:.0f} s"
            " (the 1 s timers included)",
        ),
    ]


def stall_after(gaps: list[list[float]], since: float) -> float:
    worst = 0.0
    for start, end in gaps:
        if end > since:
            worst = max(worst, end - max(start, since))
    return worst


def figure_burst(server: Server, client: Child, events: int, thread_ids: list[str]) -> list[Figure]:
    import asyncio

    client.call("burst", expect=events)
    client.call("probe", on=True)
    time.sleep(0.3)
    profile(client, "")
    os.kill(client.pid, signal.SIGSTOP)
    try:

        async def post_all() -> None:
            async with httpx.AsyncClient(
                base_url=server.url, headers=dict(server.http.headers), timeout=60
            ) as http:
                sem = asyncio.Semaphore(12)

                async def one(n: int) -> None:
                    async with sem:
                        r = await http.post(
                            "/api/v1/simulate/customer-message",
                            json={
                                "thread_id": thread_ids[n % len(thread_ids)],
                                "text": f"bench-burst {n}",
                            },
                        )
                        r.raise_for_status()

                await asyncio.gather(*(one(n) for n in range(events)))

        t_post = time.time()
        asyncio.run(post_all())
        post_s = time.time() - t_post
        time.sleep(0.5)  # the server has pushed them all into the client's socket
        cpu0 = procstat.cpu_seconds(client.pid)  # stopped: exact
    finally:
        t_cont = time.time()
        os.kill(client.pid, signal.SIGCONT)
    res = client.call("burst_result", timeout=60, within=30)
    time.sleep(0.3)
    profile(client, "burst")
    gaps = client.call("probe", on=False)
    applied = (res["done"] - t_cont) if res["done"] else float("inf")
    cpu_s = (res["cpu"] - cpu0) if res["cpu"] is not None else float("inf")
    stall = stall_after(gaps, t_cont) * 1000
    detail = {
        "seen": res["seen"],
        "posting_s": post_s,
        "applied_s": applied,
        "stall_ms": stall,
        "cpu_s": cpu_s,
        # the longest gaps of the probe after the resume: (start, end) in ms after it
        "gaps_ms": sorted(
            (
                (round((max(a, t_cont) - t_cont) * 1000), round((b - t_cont) * 1000))
                for a, b in gaps
                if b > t_cont
            ),
            key=lambda g: g[0] - g[1],
        )[:8],
    }
    return [
        Figure(
            "burst_applied",
            f"burst: {events:,} events at once, applied",
            applied,
            "s",
            2.0,
            digits=2,
            text=f"{res['seen']} of {events} in the store",
            detail=detail,
        ),
        Figure(
            "burst_stall",
            "burst: longest stall",
            stall,
            "ms",
            50,
            digits=0,
            text="gaps of a 5 ms timer after the resume, ms: "
            + ", ".join(f"{a}–{b}" for a, b in detail["gaps_ms"][:3]),
        ),
        Figure(
            "cpu_burst",
            "CPU per 1,000 events, burst (applied at once)",
            cpu_s / events * 1000,
            "s",
            CPU_BURST_LIMIT_S,
            digits=2,
            text=f"{cpu_s:.2f} s of CPU for {events} events",
        ),
    ]


def figure_open(
    server: Server,
    client: Child,
    long_thread: str,
    other: str,
    repeats: int,
    long_messages: int,
) -> list[Figure]:
    newest = server.newest_id(long_thread)
    other_newest = server.newest_id(other)
    opens, from_select = [], []
    profile(client, "")
    for _ in range(repeats):
        client.call("open", thread_id=other, newest=other_newest)
        r = client.call("open", thread_id=long_thread, newest=newest)
        if r["painted"] is None:
            raise RuntimeError("the newest message of the long conversation was never painted")
        opens.append((r["painted"] - r["opened"]) * 1000)
        from_select.append((r["painted"] - r["selected"]) * 1000)
    profile(client, "open")
    client.call("probe", on=True)
    profile(client, "")
    sb = client.call("scrollback", timeout=320, within=300)
    profile(client, "scrollback")
    gaps = client.call("probe", on=False)
    stall = max((e - s for s, e in gaps), default=0.0) * 1000
    v = statistics.median(opens)
    if sb["has_more"]:
        stall = float("inf")  # it never reached the first message
    return [
        Figure(
            "open",
            f"open {long_messages:,}-message conversation: newest page painted",
            v,
            "ms",
            50,
            digits=0,
            text=f"median of {repeats}: " + ", ".join(f"{x:.0f}" for x in opens) + " ms",
            detail={"open_ms": opens, "from_selection_ms": from_select},
        ),
        Figure(
            "scrollback_stall",
            "open: scroll-back to the first message, longest stall",
            stall,
            "ms",
            50,
            digits=0,
            text=f"{sb['pages']} pages in {sb['seconds']:.1f} s, {sb['rows']} rows",
            detail={"scrollback": sb, "stall_ms": stall},
        ),
    ]


def figure_scroll(client: Child, view: str, name: str, **pace: Any) -> Figure:
    """Scroll `view` ("threads" or "conversation") at a steady pace; the frame time of each
    step is the time from when the step was due to the end of the paint that showed it."""
    profile(client, "")
    r = client.call("scroll", timeout=180, view=view, **pace)
    profile(client, f"scroll_{view}")
    frames = r["frames_ms"]
    p99 = pct(frames, 0.99) if frames else float("inf")
    return Figure(
        f"scroll_{view}",
        name,
        p99,
        "ms",
        16,
        text=f"{len(frames)} frames in {r['seconds']:.1f} s ({r['pixels']:,} px),"
        f" p50 {pct(frames, 0.5):.1f} ms, longest {max(frames, default=0):.0f} ms,"
        f" {r['unpainted']} steps shown by a later frame",
        detail={k: v for k, v in r.items() if k != "frames_ms"} | {"slowest": sorted(frames)[-10:]},
    )


def figure_memory_idle(
    client: Child, server: Server, work: Path, medium: list[str], idle_s: float, threads: int
) -> list[Figure]:
    for tid in medium:
        client.call("open", thread_id=tid, newest=server.newest_id(tid))
        client.call("scrollback", timeout=140, within=120)
    time.sleep(1.0)
    bare = Child([str(HERE / "bare_qt.py")], client_env(work / "bare-idle"))
    bare.wait_event("first-paint", 60)
    time.sleep(2.0)
    rss_client, rss_bare = procstat.rss_mb(client.pid), procstat.rss_mb(bare.pid)
    c0, b0 = procstat.cpu_seconds(client.pid), procstat.cpu_seconds(bare.pid)
    t0 = time.time()
    time.sleep(idle_s)
    span = time.time() - t0
    cpu_client = (procstat.cpu_seconds(client.pid) - c0) / span * 100
    cpu_bare = (procstat.cpu_seconds(bare.pid) - b0) / span * 100
    bare.stop()
    ratio = rss_client / rss_bare
    return [
        Figure(
            "memory",
            f"memory: {threads:,} threads + {len(medium)} conversations of 500 (× bare Qt)",
            ratio,
            "×",
            2.6,
            digits=2,
            text=f"{rss_client:.0f} MB against {rss_bare:.0f} MB (bare QMainWindow)",
            detail={"rss_client_mb": rss_client, "rss_bare_mb": rss_bare},
        ),
        Figure(
            "idle",
            f"idle CPU over {idle_s:.0f} s, window shown (% of one core)",
            cpu_client,
            "%",
            2.0,
            digits=2,
            text=f"bare QMainWindow {cpu_bare:.2f} %",
            detail={"cpu_client_pct": cpu_client, "cpu_bare_pct": cpu_bare},
        ),
    ]
