"""The main window against the real server: the list fills and updates live, a thread opens with
its purchase history, quick replies insert rendered text, the composer sends exactly once, the
closed reply window blocks replies, the keyboard moves between threads, and customer markup
stays text."""

from __future__ import annotations

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from agent_desktop.core.types import MAX_TEXT_LENGTH
from agent_desktop.ui.conversation_model import MessageRole
from agent_desktop.ui.thread_model import ThreadRole
from tests.helpers.server_fixtures import login
from tests.ui.conftest import Workspace, customer_writes

# The offscreen platform logs this for every top-level window; it says nothing about the app.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

T_WAITING, T_ANSWERED, T_SOFIA, T_CLOSED = "t_camille", "t_jonas", "t_sofia", "t_olga"


def visible_ids(ws: Workspace) -> list[str]:
    proxy = ws.window.thread_list.proxy
    return [proxy.index(r, 0).data(ThreadRole.ThreadId) for r in range(proxy.rowCount())]


async def test_list_fills_sorted_and_updates_live_keeping_the_selection(
    workspace: Workspace, qtmodeltester
) -> None:
    ws = workspace
    w = ws.window
    qtmodeltester.check(w.thread_model, force_py=True)  # and watches every live change below
    ids = visible_ids(ws)
    assert ids[0] == T_SOFIA  # waiting for two days: the most urgent open thread
    assert T_WAITING in ids and T_CLOSED not in ids  # resolved threads are filtered out
    await ws.open(T_WAITING)
    bar = w.thread_list.view.verticalScrollBar()
    scroll = bar.value()
    resets: list[bool] = []
    w.thread_model.modelReset.connect(lambda: resets.append(True))
    before = ws.store.threads[T_ANSWERED].updated_at
    await customer_writes(ws.server, T_ANSWERED, "One more question, please")
    await ws.until(lambda: ws.store.threads[T_ANSWERED].updated_at > before)
    await ws.until(lambda: w.thread_model.get(T_ANSWERED).waiting_since is not None)
    assert not resets
    assert w.thread_list.current_thread_id() == T_WAITING
    assert bar.value() == scroll
    ids = visible_ids(ws)
    # Jonas now waits (seconds) and ranks among the waiting threads, after the older waits.
    assert ids.index(T_ANSWERED) > ids.index(T_WAITING)
    row = w.thread_model.row_of(T_ANSWERED)
    reading = w.thread_model.index(row).data(ThreadRole.Timer)
    assert reading.state == "ok"


async def test_selecting_a_thread_loads_conversation_and_purchase_history(
    workspace: Workspace, qtmodeltester
) -> None:
    ws = workspace
    w = ws.window
    qtmodeltester.check(w.conversation_model, force_py=True)
    await ws.open(T_WAITING)
    texts = [
        w.conversation_model.index(r).data(Qt.ItemDataRole.DisplayRole)
        for r in range(w.conversation_model.rowCount())
    ]
    assert "Bonjour, où en est ma commande #1042 ?" in texts
    card = next(
        r
        for r in range(w.conversation_model.rowCount())
        if w.conversation_model.index(r).data(MessageRole.Message).kind == "order_event"
    )
    assert w.conversation_model.index(card).data(MessageRole.Order).number == "#1042"
    assert w.history.customer.name == "Camille Martin"
    assert [o.number for o in w.history.orders] == ["#1042", "#1041"]
    assert w.history.selected_order_id == "o_1042"
    label_texts = [lbl.text() for lbl in w.history.findChildren(QLabel)]
    assert any("6A22222222222" in t for t in label_texts)
    await ws.until(lambda: w.history.pictures_loaded() and w.images.pending() == 0)
    assert w.images.is_loaded("/media/products/test-mug.png")
    assert w.conversation.title.text() == "Camille Martin"


