"""What every figure of the benchmarks shares: the measured child processes (the client driver,
the bare Qt baseline), the reference server under measurement, one run's figures, and the table
of N runs (median and worst of each figure, judged on the worst).
"""

from __future__ import annotations

import json
import os
import queue
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PY = sys.executable
# A figure passes when its worst run meets the target; it has its margin when the worst is at
# least this far inside it (issue 22: ordinary noise on a shared 2-core machine must not flip it).
MARGIN = 0.15
PROFILE_DIR: list[str] = []
COMPILED: list[bool] = []  # the app's bytecode was compiled for this run (see compile_app)


def log(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p))] if s else float("nan")


@dataclass
class Figure:
    """One figure of one run: a number judged against a limit (`value <= limit`, or `>=` when
    `higher_is_better`), what it was in words, and the raw detail (for --json)."""

    key: str  # the same across runs: the figures of N runs are grouped by it
    name: str
    value: float
    unit: str  # "×", "ms", "s", "%", "MB" or "" (a count)
    limit: float
    higher_is_better: bool = False
    digits: int = 1
    text: str = ""  # this run's measurement in words (percentiles, baseline, ...)
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return meets(self.value, self.limit, self.higher_is_better)

    def show(self, value: float | None = None) -> str:
        return show(self.value if value is None else value, self.unit, self.digits)

    def target(self) -> str:
        return f"{'≥' if self.higher_is_better else '≤'} {show(self.limit, self.unit, self.digits)}"


def meets(value: float, limit: float, higher_is_better: bool) -> bool:
    if value != value:  # NaN: nothing measured
        return False
    return value >= limit if higher_is_better else value <= limit


def margin_limit(f: Figure) -> float:
    return f.limit / (1 - MARGIN) if f.higher_is_better else f.limit * (1 - MARGIN)


def show(value: float, unit: str, digits: int) -> str:
    if value != value:
        return "–"
    if value == float("inf"):
        return "∞"
    number = f"{value:,.{digits}f}"
    if unit in ("", "×"):
        return f"{number}{unit}"
    return f"{number} {unit}"


