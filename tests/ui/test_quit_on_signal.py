"""SIGINT and SIGTERM quit the client through the Qt loop (startup/signals.py): the loop wakes up
from the signal itself (signal.set_wakeup_fd), with no timer polling for it."""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from agent_desktop.startup.signals import QuitOnSignal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="os.kill sends no SIGTERM there")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_quits_through_the_loop_and_the_handlers_come_back(
    qtbot: Any, signum: int
) -> None:
    before_handler = signal.getsignal(signum)
    before_fd = signal.set_wakeup_fd(-1)
    signal.set_wakeup_fd(before_fd)
    quits: list[bool] = []
    guard = QuitOnSignal(lambda: quits.append(True))
    try:
        timers_before = len(guard.findChildren(QTimer))
        os.kill(os.getpid(), signum)
        qtbot.waitUntil(lambda: quits == [True], timeout=5000)
        assert timers_before == 0  # woken by the signal, not by polling
    finally:
        guard.close()
    assert signal.getsignal(signum) == before_handler
    assert signal.set_wakeup_fd(before_fd) == before_fd
