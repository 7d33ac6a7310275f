"""The generic ingest API: integration tokens (shown once, revocable, lead-only), idempotent
upserts of customers and orders where the newest `updated_at` wins, order.updated only on change,
and actions on ingested orders performed and reported by the shop's own system."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.helpers.server_fixtures import ServerProcess
from tests.integration.server.conftest import Api, Stream


class Shop:
    """The shop's system, with its integration token."""

    def __init__(self, server: ServerProcess, token: str) -> None:
        self.client = httpx.Client(
            base_url=server.api, headers={"Authorization": f"Bearer {token}"}, timeout=10
        )

    def put(self, path: str, body: Any) -> httpx.Response:
        return self.client.put(path, json=body)

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.client.get(path, params=params)

    def post(self, path: str, body: Any) -> httpx.Response:
        return self.client.post(path, json=body)

    def __enter__(self) -> Shop:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()


@pytest.fixture
def shop(shared: ServerProcess, lead: Api) -> Any:
    r = lead.post("/integrations", {"name": f"ERP {uuid.uuid4().hex[:6]}"})
    assert r.status_code == 201
    s = Shop(shared, r.json()["token"])
    yield s
    s.client.close()


def ext() -> str:
    return f"X-{uuid.uuid4().hex[:10]}"


def order_body(customer: str, **kw: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "number": f"W{uuid.uuid4().hex[:6]}",
        "customer_external_id": customer,
        "placed_at": "2026-11-20T10:00:00Z",
        "updated_at": "2026-11-20T10:00:00Z",
        "status": "processing",
        "currency": "VND",
        "items": [
            {"sku": "AO-DAI-1", "title": "Áo dài lụa", "quantity": 1, "unit_price": 1_250_000}
        ],
        "subtotal": 1_250_000,
        "shipping": 30_000,
        "tax": 0,
        "discount": 125_000,
        "discounts": [{"code": "TET10", "title": "Tết", "amount": 125_000}],
        "total": 1_155_000,
        "payment": {"method": "MoMo", "status": "paid"},
        "shipping_address": {
            "name": "Nguyễn Thị Lan",
            "line1": "12 Lý Thường Kiệt",
            "city": "Hà Nội",
            "country": "VN",
        },
    }
    body.update(kw)
    return body


def test_tokens_are_shown_once_and_revocable(shared: ServerProcess, lead: Api, agent: Api) -> None:
    r = lead.post("/integrations", {"name": "Warehouse"})
    assert r.status_code == 201
    token, integration = r.json()["token"], r.json()["integration"]
    assert token.startswith("adi_") and integration["token_hint"] == token[-4:]
    listed = lead.get("/integrations").json()["items"]
    mine = next(i for i in listed if i["id"] == integration["id"])
    assert "token" not in mine and mine["revoked_at"] is None
    assert agent.post("/integrations", {"name": "Mine"}).status_code == 403
    with Shop(shared, token) as shop:
        assert shop.put(f"/shop/customers/{ext()}", {"name": "A"}).status_code == 201
        # The integration token opens nothing else; an agent's token does not open the ingest API.
        assert shop.get("/threads").status_code == 401
        assert agent.put(f"/shop/customers/{ext()}", {"name": "A"}).status_code == 401
        assert lead.delete(f"/integrations/{integration['id']}").status_code == 200
        r = shop.put(f"/shop/customers/{ext()}", {"name": "A"})
        assert r.status_code == 401 and "revoked" in r.json()["error"]["message"]
    assert lead.delete(f"/integrations/{integration['id']}").status_code == 200
    assert lead.delete("/integrations/int_nothing").status_code == 404


