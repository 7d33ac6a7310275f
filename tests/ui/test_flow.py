"""The agent's flow (issue 21) against the real server: from a new "where is my order 1938?" to a
stored reply naming that order, its carrier, tracking link and expected date in three keys (Enter,
Tab, Enter) after a real sign-in; Ctrl+Enter sends and opens the next waiting thread; Esc returns
to the list; the suggestion switches to the late-delivery answer once the date has passed; a lead
marks templates for a question in the editor.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from agent_desktop.core.formatting import format_date
from agent_desktop.ui import i18n
from agent_desktop.ui import selection as selection_module
from agent_desktop.ui.main_window import MainWindow
from agent_desktop.ui.plain_text import ElidedLabel
from agent_desktop.ui.session import Session
from agent_desktop.ui.template_editor import TemplateEditor
from tests.helpers.flow_shop import Shop
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import (
    AGENT2_EMAIL,
    AGENT_EMAIL,
    PASSWORD,
    ServerProcess,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

LEAD_EMAIL = "lead@demo.test"
WHERE_EN = (
    "Hi {{customer.first_name}}, your order {{order.number}} is with {{order.carrier}} "
    "(tracking {{order.tracking_number}}: {{order.tracking_url}}) and should arrive by "
    "{{order.eta}}."
)
LATE_EN = (
    "I'm sorry {{customer.first_name}}, order {{order.number}} is late. I've asked "
    "{{order.carrier}} what happened: {{order.tracking_url}}"
)
WHERE_FR = (
    "Bonjour {{customer.first_name}}, votre commande {{order.number}} est chez {{order.carrier}} "
    "({{order.tracking_url}}) et devrait arriver le {{order.eta}}."
)


@pytest.fixture(scope="module")
def flow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server of its own: the tests add customers whose threads are the most urgent."""
    proc = ServerProcess(tmp_path_factory.mktemp("flow-server"), ("--seed-test",))
    proc.start()
    yield proc
    proc.stop()


@dataclass
class Signed:
    window: MainWindow
    session: Session


@pytest.fixture
async def shop(flow_server: ServerProcess) -> AsyncIterator[Shop]:
    s = await Shop.open(flow_server)
    yield s
    await s.aclose()


async def sign_in(qtbot: Any, server: ServerProcess, email: str = AGENT_EMAIL) -> Signed:
    window = MainWindow()
    qtbot.add_widget(window)
    window.resize(1280, 800)
    window.show()
    session = Session(window, url=server.url)
    assert await session.start(email=email, password=PASSWORD)
    await wait_for_condition(
        lambda: window.store is not None and window.store.connection.state == "live", 20
    )
    return Signed(window, session)


async def sign_out(signed: Signed) -> None:
    w = signed.window
    await wait_for_condition(lambda: w.tasks.running() == 0, 10)
    await signed.session.aclose()
    await w.tasks.cancel_all()
    w.images.cancel_all()


