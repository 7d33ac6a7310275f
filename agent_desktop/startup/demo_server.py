"""The embedded demo backend of `--demo`: the reference server with the demo shop and simulated
customers, as a child process on a free loopback port (the self-test starts it the same way).
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import time

from agent_desktop.loopback import free_port
from agent_desktop.paths import data_dir

HEALTH_PATHS = ("/api/v1/health", "/health")


class DemoServer:
    """The reference server in demo mode, its database and log in the data folder."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.folder = data_dir() / "demo-server"

    def command(self) -> list[str]:
        self.folder.mkdir(parents=True, exist_ok=True)
        database = f"sqlite:///{self.folder / 'demo.sqlite'}"
        args = [
            "--demo",
            "--simulate",
            "4",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--database",
            database,
        ]
        if getattr(sys, "frozen", False):
            return [sys.executable, "--internal-server", *args]
        return [sys.executable, "-m", "agent_desktop.server", *args]

    def start(self) -> None:
        log_file = open(self.folder.parent / "demo-server.log", "ab")  # noqa: SIM115 - the child keeps it
        self.folder.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            self.command(), stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        log_file.close()

    async def wait_healthy(self, within: float = 60.0) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(
                    f"The demo server stopped (exit code {self.proc.returncode}); see {self.folder.parent / 'demo-server.log'}."
                )
            if await asyncio.to_thread(self._probe):
                return
            await asyncio.sleep(0.2)
        raise RuntimeError("The demo server did not start within a minute.")

    def _probe(self) -> bool:
        import urllib.request

        for path in HEALTH_PATHS:
            try:
                with urllib.request.urlopen(self.url + path, timeout=1) as resp:
                    if resp.status == 200:
                        return True
            except OSError:
                continue
        return False

    def stop(self) -> None:
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(OSError):
            proc.terminate()  # SIGTERM: uvicorn shuts down cleanly
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
