"""Work that waits for the first screen: what a start does not need before the first page of
threads is painted (saving the token, the live stream, the figures of the day, loading the
formatting data) runs once the thread list has painted rows, so it does not delay them."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

WAIT_MS = 1000  # at the latest, when nothing paints (a hidden or minimised window)


class AfterFirstPaint(QObject):
    """Runs the callbacks given to `call` after `widget`'s next paint while `ready()` holds (the
    list has rows), or after `wait_ms` at the latest. No signals.

    A callback given while an asyncio loop runs (the app's qasync loop) is run by that loop, as
    the callbacks start tasks; one whose loop has closed meanwhile is dropped.
    """

    def __init__(
        self,
        widget: QWidget,
        ready: Callable[[], bool],
        *,
        wait_ms: int = WAIT_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ready = ready
        self._pending: list[tuple[Callable[[], None], asyncio.AbstractEventLoop | None]] = []
        self._fallback = QTimer(self)
        self._fallback.setSingleShot(True)
        self._fallback.setInterval(wait_ms)
        self._fallback.timeout.connect(self.on_fallback_timeout)
        self._widget = widget

    def call(self, callback: Callable[[], None]) -> None:
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if not self._pending:  # the widget's events are watched only while something waits
            self._widget.installEventFilter(self)
            self._fallback.start()
        self._pending.append((callback, loop))

    @property
    def pending(self) -> int:
        return len(self._pending)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._pending and self._ready():
            # After this paint has reached the screen: the next turn of the loop.
            QTimer.singleShot(0, self._run)
        return False

    def on_fallback_timeout(self) -> None:
        self._run()

    def _run(self) -> None:
        self._fallback.stop()
        self._widget.removeEventFilter(self)
        pending, self._pending = self._pending, []
        for callback, loop in pending:
            if loop is None:
                callback()
            elif not loop.is_closed():
                with contextlib.suppress(RuntimeError):  # closed in between
                    loop.call_soon(callback)


class _NextPaint(QObject):
    """Resolves `done` on the loop's next turn after `widget`'s next paint, or after
    `within_ms` at the latest (a hidden widget paints nothing)."""

    def __init__(self, widget: QWidget, done: asyncio.Future[None], within_ms: int) -> None:
        super().__init__(widget)
        self._widget = widget
        self._done = done
        widget.installEventFilter(self)
        QTimer.singleShot(within_ms, self, self._finish)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._finish)
        return False

    def _finish(self) -> None:
        if not self._done.done():
            self._done.set_result(None)
            self._widget.removeEventFilter(self)
            self.deleteLater()


async def next_paint(widget: QWidget, within_ms: int = 100) -> None:
    """Return once `widget` has painted again (its pending update reached the screen), or after
    `within_ms`: work that would delay that paint starts after it."""
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    _NextPaint(widget, done, within_ms)
    await done
