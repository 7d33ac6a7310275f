"""`seed_demo`: fills an empty reference-server database with the demo shop, once per database.

The plan (customers, orders, threads, messages) is made in memory from a seeded random generator,
then inserted in bulk in one transaction; thread state (waiting_since, unread, reply window via
last_customer_message_at) is computed with the core rules. No events are written: clients load
the seeded state over HTTP.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.server.auth import shared_hash
from agent_desktop.server.context import ServerContext
from agent_desktop.server.demo.catalogue import PRODUCTS
from agent_desktop.server.demo.conversations import (
    STATE_WEIGHTS,
    ConversationMaker,
    DemoAgent,
    State,
    ThreadPlan,
    make_agents,
    thread_columns,
)
from agent_desktop.server.demo.pictures import save_avatar, save_product_picture
from agent_desktop.server.demo.shop import AVATAR_POOL, DemoCustomer, ShopMaker, rid
from agent_desktop.server.demo.templates import template_rows
from agent_desktop.server.models import (
    AgentRow,
    CustomerRow,
    MessageRow,
    OrderRow,
    TemplateRow,
    ThreadRow,
    utcnow,
)
from agent_desktop.server.services import get_meta, set_meta

log = logging.getLogger(__name__)

META_KEY = "demo_seeded"
DEMO_PASSWORD = "demo"
CHUNK = 5000
SPAM_NAMES = (
    "Meta Business Support",
    "Page Verification Team",
    "Growth Followers Pro",
    "Lucky Winner Club",
    "SEO Expert Agency",
)


@dataclass
class DemoPlan:
    now: datetime
    agents: list[DemoAgent]
    shop: ShopMaker
    threads: list[ThreadPlan]


def scale(threads: int) -> tuple[int, int]:
    """(customers, orders) for a demo with `threads` threads."""
    customers = max(330, round(threads * 1.25))
    orders = max(1100, threads * 3)
    return customers, orders


def make_plan(threads: int, rng_seed: int, now: datetime) -> DemoPlan:
    """The whole demo shop in memory (deterministic for a given seed, relative to `now`)."""
    rng = random.Random(rng_seed)
    agents = make_agents(rng)
    shop = ShopMaker(rng, now)
    n_customers, n_orders = scale(threads)
    spam = max(1, round(threads * STATE_WEIGHTS["spam"]))
    for _ in range(n_customers - spam):
        shop.customer()
    talkers = rng.sample(shop.customers, threads - spam)
    convo = ConversationMaker(rng, shop, agents)
    states: list[State] = [s for s in STATE_WEIGHTS if s != "spam"]
    weights = [STATE_WEIGHTS[s] for s in states]
    plans = [convo.thread(c, rng.choices(states, weights)[0]) for c in talkers]
    for i in range(spam):
        c = shop.customer("en")
        c.first, c.last = SPAM_NAMES[i % len(SPAM_NAMES)].split(" ", 1)
        c.consent, c.avatar_url = False, None
        plans.append(convo.thread(c, "spam"))
    shop.background_orders(max(0, n_orders - len(shop.orders)))
    shop.finish()
    for plan in plans:
        for m in plan.messages:
            m.id = rid(rng, "m")
    return DemoPlan(now, agents, shop, plans)


def _message_rows(plans: Iterable[ThreadPlan]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {
            "id": m.id,
            "thread_id": plan.id,
            "client_id": None,
            "author_kind": m.author_kind,
            "author_id": m.author_id,
            "author_name": m.author_name,
            "kind": m.kind,
            "text": m.render(),
            "attachments": [],
            "order_id": m.order.id if m.order is not None else None,
            "order_event": m.order_event,
            "tag": None,
            "delivery": "read" if m.author_kind == "agent" and m.kind != "note" else "sent",
            "error": None,
            "external_id": None,
            "created_at": m.at,
        }
        for plan in plans
        for m in plan.messages
    ]
    rows.sort(key=lambda r: r["created_at"])  # pk order follows time order
    return rows


def _customer_rows(customers: Sequence[DemoCustomer]) -> list[dict[str, Any]]:
    return [c.row() for c in customers]


async def _bulk(session: AsyncSession, model: Any, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), CHUNK):
        await session.execute(insert(model.__table__), rows[i : i + CHUNK])


def draw_pictures(media_dir: Any) -> None:
    for product in PRODUCTS:
        save_product_picture(product, media_dir / "products")
    for i in range(AVATAR_POOL):
        save_avatar(i, media_dir / "avatars")


async def is_seeded(ctx: ServerContext) -> bool:
    async with ctx.sessionmaker() as session:
        return bool(await get_meta(session, META_KEY))


async def seed_demo(ctx: ServerContext, *, threads: int = 220, rng_seed: int = 7) -> dict[str, Any]:
    """Seed the demo shop unless this database already has it.

    Returns the counts and the seconds it took, or {"seeded": False} when already seeded.
    """
    started = time.perf_counter()
    if await is_seeded(ctx):
        return {"seeded": False}
    threads = max(10, int(threads))
    now = utcnow()
    pictures = asyncio.to_thread(draw_pictures, ctx.media_dir)
    password_hash = asyncio.to_thread(shared_hash, DEMO_PASSWORD)
    plan_task = asyncio.to_thread(make_plan, threads, rng_seed, now)
    _, pw_hash, plan = await asyncio.gather(pictures, password_hash, plan_task)
    planned = time.perf_counter()

    message_rows = await asyncio.to_thread(_message_rows, plan.threads)
    thread_rows = [thread_columns(t, now) for t in plan.threads]
    order_rows = [o.row(now) for o in plan.shop.orders]
    customer_rows = _customer_rows(plan.shop.customers)

    async with ctx.write() as session:
        if await get_meta(session, META_KEY):
            return {"seeded": False}
        agent_ids = await _agents(session, plan.agents, pw_hash, now)
        for row in thread_rows:
            if row["assignee_id"] is not None:
                row["assignee_id"] = agent_ids[row["assignee_id"]]
        for msg in message_rows:
            if msg["author_id"] in agent_ids:
                msg["author_id"] = agent_ids[msg["author_id"]]
        await _bulk(session, CustomerRow, customer_rows)
        await _bulk(session, OrderRow, order_rows)
        await _bulk(session, ThreadRow, thread_rows)
        await _bulk(session, MessageRow, message_rows)
        templates = template_rows(random.Random(rng_seed), plan.agents, agent_ids, now)
        await _bulk(session, TemplateRow, templates)
        await set_meta(session, META_KEY, now.isoformat())
    seconds = time.perf_counter() - started
    result = {
        "seeded": True,
        "agents": len(plan.agents),
        "customers": len(customer_rows),
        "products": len(PRODUCTS),
        "orders": len(order_rows),
        "threads": len(thread_rows),
        "messages": len(message_rows),
        "templates": len(templates),
        "plan_seconds": round(planned - started, 3),
        "seconds": round(seconds, 3),
    }
    log.info("demo shop seeded: %s", result)
    return result


async def _agents(
    session: AsyncSession, agents: list[DemoAgent], pw_hash: str, now: datetime
) -> dict[str, str]:
    """Create the demo accounts (keeping any that already exist); planned id → stored id."""
    emails = [a.email for a in agents]
    existing = {
        email: agent_id
        for email, agent_id in (
            await session.execute(
                select(AgentRow.email, AgentRow.id).where(AgentRow.email.in_(emails))
            )
        ).all()
    }
    rows = [a.row(pw_hash, now) for a in agents if a.email not in existing]
    if rows:
        await _bulk(session, AgentRow, rows)
    return {a.id: existing.get(a.email, a.id) for a in agents}
