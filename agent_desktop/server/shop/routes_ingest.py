"""The generic ingest API for shops without a connector (docs/SHOPS.md): integration tokens that a
lead creates (shown once, revocable), idempotent upserts of customers and orders in the API's own
shapes, and the actions agents asked for, which the shop's own system performs and reports.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from pydantic import Field
from sqlalchemy import select

from agent_desktop.server.auth import token_digest
from agent_desktop.server.convert import (
    action_to_api,
    customer_to_api,
    dump,
    json_columns,
    order_to_api,
)
from agent_desktop.server.deps import (
    Body,
    Who,
    get_ctx,
    require_lead,
    respond,
    unauthorized,
)
from agent_desktop.server.errors import ApiError, get_or_404, not_found
from agent_desktop.server.models import (
    IntegrationRow,
    OrderActionRow,
    OrderRow,
    new_id,
    utcnow,
)
from agent_desktop.server.openapi_errors import errors
from agent_desktop.server.shop import actions
from agent_desktop.server.shop.documents import CustomerDoc, OrderDoc
from agent_desktop.server.shop.ingest import find_customer, upsert_customer, upsert_order
from agent_desktop.server.shop.source import ActionOutcome

router = APIRouter(prefix="/api/v1")
KIND = "api"
TOKEN_PREFIX = "adi_"
LAST_USED_STEP = timedelta(minutes=1)
ExternalId = Annotated[str, Path(min_length=1, max_length=200)]


# --- integration tokens (leads) -----------------------------------------------------------------


INTEGRATION_FIELDS = (
    *("id", "name", "token_hint", "created_by"),
    *("created_at", "revoked_at", "last_used_at"),
)


def integration_to_api(row: IntegrationRow) -> dict[str, Any]:
    return json_columns(row, INTEGRATION_FIELDS)


class IntegrationBody(Body):
    name: str = Field(min_length=1, max_length=200)


@router.post("/integrations", status_code=201, responses=errors(400, 401, 403, 422))
async def create_integration(body: IntegrationBody, who: Who, request: Request) -> JSONResponse:
    """A new integration token: `{integration, token}`. The token is shown this once."""
    require_lead(who, "create integration tokens")
    if not body.name.strip():
        raise ApiError(422, "invalid_request", "Give the integration a name.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ctx = get_ctx(request)
    async with ctx.write() as session:
        row = IntegrationRow(
            id=new_id("int"),
            name=body.name.strip(),
            token_hash=token_digest(token),
            token_hint=token[-4:],
            created_by=who.id,
            created_at=utcnow(),
        )
        session.add(row)
        await session.flush()
        result = integration_to_api(row)
    return respond({"integration": result, "token": token}, 201)


@router.get("/integrations", responses=errors(401, 403))
async def list_integrations(who: Who, request: Request) -> JSONResponse:
    require_lead(who, "see integration tokens")
    ctx = get_ctx(request)
    async with ctx.sessionmaker() as session:
        rows = (
            await session.execute(select(IntegrationRow).order_by(IntegrationRow.created_at))
        ).scalars()
        items = [integration_to_api(r) for r in rows]
    return respond({"items": items})


@router.delete("/integrations/{integration_id}", responses=errors(400, 401, 403, 404))
async def revoke_integration(integration_id: str, who: Who, request: Request) -> JSONResponse:
    """Revoke a token at once (a revoked token is refused with 401); revoking twice is fine."""
    require_lead(who, "revoke integration tokens")
    ctx = get_ctx(request)
    async with ctx.write() as session:
        row = await get_or_404(session, IntegrationRow, integration_id, "integration")
        if row.revoked_at is None:
            row.revoked_at = utcnow()
        result = integration_to_api(row)
    return respond({"integration": result})


# --- the shop's side: its token -----------------------------------------------------------------


async def current_integration(request: Request) -> IntegrationRow:
    """FastAPI dependency: the integration behind an `adi_` token, or 401."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise unauthorized("Send the integration token as 'Authorization: Bearer adi_…'.")
    if not token.startswith(TOKEN_PREFIX):
        raise unauthorized(
            "This address takes an integration token (adi_…), not an agent's sign-in token."
        )
    ctx = get_ctx(request)
    digest = token_digest(token)
    async with ctx.sessionmaker() as session:
        row = (
            await session.execute(select(IntegrationRow).where(IntegrationRow.token_hash == digest))
        ).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        raise unauthorized("The integration token is invalid or was revoked.")
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_STEP:
        async with ctx.write() as session:
            stored = await session.get(IntegrationRow, row.id)
            if stored is not None:
                stored.last_used_at = now
    return row


