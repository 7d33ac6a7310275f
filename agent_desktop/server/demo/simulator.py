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
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.server import services
from agent_desktop.server.context import ServerContext
from agent_desktop.server.demo import phrases, shipments
from agent_desktop.server.demo.catalogue import WEARABLES
from agent_desktop.server.demo.conversations import CHASERS, SIMULATED_AGENT_EMAILS, THANKS
from agent_desktop.server.demo.fields import (
    capital,
    intent_for_order,
    intent_from_text,
    latest_orders,
    latest_thread,
    locale_of,
    row_fields,
)
from agent_desktop.server.demo.shipments import step_shipment as step_shipment  # routes_sim.py
from agent_desktop.server.demo.shop import HOUR, ShopMaker
from agent_desktop.server.models import (
    AgentRow,
    CustomerRow,
    MessageRow,
    OrderRow,
    ThreadRow,
    utcnow,
)

log = logging.getLogger(__name__)

Action = Literal["customer", "agent", "shipment", "presence"]
CustomerKind = Literal["follow_up", "question", "new_customer"]
ACTIONS: tuple[Action, ...] = ("customer", "agent", "shipment", "presence")


@dataclass
class _Due:
    at: float  # loop time
    thread_id: str


async def _simulated_agents(session: AsyncSession) -> list[AgentRow]:
    """The demo's simulated agents (not the desks people sign in at), in a stable order."""
    query = select(AgentRow).where(AgentRow.email.in_(SIMULATED_AGENT_EMAILS))
    return list(await session.scalars(query.order_by(AgentRow.email)))


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
        loc = locale_of(customer)
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
        orders = await latest_orders(session, customer.id, 3)
        order = orders[0] if rng.random() < 0.75 or len(orders) == 1 else rng.choice(orders)
        intent = intent_for_order(self.rng, order)
        loc = locale_of(customer)
        item = rng.choice(order.items or [{}]).get("sku")
        if intent == "product":
            item = rng.choice(WEARABLES).sku
        pattern = rng.choice(phrases.OPENERS[intent][loc])
        text = capital(pattern.format_map(row_fields(customer, order, item)))
        thread = await self._thread_of(session, customer)
        return await self._post_customer(session, thread, customer, text, order)

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
        text = capital(
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
        thread = await latest_thread(session, customer.id, channel="messenger")
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
        message = await services.post_signed(
            self.ctx, session, thread=thread, author=customer, text=text
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
            order = next(iter(await latest_orders(session, customer.id, 1)), None)
            said = last.text if last is not None else ""
            if order is not None and last is not None:
                mentioned = [
                    o for o in await self._orders_of(session, customer) if o.number in said
                ]
                order = mentioned[0] if mentioned else order
            loc = locale_of(customer)
            thanked = said in {phrases.FOLLOW_UPS[loc][i] for i in THANKS[loc]}
            intent = intent_from_text(said) or (
                intent_for_order(self.rng, order) if order else "product"
            )
            if thanked:
                pool = phrases.CLOSINGS[loc]
            elif said in {phrases.FOLLOW_UPS[loc][i] for i in CHASERS[loc]}:
                pool = phrases.UPDATES[loc]
            else:
                pool = phrases.ANSWERS[intent][loc]
            item = (order.items or [{}])[0].get("sku") if order is not None else None
            text = capital(
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
        agents = await _simulated_agents(session)
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
            agents = await _simulated_agents(session)
            if not agents:
                return {"action": "presence", "agent_id": None}
            agent = self.rng.choice(agents)
            if agent.presence == "online":
                presence = "away" if self.rng.random() < 0.8 else "offline"
            else:
                presence = "online"
            await services.set_presence(self.ctx, session, agent=agent, presence=presence)
            return {"action": "presence", "agent_id": agent.id, "presence": presence}

    # --- shipments (demo/shipments.py) -------------------------------------------------------

    async def advance_return(self) -> dict[str, Any] | None:
        """Move a return agents opened one step along (in transit, received), or None."""
        return await shipments.advance_a_return(self.ctx)

    async def advance_shipment(self) -> dict[str, Any]:
        """Move one undelivered order one step along, or half the time a return (see
        demo/shipments.advance_shipment)."""
        return await shipments.advance_shipment(self.ctx, self.rng)
