"""Shopify's shapes into the shop model: webhook bodies (REST shape: snake_case, numeric ids plus
`admin_graphql_api_id`) and Admin GraphQL nodes (camelCase, GIDs), both into `OrderDoc` and
`CustomerDoc` (the GraphQL nodes in `graphql_mapping.py`). Pure functions, no I/O.

Money is read from the presentment amounts (what the customer saw, in the order's own currency)
as decimal strings, never floats: JSON numbers (refund line items' `subtotal`) are read through
their text. Ids are kept as GIDs (strings): numeric ids can exceed 2^53.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from agent_desktop.core.money import to_minor
from agent_desktop.server.shop.documents import CustomerDoc, OrderDoc, parse_time

Json = Mapping[str, Any]

# Shopify's shipment and fulfillment statuses → the shop model's shipment statuses.
SHIPMENT_STATUS = {
    "label_printed": "label_created",
    "label_purchased": "label_created",
    "label_voided": "cancelled",
    "confirmed": "label_created",
    "submitted": "label_created",
    "pending": "label_created",
    "open": "label_created",
    "carrier_picked_up": "picked_up",
    "fulfilled": "picked_up",
    "marked_as_fulfilled": "picked_up",
    "success": "picked_up",
    "in_transit": "in_transit",
    "out_for_delivery": "out_for_delivery",
    "ready_for_pickup": "out_for_delivery",
    "attempted_delivery": "delayed",
    "delayed": "delayed",
    "not_delivered": "failure",
    "failure": "failure",
    "error": "failure",
    "delivered": "delivered",
    "picked_up": "delivered",  # the customer collected it
    "cancelled": "cancelled",
    "canceled": "cancelled",
}
RETURN_STATUS = {
    "requested": "requested",
    "open": "open",
    "closed": "closed",
    "declined": "declined",
    "canceled": "cancelled",
    "cancelled": "cancelled",
}
FINANCIAL_STATUS = {
    "partially_refunded": "partially_refunded",
    "refunded": "refunded",
    "paid": "paid",
    "partially_paid": "partially_paid",
    "pending": "pending",
    "authorized": "authorized",
    "voided": "voided",
    "expired": "expired",
}


def gid(kind: str, value: Any) -> str:
    """`gid://shopify/{kind}/{value}` for a numeric id (kept exact: ints are never floats here);
    a GID is returned as it is."""
    text = str(value)
    return text if text.startswith("gid://") else f"gid://shopify/{kind}/{text}"


def _iso(value: Any) -> str | None:
    at = parse_time(value)
    return at.isoformat() if at is not None else None


def _set_amount(data: Json, name: str, currency: str) -> int:
    """The presentment amount of `{name}_set` (REST) or `{name}Set` (GraphQL), in minor units."""
    money = data.get(f"{name}_set") or data.get(_camel(name) + "Set")
    if isinstance(money, Mapping):
        side = money.get("presentment_money") or money.get("presentmentMoney")
        if not isinstance(side, Mapping):
            side = money.get("shop_money") or money.get("shopMoney") or {}
        if side.get("amount") is not None:
            return to_minor(str(side["amount"]), currency)
    value = data.get(name)
    return to_minor(str(value), currency) if value is not None else 0


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _nodes(value: Any) -> list[Json]:
    """A GraphQL connection's nodes (`nodes` or `edges[].node`), or a plain list."""
    if value is None:
        return []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, Mapping)]
    if isinstance(value, Mapping):
        if isinstance(value.get("nodes"), list):
            return [v for v in value["nodes"] if isinstance(v, Mapping)]
        if isinstance(value.get("edges"), list):
            return [e["node"] for e in value["edges"] if isinstance(e, Mapping) and e.get("node")]
    return []


