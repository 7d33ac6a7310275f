"""Shopify's Admin GraphQL nodes (camelCase, GIDs, MoneyBags) into the shop model's `OrderDoc` and
`CustomerDoc`, for imports and order refreshes; webhook bodies (REST shape) are mapped in
`mapping.py`, whose shared rules (statuses, addresses, SKUs) these use. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agent_desktop.core.money import to_minor
from agent_desktop.server.shop.documents import CustomerDoc, OrderDoc, parse_time
from agent_desktop.server.shop.shopify.mapping import (
    FINANCIAL_STATUS,
    RETURN_STATUS,
    Json,
    Mapped,
    _address,
    _iso,
    _nodes,
    customer_name,
    order_status,
    shipment_status,
    sku_of,
)


def _money(node: Json | None, currency: str) -> int:
    """A MoneyBag (`{presentmentMoney{amount}}`) in minor units."""
    if not isinstance(node, Mapping):
        return 0
    side = node.get("presentmentMoney") or node.get("shopMoney") or {}
    return to_minor(str(side.get("amount") or 0), currency)


def graphql_fulfillment(f: Json) -> dict[str, Any]:
    tracking = _nodes(f.get("trackingInfo"))
    first = tracking[0] if tracking else {}
    status = shipment_status(
        "cancelled"
        if str(f.get("status") or "").upper() in ("CANCELLED", "ERROR", "FAILURE")
        else None,
        f.get("displayStatus"),
        f.get("status"),
    )
    events = [
        {
            "at": _iso(e.get("happenedAt")),
            "status": shipment_status(e.get("status")),
            "location": str(e.get("city") or e.get("message") or ""),
        }
        for e in _nodes(f.get("events"))
        if e.get("happenedAt")
    ]
    if not events and (f.get("updatedAt") or f.get("createdAt")):
        events = [
            {"at": _iso(f.get("updatedAt") or f.get("createdAt")), "status": status, "location": ""}
        ]
    return {
        "id": str(f.get("id") or ""),
        "carrier": str(first.get("company") or ""),
        "tracking_number": str(first.get("number") or ""),
        "tracking_url": first.get("url"),
        "status": status,
        "eta": _iso(f.get("estimatedDeliveryAt")),
        "events": events,
        "items": [
            {"sku": sku_of(n.get("lineItem") or {}), "quantity": int(n.get("quantity") or 0)}
            for n in _nodes(f.get("fulfillmentLineItems"))
        ],
    }  # fmt: skip


def graphql_return(r: Json) -> dict[str, Any]:
    carrier = number = ""
    url = None
    for rfo in _nodes(r.get("reverseFulfillmentOrders")):
        for delivery in _nodes(rfo.get("reverseDeliveries")):
            tracking = (delivery.get("deliverable") or {}).get("tracking") or {}
            if tracking.get("number"):
                carrier = str(tracking.get("carrierName") or "")
                number, url = str(tracking["number"]), tracking.get("url")
    lines = _nodes(r.get("returnLineItems"))
    status = str(r.get("status") or "").lower()
    return {
        "id": str(r.get("id") or ""),
        "status": RETURN_STATUS.get(status, status),
        "items": [
            {"sku": sku_of(((n.get("fulfillmentLineItem") or {}).get("lineItem")) or {}), "quantity": int(n.get("quantity") or 0)}
            for n in lines
        ],
        "reason": str(next((n.get("returnReason") for n in lines if n.get("returnReason")), "") or "").lower(),
        "created_at": _iso(r.get("createdAt")),
        "carrier": carrier,
        "tracking_number": number,
        "tracking_url": url,
        "events": [],
    }  # fmt: skip


def graphql_customer(c: Json, currency: str, locale: str | None = None) -> CustomerDoc:
    email = (c.get("defaultEmailAddress") or {}).get("emailAddress") or c.get("email")
    phone = (c.get("defaultPhoneNumber") or {}).get("phoneNumber") or c.get("phone")
    return CustomerDoc(
        name=customer_name(c, fallback=str(email or "")),
        email=email,
        phone=phone,
        locale=str(c.get("locale") or locale or "en")[:20] or "en",
        currency=currency,
        updated_at=parse_time(c.get("updatedAt")),
    )


def graphql_order(o: Json) -> Mapped:
    """An Admin GraphQL `Order` node as read by `queries.ORDER_FIELDS`."""
    currency = str(o.get("presentmentCurrencyCode") or o.get("currencyCode") or "USD").upper()
    lines = _nodes(o.get("lineItems"))
    items: list[dict[str, Any]] = [
        {
            "sku": sku_of(li),
            "title": str(li.get("name") or ""),
            "quantity": max(1, int(li.get("quantity") or 1)),
            "unit_price": _money(li.get("originalUnitPriceSet"), currency),
            "image_url": None,
        }
        for li in lines
    ]
    financial = str(o.get("displayFinancialStatus") or "").lower()
    data: dict[str, Any] = {
        "number": str(o.get("name") or ""),
        "placed_at": _iso(o.get("processedAt") or o.get("createdAt")),
        "updated_at": _iso(o.get("updatedAt")),
        "currency": currency,
        "items": items,
        "subtotal": sum(i["unit_price"] * i["quantity"] for i in items),
        "shipping": _money(o.get("totalShippingPriceSet"), currency),
        "tax": _money(o.get("totalTaxSet"), currency),
        "discount": _money(o.get("totalDiscountsSet"), currency),
        "total": _money(o.get("totalPriceSet"), currency),
        "discounts": [{"code": str(c), "title": "", "amount": 0} for c in o.get("discountCodes") or []],
        "payment": {
            "method": ", ".join(str(g) for g in o.get("paymentGatewayNames") or []),
            "status": FINANCIAL_STATUS.get(financial, financial),
        },
        "shipping_address": _address(o.get("shippingAddress")),
        "shipments": [graphql_fulfillment(f) for f in _nodes(o.get("fulfillments"))],
        "refunds": [
            {
                "id": str(r.get("id") or ""),
                "amount": _money(r.get("totalRefundedSet"), currency),
                "created_at": _iso(r.get("createdAt")),
                "items": [
                    {"sku": sku_of(n.get("lineItem") or {}), "quantity": int(n.get("quantity") or 0)}
                    for n in _nodes(r.get("refundLineItems"))
                ],
                "reason": str(r.get("note") or ""),
            }
            for r in _nodes(o.get("refunds"))
        ],
        "returns": [graphql_return(r) for r in _nodes(o.get("returns"))],
        "cancelled_at": _iso(o.get("cancelledAt")),
    }  # fmt: skip
    fulfillment = str(o.get("displayFulfillmentStatus") or "").lower()
    data["status"] = order_status(
        data, "partial" if fulfillment == "partially_fulfilled" else fulfillment
    )
    customer = o.get("customer") if isinstance(o.get("customer"), Mapping) else None
    if customer and customer.get("id"):
        customer_id = str(customer["id"])
        customer_doc = graphql_customer(customer, currency, o.get("customerLocale"))
    else:
        email = o.get("email")
        customer_id = f"guest:{str(email).lower()}" if email else f"guest:{o.get('id')}"
        customer_doc = CustomerDoc(name=_address(o.get("shippingAddress"))["name"] or str(email or "Shopify customer"),
                                   email=email, currency=currency)  # fmt: skip
    line_ids = {sku_of(li): str(li.get("id")) for li in lines if li.get("id")}
    return Mapped(
        doc=OrderDoc.model_validate(data),
        external_id=str(o.get("id") or ""),
        customer_external_id=customer_id,
        customer=customer_doc,
        source_data={"legacy_id": str(o.get("legacyResourceId") or ""), "line_items": line_ids},
        has_returns=True,
    )
