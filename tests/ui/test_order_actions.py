"""Order actions and customer links in the real client against the real server: each action's
dialog checks what is typed as it is typed and is reachable from the keyboard; its result shows on
the order and in the conversation, live; a refusal shows the server's sentence in the dialog; a
refund above the limit waits and the lead's approval arrives live; a lead decides in the
dashboard; a Messenger conversation is linked to the shop's customer from the server's suggestion
or by searching."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QSpinBox, QWidget

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.store.client_store import ClientStore
from agent_desktop.ui import fmt
from agent_desktop.ui.customer_link import CustomerSearchDialog
from agent_desktop.ui.main_window import MainWindow
from agent_desktop.ui.order_actions import OrderActionDialog
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import LEAD_EMAIL, PASSWORD, ServerProcess, auth_headers, login
from tests.ui.conftest import Workspace

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


async def post(server: ServerProcess, path: str, body: Any, token: str | None = None) -> Any:
    headers = auth_headers(token) if token else {}
    async with httpx.AsyncClient(base_url=server.api, headers=headers, timeout=10) as client:
        r = await client.post(path, json=body)
    assert r.status_code in (200, 201), r.text
    return r.json()


async def new_customer_order(
    ws: Workspace, stage: str = "processing", **kw: Any
) -> tuple[str, dict[str, Any]]:
    """A customer writes (a new thread), and has one demo order at `stage`: (thread id, order)."""
    made = await post(ws.server, "/simulate/customer-message",
                      {"customer_name": f"Client {uuid.uuid4().hex[:6]}", "text": "Bonjour !"})  # fmt: skip
    thread = made["thread"]
    order = (await post(ws.server, "/simulate/order",
                        {"customer_id": thread["customer"]["id"], "stage": stage, **kw}))["order"]  # fmt: skip
    await ws.until(lambda: thread["id"] in ws.store.threads)
    await ws.open(thread["id"])
    await ws.until(lambda: ws.window.history.action_panel(order["id"]) is not None)
    return thread["id"], order


def button(widget: QWidget, name: str) -> QPushButton:
    found = widget.findChild(QPushButton, name)
    assert found is not None, name
    return found


def problem(dialog: OrderActionDialog) -> str:
    return dialog.problem.text()


def panel_lines(ws: Workspace, order_id: str) -> list[str]:
    panel = ws.window.history.action_panel(order_id)
    assert panel is not None
    return [label.text() for label in panel.findChildren(QLabel, "actionLine")]


def conversation_texts(ws: Workspace) -> list[str]:
    model = ws.window.conversation_model
    return [str(model.index(r).data(Qt.ItemDataRole.DisplayRole)) for r in range(model.rowCount())]


def focus_chain(dialog: QWidget) -> list[str]:
    """Object names in the dialog's Tab order."""
    names: list[str] = []
    start = dialog.focusWidget() or dialog
    widget = start.nextInFocusChain()
    while widget is not start and len(names) < 60:
        if widget.objectName() and widget.isVisible() and widget.isEnabled():
            names.append(widget.objectName())
        widget = widget.nextInFocusChain()
    return names


async def test_refund_dialog_validates_as_you_type_and_shows_the_result(
    workspace: Workspace, qtbot: Any
) -> None:
    ws = workspace
    _, order = await new_customer_order(ws, "delivered")
    panel = ws.window.history.action_panel(order["id"])
    assert panel is not None
    assert {k for k, b in panel.buttons.items() if not b.isHidden()} == {"refund", "return"}
    qtbot.mouseClick(panel.buttons["refund"], Qt.MouseButton.LeftButton)
    dialog = ws.window.history.dialog
    assert isinstance(dialog, OrderActionDialog) and dialog.isVisible()
    assert dialog.windowTitle() == f"Refund order {order['number']}"
    chain = focus_chain(dialog)
    assert {"qty-MUG-01", "amount", "reason", "notify", "close"} <= set(chain)
    assert not dialog.ok.isEnabled() and "Type the amount" in problem(dialog)
    amount = dialog.findChild(QLineEdit, "amount")
    assert amount is not None
    qtbot.keyClicks(amount, "40")
    assert "At most €33.90 can be refunded." in problem(dialog) and not dialog.ok.isEnabled()
    amount.clear()
    qtbot.keyClicks(amount, "abc")
    assert "Type the amount as a number, such as 12.50." in problem(dialog)
    amount.clear()
    amount.textEdited.emit("")  # back to following the items
    spin = dialog.findChild(QSpinBox, "qty-MUG-01")
    assert spin is not None and spin.maximum() == 2
    spin.setValue(1)
    assert amount.text() == "14.50"  # its price (share of discount and tax included)
    assert problem(dialog) == "Say why, for the record."
    qtbot.keyClicks(dialog.reason.lineEdit(), "Damaged in transit")
    assert dialog.ok.isEnabled() and problem(dialog) == ""
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    await ws.until(lambda: not dialog.isVisible())
    await ws.until(lambda: any("done" in line for line in panel_lines(ws, order["id"])))
    line = panel_lines(ws, order["id"])[0]
    assert line.startswith("Refund €14.50 by Amélie Dubois") and line.endswith(": done.")
    await ws.until(lambda: any("remboursé 14,50" in t or "refunded €14.50" in t
                                for t in conversation_texts(ws)))  # fmt: skip
    history = ws.window.history
    await ws.until(lambda: any(o.id == order["id"] and o.refunded == 1450 for o in history.orders))


