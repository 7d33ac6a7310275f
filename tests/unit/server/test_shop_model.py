"""The shop model's pure parts: money in minor units without floats (zero-decimal currencies
included), the rules of what an order's state allows, and Shopify's payloads mapped from the
reference samples (ids above 2^53, amounts as strings and as JSON numbers, GraphQL edges)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.core import order_rules as rules
from agent_desktop.core.money import MoneyError, precision, to_major, to_minor
from agent_desktop.core.order_types import Address, ItemQuantity, Order
from agent_desktop.server.shop.shopify import graphql_mapping, mapping

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "shopify"


def sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


# --- money --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("29.99", "EUR", 2999),
        ("29.999", "EUR", 3000),  # Decimal may carry more digits: half up to the cent
        ("1500", "JPY", 1500),
        ("1500.0", "JPY", 1500),
        ("1250000", "VND", 1_250_000),
        ("0.1", "USD", 10),
        (0.1, "USD", 10),  # a JSON number is read through its text, never as a binary float
        (89.99, "USD", 8999),
        ("1.234", "BHD", 1234),  # three decimals
        (None, "EUR", 0),
        ("", "EUR", 0),
    ],
)
def test_to_minor(amount: Any, currency: str, minor: int) -> None:
    assert to_minor(amount, currency) == minor


def test_money_round_trip_and_errors() -> None:
    assert to_major(2999, "EUR") == "29.99"
    assert to_major(1500, "JPY") == "1500"
    assert precision("vnd") == 0 and precision("EUR") == 2
    assert to_minor(Decimal("10.005"), "EUR") == 1001
    with pytest.raises(MoneyError):
        to_minor("twelve", "EUR")
    with pytest.raises(MoneyError):
        to_minor("NaN", "EUR")
    with pytest.raises(MoneyError):
        precision("EURO")


# --- rules --------------------------------------------------------------------------------------


def order(**kw: Any) -> Order:
    base: dict[str, Any] = {
        "id": "o_1",
        "number": "#1",
        "placed_at": datetime(2026, 11, 1, tzinfo=UTC),
        "status": "processing",
        "currency": "EUR",
        "items": [
            {"sku": "MUG", "title": "Mug", "quantity": 2, "unit_price": 1000},
            {"sku": "CAP", "title": "Cap", "quantity": 1, "unit_price": 2000},
        ],
        "subtotal": 4000,
        "shipping": 500,
        "tax": 800,
        "discount": 0,
        "total": 5300,
        "payment": {"method": "card", "status": "paid"},
        "shipping_address": {},
    }
    base.update(kw)
    return Order.model_validate(base)


def shipped(status: str) -> dict[str, Any]:
    return {"carrier": "DHL", "tracking_number": "1", "status": status}


def test_allowed_actions_follow_the_state() -> None:
    assert rules.allowed_actions(order()) == ["cancel", "refund", "change_address"]
    labelled = order(shipments=[shipped("label_created")])
    assert "cancel" in rules.allowed_actions(labelled)  # the parcel has not left yet
    left = order(status="shipped", shipments=[shipped("in_transit")])
    assert rules.allowed_actions(left) == ["refund"]
    assert "already shipped" in str(rules.refusal(left, "cancel"))
    assert "not been delivered" in str(rules.refusal(left, "return"))
    home = order(status="delivered", shipments=[shipped("delivered")])
    assert rules.allowed_actions(home) == ["refund", "return"]
    gone = order(status="cancelled", cancelled_at=datetime(2026, 11, 2, tzinfo=UTC))
    assert rules.allowed_actions(gone) == ["refund"]
    paid_back = order(refunds=[{"id": "r", "amount": 5300, "created_at": "2026-11-02T00:00:00Z"}],
                      refunded=5300)  # fmt: skip
    assert "refund" not in rules.allowed_actions(paid_back)


def test_amounts_and_quantities() -> None:
    home = order(status="delivered", shipments=[shipped("delivered")])
    # Items refunded at their share of discount and tax: 1000 × (5300 − 500) / 4000.
    assert rules.refund_amount(home, None, [ItemQuantity(sku="MUG", quantity=1)]) == 1200
    with pytest.raises(rules.TooMuch, match=r"EUR 53\.01 is more than the EUR 53\.00 left"):
        rules.refund_amount(home, 5301, [])
    with pytest.raises(rules.TooMuch, match="has 2 × MUG, so 3 cannot be returned"):
        rules.return_items(home, [ItemQuantity(sku="MUG", quantity=3)])
    with pytest.raises(rules.TooMuch, match="no item with the SKU HAT"):
        rules.return_items(home, [ItemQuantity(sku="HAT", quantity=1)])
    assert {(i.sku, i.quantity) for i in rules.return_items(home, [])} == {("MUG", 2), ("CAP", 1)}
    returning = order(status="delivered", shipments=[shipped("delivered")],
                      returns=[{"id": "r", "status": "open", "items": [{"sku": "MUG", "quantity": 1}]}])  # fmt: skip
    with pytest.raises(rules.TooMuch, match="Only 1 × MUG"):
        rules.return_items(returning, [ItemQuantity(sku="MUG", quantity=2)])
    with pytest.raises(rules.TooMuch, match="the street, the city"):
        rules.check_address(Address(country="FR"))


# --- Shopify payloads ---------------------------------------------------------------------------


def test_the_orders_create_sample() -> None:
    raw = (FIXTURES / "orders_create.webhook.json").read_text()
    mapped = mapping.rest_order(json.loads(raw))
    assert mapped.external_id == "gid://shopify/Order/820982911946154508"  # exact above 2^53
    assert mapped.customer_external_id == "gid://shopify/Customer/115310627314723954"
    doc = mapped.doc
    assert doc.number == "#9999" and doc.currency == "USD"
    assert (doc.subtotal, doc.discount, doc.shipping, doc.tax, doc.total) == (
        41495,
        2000,
        1000,
        0,
        40495,
    )
    assert doc.items[0].sku == "SKU2006-001" and doc.items[0].unit_price == 8999
    assert doc.status == "cancelled" and doc.payment.method == "visa, bogus"
    assert doc.shipping_address.country == "US" and doc.shipping_address.name == "Steve Shipper"
    assert mapped.customer.name == "John Smith" and mapped.customer.email == "john@example.com"
    assert (
        mapped.source_data["line_items"]["SKU2006-001"]
        == "gid://shopify/LineItem/487817672276298554"
    )


def test_the_fulfillment_and_refund_samples() -> None:
    fulfillment = mapping.rest_fulfillment(sample("fulfillments_create.webhook.json"), {})
    assert fulfillment["carrier"] == "UPS" and fulfillment["tracking_number"] == "1z827wk74630"
    assert fulfillment["status"] == "label_created"  # "pending", no shipment status yet
    assert fulfillment["items"][0] == {"sku": "SKU2006-001", "quantity": 1}
    refund = mapping.rest_refund(sample("refunds_create.webhook.json"), "USD", {})
    # Two refund transactions (75.00 and 10.00); the line subtotals are JSON numbers.
    assert refund["amount"] == 8500
    assert refund["id"] == "gid://shopify/Refund/890088186047892319"
    assert {"sku": "SKU2006-001", "quantity": 1} in refund["items"]
    no_money = {**sample("refunds_create.webhook.json"), "transactions": []}
    lines = mapping.rest_refund(no_money, "USD", {})
    assert lines["amount"] == sum(
        to_minor(str(rli["subtotal"]), "USD") for rli in no_money["refund_line_items"]
    )


def test_the_graphql_orders_sample() -> None:
    """The docs' orders query answer (edges, shop money only, no presentment money)."""
    nodes = mapping._nodes(sample("orders_query.graphql-response.json")["orders"])
    mapped = graphql_mapping.graphql_order(nodes[0])
    assert mapped.external_id == "gid://shopify/Order/158040885"
    assert mapped.doc.number == "#2000" and mapped.doc.total == 200000
    assert mapped.doc.items[0].sku == "draft-151" and mapped.doc.items[0].quantity == 10
    assert mapped.customer_external_id == "guest:bob@example.com"
    assert mapped.doc.status == "processing"


def test_user_errors_become_a_sentence() -> None:
    from agent_desktop.server.shop.shopify.connector import sentence

    errors = sample("return_decline_request.user-errors.graphql-response.json")[
        "returnDeclineRequest"
    ]["userErrors"]
    assert sentence("decline the return", errors) == (
        "Shopify refused to decline the return: Return is not declinable. Only non-refunded "
        "returns with status REQUESTED can be declined."
    )
