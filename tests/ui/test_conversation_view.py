"""The conversation view's delegate: what it keeps for painting belongs to the conversation shown,
and goes when another one is opened."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from PySide6.QtWidgets import QListView

from agent_desktop.store.conversation import Conversation
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
