"""Order actions from the conversation: cancel, refund, return, change the address.

`submit` checks the order's state (409) and the amounts and quantities (422) against the order
**and the actions still running on it**, stores the action (idempotent on `client_id`, even for a
concurrent double submit), then runs it on the order's source outside the write transaction.
A refund above the team's limit waits for a lead (`pending_approval`, then `decide`). `finish`
records the result: the order's new state (`order.updated`), an `order.action` event, and a
message in the customer's conversation: an order event when it was done (sent to the customer too
when they asked and Messenger allows it), an internal note when it failed or was declined (their
words: `action_words.py`).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.core import order_rules as rules
from agent_desktop.core.order_types import Address, ItemQuantity, Order, Refund, Return
from agent_desktop.core.types import OrderActionType
from agent_desktop.server import services
from agent_desktop.server.context import ServerContext
from agent_desktop.server.convert import action_to_api, dump, order_to_api
from agent_desktop.server.errors import ApiError, get_or_404
from agent_desktop.server.models import (
    AgentRow,
    CustomerRow,
    MessageRow,
    OrderActionRow,
    OrderRow,
    ThreadRow,
    new_id,
    utcnow,
)
from agent_desktop.server.shop.action_words import WHAT, agent_note, customer_text
from agent_desktop.server.shop.ingest import apply_order
from agent_desktop.server.shop.source import (
    ActionOutcome,
    ActionRequest,
    OrderSource,
    StoredOrder,
    perform,
)

log = logging.getLogger(__name__)

ACTIVE = ("in_progress", "pending_approval")
ORDER_EVENT_OF: dict[str, str] = {
    "cancel": "cancelled",
    "refund": "refunded",
    "return": "return_created",
    "change_address": "address_changed",
}
SOURCE_TIMEOUT = 60.0  # seconds a shop gets to answer one action
SHOP_AUTHOR = "Order updates"
SYSTEM_AUTHOR = "Agent Desktop"


@dataclass(slots=True)
class ActionInput:
    """An action as an agent asked for it (the POST body)."""

    client_id: str
    type: OrderActionType
    reason: str = ""
    items: list[ItemQuantity] = field(default_factory=list)
    amount: int | None = None
    address: Address | None = None
    notify_customer: bool = False
    thread_id: str | None = None


# --- submitting -------------------------------------------------------------------------------


async def _by_client_id(session: AsyncSession, client_id: str) -> OrderActionRow | None:
    return (
        await session.execute(select(OrderActionRow).where(OrderActionRow.client_id == client_id))
    ).scalar_one_or_none()


async def _active(session: AsyncSession, order_id: str) -> list[OrderActionRow]:
    return list(
        (
            await session.execute(
                select(OrderActionRow).where(
                    OrderActionRow.order_id == order_id, OrderActionRow.status.in_(ACTIVE)
                )
            )
        ).scalars()
    )


def projected(order: Order, active: list[OrderActionRow]) -> Order:
    """The order as it will be once the running actions are done: their refunds and returns
    count already, so two agents cannot refund the same money or return the same mug twice."""
    if not active:
        return order
    view = order.model_copy(deep=True)
    now = utcnow()
    for row in active:
        items = [ItemQuantity.model_validate(i) for i in row.request.get("items") or []]
        if row.type == "refund":
            view.refunds.append(
                Refund(id=row.id, amount=int(row.request.get("amount") or 0), created_at=now,
                       items=items)
            )  # fmt: skip
            view.refunded += int(row.request.get("amount") or 0)
        elif row.type == "return":
            view.returns.append(Return(id=row.id, status="requested", items=items))
    return view


def check(order: Order, spec: ActionInput, active: list[OrderActionRow]) -> dict[str, Any]:
    """The action's request as it will be stored (amount, items, address), or ApiError 409/422."""
    for row in active:
        # A cancellation waits for nothing else to run; an address change for no other change.
        blocks = (
            row.type == "cancel"
            or spec.type == "cancel"
            or (row.type == "change_address" and spec.type == "change_address")
        )
        if blocks:
            raise ApiError(
                409,
                "action_in_progress",
                f"A {WHAT[row.type]} of order {order.number} is already under way; wait for its "
                "result.",
            )
    view = projected(order, active)
    reason = rules.refusal(view, spec.type)
    if reason is not None:
        raise ApiError(409, "order_state", reason)
    request: dict[str, Any] = {"notify_customer": spec.notify_customer, "currency": order.currency}
    try:
        if spec.type == "refund":
            request["amount"] = rules.refund_amount(view, spec.amount, spec.items)
            request["items"] = [i.model_dump() for i in spec.items]
        elif spec.type == "return":
            request["items"] = [i.model_dump() for i in rules.return_items(view, spec.items)]
        elif spec.type == "change_address":
            request["address"] = rules.check_address(spec.address).model_dump()
    except rules.TooMuch as exc:
        raise ApiError(422, "invalid_action", str(exc)) from None
    return request


