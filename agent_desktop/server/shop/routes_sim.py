"""Demo-shop orders on demand, for demos and tests (only with `--demo`, `--seed-test` or
`--allow-simulation`, like `POST /simulate/customer-message`): a new order at a given stage, and
one step of its parcel (or of a return's parcel) at a time.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from agent_desktop.core.money import MoneyError, check_currency
from agent_desktop.server import services
from agent_desktop.server.convert import order_to_api
from agent_desktop.server.demo.simulator import step_shipment
from agent_desktop.server.deps import Body, get_ctx, respond
from agent_desktop.server.errors import ApiError, get_or_404, not_found
from agent_desktop.server.models import CustomerRow, OrderRow, new_id, utcnow
from agent_desktop.server.openapi_errors import errors
from agent_desktop.server.shop.demo_source import advance_return
from agent_desktop.server.shop.documents import ItemDoc
from agent_desktop.server.shop.ingest import apply_order

router = APIRouter(prefix="/api/v1/simulate")
STEPS = {"processing": 0, "shipped": 2, "delivered": 5}


def _enabled(request: Request) -> None:
    if not get_ctx(request).config.simulation_enabled:
        raise ApiError(404, "not_found", "There is nothing at this address.")


class SimulatedOrder(Body):
    customer_id: str = Field(min_length=1, max_length=100)
    stage: Literal["processing", "shipped", "delivered"] = "processing"
    currency: str = "EUR"
    number: str | None = Field(default=None, min_length=1, max_length=50)
    items: list[ItemDoc] = Field(default_factory=list, max_length=50)
    shipping: int = Field(default=490, ge=0)
    tax: int = Field(default=0, ge=0)


@router.post("/order", status_code=201, responses=errors(400, 404, 422))
async def simulate_order(body: SimulatedOrder, request: Request) -> JSONResponse:
    """A demo-shop order for `customer_id`, placed a few days ago, at `stage`: `{order}`."""
    _enabled(request)
    try:
        currency = check_currency(body.currency)
    except MoneyError as exc:
        raise ApiError(422, "invalid_currency", str(exc)) from None
    items = [i.model_dump() for i in body.items] or [
        {"sku": "MUG-01", "title": "Mug", "quantity": 2, "unit_price": 1450, "image_url": None}
    ]
    subtotal = sum(i["unit_price"] * i["quantity"] for i in items)
    ctx = get_ctx(request)
    now = utcnow()
    async with ctx.write() as session:
        customer = await get_or_404(session, CustomerRow, body.customer_id, "customer")
        order_id = new_id("o")
        number = body.number or f"#{random.randrange(10_000, 99_999_999)}"
        row = OrderRow(
            id=order_id,
            number=number,
            customer_id=customer.id,
            placed_at=now - timedelta(days=4),
            status="processing",
            currency=currency,
            items=items,
            subtotal=subtotal,
            shipping=body.shipping,
            tax=body.tax,
            total=subtotal + body.shipping + body.tax,
            payment={"method": "Visa •••• 4242", "status": "paid"},
            shipping_address={
                "name": customer.name,
                "line1": "12 rue des Lilas",
                "postal_code": "69003",
                "city": "Lyon",
                "country": "FR",
            },
            source_kind="demo",
            external_id=order_id,
            source_updated_at=now,
        )
        rng = random.Random(order_id)
        for step in range(STEPS[body.stage]):
            step_shipment(row, customer, now - timedelta(days=3) + timedelta(hours=step), rng)
        await services.save_order(ctx, session, order=row)
        result = order_to_api(row)
    return respond({"order": result.model_dump(mode="json")}, 201)


class OrderStep(Body):
    order_id: str = Field(min_length=1, max_length=100)


@router.post("/order-step", responses=errors(400, 404, 409, 422))
async def simulate_order_step(body: OrderStep, request: Request) -> JSONResponse:
    """Move a demo order's open return one step (label → in transit → received), or else its
    parcel one step (label → picked up → in transit → out for delivery → delivered)."""
    _enabled(request)
    ctx = get_ctx(request)
    async with ctx.write() as session:
        row = await session.get(OrderRow, body.order_id)
        if row is None or row.source_kind != "demo":
            raise not_found("demo order")
        doc = advance_return(order_to_api(row))
        if doc is not None:
            await apply_order(ctx, session, row, doc)
        else:
            customer = await session.get(CustomerRow, row.customer_id)
            assert customer is not None
            if step_shipment(row, customer, utcnow(), random.Random(row.id)) is None:
                raise ApiError(409, "nothing_to_move", "This order has nowhere further to go.")
            await services.save_order(ctx, session, order=row)
        result = order_to_api(row)
    return respond({"order": result.model_dump(mode="json")})
