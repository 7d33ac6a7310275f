"""The conversation's header is set again only when what it shows changes (the customer's name,
the status, the assignee), not on every change of the open thread (each message, each read mark)."""

from __future__ import annotations

from typing import Any

import pytest

from agent_desktop.core.sharing import ValuePool
from agent_desktop.ui.main_window import MainWindow
from tests.unit.store.fakes import thread

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_the_header_follows_what_it_shows_alone(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    pane = w.conversation
    pool = ValuePool()
    row = pool.row(thread("t1", 1, unread=2))
    pane.set_thread(row)
    pane.update_header(row, "Ann")
    assert "Ann" in pane.assign_button.text()
    fitted: list[bool] = []
    fit = pane.fit_header
    monkeypatch.setattr(pane, "fit_header", lambda: (fitted.append(True), fit()))
    # A message and the read mark after it: the same name, status and assignee.
    pane.update_header(pool.row(thread("t1", 2, unread=3)), "Ann")
    pane.update_header(pool.row(thread("t1", 3, unread=0)), "Ann")
    assert fitted == []
    pane.update_header(pool.row(thread("t1", 4, status="pending")), "Ann")
    assert fitted == [True]
    assert pane.status_label.text() == "Pending"
    pane.update_header(pool.row(thread("t1", 5, status="pending")), "Bea")
    assert "Bea" in pane.assign_button.text()
    # Opening the thread again lays the header out anew, though it shows the same.
    pane.set_thread(pool.row(thread("t1", 5, status="pending")))
    pane.update_header(pool.row(thread("t1", 5, status="pending")), "Bea")
    assert len(fitted) == 4  # set_thread's own update, then the one with the assignee
