"""Garbage collection on the GUI thread only.

Python's cyclic collector runs in whichever thread allocates when a threshold is crossed. If it
frees a dead QObject on a worker thread (aiosqlite's, an executor's) while Qt runs on the main
thread, Qt can crash ("QObject::killTimer: Timers cannot be stopped from another thread"). The
guard turns the automatic collector off and runs the same generational collection from a timer on
the GUI thread instead: the workaround given on the PyQt list,
https://riverbankcomputing.com/pipermail/pyqt/2011-August/030378.html, and discussed for the same
crash in https://github.com/napari/napari/issues/1029. tests/ui/test_gc_guard.py checks that
collections happen on the GUI thread only and that stop() gives the collector back.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadGarbageCollector(QObject):
    """Collects garbage from a QTimer on the thread that owns it (the GUI thread).

    Signals: none.
    """

    def __init__(
        self, parent: QObject | None = None, interval_ms: int = 500, *, paused: bool = False
    ) -> None:
        """`paused`: automatic collection is off at once, but the timer's collections wait for
        `start()` (the app starts them once its first page is painted: startup/fast_start.py)."""
        super().__init__(parent)
        self._threshold = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.on_timer_timeout)
        gc.disable()
        if not paused:
            self._timer.start()

    @property
    def collecting(self) -> bool:
        """Whether the timer's collections run (False while paused and after stop())."""
        return self._timer.isActive()

    def start(self) -> None:
        """Start the timer's collections (a paused guard); nothing if they run already."""
        gc.disable()
        if not self._timer.isActive():
            self._timer.start()

    def on_timer_timeout(self) -> None:
        """Run the generations whose allocation counts crossed their thresholds, as gc would."""
        counts = gc.get_count()
        if counts[0] > self._threshold[0]:
            generation = 0
            if counts[1] > self._threshold[1]:
                generation = 1
                if counts[2] > self._threshold[2]:
                    generation = 2
            gc.collect(generation)

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()
