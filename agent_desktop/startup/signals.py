"""Ctrl+C and SIGTERM quit the client cleanly (the demo server child is stopped, drafts written).

Python runs its signal handlers only between two bytecodes, never while Qt waits in its event
loop. Instead of waking Python up every 300 ms to look (a timer the idle figure paid for),
`signal.set_wakeup_fd` makes the C handler write the signal's number to a socket whose other end
a QSocketNotifier watches: the loop wakes up only when a signal really came.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier

QUIT_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class QuitOnSignal(QObject):
    """Calls `on_quit()` on the Qt loop when SIGINT or SIGTERM arrives. Signals: none.

    `close()` puts the previous handlers and wake-up fd back."""

    def __init__(self, on_quit: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_quit = on_quit
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous = {s: signal.signal(s, self._python_handler) for s in QUIT_SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self.on_notifier_activated)

    @staticmethod
    def _python_handler(signum: int, frame: FrameType | None) -> None:
        """Installed so that SIGINT raises no KeyboardInterrupt and SIGTERM does not kill the
        process at once: the quit happens in on_notifier_activated, on the loop."""

    def on_notifier_activated(self) -> None:
        try:
            received = self._reader.recv(64)
        except (BlockingIOError, InterruptedError):
            return
        if any(number in QUIT_SIGNALS for number in received):
            self._on_quit()

    def close(self) -> None:
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._reader.close()
        self._writer.close()