async def test_quick_reply_inserts_the_rendered_template_with_the_selected_order(
    workspace: Workspace, qtbot, qtmodeltester
) -> None:
    ws = workspace
    w = ws.window
    qtmodeltester.check(w.template_model, force_py=True)
    await ws.open(T_WAITING)
    w.history.select_order("o_1041")
    editor = w.composer.editor
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Slash)
    assert w.quick_replies.isVisible()
    qtbot.keyClicks(w.quick_replies.filter, "suivi")
    qtbot.keyClick(w.quick_replies.filter, Qt.Key.Key_Return)
    assert not w.quick_replies.isVisible()
    text = w.composer.text()
    assert text.startswith("Your parcel #1041 is on its way: ")
    assert not text.startswith("/")
    # The tracking URL is unknown: it stays highlighted and the first Send only warns.
    assert w.composer.unfilled() == ["order.tracking_url"]
    assert len(editor.extraSelections()) == 1
    assert not w.composer.try_send()
    assert "order.tracking_url" in w.composer.hint.text()
    w.composer.clear_text()
    qtbot.keyClick(editor, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert w.quick_replies.isVisible()
    qtbot.keyClick(w.quick_replies.filter, Qt.Key.Key_Escape)
    assert not w.quick_replies.isVisible()


async def test_sending_shows_sending_then_sent_and_the_server_has_it_once(
    workspace: Workspace, qtbot
) -> None:
    ws = workspace
    w = ws.window
    await ws.open(T_WAITING)
    states: list[str] = []

    def record(*_: object) -> None:
        for r in range(w.conversation_model.rowCount()):
            idx = w.conversation_model.index(r)
            if idx.data(Qt.ItemDataRole.DisplayRole) == "Your parcel arrives tomorrow.":
                states.append(idx.data(MessageRole.Delivery))

    w.conversation_model.rowsInserted.connect(record)
    w.conversation_model.dataChanged.connect(record)
    qtbot.keyClicks(w.composer.editor, "Your parcel arrives tomorrow.")
    assert len(w.composer.count_label.text()) > 0 and "29" in w.composer.count_label.text()
    qtbot.keyClick(w.composer.editor, Qt.Key.Key_Return)
    assert w.composer.text() == ""
    await ws.until(lambda: "sent" in states)
    assert states[0] == "sending"
    token = login(ws.server)
    async with httpx.AsyncClient() as client:
        r = await client.get(
            f"{ws.server.api}/threads/{T_WAITING}/messages",
            headers={"Authorization": f"Bearer {token}"},
        )
    sent = [m for m in r.json()["items"] if m["text"] == "Your parcel arrives tomorrow."]
    assert len(sent) == 1
    await ws.until(lambda: ws.store.threads[T_WAITING].waiting_since is None)


async def test_closed_window_disables_sending_but_not_notes(workspace: Workspace, qtbot) -> None:
    ws = workspace
    w = ws.window
    await ws.open(T_CLOSED)
    assert "Closed" in w.composer.window_label.text()
    qtbot.keyClicks(w.composer.editor, "Hello again")
    assert not w.composer.send_button.isEnabled()
    qtbot.keyClick(
        w.composer.editor,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert w.composer.kind == "note"
    assert w.composer.send_button.isEnabled()
    w.composer.set_kind("reply")
    assert not w.composer.send_button.isEnabled()
    w.composer.clear_text()
    # Sofia wrote two days ago: the human agent tag window.
    await ws.open(T_SOFIA)
    assert w.composer.window_label.text().startswith("Human agent tag until ")
    await ws.open(T_WAITING)
    assert w.composer.window_label.text().startswith("Standard window, closes in ")
    qtbot.keyClicks(w.composer.editor, "x" * (MAX_TEXT_LENGTH + 1))
    assert not w.composer.send_button.isEnabled()
    w.composer.clear_text()


async def test_keyboard_moves_between_threads_and_escape_returns_to_the_list(
    workspace: Workspace, qtbot, qtmodeltester
) -> None:
    ws = workspace
    w = ws.window
    qtmodeltester.check(w.thread_list.proxy, force_py=True)
    ids = visible_ids(ws)
    w.thread_list.select_row(0)
    view = w.thread_list.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_J)
    assert w.thread_list.current_thread_id() == ids[1]
    qtbot.keyClick(view, Qt.Key.Key_K)
    assert w.thread_list.current_thread_id() == ids[0]
    w.composer.editor.setFocus()
    qtbot.keyClick(w.composer.editor, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert w.thread_list.current_thread_id() == ids[1]
    qtbot.keyClick(w.composer.editor, Qt.Key.Key_J)  # typing: a letter, not a move
    assert w.thread_list.current_thread_id() == ids[1]
    assert w.composer.text() == "j"
    qtbot.keyClick(w.composer.editor, Qt.Key.Key_Escape)
    assert view.hasFocus()
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w.thread_list.search.hasFocus()


async def test_customer_markup_is_shown_as_text(workspace: Workspace) -> None:
    ws = workspace
    w = ws.window
    markup = (
        '<b>bold</b> <img src="http://evil.example/x.png"> <a href="http://evil.example">link</a>'
    )
    await customer_writes(ws.server, T_SOFIA, markup)
    await ws.open(T_SOFIA)
    await ws.until(
        lambda: any(
            w.conversation_model.index(r).data(Qt.ItemDataRole.DisplayRole) == markup
            for r in range(w.conversation_model.rowCount())
        )
    )
    row = next(
        r
        for r in range(w.conversation_model.rowCount())
        if w.conversation_model.index(r).data(Qt.ItemDataRole.DisplayRole) == markup
    )
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    option.initFrom(w.conversation.view)
    layout = w.conversation.delegate.compute(option, w.conversation_model.index(row))
    assert layout.text is not None and layout.text.text() == markup
    assert w.thread_model.get(T_SOFIA).last_message.text == markup
    assert w.thread_model.index(w.thread_model.row_of(T_SOFIA)).data(ThreadRole.Preview) == markup
    for label in w.findChildren(QLabel):
        if "<" in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    assert not w.images.is_loaded("http://evil.example/x.png")


async def test_search_finds_an_order_number_through_the_server(workspace: Workspace, qtbot) -> None:
    ws = workspace
    w = ws.window
    qtbot.keyClicks(w.thread_list.search, "#2001")  # Jonas's order: not in any preview text
    await ws.until(lambda: visible_ids(ws) == [T_ANSWERED])
    w.thread_list.search.clear()
    await ws.until(lambda: len(visible_ids(ws)) > 1)
