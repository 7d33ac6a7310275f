"""Medusa v2's orders and customers in the shop model's own shapes (`OrderDoc`, `CustomerDoc`).

Medusa keeps money as decimal amounts in the order's currency (`55` is EUR 55.00, `1500` JPY
1500); the shop model keeps integer minor units. Each fulfilment becomes a shipment (one per
tracking label when it has several), each refund of each payment a refund, each return a
return; the order's status says how far its parcels have gone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from agent_desktop.core.money import to_minor
from agent_desktop.server.shop.documents import CustomerDoc, OrderDoc

KIND = "medusa"
# The tag the connector puts after the reason in the notes of the refunds and returns it makes.
TAGGED = re.compile(r"\s*\[Agent Desktop action [^\]]*\]")

# Medusa's payment_status → the shop model's payment status.
PAYMENT_STATUSES = {
    "not_paid": "pending",
    "awaiting": "pending",
    "requires_action": "pending",
    "authorized": "authorized",
    "partially_authorized": "authorized",
    "captured": "paid",
    "partially_captured": "partially_paid",
    "partially_refunded": "partially_refunded",
    "refunded": "refunded",
    "canceled": "cancelled",
}
# Medusa's return status → the shop model's (`open` in Medusa is a return still being drawn up).
RETURN_STATUSES = {
    "open": "requested",
    "requested": "open",
    "partially_received": "received",
    "received": "received",
    "canceled": "cancelled",
}


def parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def order_number(order: dict[str, Any]) -> str:
    custom = order.get("custom_display_id")
    if custom:
        return str(custom)[:50]
    return f"#{order.get('display_id') or order['id']}"


def customer_name(customer: dict[str, Any] | None, fallback: str = "") -> str:
    customer = customer or {}
    name = " ".join(
        part.strip()
        for part in (str(customer.get("first_name") or ""), str(customer.get("last_name") or ""))
        if part.strip()
    )
    return (name or str(customer.get("company_name") or "") or fallback or "Medusa customer")[:200]


def customer_external_id(order: dict[str, Any]) -> str:
    """The Medusa customer the order belongs to (every checkout has one in Medusa v2; an order
    without one is keyed by its e-mail address)."""
    if order.get("customer_id"):
        return str(order["customer_id"])
    return f"email:{(order.get('email') or order['id']).lower()}"


def customer_doc(customer: dict[str, Any], *, currency: str = "EUR") -> CustomerDoc:
    return CustomerDoc(
        name=customer_name(customer, str(customer.get("email") or "")),
        email=customer.get("email") or None,
        phone=(str(customer.get("phone")) or None) if customer.get("phone") else None,
        currency=currency,
        customer_since=parse_time(customer.get("created_at")),
        updated_at=parse_time(customer.get("updated_at")),
    )


def order_customer_doc(order: dict[str, Any]) -> CustomerDoc:
    """The order's customer as the order carries it (or from its e-mail and address)."""
    customer = order.get("customer") or {}
    currency = str(order.get("currency_code") or "EUR").upper()
    if customer:
        return customer_doc(customer, currency=currency)
    address = order.get("shipping_address") or {}
    return CustomerDoc(
        name=customer_name(address, str(order.get("email") or "")),
        email=order.get("email") or None,
        phone=address.get("phone") or None,
        currency=currency,
        customer_since=parse_time(order.get("created_at")),
    )


def _address(address: dict[str, Any] | None) -> dict[str, str]:
    address = address or {}
    return {
        "name": customer_name(address, "")
        if (address.get("first_name") or address.get("last_name"))
        else "",
        "line1": str(address.get("address_1") or ""),
        "line2": str(address.get("address_2") or ""),
        "postal_code": str(address.get("postal_code") or ""),
        "city": str(address.get("city") or ""),
        "country": str(address.get("country_code") or "").upper(),
    }


def sku_of(item: dict[str, Any]) -> str:
    return str(item.get("variant_sku") or item.get("variant_id") or item.get("id"))[:100]


def _title(item: dict[str, Any]) -> str:
    title = str(item.get("product_title") or item.get("title") or "")
    variant = str(item.get("subtitle") or "")
    if variant and variant != title:
        return f"{title} ({variant})"[:500]
    return title[:500]


