"""The conversation view's delegate: what it keeps for painting belongs to the conversation shown,
and goes when another one is opened."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QListView, QStyleOptionViewItem, QWidget

from agent_desktop.core.types import Message
from agent_desktop.store.conversation import Conversation
from agent_desktop.ui import theme
from agent_desktop.ui.conversation_delegate import ConversationDelegate
from agent_desktop.ui.conversation_model import ConversationModel
from agent_desktop.ui.conversation_pane import ConversationPane
from tests.ui.test_models import msg, thread


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


def _shown_conversation(
    qtbot: Any, messages: list[Message]
) -> tuple[QWidget, ConversationPane, Conversation]:
    """A conversation pane of 600×560 alone in a shown window, bound to `messages`."""
    model = ConversationModel()
    window = QWidget()  # no layout: a window that propagates no size hints (offscreen warns)
    qtbot.add_widget(window)
    pane = ConversationPane(model, window)
    pane.set_thread(thread("t", 3))
    window.resize(600, 560)
    pane.resize(600, 560)
    window.show()
    qtbot.wait_exposed(window)
    conv = Conversation("t")
    conv.set_all(messages, [], has_more=False)
    model.bind(conv)
    return window, pane, conv


@pytest.mark.parametrize("rows", [30, 600])
def test_a_new_message_at_the_bottom_paints_its_bubble_alone(qtbot: Any, rows: int) -> None:
    """A message added below the last one while the conversation shows its bottom: the view
    scrolls the bubbles it shows up and paints the new one alone (QListView repainted every
    bubble shown after laying its rows out), and what it shows is what a full paint shows;
    also below more rows than one layout batch (those were laid out again in batches)."""
    window, pane, conv = _shown_conversation(
        qtbot,
        [
            msg(f"a{i}", i, text=f"message {i}", kind="customer" if i % 3 else "agent")
            for i in range(rows)
        ],
    )
    model = pane.model
    # Laid out (in batches of 200 rows) and shown from the bottom.
    qtbot.wait_until(lambda: min(model.row_heights) > 0 and pane.at_bottom())
    viewport = pane.view.viewport()
    painted: list[QRect] = []

    class Paints(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if obj is viewport and event.type() == QEvent.Type.Paint:
                painted.append(event.rect())  # type: ignore[attr-defined]
            return False

    paints = Paints()
    viewport.installEventFilter(paints)
    qtbot.wait(50)
    texts = ["court", "Bonjour, je voudrais savoir où en est ma commande 2042, merci !", "ok"]
    for n in range(6):
        painted.clear()
        # Some land on another day (a day separator above the new bubble).
        conv.upsert_message(msg(f"n{n}", rows + 100 + n * 700, text=texts[n % 3]))
        qtbot.wait_until(lambda: bool(painted))
        qtbot.wait(30)
        new = pane.view.visualRect(model.index(model.rowCount() - 1))
        assert all(rect.height() <= new.height() + 2 for rect in painted), (painted, new)
        shown = QApplication.primaryScreen().grabWindow(window.winId()).toImage()
        assert shown == window.grab().toImage()


@pytest.mark.parametrize(("rows", "repaints"), [(600, False), (14, True)])
def test_a_new_message_repaints_the_scroll_bar_only_when_its_handle_moves(
    qtbot: Any, rows: int, repaints: bool
) -> None:
    """Below 600 rows a message more leaves the handle's pixels as they were: the scroll bar (and
    the strip behind it in its ancestors) is not repainted, but for the first message after the
    conversation was laid out; what the window shows is still what a full paint shows. Below 14 rows each message shrinks the handle: repainted every time."""
    window, pane, conv = _shown_conversation(
        qtbot, [msg(f"a{i}", i, text="bonjour " * (1 + i % 9)) for i in range(rows)]
    )
    model = pane.model
    qtbot.wait_until(lambda: min(model.row_heights) > 0 and pane.at_bottom())
    bar = pane.view.verticalScrollBar()
    viewport = pane.view.viewport()
    painted: list[QObject] = []

    class Paints(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                painted.append(obj)
            return False

    paints = Paints()
    bar.installEventFilter(paints)
    viewport.installEventFilter(paints)
    qtbot.wait(50)
    for n in range(4):
        painted.clear()
        handle = bar.look()  # type: ignore[attr-defined]
        top = bar.maximum()
        conv.upsert_message(msg(f"n{n}", rows + n, text="bonjour " * 12))
        qtbot.wait_until(lambda: viewport in painted)
        qtbot.wait(30)
        assert bar.maximum() > top and bar.value() == bar.maximum()
        assert (bar.look() != handle) is repaints  # type: ignore[attr-defined]
        if n > 0:  # the first after the layout on opening paints it once: its look is kept then
            assert (bar in painted) is repaints
        shown = QApplication.primaryScreen().grabWindow(window.winId()).toImage()
        assert shown == window.grab().toImage()


def test_row_heights_are_measured_again_for_another_font(qtbot: Any) -> None:
    """The heights kept per row hold for one width and font: another font measures them
    again (the font is compared, and kept as a copy: the option's own goes with the option)."""
    model = ConversationModel()
    view = QListView()
    qtbot.add_widget(view)
    view.setModel(model)
    delegate = ConversationDelegate(view)
    view.resize(500, 600)
    conv = Conversation("t")
    conv.set_all([msg("c", 0, text="bonjour " * 40)], [], has_more=False)
    model.bind(conv)

    def height(point_size: float) -> int:
        option = QStyleOptionViewItem()
        font = QFont(view.font())
        font.setPointSizeF(point_size)
        option.font = font
        return delegate.sizeHint(option, model.index(0)).height()

    small = height(9)
    large = height(18)
    assert large > small
    assert height(9) == small
    assert height(9) == small  # kept: the same font again