async def test_upserts_are_idempotent_and_newest_wins(
    shared: ServerProcess, shop: Shop, agent: Api, tokens: dict[str, str]
) -> None:
    customer = ext()
    r = shop.put(
        f"/shop/customers/{customer}",
        {"name": "Nguyễn Thị Lan", "email": "Lan@Example.VN", "phone": "+84 912 345 678",
         "locale": "vi", "currency": "VND", "updated_at": "2026-11-20T10:00:00Z"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    stored = r.json()["customer"]
    assert stored["email"] == "lan@example.vn"
    assert stored["source"] == {"kind": "api", "external_id": customer}
    order_id = ext()
    body = order_body(customer)
    stream = await Stream.open(shared, tokens["agent"], after=0)
    try:
        _, ready = await stream.until_ready(30)
        r = shop.put(f"/shop/orders/{order_id}", body)
        assert r.status_code == 201, r.text
        order = r.json()["order"]
        assert order["currency"] == "VND" and order["total"] == 1_155_000
        assert order["discount"] == 125_000 and order["discounts"][0]["code"] == "TET10"
        assert order["source"] == {"kind": "api", "external_id": order_id}
        assert order["items"][0]["title"] == "Áo dài lụa"
        event = await stream.next_event("order.updated")
        assert event["data"]["order"]["id"] == order["id"]
        # The same document again: 200, nothing changed, no event.
        again = shop.put(f"/shop/orders/{order_id}", body)
        assert again.status_code == 200 and again.json()["applied"] is True
        assert again.json()["order"]["id"] == order["id"]
        # Older than what is stored: ignored.
        stale = shop.put(
            f"/shop/orders/{order_id}",
            {**body, "status": "cancelled", "updated_at": "2026-11-19T10:00:00Z"},
        )
        assert stale.status_code == 200 and stale.json()["applied"] is False
        assert stale.json()["order"]["status"] == "processing"
        # Newer: applied, one event.
        newer = shop.put(
            f"/shop/orders/{order_id}",
            {**body, "status": "shipped", "updated_at": "2026-11-21T08:00:00Z",
             "shipments": [
                 {"carrier": "VNPost", "tracking_number": "EE123", "status": "in_transit"},
                 {"carrier": "GHN", "tracking_number": "GHN9", "status": "label_created"},
             ]},
        )  # fmt: skip
        assert newer.json()["order"]["status"] == "shipped"
        assert [s["carrier"] for s in newer.json()["order"]["shipments"]] == ["VNPost", "GHN"]
        assert newer.json()["order"]["shipment"]["carrier"] == "VNPost"
        event = await stream.next_event("order.updated")
        assert event["data"]["order"]["status"] == "shipped"
        assert event["seq"] == ready["seq"] + 2  # no event for the repeat nor the stale one
    finally:
        await stream.close()
    orders = agent.get(f"/customers/{stored['id']}/orders").json()["items"]
    assert [o["id"] for o in orders] == [order["id"]]


def test_bad_documents_are_refused_with_sentences(shop: Shop) -> None:
    customer = ext()
    assert shop.put(f"/shop/customers/{customer}", {"name": "Bad"}).status_code == 201
    r = shop.put(f"/shop/orders/{ext()}", order_body("nobody"))
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_customer"
    r = shop.put(f"/shop/orders/{ext()}", {**order_body(customer), "currency": "euro"})
    assert r.status_code == 422 and "currency" in r.json()["error"]["message"]
    r = shop.put(f"/shop/orders/{ext()}", {**order_body(customer), "customer_external_id": None})
    assert r.status_code == 422 and "customer_external_id" in r.json()["error"]["message"]
    items = [{"sku": "A", "quantity": 0, "unit_price": 1}]
    r = shop.put(f"/shop/orders/{ext()}", {**order_body(customer), "items": items})
    assert r.status_code == 422 and "quantity" in r.json()["error"]["message"]
    r = shop.put(f"/shop/customers/{ext()}", {"name": "X", "email": "not-an-address"})
    assert r.status_code == 422
    r = shop.client.put(
        f"/shop/customers/{ext()}",
        content=b"{nope",
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 400


def test_actions_wait_for_the_shops_system(shop: Shop, agent: Api) -> None:
    customer, order_ext = ext(), ext()
    shop.put(f"/shop/customers/{customer}", {"name": "Lan"})
    order = shop.put(f"/shop/orders/{order_ext}", order_body(customer)).json()["order"]
    r = agent.post(
        f"/orders/{order['id']}/actions",
        {"client_id": ext(), "type": "refund", "amount": 200_000, "reason": "late"},
    )
    assert r.status_code == 201 and r.json()["action"]["status"] == "in_progress"
    action = r.json()["action"]
    todo = shop.get("/shop/actions").json()["items"]
    mine = next(a for a in todo if a["id"] == action["id"])
    assert mine["order_external_id"] == order_ext and mine["amount"] == 200_000
    assert mine["currency"] == "VND"
    # A second refund counts the first one, still running: 1,155,000 − 200,000 left.
    r = agent.post(
        f"/orders/{order['id']}/actions",
        {"client_id": ext(), "type": "refund", "amount": 1_000_000},
    )
    assert r.status_code == 422
    done_order = order_body(
        customer,
        updated_at="2026-11-22T09:00:00Z",
        refunds=[{"id": "R1", "amount": 200_000, "created_at": "2026-11-22T09:00:00Z"}],
        payment={"method": "MoMo", "status": "partially_refunded"},
    )
    r = shop.post(f"/shop/actions/{action['id']}/result", {"status": "done", "order": done_order})
    assert r.status_code == 200 and r.json()["action"]["status"] == "done"
    assert agent.get(f"/orders/{order['id']}").json()["refunded"] == 200_000
    r = shop.post(f"/shop/actions/{action['id']}/result", {"status": "done"})
    assert r.status_code == 409
    cancel = agent.post(
        f"/orders/{order['id']}/actions", {"client_id": ext(), "type": "cancel"}
    ).json()["action"]
    r = shop.post(f"/shop/actions/{cancel['id']}/result", {"status": "failed"})
    assert r.status_code == 422
    r = shop.post(
        f"/shop/actions/{cancel['id']}/result",
        {"status": "failed", "error": "The warehouse has already packed it."},
    )
    assert r.json()["action"]["status"] == "failed"
    assert r.json()["action"]["error"] == "The warehouse has already packed it."
    listed = agent.get(f"/orders/{order['id']}/actions").json()["items"]
    assert [a["status"] for a in listed] == ["failed", "done"]