async def test_three_keys_from_a_new_question_to_a_stored_answer(
    qtbot: Any, flow_server: ServerProcess, shop: Shop
) -> None:
    eta = datetime.now(UTC) + timedelta(days=2)
    await shop.template("where-en", "where_is_order", WHERE_EN, "en")
    await shop.template("late-en", "late_delivery", LATE_EN, "en")
    await shop.template("ou-fr", "where_is_order", WHERE_FR, "fr")
    maya = await shop.customer_with_orders(
        "Maya Lopez", "en", [("1938", 6, eta), ("1950", 1, eta + timedelta(days=3))]
    )
    # The most urgent thread waiting for the agent: it waits longer than every other.
    thread = await shop.customer_asks(
        "Maya Lopez", "Hi, where is my order 1938?", maya, timedelta(days=3)
    )
    signed = await sign_in(qtbot, flow_server)
    w = signed.window
    try:
        # After sign-in: the list has the keyboard, that thread highlighted (and open).
        await wait_for_condition(
            lambda: w.current_thread_id == thread and w.thread_list.view.hasFocus(), 10
        )
        assert w.thread_list.current_thread_id() == thread
        keys = 0
        qtbot.keyClick(w.thread_list.view, Qt.Key.Key_Return)
        keys += 1
        assert w.composer.editor.hasFocus()
        assert "Maya Lopez" in w.composer.recipient_label.text()
        await wait_for_condition(lambda: w.composer.suggestion_shown(), 10)
        shown = w.composer.suggestion_bar.text.text()
        assert "#1938" in shown and "Colissimo" in shown and "6A1938" in shown
        assert format_date(eta, "en", length="long") in shown
        qtbot.keyClick(w.composer.editor, Qt.Key.Key_Tab)
        keys += 1
        assert w.composer.text() == shown and w.composer.editor.hasFocus()
        qtbot.keyClick(w.composer.editor, Qt.Key.Key_Return)
        keys += 1
        assert keys == 3
        await wait_for_condition(
            lambda: w.store is not None and w.store.threads[thread].waiting_since is None, 10
        )
        stored = [m["text"] for m in await shop.messages(thread) if m["author"]["kind"] == "agent"]
        assert stored == [
            f"Hi Maya, your order #1938 is with Colissimo (tracking 6A1938: "
            f"https://www.laposte.fr/outils/suivre-vos-envois?code=6A1938) and should arrive by "
            f"{format_date(eta, 'en', length='long')}."
        ]
        assert w.composer.text() == "" and not w.composer.suggestion_shown()
    finally:
        await sign_out(signed)


