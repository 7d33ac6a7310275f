"""Run a piece of Python in a fresh interpreter (offscreen, the source tree first on the path) and
read what it printed last as JSON: for tests of what a process imports or builds from its start,
which a test inside pytest's own process, with everything already imported, cannot see."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, stdin: str | None = None) -> Any:
    """`code`'s last printed line, decoded as JSON; fails the test with the child's errors when
    it exits with an error."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", code],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])
