"""The conversation view's delegate: what it keeps for painting belongs to the conversation shown,
and goes when another one is opened."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QListView, QStyleOptionViewItem

from agent_desktop.store.conversation import Conversation
from agent_desktop.ui import theme
from agent_desktop.ui.conversation_delegate import ConversationDelegate
from agent_desktop.ui.conversation_model import ConversationModel
from tests.ui.test_models import msg


def test_opening_another_conversation_lets_the_previous_messages_go(qtbot: Any) -> None:
    model = ConversationModel()
    view = QListView()
    qtbot.add_widget(view)
    view.setModel(model)
    delegate = ConversationDelegate(view)
    view.setItemDelegate(delegate)
    view.resize(500, 600)
    view.show()
    qtbot.wait_exposed(view)

    first = Conversation("t")
    first.set_all([msg(f"a{i}", i, text=f"first {i}") for i in range(5)], [], has_more=False)
    model.bind(first)
    view.repaint()
    qtbot.wait_until(lambda: delegate.cached_rows() == 5)
    kept = weakref.ref(first.messages[0])

    second = Conversation("t2")
    second.set_all([msg("b0", 0, text="second")], [], has_more=False)
    model.bind(second)
    del first
    gc.collect()
    assert kept() is None
    view.repaint()
    qtbot.wait_until(lambda: delegate.cached_rows() == 1)


def test_bubble_colours_follow_the_palette(qtbot: Any) -> None:
    """The colours a delegate keeps per palette change with it (a switch to dark mode)."""
    model = ConversationModel()
    view = QListView()
    qtbot.add_widget(view)
    view.setModel(model)
    delegate = ConversationDelegate(view)
    conv = Conversation("t")
    conv.set_all(
        [msg("c", 0, text="bonjour"), msg("a", 1, text="hello", kind="agent")], [], has_more=False
    )
    model.bind(conv)
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Window, QColor("#2b2d30"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1f22"))
    dark.setColor(QPalette.ColorRole.AlternateBase, QColor("#26282b"))
    dark.setColor(QPalette.ColorRole.Highlight, QColor("#3d7be0"))
    for pal in (QPalette(), dark, QPalette()):
        option = QStyleOptionViewItem()
        option.palette = pal
        for row, customer in ((0, True), (1, False)):
            fill = delegate.compute(option, model.index(row)).fill
            assert fill == theme.bubble_colour(pal, customer)
