"""The window title leads with the unread count, and is rebuilt only when that count changes (each
live event and the list's timers each second change the model, rarely the count)."""

from __future__ import annotations

from typing import Any

import pytest

from agent_desktop.core.sharing import ValuePool
from agent_desktop.ui.main_window import MainWindow
from tests.unit.store.fakes import thread

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_title_follows_the_unread_count(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    pool = ValuePool()
    model = w.thread_model
    assert w.windowTitle() == "Agent Desktop"
    model.set_threads([pool.row(thread("t1", 1, unread=2)), pool.row(thread("t2", 2))])
    assert w.windowTitle() == "(2) Agent Desktop"
    titles: list[str] = []
    totals: list[int] = []
    model.unreadChanged.connect(totals.append)  # what the title listens to, not dataChanged
    set_title = w.setWindowTitle
    monkeypatch.setattr(w, "setWindowTitle", lambda t: (titles.append(t), set_title(t)))
    model.upsert(pool.row(thread("t2", 3)))  # a change that keeps the count
    model.refresh_timers([0, 1])  # the timers' second
    assert titles == []
    assert totals == []
    model.upsert(pool.row(thread("t2", 4, unread=1)))
    assert w.windowTitle() == "(3) Agent Desktop"
    model.upsert(pool.row(thread("t1", 5, unread=0)))
    model.upsert(pool.row(thread("t2", 6, unread=0)))
    assert w.windowTitle() == "Agent Desktop"
    assert titles == ["(3) Agent Desktop", "(1) Agent Desktop", "Agent Desktop"]
    assert totals == [3, 1, 0]
