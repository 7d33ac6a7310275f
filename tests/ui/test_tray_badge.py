"""The unread badge of the application icon: drawn again only when what it shows changes (issue 22:
it was drawn in seven sizes on every change of the unread count, a live event each)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMainWindow

from agent_desktop.ui import theme
from agent_desktop.ui.desktop import Tray


def test_badge_text() -> None:
    assert [theme.badge_text(n) for n in (-1, 0, 1, 42, 99, 100, 5000)] == [
        "",
        "",
        "1",
        "42",
        "99",
        "99+",
        "99+",
    ]


def test_icon_drawn_again_only_when_the_badge_changes(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    tray = Tray(window, window, markup=False, service=False)
    drawn: list[int] = []
    draw = theme.app_icon

    def counted(unread: int = 0, size: int = 64) -> Any:
        drawn.append(unread)
        return draw(unread, size)

    monkeypatch.setattr(theme, "app_icon", counted)
    for count in (0, 3, 3, 4, 120, 121, 500, 99, 0, 0):
        tray.set_unread(count)
    # 0 shows no badge, as at start; past 99 the badge reads "99+" whatever the count.
    assert drawn == [3, 4, 120, 99, 0]
    assert not QApplication.windowIcon().isNull()
    if tray.icon is not None:
        tray.set_unread(7)
        assert "7" in tray.icon.toolTip()