Shop = Annotated[IntegrationRow, Depends(current_integration)]


@router.put("/shop/customers/{external_id}", responses=errors(400, 401, 422))
async def put_customer(
    external_id: ExternalId, body: CustomerDoc, shop: Shop, request: Request
) -> JSONResponse:
    """Create or update the shop's customer `external_id` (idempotent). 201 when created, else
    200; `applied` is false when `updated_at` is older than what is stored."""
    ctx = get_ctx(request)
    async with ctx.write() as session:
        done = await upsert_customer(ctx, session, kind=KIND, external_id=external_id, doc=body)
        result = {
            "customer": dump(await customer_to_api(session, done.row)),
            "applied": not done.stale,
        }
    return respond(result, 201 if done.created else 200)


@router.put("/shop/orders/{external_id}", responses=errors(400, 401, 422))
async def put_order(
    external_id: ExternalId, body: OrderDoc, shop: Shop, request: Request
) -> JSONResponse:
    """Create or update the shop's order `external_id` for the customer `customer_external_id`
    (put first). Idempotent; emits order.updated when something changed."""
    if not body.customer_external_id:
        raise ApiError(
            422, "invalid_request", "The field 'customer_external_id' is required: whose order?"
        )
    ctx = get_ctx(request)
    async with ctx.write() as session:
        customer = await find_customer(session, KIND, body.customer_external_id)
        if customer is None:
            raise ApiError(
                422,
                "unknown_customer",
                f"There is no customer '{body.customer_external_id}' yet: PUT "
                "/api/v1/shop/customers/{external_id} first.",
            )
        done = await upsert_order(
            ctx, session, kind=KIND, external_id=external_id, doc=body, customer=customer
        )
        result = {"order": dump(order_to_api(done.row)), "applied": not done.stale}
    return respond(result, 201 if done.created else 200)


@router.get("/shop/actions", responses=errors(400, 401, 422))
async def shop_actions(
    shop: Shop, request: Request, status: str = "in_progress", limit: int = 50
) -> JSONResponse:
    """The actions agents asked on this shop's orders, oldest first (default: those to do).
    Each carries `order_external_id`."""
    known = ("in_progress", "done", "failed", "pending_approval", "declined")
    if status not in known:
        raise ApiError(422, "invalid_status", f"Unknown status; use one of {', '.join(known)}.")
    if not 1 <= limit <= 200:
        raise ApiError(422, "invalid_limit", "The limit must be between 1 and 200.")
    ctx = get_ctx(request)
    async with ctx.sessionmaker() as session:
        rows = (
            await session.execute(
                select(OrderActionRow, OrderRow)
                .join(OrderRow, OrderRow.id == OrderActionRow.order_id)
                .where(OrderRow.source_kind == KIND, OrderActionRow.status == status)
                .order_by(OrderActionRow.created_at, OrderActionRow.id)
                .limit(limit)
            )
        ).all()
    items = [{**dump(action_to_api(a, o)), "order_external_id": o.external_id} for a, o in rows]
    return respond({"items": items})


class ResultBody(Body):
    status: Literal["done", "failed"]
    error: str | None = Field(default=None, max_length=1000)
    order: OrderDoc | None = None  # the order's new state


@router.post("/shop/actions/{action_id}/result", responses=errors(400, 401, 404, 409, 422))
async def shop_action_result(
    action_id: str, body: ResultBody, shop: Shop, request: Request
) -> JSONResponse:
    """The shop's system reports an action's result (with the order's new state, ideally)."""
    if body.status == "failed" and not (body.error or "").strip():
        raise ApiError(422, "invalid_request", "Say why it failed in 'error': agents read it.")
    ctx = get_ctx(request)
    async with ctx.sessionmaker() as session:
        row = await session.get(OrderActionRow, action_id)
        order = await session.get(OrderRow, row.order_id) if row is not None else None
    if row is None or order is None or order.source_kind != KIND:
        raise not_found("order action")
    if row.status != "in_progress":
        raise ApiError(409, "not_in_progress", f"This action is already {row.status}.")
    outcome = ActionOutcome(body.status, order=body.order, error=(body.error or "").strip() or None)
    await actions.finish(ctx, action_id, outcome)
    row, order = await actions.load(ctx, action_id)
    return respond({"action": dump(action_to_api(row, order))})
