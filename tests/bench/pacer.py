"""Scrolling at a steady pace, inside the client (client_driver.py): how long each frame took.

A step of `step` pixels is due every FRAME_MS from the start, as a scroll bar dragged at a steady
speed or a wheel turned steadily would give; a timer applies the steps that are due (several
at once when the loop was busy, as a real scroll would jump). A step's frame time runs from when
it was due to the end of the paint that showed it (the turn of the event loop after the viewport's
paint event: the backing store has been flushed then). A step that moves nothing (the end is
reached, or the top of a conversation waits for its older page) counts its own lateness only.

So a frame time covers the scroll itself, the layout and painting of the rows it exposes, Qt's
wait for the next update (~5 ms), and whatever else held the GUI thread when the step was due.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer

FRAME_MS = 16


class Pacer(QObject):
    def __init__(self, view: Any, step: int) -> None:
        super().__init__()
        self.view = view
        self.bar = view.verticalScrollBar()
        self.step = step  # pixels per frame: > 0 scrolls down, < 0 up
        self.frames: list[float] = []  # ms
        self.unpainted = 0  # steps whose frame showed a later step too (merged by a late tick)
        self.pixels = 0
        self._applied = 0
        self._waiting: float | None = None  # when the oldest step not yet painted was due
        self._flush_posted = False
        self._t0 = 0.0
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.on_tick)

    def start(self) -> None:
        self._t0 = time.perf_counter()
        self.view.viewport().installEventFilter(self)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.view.viewport().removeEventFilter(self)

    def due(self, k: int) -> float:
        return self._t0 + k * FRAME_MS / 1000

    def on_tick(self) -> None:
        now = time.perf_counter()
        n_due = int((now - self._t0) * 1000 / FRAME_MS)
        steps = n_due - self._applied
        if steps <= 0:
            return
        first_due = self.due(self._applied + 1)
        self._applied = n_due
        before = self.bar.value()
        self.bar.setValue(before + steps * self.step)
        moved = abs(self.bar.value() - before)
        self.pixels += moved
        if steps > 1:
            self.unpainted += steps - 1
        if moved:
            if self._waiting is None:
                self._waiting = first_due
            else:
                self.unpainted += 1
        else:
            self.frames.append((now - first_due) * 1000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        paint = event.type() == QEvent.Type.Paint
        if paint and self._waiting is not None and not self._flush_posted:
            self._flush_posted = True
            QTimer.singleShot(0, self.on_painted)
        return False

    def on_painted(self) -> None:
        self._flush_posted = False
        if self._waiting is not None:
            self.frames.append((time.perf_counter() - self._waiting) * 1000)
            self._waiting = None

    async def run(self, done: Any, within: float) -> float:
        """Scroll until `done()` holds or `within` seconds passed; returns the seconds taken."""
        self.start()
        t0 = time.perf_counter()
        try:
            while not done() and time.perf_counter() - t0 < within:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            # The last step's frame.
            end = time.perf_counter() + 1.0
            while self._waiting is not None and time.perf_counter() < end:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        finally:
            self.stop()
        return time.perf_counter() - t0
