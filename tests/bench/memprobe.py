"""Where the client's memory goes: the memory figure's load (all threads, the 5,000-message
conversation scrolled back, the 20 conversations of 500), with the client's RSS after each
step and, at the end, its live objects by type and (with --trace) its Python allocations by line.

    .venv/bin/python tests/bench/memprobe.py [--shop DIR] [--trace] [--skip-long] [--json FILE]
        [--no-early] [--smaps FILE]

At the end it also counts the unreachable objects (frozen ones included: garbage alive when the
app froze its heap stays for good).

The seeded shop is kept in --shop (seeded once, ~1 minute) so that runs compare like with like.
RSS moves little with the machine's load, so this measures well on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import procstat  # noqa: E402
from harness import Child, Server, client_env, compile_app, log  # noqa: E402


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--shop", default=str(Path(tempfile.gettempdir()) / "agent-desktop-memprobe"))
    p.add_argument("--threads", type=int, default=10_000)
    p.add_argument("--trace", action="store_true", help="tracemalloc (slower, more RSS)")
    p.add_argument("--skip-long", action="store_true", help="not the 5,000-message conversation")
    p.add_argument("--scroll", action="store_true", help="scroll both lists as the bench does")
    p.add_argument("--medium", type=int, default=20, help="conversations of 500 to open")
    p.add_argument("--live", type=int, default=0, help="customer messages into 200 threads first")
    p.add_argument("--workday", action="store_true", help="the working day first")
    p.add_argument("--bench-order", action="store_true", help="live, burst, open, scroll first")
    p.add_argument("--trim", action="store_true", help="malloc_trim(0) at the end")
    p.add_argument("--json", default="", help="write the figures and statistics here")
    p.add_argument("--no-early", action="store_true", help="no statistics at the first page")
    p.add_argument("--smaps", default="", help="copy the client's /proc/PID/smaps here at the end")
    args = p.parse_args(argv)
    import shop

    base = Path(args.shop)
    meta = base / "shop.json"
    if not meta.exists():
        log(f"seeding {args.threads} threads in {base}")
        s = shop.build(base / "shop", args.threads)
        meta.write_text(
            json.dumps({"db": str(s.db_path), "long": s.long_thread, "medium": s.medium_threads})
        )
    info = json.loads(meta.read_text())
    compile_app()
    work = Path(tempfile.mkdtemp(prefix="memprobe-"))
    db = work / "bench.sqlite"
    for suffix in ("", "-wal", "-shm"):
        if Path(info["db"] + suffix).exists():
            shutil.copy(info["db"] + suffix, str(db) + suffix)
    os.environ["AGENT_DESKTOP_DATA_DIR"] = str(work / "bench-data")
    server = Server(f"sqlite+aiosqlite:///{db}", work)
    env = client_env(work / "client")
    if args.trace:
        env["PYTHONTRACEMALLOC"] = "1"
    client = Child([str(HERE / "client_driver.py"), server.url], env)
    steps: dict[str, float] = {}
    try:
        client.wait_event("first-paint", 120)
        steps["first paint"] = procstat.rss_mb(client.pid)
        client.call("loaded", timeout=120)
        early: dict = {}
        if not args.no_early:
            early = client.call("memstats", timeout=300, top=15)
            steps["first page (after memstats)"] = procstat.rss_mb(client.pid)
        client.call("complete", timeout=180)
        steps["all threads"] = procstat.rss_mb(client.pid)
        if args.bench_order:  # the memory figure's order: live, burst, open, scroll first
            import client_figures

            r = server.http.get("/api/v1/threads", params={"assignee": "any", "limit": 200})
            spread = [t["id"] for t in r.json()["items"]][20:]
            client_figures.figure_live(server, client, 1000)
            steps["after live"] = procstat.rss_mb(client.pid)
            client_figures.figure_burst(server, client, 2000, spread)
            steps["after burst"] = procstat.rss_mb(client.pid)
            client_figures.figure_open(server, client, info["long"], info["medium"][0], 5, 5000)
            steps["after open"] = procstat.rss_mb(client.pid)
            for view in ("conversation", "threads"):
                client_figures.figure_scroll(client, view, view, seconds=10.0)
            steps["after scroll"] = procstat.rss_mb(client.pid)
            args.skip_long = True
        if args.live:
            r = server.http.get("/api/v1/threads", params={"assignee": "any", "limit": 200})
            ids = [t["id"] for t in r.json()["items"]]
            for i in range(args.live):
                server.post(ids[i % len(ids)], f"bench-live {i} " + "word " * (i % 30))
            time.sleep(2.0)
            steps[f"{args.live} messages"] = procstat.rss_mb(client.pid)
        if not args.skip_long:
            client.call("open", thread_id=info["long"], newest=server.newest_id(info["long"]))
            client.call("scrollback", timeout=320, within=300)
            steps["5,000 scrolled back"] = procstat.rss_mb(client.pid)
            if args.scroll:
                client.call("scroll", view="conversation", seconds=10.0, timeout=200)
                client.call("scroll", view="threads", seconds=10.0, timeout=200)
                steps["scrolled both"] = procstat.rss_mb(client.pid)
        if args.workday:
            import workday

            r = server.http.get("/api/v1/threads", params={"assignee": "any", "limit": 200})
            spread = [t["id"] for t in r.json()["items"]][20:]
            workday.HOURS = 1
            workday.figure_workday(server, client, spread[:40], False)
            steps["workday hour 1"] = procstat.rss_mb(client.pid)
            first = client.call("memstats", timeout=300, top=400)
            steps["hour 1 (after memstats)"] = procstat.rss_mb(client.pid)
            workday.HOURS = 7
            fig = workday.figure_workday(server, client, spread[:40], False)
            for h, v in enumerate(fig.detail["rss_mb"]):
                steps[f"workday hour {h + 1}"] = v
            last = client.call("memstats", timeout=300, top=400)
            print("images", last.get("images"), "caches", last.get("caches"))
            print("hour 1 -> 8:")
            for key in ("malloc_mb", "pymalloc"):
                a, b = first.get(key, {}), last.get(key, {})
                print(" ", key, {k: round(b[k] - a[k], 2) for k in b if k in a and b[k] != a[k]})
            a_types, b_types = dict(first["types"]), dict(last["types"])
            moved = {t: b_types.get(t, 0) - a_types.get(t, 0) for t in set(a_types) | set(b_types)}
            for t, n in sorted(moved.items(), key=lambda kv: -abs(kv[1]))[:25]:
                print(f"  {n:+8,}  {t}")
            a_maps, b_maps = dict(first["smaps_kb"]), dict(last["smaps_kb"])
            for where in ("[heap]", "[anon]"):
                print(f"  {where} {(b_maps.get(where, 0) - a_maps.get(where, 0)) / 1024:+.1f} MB")
        for tid in info["medium"][: args.medium]:
            client.call("open", thread_id=tid, newest=server.newest_id(tid))
            client.call("scrollback", timeout=140, within=120)
        time.sleep(1.0)
        steps["20 conversations"] = procstat.rss_mb(client.pid)
        if args.smaps:
            shutil.copy(f"/proc/{client.pid}/smaps", args.smaps)
        stats = client.call("memstats", timeout=300)
        if args.trim:
            print("trim:", client.call("trim", timeout=60))
        steps["after memstats"] = procstat.rss_mb(client.pid)
    finally:
        client.stop()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    for k, v in steps.items():
        print(f"{k:>22}: {v:7.1f} MB")

    def brief(st: dict) -> str:
        m = st.get("malloc_mb", {})
        smaps = dict(st["smaps_kb"])
        return (
            f"malloc in use {m.get('uordblks', 0):.1f} free {m.get('fordblks', 0):.1f}"
            f" mmapped {m.get('hblkhd', 0):.1f}; [heap] {smaps.get('[heap]', 0) / 1024:.1f}"
            f" [anon] {smaps.get('[anon]', 0) / 1024:.1f} MB; py blocks {st['blocks']:,},"
            f" gc objects {st['gc_objects']:,}"
            + (f", traced {st['traced_mb']:.1f} MB" if "traced_mb" in st else "")
        )

    print("pymalloc first page:", {k: round(v, 2) for k, v in early.get("pymalloc", {}).items()})
    print("pymalloc end:", {k: round(v, 2) for k, v in stats.get("pymalloc", {}).items()})
    print("QPixmap/QImage held by Python, MB:", round(stats.get("pictures_mb", 0), 2))
    print("images", stats.get("images"), "caches", stats.get("caches"))
    if early:
        print("first page:", brief(early))
    print("end:       ", brief(stats))
    print("malloc (MB):", {k: round(v, 1) for k, v in stats.get("malloc_mb", {}).items()})
    print(
        f"gc objects {stats['gc_objects']:,} (frozen {stats['frozen']:,}), blocks {stats['blocks']:,},"
        f" unreachable {stats.get('garbage', 0):,}"
    )
    for name, n in stats["types"][:30]:
        print(f"  {n:>9,}  {name}")
    print("RSS by mapping:")
    for where, kb in stats["smaps_kb"][:25]:
        print(f"  {kb / 1024:7.1f} MB  {where}")
    if "by_line" in stats:
        print(f"traced {stats['traced_mb']:.1f} MB")
        for where, size, count in stats["by_file"][:25]:
            print(f"  {size / 2**20:7.2f} MB {count:>8,}  {where}")
        print("by line:")
        for where, size, count in stats["by_line"]:
            print(f"  {size / 2**20:7.2f} MB {count:>8,}  {where}")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"steps": steps, "early": early, "stats": stats}, indent=1)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
