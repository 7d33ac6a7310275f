"""Conversions from database rows to the Agent API v1 types of `agent_desktop.core.types`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.core.order_rules import allowed_actions
from agent_desktop.core.order_types import (
    Address,
    Consent,
    Customer,
    Discount,
    Order,
    OrderAction,
    OrderItem,
    OrderSourceRef,
    Payment,
    Refund,
    Return,
    Shipment,
)
from agent_desktop.core.reply_window import reply_window
from agent_desktop.core.types import (
    Agent,
    Attachment,
    Author,
    AwayPeriod,
    CustomerRef,
    CustomerSuggestion,
    Message,
    ReplyWindow,
    TeamSettings,
    Template,
    Thread,
)
from agent_desktop.server.models import (
    AgentRow,
    CustomerRow,
    MessageRow,
    OrderActionRow,
    OrderRow,
    TeamSettingsRow,
    TemplateRow,
    ThreadRow,
    utcnow,
)

WINDOW_CHANNELS = frozenset({"messenger"})
UNCOUNTED_ORDER_STATUSES = ("cancelled", "refunded")

# The columns each API model takes as they are, under the same names.
AGENT_COLUMNS = (
    *("id", "name", "email", "role", "presence", "presence_since"),
    *("active", "last_seen_at", "invitation_expires_at"),
)
CUSTOMER_COLUMNS = (
    *("id", "name", "email", "phone", "locale", "avatar_url"),
    *("customer_since", "currency"),
)
ORDER_COLUMNS = (
    *("id", "number", "customer_id", "placed_at", "status", "currency"),
    *("subtotal", "shipping", "tax", "total", "discount", "cancelled_at", "updated_at"),
)
MESSAGE_COLUMNS = (
    *("id", "thread_id", "client_id", "kind", "text", "order_id", "order_event", "tag"),
    *("delivery", "error", "created_at"),
)
TEMPLATE_COLUMNS = (
    *("id", "shortcut", "title", "body", "language", "scope"),
    *("owner_id", "updated_at", "intent"),
)
THREAD_COLUMNS = (
    *("id", "status", "assignee_id", "waiting_since", "unread", "channel"),
    *("last_customer_message_at", "standard_window_until", "updated_at"),
)


def columns(row: object, names: Sequence[str]) -> dict[str, Any]:
    """The row's attributes `names`, as keyword arguments for the API model."""
    return {name: getattr(row, name) for name in names}


def json_columns(row: object, names: Sequence[str]) -> dict[str, Any]:
    """The row's attributes `names` as a JSON object: times in ISO 8601, None as null."""
    values = columns(row, names)
    for name, value in values.items():
        if isinstance(value, datetime):
            values[name] = value.isoformat()
    return values


def agent_to_api(row: AgentRow) -> Agent:
    values = columns(row, AGENT_COLUMNS)
    values["active"] = values["active"] is not False  # a row not yet flushed holds None
    return Agent(**values)


def customer_ref(row: CustomerRow) -> CustomerRef:
    return CustomerRef(id=row.id, name=row.name, avatar_url=row.avatar_url)


async def customer_to_api(session: AsyncSession, row: CustomerRow) -> Customer:
    """The customer with lifetime value (sum of totals of orders not cancelled or refunded)."""
    total, count = (
        await session.execute(
            select(
                func.coalesce(
                    func.sum(OrderRow.total).filter(
                        OrderRow.status.not_in(UNCOUNTED_ORDER_STATUSES)
                    ),
                    0,
                ),
                func.count(OrderRow.id),
            ).where(OrderRow.customer_id == row.id)
        )
    ).one()
    return customer_parts(row, int(total or 0), int(count or 0))


def customer_parts(row: CustomerRow, lifetime_value: int, order_count: int) -> Customer:
    return Customer(
        **columns(row, CUSTOMER_COLUMNS),
        lifetime_value=lifetime_value,
        order_count=order_count,
        consent=Consent(order_updates=row.consent_order_updates),
        source=OrderSourceRef(kind=row.source_kind, external_id=row.external_id or "")
        if row.source_kind
        else None,
    )


def order_to_api(row: OrderRow) -> Order:
    """The order as the API shows it, with the actions its state allows."""
    shipments = [Shipment.model_validate(s) for s in row.shipments or []]
    refunds = [Refund.model_validate(r) for r in row.refunds or []]
    order = Order(
        **columns(row, ORDER_COLUMNS),
        items=[OrderItem.model_validate(item) for item in row.items or []],
        payment=Payment.model_validate(row.payment or {"method": "", "status": ""}),
        shipping_address=Address.model_validate(row.shipping_address or {}),
        shipment=shipments[0] if shipments else None,
        shipments=shipments,
        discounts=[Discount.model_validate(d) for d in row.discounts or []],
        refunded=sum(r.amount for r in refunds),
        refunds=refunds,
        returns=[Return.model_validate(r) for r in row.returns or []],
        source=OrderSourceRef(kind=row.source_kind or "demo", external_id=row.external_id or ""),
    )
    order.allowed_actions = allowed_actions(order)
    return order


