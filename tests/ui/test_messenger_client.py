"""The desktop client against the reference server with its Messenger bridge on, pointed at the
loopback fake Graph API (tests/integration/messenger/fake_graph.py): a signed webhook delivery
appears live in the thread list and the conversation, replies typed in the composer reach the fake
Graph API with the messaging type and tag the window demands, "Send order status" in the purchase
history sends a receipt whose total matches the order or is disabled with the server's reason, and
a delivery Messenger refused shows its reason with Retry."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QStyleOptionViewItem

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.core.types import Message
from agent_desktop.server.messenger.signature import sign
from agent_desktop.store.client_store import ClientStore
from agent_desktop.store.messenger import MessengerStore
from agent_desktop.ui.conversation_delegate import text_block
from agent_desktop.ui.conversation_model import MessageRole
from agent_desktop.ui.purchase_history import OrderStatusAction, PurchaseHistory
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import AGENT_EMAIL, PASSWORD, ServerProcess, login
from tests.integration.messenger.conftest import (
    APP_SECRET,
    Bridge,
    _environ,
    bridge_env,
    payload,
    text_item,
)
from tests.integration.messenger.fake_graph import FakeGraph, FakeGraphServer
from tests.ui.conftest import Workspace

# The offscreen platform logs this for every top-level window; it says nothing about the app.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

NO_CONSENT = "they have not agreed to receive order updates on Messenger"


@pytest.fixture(scope="module")
def fake_graph() -> Iterator[FakeGraph]:
    runner = FakeGraphServer()
    graph = runner.start()
    yield graph
    runner.stop()


@pytest.fixture(scope="module")
def ui_server(
    fake_graph: FakeGraph, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """The seeded server with the Messenger bridge configured against the fake Graph API (the
    `workspace` fixture of tests/ui/conftest.py signs the client in to it)."""
    proc = ServerProcess(tmp_path_factory.mktemp("messenger-ui"), ("--seed-test",))
    with _environ(bridge_env(fake_graph)):
        proc.start()
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def bridge(ui_server: ServerProcess, fake_graph: FakeGraph) -> Bridge:
    return Bridge(ui_server, fake_graph, login(ui_server))


async def deliver(server: ServerProcess, *items: dict[str, Any], standby: bool = False) -> None:
    """Post a webhook delivery signed with X-Hub-Signature-256, as Meta does (without blocking
    the client's loop)."""
    raw = json.dumps(payload(*items, standby=standby)).encode()
    async with httpx.AsyncClient() as client:
        r = await client.post(
            f"{server.url}/webhooks/messenger",
            content=raw,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": sign(raw, APP_SECRET),
            },
        )
    assert r.status_code == 200, r.text


def thread_of_psid(ws: Workspace, bridge: Bridge, psid: str) -> str | None:
    rows = bridge.sql("SELECT thread_id FROM messenger_threads WHERE psid = ?", psid)
    return str(rows[0][0]) if rows else None


def listed_text(ws: Workspace, thread_id: str) -> str | None:
    """The last message the thread list shows for `thread_id` (None while it is not listed)."""
    listed = ws.window.thread_model.get(thread_id)
    return listed.last_message.text if listed and listed.last_message else None


def texts(ws: Workspace) -> list[str]:
    model = ws.window.conversation_model
    return [model.index(r).data(Qt.ItemDataRole.DisplayRole) for r in range(model.rowCount())]


def row_of_text(ws: Workspace, text: str) -> int:
    return texts(ws).index(text)


async def type_and_send(ws: Workspace, qtbot: Any, text: str) -> None:
    composer = ws.window.composer
    composer.editor.setFocus()
    qtbot.keyClicks(composer.editor, text)
    assert composer.text() == text
    qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)


async def settle(ws: Workspace) -> None:
    """Until the window's and the purchase history's requests are done (before teardown)."""
    messenger = ws.window.history.messenger
    await ws.until(lambda: messenger is None or messenger.running() == 0)


