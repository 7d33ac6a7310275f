"""ServerContext.outbound_order: a conversation's replies reach the outbound hooks one at a time,
in the order they were asked for, even when a later one would otherwise get there first."""

from __future__ import annotations

import asyncio

from agent_desktop.server.context import InOrder


async def test_turns_of_one_key_run_in_the_order_they_were_asked_for() -> None:
    order = InOrder()
    done: list[str] = []

    async def work(name: str, key: str, delay: float) -> None:
        async with order.turn(key):
            await asyncio.sleep(delay)  # the first is the slowest: without turns it ends last
            done.append(name)

    tasks = [
        asyncio.create_task(work("t1 #1", "t1", 0.05)),
        asyncio.create_task(work("t1 #2", "t1", 0.0)),
        asyncio.create_task(work("t2 #1", "t2", 0.0)),
        asyncio.create_task(work("t1 #3", "t1", 0.0)),
    ]
    await asyncio.gather(*tasks)
    assert [n for n in done if n.startswith("t1")] == ["t1 #1", "t1 #2", "t1 #3"]
    assert done.index("t2 #1") < done.index("t1 #1")  # another conversation does not wait
    assert len(order) == 0  # nothing kept once nobody holds or awaits a turn


async def test_a_failing_turn_lets_the_next_one_go() -> None:
    order = InOrder()
    done: list[int] = []

    async def fails() -> None:
        async with order.turn("t"):
            raise RuntimeError("the hook failed")

    async def succeeds() -> None:
        async with order.turn("t"):
            done.append(2)

    results = await asyncio.gather(fails(), succeeds(), return_exceptions=True)
    assert isinstance(results[0], RuntimeError)
    assert done == [2]
    assert len(order) == 0
