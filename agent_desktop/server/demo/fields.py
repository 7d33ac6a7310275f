"""What the simulated customers and agents say: why a customer wrote (guessed from the words of
the message), and the values a phrase of demo/phrases.py asks for (`{first}`, `{order}`, `{eta}`...)
read from the stored rows, and the customer's latest orders and thread."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.server.demo import phrases
from agent_desktop.server.demo.catalogue import PRODUCTS, PRODUCTS_BY_SKU
from agent_desktop.server.demo.shop import DAY
from agent_desktop.server.models import CustomerRow, OrderRow, ThreadRow, utcnow
from agent_desktop.server.shop.documents import parse_time

KEYWORDS = (
    ("return", ("return", "send back", "retourner", "renvoyer", "retour")),
    ("damaged", ("damaged", "broken", "stain", "abîmé", "cassé", "déchiré")),
    ("wrong_size", ("wrong", "mauvaise", "erreur")),
    ("not_received", ("never got", "rien reçu", "nothing here", "ni dans")),
    ("refund", ("refund", "rembours")),
    ("address", ("address", "adresse")),
    ("product", ("size", "washable", "taille", "machine")),
    ("late", ("still", "late", "toujours", "retard", "ne bouge")),
)


def intent_from_text(text: str) -> str | None:
    """Why a customer wrote, guessed from their message (for the simulated agents' answers)."""
    lowered = text.lower()
    for intent, words in KEYWORDS:
        if any(w in lowered for w in words):
            return intent
    return None


def first_name(name: str) -> str:
    return name.split()[0] if name.strip() else ""


def locale_of(customer: CustomerRow) -> str:
    return "fr" if (customer.locale or "").lower().startswith("fr") else "en"


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class _RowFields(dict[str, str]):
    """Phrase values from stored rows, computed when a phrase asks for them."""

    def __init__(
        self, customer: CustomerRow, order: OrderRow | None, sku: str | None, agent_name: str
    ) -> None:
        super().__init__()
        self.customer = customer
        self.order = order
        self.sku = sku
        self.agent_name = agent_name

    def __missing__(self, key: str) -> str:
        loc = locale_of(self.customer)
        order = self.order
        shipment = (order.shipment or {}) if order is not None else {}
        if key == "first":
            return first_name(self.customer.name)
        if key == "agent":
            return first_name(self.agent_name)
        if key == "item":
            product = PRODUCTS_BY_SKU.get(self.sku or "") or (
                PRODUCTS_BY_SKU.get((order.items or [{}])[0].get("sku", "")) if order else None
            )
            return product.short(loc) if product is not None else PRODUCTS[0].short(loc)
        if order is None:
            return ""
        if key == "order":
            return order.number
        if key == "carrier":
            return str(shipment.get("carrier") or "Colissimo")
        if key == "eta":
            eta = parse_time(shipment.get("eta")) or (utcnow() + 2 * DAY)
            if self.agent_name and eta < utcnow():
                eta = utcnow() + DAY  # an agent promises a date to come, not the missed one
            return phrases.day(eta, loc)
        if key == "url":
            return str(shipment.get("tracking_url") or "")
        if key == "total":
            return phrases.money(order.total, loc)
        if key == "count":
            return str(sum(int(i.get("quantity", 1)) for i in order.items or []))
        raise KeyError(key)


def row_fields(
    customer: CustomerRow, order: OrderRow | None, sku: str | None, agent_name: str = ""
) -> dict[str, str]:
    return _RowFields(customer, order, sku, agent_name)


def intent_for_order(rng: random.Random, order: OrderRow) -> str:
    """Why a customer writes about this order, from its state (what a real one would ask)."""
    now = utcnow()
    shipment = order.shipment or {}
    if order.status == "processing":
        return rng.choice(("address", "where_is"))
    if order.status == "shipped":
        eta = parse_time(shipment.get("eta"))
        return "late" if eta is not None and eta < now else "where_is"
    if order.status == "returned":
        return "refund"
    if order.status == "delivered" and now - order.placed_at < 20 * DAY:
        return rng.choice(("return", "damaged", "wrong_size", "not_received", "return"))
    return "product"


async def latest_orders(session: AsyncSession, customer_id: str, limit: int) -> list[OrderRow]:
    """The customer's `limit` most recently placed orders, newest first."""
    rows = await session.execute(
        select(OrderRow)
        .where(OrderRow.customer_id == customer_id)
        .order_by(OrderRow.placed_at.desc())
        .limit(limit)
    )
    return list(rows.scalars().all())


async def latest_thread(
    session: AsyncSession, customer_id: str, *, channel: str | None = None
) -> ThreadRow | None:
    """The customer's most recently updated thread (on `channel` when given)."""
    query = select(ThreadRow).where(ThreadRow.customer_id == customer_id)
    if channel is not None:
        query = query.where(ThreadRow.channel == channel)
    rows = await session.execute(query.order_by(ThreadRow.updated_at.desc()).limit(1))
    return rows.scalar_one_or_none()