async def test_webhook_message_appears_live_and_replies_reach_graph(
    workspace: Workspace, bridge: Bridge, qtbot: Any
) -> None:
    ws = workspace
    w = ws.window
    psid = "psid-ui-live-1"
    bridge.graph.profiles[psid] = {"first_name": "Léa", "last_name": "Durand"}
    await deliver(ws.server, text_item(psid, "Bonjour, ma commande ?", datetime.now(UTC)))
    # The new customer's thread appears in the list, live (no reload).
    await ws.until(lambda: thread_of_psid(ws, bridge, psid) is not None)
    thread_id = thread_of_psid(ws, bridge, psid)
    assert thread_id is not None

    await ws.until(lambda: listed_text(ws, thread_id) == "Bonjour, ma commande ?")
    listed = w.thread_model.get(thread_id)
    assert listed.customer_name == "Léa Durand"
    assert listed.waiting_since is not None
    await ws.open(thread_id)
    assert "Bonjour, ma commande ?" in texts(ws)
    # While the conversation is open, the next webhook message appears in it.
    await deliver(ws.server, text_item(psid, "C'est la #3001", datetime.now(UTC)))
    await ws.until(lambda: "C'est la #3001" in texts(ws))
    # A reply typed in the composer goes out as a RESPONSE inside 24 h.
    await type_and_send(ws, qtbot, "Je regarde tout de suite")
    await ws.until(lambda: len(bridge.graph.sends(psid)) == 1)
    (sent,) = bridge.graph.sends(psid)
    assert sent["messaging_type"] == "RESPONSE"
    assert "tag" not in sent
    assert sent["message"] == {"text": "Je regarde tout de suite"}
    # The reply is confirmed in the conversation, and stops the response timer.
    await ws.until(lambda: "Je regarde tout de suite" in texts(ws))
    await ws.until(lambda: w.thread_model.get(thread_id).waiting_since is None)
    await settle(ws)


async def test_reply_between_24_hours_and_7_days_carries_the_human_agent_tag(
    workspace: Workspace, bridge: Bridge, qtbot: Any
) -> None:
    ws = workspace
    psid = "psid-ui-late-2"
    written = datetime.now(UTC) - timedelta(hours=25)
    await deliver(ws.server, text_item(psid, "Hello? Anyone?", written))
    await ws.until(lambda: thread_of_psid(ws, bridge, psid) is not None)
    thread_id = thread_of_psid(ws, bridge, psid)
    assert thread_id is not None
    await ws.until(lambda: listed_text(ws, thread_id) == "Hello? Anyone?")
    await ws.open(thread_id)
    await ws.until(lambda: ws.window.composer.current_window().state == "human_agent")
    await ws.until(lambda: ws.window.history.messenger_state is not None)
    state = ws.window.history.messenger_state
    assert state is not None and state.reply_window.state == "human_agent"
    assert state.reply_block_reason is None
    await type_and_send(ws, qtbot, "Sorry for the wait, here is your answer")
    await ws.until(lambda: len(bridge.graph.sends(psid)) == 1)
    (sent,) = bridge.graph.sends(psid)
    assert sent["messaging_type"] == "MESSAGE_TAG"
    assert sent["tag"] == "HUMAN_AGENT"
    await settle(ws)


def action(ws: Workspace, order_id: str) -> OrderStatusAction:
    found = ws.window.history.order_status_action(order_id)
    assert found is not None
    return found


async def test_send_order_status_disabled_with_reason_then_sends_the_receipt(
    workspace: Workspace, bridge: Bridge, qtbot: Any
) -> None:
    ws = workspace
    w = ws.window
    # Jonas (no consent to order updates) last wrote on Messenger two days ago.
    psid = "psid-ui-jonas"
    bridge.sql("UPDATE customers SET messenger_psid = ? WHERE id = 'c_jonas'", psid)
    await deliver(ws.server, text_item(psid, "any news?", datetime.now(UTC) - timedelta(days=2)))
    await ws.until(lambda: thread_of_psid(ws, bridge, psid) == "t_jonas")
    bridge.wait_inbox_drained()
    two_days_ago = (datetime.now(UTC) - timedelta(days=2)).replace(tzinfo=None).isoformat(sep=" ")
    bridge.sql("UPDATE threads SET last_customer_message_at = ? WHERE id = 't_jonas'", two_days_ago)
    await ws.open("t_jonas")
    await ws.until(lambda: w.history.messenger_state is not None)
    receipt = action(ws, "o_2001")  # processing, not shipped: a receipt
    assert receipt.kind == "receipt"
    assert receipt.isVisible()
    button = receipt.button
    assert button.objectName() == "orderStatusButton"
    assert button.text() == "Send order status"
    assert not button.isEnabled()
    assert NO_CONSENT in button.toolTip()
    reason = receipt.reason
    assert reason.isVisible() and NO_CONSENT in reason.text()
    assert reason.textFormat() == Qt.TextFormat.PlainText
    # Jonas writes again: the window reopens, the event refreshes the facts, the button enables.
    await deliver(ws.server, text_item(psid, "still there?", datetime.now(UTC)))
    await ws.until(lambda: button.isEnabled(), within=15)
    assert not reason.isVisible()
    assert "receipt" in button.toolTip()
    cards_before = sum(1 for m in w.conversation_model.messages() if m.kind == "order_event")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    await ws.until(lambda: len(bridge.graph.sends(psid)) == 1)
    (sent,) = bridge.graph.sends(psid)
    assert sent["messaging_type"] == "RESPONSE"
    template = sent["message"]["attachment"]["payload"]
    assert template["template_type"] == "receipt"
    order = next(o for o in w.history.orders if o.id == "o_2001")
    assert template["order_number"] == order.number
    summary = template["summary"]
    assert summary["total_cost"] == order.total / 100
    assert summary["subtotal"] == order.subtotal / 100
    assert round(sum(e["price"] for e in template["elements"]), 2) == order.subtotal / 100
    assert summary["subtotal"] + summary["shipping_cost"] + summary["total_tax"] == pytest.approx(
        summary["total_cost"]
    )
    # The order card appears in the conversation, and the button says it was sent.
    await ws.until(
        lambda: (
            sum(1 for m in w.conversation_model.messages() if m.kind == "order_event")
            == cards_before + 1
        )
    )
    card = next(m for m in reversed(w.conversation_model.messages()) if m.kind == "order_event")
    assert card.order_id == "o_2001" and card.order_event == "placed"
    row = w.conversation_model.row_of(card.id)
    assert w.conversation_model.index(row).data(MessageRole.Order).id == "o_2001"
    await ws.until(
        lambda: action(ws, "o_2001").reason.text().startswith("Added to the conversation at")
    )
    await settle(ws)