def sku_of(line: Json) -> str:
    """A line item's SKU, or a stand-in made from its id when the product has none."""
    sku = line.get("sku")
    if sku:
        return str(sku)
    raw = line.get("admin_graphql_api_id") or line.get("id") or "?"
    return f"line-{str(raw).rsplit('/', 1)[-1]}"


def shipment_status(*candidates: Any) -> str:
    for value in candidates:
        if value:
            key = str(value).lower()
            return SHIPMENT_STATUS.get(key, key)
    return "label_created"


def customer_name(c: Json, fallback: str = "") -> str:
    first = c.get("first_name") or c.get("firstName") or ""
    last = c.get("last_name") or c.get("lastName") or ""
    name = f"{first} {last}".strip() or str(c.get("displayName") or "").strip()
    return name or fallback or "Shopify customer"


@dataclass
class Mapped:
    """An order read from Shopify: the document, its customer, and the connector's own data."""

    doc: OrderDoc
    external_id: str
    customer_external_id: str
    customer: CustomerDoc
    source_data: dict[str, Any] = field(default_factory=dict)
    has_returns: bool = False  # False: the payload says nothing of returns (keep the stored)


# --- status -----------------------------------------------------------------------------------


def order_status(doc_data: Json, fulfillment: str | None) -> str:
    """processing | shipped | partially_shipped | delivered | returned | refunded | cancelled."""
    if doc_data.get("cancelled_at"):
        return "cancelled"
    returns = doc_data.get("returns") or []
    if returns and all(r.get("status") == "closed" for r in returns):
        return "returned"
    shipments = [s for s in doc_data.get("shipments") or [] if s.get("status") != "cancelled"]
    payment = (doc_data.get("payment") or {}).get("status")
    if shipments:
        if fulfillment is None:  # not said: compare what the parcels hold with what was bought
            sent = sum(int(i.get("quantity") or 0) for s in shipments for i in s.get("items") or [])
            bought = sum(int(i.get("quantity") or 0) for i in doc_data.get("items") or [])
            partial = 0 < sent < bought
        else:
            partial = fulfillment.lower() in ("partial", "partially_fulfilled")
        if not partial and all(s.get("status") == "delivered" for s in shipments):
            return "delivered"
        return "partially_shipped" if partial else "shipped"
    if payment == "refunded":
        return "refunded"
    return "processing"


# --- webhook bodies (REST shape) --------------------------------------------------------------


def _address(a: Json | None) -> dict[str, str]:
    a = a or {}
    name = a.get("name") or " ".join(
        p for p in (a.get("first_name") or a.get("firstName"), a.get("last_name") or a.get("lastName")) if p
    )  # fmt: skip
    return {
        "name": str(name or ""),
        "line1": str(a.get("address1") or ""),
        "line2": str(a.get("address2") or ""),
        "postal_code": str(a.get("zip") or ""),
        "city": str(a.get("city") or ""),
        "country": str(a.get("country_code") or a.get("countryCodeV2") or a.get("country") or ""),
    }


def rest_fulfillment(f: Json, skus: Mapping[str, str]) -> dict[str, Any]:
    """A `fulfillments/*` body (or one of an order's fulfillments) as a Shipment."""
    numbers = f.get("tracking_numbers") or (
        [f["tracking_number"]] if f.get("tracking_number") else []
    )
    urls = f.get("tracking_urls") or ([f["tracking_url"]] if f.get("tracking_url") else [])
    status = shipment_status(
        "cancelled" if f.get("status") in ("cancelled", "failure", "error") else None,
        f.get("shipment_status"),
        f.get("status"),
    )
    at = _iso(f.get("updated_at") or f.get("created_at"))
    return {
        "id": gid("Fulfillment", f.get("admin_graphql_api_id") or f.get("id")),
        "carrier": str(f.get("tracking_company") or ""),
        "tracking_number": str(numbers[0]) if numbers else "",
        "tracking_url": str(urls[0]) if urls else None,
        "status": status,
        "eta": _iso(f.get("estimated_delivery_at")),
        "events": [{"at": at, "status": status, "location": ""}] if at else [],
        "items": [
            {"sku": skus.get(gid("LineItem", li.get("id")), sku_of(li)), "quantity": int(li.get("quantity") or 0)}
            for li in f.get("line_items") or []
        ],
    }  # fmt: skip


