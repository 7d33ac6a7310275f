"""The demo's customer simulator: new customer messages at a steady rate (in the customer's
language, about their real orders), shipments that move along, the other demo agents answering
after a realistic delay, and presence changes. Every write goes through the server's services,
so events are emitted and connected clients update live.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.server import services
from agent_desktop.server.context import ServerContext
from agent_desktop.server.convert import order_to_api
from agent_desktop.server.demo import names, phrases
from agent_desktop.server.demo.catalogue import PRODUCTS, PRODUCTS_BY_SKU, WEARABLES
from agent_desktop.server.demo.conversations import CHASERS, SIMULATED_AGENT_EMAILS, THANKS
from agent_desktop.server.demo.shop import CARRIERS, DAY, HOUR, ShopMaker
from agent_desktop.server.models import (
    AgentRow,
    CustomerRow,
    MessageRow,
    OrderActionRow,
    OrderRow,
    ThreadRow,
    utcnow,
)
from agent_desktop.server.shop.demo_source import advance_return
from agent_desktop.server.shop.ingest import apply_order

log = logging.getLogger(__name__)

Action = Literal["customer", "agent", "shipment", "presence"]
CustomerKind = Literal["follow_up", "question", "new_customer"]
ACTIONS: tuple[Action, ...] = ("customer", "agent", "shipment", "presence")

# The next shipment step after each status, and the order notification it sends.
NEXT_STEP = {
    None: "label_created",
    "label_created": "picked_up",
    "picked_up": "in_transit",
    "in_transit": "out_for_delivery",
    "delayed": "out_for_delivery",
    "out_for_delivery": "delivered",
}
NOTIFY = {"picked_up": "shipped", "out_for_delivery": "out_for_delivery", "delivered": "delivered"}
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


@dataclass
class _Due:
    at: float  # loop time
    thread_id: str


def intent_from_text(text: str) -> str | None:
    """Why a customer wrote, guessed from their message (for the simulated agents' answers)."""
    lowered = text.lower()
    for intent, words in KEYWORDS:
        if any(w in lowered for w in words):
            return intent
    return None


def first_name(name: str) -> str:
    return name.split()[0] if name.strip() else ""


class Simulator:
    """Keeps the demo shop moving. `run()` until cancelled; `step()` does one action now."""

    def __init__(
        self, ctx: ServerContext, per_minute: float = 4.0, rng_seed: int | None = None
    ) -> None:
        self.ctx = ctx
        self.per_minute = max(0.0, float(per_minute))
        self.rng = random.Random(rng_seed)
        self._due: list[_Due] = []
        self._next_number: int | None = None

    # --- the loop ----------------------------------------------------------------------------

    async def run(self) -> None:
        """Act at random moments until cancelled; errors are logged and the loop goes on."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        next_customer = now + self._gap()
        next_shipment = now + self.rng.uniform(10, 40)
        next_presence = now + self.rng.uniform(120, 360)
        while True:
            now = loop.time()
            try:
                if now >= next_customer:
                    next_customer = now + self._gap()
                    await self.step("customer")
                if now >= next_shipment:
                    next_shipment = now + self.rng.uniform(15, 45)
                    await self.step("shipment")
                if now >= next_presence:
                    next_presence = now + self.rng.uniform(180, 480)
                    await self.step("presence")
                for due in [d for d in self._due if d.at <= now]:
                    self._due.remove(due)
                    await self.answer(due.thread_id)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("demo simulator: a simulated action failed")
            wake = min([next_customer, next_shipment, next_presence, *(d.at for d in self._due)])
            await asyncio.sleep(min(5.0, max(0.05, wake - loop.time())))

    def _gap(self) -> float:
        if self.per_minute <= 0:
            return math.inf
        return self.rng.expovariate(self.per_minute / 60.0)

    def _schedule_answer(self, thread_id: str) -> None:
        delay = self.rng.uniform(30, 240)
        self._due.append(_Due(asyncio.get_running_loop().time() + delay, thread_id))

    async def step(self, action: Action | None = None) -> dict[str, Any]:
        """Perform one simulated action now (a random one unless `action` says which); returns
        what was done, e.g. {"action": "customer", "thread_id": ..., "message_id": ...}."""
        if action is None:
            action = self.rng.choices(ACTIONS, (60, 20, 15, 5))[0]
        if action == "customer":
            return await self.customer_message()
        if action == "agent":
            return await self.answer(None)
        if action == "shipment":
            return await self.advance_shipment()
        return await self.change_presence()

    # --- customers ---------------------------------------------------------------------------

    async def customer_message(self, kind: CustomerKind | None = None) -> dict[str, Any]:
        """A customer writes: a follow-up, a new question about one of their orders, or a new
        customer asking where their first order is (`kind` forces one; a follow-up needs a
        recently answered thread and becomes a question without one)."""
        rng = self.rng
        if kind is None:
            roll = rng.random()
            kind = "follow_up" if roll < 0.3 else "new_customer" if roll > 0.85 else "question"
        async with self.ctx.write() as session:
            result: dict[str, Any] | None = None
            if kind == "follow_up":
                result = await self._follow_up(session)
            elif kind == "new_customer":
                result = await self._new_customer(session)
            if result is None:
                result = await self._question(session)
        if result.get("thread_id") and rng.random() < 0.7:
            self._schedule_answer(result["thread_id"])
        elif rng.random() < 0.3:
            oldest = await self._oldest_waiting()
            if oldest is not None:
                self._schedule_answer(oldest)
        return result

    async def _follow_up(self, session: AsyncSession) -> dict[str, Any] | None:
        """ "Thanks!" or "Any update?" on a thread an agent answered in the last two hours."""
        since = utcnow() - 2 * HOUR
        thread = (
            await session.execute(
                select(ThreadRow)
                .where(
                    ThreadRow.waiting_since.is_(None),
                    ThreadRow.status.in_(("open", "pending")),
                    ThreadRow.updated_at >= since,
                )
                .order_by(func.random())
                .limit(1)
            )
        ).scalar_one_or_none()
        if thread is None:
            return None
        customer = await session.get(CustomerRow, thread.customer_id)
        assert customer is not None
        loc = _locale(customer)
        picks = THANKS[loc] if self.rng.random() < 0.6 else CHASERS[loc]
        text = phrases.FOLLOW_UPS[loc][self.rng.choice(picks)]
        return await self._post_customer(session, thread, customer, text, None)

    async def _question(self, session: AsyncSession) -> dict[str, Any]:
        """An existing customer asks about one of their orders, in their language. Not in a
        thread closed on a message nobody answered: reopened, its timer would start at that old
        message (SPEC §2), not at the new question."""
        rng = self.rng
        stale = select(ThreadRow.customer_id).where(
            ThreadRow.status.in_(("resolved", "spam")), ThreadRow.waiting_since.is_not(None)
        )
        customer = (
            await session.execute(
                select(CustomerRow)
                .where(
                    CustomerRow.id.in_(select(OrderRow.customer_id)),
                    CustomerRow.id.not_in(stale),
                )
                .order_by(func.random())
                .limit(1)
            )
        ).scalar_one_or_none()
        if customer is None:
            return await self._new_customer(session)
        orders = (
            (
                await session.execute(
                    select(OrderRow)
                    .where(OrderRow.customer_id == customer.id)
                    .order_by(OrderRow.placed_at.desc())
                    .limit(3)
                )
            )
            .scalars()
            .all()
        )
        order = orders[0] if rng.random() < 0.75 or len(orders) == 1 else rng.choice(orders)
        intent = self._intent_for(order)
        loc = _locale(customer)
        item = rng.choice(order.items or [{}]).get("sku")
        if intent == "product":
            item = rng.choice(WEARABLES).sku
        pattern = rng.choice(phrases.OPENERS[intent][loc])
        text = _capital(pattern.format_map(row_fields(customer, order, item)))
        thread = await self._thread_of(session, customer)
        return await self._post_customer(session, thread, customer, text, order)

    def _intent_for(self, order: OrderRow) -> str:
        rng = self.rng
        now = utcnow()
        shipment = order.shipment or {}
        if order.status == "processing":
            return rng.choice(("address", "where_is"))
        if order.status == "shipped":
            eta = _parse(shipment.get("eta"))
            return "late" if eta is not None and eta < now else "where_is"
        if order.status == "returned":
            return "refund"
        if order.status == "delivered" and now - order.placed_at < 20 * DAY:
            return rng.choice(("return", "damaged", "wrong_size", "not_received", "return"))
        return "product"

    async def _new_customer(self, session: AsyncSession) -> dict[str, Any]:
        """A first-time customer, whose order left a couple of days ago, asks where it is."""
        now = utcnow()
        maker = ShopMaker(random.Random(self.rng.getrandbits(32)), now)
        demo = maker.customer()
        order = maker.order_with(demo, now, "transit")
        order.number = str(await self._new_number(session))
        customer = await services.create_customer(
            self.ctx,
            session,
            customer_id=demo.id,
            name=demo.name,
            email=demo.email,
            phone=demo.phone,
            locale=demo.locale,
            avatar_url=demo.avatar_url,
            consent_order_updates=demo.consent,
            customer_since=order.placed_at,
        )
        row = OrderRow(**order.row(now))
        await services.save_order(self.ctx, session, order=row)
        loc = demo.locale
        text = _capital(
            self.rng.choice(phrases.OPENERS["where_is"][loc]).format_map(
                row_fields(customer, row, None)
            )
        )
        thread = await services.create_thread(self.ctx, session, customer=customer, created_at=now)
        result = await self._post_customer(session, thread, customer, text, row)
        result["new_customer"] = True
        return result

    async def _new_number(self, session: AsyncSession) -> int:
        if self._next_number is None:
            numbers = (await session.execute(select(OrderRow.number))).scalars()
            self._next_number = max((int(n) for n in numbers if n.isdigit()), default=1000) + 1
        number = self._next_number
        self._next_number += 1
        return number

    async def _thread_of(self, session: AsyncSession, customer: CustomerRow) -> ThreadRow:
        thread = (
            await session.execute(
                select(ThreadRow)
                .where(ThreadRow.customer_id == customer.id, ThreadRow.channel == "messenger")
                .order_by(ThreadRow.updated_at.desc())
                .limit(1)
            )
        ).scalar_one_or_none()
        if thread is None:
            thread = await services.create_thread(self.ctx, session, customer=customer)
        return thread

    async def _post_customer(
        self,
        session: AsyncSession,
        thread: ThreadRow,
        customer: CustomerRow,
        text: str,
        order: OrderRow | None,
    ) -> dict[str, Any]:
        message = await services.post_customer_message(
            self.ctx, session, thread=thread, customer=customer, text=text
        )
        return {
            "action": "customer",
            "thread_id": thread.id,
            "message_id": message.id,
            "customer_id": customer.id,
            "order_id": order.id if order is not None else None,
            "text": text,
        }

    async def _oldest_waiting(self) -> str | None:
        async with self.ctx.sessionmaker() as session:
            thread = await self._longest_waiting(session)
            return thread.id if thread is not None else None

    async def _longest_waiting(self, session: AsyncSession) -> ThreadRow | None:
        """The open thread waiting longest that a simulated agent may take: unassigned, or
        assigned to a simulated agent (never one that agent@ or lead@ holds)."""
        simulated = select(AgentRow.id).where(AgentRow.email.in_(SIMULATED_AGENT_EMAILS))
        return (
            await session.execute(
                select(ThreadRow)
                .where(
                    ThreadRow.queue_since.is_not(None),
                    ThreadRow.status == "open",
                    ThreadRow.assignee_id.is_(None) | ThreadRow.assignee_id.in_(simulated),
                )
                .order_by(ThreadRow.queue_since)
                .limit(1)
            )
        ).scalar_one_or_none()

    # --- agents ------------------------------------------------------------------------------

    async def answer(self, thread_id: str | None) -> dict[str, Any]:
        """A simulated agent answers a waiting thread (the given one, else the longest waiting
        one they may take): sometimes a note first, sometimes resolving after the customer said
        thanks. Threads assigned to agent@ or lead@ are left to them."""
        rng = self.rng
        async with self.ctx.write() as session:
            thread = await session.get(ThreadRow, thread_id) if thread_id else None
            if thread is None:
                thread = await self._longest_waiting(session)
            if (
                thread is None
                or thread.waiting_since is None
                or thread.status in ("resolved", "spam")
            ):
                return {"action": "agent", "thread_id": None}
            agent = await self._agent_for(session, thread)
            if agent is None:
                return {"action": "agent", "thread_id": None}
            customer = await session.get(CustomerRow, thread.customer_id)
            assert customer is not None
            last = (
                await session.execute(
                    select(MessageRow)
                    .where(MessageRow.thread_id == thread.id, MessageRow.author_kind == "customer")
                    .order_by(MessageRow.created_at.desc(), MessageRow.pk.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()
            order = (
                await session.execute(
                    select(OrderRow)
                    .where(OrderRow.customer_id == customer.id)
                    .order_by(OrderRow.placed_at.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()
            said = last.text if last is not None else ""
            if order is not None and last is not None:
                mentioned = [
                    o for o in await self._orders_of(session, customer) if o.number in said
                ]
                order = mentioned[0] if mentioned else order
            loc = _locale(customer)
            thanked = said in {phrases.FOLLOW_UPS[loc][i] for i in THANKS[loc]}
            intent = intent_from_text(said) or (self._intent_for(order) if order else "product")
            if thanked:
                pool = phrases.CLOSINGS[loc]
            elif said in {phrases.FOLLOW_UPS[loc][i] for i in CHASERS[loc]}:
                pool = phrases.UPDATES[loc]
            else:
                pool = phrases.ANSWERS[intent][loc]
            item = (order.items or [{}])[0].get("sku") if order is not None else None
            text = _capital(
                rng.choice(pool).format_map(row_fields(customer, order, item, agent.name))
            )
            if thread.assignee_id is None:
                await services.assign(self.ctx, session, thread=thread, agent_id=agent.id)
            if rng.random() < 0.15:
                note = rng.choice(phrases.NOTES).format_map(row_fields(customer, order, item))
                await services.post_message(
                    self.ctx, session, thread=thread, author_kind="agent", author_id=agent.id,
                    author_name=agent.name, kind="note", text=note,
                )  # fmt: skip
            message = await services.post_message(
                self.ctx, session, thread=thread, author_kind="agent", author_id=agent.id,
                author_name=agent.name, text=text,
            )  # fmt: skip
            resolved = rng.random() < (0.6 if thanked else 0.1)
            if resolved:
                await services.set_status(self.ctx, session, thread=thread, status="resolved")
            return {
                "action": "agent",
                "thread_id": thread.id,
                "message_id": message.id,
                "agent_id": agent.id,
                "text": text,
                "resolved": resolved,
            }

    async def _orders_of(self, session: AsyncSession, customer: CustomerRow) -> list[OrderRow]:
        rows = await session.execute(select(OrderRow).where(OrderRow.customer_id == customer.id))
        return list(rows.scalars().all())

    async def _agent_for(self, session: AsyncSession, thread: ThreadRow) -> AgentRow | None:
        """The simulated agent who answers: the assignee if simulated, else an online one."""
        agents = list(
            (
                await session.execute(
                    select(AgentRow).where(AgentRow.email.in_(SIMULATED_AGENT_EMAILS))
                )
            )
            .scalars()
            .all()
        )
        if not agents:
            return None
        for a in agents:
            if a.id == thread.assignee_id:
                return a
        if thread.assignee_id is not None:
            return None  # someone at a desk (agent@, lead@) holds this thread
        online = [a for a in agents if a.presence == "online"] or agents
        return self.rng.choice(online)

    async def change_presence(self) -> dict[str, Any]:
        """One simulated agent goes away, comes back, or (rarely) signs off."""
        async with self.ctx.write() as session:
            agents = list(
                (
                    await session.execute(
                        select(AgentRow)
                        .where(AgentRow.email.in_(SIMULATED_AGENT_EMAILS))
                        .order_by(AgentRow.email)
                    )
                )
                .scalars()
                .all()
            )
            if not agents:
                return {"action": "presence", "agent_id": None}
            agent = self.rng.choice(agents)
            if agent.presence == "online":
                presence = "away" if self.rng.random() < 0.8 else "offline"
            else:
                presence = "online"
            await services.set_presence(self.ctx, session, agent=agent, presence=presence)
            return {"action": "presence", "agent_id": agent.id, "presence": presence}

    # --- shipments ---------------------------------------------------------------------------

    async def advance_return(self) -> dict[str, Any] | None:
        """Move a return agents opened one step along (in transit, received), or None."""
        async with self.ctx.write() as session:
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
                    await apply_order(self.ctx, session, order, doc)
                    return {"action": "return", "order_id": order.id}
        return None

    async def advance_shipment(self) -> dict[str, Any]:
        """Move one undelivered order one step along (label, pick-up, transit, out for delivery,
        delivered), with an order notification in the customer's thread when they agreed; or,
        half the time, a return agents opened."""
        rng = self.rng
        now = utcnow()
        if rng.random() < 0.5 and (moved := await self.advance_return()) is not None:
            return moved
        async with self.ctx.write() as session:
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
            await services.save_order(self.ctx, session, order=order)
            message_id = None
            event = NOTIFY.get(step)
            if event is not None and customer.consent_order_updates:
                thread = (
                    await session.execute(
                        select(ThreadRow)
                        .where(ThreadRow.customer_id == customer.id)
                        .order_by(ThreadRow.updated_at.desc())
                        .limit(1)
                    )
                ).scalar_one_or_none()
                if thread is not None and thread.status != "spam":
                    text = phrases.ORDER_EVENTS[event][_locale(customer)].format_map(
                        row_fields(customer, order, None)
                    )
                    message = await services.post_message(
                        self.ctx, session, thread=thread, author_kind="automated",
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
    eta = _parse(shipment.get("eta"))
    if step == "out_for_delivery" and (eta is None or eta < now):
        shipment["eta"] = now.replace(hour=18, minute=0, second=0, microsecond=0).isoformat()
    order.shipments = [shipment, *(order.shipments or [])[1:]]
    order.source_updated_at = now
    if step == "picked_up":
        order.status = "shipped"
    elif step == "delivered":
        order.status = "delivered"
    return step


# --- helpers -------------------------------------------------------------------------------


def _locale(customer: CustomerRow) -> str:
    return "fr" if (customer.locale or "").lower().startswith("fr") else "en"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _parse(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


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
        loc = _locale(self.customer)
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
            eta = _parse(shipment.get("eta")) or (utcnow() + 2 * DAY)
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
