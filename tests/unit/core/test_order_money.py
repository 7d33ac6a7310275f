"""What the client's order dialogs rely on (issue 18): amounts as an agent types them, read in the
order's currency (two decimals, zero-decimal yen, three-decimal dinar), the amount put back in a
field, and the order as the server will check it while refunds or returns are still running."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from agent_desktop.core import order_rules as rules
from agent_desktop.core.formatting import format_amount
from agent_desktop.core.money import MoneyError, parse_amount
from agent_desktop.core.order_types import ItemQuantity, Order, OrderAction


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("12,50", "EUR", 1250),
        ("12.50", "EUR", 1250),
        ("12.5 €", "EUR", 1250),
        ("1 234,56", "EUR", 123456),
        ("1,234.56", "USD", 123456),
        ("1\u202f234,56", "EUR", 123456),  # French narrow no-break space grouping
        ("15", "EUR", 1500),
        ("1500", "JPY", 1500),
        ("1,500", "JPY", 1500),  # yen have no decimals: the comma groups thousands
        ("1.500", "JPY", 1500),
        ("2,125", "KWD", 2125),  # three decimals
        ("0,01", "EUR", 1),
        ("12,505", "EUR", 1250500),  # three digits after the mark group thousands (then the
        # refund limit refuses it as more than the order)
    ],
)
def test_parse_amount(text: str, currency: str, minor: int) -> None:
    assert parse_amount(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("", "EUR", "Type an amount"),
        ("abc", "EUR", "Type an amount"),
        ("-5", "EUR", "cannot be negative"),
        ("12x", "EUR", "is not an amount"),
        ("12,50,5", "EUR", "is not an amount"),
        ("1,50", "JPY", "is not an amount"),  # yen have no cents
        ("12 USD", "EUR", "is not an amount"),
    ],
)
def test_parse_amount_refuses_with_a_sentence(text: str, currency: str, message: str) -> None:
    with pytest.raises(MoneyError, match=message):
        parse_amount(text, currency)


def test_format_amount_fills_a_field_the_way_it_is_read_back() -> None:
    assert format_amount(1587, "EUR", "fr") == "15,87"
    assert format_amount(1587, "EUR", "en") == "15.87"
    assert format_amount(1500, "JPY", "fr") == "1500"
    assert format_amount(123456, "EUR", "fr") == "1234,56"
    for minor, currency, loc in ((1587, "EUR", "fr"), (1500, "JPY", "en"), (2125, "KWD", "en")):
        assert parse_amount(format_amount(minor, currency, loc), currency) == minor


def _order(**kw: Any) -> Order:
    base: dict[str, Any] = {
        "id": "o_1",
        "number": "#1",
        "placed_at": datetime(2026, 11, 1, tzinfo=UTC),
        "status": "delivered",
        "currency": "EUR",
        "items": [{"sku": "MUG", "title": "Mug", "quantity": 2, "unit_price": 1000}],
        "subtotal": 2000,
        "shipping": 0,
        "tax": 0,
        "total": 2000,
        "payment": {"method": "card", "status": "paid"},
        "shipping_address": {},
        "shipments": [{"carrier": "DHL", "tracking_number": "1", "status": "delivered"}],
    }
    base.update(kw)
    return Order.model_validate(base)


def _action(type_: str, status: str, **kw: Any) -> OrderAction:
    at = datetime(2026, 11, 3, tzinfo=UTC)
    return OrderAction.model_validate(
        {"id": f"act_{type_}_{status}", "client_id": "c", "order_id": "o_1", "type": type_,
         "status": status, "created_at": at, "updated_at": at, **kw}
    )  # fmt: skip


def test_running_refunds_and_returns_count_already() -> None:
    order = _order()
    waiting = _action("refund", "pending_approval", amount=1500)
    returning = _action("return", "in_progress", items=[{"sku": "MUG", "quantity": 1}])
    done = _action("refund", "done", amount=300)  # already in order.refunded when done
    view = rules.projected(order, [waiting, returning, done])
    assert rules.refundable(order) == 2000 and rules.refundable(view) == 500
    with pytest.raises(rules.TooMuch):
        rules.return_items(view, [ItemQuantity(sku="MUG", quantity=2)])
    assert rules.return_items(view, [ItemQuantity(sku="MUG", quantity=1)])
    assert rules.projected(order, [done]) is order
    other = _action("refund", "pending_approval", amount=1500, order_id="o_2")
    assert rules.refundable(rules.projected(order, [other])) == 2000
