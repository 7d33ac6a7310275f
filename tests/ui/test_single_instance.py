"""Single instance: a second launch asks the running one to raise its window and exits; the guard
survives the socket a crashed instance left behind. In-process with two guards, and with two real
processes (a running instance, then `python -m agent_desktop` as the second launch)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.ui.desktop import SingleInstance, instance_name
from agent_desktop.ui.instance import server_name


def unique_name() -> str:
    return f"agent-desktop-test-{uuid.uuid4().hex[:12]}"


def test_a_second_guard_finds_the_first_and_asks_it_to_raise(qtbot: Any) -> None:
    name = unique_name()
    first = SingleInstance(name)
    try:
        assert not first.ask_running(200)  # nobody runs yet
        assert first.listen()
        second = SingleInstance(name)
        with qtbot.wait_signal(first.activated, timeout=5000):
            assert second.ask_running()
    finally:
        first.close()
    assert not SingleInstance(name).ask_running(200)  # closed: the next launch starts normally


def test_a_connection_that_does_not_ask_to_raise_is_ignored(qtbot: Any) -> None:
    from PySide6.QtNetwork import QLocalSocket

    name = unique_name()
    first = SingleInstance(name)
    assert first.listen()
    raised: list[bool] = []
    first.activated.connect(lambda: raised.append(True))
    probe = QLocalSocket()
    try:
        probe.connectToServer(name)
        assert probe.waitForConnected(2000)
        probe.write(b"hello\n")
        probe.waitForBytesWritten(2000)
        probe.disconnectFromServer()
        qtbot.wait(300)
        assert raised == []
    finally:
        first.close()


@pytest.mark.skipif(sys.platform == "win32", reason="local sockets are named pipes on Windows")
def test_the_socket_left_by_a_crashed_instance_does_not_block_the_next_launch(qtbot: Any) -> None:
    name = unique_name()
    path = Path(server_name(name))
    # A crash leaves the socket file: bound once, never unlinked, nobody listening.
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()
    assert path.exists()
    guard = SingleInstance(name)
    try:
        assert not guard.ask_running(200)
        assert guard.listen()
        with qtbot.wait_signal(guard.activated, timeout=5000):
            assert SingleInstance(name).ask_running()
    finally:
        guard.close()


RUNNING_INSTANCE = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    from agent_desktop.ui.desktop import SingleInstance, raise_window

    app = QApplication([])
    window = QMainWindow()
    window.showMinimized()
    guard = SingleInstance()
    if not guard.listen():
        print("could not listen", flush=True)
        sys.exit(3)

    def on_activated():
        was_minimized = window.isMinimized()
        raise_window(window)
        print(f"raised minimized_before={was_minimized} minimized_after={window.isMinimized()}",
              flush=True)
        app.quit()

    guard.activated.connect(on_activated)
    QTimer.singleShot(60_000, app.quit)  # never outlives a broken test
    print("listening", flush=True)
    app.exec()
    guard.close()
    """
)


def test_a_second_launch_raises_the_running_window_and_exits(
    isolated_dirs: dict[str, Path],
) -> None:
    """Two processes with the same user and config folder: the second `agent-desktop` finds the
    first, which raises its window; the second exits 0 without starting a window of its own."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    assert env["AGENT_DESKTOP_CONFIG_DIR"] == str(isolated_dirs["config"])
    running = subprocess.Popen(
        [sys.executable, "-c", RUNNING_INSTANCE],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert running.stdout is not None
        assert running.stdout.readline().strip() == "listening"
        # The name both processes derive from the user and the config folder.
        assert SingleInstance().name == instance_name()
        # The "backend" of the second launch only counts connections: the check comes before
        # anything is sent (here the demo sign-in the start sends early, from a thread).
        backend = socket.socket()
        backend.bind(("127.0.0.1", 0))
        backend.listen()
        backend.setblocking(False)
        url = f"http://127.0.0.1:{backend.getsockname()[1]}"
        second = subprocess.run(
            # Were the guard to miss the running instance, this launch would open a window of
            # its own instead of exiting (and time out here).
            [sys.executable, "-m", "agent_desktop", "--demo-url", url],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        with pytest.raises(BlockingIOError):
            backend.accept()  # nobody connected
        backend.close()
        assert second.returncode == 0, second.stderr[-2000:]
        assert "already running" in second.stdout
        out, err = running.communicate(timeout=30)
        assert running.returncode == 0, err[-2000:]
        assert "raised minimized_before=True minimized_after=False" in out
    finally:
        if running.poll() is None:
            running.kill()
            running.communicate(timeout=10)
