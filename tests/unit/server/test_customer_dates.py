"""Dates inside what a customer reads on Messenger (shipping updates, utility-template values)
are in the customer's locale, month written out: "8 décembre 2026", "December 8, 2026" (and
"8 December 2026" for a British customer), never the abbreviated "8 déc. 2026" (issue 21)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agent_desktop.core.order_types import Address, Customer, Order, Payment, Shipment
from agent_desktop.server.messenger.orders import shipping_update_text
from agent_desktop.server.messenger.utility import order_values

ETA = datetime(2026, 12, 8, 9, tzinfo=UTC)
PLACED = datetime(2026, 12, 1, 15, tzinfo=UTC)


def order() -> Order:
    return Order(
        id="o1",
        number="#1938",
        placed_at=PLACED,
        status="shipped",
        currency="EUR",
        items=[],
        subtotal=4000,
        shipping=490,
        tax=0,
        total=4490,
        payment=Payment(method="card", status="paid"),
        shipping_address=Address(),
        shipment=Shipment(
            carrier="Colissimo",
            tracking_number="6A1938",
            tracking_url="https://track.example.test/6A1938",
            status="in_transit",
            eta=ETA,
        ),
    )


@pytest.mark.parametrize(
    ("locale", "eta", "placed"),
    [
        ("fr", "8 décembre 2026", "1 décembre 2026"),
        ("fr_FR", "8 décembre 2026", "1 décembre 2026"),
        ("en", "December 8, 2026", "December 1, 2026"),
        ("en_US", "December 8, 2026", "December 1, 2026"),
        ("en-GB", "8 December 2026", "1 December 2026"),
    ],
)
def test_order_status_texts_write_dates_out_in_the_customers_locale(
    locale: str, eta: str, placed: str
) -> None:
    text = shipping_update_text(order(), locale)
    assert text is not None and eta in text
    assert "déc." not in text and "Dec " not in text
    customer = Customer(id="c1", name="Léa Martin", locale=locale, customer_since=PLACED)
    values = order_values(order(), customer, locale)
    assert values["eta"] == eta
    assert values["order_date"] == placed