def action_to_api(
    row: OrderActionRow, order: OrderRow | None = None, customer: CustomerRow | None = None
) -> OrderAction:
    request = row.request or {}
    address = request.get("address")
    return OrderAction(
        id=row.id,
        client_id=row.client_id,
        order_id=row.order_id,
        type=row.type,
        status=row.status,
        reason=row.reason,
        items=request.get("items") or [],
        amount=request.get("amount"),
        currency=request.get("currency") or (order.currency if order else ""),
        address=Address.model_validate(address) if address else None,
        notify_customer=bool(request.get("notify_customer")),
        error=row.error,
        agent_id=row.agent_id,
        agent_name=row.agent_name,
        decided_by=row.decided_by,
        decided_by_name=row.decided_by_name,
        decision_note=row.decision_note,
        created_at=row.created_at,
        updated_at=row.updated_at,
        order_number=order.number if order else "",
        customer_id=order.customer_id if order else None,
        customer_name=customer.name if customer else "",
    )


def message_to_api(row: MessageRow) -> Message:
    return Message(
        **columns(row, MESSAGE_COLUMNS),
        author=Author(kind=row.author_kind, id=row.author_id, name=row.author_name),
        attachments=[Attachment.model_validate(a) for a in row.attachments or []],
    )


def template_to_api(row: TemplateRow) -> Template:
    return Template(**columns(row, TEMPLATE_COLUMNS))


def settings_to_api(row: TeamSettingsRow) -> TeamSettings:
    return TeamSettings(
        target_seconds=row.target_seconds,
        window_days=row.window_days,
        away=[AwayPeriod.model_validate(p) for p in row.away or []],
        allowed_tags=[str(t) for t in row.allowed_tags or []],
        refund_limits={str(k): int(v) for k, v in (row.refund_limits or {}).items()},
        return_instructions={str(k): str(v) for k, v in (row.return_instructions or {}).items()},
    )


def window_for(thread: ThreadRow, now: datetime | None = None) -> ReplyWindow:
    """The Messenger reply window of a thread now (state "none" on channels without one)."""
    if thread.channel not in WINDOW_CHANNELS:
        return ReplyWindow(state="none")
    return reply_window(
        thread.last_customer_message_at, now or utcnow(), thread.standard_window_until
    )


def thread_to_api_parts(
    thread: ThreadRow,
    customer: CustomerRow,
    last_message: MessageRow | None,
    now: datetime | None = None,
) -> Thread:
    return Thread(
        **columns(thread, THREAD_COLUMNS),
        customer=customer_ref(customer),
        last_message=message_to_api(last_message) if last_message is not None else None,
        reply_window=window_for(thread, now),
        customer_suggestion=CustomerSuggestion.model_validate(thread.customer_suggestion)
        if thread.customer_suggestion
        else None,
    )


async def thread_to_api(
    session: AsyncSession, thread: ThreadRow, now: datetime | None = None
) -> Thread:
    customer = await session.get(CustomerRow, thread.customer_id)
    assert customer is not None  # the foreign key guarantees it
    last = None
    if thread.last_message_id is not None:
        last = (
            await session.execute(select(MessageRow).where(MessageRow.id == thread.last_message_id))
        ).scalar_one_or_none()
    return thread_to_api_parts(thread, customer, last, now)


async def threads_to_api(
    session: AsyncSession, threads: Sequence[ThreadRow], now: datetime | None = None
) -> list[Thread]:
    """Many threads at once: customers and last messages are loaded in two queries."""
    if not threads:
        return []
    now = now or utcnow()
    customer_ids = {t.customer_id for t in threads}
    customers = {
        c.id: c
        for c in (
            await session.execute(select(CustomerRow).where(CustomerRow.id.in_(customer_ids)))
        ).scalars()
    }
    message_ids = {t.last_message_id for t in threads if t.last_message_id}
    messages: dict[str, MessageRow] = {}
    if message_ids:
        messages = {
            m.id: m
            for m in (
                await session.execute(select(MessageRow).where(MessageRow.id.in_(message_ids)))
            ).scalars()
        }
    return [
        thread_to_api_parts(
            t,
            customers[t.customer_id],
            messages.get(t.last_message_id) if t.last_message_id else None,
            now,
        )
        for t in threads
    ]


def dump(model: Any) -> Any:
    """JSON-ready form of a pydantic model (times as ISO 8601 UTC)."""
    return model.model_dump(mode="json")
