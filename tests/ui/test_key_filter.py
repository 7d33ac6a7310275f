"""The window's key filter watches the focus widget alone and follows the focus (on the
application, it was called for every event of every object: each timer, socket and paint)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from agent_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_the_key_filter_follows_the_focus(qtbot: Any) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    seen: list[QEvent.Type] = []
    real = w.shortcuts.eventFilter
    w.shortcuts.eventFilter = lambda o, e: (seen.append(e.type()), real(o, e))[1]  # type: ignore[method-assign]
    w.thread_list.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.thread_list.view)
    w.composer.editor.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.composer.editor)
    seen.clear()
    w.thread_list.view.update()  # another widget's events do not reach the filter
    QApplication.sendEvent(w.thread_list.view, QEvent(QEvent.Type.ToolTipChange))
    assert QEvent.Type.ToolTipChange not in seen
    # Esc in the composer (where the focus is) still goes back to the list.
    esc = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(w.composer.editor, esc)
    assert QEvent.Type.KeyPress in seen
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.thread_list.view)
