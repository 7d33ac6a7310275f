#!/usr/bin/env python3
"""Agent Desktop benchmarks: start the real reference server on a large demo shop, measure the
real client against it (in child processes, so CPU and memory are the client's own), and compare
each figure with its target and with a baseline measured in the same run.

    python tests/bench/run.py [--runs N] [--quick] [--json] [--only NAMES] [--strict]

Every figure is measured in N runs (default 3; 1 with --quick), each on a fresh copy of the same
shop; the table gives the median and the worst of the N, and a figure passes only when its worst
meets the target ("thin" when it does with less than a 15 % margin). Exits 1 when a target is
missed (with --strict, also when a margin is thin). Everything it writes goes into one temporary
folder, removed at the end (--keep keeps it). See docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VENV_PY = ROOT / ".venv" / "bin" / "python"

try:
    import httpx  # noqa: F401
    import websockets  # noqa: F401
except ImportError:  # started with a Python that lacks the project's dependencies
    if VENV_PY.exists() and Path(sys.executable).resolve() != VENV_PY.resolve():
        os.execv(str(VENV_PY), [str(VENV_PY), __file__, *sys.argv[1:]])
    raise

sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import bounds  # noqa: E402
import client_figures  # noqa: E402
import harness  # noqa: E402
import workday  # noqa: E402
from harness import PY, Child, Figure, Figures, Server, client_env, log  # noqa: E402

FIGURES = "start,metrics,live,burst,open,scroll,memory,workday,fanout,bounds"


def start_client(server: Server, folder: Path) -> Child:
    return Child([str(HERE / "client_driver.py"), server.url], client_env(folder))


def figure_start(server: Server, work: Path, repeats: int) -> Figure:
    base, client = [], []
    for i in range(repeats):
        bare = Child([str(HERE / "bare_qt.py")], client_env(work / f"bare{i}"))
        base.append(bare.wait_event("first-paint", 60)["t"] - bare.t0)
        bare.stop()
        c = start_client(server, work / f"start{i}")
        client.append(c.wait_event("first-paint", 120)["t"] - c.t0)
        c.stop()
        log(f"start {i + 1}/{repeats}: bare {base[-1]:.3f} s, client {client[-1]:.3f} s")
    b, v = statistics.median(base), statistics.median(client)
    return Figure(
        "start",
        "start → first page painted (× bare Qt)",
        v / b,
        "×",
        3.0,
        digits=2,
        text=f"median of {repeats}: {v:.2f} s against {b:.2f} s for a bare QMainWindow",
        detail={"client_s": client, "bare_s": base},
    )


def figure_metrics(openings: int) -> list[Figure]:
    out = subprocess.run(
        [PY, str(HERE / "metrics_bench.py"), str(openings), "3"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    r = json.loads(out.stdout)
    speed = r["full_ms"] / r["one_ms_p99"]
    return [
        Figure(
            "metrics_p99",
            f"metrics: one event, {r['openings']:,} openings, p99",
            r["one_ms_p99"],
            "ms",
            1.0,
            digits=3,
            text=f"p50 {r['one_ms_p50']:.3f} ms",
            detail=r,
        ),
        Figure(
            "metrics_speed",
            "metrics: faster than recomputing everything (p99)",
            speed,
            "×",
            50,
            higher_is_better=True,
            digits=0,
            text=f"full recomputation {r['full_ms']:.0f} ms",
        ),
    ]


def figure_fanout(server: Server, clients: int, seconds: float) -> list[Figure]:
    out = subprocess.run(
        [PY, str(HERE / "fanout.py"), server.url, str(clients), "50", str(seconds)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    r = json.loads(out.stdout)
    return [
        Figure(
            "fanout_p99",
            f"server fan-out: {clients} websockets, 50 msg/s, p99",
            r["p99_ms"],
            "ms",
            50,
            text=f"p50 {r['p50_ms']:.1f} ms",
            detail=r,
        ),
        Figure(
            "fanout_lost",
            "server fan-out: events lost",
            r["lost"],
            "",
            0,
            digits=0,
            text=f"{clients} sockets",
        ),
    ]


def copy_database(source: Path, target: Path) -> str:
    """A fresh copy of the seeded shop for one run (every run starts from the same data)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return f"sqlite+aiosqlite:///{target}"