def client_env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        AGENT_DESKTOP_DATA_DIR=str(folder / "data"),
        AGENT_DESKTOP_CONFIG_DIR=str(folder / "config"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        PYTHONPATH=str(ROOT),
    )
    if COMPILED:
        # The app as installed: its modules' bytecode is there (pip and the frozen build compile
        # it), as the dependencies' is. Under PYTHONDONTWRITEBYTECODE=1 (set in some shells and
        # CI images) every measured start compiled the app's ~100 modules from source.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_app() -> None:
    """Compile the app's modules (and this folder's) to bytecode, in their __pycache__ folders
    (ignored by git; Python checks each against its source), before anything is measured."""
    subprocess.run(
        [PY, "-m", "compileall", "-q", str(ROOT / "agent_desktop"), str(HERE)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    COMPILED[:] = [True]


class Child:
    """A measured child process speaking JSON lines (client_driver.py or bare_qt.py)."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.t0 = time.time()
        self.proc = subprocess.Popen(
            [PY, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL if "bare_qt" in args[0] else None,
            env=env,
            text=True,
            cwd=ROOT,
        )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("{"):
                self.lines.put(json.loads(line))

    def wait_event(self, ev: str, timeout: float) -> dict[str, Any]:
        deadline = time.time() + timeout
        while True:
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError(f"no {ev!r} from the child within {timeout} s")
            try:
                item = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if item.get("ev") == "error":
                raise RuntimeError(item["error"])
            if item.get("ev") == ev:
                return item

    def call(self, cmd: str, timeout: float = 60, **args: Any) -> Any:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"cmd": cmd, "args": args}) + "\n")
        self.proc.stdin.flush()
        while True:
            item = self.wait_event("done", timeout)
            if item["cmd"] == cmd:
                return item["result"]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def profile(client: Child, name: str) -> None:
    """With --profile DIR: start a profile of the client (name empty) or write DIR/name.txt."""
    if PROFILE_DIR:
        path = str(Path(PROFILE_DIR[0]) / f"{name}.txt") if name else ""
        client.call("profile", path=path)


class Server:
    """The reference server (with the publish probe of server_probe.py) on a bench database."""

    def __init__(self, db_url: str, folder: Path) -> None:
        from agent_desktop.loopback import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.commits_file = folder / "commits.json"
        env = dict(
            os.environ,
            PYTHONPATH=str(ROOT),
            AGENT_DESKTOP_DATA_DIR=str(folder / "srv"),
            AGENT_DESKTOP_CONFIG_DIR=str(folder / "srv-config"),
            BENCH_COMMITS_FILE=str(self.commits_file),
        )
        self.proc = subprocess.Popen(
            [
                PY,
                str(HERE / "server_probe.py"),
                "--demo",
                "--simulate",
                "0",
                "--allow-simulation",
                "--window-check-seconds",
                "0",
                "--event-retention",
                "100000",
                "--port",
                str(self.port),
                "--database",
                db_url,
            ],
            stdout=subprocess.PIPE,
            stderr=None,
            env=env,
            text=True,
            cwd=ROOT,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if "listening" not in line:
            raise RuntimeError(f"the server did not start: {line!r}")
        self.http = httpx.Client(base_url=self.url, timeout=30)
        r = self.http.post(
            "/api/v1/auth/login", json={"email": "lead@demo.test", "password": "demo"}
        )
        r.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {r.json()['token']}"

    def post(
        self, thread_id: str | None, text: str, customer_name: str | None = None
    ) -> dict[str, Any]:
        """A customer message (into `thread_id`, or from a new customer `customer_name`)."""
        body: dict[str, Any] = {"text": text}
        if thread_id:
            body["thread_id"] = thread_id
        if customer_name:
            body["customer_name"] = customer_name
        r = self.http.post("/api/v1/simulate/customer-message", json=body)
        r.raise_for_status()
        return r.json()  # type: ignore[no-any-return]

    def commits(self) -> dict[str, float]:
        """Bench message id -> when the server published its event, right after the commit."""
        self.commits_file.unlink(missing_ok=True)
        os.kill(self.proc.pid, signal.SIGUSR1)
        deadline = time.time() + 10
        while not self.commits_file.exists():
            if time.time() > deadline:
                raise RuntimeError("the server did not write its commit times")
            time.sleep(0.02)
        return json.loads(self.commits_file.read_text())  # type: ignore[no-any-return]

    def newest_id(self, thread_id: str) -> str:
        r = self.http.get(f"/api/v1/threads/{thread_id}/messages", params={"limit": 1})
        r.raise_for_status()
        return str(r.json()["items"][0]["id"])

    def stop(self) -> None:
        self.http.close()
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


class Figures(list):  # type: ignore[type-arg]
    """One run's figures; each is logged as soon as it is measured."""

    def append(self, f: Figure) -> None:
        log(f"{f.name}: {f.show()} ({f.text}) | {f.target()} | {'pass' if f.ok else 'MISS'}")
        super().append(f)

    def __iadd__(self, fs: list[Figure]) -> Figures:  # type: ignore[override]
        for f in fs:
            self.append(f)
        return self


# --- N runs: the table ------------------------------------------------------------------------


@dataclass
class Row:
    """One figure over N runs."""

    first: Figure
    runs: list[Figure]

    @property
    def values(self) -> list[float]:
        return [f.value for f in self.runs]

    @property
    def worst(self) -> float:
        return min(self.values) if self.first.higher_is_better else max(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def ok(self) -> bool:
        return meets(self.worst, self.first.limit, self.first.higher_is_better)

    @property
    def margin(self) -> float | None:
        """How far inside its target the worst run is (0.2 = 20 %), None for a zero target."""
        f, w = self.first, self.worst
        if f.limit == 0 or w != w:
            return None
        if f.higher_is_better:
            return 1 - f.limit / w if w > 0 else -1.0
        return 1 - w / f.limit

    @property
    def verdict(self) -> str:
        if not self.ok:
            return "MISS"
        m = self.margin
        return "pass" if m is None or m >= MARGIN - 1e-9 else "thin"


def rows(runs: list[list[Figure]]) -> list[Row]:
    """The figures of N runs grouped by key, in the order they were first measured."""
    by_key: dict[str, Row] = {}
    for figures in runs:
        for f in figures:
            if f.key in by_key:
                by_key[f.key].runs.append(f)
            else:
                by_key[f.key] = Row(f, [f])
    return list(by_key.values())


def table(grouped: list[Row], runs: int) -> str:
    head = ("figure", f"median of {runs}", f"worst of {runs}", "target", "margin", "")
    out = [head]
    for r in grouped:
        f = r.first
        m = r.margin
        margin = "–" if m is None else f"{m * 100:.0f} %"
        worst = f.show(r.worst)
        if len(r.runs) < runs:
            worst += f" ({len(r.runs)} runs)"
        out.append((f.name, f.show(r.median), worst, f.target(), margin, r.verdict))
    widths = [max(len(row[i]) for row in out) for i in range(len(head))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in out
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def run_lines(runs: list[dict[str, Any]]) -> str:
    """Each run in words: when, the load, and every figure's measurement."""
    out = []
    for i, run in enumerate(runs, 1):
        out.append(
            f"Run {i}: {run['started']}, load average {run['load_start']:.2f} at the start, "
            f"{run['load_end']:.2f} at the end, {run['seconds']:.0f} s"
        )
        for f in run["figures"]:
            out.append(f"  {f['name']}: {show(f['value'], f['unit'], f['digits'])} ({f['text']})")
    return "\n".join(out)


def as_json(f: Figure) -> dict[str, Any]:
    d = asdict(f)
    d["ok"] = f.ok
    return d


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{os.cpu_count()} CPUs ({cpu}){mem}; Python {sys.version.split()[0]}; "
        "QT_QPA_PLATFORM=offscreen"
    )


def commit() -> str:
    """The commit measured (with "+" when the worktree has uncommitted changes)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return head + ("+" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
