"""A test that is also a benchmark scenario records a figure for tests/bench/run.py: when the
bench runs the test with BENCH_RECORD=<file>, `record_for_bench` adds {name: value} to that JSON
file; in the normal suite it does nothing (timings are never assertions there)."""

from __future__ import annotations

import json
import os
from pathlib import Path


def record_for_bench(name: str, value: float) -> None:
    target = os.environ.get("BENCH_RECORD")
    if not target:
        return
    path = Path(target)
    figures = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    figures[name] = value
    path.write_text(json.dumps(figures), encoding="utf-8")
