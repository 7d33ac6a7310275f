"""The heap is trimmed once after a run of big frees (store/heap.py), and the real trim exists
where the client runs on glibc."""

from __future__ import annotations

import sys
import time
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication

from agent_desktop.store.heap import HeapTrim, malloc_trim


def _wait_for(condition: Any, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        QCoreApplication.processEvents()
        time.sleep(0.005)


def test_one_trim_after_a_run_of_changes(qapp: Any) -> None:
    calls: list[int] = []
    heap = HeapTrim(delay_ms=50, trim=lambda: calls.append(1))
    for _ in range(5):
        heap.soon()
    _wait_for(lambda: heap.trims == 1)
    assert calls == [1]
    heap.soon()
    _wait_for(lambda: heap.trims == 2)
    assert calls == [1, 1]


def test_nothing_to_trim_is_a_no_op(qapp: Any) -> None:
    heap = HeapTrim(delay_ms=0, trim=None)
    heap._trim = None  # as on a system without malloc_trim
    heap.soon()
    QCoreApplication.processEvents()
    assert heap.trims == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_glibc_trim_runs() -> None:
    trim = malloc_trim()
    assert trim is not None
    trim()  # returns 0 or 1 (whether memory was released); must not crash


def test_soon_from_a_thread_without_its_loop_does_nothing(qapp: Any) -> None:
    """A store signal may fire while a test or the app shuts its loop down, or on a worker
    thread: the timer is not started there (Qt would warn: no event dispatcher)."""
    import threading

    calls: list[int] = []
    heap = HeapTrim(delay_ms=0, trim=lambda: calls.append(1))
    worker = threading.Thread(target=heap.soon)
    worker.start()
    worker.join()
    deadline = time.monotonic() + 0.2
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
    assert calls == [] and heap.trims == 0
