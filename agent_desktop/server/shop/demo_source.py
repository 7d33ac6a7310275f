"""The demo shop as an order source: it owns its orders, so every action is done at once on the
stored order. Returns then move along like shipments do (`advance_return`, called by the demo
simulator and by `POST /simulate/order-step`): label created → in transit → received.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from agent_desktop.core.order_rules import refundable
from agent_desktop.core.order_types import Order
from agent_desktop.server.demo import names
from agent_desktop.server.demo.shop import CARRIERS
from agent_desktop.server.models import utcnow
from agent_desktop.server.shop.documents import OrderDoc
from agent_desktop.server.shop.source import ActionOutcome, ActionRequest, StoredOrder

# A return's steps, as its parcel travels back, and the status the return has after each.
RETURN_STEPS = (("label_created", "open"), ("in_transit", "in_transit"), ("received", "received"))


def _doc(order: Order, now: datetime) -> dict[str, Any]:
    data = order.model_dump(mode="json")
    data["updated_at"] = now.isoformat()
    return data


def _payment_status(total: int, refunded: int) -> str:
    if refunded <= 0:
        return "paid"
    return "refunded" if refunded >= total else "partially_refunded"


class DemoSource:
    """Implements `OrderSource` for orders of kind "demo"."""

    kind = "demo"

    async def cancel(self, stored: StoredOrder, request: ActionRequest) -> ActionOutcome:
        order, now = stored.order, utcnow()
        data = _doc(order, now)
        data["status"] = "cancelled"
        data["cancelled_at"] = now.isoformat()
        data["shipments"] = [{**s, "status": "cancelled"} for s in data["shipments"]]
        left = refundable(order)
        if left > 0 and order.payment.status in ("paid", "partially_refunded"):
            data["refunds"].append(
                {
                    "id": f"rf_{request.key[-12:]}",
                    "amount": left,
                    "created_at": now.isoformat(),
                    "items": [],
                    "reason": request.reason,
                }
            )
            data["payment"]["status"] = "refunded"
        return ActionOutcome("done", order=OrderDoc.model_validate(data))

    async def refund(self, stored: StoredOrder, request: ActionRequest) -> ActionOutcome:
        order, now = stored.order, utcnow()
        assert request.amount is not None  # the server computed it
        data = _doc(order, now)
        refund_id = f"rf_{request.key[-12:]}"
        data["refunds"].append(
            {
                "id": refund_id,
                "amount": request.amount,
                "created_at": now.isoformat(),
                "items": [i.model_dump() for i in request.items],
                "reason": request.reason,
            }
        )
        refunded = order.refunded + request.amount
        data["payment"]["status"] = _payment_status(order.total, refunded)
        return ActionOutcome("done", order=OrderDoc.model_validate(data), external_id=refund_id)

    async def create_return(self, stored: StoredOrder, request: ActionRequest) -> ActionOutcome:
        order, now = stored.order, utcnow()
        rng = random.Random(request.key)
        shipped = order.shipment.carrier if order.shipment else ""
        carrier = CARRIERS.get(shipped) or CARRIERS["Colissimo"]
        number = carrier.tracking_number(rng)
        data = _doc(order, now)
        return_id = f"rt_{request.key[-12:]}"
        data["returns"].append(
            {
                "id": return_id,
                "status": "open",
                "items": [i.model_dump() for i in request.items],
                "reason": request.reason,
                "created_at": now.isoformat(),
                "carrier": carrier.name,
                "tracking_number": number,
                "tracking_url": carrier.url.format(n=number),
                "events": [{"at": now.isoformat(), "status": "label_created", "location": ""}],
            }
        )
        return ActionOutcome("done", order=OrderDoc.model_validate(data), external_id=return_id)

    async def change_address(self, stored: StoredOrder, request: ActionRequest) -> ActionOutcome:
        assert request.address is not None  # the server checked it
        order, now = stored.order, utcnow()
        data = _doc(order, now)
        data["shipping_address"] = request.address.model_dump()
        return ActionOutcome("done", order=OrderDoc.model_validate(data))


def advance_return(order: Order, now: datetime | None = None) -> OrderDoc | None:
    """The order with its oldest unfinished return one step further (None when none moves).
    When every item has come back the order's status becomes "returned"."""
    now = now or utcnow()
    data = _doc(order, now)
    for ret in data["returns"]:
        done = [e["status"] for e in ret.get("events", [])]
        if ret["status"] not in ("open", "in_transit") or not done:
            continue
        index = next((i for i, (step, _) in enumerate(RETURN_STEPS) if step == done[-1]), None)
        if index is None or index + 1 >= len(RETURN_STEPS):
            continue
        step, status = RETURN_STEPS[index + 1]
        location = names.WAREHOUSE if step == "received" else "Orléans"
        at = max(now, _parse(ret["events"][-1]["at"]) + timedelta(seconds=1))
        ret["events"].append({"at": at.isoformat(), "status": step, "location": location})
        ret["status"] = status
        if status == "received" and _all_back(data):
            data["status"] = "returned"
        return OrderDoc.model_validate(data)
    return None


def _all_back(data: dict[str, Any]) -> bool:
    back: Counter[str] = Counter()
    for ret in data["returns"]:
        if ret["status"] in ("received", "closed"):
            for item in ret["items"]:
                back[item["sku"]] += int(item["quantity"])
    bought: Counter[str] = Counter()
    for item in data["items"]:
        bought[item["sku"]] += int(item["quantity"])
    return all(back[sku] >= quantity for sku, quantity in bought.items())


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value)  # Python 3.11 reads the "Z"
