"""Agents' shop endpoints: customer search, one order, order actions and their approvals, and
linking a conversation to a shop customer (docs/API.md, "Shop").
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import Field
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.core.order_types import Address, ItemQuantity
from agent_desktop.core.types import OrderActionType
from agent_desktop.server.convert import (
    action_to_api,
    customer_parts,
    dump,
    order_to_api,
    thread_to_api,
)
from agent_desktop.server.deps import (
    Body,
    Who,
    get_ctx,
    require_lead,
    respond,
)
from agent_desktop.server.errors import ApiError, get_or_404
from agent_desktop.server.models import (
    CustomerRow,
    OrderActionRow,
    OrderRow,
    ThreadRow,
)
from agent_desktop.server.openapi_errors import REPEATED, errors
from agent_desktop.server.shop import actions, identity
from agent_desktop.server.shop.search import name_key, phone_digits

router = APIRouter(prefix="/api/v1")
UNCOUNTED = ("cancelled", "refunded")


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# --- customers ----------------------------------------------------------------------------------


def _encode(row: CustomerRow) -> str:
    raw = json.dumps({"n": row.search_name, "i": row.id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[str, str]:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return str(key["n"]), str(key["i"])
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeError):
        raise ApiError(
            422, "invalid_cursor", "The cursor is not valid; start from the first page."
        ) from None


@router.get("/customers", responses=errors(400, 401, 422))
async def search_customers(
    who: Who,
    request: Request,
    q: str = Query(default="", max_length=200),
    limit: int = 20,
    cursor: str | None = None,
) -> JSONResponse:
    """Customers whose name, e-mail, phone or order number contains `q` (all when empty), by
    name: `{items: [Customer], next_cursor}`."""
    if not 1 <= limit <= 100:
        raise ApiError(422, "invalid_limit", "The limit must be between 1 and 100.")
    stmt = select(CustomerRow)
    text = q.strip()
    if text:
        conditions = [
            CustomerRow.search_name.like(_like(name_key(text)), escape="\\"),
            func.lower(CustomerRow.email).like(_like(text.lower()), escape="\\"),
            exists().where(
                OrderRow.customer_id == CustomerRow.id,
                OrderRow.number.ilike(_like(text.lstrip("#")), escape="\\"),
            ),
        ]
        digits = phone_digits(text)
        if len(digits) >= 4 and len(digits) * 2 >= len(text.replace(" ", "")):
            conditions.append(CustomerRow.phone_digits.like(f"%{digits.lstrip('0')}%"))
        stmt = stmt.where(or_(*conditions))
    if cursor:
        name, last = _decode(cursor)
        stmt = stmt.where(
            or_(
                CustomerRow.search_name > name,
                and_(CustomerRow.search_name == name, CustomerRow.id > last),
            )
        )
    stmt = stmt.order_by(CustomerRow.search_name, CustomerRow.id).limit(limit + 1)
    ctx = get_ctx(request)
    async with ctx.sessionmaker() as session:
        rows = list((await session.execute(stmt)).scalars())
        page = rows[:limit]
        totals = await _order_totals(session, [r.id for r in page])
    items = [dump(customer_parts(r, *totals.get(r.id, (0, 0)))) for r in page]
    next_cursor = _encode(page[-1]) if len(rows) > limit and page else None
    return respond({"items": items, "next_cursor": next_cursor})


async def _order_totals(session: AsyncSession, ids: list[str]) -> dict[str, tuple[int, int]]:
    if not ids:
        return {}
    rows = (
        await session.execute(
            select(
                OrderRow.customer_id,
                func.coalesce(
                    func.sum(OrderRow.total).filter(OrderRow.status.not_in(UNCOUNTED)), 0
                ),
                func.count(OrderRow.id),
            )
            .where(OrderRow.customer_id.in_(ids))
            .group_by(OrderRow.customer_id)
        )
    ).all()
    return {cid: (int(total or 0), int(count)) for cid, total, count in rows}


# --- orders and actions -------------------------------------------------------------------------


@router.get("/orders/{order_id}", responses=errors(400, 401, 404))
async def get_order(order_id: str, who: Who, request: Request) -> JSONResponse:
    ctx = get_ctx(request)
    async with ctx.sessionmaker() as session:
        row = await get_or_404(session, OrderRow, order_id, "order")
        result = order_to_api(row)
    return respond(result)


class ActionBody(Body):
    client_id: str = Field(min_length=1, max_length=100)
    type: OrderActionType
    reason: str = Field(default="", max_length=500)
    items: list[ItemQuantity] = Field(default_factory=list, max_length=200)
    amount: int | None = Field(default=None, ge=0)
    address: Address | None = None
    notify_customer: bool = False
    thread_id: str | None = Field(default=None, max_length=100)


@router.post(
    "/orders/{order_id}/actions",
    status_code=201,
    responses={200: REPEATED, **errors(400, 401, 404, 409, 422)},
)
async def post_action(order_id: str, body: ActionBody, who: Who, request: Request) -> JSONResponse:
    """Cancel, refund, return or re-address the order in its shop; idempotent on `client_id`.
    201 `{action, order}`; the same client_id again: 200 and the same action."""
    ctx = get_ctx(request)
    spec = actions.ActionInput(
        client_id=body.client_id,
        type=body.type,
        reason=body.reason.strip(),
        items=body.items,
        amount=body.amount,
        address=body.address,
        notify_customer=body.notify_customer,
        thread_id=body.thread_id,
    )
    row, order, created = await actions.submit(ctx, agent=who.agent, order_id=order_id, spec=spec)
    result = {"action": dump(action_to_api(row, order)), "order": dump(order_to_api(order))}
    return respond(result, 201 if created else 200)


@router.get("/orders/{order_id}/actions", responses=errors(400, 401, 404))
async def list_order_actions(order_id: str, who: Who, request: Request) -> JSONResponse:
    """The order's actions, newest first: who asked, when, what, and the result."""
    ctx = get_ctx(request)
    async with ctx.sessionmaker() as session:
        order = await get_or_404(session, OrderRow, order_id, "order")
        rows = (
            await session.execute(
                select(OrderActionRow)
                .where(OrderActionRow.order_id == order_id)
                .order_by(OrderActionRow.created_at.desc(), OrderActionRow.id)
            )
        ).scalars()
        items = [dump(action_to_api(r, order)) for r in rows]
    return respond({"items": items})