def one_run(args: argparse.Namespace, shop: Any, work: Path, n: int) -> list[Figure]:
    q = args.quick
    only = set(filter(None, args.only.split(",")))

    def want(name: str) -> bool:
        return not only or name in only

    folder = work / f"run{n}"
    server = Server(copy_database(shop.db_path, folder / "bench.sqlite"), folder)
    figures: list[Figure] = Figures()
    client: Child | None = None
    try:
        if want("start"):
            figures.append(figure_start(server, folder, 2 if q else 5))
        if want("metrics"):
            log("metrics")
            figures += figure_metrics(10_000 if q else 50_000)
        r = server.http.get("/api/v1/threads", params={"assignee": "any", "limit": 200})
        spread = [t["id"] for t in r.json()["items"]][20:]
        if only & {"live", "burst", "open", "scroll", "memory"} or not only:
            client = start_client(server, folder / "client")
            client.wait_event("first-paint", 120)
            loaded = client.call("loaded", timeout=120)
            # The figures below are about a client that has its threads: the 49 pages after the
            # first load in the background for several seconds after the first paint, and the
            # live figure started during that load measured the load's stalls too.
            complete = client.call("complete", timeout=180)
            log(f"client loaded {loaded}, then all threads {complete}")
            if want("live"):
                log("live updates")
                figures += client_figures.figure_live(server, client, 200 if q else 1000)
            if want("burst"):
                log("burst")
                figures += client_figures.figure_burst(server, client, 500 if q else 2000, spread)
            if want("open") or want("scroll"):
                log("open a long conversation")
                opened = client_figures.figure_open(
                    server,
                    client,
                    shop.long_thread,
                    shop.medium_threads[0],
                    3 if q else 5,
                    1000 if q else 5000,
                )
                if want("open"):
                    figures += opened
            if want("scroll"):
                log("scrolling at a steady pace")
                seconds = 5.0 if q else 10.0
                figures.append(
                    client_figures.figure_scroll(
                        client,
                        "conversation",
                        f"scroll the {1000 if q else 5000:,}-message conversation, p99 frame",
                        seconds=seconds,
                    )
                )
                figures.append(
                    client_figures.figure_scroll(
                        client,
                        "threads",
                        f"scroll the {2000 if q else 10_000:,}-thread list, p99 frame",
                        seconds=seconds,
                    )
                )
            if want("memory"):
                log("memory and idle")
                figures += client_figures.figure_memory_idle(
                    client,
                    server,
                    folder,
                    shop.medium_threads,
                    10 if q else 30,
                    2000 if q else 10_000,
                )
            client.stop()
            client = None
        if want("workday"):
            log("a working day, compressed")
            client = start_client(server, folder / "workday")
            client.wait_event("first-paint", 120)
            client.call("loaded", timeout=120)
            client.call("complete", timeout=180)
            figures.append(workday.figure_workday(server, client, spread[:40], q))
            client.stop()
            client = None
        if want("fanout"):
            log("fan-out")
            figures += figure_fanout(server, 20 if q else 100, 5 if q else 10)
        if want("bounds"):
            log("bounds: hostile text, OpenAPI fuzz")
            figures += bounds.figures_bounds(folder / "bounds")
    finally:
        if client is not None:
            client.stop()
        server.stop()
    return figures


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--quick", action="store_true", help="a smaller shop, fewer repetitions, one run"
    )
    p.add_argument("--runs", type=int, default=0, help="runs (default 3; 1 with --quick)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--profile", default="", help="write pyinstrument profiles of the client here")
    p.add_argument("--only", default="", help=f"comma-separated, of: {FIGURES}")
    p.add_argument(
        "--strict", action="store_true", help="exit 1 also when a figure has less than 15 %% margin"
    )
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = p.parse_args(argv)
    unknown = set(filter(None, args.only.split(","))) - set(FIGURES.split(","))
    if unknown:
        p.error(f"unknown figures: {', '.join(sorted(unknown))} (known: {FIGURES})")
    runs = args.runs or (1 if args.quick else 3)
    harness.PROFILE_DIR[:] = [args.profile] if args.profile else []

    import shop

    work = Path(tempfile.mkdtemp(prefix="agent-desktop-bench-"))
    # Whatever the bench itself writes (the demo seed's pictures, ...) goes in there too, not
    # into the user's data folder; every process it starts has its own folders below it.
    os.environ["AGENT_DESKTOP_DATA_DIR"] = str(work / "bench-data")
    os.environ["AGENT_DESKTOP_CONFIG_DIR"] = str(work / "bench-config")
    threads = 2000 if args.quick else 10_000
    commit = harness.commit()
    report: dict[str, Any] = {"machine": harness.machine(), "commit": commit, "runs": []}
    grouped: list[harness.Row] = []
    try:
        log(f"seeding a shop of {threads} threads in {work}")
        s = shop.build(
            work / "shop",
            threads,
            long_messages=1000 if args.quick else 5000,
            medium=3 if args.quick else 20,
        )
        harness.compile_app()
        all_figures: list[list[Figure]] = []
        for n in range(1, runs + 1):
            started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
            load0, t0 = os.getloadavg()[0], time.time()
            log(f"run {n} of {runs} (load average {load0:.2f})")
            figures = one_run(args, s, work, n)
            all_figures.append(figures)
            report["runs"].append(
                {
                    "started": started,
                    "load_start": load0,
                    "load_end": os.getloadavg()[0],
                    "seconds": time.time() - t0,
                    "figures": [harness.as_json(f) for f in figures],
                }
            )
        grouped = harness.rows(all_figures)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    report["summary"] = [
        {
            "key": r.first.key,
            "name": r.first.name,
            "median": r.median,
            "worst": r.worst,
            "limit": r.first.limit,
            "margin": r.margin,
            "verdict": r.verdict,
        }
        for r in grouped
    ]
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"Machine: {report['machine']}; commit {commit}")
        print(harness.run_lines(report["runs"]))
        print(harness.table(grouped, runs))
    missed = any(r.verdict == "MISS" for r in grouped)
    thin = any(r.verdict == "thin" for r in grouped)
    return 1 if missed or (args.strict and thin) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