async def test_send_and_next_escape_and_the_late_delivery_answer(
    qtbot: Any, flow_server: ServerProcess, shop: Shop
) -> None:
    past = datetime.now(UTC) - timedelta(days=2)
    noor = await shop.customer_with_orders("Noor Haddad", "en", [("2044", 9, past)])
    first = await shop.customer_asks(
        "Noor Haddad", "where's my parcel?? order 2044", noor, timedelta(days=4)
    )
    camille = await shop.customer_with_orders(
        "Camille Roux", "fr", [("2051", 3, datetime.now(UTC) + timedelta(days=1))]
    )
    second = await shop.customer_asks(
        "Camille Roux", "Bonjour, où en est ma commande ?", camille, timedelta(days=3, hours=23)
    )
    signed = await sign_in(qtbot, flow_server)
    w = signed.window
    try:
        await wait_for_condition(lambda: w.current_thread_id == first, 10)
        qtbot.keyClick(w.thread_list.view, Qt.Key.Key_Return)
        await wait_for_condition(lambda: w.composer.suggestion_shown(), 10)
        # The expected date has passed: the late-delivery answer, never "arrives by <past day>".
        text = w.composer.suggestion_bar.text.text()
        assert text.startswith("I'm sorry Noor, order #2044 is late.")
        assert "should arrive" not in text
        # Esc: back to the list, nothing lost; Enter: back to the same composer.
        qtbot.keyClick(w.composer.editor, Qt.Key.Key_Escape)
        assert w.thread_list.view.hasFocus() and w.current_thread_id == first
        qtbot.keyClick(w.thread_list.view, Qt.Key.Key_Return)
        assert w.composer.editor.hasFocus()
        qtbot.keyClick(w.composer.editor, Qt.Key.Key_Tab)
        # Ctrl+Enter: sent, and the next thread waiting for the agent opens, composer ready.
        qtbot.keyClick(w.composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        await wait_for_condition(lambda: w.current_thread_id == second, 10)
        assert w.composer.editor.hasFocus()
        assert "Camille Roux" in w.composer.recipient_label.text()
        await wait_for_condition(lambda: w.composer.suggestion_shown(), 10)
        assert w.composer.suggestion_bar.text.text().startswith(
            "Bonjour Camille, votre commande #2051 est chez Colissimo"
        )
        stored = [m["text"] for m in await shop.messages(first) if m["author"]["kind"] == "agent"]
        assert len(stored) == 1 and stored[0].startswith("I'm sorry Noor, order #2044 is late.")
        # A note goes out as a note, and the composer is back to Reply for what follows.
        qtbot.keyClick(
            w.composer.editor,
            Qt.Key.Key_N,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        assert w.composer.kind == "note" and not w.composer.suggestion_shown()
        qtbot.keyClicks(w.composer.editor, "Checking with the carrier")
        qtbot.keyClick(w.composer.editor, Qt.Key.Key_Return)
        assert w.composer.kind == "reply" and w.composer.suggestion_shown()
    finally:
        await sign_out(signed)


async def test_a_lead_marks_a_team_template_for_a_question(
    qtbot: Any, flow_server: ServerProcess, shop: Shop
) -> None:
    signed = await sign_in(qtbot, flow_server, LEAD_EMAIL)
    w = signed.window
    try:
        w.open_template_editor()
        editor = w.findChild(TemplateEditor)
        assert editor is not None
        assert not editor.intent.isEnabled()  # a personal template answers nothing for the team
        editor.scope.setCurrentIndex(editor.scope.findData("team"))
        assert editor.intent.isEnabled()
        editor.intent.setCurrentIndex(editor.intent.findData("refund_status"))
        editor.shortcut.setText("refund-en")
        editor.title.setText("Refund on its way")
        editor.body.setPlainText(
            "Your refund of {{order.total}} for {{order.number}} is on its way."
        )
        editor.save_button.click()
        store = w.store
        assert store is not None
        await wait_for_condition(
            lambda: any(t.shortcut == "refund-en" for t in store.templates), 10
        )
        saved = next(t for t in store.templates if t.shortcut == "refund-en")
        assert (saved.scope, saved.intent, saved.language) == ("team", "refund_status", "en")
        editor.reject()
    finally:
        await sign_out(signed)


async def test_passing_over_rows_leaves_them_unread(
    qtbot: Any, flow_server: ServerProcess, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Moving through the list opens each row it stops on but marks none read; a thread that
    stays open a moment is read (the agent's or nobody's only), Enter reads any thread."""
    customer = await shop.customer_with_orders("Lena Vogel", "en", [])
    threads = [
        await shop.customer_asks(name, "hello?", customer, timedelta(days=20, minutes=-i))
        for i, name in enumerate(("Lena Vogel", "Omar Aziz", "Ines Costa", "Piet de Vries"))
    ]
    assert [await shop.unread(t) for t in threads] == [1, 1, 1, 1]
    colleagues = threads[3]
    await shop.assign(colleagues, await shop.agent_id(AGENT2_EMAIL))
    # Passing: nothing stays open long enough to be read (the moment is shortened below).
    monkeypatch.setattr(selection_module, "READ_AFTER_MS", 60_000)
    signed = await sign_in(qtbot, flow_server)
    w = signed.window
    sel = w.selection
    try:
        qtbot.keyClick(w.thread_list.view, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
        assert w.thread_list.assignee_buttons["all"].isChecked()  # Ctrl+3: All
        await wait_for_condition(lambda: w.thread_list.select_thread(threads[0]), 10)
        for thread_id in threads:
            await wait_for_condition(lambda t=thread_id: sel._opened_id == t, 10)
            # The agent's or nobody's thread would be read after a moment; a colleague's never.
            assert sel.read_timer.isActive() == (thread_id != colleagues)
            qtbot.keyClick(w.thread_list.view, Qt.Key.Key_Down)
        qtbot.keyClick(w.thread_list.view, Qt.Key.Key_Up)
        await wait_for_condition(lambda: w.current_thread_id == colleagues, 10)
        assert [await shop.unread(t) for t in threads] == [1, 1, 1, 1]
        # Staying on a row for a moment reads it.
        sel.read_timer.setInterval(50)
        qtbot.keyClick(w.thread_list.view, Qt.Key.Key_Up)
        await wait_for_condition(lambda: w.current_thread_id == threads[2], 10)
        for _ in range(100):
            if await shop.unread(threads[2]) == 0:
                break
            await wait_for_condition(lambda: not sel.read_timer.isActive(), 5)
        assert await shop.unread(threads[2]) == 0
        # Enter on the colleague's thread: opened on purpose, so read.
        qtbot.keyClick(w.thread_list.view, Qt.Key.Key_Down)
        await wait_for_condition(lambda: w.current_thread_id == colleagues, 10)
        qtbot.keyClick(w.thread_list.view, Qt.Key.Key_Return)
        assert w.composer.editor.hasFocus()
        unread = 1
        for _ in range(100):
            unread = await shop.unread(colleagues)
            if unread == 0:
                break
            await wait_for_condition(lambda: w.tasks.running() == 0, 5)
        assert unread == 0
        assert [await shop.unread(t) for t in threads[:2]] == [1, 1]
    finally:
        await sign_out(signed)


def clipped(window: QWidget) -> list[str]:
    """The visible labels and buttons whose text does not fit their width."""
    out = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 1:
            continue
        if isinstance(widget, ElidedLabel):
            continue  # shows what fits, ending in "…"
        if isinstance(widget, QLabel) and widget.text() and not widget.wordWrap():
            if widget.textFormat() != Qt.TextFormat.PlainText:
                continue
            m = widget.contentsMargins()
            room = widget.contentsRect().width() - m.left() - m.right() - 2 * widget.margin()
            widest = max(
                widget.fontMetrics().horizontalAdvance(line)
                for line in widget.text().splitlines() or [""]
            )
            if widest > room + 1:
                out.append(f"{widget.objectName() or 'label'}: {widget.text()!r}")
        elif (
            isinstance(widget, QAbstractButton)
            and widget.text()
            and widget.sizeHint().width() > widget.width() + 1  # narrower than its text
        ):
            out.append(f"{widget.objectName() or 'button'}: {widget.text()!r}")
    return out


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_small_screen_nothing_clipped_and_the_thread_header(
    qtbot: Any, qapp: Any, flow_server: ServerProcess, shop: Shop, language: str
) -> None:
    """At 1024×700 no label or button is clipped (in English and French): the header's buttons
    collapse into the ⋯ menu; a resolved thread says so in its header; a plain agent's assign
    menu offers no colleague."""
    assert i18n.install(qapp, language)
    customer = await shop.customer_with_orders(
        "Maximilian Alexander Featherstonehaugh-Worthington", "en", []
    )
    thread = await shop.customer_asks(
        "Maximilian Alexander Featherstonehaugh-Worthington", "hi", customer, timedelta(days=30)
    )
    signed = await sign_in(qtbot, flow_server)
    w = signed.window
    try:
        w.resize(1024, 700)
        await wait_for_condition(lambda: w.width() == 1024, 5)
        await wait_for_condition(lambda: w.selection._opened_id == thread, 10)
        pane = w.conversation
        pane.fit_header()
        assert not pane.resolve_button.isVisible()
        assert all(a.isVisible() for a in pane.collapsed_actions)
        assert not clipped(w), "\n".join(clipped(w))
        # The long name ends in "…" where it does not fit, whole in the tooltip.
        assert pane.title.shown_text().endswith("…")
        assert "Featherstonehaugh-Worthington" in pane.title.toolTip()
        # Wide enough: the buttons are back in the header, the menu without them.
        w.resize(1600, 800)
        await wait_for_condition(lambda: pane.resolve_button.isVisible(), 5)
        assert not any(a.isVisible() for a in pane.collapsed_actions)
        assert not clipped(w), "\n".join(clipped(w))
        # A plain agent is offered themselves and "Unassign", no colleague.
        texts = [a.text() for a in pane.assign_menu.actions() if a.text()]
        assert len(texts) == 2, texts
        # Resolved: the header says so.
        pane.resolve_button.click()
        await wait_for_condition(lambda: pane.status_label.isVisible(), 10)
        assert pane.status_label.text() == ("Résolue" if language == "fr" else "Resolved")
    finally:
        await sign_out(signed)
        i18n.install(qapp, "en")
