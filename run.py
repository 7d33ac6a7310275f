#!/usr/bin/env python3
"""The project's one entry point for people: sets up `.venv` on first use, then runs a task.

    python3 run.py demo [ARGS...]    the desktop client on an embedded demo backend
    python3 run.py test [PYTEST ARGS] the whole test suite (offscreen)
    python3 run.py server [ARGS...]  the reference server alone
    python3 run.py bench [ARGS...]   the benchmarks (tests/bench/run.py)
    python3 run.py lint              ruff and mypy
    python3 run.py revision -m MSG   a new schema migration from the models (server/migrations)

Only the standard library is used here, so it runs on a machine that has nothing but Python 3.11.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("AGENT_DESKTOP_VENV", ROOT / ".venv"))
STAMP = VENV / ".agent-desktop-installed"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_env() -> Path:
    """Create the virtual environment and install the project when pyproject.toml changed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    py = venv_python()
    if py.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return py
    if not py.exists():
        print(f"Creating the virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing Agent Desktop and its test tools (first run only) ...", flush=True)
    subprocess.check_call([str(py), "-m", "pip", "install", "-q", "--upgrade", "pip"])
    subprocess.check_call([str(py), "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]"])
    STAMP.write_text(wanted)
    return py


def ensure_translations(py: str) -> None:
    """Compile the translations (.ts → .qm) that are missing or older than their source: the app
    loads the .qm and compiles nothing itself."""
    subprocess.check_call([py, str(ROOT / "packaging" / "translations.py"), "ensure"])


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    task, rest = argv[0], argv[1:]
    py = str(ensure_env())
    ensure_translations(py)
    env = dict(os.environ)
    if task == "demo":
        cmd = [py, "-m", "agent_desktop", "--demo", *rest]
    elif task == "server":
        cmd = [py, "-m", "agent_desktop.server", *rest]
    elif task == "test":
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        cmd = [py, "-m", "pytest", *rest]
    elif task == "revision":
        cmd = [py, "-m", "agent_desktop.server.revision", *rest]
    elif task == "bench":
        cmd = [py, str(ROOT / "tests" / "bench" / "run.py"), *rest]
    elif task == "lint":
        rc = subprocess.call([py, "-m", "ruff", "check", "."], cwd=ROOT)
        return rc or subprocess.call([py, "-m", "mypy", "agent_desktop"], cwd=ROOT)
    else:
        print(
            f"unknown task {task!r}; try: demo, test, server, bench, lint, revision",
            file=sys.stderr,
        )
        return 2
    return subprocess.call(cmd, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
