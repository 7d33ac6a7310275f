"""ui/gc_guard.py: garbage is collected on the GUI thread only.

Why: CPython's cyclic collector runs in whichever thread crosses an allocation threshold. A
QObject caught in a reference cycle and freed by a collection in a worker thread (aiosqlite's,
an executor's, the early requests') is destroyed from the wrong thread, and Qt crashes or
corrupts memory ("QObject::killTimer: Timers cannot be stopped from another thread"). The known
workaround is to turn automatic collection off and collect from a timer on the GUI thread:
https://riverbankcomputing.com/pipermail/pyqt/2011-August/030378.html (PyQt mailing list),
https://github.com/napari/napari/issues/1029 (the same crash in napari on PySide/PyQt).
"""

from __future__ import annotations

import gc
import threading
from typing import Any

from agent_desktop.ui.gc_guard import GuiThreadGarbageCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_collections_run_on_the_gui_thread_only(qtbot: Any) -> None:
    was_enabled = gc.isenabled()
    threads: list[str] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            threads.append(threading.current_thread().name)

    gc.enable()  # as in a fresh process (the suite's conftest turns it off)
    guard = GuiThreadGarbageCollector(interval_ms=20)
    gc.callbacks.append(record)
    try:
        assert not gc.isenabled()  # automatic collection is off while the guard runs

        def allocate_in_a_worker() -> None:
            for _ in range(gc.get_threshold()[0] * 3):
                Cycle()

        worker = threading.Thread(target=allocate_in_a_worker, name="worker")
        worker.start()
        worker.join()
        assert threads == []  # the worker crossed the threshold many times: no collection there
        qtbot.waitUntil(lambda: bool(threads), timeout=5000)  # the guard's timer collected
        assert set(threads) == {threading.main_thread().name}
    finally:
        gc.callbacks.remove(record)
        guard.stop()
        assert gc.isenabled()  # stop() gives the automatic collector back
        if not was_enabled:
            gc.disable()
