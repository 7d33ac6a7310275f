"""Agent actions in the window: a refused reply shows the reason and a Retry button, resolve and go
to the next thread, drafts restored per thread, notifications for new customer messages, and the
template editor's live preview."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from agent_desktop.ui.conversation_model import MessageRole
from agent_desktop.ui.template_editor import TemplateEditor
from tests.ui.conftest import Workspace, customer_writes

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

T_WAITING, T_ANSWERED, T_SOFIA, T_CLOSED, T_WEB = (
    "t_camille",
    "t_jonas",
    "t_sofia",
    "t_olga",
    "t_noah",
)


async def test_a_refused_reply_shows_the_reason_and_retry(workspace: Workspace, qtbot: Any) -> None:
    ws = workspace
    w = ws.window
    await ws.open(T_CLOSED)
    await ws.store.send(T_CLOSED, "Are you still there?", kind="reply")  # the server answers 409

    def failed_row() -> int:
        for r in range(w.conversation_model.rowCount()):
            if w.conversation_model.index(r).data(MessageRole.Delivery) == "failed":
                return r
        return -1

    await ws.until(lambda: failed_row() >= 0)
    key = str(w.conversation_model.index(failed_row()).data(MessageRole.Key))
    # The failed delivery has ended before the retry starts another.
    await ws.until(lambda: not ws.store.delivery.delivering(key.removeprefix("local:")))
    idx = w.conversation_model.index(failed_row())
    assert idx.data(MessageRole.Error)  # the server's sentence
    view = w.conversation.view
    view.scrollTo(idx)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(idx)
    layout = w.conversation.delegate.compute(option, idx)
    assert "Failed" in layout.footer and layout.retry is not None
    retry = w.conversation.delegate.retry_rect(option, idx)
    assert retry is not None
    with qtbot.wait_signal(w.conversation.delegate.retryRequested, timeout=2000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=retry.center().toPoint())
    assert str(blocker.args[0]).startswith("local:")
    assert failed_row() == -1  # sending again
    await ws.until(lambda: failed_row() >= 0, 15)  # refused again
    ws.store.discard(str(blocker.args[0]).removeprefix("local:"))


async def test_resolve_and_next_opens_the_next_thread(workspace: Workspace, qtbot: Any) -> None:
    ws = workspace
    w = ws.window
    await ws.open(T_ANSWERED)
    expected = w.thread_list.next_thread_id(T_ANSWERED)
    assert expected and expected != T_ANSWERED
    qtbot.keyClick(
        w.composer.editor,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    await ws.until(lambda: ws.store.threads[T_ANSWERED].status == "resolved")
    assert w.current_thread_id == expected
    await ws.until(lambda: w.thread_model.get(T_ANSWERED).status == "resolved")
    assert T_ANSWERED not in [
        w.thread_list.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 2)
        for r in range(w.thread_list.proxy.rowCount())
    ]
    await ws.store.set_status(T_ANSWERED, "open")


async def test_drafts_are_restored_per_thread(workspace: Workspace, qtbot: Any) -> None:
    ws = workspace
    w = ws.window
    await ws.open(T_SOFIA)
    qtbot.keyClicks(w.composer.editor, "Half-written answer")
    await ws.open(T_WAITING)
    assert w.composer.text() == ""
    await ws.open(T_SOFIA)
    assert w.composer.text() == "Half-written answer"
    assert ws.store.db.draft(T_SOFIA) == "Half-written answer"
    w.composer.clear_text()


async def test_a_customer_message_in_an_unassigned_thread_notifies(
    workspace: Workspace, qtbot: Any
) -> None:
    ws = workspace
    w = ws.window
    titles: list[str] = []
    w.notify.connect(lambda title, body: titles.append(title))
    await customer_writes(ws.server, T_WAITING, "Hello? Anyone there?")
    await ws.until(lambda: any("Camille Martin" in t for t in titles))
    assert w.windowTitle().startswith("(")  # the unread count leads the window title
    # A thread of mine whose timer enters "warning" (60 % of 5 min) notifies once.
    await customer_writes(ws.server, T_ANSWERED, "Still there?")
    await ws.until(lambda: ws.store.threads[T_ANSWERED].waiting_since is not None)
    later = ws.store.now() + timedelta(seconds=200)
    ws.store.alerts.check(later)
    ws.store.alerts.check(later)
    assert sum("Jonas Weber is waiting" in t for t in titles) == 1


async def test_template_editor_previews_against_the_open_thread(
    workspace: Workspace, qtbot: Any
) -> None:
    ws = workspace
    w = ws.window
    await ws.open(T_WAITING)
    w.open_template_editor()
    editor = w.findChild(TemplateEditor)
    assert editor is not None and editor.isVisible()
    editor.shortcut.setText("hello")
    editor.title.setText("Hello")
    editor.body.setPlainText(
        "Bonjour {{customer.first_name}}, votre commande {{order.number}} : {{order.nothing}}"
    )
    assert editor.preview.toPlainText().startswith("Bonjour Camille, votre commande #1042 : ")
    assert (
        editor.missing.text() == "{{order.nothing}} is not a variable: use one of the list above."
    )
    assert not editor.scope.isEnabled()  # an agent cannot make team templates
    assert not editor.intent.isEnabled()  # nor mark one for a customer question
    assert editor.language.currentData() == "en"  # the interface's language
    count = len(ws.store.templates)
    # An unknown variable is refused with a sentence, nothing is sent to the server.
    saves: list[object] = []
    editor.saveRequested.connect(lambda *a: saves.append(a))
    editor.save_button.click()
    assert saves == []
    assert editor.error.text() == (
        "{{order.nothing}} is not a variable: use one of the list above. Not saved."
    )
    editor.body.setPlainText("Bonjour {{customer.first_name}}, votre commande {{order.number}}")
    assert editor.missing.text() == ""
    editor.save_button.click()
    await ws.until(
        lambda: len(ws.store.templates) == count + 1 and w.template_model.rowCount() == count + 1
    )
    created = next(t for t in ws.store.templates if t.shortcut == "hello")
    assert created.scope == "personal"
    editor.load(created)
    editor.delete_button.click()
    await ws.until(lambda: len(ws.store.templates) == count)
    editor.reject()


async def test_older_messages_load_at_the_top_keeping_the_position(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent_desktop.store import client_store

    monkeypatch.setattr(client_store, "MESSAGE_PAGE", 10)
    ws = workspace
    w = ws.window
    await ws.open(T_WEB)  # 26 messages: three pages of ten
    assert w.conversation_model.rowCount() == 10
    view = w.conversation.view
    bar = view.verticalScrollBar()
    await ws.until(lambda: bar.maximum() > 0)
    first_key = w.conversation_model.index(0).data(MessageRole.Key)
    bar.setValue(0)  # scrolled to the top: the previous page loads
    await ws.until(lambda: w.conversation_model.rowCount() == 20)
    # The message that was at the top is still at the top of the viewport (no jump), once the
    # older page is laid out above it.
    await ws.until(
        lambda: (
            abs(
                view.visualRect(
                    w.conversation_model.index(w.conversation_model.row_of(first_key))
                ).top()
            )
            < 30
        )
    )
    row = w.conversation_model.row_of(first_key)
    assert row == 10
    top = view.visualRect(w.conversation_model.index(row)).top()
    assert abs(top) < 30, top
    bar.setValue(0)
    await ws.until(lambda: w.conversation_model.rowCount() == 26)
    assert (
        w.conversation_model.index(0).data(Qt.ItemDataRole.DisplayRole)
        == "Message 1 about the return label"
    )


async def test_presence_toggle_and_other_viewers(workspace: Workspace, qtbot: Any) -> None:
    from agent_desktop.backends.agent_api import AgentApiBackend
    from agent_desktop.store.client_store import ClientStore
    from tests.helpers.server_fixtures import AGENT2_EMAIL, PASSWORD

    ws = workspace
    w = ws.window
    toggle = w.status.presence
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    await ws.until(lambda: ws.store.me is not None and ws.store.me.presence == "away")
    assert "Away" in toggle.text()
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    await ws.until(lambda: ws.store.me is not None and ws.store.me.presence == "online")

    await ws.open(T_WAITING)
    other = AgentApiBackend(ws.server.url, retries=1, timeout=5.0)
    await other.login(AGENT2_EMAIL, PASSWORD)
    store2 = ClientStore(other, agent_key=AGENT2_EMAIL)
    try:
        await store2.start()
        await ws.until(lambda: store2.connection.state == "live", 20)
        await store2.notify_viewing(T_WAITING)
        await ws.until(lambda: "Bruno Keller" in w.conversation.presence.text())
        await store2.notify_typing(T_WAITING)
        await ws.until(lambda: "typing" in w.conversation.presence.text())
    finally:
        await store2.close()
        await other.aclose()


async def test_enter_can_insert_a_new_line_when_configured(
    workspace: Workspace, qtbot: Any
) -> None:
    ws = workspace
    w = ws.window
    await ws.open(T_SOFIA)
    w.on_settings_changed("", False, False)
    editor = w.composer.editor
    qtbot.keyClicks(editor, "line one")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "line two")
    assert w.composer.text() == "line one\nline two"
    assert "Ctrl+Enter" in w.composer.hint.text()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(editor, Qt.Key.Key_N, ctrl_shift)  # a note: it does not stop the clock
    assert w.composer.kind == "note"
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert w.composer.text() == ""
    await ws.until(
        lambda: any(
            w.conversation_model.index(r).data(Qt.ItemDataRole.DisplayRole) == "line one\nline two"
            and w.conversation_model.index(r).data(MessageRole.Delivery) == "sent"
            for r in range(w.conversation_model.rowCount())
        )
    )
    w.on_settings_changed("", True, False)
