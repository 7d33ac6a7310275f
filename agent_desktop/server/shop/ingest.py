"""The one way orders and customers come in, whatever their source (demo, Shopify, Medusa, the
ingest API, an import file): idempotent upserts keyed by (source kind, external id), where the
newest `updated_at` wins, that emit `order.updated` only when something changed.

Call inside `async with ctx.write() as session:`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.server import services
from agent_desktop.server.context import ServerContext
from agent_desktop.server.models import CustomerRow, OrderRow, ThreadRow, new_id, utcnow
from agent_desktop.server.shop.documents import CustomerDoc, OrderDoc, aware
from agent_desktop.server.shop.search import name_key, phone_digits

Row = TypeVar("Row", CustomerRow, OrderRow)  # what a source's external id names


@dataclass(slots=True)
class Upserted:
    """What an upsert did: `created` a row, `changed` one, or neither (same data, or `stale`:
    older than what is stored, so ignored)."""

    row: Any
    created: bool = False
    changed: bool = False
    stale: bool = False


def _newer(incoming: datetime | None, stored: datetime | None) -> bool:
    """False when the incoming document is older than what is stored (it is then ignored)."""
    if incoming is None or stored is None:
        return True
    return aware(incoming) >= aware(stored)


async def find_customer(session: AsyncSession, kind: str, external_id: str) -> CustomerRow | None:
    return await _find(session, CustomerRow, kind, external_id)


async def find_order(session: AsyncSession, kind: str, external_id: str) -> OrderRow | None:
    return await _find(session, OrderRow, kind, external_id)


async def _find(session: AsyncSession, model: type[Row], kind: str, external_id: str) -> Row | None:
    """The row a source knows by `external_id`, if it came in already."""
    query = select(model).where(model.source_kind == kind, model.external_id == external_id)
    return (await session.execute(query)).scalar_one_or_none()


async def upsert_customer(
    ctx: ServerContext,
    session: AsyncSession,
    *,
    kind: str,
    external_id: str,
    doc: CustomerDoc,
    source_data: dict[str, Any] | None = None,
) -> Upserted:
    """Create or update the shop's customer `external_id`. A customer known only from a
    conversation who has the PSID the shop gives is adopted (the shop says it is them); names
    alone never merge anyone (agents confirm links, see `identity`)."""
    row = await find_customer(session, kind, external_id)
    created = False
    if row is None and doc.messenger_psid:
        row = (
            await session.execute(
                select(CustomerRow).where(
                    CustomerRow.messenger_psid == doc.messenger_psid,
                    CustomerRow.source_kind.is_(None),
                )
            )
        ).scalar_one_or_none()
        if row is not None:
            row.source_kind, row.external_id = kind, external_id
    if row is None:
        row = await services.create_customer(
            ctx,
            session,
            name=doc.name,
            email=doc.email,
            phone=doc.phone,
            locale=doc.locale,
            currency=doc.currency,
            consent_order_updates=doc.consent_order_updates,
            customer_since=doc.customer_since and aware(doc.customer_since),
            source_kind=kind,
            external_id=external_id,
        )
        created = True
    elif not _newer(doc.updated_at, row.source_updated_at):
        return Upserted(row, stale=True)
    values: dict[str, Any] = {
        "name": doc.name,
        "email": doc.email,
        "phone": doc.phone,
        "locale": doc.locale,
        "currency": doc.currency,
        "consent_order_updates": doc.consent_order_updates,
        "search_name": name_key(doc.name),
        "phone_digits": phone_digits(doc.phone),
    }
    if doc.customer_since is not None:
        values["customer_since"] = aware(doc.customer_since)
    if source_data is not None:
        values["source_data"] = {**(row.source_data or {}), **source_data}
    if doc.messenger_psid and doc.messenger_psid != row.messenger_psid:
        holder = (
            await session.execute(
                select(CustomerRow.id).where(CustomerRow.messenger_psid == doc.messenger_psid)
            )
        ).scalar_one_or_none()
        if holder is None:
            values["messenger_psid"] = doc.messenger_psid
    renamed = not created and row.name != doc.name
    changed = created or any(getattr(row, k) != v for k, v in values.items())
    for key, value in values.items():
        setattr(row, key, value)
    if doc.updated_at is not None:
        row.source_updated_at = aware(doc.updated_at)
    await session.flush()
    if renamed:
        threads = (
            await session.execute(select(ThreadRow).where(ThreadRow.customer_id == row.id))
        ).scalars()
        for thread in threads:
            await services.emit_thread(session, thread)
    return Upserted(row, created=created, changed=changed)


def _same(row: OrderRow, columns: dict[str, Any]) -> bool:
    for key, value in columns.items():
        current = getattr(row, key)
        if isinstance(current, datetime) and isinstance(value, datetime):
            if aware(current) != aware(value):
                return False
        elif current != value:
            return False
    return True


async def upsert_order(
    ctx: ServerContext,
    session: AsyncSession,
    *,
    kind: str,
    external_id: str,
    doc: OrderDoc,
    customer: CustomerRow,
    source_data: dict[str, Any] | None = None,
    force: bool = False,
) -> Upserted:
    """Create or update the order `external_id` of source `kind` for `customer`; emits
    order.updated when it changed. A document older than the stored one is ignored unless
    `force` (an action's own result)."""
    row = await find_order(session, kind, external_id)
    if row is None:
        columns = doc.columns()
        columns["customer_id"] = customer.id
        columns["source_data"] = dict(source_data or {})
        row = OrderRow(id=new_id("o"), source_kind=kind, external_id=external_id, **columns)
        row.source_updated_at = doc.updated_at or utcnow()
        await services.save_order(ctx, session, order=row)
        return Upserted(row, created=True, changed=True)
    return await apply_order(
        ctx, session, row, doc, customer_id=customer.id, source_data=source_data, force=force
    )


async def apply_order(
    ctx: ServerContext,
    session: AsyncSession,
    row: OrderRow,
    doc: OrderDoc,
    *,
    customer_id: str | None = None,
    source_data: dict[str, Any] | None = None,
    force: bool = False,
) -> Upserted:
    """Bring a stored order to `doc`'s state (unless `doc` is older and not `force`); emits
    order.updated when something changed."""
    if not force and not _newer(doc.updated_at, row.source_updated_at):
        return Upserted(row, stale=True)
    columns = doc.columns()
    if customer_id is not None:
        columns["customer_id"] = customer_id
    if source_data is not None:
        columns["source_data"] = {**(row.source_data or {}), **source_data}
    if doc.updated_at is not None:
        row.source_updated_at = doc.updated_at
    if _same(row, columns):
        return Upserted(row)
    for key, value in columns.items():
        setattr(row, key, value)
    await services.save_order(ctx, session, order=row)
    return Upserted(row, changed=True)


def order_doc(row: OrderRow) -> OrderDoc:
    """The stored order as a document (what a source changes and hands back)."""
    return OrderDoc.model_validate(
        {
            "number": row.number,
            "placed_at": row.placed_at,
            "updated_at": row.source_updated_at,
            "status": row.status,
            "currency": row.currency,
            "items": row.items or [],
            "subtotal": row.subtotal,
            "shipping": row.shipping,
            "tax": row.tax,
            "discount": row.discount,
            "total": row.total,
            "discounts": row.discounts or [],
            "payment": row.payment or {"method": "", "status": ""},
            "shipping_address": row.shipping_address or {},
            "shipments": row.shipments or [],
            "refunds": row.refunds or [],
            "returns": row.returns or [],
            "cancelled_at": row.cancelled_at,
        }
    )