@router.get("/actions", responses=errors(400, 401, 422))
async def list_actions(
    who: Who,
    request: Request,
    status: str | None = None,
    customer_id: str | None = Query(default=None, max_length=100),
    limit: int = 50,
) -> JSONResponse:
    """Order actions across orders, newest first (a lead sees everyone's, an agent their own);
    `status=pending_approval` is the lead's list of refunds to decide. With `customer_id`: every
    action on that customer's orders, whoever asked (what the purchase history shows)."""
    if not 1 <= limit <= 500:
        raise ApiError(422, "invalid_limit", "The limit must be between 1 and 500.")
    stmt = (
        select(OrderActionRow, OrderRow, CustomerRow)
        .join(OrderRow, OrderRow.id == OrderActionRow.order_id)
        .join(CustomerRow, CustomerRow.id == OrderRow.customer_id)
    )
    if status:
        wanted = [s.strip() for s in status.split(",") if s.strip()]
        known = ("done", "in_progress", "pending_approval", "failed", "declined")
        if not wanted or any(s not in known for s in wanted):
            raise ApiError(422, "invalid_status", f"Unknown status; use one of {', '.join(known)}.")
        stmt = stmt.where(OrderActionRow.status.in_(wanted))
    if customer_id is not None:
        stmt = stmt.where(OrderRow.customer_id == customer_id)
    elif not who.is_lead:
        stmt = stmt.where(OrderActionRow.agent_id == who.id)
    stmt = stmt.order_by(OrderActionRow.created_at.desc(), OrderActionRow.id).limit(limit)
    ctx = get_ctx(request)
    async with ctx.sessionmaker() as session:
        rows = (await session.execute(stmt)).all()
    items = [dump(action_to_api(a, o, c)) for a, o, c in rows]
    return respond({"items": items})


class DecisionBody(Body):
    decision: Literal["approve", "decline"]
    note: str = Field(default="", max_length=500)


@router.post("/actions/{action_id}/decision", responses=errors(400, 401, 403, 404, 409, 422))
async def decide(action_id: str, body: DecisionBody, who: Who, request: Request) -> JSONResponse:
    """A lead approves or declines a refund waiting for approval: `{action, order}`."""
    require_lead(who, "approve or decline refunds")
    ctx = get_ctx(request)
    row, order = await actions.decide(
        ctx,
        lead=who.agent,
        action_id=action_id,
        approve=body.decision == "approve",
        note=body.note.strip(),
    )
    return respond({"action": dump(action_to_api(row, order)), "order": dump(order_to_api(order))})


# --- a conversation's customer ------------------------------------------------------------------


class LinkBody(Body):
    customer_id: str = Field(min_length=1, max_length=100)


@router.post("/threads/{thread_id}/customer", responses=errors(400, 401, 404, 422))
async def link_customer(thread_id: str, body: LinkBody, who: Who, request: Request) -> JSONResponse:
    """This conversation's customer is the shop's customer `customer_id`: from now on the thread
    shows that customer's orders (the Messenger identity stays attached). `{thread, customer}`."""
    ctx = get_ctx(request)
    async with ctx.write() as session:
        thread = await get_or_404(session, ThreadRow, thread_id, "thread")
        customer = await session.get(CustomerRow, body.customer_id)
        if customer is None:
            raise ApiError(422, "unknown_customer", "There is no customer with that id.")
        await identity.link(ctx, session, thread=thread, customer=customer, agent_id=who.id)
        totals = await _order_totals(session, [customer.id])
        result = {
            "thread": dump(await thread_to_api(session, thread)),
            "customer": dump(customer_parts(customer, *totals.get(customer.id, (0, 0)))),
        }
    return respond(result)


@router.delete("/threads/{thread_id}/customer-suggestion", responses=errors(400, 401, 404))
async def dismiss_suggestion(thread_id: str, who: Who, request: Request) -> JSONResponse:
    """The suggested customer is not this person: forget the suggestion for this thread."""
    ctx = get_ctx(request)
    async with ctx.write() as session:
        thread = await get_or_404(session, ThreadRow, thread_id, "thread")
        await identity.dismiss(ctx, session, thread=thread, agent_id=who.id)
        result = await thread_to_api(session, thread)
    return respond(result)
