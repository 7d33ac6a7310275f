"""Shipments of the demo shop moving along: the next step after each status, and
`step_shipment`, which moves an order's first shipment one step (the simulator, and the demo's
order actions in shop/routes_sim.py)."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from agent_desktop.server import services
from agent_desktop.server.context import ServerContext
from agent_desktop.server.convert import order_to_api
from agent_desktop.server.demo import names, phrases
from agent_desktop.server.demo.fields import latest_thread, locale_of, row_fields
from agent_desktop.server.demo.shop import CARRIERS, DAY
from agent_desktop.server.models import CustomerRow, OrderActionRow, OrderRow, utcnow
from agent_desktop.server.shop.demo_source import advance_return
from agent_desktop.server.shop.documents import parse_time
from agent_desktop.server.shop.ingest import apply_order

# The order notification a shipment step sends.
NOTIFY = {"picked_up": "shipped", "out_for_delivery": "out_for_delivery", "delivered": "delivered"}

# The next shipment step after each status, and the order notification it sends.
NEXT_STEP = {
    None: "label_created",
    "label_created": "picked_up",
    "picked_up": "in_transit",
    "in_transit": "out_for_delivery",
    "delayed": "out_for_delivery",
    "out_for_delivery": "delivered",
}


def step_shipment(
    order: OrderRow, customer: CustomerRow, now: datetime, rng: random.Random
) -> str | None:
    """Move the order's first shipment one step along (creating it with a label first) and set
    the order's status to match; returns the new step, or None when it has nowhere to go."""
    shipment = dict(order.shipment or {})
    current = shipment.get("status") if shipment else None
    step = NEXT_STEP.get(current)
    if step is None:
        return None
    if not shipment:
        carrier = CARRIERS[
            rng.choice(("Colissimo", "Chronopost", "La Poste"))
            if (order.shipping_address or {}).get("country", "FR") == "FR"
            else rng.choice(("DHL", "UPS"))
        ]
        number = carrier.tracking_number(rng)
        shipment = {
            "carrier": carrier.name,
            "tracking_number": number,
            "tracking_url": carrier.url.format(n=number),
            "eta": (now + DAY * (carrier.transit_days + 1))
            .replace(hour=18, minute=0, second=0, microsecond=0)
            .isoformat(),
            "events": [],
        }
    city = (order.shipping_address or {}).get("city", "")
    carrier_name = str(shipment.get("carrier", ""))
    location = {
        "label_created": names.WAREHOUSE,
        "picked_up": "Orléans",
        "in_transit": rng.choice(names.FR_HUBS),
        "out_for_delivery": (
            f"Agence {carrier_name} {city}"
            if customer.locale == "fr"
            else f"{carrier_name} {city} depot"
        ),
        "delivered": city,
    }[step]
    events = [
        *shipment.get("events", []),
        {"at": now.isoformat(), "status": step, "location": location},
    ]
    shipment = {**shipment, "status": step, "events": events}
    eta = parse_time(shipment.get("eta"))
    if step == "out_for_delivery" and (eta is None or eta < now):
        shipment["eta"] = now.replace(hour=18, minute=0, second=0, microsecond=0).isoformat()
    order.shipments = [shipment, *(order.shipments or [])[1:]]
    order.source_updated_at = now
    if step == "picked_up":
        order.status = "shipped"
    elif step == "delivered":
        order.status = "delivered"
    return step


async def advance_a_return(ctx: ServerContext) -> dict[str, Any] | None:
    """Move a return agents opened one step along (in transit, received), or None."""
    async with ctx.write() as session:
        candidates = (
            await session.execute(
                select(OrderRow)
                .join(OrderActionRow, OrderActionRow.order_id == OrderRow.id)
                .where(
                    OrderActionRow.type == "return",
                    OrderActionRow.status == "done",
                    OrderRow.source_kind == "demo",
                    OrderRow.status != "returned",
                )
                .order_by(func.random())
                .limit(5)
            )
        ).scalars()
        for order in candidates:
            doc = advance_return(order_to_api(order))
            if doc is not None:
                await apply_order(ctx, session, order, doc)
                return {"action": "return", "order_id": order.id}
    return None


async def advance_shipment(ctx: ServerContext, rng: random.Random) -> dict[str, Any]:
    """Move one undelivered order one step along (label, pick-up, transit, out for delivery,
    delivered), with an order notification in the customer's thread when they agreed; or,
    half the time, a return agents opened."""
    now = utcnow()
    if rng.random() < 0.5 and (moved := await advance_a_return(ctx)) is not None:
        return moved
    async with ctx.write() as session:
        order = (
            await session.execute(
                select(OrderRow)
                .where(
                    OrderRow.status.in_(("processing", "shipped")),
                    OrderRow.source_kind == "demo",
                )
                .order_by(func.random())
                .limit(1)
            )
        ).scalar_one_or_none()
        if order is None:
            return {"action": "shipment", "order_id": None}
        customer = await session.get(CustomerRow, order.customer_id)
        assert customer is not None
        step = step_shipment(order, customer, now, rng)
        if step is None:
            return {"action": "shipment", "order_id": None}
        await services.save_order(ctx, session, order=order)
        message_id = None
        event = NOTIFY.get(step)
        if event is not None and customer.consent_order_updates:
            thread = await latest_thread(session, customer.id)
            if thread is not None and thread.status != "spam":
                text = phrases.ORDER_EVENTS[event][locale_of(customer)].format_map(
                    row_fields(customer, order, None)
                )
                message = await services.post_message(
                    ctx, session, thread=thread, author_kind="automated",
                    author_name=names.SHOP_NAME, kind="order_event", text=text,
                    order_id=order.id, order_event=event,
                )  # fmt: skip
                message_id = message.id
        return {
            "action": "shipment",
            "order_id": order.id,
            "status": step,
            "message_id": message_id,
        }