async def test_standby_and_threads_not_from_messenger(workspace: Workspace, bridge: Bridge) -> None:
    ws = workspace
    w = ws.window
    # Camille's thread has not come through the bridge yet: no order-status action at all.
    await ws.open("t_camille")
    await ws.until(lambda: w.history.messenger_state is not None)
    assert not w.history.messenger_state.is_messenger
    assert [o.id for o in w.history.orders] == ["o_1042", "o_1041"]
    for order in w.history.orders:
        assert not action(ws, order.id).isVisible()
    # Camille's Messenger thread while another app owns the conversation: disabled, with why.
    psid = "psid-ui-camille"
    bridge.sql("UPDATE customers SET messenger_psid = ? WHERE id = 'c_camille'", psid)
    await deliver(ws.server, text_item(psid, "allô ?", datetime.now(UTC)))
    await ws.until(lambda: thread_of_psid(ws, bridge, psid) == "t_camille")
    await ws.until(
        lambda: w.history.messenger_state is not None and w.history.messenger_state.is_messenger
    )
    shipping = action(ws, "o_1042")
    assert shipping.isVisible()
    assert shipping.kind == "shipping_update"
    await ws.until(lambda: shipping.button.isEnabled())
    await deliver(ws.server, text_item(psid, "other app", datetime.now(UTC)), standby=True)
    await ws.until(lambda: not shipping.button.isEnabled(), within=15)
    assert shipping.button.toolTip().startswith("Another app is handling")
    assert shipping.reason.isVisible()
    assert w.history.messenger_state is not None and w.history.messenger_state.standby
    # The conversation is read-only for replies (notes still go) until control returns.
    await ws.until(lambda: w.composer.standby)
    assert not w.composer.sending_allowed()
    assert w.composer.window_label.text().startswith("Another app is handling")
    w.composer.set_kind("note")
    assert w.composer.sending_allowed()
    w.composer.set_kind("reply")
    await settle(ws)


def retry_point(ws: Workspace, row: int) -> Any:
    view = ws.window.conversation.view
    index = ws.window.conversation_model.index(row)
    view.scrollTo(index)
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    rect = ws.window.conversation.delegate.retry_rect(option, index)
    assert rect is not None, "no Retry under the failed message"
    return rect.center().toPoint()


def layout_footer(ws: Workspace, row: int) -> str:
    view = ws.window.conversation.view
    index: QModelIndex = ws.window.conversation_model.index(row)
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    return ws.window.conversation.delegate.compute(option, index).footer