def rest_refund(r: Json, currency: str, skus: Mapping[str, str]) -> dict[str, Any]:
    """A `refunds/create` body (or one of an order's refunds) as a Refund: the successful refund
    transactions' amounts, or else the refunded lines' subtotals and taxes."""
    amount = 0
    for t in r.get("transactions") or []:
        if t.get("kind") == "refund" and t.get("status") in (None, "success"):
            amount += to_minor(str(t.get("amount") or 0), currency)
    items = []
    lines_total = 0
    for rli in r.get("refund_line_items") or []:
        line = rli.get("line_item") or {}
        line_id = gid("LineItem", rli.get("line_item_id") or line.get("id"))
        items.append(
            {"sku": skus.get(line_id) or sku_of(line), "quantity": int(rli.get("quantity") or 0)}
        )
        lines_total += _set_amount(rli, "subtotal", currency) + _set_amount(
            rli, "total_tax", currency
        )
    return {
        "id": gid("Refund", r.get("admin_graphql_api_id") or r.get("id")),
        "amount": amount or lines_total,
        "created_at": _iso(r.get("processed_at") or r.get("created_at")) or "1970-01-01T00:00:00+00:00",
        "items": items,
        "reason": str(r.get("note") or ""),
    }  # fmt: skip


def rest_return(r: Json, skus: Mapping[str, str]) -> dict[str, Any]:
    """A `returns/*` body as a Return (items when the body lists them)."""
    items = []
    for rli in r.get("return_line_items") or []:
        line = (
            (rli.get("fulfillment_line_item") or {}).get("line_item") or rli.get("line_item") or {}
        )
        line_id = gid("LineItem", line.get("admin_graphql_api_id") or line.get("id") or "?")
        items.append(
            {"sku": skus.get(line_id) or sku_of(line), "quantity": int(rli.get("quantity") or 0)}
        )
    status = str(r.get("status") or "requested").lower()
    return {
        "id": gid("Return", r.get("admin_graphql_api_id") or r.get("id")),
        "status": RETURN_STATUS.get(status, status),
        "items": items,
        "reason": str(next((i.get("return_reason") for i in r.get("return_line_items") or [] if i.get("return_reason")), "") or ""),
        "created_at": _iso(r.get("created_at")),
        "carrier": "",
        "tracking_number": "",
        "tracking_url": None,
        "events": [],
    }  # fmt: skip


def return_order_id(r: Json) -> str | None:
    order: Json = r["order"] if isinstance(r.get("order"), Mapping) else {}
    raw = order.get("admin_graphql_api_id") or order.get("id") or r.get("order_id")
    return gid("Order", raw) if raw else None


def rest_customer(
    c: Json, fallback_email: str | None = None, locale: str | None = None
) -> CustomerDoc:
    return CustomerDoc(
        name=customer_name(c, fallback=str(c.get("email") or fallback_email or "")),
        email=c.get("email") or fallback_email,
        phone=c.get("phone") or (c.get("default_address") or {}).get("phone"),
        locale=str(c.get("locale") or locale or "en")[:20] or "en",
        currency=str(c.get("currency") or "EUR"),
        updated_at=parse_time(c.get("updated_at")),
    )  # fmt: skip


