"""Giving the C heap's free memory back to the system after the client let go of a lot of it.

glibc keeps the memory `free()` returns inside the process: only a free stretch at the very top
of the heap is handed back to the system, so what a large transient left below live objects (the
pages of 10,000 threads decoded and turned into rows, a 5,000-message conversation read back and
then closed) stays in the client's resident memory for the rest of the day. `malloc_trim(0)`
releases every free page of the heap. It takes under a millisecond on the client's ~25 MB heap,
so it runs a moment after the store's big changes (all threads loaded or reloaded, a conversation
closed or replaced, older pages read, a batch of events applied), once per run of them, when
they have been quiet for a second. On the bench (docs/PERFORMANCE.md): 2-3 MB of the
memory figure.

Elsewhere (Windows, macOS, a C library without `malloc_trim`) it does nothing.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

from PySide6.QtCore import QAbstractEventDispatcher, QObject, QThread, QTimer

TRIM_AFTER_MS = 1000  # quiet time after the last big change before the heap is trimmed


def malloc_trim() -> Callable[[], object] | None:
    """glibc's `malloc_trim(0)` as a function, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None).malloc_trim  # the C library the process runs on
    except (OSError, AttributeError):  # musl and others: no malloc_trim
        return None
    function.argtypes = [ctypes.c_size_t]
    function.restype = ctypes.c_int
    return lambda: function(0)


class HeapTrim(QObject):
    """`soon()` after freeing a lot; the heap is trimmed once, `delay_ms` after the last call."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        delay_ms: int = TRIM_AFTER_MS,
        trim: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self._trim = trim if trim is not None else malloc_trim()
        self.trims = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._run)

    def soon(self) -> None:
        if self._trim is None:
            return
        # Only where the timer can run: on its own thread, with an event loop (not while the
        # app or a test is shutting its loop down, nor from a worker thread).
        if QThread.currentThread() != self.thread() or QAbstractEventDispatcher.instance() is None:
            return
        self._timer.start()  # restarts: one trim after a run of changes

    def _run(self) -> None:
        if self._trim is not None:
            self._trim()
            self.trims += 1