def _shipments(order: dict[str, Any], skus: dict[str, str]) -> list[dict[str, Any]]:
    shipments: list[dict[str, Any]] = []
    for ful in sorted(order.get("fulfillments") or [], key=lambda f: f.get("created_at") or ""):
        events: list[dict[str, Any]] = []
        for field, step in (
            ("packed_at", "label_created"),
            ("shipped_at", "shipped"),
            ("delivered_at", "delivered"),
            ("canceled_at", "cancelled"),
        ):
            at = parse_time(ful.get(field))
            if at is not None:
                events.append({"at": at.isoformat(), "status": step, "location": ""})
        events.sort(key=lambda e: e["at"])
        if ful.get("canceled_at"):
            status = "cancelled"
        elif ful.get("delivered_at"):
            status = "delivered"
        elif ful.get("shipped_at"):
            status = "shipped"
        else:
            status = "label_created" if ful.get("labels") else "pending"
        items = [
            {
                "sku": skus.get(str(i.get("line_item_id")), str(i.get("sku") or "")),
                "quantity": int(i.get("quantity") or 0),
            }
            for i in ful.get("items") or []
            if int(i.get("quantity") or 0) > 0
        ]
        option = ful.get("shipping_option") or {}
        carrier = str(option.get("name") or ful.get("provider_id") or "")
        labels = ful.get("labels") or [{}]
        for index, label in enumerate(labels):
            shipments.append(
                {
                    "id": str(ful["id"]) if len(labels) == 1 else f"{ful['id']}/{index + 1}",
                    "carrier": carrier,
                    "tracking_number": str(label.get("tracking_number") or ""),
                    "tracking_url": label.get("tracking_url") or None,
                    "status": status,
                    "events": events,
                    "items": items if index == 0 else [],
                }
            )
    return shipments


def _payments(order: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        payment
        for collection in order.get("payment_collections") or []
        for payment in collection.get("payments") or []
    ]


def _refunds(order: dict[str, Any], currency: str) -> list[dict[str, Any]]:
    refunds: list[dict[str, Any]] = []
    for payment in _payments(order):
        for refund in payment.get("refunds") or []:
            refunds.append(
                {
                    "id": str(refund["id"]),
                    "amount": to_minor(refund.get("amount"), currency),
                    "created_at": _iso(parse_time(refund.get("created_at")))
                    or str(order.get("updated_at")),
                    "reason": TAGGED.sub("", str(refund.get("note") or "")).strip()[:500],
                }
            )
    refunds.sort(key=lambda r: r["created_at"])
    return refunds


def _returns(order: dict[str, Any], skus: dict[str, str]) -> list[dict[str, Any]]:
    returns = []
    for ret in sorted(order.get("returns") or [], key=lambda r: r.get("created_at") or ""):
        events = []
        received = parse_time(ret.get("received_at"))
        if received is not None:
            events.append({"at": received.isoformat(), "status": "received", "location": ""})
        reason = next((str(i["note"]) for i in ret.get("items") or [] if i.get("note")), "")
        reason = TAGGED.sub("", reason).strip()
        returns.append(
            {
                "id": str(ret["id"]),
                "status": RETURN_STATUSES.get(str(ret.get("status")), str(ret.get("status"))),
                "items": [
                    {
                        "sku": skus.get(str(i.get("item_id")), str(i.get("item_id"))),
                        "quantity": int(i.get("quantity") or 0),
                    }
                    for i in ret.get("items") or []
                    if int(i.get("quantity") or 0) > 0
                ],
                "reason": reason[:500],
                "created_at": _iso(parse_time(ret.get("requested_at") or ret.get("created_at"))),
                "events": events,
            }
        )
    return returns


def _discounts(order: dict[str, Any], currency: str) -> list[dict[str, Any]]:
    by_code: dict[str, int] = defaultdict(int)
    for item in order.get("items") or []:
        for adjustment in item.get("adjustments") or []:
            by_code[str(adjustment.get("code") or "")] += to_minor(
                adjustment.get("amount"), currency
            )
    return [{"code": code, "title": code, "amount": amount} for code, amount in by_code.items()]