async def test_cancel_is_refused_in_words_when_the_parcel_left_meanwhile(
    workspace: Workspace, qtbot: Any
) -> None:
    ws = workspace
    _, order = await new_customer_order(ws, "processing")
    panel = ws.window.history.action_panel(order["id"])
    assert panel is not None
    panel.buttons["cancel"].click()
    dialog = ws.window.history.dialog
    assert dialog is not None and "€33.90 is refunded" in dialog.findChild(QLabel, "intro").text()
    dialog.reason.setCurrentIndex(1)  # a ready-made reason
    assert dialog.ok.isEnabled()
    for _ in range(2):  # the warehouse ships it while the agent hesitates
        await post(ws.server, "/simulate/order-step", {"order_id": order["id"]})
    dialog.ok.click()
    await ws.until(lambda: "already shipped" in problem(dialog))
    assert dialog.isVisible() and dialog.ok.isEnabled()  # it can be closed or sent again
    client_id = dialog.client_id
    dialog.reject()
    await ws.until(lambda: ws.window.history.dialog is None)

    def cancel_hidden() -> bool:  # the panel is built again by each update of the order: ask anew
        fresh = ws.window.history.action_panel(order["id"])
        return fresh is not None and fresh.buttons["cancel"].isHidden()

    await ws.until(cancel_hidden)
    assert client_id.startswith("act-")


async def test_change_address_from_the_keyboard(workspace: Workspace, qtbot: Any) -> None:
    ws = workspace
    _, order = await new_customer_order(ws, "processing")
    panel = ws.window.history.action_panel(order["id"])
    assert panel is not None
    panel.buttons["change_address"].setFocus()
    qtbot.keyClick(panel.buttons["change_address"], Qt.Key.Key_Space)
    dialog = ws.window.history.dialog
    assert dialog is not None
    city = dialog.findChild(QLineEdit, "address-city")
    country = dialog.findChild(QLineEdit, "address-country")
    line1 = dialog.findChild(QLineEdit, "address-line1")
    assert city is not None and country is not None and line1 is not None
    assert city.text() == "Lyon"
    city.clear()
    assert problem(dialog) == "Type the city."
    qtbot.keyClicks(city, "Villeurbanne")
    country.clear()
    qtbot.keyClicks(country, "F")
    assert "two-letter code" in problem(dialog)
    qtbot.keyClicks(country, "r")
    line1.selectAll()
    qtbot.keyClicks(line1, "5 cours Émile Zola")
    qtbot.keyClicks(dialog.reason.lineEdit(), "The customer moved")
    assert dialog.ok.isEnabled()
    qtbot.keyClick(dialog.reason.lineEdit(), Qt.Key.Key_Return)  # Enter sends
    await ws.until(lambda: not dialog.isVisible())
    history = ws.window.history
    await ws.until(lambda: any(o.shipping_address.city == "Villeurbanne" and o.shipping_address.country == "FR"
                               for o in history.orders if o.id == order["id"]))  # fmt: skip


async def test_return_then_it_shows_on_the_order(workspace: Workspace, qtbot: Any) -> None:
    ws = workspace
    _, order = await new_customer_order(ws, "delivered")
    panel = ws.window.history.action_panel(order["id"])
    assert panel is not None
    panel.buttons["return"].click()
    dialog = ws.window.history.dialog
    assert dialog is not None
    assert problem(dialog) == "Choose at least one item to return."
    spin = dialog.findChild(QSpinBox, "qty-MUG-01")
    assert spin is not None
    spin.setValue(2)
    dialog.reason.setCurrentIndex(1)
    dialog.ok.click()
    await ws.until(lambda: not dialog.isVisible())
    body = ws.window.history.widget()

    def return_shown() -> bool:
        return any("Return (Open)" in label.text() for label in body.findChildren(QLabel))

    await ws.until(return_shown)


