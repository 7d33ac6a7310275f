"""What the start leaves for after the first painted page (startup/fast_start.py, 7 and 9): the
GUI-thread collector's timer and the desktop notifications' connection to the session bus. Each
waits for the window's `after_first_page`, and runs once it fires."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QMainWindow

from agent_desktop.startup import fast_start
from agent_desktop.ui.desktop import Tray
from agent_desktop.ui.gc_guard import GuiThreadGarbageCollector
from tests.helpers.qasync_loop import wait_for_condition

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


class FirstPage:
    """A stand-in for the window's `after_first_page`: keeps the callbacks until `painted()`."""

    def __init__(self) -> None:
        self.waiting: list[Callable[[], None]] = []

    def after_first_page(self, callback: Callable[[], None]) -> None:
        self.waiting.append(callback)

    def painted(self) -> None:
        waiting, self.waiting = self.waiting, []
        for callback in waiting:
            callback()


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_garbage_is_collected_after_the_first_page(qtbot: Any) -> None:
    was_enabled = gc.isenabled()
    collections: list[str] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(threading.current_thread().name)

    guard = GuiThreadGarbageCollector(interval_ms=20, paused=True)
    window = FirstPage()
    gc.callbacks.append(record)
    try:
        fast_start.collect_after_first_page(window, guard)
        assert not gc.isenabled() and not guard.collecting  # no collection of any kind yet
        assert len(window.waiting) == 1
        for _ in range(gc.get_threshold()[0] * 3):
            Cycle()
        window.painted()
        assert guard.collecting
        qtbot.waitUntil(lambda: bool(collections), timeout=5000)
        assert set(collections) == {threading.main_thread().name}
    finally:
        gc.callbacks.remove(record)
        guard.stop()
        if not was_enabled:
            gc.disable()


async def test_the_notification_service_connects_after_the_first_page(qtbot: Any) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    first_page = FirstPage()
    tray = Tray(
        window, window, markup=False, service=True, connect_later=first_page.after_first_page
    )
    try:
        assert tray.service is not None
        assert tray.service.state == "off"  # nothing started, jeepney not needed yet
        first_page.painted()
        assert tray.service.state == "starting"  # connecting now, in the background
        await wait_for_condition(
            lambda: tray.service is not None and tray.service.state != "starting"
        )
    finally:
        await tray.aclose()


def test_the_key_filter_listens_after_the_first_page(qtbot: Any) -> None:
    """10. At the app's start the window's application-wide key filter waits for the first page
    (it would see, from the first event on, every event of every object); a window made
    elsewhere listens at once."""
    from agent_desktop.ui.main_window import MainWindow

    starting = MainWindow(starting=True)
    qtbot.addWidget(starting)
    assert not starting.shortcuts.listening
    # Nothing paints rows here: the first page's callbacks run after AfterFirstPaint's wait.
    qtbot.waitUntil(lambda: starting.shortcuts.listening, timeout=5000)
    other = MainWindow()
    qtbot.addWidget(other)
    assert other.shortcuts.listening


def test_the_thread_list_viewport_is_made_in_python(qtbot: Any) -> None:
    """11. The thread list's viewport is a widget PySide6 made (it knows its Python object), so
    handing it to Python does not make PySide6 create every QtWidgets class it has not yet."""
    from shiboken6 import Shiboken

    from agent_desktop.ui.thread_list import ThreadListView

    view = ThreadListView()
    qtbot.addWidget(view)
    assert Shiboken.createdByPython(view.viewport())
    assert view.viewport().parent() is view