def rest_order(o: Json) -> Mapped:
    """An `orders/*` webhook body: the whole order (returns excepted, which come on their own
    topics and through the API)."""
    currency = str(o.get("presentment_currency") or o.get("currency") or "USD").upper()
    skus = {gid("LineItem", li.get("admin_graphql_api_id") or li.get("id")): sku_of(li) for li in o.get("line_items") or []}  # fmt: skip
    items: list[dict[str, Any]] = [
        {
            "sku": sku_of(li),
            "title": str(li.get("name") or li.get("title") or ""),
            "quantity": max(1, int(li.get("quantity") or 1)),
            "unit_price": _set_amount(li, "price", currency),
            "image_url": None,
        }
        for li in o.get("line_items") or []
    ]
    data: dict[str, Any] = {
        "number": str(o.get("name") or f"#{o.get('order_number') or o.get('number') or ''}"),
        "placed_at": _iso(o.get("processed_at") or o.get("created_at")),
        "updated_at": _iso(o.get("updated_at")),
        "currency": currency,
        "items": items,
        "subtotal": _set_amount(o, "total_line_items_price", currency) or sum(i["unit_price"] * i["quantity"] for i in items),
        "shipping": _set_amount(o, "total_shipping_price", currency),
        "tax": _set_amount(o, "total_tax", currency),
        "discount": _set_amount(o, "total_discounts", currency),
        "total": _set_amount(o, "total_price", currency),
        "discounts": [
            {"code": str(d.get("code") or ""), "title": str(d.get("type") or ""), "amount": to_minor(str(d.get("amount") or 0), currency)}
            for d in o.get("discount_codes") or []
        ],
        "payment": {
            "method": ", ".join(str(g) for g in o.get("payment_gateway_names") or []),
            "status": FINANCIAL_STATUS.get(str(o.get("financial_status") or ""), str(o.get("financial_status") or "")),
        },
        "shipping_address": _address(o.get("shipping_address")),
        "shipments": [rest_fulfillment(f, skus) for f in o.get("fulfillments") or []],
        "refunds": [rest_refund(r, currency, skus) for r in o.get("refunds") or []],
        "returns": [],
        "cancelled_at": _iso(o.get("cancelled_at")),
    }  # fmt: skip
    data["status"] = order_status(data, o.get("fulfillment_status"))
    customer = o.get("customer") if isinstance(o.get("customer"), Mapping) else None
    email = o.get("email") or o.get("contact_email")
    if customer and (customer.get("admin_graphql_api_id") or customer.get("id")):
        customer_id = gid("Customer", customer.get("admin_graphql_api_id") or customer.get("id"))
        customer_doc = rest_customer(customer, email, o.get("customer_locale"))
    else:  # a guest checkout: one customer per e-mail address (or per order without one)
        customer_id = (
            f"guest:{str(email).lower()}" if email else f"guest:{gid('Order', o.get('id'))}"
        )
        customer_doc = rest_customer(
            o.get("billing_address") or o.get("shipping_address") or {},
            email,
            o.get("customer_locale"),
        )
    if customer_doc.currency != currency and not (customer and customer.get("currency")):
        customer_doc.currency = currency
    return Mapped(
        doc=OrderDoc.model_validate(data),
        external_id=gid("Order", o.get("admin_graphql_api_id") or o.get("id")),
        customer_external_id=customer_id,
        customer=customer_doc,
        source_data={"legacy_id": str(o.get("id") or ""), "line_items": {v: k for k, v in skus.items()}},
        has_returns=False,  # an order body's returns are not in a documented shape
    )  # fmt: skip


def merge_shipment(shipments: Iterable[Json], shipment: Json) -> list[dict[str, Any]]:
    """`shipments` with `shipment` replacing the one of the same id (or added at the end)."""
    out = [dict(s) for s in shipments]
    for i, s in enumerate(out):
        if s.get("id") == shipment.get("id"):
            events = list(s.get("events") or [])
            for e in shipment.get("events") or []:
                if e not in events:
                    events.append(e)
            out[i] = {
                **s,
                **shipment,
                "events": events,
                "items": shipment.get("items") or s.get("items") or [],
            }
            return out
    out.append(dict(shipment))
    return out  # fmt: skip
