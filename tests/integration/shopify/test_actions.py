"""Order actions on Shopify orders, through the connector and the fake Admin API: orderCancel and
its job, refundCreate with @idempotent (a retried request never refunds twice), returnCreate and
returnApproveRequest, orderUpdate (with a change Shopify silently ignores), and userErrors turned
into sentences on the action and in the conversation."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.integration.shopify.conftest import Store
from tests.integration.shopify.fake_shopify import FakeShopify


def ingested(store: Store, **kw: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """An order made in the fake store and delivered by webhook: (the fake's, the stored one)."""
    fake = store.fake
    person = fake.make_customer("Inès", f"Moreau {uuid.uuid4().hex[:5]}")
    order = fake.make_order(person, **kw)
    assert store.send("orders/create", order).status_code == 200
    return order, store.wait_order(order["name"])


def delivered(store: Store, fake: FakeShopify, **kw: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    order, _ = ingested(store, **kw)
    fulfillment = fake.fulfill(order, shipment_status="delivered")
    store.send("fulfillments/create", fulfillment)
    return order, store.wait_order(order["name"], lambda o: o["status"] == "delivered")


def act(store: Store, order: dict[str, Any], type_: str, **body: Any) -> httpx.Response:
    payload = {
        "client_id": f"act-{uuid.uuid4().hex}",
        "type": type_,
        "reason": "Customer asked",
        **body,
    }
    return store.post(f"/orders/{order['id']}/actions", payload)


def test_cancel_runs_shopifys_job(store: Store) -> None:
    fake = store.fake
    order, stored = ingested(store)
    r = act(store, stored, "cancel", notify_customer=False)
    assert r.status_code == 201, r.text
    result = r.json()
    assert result["action"]["status"] == "done"
    assert result["order"]["status"] == "cancelled" and result["order"]["cancelled_at"]
    assert result["order"]["refunded"] == result["order"]["total"]
    assert len(fake.operations("Job")) >= 1
    call = fake.operations("OrderCancel")[-1]["variables"]
    assert call["orderId"] == order["admin_graphql_api_id"] and call["reason"] == "CUSTOMER"


def test_cancel_refused_by_shopify_is_a_sentence(store: Store) -> None:
    fake = store.fake
    _, stored = ingested(store)
    fake.refuse["OrderCancel"] = [
        {
            "field": ["orderId"],
            "message": "Cannot cancel an order with pending authorizations",
            "code": "INVALID",
        }
    ]
    r = act(store, stored, "cancel")
    assert r.status_code == 201
    action = r.json()["action"]
    assert action["status"] == "failed"
    assert action["error"] == (
        "Shopify refused to cancel the order: Cannot cancel an order with pending authorizations."
    )
    assert r.json()["order"]["status"] == "processing"


def test_refund_is_idempotent_even_when_the_answer_is_lost(store: Store) -> None:
    fake = store.fake
    order, stored = delivered(store, fake, lines=[("MUG", "Mug", 2, "14.50")])
    fake.drop_after_commit.add("RefundCreate")  # Shopify refunds, then the answer is lost (503)
    r = act(store, stored, "refund", amount=1000)
    assert r.status_code == 201, r.text
    result = r.json()
    assert result["action"]["status"] == "done" and result["order"]["refunded"] == 1000
    calls = fake.operations("RefundCreate")
    assert len(calls) == 2  # the retry after the lost answer
    assert {c["variables"]["key"] for c in calls} == {result["action"]["id"]}
    assert "@idempotent(key: $key)" in calls[0]["query"]
    assert len(order["refunds"]) == 1  # one refund in Shopify, not two
    sent = calls[0]["variables"]["input"]
    assert sent["currency"] == "EUR" and sent["transactions"][0]["amount"] == "10.00"
    assert sent["transactions"][0]["parentId"].startswith("gid://shopify/OrderTransaction/")


def test_refund_of_items_in_a_zero_decimal_currency(store: Store) -> None:
    fake = store.fake
    order, stored = delivered(
        store, fake, currency="JPY", lines=[("TEA", "抹茶", 2, "1500")], shipping="600"
    )
    r = act(store, stored, "refund", items=[{"sku": "TEA", "quantity": 1}])
    assert r.status_code == 201, r.text
    assert r.json()["action"]["status"] == "done" and r.json()["action"]["amount"] == 1500
    sent = fake.operations("RefundCreate")[-1]["variables"]["input"]
    assert sent["currency"] == "JPY" and sent["transactions"][0]["amount"] == "1500"
    assert (
        sent["refundLineItems"][0]["lineItemId"] == order["line_items"][0]["admin_graphql_api_id"]
    )
    assert r.json()["order"]["refunds"][0]["items"] == [{"sku": "TEA", "quantity": 1}]


def test_refund_user_errors(store: Store) -> None:
    fake = store.fake
    _, stored = delivered(store, fake)
    fake.refuse["RefundCreate"] = [{"field": ["transactions", "0", "amount"],
                                    "message": "Refund amount exceeds the captured amount"}]  # fmt: skip
    r = act(store, stored, "refund", amount=500)
    action = r.json()["action"]
    assert action["status"] == "failed"
    assert (
        action["error"]
        == "Shopify refused to make the refund: Refund amount exceeds the captured amount."
    )
    messages = store.get("/customers/" + stored["customer_id"] + "/orders").json()["items"]
    assert messages[0]["refunded"] == 0


def test_return_created_and_a_requested_one_approved(store: Store) -> None:
    fake = store.fake
    order, stored = delivered(
        store, fake, lines=[("MUG", "Mug", 2, "14.50"), ("CAP", "Casquette", 1, "20.00")]
    )
    r = act(store, stored, "return", items=[{"sku": "MUG", "quantity": 1}])
    assert r.status_code == 201, r.text
    result = r.json()
    assert result["action"]["status"] == "done"
    made = result["order"]["returns"][0]
    assert made["status"] == "open" and made["items"] == [{"sku": "MUG", "quantity": 1}]
    assert made["tracking_number"].startswith("RT")
    sent = fake.operations("ReturnCreate")[-1]["variables"]["input"]
    assert sent["orderId"] == order["admin_graphql_api_id"]
    assert sent["returnLineItems"][0]["fulfillmentLineItemId"].startswith(
        "gid://shopify/FulfillmentLineItem/"
    )
    # The customer asked for the cap in Shopify: the agent's return approves that request.
    fake.request_return(order, "CAP", 1)
    r = act(store, stored, "return", items=[{"sku": "CAP", "quantity": 1}])
    assert r.json()["action"]["status"] == "done"
    assert len(fake.operations("ReturnApproveRequest")) == 1
    statuses = sorted(ret["status"] for ret in r.json()["order"]["returns"])
    assert statuses == ["open", "open"]


def test_return_user_errors(store: Store) -> None:
    fake = store.fake
    _, stored = delivered(store, fake)
    fake.refuse["ReturnCreate"] = [{"field": ["returnInput"], "message": "Return is not allowed for this order", "code": "INVALID"}]  # fmt: skip
    r = act(store, stored, "return", items=[{"sku": "MUG-BLUE", "quantity": 1}])
    assert (
        r.json()["action"]["error"]
        == "Shopify refused to create the return: Return is not allowed for this order."
    )


def test_change_address_and_a_change_shopify_ignores(store: Store) -> None:
    fake = store.fake
    order, stored = ingested(store)
    address = {"name": "Inès Moreau", "line1": "8 quai Saint-Vincent", "line2": "", "postal_code": "69001",
               "city": "Lyon", "country": "FR"}  # fmt: skip
    r = act(store, stored, "change_address", address=address)
    assert r.json()["action"]["status"] == "done", r.text
    assert r.json()["order"]["shipping_address"]["line1"] == "8 quai Saint-Vincent"
    sent = fake.operations("OrderUpdate")[-1]["variables"]["input"]["shippingAddress"]
    assert sent == {"firstName": "Inès", "lastName": "Moreau", "address1": "8 quai Saint-Vincent",
                    "address2": None, "city": "Lyon", "zip": "69001", "countryCode": "FR"}  # fmt: skip
    fake.sticky_address = True
    try:
        r = act(
            store, stored, "change_address", address={**address, "line1": "1 rue de la République"}
        )
    finally:
        fake.sticky_address = False
    action = r.json()["action"]
    assert action["status"] == "failed" and "still the old one" in action["error"]
    r = act(store, stored, "change_address", address={**address, "country": "France"})
    assert "two-letter code" in r.json()["action"]["error"]
    assert order["shipping_address"]["address1"] == "8 quai Saint-Vincent"
