"""Stopping the embedded demo server the same way on every platform: `terminate()` (SIGTERM on
POSIX, TerminateProcess on Windows), then `kill()` if it lingers. No console signal: a
CTRL_BREAK_EVENT reaches only a child started in a new process group, which this one is not, and
on Windows it would have been sent to the whole console instead. Checked with a recording
stand-in for the process (the Windows logic without Windows) and with a real child."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.startup import demo_server
from agent_desktop.startup.demo_server import DemoServer


class RecordingProcess:
    """A stand-in for subprocess.Popen that records what is asked of it."""

    def __init__(self, *, exits_on_terminate: bool = True, returncode: int | None = None) -> None:
        self.calls: list[str] = []
        self.returncode = returncode
        self.exits_on_terminate = exits_on_terminate

    def poll(self) -> int | None:
        return self.returncode

    def terminate(self) -> None:
        self.calls.append("terminate")
        if self.exits_on_terminate:
            self.returncode = 1

    def kill(self) -> None:
        self.calls.append("kill")
        self.returncode = -9

    def send_signal(self, sig: Any) -> None:
        self.calls.append(f"send_signal {sig}")

    def wait(self, timeout: float | None = None) -> int:
        self.calls.append(f"wait {timeout}")
        if self.returncode is None:
            raise subprocess.TimeoutExpired("demo-server", timeout or 0)
        return self.returncode


@pytest.mark.parametrize(("os_name", "platform"), [("posix", "linux"), ("nt", "win32")])
def test_stop_terminates_without_a_console_signal(
    os_name: str, platform: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = DemoServer()
    proc = RecordingProcess()
    server.proc = proc  # type: ignore[assignment]
    # As on Windows (or POSIX) for the stop itself; signal.CTRL_BREAK_EVENT does not even exist
    # here, so a console signal on the "nt" path would fail this test.
    monkeypatch.setattr(os, "name", os_name)
    monkeypatch.setattr(sys, "platform", platform)
    server.stop()
    monkeypatch.undo()
    assert proc.calls == ["terminate", "wait 10"]
    assert not [c for c in proc.calls if c.startswith("send_signal")]


def test_stop_kills_a_server_that_does_not_exit() -> None:
    server = DemoServer()
    proc = RecordingProcess(exits_on_terminate=False)
    server.proc = proc  # type: ignore[assignment]
    server.stop()
    assert proc.calls == ["terminate", "wait 10", "kill", "wait 5"]


def test_stop_leaves_an_exited_or_missing_server_alone() -> None:
    server = DemoServer()
    server.stop()  # never started
    proc = RecordingProcess(returncode=0)
    server.proc = proc  # type: ignore[assignment]
    server.stop()
    assert proc.calls == []


def test_start_needs_no_new_process_group(
    monkeypatch: pytest.MonkeyPatch, isolated_dirs: dict[str, Path]
) -> None:
    """The child is started plainly (no creationflags): stop() never relies on a process group."""
    seen: dict[str, Any] = {}

    def fake_popen(cmd: list[str], **kwargs: Any) -> RecordingProcess:
        seen["cmd"], seen["kwargs"] = cmd, kwargs
        return RecordingProcess()

    monkeypatch.setattr(demo_server.subprocess, "Popen", fake_popen)
    server = DemoServer()
    server.start()
    assert "creationflags" not in seen["kwargs"] and "start_new_session" not in seen["kwargs"]
    assert seen["cmd"] == server.command()
    assert server.folder.is_relative_to(isolated_dirs["data"])


def test_stop_ends_a_real_child_process() -> None:
    server = DemoServer()
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(120)"], stdin=subprocess.DEVNULL
    )
    server.proc = child
    try:
        server.stop()
        assert child.poll() is not None
        if os.name != "nt":  # ended by terminate() (SIGTERM), not by the kill() fallback
            assert child.returncode == -signal.SIGTERM
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(5)