def order_status(order: dict[str, Any], returns: list[dict[str, Any]]) -> str:
    """processing → shipped → delivered → returned, or cancelled."""
    if order.get("status") == "canceled" or order.get("canceled_at"):
        return "cancelled"
    bought = sum(int(i.get("quantity") or 0) for i in order.get("items") or [])
    back = sum(
        int((i.get("detail") or {}).get("return_received_quantity") or 0)
        for i in order.get("items") or []
    )
    if bought and back >= bought:
        return "returned"
    fulfilment = str(order.get("fulfillment_status") or "")
    if fulfilment in ("delivered", "partially_delivered"):
        return "delivered"
    if fulfilment in ("shipped", "partially_shipped"):
        return "shipped"
    return "processing"


def payment_method(order: dict[str, Any]) -> str:
    """`pp_stripe_stripe` → "stripe", `pp_system_default` → "system"."""
    for payment in _payments(order):
        provider = str(payment.get("provider_id") or "")
        if provider:
            parts = [p for p in provider.removeprefix("pp_").split("_") if p and p != "default"]
            return parts[0] if parts else provider
    return ""


def last_change(order: dict[str, Any]) -> datetime | None:
    """The latest time anything in the order changed: Medusa does not always move the order's
    own `updated_at` when a fulfilment, refund or return does, and newest wins on ingest."""
    times = [parse_time(order.get("updated_at"))]
    for ful in order.get("fulfillments") or []:
        times += [parse_time(ful.get(k)) for k in ("shipped_at", "delivered_at", "canceled_at")]
    for payment in _payments(order):
        times += [parse_time(payment.get(k)) for k in ("captured_at", "canceled_at")]
        times += [parse_time(r.get("created_at")) for r in payment.get("refunds") or []]
    for ret in order.get("returns") or []:
        times += [parse_time(ret.get(k)) for k in ("requested_at", "received_at", "canceled_at")]
    known = [t for t in times if t is not None]
    return max(known) if known else None


def order_doc(order: dict[str, Any]) -> OrderDoc:
    """The shop model's order for one Medusa order (read with `client.ORDER_FIELDS`)."""
    currency = str(order.get("currency_code") or "EUR").upper()
    skus = {str(i["id"]): sku_of(i) for i in order.get("items") or [] if i.get("id")}
    returns = _returns(order, skus)
    return OrderDoc.model_validate(
        {
            "number": order_number(order),
            "customer_external_id": customer_external_id(order),
            "placed_at": order["created_at"],
            "updated_at": _iso(last_change(order)),
            "status": order_status(order, returns),
            "currency": currency,
            "items": [
                {
                    "sku": sku_of(item),
                    "title": _title(item),
                    "quantity": int(item.get("quantity") or 0),
                    "unit_price": to_minor(item.get("unit_price"), currency),
                    "image_url": item.get("thumbnail") or None,
                }
                for item in order.get("items") or []
                if int(item.get("quantity") or 0) > 0
            ],
            "subtotal": to_minor(order.get("item_subtotal"), currency),
            "shipping": to_minor(order.get("shipping_subtotal"), currency),
            "tax": to_minor(order.get("tax_total"), currency),
            "discount": to_minor(order.get("discount_total"), currency),
            "total": to_minor(order.get("total"), currency),
            "discounts": _discounts(order, currency),
            "payment": {
                "method": payment_method(order),
                "status": PAYMENT_STATUSES.get(
                    str(order.get("payment_status") or ""), str(order.get("payment_status") or "")
                ),
            },
            "shipping_address": _address(order.get("shipping_address")),
            "shipments": _shipments(order, skus),
            "refunds": _refunds(order, currency),
            "returns": returns,
            "cancelled_at": order.get("canceled_at") or None,
        }
    )


def medusa_address(address: Any, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The shop model's address (`name, line1, line2, postal_code, city, country`) as Medusa's
    address payload; the name is split at its first space; the phone and company stay."""
    current = current or {}
    name = str(getattr(address, "name", "") or "").strip()
    first, _, last = name.partition(" ")
    payload: dict[str, Any] = {
        "first_name": first or current.get("first_name") or "",
        "last_name": last or (current.get("last_name") or "" if not name else ""),
        "address_1": address.line1,
        "address_2": address.line2 or "",
        "postal_code": address.postal_code,
        "city": address.city,
        "country_code": (address.country or current.get("country_code") or "").lower(),
    }
    for keep in ("phone", "company", "province"):
        if current.get(keep):
            payload[keep] = current[keep]
    return payload
