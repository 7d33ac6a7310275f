"""Work that waits for the first page: it runs after the list has painted rows, not before, and
at the latest after the fallback wait when nothing paints."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import QListView

from agent_desktop.ui.first_paint import AfterFirstPaint


def test_callbacks_wait_for_a_paint_with_rows(qtbot: Any) -> None:
    model = QStringListModel()
    view = QListView()
    view.setModel(model)
    qtbot.add_widget(view)
    after = AfterFirstPaint(view.viewport(), lambda: model.rowCount() > 0, wait_ms=60_000)
    ran: list[int] = []
    after.call(lambda: ran.append(len(ran)))
    view.show()
    qtbot.wait_exposed(view)
    qtbot.wait(50)
    assert ran == []  # painted, but without rows
    model.setStringList(["a thread"])
    qtbot.wait_until(lambda: ran == [0], timeout=5000)
    assert after.pending == 0


def test_callbacks_run_after_the_wait_when_nothing_paints(qtbot: Any) -> None:
    view = QListView()  # never shown
    qtbot.add_widget(view)
    after = AfterFirstPaint(view.viewport(), lambda: True, wait_ms=50)
    ran: list[str] = []
    after.call(lambda: ran.append("done"))
    qtbot.wait_until(lambda: ran == ["done"], timeout=5000)
