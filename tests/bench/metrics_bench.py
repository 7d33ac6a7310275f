"""Metrics figure: one message applied to LiveMetrics (plus reading the result, as the dashboard
does) against compute_metrics over everything, with 50,000 openings in the 7-day window.
Prints one JSON object."""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

from agent_desktop.core.metrics import MetricMessage, MetricThread, compute_metrics
from agent_desktop.core.metrics_live import LiveMetrics


def shop(openings: int, now: datetime) -> list[MetricThread]:
    """Threads of five openings each (25 h apart), most answered by an agent within minutes."""
    rng = random.Random(3)
    threads = []
    per = 5
    for t in range(openings // per):
        msgs = []
        base = now - timedelta(days=6, hours=rng.random() * 12)
        for k in range(per):
            at = base + timedelta(hours=25 * k, minutes=rng.random() * 30)
            msgs.append(MetricMessage(at=at, author="customer"))
            if rng.random() < 0.9 and at + timedelta(minutes=20) < now:
                reply = at + timedelta(seconds=rng.randint(20, 1200))
                msgs.append(MetricMessage(at=reply, author="agent", agent_id=f"a{t % 8}"))
        threads.append(MetricThread(id=f"t{t}", messages=msgs))
    return threads


def main() -> int:
    openings = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    now = datetime.now(UTC).replace(microsecond=0)
    threads = shop(openings, now)
    full = []
    result = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = compute_metrics(threads, now=now)
        full.append(time.perf_counter() - t0)
    assert result is not None
    live = LiveMetrics()
    live.load(threads)
    live.result(now)
    one = []
    rng = random.Random(5)
    clock = now
    for i in range(200):
        clock += timedelta(milliseconds=300)
        tid = f"t{rng.randrange(len(threads))}"
        author = "customer" if i % 2 == 0 else "agent"
        msg = MetricMessage(
            at=clock, author=author, agent_id=None if author == "customer" else "a1"
        )
        t0 = time.perf_counter()
        live.add_message(tid, msg)
        live.result(clock)
        one.append(time.perf_counter() - t0)
    one.sort()
    print(
        json.dumps(
            {
                "openings": result.team.openings,
                "full_ms": statistics.median(full) * 1000,
                "one_ms_p50": statistics.median(one) * 1000,
                "one_ms_p99": one[int(len(one) * 0.99) - 1] * 1000,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