async def test_refund_above_the_limit_waits_and_the_approval_arrives_live(
    workspace: Workspace, qtbot: Any
) -> None:
    ws = workspace
    lead = login(ws.server, LEAD_EMAIL)
    async with httpx.AsyncClient(base_url=ws.server.api, headers=auth_headers(lead)) as c:
        settings = (await c.get("/settings")).json()
        settings.pop("server_time", None)
        await c.put("/settings", json={**settings, "refund_limits": {"GBP": 1000}})
    try:
        _, order = await new_customer_order(ws, "delivered", currency="GBP")
        panel = ws.window.history.action_panel(order["id"])
        assert panel is not None
        panel.buttons["refund"].click()
        dialog = ws.window.history.dialog
        assert dialog is not None
        amount = dialog.findChild(QLineEdit, "amount")
        assert amount is not None
        qtbot.keyClicks(amount, "20")
        qtbot.keyClicks(dialog.reason.lineEdit(), "Goodwill gesture")
        dialog.ok.click()
        await ws.until(lambda: not dialog.isVisible())
        await ws.until(
            lambda: any(
                "waiting for a team lead's approval" in x for x in panel_lines(ws, order["id"])
            )
        )
        # While it waits, its money counts already: the dialog offers only what is left.
        panel.buttons["refund"].click()
        again = ws.window.history.dialog
        assert again is not None and again is not dialog
        left = order["total"] - order["refunded"] - 2000
        assert again.findChild(QLineEdit, "amount").placeholderText() == fmt.amount(left, "GBP")
        again.reject()
        action_id = ws.window.shop.actions_of(order["id"])[0].id if ws.window.shop else ""
        await post(ws.server, f"/actions/{action_id}/decision", {"decision": "approve"}, lead)
        await ws.until(lambda: panel_lines(ws, order["id"])[0].endswith(": done."))  # fmt: skip
    finally:
        async with httpx.AsyncClient(base_url=ws.server.api, headers=auth_headers(lead)) as c:
            settings = (await c.get("/settings")).json()
            settings.pop("server_time", None)
            await c.put("/settings", json={**settings, "refund_limits": {}})


@pytest.fixture
async def lead_window(qtbot: Any, ui_server: ServerProcess) -> AsyncIterator[Workspace]:
    backend = AgentApiBackend(ui_server.url, retries=1, timeout=5.0, reconnect_base=0.1)
    await backend.login(LEAD_EMAIL, PASSWORD)
    store = ClientStore(backend, agent_key=LEAD_EMAIL)
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    window.attach_store(store)
    await store.start()
    await wait_for_condition(lambda: store.loaded and store.connection.state == "live", 20)
    yield Workspace(window, store, ui_server)
    await wait_for_condition(lambda: window.tasks.running() == 0, 8)
    window.detach_store()
    await window.tasks.cancel_all()
    await store.close()
    await backend.aclose()
    window.close()
    window.deleteLater()


async def test_a_lead_decides_in_the_dashboard(lead_window: Workspace, qtbot: Any) -> None:
    ws = lead_window
    lead = login(ws.server, LEAD_EMAIL)
    agent = login(ws.server)
    async with httpx.AsyncClient(base_url=ws.server.api, headers=auth_headers(lead)) as c:
        settings = (await c.get("/settings")).json()
        settings.pop("server_time", None)
        await c.put("/settings", json={**settings, "refund_limits": {"CHF": 100}})
    try:
        made = await post(ws.server, "/simulate/customer-message",
                          {"customer_name": f"Approval {uuid.uuid4().hex[:5]}", "text": "Hello"})  # fmt: skip
        order = (await post(ws.server, "/simulate/order", {"customer_id": made["thread"]["customer"]["id"],
                                                            "stage": "delivered", "currency": "CHF"}))["order"]  # fmt: skip
        page = ws.window.dashboard
        ws.window.show_view("dashboard")
        box = page.approvals_box
        await ws.until(lambda: box.isVisible())
        first = await post(ws.server, f"/orders/{order['id']}/actions",
                           {"client_id": str(uuid.uuid4()), "type": "refund", "amount": 500, "reason": "Broken"}, agent)  # fmt: skip
        second = await post(ws.server, f"/orders/{order['id']}/actions",
                            {"client_id": str(uuid.uuid4()), "type": "refund", "amount": 600, "reason": "Late"}, agent)  # fmt: skip
        await ws.until(lambda: {first["action"]["id"], second["action"]["id"]} <= set(box.rows))
        row = box.rows[first["action"]["id"]]
        assert (
            "Refund CHF" in row.findChildren(QLabel)[0].text()
            and order["number"] in row.findChildren(QLabel)[0].text()
        )
        row.approve.click()
        other = box.rows[second["action"]["id"]]
        qtbot.keyClicks(other.note, "Ask the customer for photos first")
        other.decline.click()
        await ws.until(
            lambda: not ({first["action"]["id"], second["action"]["id"]} & set(box.rows))
        )
        async with httpx.AsyncClient(base_url=ws.server.api, headers=auth_headers(agent)) as c:
            listed = {
                a["id"]: a for a in (await c.get(f"/orders/{order['id']}/actions")).json()["items"]
            }
        assert listed[first["action"]["id"]]["status"] == "done"
        assert listed[second["action"]["id"]]["status"] == "declined"
        assert (
            listed[second["action"]["id"]]["decision_note"] == "Ask the customer for photos first"
        )
    finally:
        async with httpx.AsyncClient(base_url=ws.server.api, headers=auth_headers(lead)) as c:
            settings = (await c.get("/settings")).json()
            settings.pop("server_time", None)
            await c.put("/settings", json={**settings, "refund_limits": {}})  # fmt: skip


