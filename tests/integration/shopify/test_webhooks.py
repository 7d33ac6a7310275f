"""Shopify webhooks into the shop model, against the fake store: the signature over the raw body,
duplicate deliveries, newest `updated_at` wins, every topic the connector takes, zero-decimal
currencies, two shipments, non-ASCII names, ids above 2^53, and a delivery answered at once and
processed from the durable queue (even across a restart)."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from agent_desktop.server.shop.shopify.connector import TOPICS
from tests.helpers.server_fixtures import login
from tests.integration.shopify.conftest import (
    Store,
    environ,
    shopify_env,
    start_server,
    wait_until,
)
from tests.integration.shopify.fake_shopify import FakeShopify, iso, load


def customer(fake: FakeShopify, first: str = "Camille", last: str = "Martin") -> dict[str, Any]:
    return fake.make_customer(first, f"{last} {uuid.uuid4().hex[:5]}")


def test_the_reference_sample_as_it_is(store: Store) -> None:
    """Shopify's own orders/create sample body, unchanged: stored with its GID (an id above
    2^53, exact), its five lines, its discount and totals in USD."""
    sample = load("orders_create.webhook.json")
    raw = json.dumps(sample).encode()
    assert store.send("orders/create", raw).status_code == 200
    order = store.wait_order("#9999")
    assert order["source"] == {
        "kind": "shopify",
        "external_id": "gid://shopify/Order/820982911946154508",
    }
    assert [i["sku"] for i in order["items"]][:2] == ["SKU2006-001", "LENS-PROTECT-2YR"]
    assert order["currency"] == "USD" and order["subtotal"] == 41495 and order["discount"] == 2000
    assert order["shipping"] == 1000 and order["total"] == 40495
    assert order["status"] == "cancelled"  # the synthetic sample is cancelled already
    assert order["shipping_address"]["country"] == "US"


def test_signature_is_checked_on_the_raw_body(store: Store) -> None:
    fake = store.fake
    order = fake.make_order(customer(fake))
    public = {k: v for k, v in order.items() if not k.startswith("_")}
    body = json.dumps(public).encode()
    r = store.send("orders/create", body, secret="the wrong secret")
    assert r.status_code == 401
    r = store.send("orders/create", body, signature="")
    assert r.status_code == 401
    # The signature of the same JSON written differently does not fit these bytes.
    reformatted = json.dumps(public, indent=2).encode()
    r = store.send("orders/create", body, signature=fake.sign(reformatted))
    assert r.status_code == 401
    assert store.order(order["name"]) is None  # nothing stored
    r = store.send("orders/create", reformatted)
    assert r.status_code == 200
    store.wait_order(order["name"])


def test_duplicate_delivery_is_applied_once(store: Store) -> None:
    fake = store.fake
    order = fake.make_order(customer(fake))
    delivery = str(uuid.uuid4())
    assert store.send("orders/create", order, webhook_id=delivery).text == "OK"
    store.wait_order(order["name"])
    later = copy.deepcopy(order)
    later["financial_status"] = "refunded"
    later["updated_at"] = iso(datetime.now(UTC) + timedelta(hours=1))
    again = store.send("orders/create", later, webhook_id=delivery)
    assert again.status_code == 200 and "Duplicate" in again.text
    # A later delivery with another id is applied: the duplicate was really dropped.
    marker = fake.make_order(customer(fake))
    store.send("orders/create", marker)
    store.wait_order(marker["name"])
    assert store.order(order["name"])["payment"]["status"] == "paid"


def test_newest_updated_at_wins(store: Store) -> None:
    fake = store.fake
    order = fake.make_order(customer(fake))
    now = datetime.now(UTC)
    newer = {
        **copy.deepcopy(order),
        "financial_status": "partially_refunded",
        "updated_at": iso(now),
    }
    older = {
        **copy.deepcopy(order),
        "financial_status": "pending",
        "updated_at": iso(now - timedelta(hours=2)),
    }
    store.send("orders/updated", newer)
    store.wait_order(order["name"], lambda o: o["payment"]["status"] == "partially_refunded")
    store.send("orders/updated", older)
    marker = fake.make_order(customer(fake))
    store.send("orders/create", marker)
    store.wait_order(marker["name"])  # processed after the older delivery
    assert store.order(order["name"])["payment"]["status"] == "partially_refunded"


def test_zero_decimal_currencies(store: Store) -> None:
    fake = store.fake
    jpy = fake.make_order(customer(fake, "Haruto", "Sato"), currency="JPY",
                          lines=[("TEA-MATCHA", "抹茶 100g", 2, "1500")], shipping="600")  # fmt: skip
    vnd = fake.make_order(customer(fake, "Lan", "Nguyễn"), currency="VND",
                          lines=[("AO-DAI", "Áo dài", 1, "1250000")], shipping="30000", discount="125000")  # fmt: skip
    store.send("orders/create", jpy)
    store.send("orders/create", vnd)
    j = store.wait_order(jpy["name"])
    assert j["currency"] == "JPY" and j["items"][0]["unit_price"] == 1500 and j["total"] == 3600
    v = store.wait_order(vnd["name"])
    assert v["currency"] == "VND" and v["total"] == 1_155_000 and v["discount"] == 125_000
    assert v["discounts"][0]["code"] == "WELCOME"


def test_two_shipments_and_their_progress(store: Store) -> None:
    fake = store.fake
    order = fake.make_order(
        customer(fake), lines=[("MUG", "Mug", 1, "14.50"), ("SCARF", "Écharpe", 1, "39.00")]
    )
    store.send("orders/create", order)
    store.wait_order(order["name"])
    first = fake.fulfill(order, skus=["MUG"], company="Colissimo")
    store.send("fulfillments/create", first)
    second = fake.fulfill(order, skus=["SCARF"], company="DHL", shipment_status="confirmed")
    store.send("fulfillments/create", second)
    stored = store.wait_order(order["name"], lambda o: len(o["shipments"]) == 2)
    assert [s["carrier"] for s in stored["shipments"]] == ["Colissimo", "DHL"]
    assert stored["shipment"]["carrier"] == "Colissimo"
    assert stored["shipments"][0]["items"] == [{"sku": "MUG", "quantity": 1}]
    assert stored["shipments"][1]["status"] == "label_created"
    assert stored["shipments"][0]["tracking_url"].startswith("https://track.example/")
    assert stored["status"] == "shipped" and "cancel" not in stored["allowed_actions"]
    delivered = fake.set_shipment_status(copy.deepcopy(first), "delivered")
    store.send("fulfillments/update", delivered)
    stale = {**copy.deepcopy(first), "shipment_status": "in_transit",
             "updated_at": iso(datetime.now(UTC) - timedelta(days=1))}  # fmt: skip
    store.send("fulfillments/update", stale)
    stored = store.wait_order(order["name"], lambda o: o["shipments"][0]["status"] == "delivered")
    marker = fake.make_order(customer(fake))
    store.send("orders/create", marker)
    store.wait_order(marker["name"])
    assert store.order(order["name"])["shipments"][0]["status"] == "delivered"


def test_non_ascii_names_and_search(store: Store) -> None:
    fake = store.fake
    person = fake.make_customer("Zoë", "Ñúñez-李", email=f"zoe.{uuid.uuid4().hex[:6]}@example.es")
    order = fake.make_order(person, lines=[("TEA-9", "Thé vert « Sencha » 緑茶", 1, "9.90")])
    store.send("orders/create", order)
    stored = store.wait_order(order["name"])
    assert stored["items"][0]["title"] == "Thé vert « Sencha » 緑茶"
    found = store.get("/customers", q="zoe nunez").json()["items"]
    assert [c["name"] for c in found] == ["Zoë Ñúñez-李"]


def test_every_topic(store: Store) -> None:
    """Each topic the connector subscribes to changes what it should."""
    fake = store.fake
    person = customer(fake)
    seen: set[str] = set()

    def send(topic: str, payload: Any) -> None:
        assert store.send(topic, payload).status_code == 200
        seen.add(topic)

    send("customers/create", person)
    wait_until(lambda: store.customer_id(person["email"]), what="the customer")
    renamed = {
        **person,
        "first_name": "Camila",
        "updated_at": iso(datetime.now(UTC) + timedelta(minutes=1)),
    }
    send("customers/update", renamed)
    wait_until(
        lambda: (
            store.get("/customers", q=person["email"])
            .json()["items"][0]["name"]
            .startswith("Camila")
        )
    )
    order = fake.make_order(person, lines=[("A", "A", 2, "10.00"), ("B", "B", 1, "5.00")])
    send("orders/create", order)
    send("orders/paid", order)
    fake.touch(order)
    order["line_items"][0]["quantity"] = 3
    send("orders/edited", order)
    send("orders/updated", order)
    store.wait_order(order["name"], lambda o: o["items"][0]["quantity"] == 3)
    first = fake.fulfill(order, skus=["A"])
    send("fulfillments/create", first)
    send("orders/partially_fulfilled", order)
    store.wait_order(order["name"], lambda o: o["status"] == "partially_shipped")
    second = fake.fulfill(order, skus=["B"], shipment_status="delivered")
    send("fulfillments/create", second)
    send("fulfillments/update", fake.set_shipment_status(first, "delivered"))
    send("orders/fulfilled", order)
    store.wait_order(order["name"], lambda o: o["status"] == "delivered")
    refund = load("refunds_create.webhook.json")
    refund.update({"id": 77_000_000_000_000_001, "admin_graphql_api_id": "gid://shopify/Refund/77000000000000001",
                   "order_id": order["id"], "refund_line_items": []})  # fmt: skip
    refund["transactions"] = [{**refund["transactions"][0], "amount": "5.00", "status": "success"}]
    send("refunds/create", refund)
    send("refunds/create", refund)  # the same refund twice is counted once
    store.wait_order(order["name"], lambda o: o["refunded"] == 500)
    ret = fake.request_return(order, "A", 1)
    for topic, status in (("returns/request", "requested"), ("returns/approve", "open"),
                          ("returns/update", "open"), ("returns/close", "closed"),
                          ("returns/reopen", "open"), ("returns/decline", "declined"),
                          ("returns/cancel", "canceled")):  # fmt: skip
        ret["status"] = status
        send(topic, fake.return_webhook(order, ret))
        expected = {"canceled": "cancelled"}.get(status, status)
        stored = store.wait_order(
            order["name"], lambda o, e=expected: o["returns"] and o["returns"][0]["status"] == e
        )  # type: ignore[misc]
        assert stored["returns"][0]["items"] == [{"sku": "A", "quantity": 1}]
    cancelled = {
        **order,
        "cancelled_at": iso(datetime.now(UTC)),
        "updated_at": iso(datetime.now(UTC) + timedelta(hours=1)),
    }
    send("orders/cancelled", cancelled)
    store.wait_order(order["name"], lambda o: o["status"] == "cancelled")
    assert seen == set(TOPICS)


def test_an_unknown_topic_is_acknowledged_and_ignored(store: Store) -> None:
    r = store.send("products/update", {"id": 1})
    assert r.status_code == 200 and "ignored" in r.text
    r = httpx.post(f"{store.server.url}/webhooks/shopify", content=b"{}",
                   headers={"X-Shopify-Hmac-Sha256": store.fake.sign(b"{}")})  # fmt: skip
    assert r.status_code == 400


def test_answered_at_once_and_processed_from_the_durable_queue(
    tmp_path_factory: Any, fake_store: FakeShopify
) -> None:
    """A fulfillment of an order the server has not seen needs the Admin API. With the store not
    answering, the webhook is still answered; the server stops and starts again; once the store
    answers, the order is read and stored."""
    workdir = tmp_path_factory.mktemp("shopify-queue")
    server = start_server(workdir, fake_store)
    fake = fake_store
    try:
        order = fake.make_order(customer(fake))
        fulfillment = fake.fulfill(order)
        fake.gate.clear()
        asked = len(fake.operations("Order"))
        r = fake.send(server.url, "fulfillments/create", fulfillment)
        assert r.status_code == 200 and r.text == "OK"
        wait_until(lambda: len(fake.operations("Order")) > asked, what="the server asking")
        server.stop()
        fake.gate.set()
        with environ(shopify_env(fake)):
            server.start()  # again, on the same database
        live = Store(server, fake, login(server))
        stored = live.wait_order(order["name"])
        assert stored["shipments"][0]["tracking_number"] == fulfillment["tracking_number"]
        assert stored["status"] == "shipped"
    finally:
        fake.gate.set()
        server.stop()
