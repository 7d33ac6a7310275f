"""Fixtures that run the real reference server on a free loopback port, as a subprocess.

    server        function-scoped: a fresh database with the `--seed-test` data set
                  (agent@demo.test, agent2@demo.test, lead@demo.test, password "demo"; ids in
                  agent_desktop/server/testseed.py)
    demo_server   module-scoped: `--demo --simulate 0` (the full demo seed, no simulator)
    server_factory  function-scoped: `server_factory(*args, seed_test=True, in_process=False)`
                  → a started server with extra CLI args; all are stopped at teardown

`ServerProcess` offers `.url`, `.ws_url`, `.database_url`, `.stop()` (SIGTERM), `.kill()`
(SIGKILL), `.start()` (again on the same database and port) and `.restart()`.
`InProcessServer` is the same server on a thread of the test process (faster to start; no kill).
`login(server, email)` / `await alogin(server, email)` return a token.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.postgres import server_database_url

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo"
AGENT_EMAIL = "agent@demo.test"
AGENT2_EMAIL = "agent2@demo.test"
LEAD_EMAIL = "lead@demo.test"
_LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")


class ServerProcess:
    """The reference server in a child process, on 127.0.0.1, with its own database and folders."""

    def __init__(
        self,
        workdir: Path,
        args: Sequence[str] = ("--seed-test",),
        *,
        database_url: str | None = None,
        port: int = 0,
        startup_timeout: float = 90.0,
        env: dict[str, str] | None = None,
    ) -> None:
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.args = list(args)
        self.database_url = database_url or server_database_url(self.workdir)
        self.media_dir = self.workdir / "media"
        self.port = port
        self.startup_timeout = startup_timeout
        self.extra_env = dict(env or {})
        self.log_path = self.workdir / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self._log_offset = 0

    # --- addresses ---

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api(self) -> str:
        return f"{self.url}/api/v1"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/api/v1/events"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    # --- life cycle ---

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "agent_desktop.server",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--database",
            self.database_url,
            "--media-dir",
            str(self.media_dir),
            *self.args,
        ]

    def start(self) -> ServerProcess:
        """Start (or start again, on the same database and port) and wait until healthy."""
        if self.running:
            return self
        self.launch()
        self.wait_ready()
        return self

    def launch(self) -> None:
        """Start the process without waiting for it (then `wait_ready()`)."""
        if self.running:
            return
        env = dict(os.environ)
        env["AGENT_DESKTOP_DATA_DIR"] = str(self.workdir / "data")
        env["AGENT_DESKTOP_CONFIG_DIR"] = str(self.workdir / "config")
        env["PYTHONUNBUFFERED"] = "1"
        env.setdefault("PYTHONPATH", str(ROOT))
        env.update(self.extra_env)
        log = self.log_path.open("ab")
        self._log_offset = self.log_path.stat().st_size
        try:
            self.proc = subprocess.Popen(
                self.command(), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        finally:
            log.close()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"the server exited with {self.proc.returncode}:\n{self.log_text()[-4000:]}"
                )
            if self.port == 0:
                match = _LISTENING.search(self.log_text())
                if match:
                    self.port = int(match.group(1))
            if self.port:
                try:
                    r = httpx.get(f"{self.api}/health", timeout=2.0)
                    if r.status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"the server did not become healthy:\n{self.log_text()[-4000:]}")

    def log_text(self) -> str:
        """What the current run printed."""
        if not self.log_path.exists():
            return ""
        with self.log_path.open("rb") as f:
            f.seek(self._log_offset)
            return f.read().decode("utf-8", "replace")

    def stop(self, timeout: float = 15.0) -> int | None:
        """SIGTERM and wait; SIGKILL if it does not exit in time. Returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout)
        return self.proc.returncode

    def kill(self) -> None:
        """SIGKILL: the server gets no chance to clean up."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(15)

    def restart(self) -> ServerProcess:
        self.stop()
        return self.start()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class InProcessServer(ServerProcess):
    """The same server on a background thread of the test process: no start-up import cost, for
    tests that need neither kill nor a separate process. `kill()` is a clean stop here."""

    def __init__(self, workdir: Path, args: Sequence[str] = ("--seed-test",), **kw: Any) -> None:
        super().__init__(workdir, args, **kw)
        self._embedded: Any = None

    @property
    def running(self) -> bool:
        return self._embedded is not None

    def start(self) -> InProcessServer:
        if self._embedded is not None:
            return self
        from agent_desktop.server.cli import server_config
        from agent_desktop.server.runner import EmbeddedServer

        config = server_config(self.command()[3:])
        self._embedded = EmbeddedServer(config).start(timeout=self.startup_timeout)
        self.port = config.port
        return self

    def stop(self, timeout: float = 15.0) -> int | None:
        if self._embedded is None:
            return None
        self._embedded.stop(timeout)
        self._embedded = None
        return 0

    def kill(self) -> None:
        self.stop()


# --- small helpers ------------------------------------------------------------------------------


def auth_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(server: ServerProcess, email: str = AGENT_EMAIL, password: str = PASSWORD) -> str:
    """Sign in over HTTP and return the token."""
    r = httpx.post(f"{server.api}/auth/login", json={"email": email, "password": password})
    assert r.status_code == 201, r.text
    token: str = r.json()["token"]
    return token


async def alogin(server: ServerProcess, email: str = AGENT_EMAIL, password: str = PASSWORD) -> str:
    async with httpx.AsyncClient() as client:
        r = await client.post(
            f"{server.api}/auth/login", json={"email": email, "password": password}
        )
    assert r.status_code == 201, r.text
    token: str = r.json()["token"]
    return token


def simulate_customer_message(
    server: ServerProcess,
    text: str,
    *,
    thread_id: str | None = None,
    customer_name: str | None = None,
    created_at: str | None = None,
) -> dict[str, Any]:
    """A customer writes (the server needs --seed-test, --demo or --allow-simulation).
    Returns {"message", "thread"}."""
    body: dict[str, Any] = {"text": text}
    if thread_id is not None:
        body["thread_id"] = thread_id
    if customer_name is not None:
        body["customer_name"] = customer_name
    if created_at is not None:
        body["created_at"] = created_at
    r = httpx.post(f"{server.api}/simulate/customer-message", json=body)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A fresh server with the small deterministic test seed."""
    proc = ServerProcess(tmp_path_factory.mktemp("server"), ("--seed-test",))
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture
def server_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """`server_factory(*args, seed_test=True, start=True, in_process=False)` → a server."""
    made: list[ServerProcess] = []

    def make(
        *args: str, seed_test: bool = True, start: bool = True, in_process: bool = False
    ) -> ServerProcess:
        argv = (["--seed-test"] if seed_test else []) + list(args)
        kind = InProcessServer if in_process else ServerProcess
        proc = kind(tmp_path_factory.mktemp("server"), argv)
        made.append(proc)
        return proc.start() if start else proc

    yield make
    for proc in made:
        proc.stop()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server with the full demo seed (no simulator running, so tests stay deterministic)."""
    proc = ServerProcess(
        tmp_path_factory.mktemp("demo-server"), ("--demo", "--simulate", "0"), startup_timeout=180
    )
    proc.start()
    yield proc
    proc.stop()
