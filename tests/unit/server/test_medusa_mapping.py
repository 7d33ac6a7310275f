"""Medusa orders (read from a real Medusa 2.21, tests/fixtures/medusa/orders.json) in the shop
model's shapes: money in minor units, fulfilments as shipments, refunds, returns, statuses."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from agent_desktop.core.order_types import Address
from agent_desktop.server.medusa import mapping
from agent_desktop.server.medusa.sync import SETTLE_SECONDS, still_placing

ORDERS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parents[2] / "fixtures" / "medusa" / "orders.json").read_text("utf-8")
)["orders"]


def by_number(display_id: int) -> dict[str, Any]:
    return copy.deepcopy(next(o for o in ORDERS if o["display_id"] == display_id))


def test_a_placed_order_has_its_items_totals_address_and_customer() -> None:
    doc = mapping.order_doc(by_number(1))
    assert doc.number == "#1"
    assert doc.currency == "EUR"
    assert doc.status == "processing"
    assert [(i.sku, i.title, i.quantity, i.unit_price) for i in doc.items] == [
        ("MUG-BLUE", "Blue mug", 2, 1800),
        ("TOWEL-IND", "Linen tea towel (Indigo)", 1, 1400),
    ]
    assert (doc.subtotal, doc.shipping, doc.tax, doc.discount, doc.total) == (5000, 500, 0, 0, 5500)
    assert doc.payment.model_dump() == {"method": "system", "status": "authorized"}
    assert doc.shipping_address.model_dump() == {
        "name": "Élodie Marchand",
        "line1": "12 rue des Lilas",
        "line2": "",
        "postal_code": "69003",
        "city": "Lyon",
        "country": "FR",
    }
    assert doc.shipments == [] and doc.refunds == [] and doc.returns == []
    assert doc.cancelled_at is None
    assert doc.customer_external_id == by_number(1)["customer_id"]
    customer = mapping.order_customer_doc(by_number(1))
    assert (customer.name, customer.email, customer.currency) == (
        "Élodie Marchand",
        "elodie.marchand@example.test",
        "EUR",
    )


def test_a_shipped_refunded_order_has_its_shipment_refund_and_return() -> None:
    raw = by_number(2)
    doc = mapping.order_doc(raw)
    assert doc.status == "shipped"
    assert doc.payment.status == "partially_refunded"
    (shipment,) = doc.shipments
    assert shipment.carrier == "Colissimo"
    assert shipment.tracking_number == "6A12345678901"
    assert shipment.tracking_url and shipment.tracking_url.endswith("6A12345678901")
    assert shipment.status == "shipped"
    assert [e.status for e in shipment.events] == ["label_created", "shipped"]
    assert [(i.sku, i.quantity) for i in shipment.items] == [("TEAPOT-1L", 1)]
    (refund,) = doc.refunds
    assert refund.amount == 500
    assert refund.reason == "parcel damaged"
    (ret,) = doc.returns
    assert ret.status == "open"  # requested in Medusa: approved, waiting for the parcel
    assert [(i.sku, i.quantity) for i in ret.items] == [("TEAPOT-1L", 1)]
    # The newest change inside the order counts, not only the order's own updated_at.
    assert doc.updated_at is not None
    assert doc.updated_at >= mapping.parse_time(raw["updated_at"])  # type: ignore[operator]


def test_a_cancelled_order_is_cancelled() -> None:
    doc = mapping.order_doc(by_number(3))
    assert doc.status == "cancelled"
    assert doc.cancelled_at is not None
    assert doc.payment.status == "cancelled"
    assert doc.shipping_address.line1 == "4 place Bellecour"


def test_delivery_return_received_and_several_labels() -> None:
    raw = by_number(2)
    ful = raw["fulfillments"][0]
    ful["delivered_at"] = "2026-12-08T09:00:00.000Z"
    raw["fulfillment_status"] = "delivered"
    ful["labels"].append({"tracking_number": "6A999", "tracking_url": None})
    doc = mapping.order_doc(raw)
    assert doc.status == "delivered"
    assert [(s.id, s.tracking_number, s.status) for s in doc.shipments] == [
        (f"{ful['id']}/1", "6A12345678901", "delivered"),
        (f"{ful['id']}/2", "6A999", "delivered"),
    ]
    raw["returns"][0]["status"] = "received"
    raw["returns"][0]["received_at"] = "2026-12-10T09:00:00.000Z"
    for item in raw["items"]:
        item["detail"]["return_received_quantity"] = item["quantity"]
    doc = mapping.order_doc(raw)
    assert doc.status == "returned"
    assert doc.returns[0].status == "received"
    assert [e.status for e in doc.returns[0].events] == ["received"]


def test_zero_decimal_currency_and_discounts() -> None:
    raw = by_number(1)
    raw["currency_code"] = "jpy"
    raw["items"][0]["unit_price"] = 1500
    raw["items"][0]["adjustments"] = [{"code": "WELCOME", "amount": 300}]
    raw["item_subtotal"], raw["discount_total"], raw["total"] = 3014, 300, 3219
    doc = mapping.order_doc(raw)
    assert doc.currency == "JPY"
    assert doc.items[0].unit_price == 1500
    assert (doc.subtotal, doc.discount, doc.total) == (3014, 300, 3219)
    assert [(d.code, d.amount) for d in doc.discounts] == [("WELCOME", 300)]


def test_the_tag_of_our_own_actions_is_not_shown_as_the_reason() -> None:
    raw = by_number(2)
    payment = raw["payment_collections"][0]["payments"][0]
    payment["refunds"][0]["note"] = "mug chipped [Agent Desktop action act_0123456789abcdef]"
    assert mapping.order_doc(raw).refunds[0].reason == "mug chipped"


def test_medusa_address_keeps_the_phone_and_splits_the_name() -> None:
    current = by_number(1)["shipping_address"]
    payload = mapping.medusa_address(
        Address(
            name="Ana Maria Souza", line1="1 quai", postal_code="69001", city="Lyon", country="FR"
        ),
        current,
    )
    assert payload["first_name"] == "Ana"
    assert payload["last_name"] == "Maria Souza"
    assert payload["country_code"] == "fr"
    assert payload["phone"] == current["phone"]


def test_an_order_read_while_medusa_places_it_is_read_again_until_its_payment_settles() -> None:
    """Medusa creates the order, then links its payment collection, then authorizes the payment,
    without moving the order's updated_at: read in between, it has no payment yet."""
    placing = by_number(1)
    placing["payment_status"] = "not_paid"
    placing["payment_collections"] = []
    doc = mapping.order_doc(placing)
    assert doc.payment.status == "pending"
    just_after = doc.placed_at + timedelta(seconds=2)
    assert still_placing(doc, just_after)
    assert not still_placing(doc, doc.placed_at + timedelta(seconds=SETTLE_SECONDS + 1))
    assert not still_placing(mapping.order_doc(by_number(1)), just_after)  # authorized: settled
    cancelled = copy.deepcopy(placing)
    cancelled["status"] = "canceled"
    assert not still_placing(mapping.order_doc(cancelled), just_after)
