"""The customer simulator against the real server: each simulated action is written through the
services, so a websocket client sees it live."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from agent_desktop.server.demo.conversations import SIMULATED_AGENT_EMAILS
from agent_desktop.server.demo.simulator import Simulator, intent_from_text
from agent_desktop.server.models import AgentRow, MessageRow, OrderRow, ThreadRow
from tests.integration.demo.conftest import Events, LiveDemo

IN_MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")


async def _simulated_agent_ids(demo: LiveDemo) -> set[str]:
    async with demo.ctx.sessionmaker() as session:
        rows = await session.execute(
            select(AgentRow.id).where(AgentRow.email.in_(SIMULATED_AGENT_EMAILS))
        )
        return set(rows.scalars())


@IN_MODULE_LOOP
async def test_simulated_customer_and_agent_messages_reach_a_websocket(live_demo: LiveDemo) -> None:
    token = await live_demo.login()
    events = await Events.open(live_demo, token)
    try:
        sim = Simulator(live_demo.ctx, rng_seed=5)
        said = await sim.step("customer")
        assert said["action"] == "customer" and said["text"]
        event = await events.next("message.created")
        message, thread = event["data"]["message"], event["data"]["thread"]
        assert message["id"] == said["message_id"]
        assert message["author"]["kind"] == "customer" and message["text"] == said["text"]
        assert thread["id"] == said["thread_id"] and thread["waiting_since"] is not None
        assert thread["unread"] >= 1

        answered = await sim.step("agent")
        assert answered["action"] == "agent" and answered["thread_id"] is not None
        while True:
            event = await events.next("message.created")
            if event["data"]["message"]["kind"] == "text":
                break
            assert event["data"]["message"]["kind"] == "note"  # a note may come first
        message, thread = event["data"]["message"], event["data"]["thread"]
        assert message["id"] == answered["message_id"]
        assert message["author"]["kind"] == "agent"
        assert message["author"]["id"] in await _simulated_agent_ids(live_demo)
        assert thread["id"] == answered["thread_id"]
        assert thread["waiting_since"] is None and thread["unread"] == 0
        assert thread["assignee_id"] in await _simulated_agent_ids(live_demo)

        # The HTTP API shows the same conversation.
        async with httpx.AsyncClient(base_url=live_demo.url) as client:
            r = await client.get(
                f"/api/v1/threads/{said['thread_id']}/messages",
                headers={"Authorization": f"Bearer {token}"},
            )
        assert r.status_code == 200
        assert said["message_id"] in [m["id"] for m in r.json()["items"]]
        async with httpx.AsyncClient(base_url=live_demo.url) as client:
            r = await client.get(
                f"/api/v1/threads/{answered['thread_id']}/messages",
                headers={"Authorization": f"Bearer {token}"},
            )
        assert answered["message_id"] in [m["id"] for m in r.json()["items"]]
    finally:
        await events.close()


@IN_MODULE_LOOP
async def test_customer_messages_mention_their_own_orders(live_demo: LiveDemo) -> None:
    sim = Simulator(live_demo.ctx, rng_seed=21)
    mentioned = 0
    for _ in range(12):
        said = await sim.step("customer")
        if said.get("order_id") is None:
            continue
        async with live_demo.ctx.sessionmaker() as session:
            order = await session.get(OrderRow, said["order_id"])
            stored = (
                await session.execute(select(MessageRow).where(MessageRow.id == said["message_id"]))
            ).scalar_one()
        assert order is not None and order.customer_id == said["customer_id"]
        assert stored.author_id == said["customer_id"] and stored.text == said["text"]
        mentioned += order.number in said["text"]
    assert mentioned > 0


@IN_MODULE_LOOP
async def test_shipments_advance_and_presence_changes_live(live_demo: LiveDemo) -> None:
    token = await live_demo.login("lead@demo.test")
    events = await Events.open(live_demo, token)
    try:
        sim = Simulator(live_demo.ctx, rng_seed=8)
        moved = await sim.step("shipment")
        assert moved["order_id"] is not None
        event = await events.next("order.updated")
        order = event["data"]["order"]
        assert order["id"] == moved["order_id"]
        assert order["shipment"]["status"] == moved["status"]
        assert order["shipment"]["events"][-1]["status"] == moved["status"]

        changed = await sim.step("presence")
        event = await events.next("agent.presence")
        assert event["data"]["agent"]["id"] == changed["agent_id"]
        assert event["data"]["agent"]["presence"] == changed["presence"]
    finally:
        await events.close()


@IN_MODULE_LOOP
async def test_threads_held_by_people_are_left_to_them(live_demo: LiveDemo) -> None:
    async with live_demo.ctx.sessionmaker() as session:
        human = (
            await session.execute(select(AgentRow).where(AgentRow.email == "agent@demo.test"))
        ).scalar_one()
        held = (
            (
                await session.execute(
                    select(ThreadRow).where(
                        ThreadRow.assignee_id == human.id, ThreadRow.waiting_since.is_not(None)
                    )
                )
            )
            .scalars()
            .first()
        )
    assert held is not None
    sim = Simulator(live_demo.ctx, rng_seed=3)
    assert (await sim.answer(held.id))["thread_id"] is None
    async with live_demo.ctx.sessionmaker() as session:
        again = await session.get(ThreadRow, held.id)
    assert again is not None and again.waiting_since == held.waiting_since


@IN_MODULE_LOOP
async def test_a_new_customer_asks_about_a_real_new_order(live_demo: LiveDemo) -> None:
    token = await live_demo.login()
    events = await Events.open(live_demo, token)
    try:
        async with live_demo.ctx.sessionmaker() as session:
            numbers = (await session.execute(select(OrderRow.number))).scalars().all()
        sim = Simulator(live_demo.ctx, rng_seed=4)
        said = await sim.customer_message("new_customer")
        assert said["new_customer"] is True
        updated = await events.next("order.updated")
        order = updated["data"]["order"]
        assert (
            order["id"] == said["order_id"]
            and updated["data"]["customer_id"] == said["customer_id"]
        )
        assert int(order["number"]) == max(int(n) for n in numbers) + 1
        assert order["number"] in said["text"]
        assert order["status"] == "shipped" and order["shipment"]["events"]
        assert order["total"] == order["subtotal"] + order["shipping"] + order["tax"]
        created = await events.next("message.created")
        assert created["data"]["message"]["id"] == said["message_id"]
        assert created["data"]["thread"]["customer"]["id"] == said["customer_id"]
    finally:
        await events.close()


def test_intents_are_read_from_customer_text() -> None:
    assert intent_from_text("Je voudrais retourner la chemise bleue") == "return"
    assert intent_from_text("le colis est arrivé abîmé") == "damaged"
    assert intent_from_text("Bonjour, ma commande n'est toujours pas arrivée") == "late"
    assert intent_from_text("Hello") is None


@IN_MODULE_LOOP
async def test_the_demo_shop_over_http(live_demo: LiveDemo) -> None:
    token = await live_demo.login()
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=live_demo.url, headers=headers) as client:
        r = await client.get("/api/v1/threads", params={"limit": 50})
        assert r.status_code == 200
        threads = r.json()["items"]
        waiting = [t for t in threads if t["waiting_since"] is not None]
        assert waiting and all(t["reply_window"]["state"] == "standard" for t in waiting)
        customer_id = waiting[0]["customer"]["id"]
        r = await client.get(f"/api/v1/customers/{customer_id}/orders")
        assert r.status_code == 200
        orders = r.json()["items"]
        assert orders
        item = orders[0]["items"][0]
        assert item["image_url"].startswith("/media/products/")
        r = await client.get(item["image_url"])
        assert r.status_code == 200 and r.content[:8] == b"\x89PNG\r\n\x1a\n"
        r = await client.get("/api/v1/templates")
        assert r.status_code == 200
        r = await client.get("/api/v1/agents")
        assert {a["email"] for a in r.json()["items"]} >= {"agent@demo.test", "lead@demo.test"}


@IN_MODULE_LOOP
async def test_run_keeps_going_after_a_failed_action(
    live_demo: LiveDemo, caplog: pytest.LogCaptureFixture
) -> None:
    token = await live_demo.login()
    events = await Events.open(live_demo, token)
    sim = Simulator(live_demo.ctx, per_minute=600, rng_seed=13)
    real = sim.customer_message
    calls = 0

    async def flaky() -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("the database went away for a moment")
        return await real()

    sim.customer_message = flaky  # type: ignore[method-assign]
    task = asyncio.create_task(sim.run())
    try:
        while True:
            event = await events.next("message.created", wait=20)
            if event["data"]["message"]["author"]["kind"] == "customer":
                break
        assert calls >= 2
        assert "a simulated action failed" in caplog.text
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await events.close()
    assert task.cancelled()
