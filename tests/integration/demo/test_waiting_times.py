"""The demo's timers look like a real shop's: a seeded thread that waits has waited seconds to a
couple of hours (never since an old message nobody answered), and the simulator's customers do
not reopen a thread closed on an unanswered message (its timer would start days back)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent_desktop.server import services
from agent_desktop.server.context import ServerConfig, open_context
from agent_desktop.server.demo.conversations import thread_columns
from agent_desktop.server.demo.seed import make_plan
from agent_desktop.server.demo.shop import ShopMaker
from agent_desktop.server.demo.simulator import Simulator
from agent_desktop.server.models import OrderRow, ThreadRow, utcnow
from tests.helpers.postgres import server_database_url

NOW = datetime(2026, 3, 4, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(("threads", "seed"), [(220, 7), (220, 1), (1000, 3)])
def test_seeded_threads_wait_seconds_to_a_couple_of_hours(threads: int, seed: int) -> None:
    plan = make_plan(threads, seed, NOW)
    waits: list[timedelta] = []
    for thread in plan.threads:
        columns = thread_columns(thread, NOW)
        waiting = columns["waiting_since"]
        if waiting is None:
            continue
        if columns["status"] in ("open", "pending"):
            waits.append(NOW - waiting)
            # The timer starts in the conversation going on now, not at an old message.
            assert NOW - columns["last_customer_message_at"] <= timedelta(hours=2)
        elif columns["status"] == "resolved":
            # Closed on a missed message of the last day at most (reopened, it would show that).
            assert NOW - waiting < timedelta(hours=24)
    assert len(waits) > threads // 10
    assert max(waits) <= timedelta(hours=2)
    assert min(waits) < timedelta(minutes=3)


async def test_simulated_questions_do_not_reopen_a_thread_closed_unanswered(tmp_path: Path) -> None:
    ctx = await open_context(
        ServerConfig(
            database_url=server_database_url(tmp_path),
            media_dir=tmp_path / "media",
        )
    )
    try:
        maker = ShopMaker(random.Random(4), utcnow())
        closed_ids: dict[str, str] = {}
        async with ctx.write() as session:
            for number, answered in ((5001, False), (5002, True)):
                demo = maker.customer()
                order = maker.order_with(demo, utcnow(), "transit")
                order.number = str(number)
                customer = await services.create_customer(
                    ctx,
                    session,
                    customer_id=demo.id,
                    name=demo.name,
                    locale=demo.locale,
                    customer_since=order.placed_at,
                )
                await services.save_order(ctx, session, order=OrderRow(**order.row(utcnow())))
                thread = await services.create_thread(ctx, session, customer=customer)
                await services.post_signed(
                    ctx,
                    session,
                    thread=thread,
                    author=customer,
                    text="Where is my parcel?",
                    created_at=utcnow() - timedelta(hours=20),
                )
                if answered:
                    await services.post_message(
                        ctx,
                        session,
                        thread=thread,
                        author_kind="agent",
                        author_id=None,
                        author_name="Shop",
                        text="It left yesterday.",
                        created_at=utcnow() - timedelta(hours=19),
                    )
                await services.set_status(ctx, session, thread=thread, status="resolved")
                closed_ids["answered" if answered else "unanswered"] = thread.id
        sim = Simulator(ctx, rng_seed=11)
        for _ in range(12):
            before = utcnow()
            said = await sim.customer_message("question")
            assert said["thread_id"] == closed_ids["answered"]
            async with ctx.sessionmaker() as session:
                thread = await session.get(ThreadRow, said["thread_id"])
                assert thread is not None and thread.status == "open"
                waiting = thread.waiting_since
                assert waiting is not None
                assert waiting.replace(tzinfo=UTC) >= before.replace(tzinfo=UTC) - timedelta(
                    seconds=1
                )
            async with ctx.write() as session:
                thread = await session.get(ThreadRow, said["thread_id"])
                assert thread is not None
                await services.post_message(
                    ctx,
                    session,
                    thread=thread,
                    author_kind="agent",
                    author_id=None,
                    author_name="Shop",
                    text="Done.",
                )
                await services.set_status(ctx, session, thread=thread, status="resolved")
    finally:
        await ctx.aclose()