async def shop_customer(ws: Workspace, name: str, number: str) -> str:
    """A customer of a shop on the ingest API with order `number`: their id."""
    lead = login(ws.server, LEAD_EMAIL)
    token = (await post(ws.server, "/integrations", {"name": "UI"}, lead))["token"]
    external = uuid.uuid4().hex[:8]
    async with httpx.AsyncClient(base_url=ws.server.api, headers=auth_headers(token)) as c:
        r = await c.put(
            f"/shop/customers/{external}", json={"name": name, "email": f"{external}@example.fr"}
        )
        customer_id = str(r.json()["customer"]["id"])
        await c.put(
            f"/shop/orders/o{external}",
            json={
                "number": number,
                "customer_external_id": external,
                "placed_at": "2026-11-30T10:00:00Z",
                "status": "delivered",
                "currency": "EUR",
                "total": 4200,
                "items": [{"sku": "SCARF", "title": "Écharpe", "quantity": 1, "unit_price": 4200}],
            },
        )
    return customer_id  # fmt: skip


def _shown(widget: QWidget | None) -> bool:
    return widget is not None and widget.isVisible()


async def test_link_a_messenger_conversation_from_the_suggestion(
    workspace: Workspace, qtbot: Any
) -> None:
    ws = workspace
    name = f"Maëlle Roux {uuid.uuid4().hex[:4]}"
    number = f"#{uuid.uuid4().int % 10**6:06d}"
    customer_id = await shop_customer(ws, name, number)
    made = await post(
        ws.server, "/simulate/customer-message", {"customer_name": name, "text": "Bonjour"}
    )
    thread_id = made["thread"]["id"]
    await ws.until(lambda: thread_id in ws.store.threads)
    await ws.open(thread_id)
    history = ws.window.history
    assert history.banner is None
    # A customer known only from Messenger: the history offers to find them once it has loaded.
    await ws.until(lambda: _shown(history.findChild(QPushButton, "findCustomer")))
    await post(
        ws.server,
        "/simulate/customer-message",
        {"thread_id": thread_id, "text": f"Où est ma commande {number} ?"},
    )
    await ws.until(lambda: history.banner is not None)
    assert history.banner is not None
    assert name in history.banner.findChildren(QLabel)[0].text()
    assert number in history.banner.findChild(QLabel, "suggestionReason").text()
    button(history.banner, "linkSuggested").click()
    await ws.until(lambda: history.customer is not None and history.customer.id == customer_id)
    await ws.until(lambda: [o.number for o in history.orders] == [number])
    # The link's own event may come after an older one that still carried the suggestion.
    await ws.until(
        lambda: history.banner is None and history.findChild(QPushButton, "findCustomer") is None
    )


async def test_find_and_link_a_customer_by_searching(workspace: Workspace, qtbot: Any) -> None:
    ws = workspace
    number = f"#{uuid.uuid4().int % 10**6:06d}"
    customer_id = await shop_customer(ws, f"Théo Garnier {uuid.uuid4().hex[:4]}", number)
    made = await post(ws.server, "/simulate/customer-message",
                      {"customer_name": "Messenger user 4242", "text": "hi"})  # fmt: skip
    thread_id = made["thread"]["id"]
    await ws.until(lambda: thread_id in ws.store.threads)
    await ws.open(thread_id)
    history = ws.window.history
    button(history, "findCustomer").click()
    dialog = history.search
    assert isinstance(dialog, CustomerSearchDialog) and dialog.isVisible()
    assert "Messenger user 4242" in dialog.findChildren(QLabel)[0].text()
    qtbot.keyClicks(dialog.query, number)
    await ws.until(lambda: dialog.results.count() == 1)
    assert "Théo Garnier" in dialog.results.item(0).text()
    qtbot.keyClick(dialog.query, Qt.Key.Key_Down)  # into the results, then Enter links
    assert dialog.results.hasFocus()
    qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    await ws.until(lambda: history.customer is not None and history.customer.id == customer_id)
    await ws.until(lambda: history.search is None)
    assert [o.number for o in history.orders] == [number]