async def test_refused_delivery_shows_the_reason_and_retry_sends_again(
    workspace: Workspace, bridge: Bridge, qtbot: Any
) -> None:
    ws = workspace
    w = ws.window
    psid = "psid-ui-fail-3"
    await deliver(ws.server, text_item(psid, "Is my parcel lost?", datetime.now(UTC)))
    await ws.until(lambda: thread_of_psid(ws, bridge, psid) is not None)
    thread_id = thread_of_psid(ws, bridge, psid)
    assert thread_id is not None
    await ws.until(lambda: listed_text(ws, thread_id) == "Is my parcel lost?")
    await ws.open(thread_id)
    bridge.graph.fail_next(psid, 400, 551, 1545041, "This person isn't available right now.")
    await type_and_send(ws, qtbot, "Let me check for you")

    def failed_row() -> int:
        for r in range(w.conversation_model.rowCount()):
            index = w.conversation_model.index(r)
            message: Message = index.data(MessageRole.Message)
            if message.text == "Let me check for you" and index.data(MessageRole.Delivery) == (
                "failed"
            ):
                return r
        return -1

    await ws.until(lambda: failed_row() >= 0)
    row = failed_row()
    reason = w.conversation_model.index(row).data(MessageRole.Error)
    assert reason.startswith("This person isn't available on Messenger right now")
    assert reason in layout_footer(ws, row)
    qtbot.mouseClick(
        w.conversation.view.viewport(), Qt.MouseButton.LeftButton, pos=retry_point(ws, row)
    )
    await ws.until(lambda: len(bridge.graph.sends(psid)) == 2)
    assert bridge.graph.sends(psid)[-1]["message"] == {"text": "Let me check for you"}
    await ws.until(
        lambda: any(
            m.text == "Let me check for you" and m.delivery == "sent"
            for m in w.conversation_model.messages()
        )
    )
    # A second Retry on the same failed message sends nothing and says why.
    row = failed_row()
    qtbot.mouseClick(
        w.conversation.view.viewport(), Qt.MouseButton.LeftButton, pos=retry_point(ws, row)
    )
    assert w.status.currentMessage().startswith("This message was already sent again")
    await settle(ws)  # nothing was started: the second Retry sends nothing
    assert len(bridge.graph.sends(psid)) == 2

    # An order message Messenger refuses shows the reason on its card, with Retry too.
    bridge.graph.fail_next(
        psid, 400, 10, 2018278, "(#10) This message is sent outside of allowed window."
    )
    messenger = w.history.messenger
    assert messenger is not None
    await ws.until(lambda: w.history.messenger_state is not None)
    # This customer has no orders: send for a seeded order through the store, as the button does.
    customer_id = w.thread_model.get(thread_id).customer_id
    bridge.sql("UPDATE orders SET customer_id = ? WHERE id = 'o_1041'", customer_id)
    await ws.store.orders(customer_id, refresh=True)
    await ws.until(lambda: any(o.id == "o_1041" for o in w.history.orders))
    qtbot.mouseClick(action(ws, "o_1041").button, Qt.MouseButton.LeftButton)

    def failed_card() -> int:
        for r in range(w.conversation_model.rowCount()):
            index = w.conversation_model.index(r)
            if (
                index.data(MessageRole.Message).kind == "order_event"
                and index.data(MessageRole.Delivery) == "failed"
            ):
                return r
        return -1

    await ws.until(lambda: failed_card() >= 0)
    card_row = failed_card()
    card_reason = w.conversation_model.index(card_row).data(MessageRole.Error)
    assert "outside the allowed reply window" in card_reason
    assert card_reason in layout_footer(ws, card_row)
    sends_before = len(bridge.graph.sends(psid))
    qtbot.mouseClick(
        w.conversation.view.viewport(), Qt.MouseButton.LeftButton, pos=retry_point(ws, card_row)
    )
    await ws.until(lambda: len(bridge.graph.sends(psid)) == sends_before + 1)
    assert bridge.graph.sends(psid)[-1]["message"]["text"].startswith("Your order #1041")
    await settle(ws)


def test_a_shipping_update_card_keeps_its_lines(qapp: Any) -> None:
    """The shipping update's text has one line each for carrier, tracking link and date."""
    text = (
        "Your order #1 has shipped with DHL.\nTrack your parcel: 123\r\nExpected delivery: 1 May."
    )
    layout, _ = text_block(text, QFont(), 600.0)
    assert layout.lineCount() == 3


async def test_bridge_off_hides_send_order_status(
    qtbot: Any, server: ServerProcess, tmp_path: Path
) -> None:
    """Against a server without MESSENGER_* (its bridge answers 404) the action is not shown."""
    backend = AgentApiBackend(server.url, retries=1, timeout=5.0)
    await backend.login(AGENT_EMAIL, PASSWORD)
    assert await backend.messenger_state("t_camille") is None
    store = ClientStore(backend, agent_key=AGENT_EMAIL, db_path=tmp_path / "state.db")
    history = PurchaseHistory()
    qtbot.add_widget(history)
    history.show()
    messenger = MessengerStore(store)
    history.attach_messenger(messenger)
    try:
        await store.start()
        await store.open_thread("t_camille")
        orders = await store.orders("c_camille")
        history.set_data(await store.customer("c_camille"), orders)
        await wait_for_condition(lambda: messenger.running() == 0)
        assert messenger.state is None
        assert [o.id for o in orders] == ["o_1042", "o_1041"]
        for order in orders:
            found = history.order_status_action(order.id)
            assert found is not None and not found.isVisible()
    finally:
        history.attach_messenger(None)
        await store.close()
        await backend.aclose()