def over_limit(limits: dict[str, int], currency: str, amount: int) -> bool:
    limit = limits.get(currency.upper())
    return limit is not None and amount > limit


async def submit(
    ctx: ServerContext, *, agent: AgentRow, order_id: str, spec: ActionInput
) -> tuple[OrderActionRow, OrderRow, bool]:
    """Store and run an action; returns (action, order, created). The same `client_id` again
    returns the stored action with created False, whatever its state."""
    try:
        async with ctx.write() as session:
            existing = await _by_client_id(session, spec.client_id)
            if existing is not None:
                return await _repeat(session, existing, order_id)
            order_row = await get_or_404(session, OrderRow, order_id, "order")
            thread_id = await _checked_thread(session, spec.thread_id, order_row)
            order = order_to_api(order_row)
            request = check(order, spec, await _active(session, order_id))
            status = "in_progress"
            if spec.type == "refund" and agent.role != "lead":
                settings = await services.get_settings(session)
                if over_limit(settings.refund_limits, order.currency, request["amount"]):
                    status = "pending_approval"
            now = utcnow()
            row = OrderActionRow(
                id=new_id("act"),
                client_id=spec.client_id,
                order_id=order_id,
                thread_id=thread_id,
                type=spec.type,
                status=status,
                reason=spec.reason,
                request=request,
                agent_id=agent.id,
                agent_name=agent.name,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            await session.flush()
            await _emit_action(session, row, order_row)
            action_id = row.id
    except IntegrityError:
        # The same client_id committed by another writer (another process) first.
        async with ctx.sessionmaker() as session:
            existing = await _by_client_id(session, spec.client_id)
            if existing is None:
                raise
            return await _repeat(session, existing, order_id)
    if status == "in_progress":
        await execute(ctx, action_id)
    return await load(ctx, action_id) + (True,)


async def _repeat(
    session: AsyncSession, existing: OrderActionRow, order_id: str
) -> tuple[OrderActionRow, OrderRow, bool]:
    if existing.order_id != order_id:
        raise ApiError(
            422, "client_id_reused", "This client_id was already used for another order's action."
        )
    order_row = await session.get(OrderRow, order_id)
    assert order_row is not None  # the foreign key guarantees it
    return existing, order_row, False


async def _checked_thread(
    session: AsyncSession, thread_id: str | None, order: OrderRow
) -> str | None:
    if thread_id is None:
        return None
    thread = await session.get(ThreadRow, thread_id)
    if thread is None or thread.customer_id != order.customer_id:
        raise ApiError(
            422, "invalid_thread", "That conversation is not with this order's customer."
        )
    return thread_id


async def load(ctx: ServerContext, action_id: str) -> tuple[OrderActionRow, OrderRow]:
    async with ctx.sessionmaker() as session:
        row = await session.get(OrderActionRow, action_id)
        assert row is not None
        order = await session.get(OrderRow, row.order_id)
        assert order is not None
    return row, order


# --- running on the source --------------------------------------------------------------------


def request_of(row: OrderActionRow) -> ActionRequest:
    data = row.request or {}
    address = data.get("address")
    return ActionRequest(
        key=row.id,
        type=row.type,  # type: ignore[arg-type]
        reason=row.reason,
        items=tuple(ItemQuantity.model_validate(i) for i in data.get("items") or []),
        amount=data.get("amount"),
        address=Address.model_validate(address) if address else None,
        notify_customer=bool(data.get("notify_customer")),
    )


def stored_order(row: OrderRow) -> StoredOrder:
    return StoredOrder(
        order=order_to_api(row),
        external_id=row.external_id,
        source_data=dict(row.source_data or {}),
    )


async def execute(ctx: ServerContext, action_id: str) -> None:
    """Run an in-progress action on its order's source and record what came back."""
    row, order_row = await load(ctx, action_id)
    if row.status != "in_progress":
        return
    source: OrderSource | None = ctx.order_sources.get(order_row.source_kind)
    if source is None:
        outcome = ActionOutcome.failed(
            f"Orders from {order_row.source_kind} cannot be changed from here: that shop is not "
            "connected to this server."
        )
    else:
        try:
            async with asyncio.timeout(SOURCE_TIMEOUT):
                outcome = await perform(source, stored_order(order_row), request_of(row))
        except TimeoutError:
            outcome = ActionOutcome.failed(
                "The shop did not answer in time. Check the order in the shop before trying "
                "again: the change may have been made."
            )
        except httpx.HTTPError as exc:
            outcome = ActionOutcome.failed(
                f"The shop could not be reached ({type(exc).__name__}); nothing was changed "
                "here. Try again in a moment."
            )
        except Exception:
            log.exception("order action %s failed on source %s", row.id, order_row.source_kind)
            outcome = ActionOutcome.failed(
                "The shop's answer could not be understood; check the order in the shop."
            )
    await finish(ctx, action_id, outcome)


async def finish(ctx: ServerContext, action_id: str, outcome: ActionOutcome) -> None:
    """Record an action's result (a source calls this later for `in_progress` outcomes)."""
    async with ctx.write() as session:
        row = await session.get(OrderActionRow, action_id)
        if row is None or row.status != "in_progress":
            return
        order_row = await session.get(OrderRow, row.order_id)
        assert order_row is not None
        if outcome.order is not None:
            await apply_order(ctx, session, order_row, outcome.order, force=True)
        if outcome.status == "in_progress":
            if outcome.external_id:
                row.external_id = outcome.external_id
                await session.flush()
            return
        row.status = outcome.status
        row.error = outcome.error
        if outcome.external_id:
            row.external_id = outcome.external_id
        row.updated_at = utcnow()
        await session.flush()
        await _tell_conversation(ctx, session, row, order_row)
        await _emit_action(session, row, order_row)


async def _emit_action(session: AsyncSession, row: OrderActionRow, order: OrderRow) -> None:
    customer = await session.get(CustomerRow, order.customer_id)
    services.emit(
        session,
        "order.action",
        {
            "action": dump(action_to_api(row, order, customer)),
            "order_id": order.id,
            "customer_id": order.customer_id,
        },
    )


# --- approvals --------------------------------------------------------------------------------


async def decide(
    ctx: ServerContext, *, lead: AgentRow, action_id: str, approve: bool, note: str
) -> tuple[OrderActionRow, OrderRow]:
    """A lead approves (the refund then runs) or declines a refund waiting for approval."""
    async with ctx.write() as session:
        row = await get_or_404(session, OrderActionRow, action_id, "order action")
        if row.status != "pending_approval":
            raise ApiError(
                409,
                "not_pending",
                f"This {WHAT[row.type]} is not waiting for approval (it is {row.status}).",
            )
        order_row = await session.get(OrderRow, row.order_id)
        assert order_row is not None
        row.decided_by, row.decided_by_name, row.decision_note = lead.id, lead.name, note
        row.updated_at = utcnow()
        if approve:
            others = [a for a in await _active(session, row.order_id) if a.id != row.id]
            view = projected(order_to_api(order_row), others)
            amount = int(row.request.get("amount") or 0)
            problem = rules.refusal(view, "refund")
            if problem is None and amount > rules.refundable(view):
                problem = (
                    f"{rules.money(amount, order_row.currency)} is now more than the "
                    f"{rules.money(rules.refundable(view), order_row.currency)} left to refund on "
                    f"order {order_row.number}."
                )
            if problem is not None:
                row.status, row.error = "failed", problem
            else:
                row.status = "in_progress"
        else:
            row.status = "declined"
        await session.flush()
        if row.status in ("declined", "failed"):
            await _tell_conversation(ctx, session, row, order_row)
        await _emit_action(session, row, order_row)
        run = row.status == "in_progress"
    if run:
        await execute(ctx, action_id)
    return await load(ctx, action_id)


# --- the conversation -------------------------------------------------------------------------


async def _thread_for(
    session: AsyncSession, row: OrderActionRow, order: OrderRow
) -> ThreadRow | None:
    if row.thread_id:
        thread = await session.get(ThreadRow, row.thread_id)
        if thread is not None and thread.customer_id == order.customer_id:
            return thread
    return (
        await session.execute(
            select(ThreadRow)
            .where(ThreadRow.customer_id == order.customer_id)
            .order_by(ThreadRow.updated_at.desc(), ThreadRow.id)
            .limit(1)
        )
    ).scalar_one_or_none()


async def _tell_conversation(
    ctx: ServerContext, session: AsyncSession, row: OrderActionRow, order: OrderRow
) -> MessageRow | None:
    thread = await _thread_for(session, row, order)
    if thread is None:
        return None
    if row.status != "done":
        return await services.post_message(
            ctx,
            session,
            thread=thread,
            author_kind="system",
            author_name=SYSTEM_AUTHOR,
            kind="note",
            text=agent_note(row, order),
            order_id=order.id,
        )
    customer = await session.get(CustomerRow, order.customer_id)
    notify = bool((row.request or {}).get("notify_customer"))
    message = await services.post_message(
        ctx,
        session,
        thread=thread,
        author_kind="automated" if notify else "system",
        author_name=SHOP_AUTHOR if notify else SYSTEM_AUTHOR,
        kind="order_event",
        text=customer_text(row, order, customer.locale if customer else None),
        order_id=order.id,
        order_event=ORDER_EVENT_OF[row.type],
        notify_outbound=False,
    )
    if notify:
        reason: str | None = (
            "This conversation is not on Messenger, so the customer was not told."
            if not ctx.order_notice_hooks
            else None
        )
        if thread.channel != "messenger":
            reason = f"This conversation is on {thread.channel}, not Messenger: the customer was not told."
        for hook in ctx.order_notice_hooks if reason is None else ():
            reason = await hook(session, message, thread)
            if reason is None:
                break
        if reason is not None:
            await services.update_delivery(
                ctx, session, message=message, delivery="failed", error=reason
            )
    return message
