"""The Medusa connector end to end: a real Medusa 2.21, our server polling it, and the order
actions taken through our API with their results checked in Medusa's own admin API."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.helpers.server_fixtures import AGENT_EMAIL, LEAD_EMAIL, ServerProcess, login
from tests.integration.medusa.conftest import Medusa

WAIT = 120.0  # seconds for a change in Medusa to reach our API (polled every 0.3 s)


def wait_for(what: str, probe: Callable[[], Any], timeout: float = WAIT) -> Any:
    """Poll `probe` until it returns something true; fail saying `what` otherwise."""
    deadline = time.monotonic() + timeout
    delay = 0.1
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not after {timeout:.0f} s", pytrace=False)
        time.sleep(delay)
        delay = min(delay * 1.5, 1.0)


@pytest.fixture
def connected(
    medusa: Medusa, server_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServerProcess]:
    """Our server with the Medusa connector on, polling every 0.3 s."""
    monkeypatch.setenv("MEDUSA_URL", medusa.url)
    monkeypatch.setenv("MEDUSA_API_KEY", medusa.api_key)
    monkeypatch.setenv("MEDUSA_POLL_SECONDS", "0.3")
    yield server_factory()


@pytest.fixture
def api(connected: ServerProcess) -> Iterator[Api]:
    """Our API as an agent."""
    client = Api(connected)
    yield client
    client.close()


@pytest.fixture
def lead_api(connected: ServerProcess) -> Iterator[Api]:
    client = Api(connected, LEAD_EMAIL)
    yield client
    client.close()


class Api:
    """Our API as an agent (or a lead) uses it."""

    def __init__(self, server: ServerProcess, email: str = AGENT_EMAIL) -> None:
        self.http = httpx.Client(
            base_url=server.api,
            headers={"Authorization": f"Bearer {login(server, email)}"},
            timeout=60,
        )

    def close(self) -> None:
        self.http.close()

    def customer_orders(self, email: str) -> list[dict[str, Any]]:
        found = self.http.get("/customers", params={"q": email}).json()["items"]
        if not found:
            return []
        orders: list[dict[str, Any]] = self.http.get(f"/customers/{found[0]['id']}/orders").json()
        return orders if isinstance(orders, list) else orders.get("items", [])

    def order_of(self, email: str, medusa_id: str) -> dict[str, Any] | None:
        for order in self.customer_orders(email):
            if order["source"] == {"kind": "medusa", "external_id": medusa_id}:
                return order
        return None

    def act(self, order_id: str, **body: Any) -> httpx.Response:
        body.setdefault("client_id", uuid.uuid4().hex)
        body.setdefault("reason", "asked in the conversation")
        return self.http.post(f"/orders/{order_id}/actions", json=body)


def _email(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:8]}@example.test"


def medusa_order(medusa: Medusa, order_id: str, fields: str) -> dict[str, Any]:
    order: dict[str, Any] = medusa.admin("GET", f"/admin/orders/{order_id}?fields={fields}")[
        "order"
    ]
    return order


def ship(medusa: Medusa, order_id: str, tracking: str, *, deliver: bool) -> None:
    """What the shop's staff do in Medusa: fulfil every item, ship it with a tracking label,
    and (when `deliver`) mark it delivered."""
    order = medusa_order(medusa, order_id, "id,*items")
    items = [{"id": i["id"], "quantity": i["quantity"]} for i in order["items"]]
    made = medusa.admin(
        "POST",
        f"/admin/orders/{order_id}/fulfillments?fields=fulfillments.id",
        {"items": items, "location_id": medusa.state["location_id"]},
    )
    fulfillment = made["order"]["fulfillments"][-1]["id"]
    label = {
        "tracking_number": tracking,
        "tracking_url": f"https://www.laposte.fr/outils/suivre-vos-envois?code={tracking}",
        "label_url": f"https://labels.example.test/{tracking}.pdf",
    }
    medusa.admin(
        "POST",
        f"/admin/orders/{order_id}/fulfillments/{fulfillment}/shipments?fields=id",
        {"items": items, "labels": [label]},
    )
    if deliver:
        medusa.admin(
            "POST",
            f"/admin/orders/{order_id}/fulfillments/{fulfillment}/mark-as-delivered?fields=id",
            {},
        )


def capture(medusa: Medusa, order_id: str) -> None:
    order = medusa_order(medusa, order_id, "id,payment_collections.payments.id")
    payment = order["payment_collections"][0]["payments"][0]["id"]
    medusa.admin("POST", f"/admin/payments/{payment}/capture?fields=id", {})


def _settled(order: dict[str, Any] | None) -> dict[str, Any] | None:
    return order if order is not None and order["payment"]["status"] != "pending" else None


def test_an_order_placed_in_the_store_appears_with_its_items_totals_and_customer(
    medusa: Medusa, api: Api
) -> None:
    email = _email("appears")
    placed = medusa.place_order(email, "Zoë", "Ørsted", [("MUG-BLUE", 2), ("TOWEL-IND", 1)])
    # A poll may read the order while Medusa is still placing it (its payment not yet authorized,
    # which does not move the order's updated_at): the connector reads it again until it settles.
    order = wait_for(
        "the Medusa order in our API, its payment authorized",
        lambda: _settled(api.order_of(email, placed["id"])),
    )
    assert order["number"] == f"#{placed['display_id']}"
    assert order["currency"] == "EUR"
    assert {(i["sku"], i["quantity"], i["unit_price"]) for i in order["items"]} == {
        ("MUG-BLUE", 2, 1800),
        ("TOWEL-IND", 1, 1400),
    }
    assert (order["subtotal"], order["shipping"], order["tax"], order["total"]) == (
        5000,
        500,
        0,
        5500,
    )
    assert order["status"] == "processing"
    assert order["payment"] == {"method": "system", "status": "authorized"}
    assert order["shipping_address"]["city"] == "Lyon"
    assert order["shipping_address"]["country"] == "FR"
    assert order["shipments"] == [] and order["shipment"] is None
    customer = api.http.get("/customers", params={"q": email}).json()["items"][0]
    assert customer["name"] == "Zoë Ørsted"
    assert set(order["allowed_actions"]) >= {"cancel", "refund", "change_address"}


def test_a_fulfilment_with_tracking_appears_as_a_shipment_then_delivered(
    medusa: Medusa, connected: ServerProcess, api: Api
) -> None:
    email = _email("ships")
    placed = medusa.place_order(email, "Jonas", "Weber", [("TEAPOT-1L", 1)])
    wait_for("the order", lambda: api.order_of(email, placed["id"]))
    ship(medusa, placed["id"], "6A10000000001", deliver=False)

    def shipped() -> dict[str, Any] | None:
        # (a poll may see the fulfilment between its creation and its shipment: wait for both)
        order = api.order_of(email, placed["id"])
        return order if order and order["status"] == "shipped" else None

    order = wait_for("the shipment", shipped)
    assert order["status"] == "shipped"
    (shipment,) = order["shipments"]
    assert shipment["tracking_number"] == "6A10000000001"
    assert shipment["tracking_url"].endswith("code=6A10000000001")
    assert shipment["carrier"] == "Colissimo"
    assert shipment["status"] == "shipped"
    assert shipment["items"] == [{"sku": "TEAPOT-1L", "quantity": 1}]
    assert order["shipment"] == shipment
    assert "cancel" not in order["allowed_actions"]

    # Delivered while our server is down: after its restart the poll goes on from where it
    # stopped (the cursor is in the database) and finds it.
    connected.stop()
    fulfillment = medusa_order(medusa, placed["id"], "fulfillments.id")["fulfillments"][0]["id"]
    medusa.admin(
        "POST",
        f"/admin/orders/{placed['id']}/fulfillments/{fulfillment}/mark-as-delivered?fields=id",
        {},
    )
    connected.start()
    delivered = wait_for(
        "the delivery",
        lambda: (o := api.order_of(email, placed["id"])) and o["status"] == "delivered" and o,
    )
    assert delivered["shipments"][0]["status"] == "delivered"
    assert [e["status"] for e in delivered["shipments"][0]["events"]] == [
        "label_created",
        "shipped",
        "delivered",
    ]


def test_refund_and_return_from_our_api_show_in_medusa(medusa: Medusa, api: Api) -> None:
    email = _email("refund")
    placed = medusa.place_order(email, "Élodie", "Marchand", [("MUG-BLUE", 2), ("TOWEL-NAT", 1)])
    capture(medusa, placed["id"])
    ship(medusa, placed["id"], "6A10000000002", deliver=True)
    order = wait_for(
        "the delivered order",
        lambda: (o := api.order_of(email, placed["id"])) and o["status"] == "delivered" and o,
    )
    assert order["payment"]["status"] == "paid"

    body = {"type": "refund", "amount": 700, "reason": "one mug arrived chipped"}
    answer = api.act(order["id"], client_id="refund-1", **body)
    assert answer.status_code == 201, answer.text
    action = answer.json()["action"]
    assert action["status"] == "done", action
    assert answer.json()["order"]["refunded"] == 700
    again = api.act(order["id"], client_id="refund-1", **body)
    assert again.status_code == 200 and again.json()["action"]["id"] == action["id"]
    payments = medusa_order(
        medusa,
        placed["id"],
        "payment_collections.payments.refunds.amount,payment_collections.payments.refunds.note",
    )["payment_collections"][0]["payments"]
    refunds = payments[0]["refunds"]
    assert [r["amount"] for r in refunds] == [7]  # once, although asked twice
    assert refunds[0]["note"].startswith("one mug arrived chipped")

    answer = api.act(
        order["id"],
        type="return",
        items=[{"sku": "MUG-BLUE", "quantity": 1}],
        reason="chipped mug comes back",
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["action"]["status"] == "done", answer.json()["action"]["error"]
    (ret,) = answer.json()["order"]["returns"]
    assert ret["status"] == "open"
    assert ret["items"] == [{"sku": "MUG-BLUE", "quantity": 1}]
    assert ret["reason"] == "chipped mug comes back"
    skus = {
        i["id"]: i["variant_sku"] for i in medusa_order(medusa, placed["id"], "*items")["items"]
    }
    in_medusa = medusa.admin("GET", f"/admin/returns/{ret['id']}?fields=id,status,order_id,*items")
    assert in_medusa["return"]["status"] == "requested"
    assert in_medusa["return"]["order_id"] == placed["id"]
    assert [(skus[i["item_id"]], i["quantity"]) for i in in_medusa["return"]["items"]] == [
        ("MUG-BLUE", 1)
    ]


def test_address_change_and_cancel_from_our_api_show_in_medusa(medusa: Medusa, api: Api) -> None:
    email = _email("cancel")
    placed = medusa.place_order(email, "Ana", "Souza", [("TOWEL-IND", 2)])
    order = wait_for("the order", lambda: api.order_of(email, placed["id"]))
    address = {
        "name": "Ana Souza",
        "line1": "4 place Bellecour",
        "line2": "3e étage",
        "postal_code": "69002",
        "city": "Lyon",
        "country": "FR",
    }
    answer = api.act(order["id"], type="change_address", address=address)
    assert answer.status_code == 201, answer.text
    assert answer.json()["action"]["status"] == "done", answer.json()
    assert answer.json()["order"]["shipping_address"] == address
    shipping = medusa_order(medusa, placed["id"], "*shipping_address")["shipping_address"]
    assert (shipping["address_1"], shipping["address_2"], shipping["postal_code"]) == (
        "4 place Bellecour",
        "3e étage",
        "69002",
    )
    assert shipping["phone"] == "+33 6 12 34 56 78"  # kept

    answer = api.act(order["id"], type="cancel", reason="ordered twice by mistake")
    assert answer.status_code == 201, answer.text
    assert answer.json()["action"]["status"] == "done", answer.json()
    assert answer.json()["order"]["status"] == "cancelled"
    assert answer.json()["order"]["allowed_actions"] in ([], ["refund"])
    state = medusa_order(medusa, placed["id"], "status,canceled_at")
    assert state["status"] == "canceled" and state["canceled_at"]


def test_medusas_refusals_come_back_as_sentences(medusa: Medusa, lead_api: Api) -> None:
    email = _email("refused")
    placed = medusa.place_order(email, "Lee", "Kim", [("MUG-BLUE", 1)])
    api = lead_api
    order = wait_for("the order", lambda: api.order_of(email, placed["id"]))
    # The payment is authorised but not captured: Medusa has nothing to refund yet.
    answer = api.act(order["id"], type="refund", amount=500)
    assert answer.status_code == 201, answer.text
    action = answer.json()["action"]
    assert action["status"] == "failed"
    assert "not captured" in action["error"] and order["number"] in action["error"]

    # Packed in Medusa but not shipped: our rules allow a cancel (the parcel has not left),
    # Medusa refuses while a fulfilment stands.
    lines = medusa_order(medusa, placed["id"], "*items")["items"]
    medusa.admin(
        "POST",
        f"/admin/orders/{placed['id']}/fulfillments?fields=id",
        {
            "items": [{"id": i["id"], "quantity": i["quantity"]} for i in lines],
            "location_id": medusa.state["location_id"],
        },
    )
    packed = wait_for(
        "the packed parcel",
        lambda: (o := api.order_of(email, placed["id"])) and o["shipments"] and o,
    )
    assert packed["shipments"][0]["status"] == "pending"
    assert "cancel" in packed["allowed_actions"]
    answer = api.act(order["id"], type="cancel")
    assert answer.status_code == 201, answer.text
    action = answer.json()["action"]
    assert action["status"] == "failed"
    assert "fulfilments" in action["error"] and order["number"] in action["error"]
    assert medusa_order(medusa, placed["id"], "status")["status"] != "canceled"
