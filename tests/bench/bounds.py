"""Two figures that used to be timing assertions in the suite, measured by running the tests as
scenarios: the window never freezes on hostile text (a 100,000-character message, NUL, markup),
and the OpenAPI fuzz of every operation ends in time. The tests keep what they check; the timings
are judged here (tests/helpers/bench_record.py carries the stall out of the test)."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from harness import PY, Figure, log

ROOT = Path(__file__).resolve().parents[2]

HOSTILE = (
    "tests/reliability/test_hostile_text.py::"
    "test_hostile_text_is_literal_fetches_nothing_and_never_freezes"
)
FUZZ = "tests/reliability/test_openapi_fuzz.py::test_every_operation_survives_schemathesis"


def suite_test(node: str, work: Path) -> tuple[bool, float, dict[str, Any]]:
    """Run one test of the suite: passed or not, its wall time, and the figures it recorded."""
    work.mkdir(parents=True, exist_ok=True)
    record = work / f"record-{node.split('::')[-1]}.json"
    record.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    env["BENCH_RECORD"] = str(record)
    t0 = time.perf_counter()
    out = subprocess.run(
        [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", node],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    seconds = time.perf_counter() - t0
    recorded = json.loads(record.read_text()) if record.exists() else {}
    if out.returncode != 0:
        log(out.stdout[-2000:])
    return out.returncode == 0, seconds, recorded


def figures_bounds(work: Path) -> list[Figure]:
    ok, _, rec = suite_test(HOSTILE, work)
    stall = float(rec.get("hostile_text_longest_stall_s", float("nan"))) if ok else float("nan")
    hostile = Figure(
        "hostile_text_stall",
        "hostile text shown: longest stall of the loop",
        stall,
        "s",
        3.0,
        digits=2,
        text="" if ok else "the test failed",
        detail=rec,
    )
    ok, seconds, _ = suite_test(FUZZ, work)
    fuzz = Figure(
        "openapi_fuzz_seconds",
        "OpenAPI fuzz of every operation (schemathesis)",
        seconds if ok else float("nan"),
        "s",
        150,
        digits=0,
        text="" if ok else "the test failed",
        detail={"seconds": seconds},
    )
    return [hostile, fuzz]
