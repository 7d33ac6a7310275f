"""The composer's labels are refreshed once a second and on every change of the open thread; the
character count is formatted and the style sheets set only when they change, and still follow
every change of the text and of the thread."""

from __future__ import annotations

from typing import Any

import pytest

from agent_desktop.core.sharing import ValuePool
from agent_desktop.core.types import MAX_TEXT_LENGTH
from agent_desktop.ui.composer import ComposerPane
from tests.unit.store.fakes import thread

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_count_and_styles_follow_the_text_and_the_thread(qtbot: Any) -> None:
    pane = ComposerPane()
    qtbot.addWidget(pane)
    pool = ValuePool()
    row = pool.row(thread("t1", 0))
    pane.set_thread(row, "hello")
    count = pane.count_label.text()
    assert count.startswith("5")
    pane.update_window()
    assert pane.count_label.text() == count
    pane.editor.setPlainText("x" * (MAX_TEXT_LENGTH + 1))
    assert pane.count_label.styleSheet() != ""  # too long: in red
    assert pane.hint.styleSheet() != ""
    pane.editor.setPlainText("hello")
    assert pane.count_label.text() == count
    assert pane.count_label.styleSheet() == ""
    pane.set_thread(None)
    assert pane.count_label.text() == ""
    pane.set_thread(row, "hello")  # the same length again: shown again
    assert pane.count_label.text() == count


def test_the_editor_is_made_read_only_or_writable_only_when_that_changes(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = ComposerPane()
    qtbot.addWidget(pane)
    assert pane.editor.isReadOnly()  # no thread yet
    calls: list[bool] = []
    set_read_only = pane.editor.setReadOnly
    monkeypatch.setattr(
        pane.editor, "setReadOnly", lambda on: (calls.append(on), set_read_only(on))
    )
    row = ValuePool().row(thread("t1", 0))
    pane.set_thread(row, "")
    assert not pane.editor.isReadOnly()
    pane.update_window()  # once a second, and on every change of the open thread
    pane.update_thread(row)
    assert calls == [False]
    pane.set_thread(None)
    assert pane.editor.isReadOnly()
    assert calls == [False, True]
