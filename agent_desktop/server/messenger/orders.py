"""Order messages for Messenger: Meta's receipt template for a confirmation, and a shipping update
as plain text in the customer's language (carrier, tracking link, expected date).

Money is converted from integer minor units to the decimal amounts the template expects; the
receipt is built only after `policy.receipt_total_problems` found nothing wrong.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import get_currency_precision

from agent_desktop.core.formatting import format_date
from agent_desktop.core.order_types import Customer, Order


def major_units(amount: int, currency: str) -> float:
    """1234 EUR cents → 12.34; JPY (no decimals) stays 1234."""
    try:
        digits = get_currency_precision(currency.upper())
    except Exception:  # an unknown currency code: assume two decimals, like most
        digits = 2
    return float(Decimal(amount).scaleb(-digits))


def absolute_image_url(url: str | None, public_url: str | None) -> str | None:
    """Meta fetches item images itself: a server-relative `/media/...` link needs the server's
    public origin; without one the image is left out rather than sent broken."""
    if not url:
        return None
    if url.startswith(("https://", "http://")):
        return url
    if public_url and url.startswith("/"):
        return public_url + url
    return None


def order_link(template: str | None, order: Order) -> str | None:
    """The shop's page for the order, from a template such as `https://shop.example/o/{number}`."""
    if not template:
        return None
    return template.replace("{number}", order.number.lstrip("#")).replace("{id}", order.id)


def receipt_payload(
    order: Order,
    customer: Customer,
    *,
    order_url: str | None = None,
    public_url: str | None = None,
) -> dict[str, Any]:
    """The Send API `message` object of a receipt template for `order`."""
    cur = order.currency.upper()
    address = order.shipping_address
    payload: dict[str, Any] = {
        "template_type": "receipt",
        "recipient_name": address.name or customer.name,
        "order_number": order.number,
        "currency": cur,
        "payment_method": order.payment.method,
        "timestamp": str(int(order.placed_at.timestamp())),
        "summary": {
            "subtotal": major_units(order.subtotal, cur),
            "shipping_cost": major_units(order.shipping, cur),
            "total_tax": major_units(order.tax, cur),
            "total_cost": major_units(order.total, cur),
        },
        "elements": [
            {
                "title": item.title,
                "subtitle": item.sku,
                "quantity": item.quantity,
                "price": major_units(item.unit_price * item.quantity, cur),
                "currency": cur,
                **(
                    {"image_url": image}
                    if (image := absolute_image_url(item.image_url, public_url))
                    else {}
                ),
            }
            for item in order.items
        ],
    }
    if order_url:
        payload["order_url"] = order_url
    if address.line1 and address.city:
        payload["address"] = {
            "street_1": address.line1,
            "street_2": address.line2,
            "city": address.city,
            "postal_code": address.postal_code,
            "state": "",  # the Address type has no region; Meta accepts an empty one outside the US
            "country": address.country,
        }
    return {"attachment": {"type": "template", "payload": payload}}


_SHIPPING = {
    "fr": (
        "Votre commande {number} a été expédiée avec {carrier}.",
        "Suivi du colis : {link}",
        "Livraison prévue le {date}.",
    ),
    "en": (
        "Your order {number} has shipped with {carrier}.",
        "Track your parcel: {link}",
        "Expected delivery: {date}.",
    ),
}


def shipping_update_text(order: Order, locale: str) -> str | None:
    """The shipping update in the customer's language (French or English), or None if the order
    has no shipment yet."""
    shipment = order.shipment
    if shipment is None:
        return None
    lang = "fr" if locale.lower().startswith("fr") else "en"
    shipped, track, expected = _SHIPPING[lang]
    lines = [shipped.format(number=order.number, carrier=shipment.carrier)]
    link = shipment.tracking_url or shipment.tracking_number
    if link:
        lines.append(track.format(link=link))
    if shipment.eta is not None:
        # The customer's locale, long form: "8 décembre 2026", "December 8, 2026".
        lines.append(expected.format(date=format_date(shipment.eta, locale, length="long")))
    return "\n".join(lines)


def receipt_card_text(order: Order, locale: str) -> str:
    """The text stored with a receipt message (the client shows it as the order card)."""
    if locale.lower().startswith("fr"):
        return f"Confirmation de commande {order.number}"
    return f"Order confirmation {order.number}"
