"""The live event stream: replay after a seq, ready, live events, resync, 4401, ephemeral relays,
heartbeat, and no gap or duplicate between replay and live."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from agent_desktop.server import testseed as seed
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import ServerProcess, auth_headers, login
from tests.integration.server.conftest import Stream, new_thread


async def current_seq(server: ServerProcess, token: str) -> int:
    stream = await Stream.open(server, token, after=10**9)
    before, ready = await stream.until_ready()
    assert before == [{"type": "resync"}]
    await stream.close()
    seq: int = ready["seq"]
    return seq


async def closed_code(conn: Any) -> int | None:
    try:
        while True:
            await asyncio.wait_for(conn.recv(), 10)
    except ConnectionClosed as exc:
        return exc.rcvd.code if exc.rcvd else None


async def test_replay_from_zero_then_live(shared: ServerProcess, tokens: dict[str, str]) -> None:
    stream = await Stream.open(shared, tokens["agent"], after=0)
    replayed, ready = await stream.until_ready()
    seqs = [m["seq"] for m in replayed]
    assert seqs == list(range(1, ready["seq"] + 1))
    assert {m["type"] for m in replayed} == {"event"}
    assert "server_time" in ready
    names = {m["name"] for m in replayed}
    assert {"agent.presence", "thread.updated", "message.created", "template.changed"} <= names
    result = await asyncio.to_thread(new_thread, shared, "Any news?")
    created = await stream.next_event()
    assert created["seq"] == ready["seq"] + 1
    assert created["name"] == "thread.updated"
    live = await stream.next_event()
    assert live["seq"] == ready["seq"] + 2
    assert live["name"] == "message.created"
    assert live["data"]["message"]["text"] == "Any news?"
    assert live["data"]["thread"]["id"] == result["id"]
    assert live["data"]["thread"]["unread"] == 1
    await stream.close()


async def test_reconnect_receives_exactly_the_missed_events(
    shared: ServerProcess, tokens: dict[str, str]
) -> None:
    last = await current_seq(shared, tokens["agent"])
    thread = await asyncio.to_thread(new_thread, shared, "while you were away")
    async with httpx.AsyncClient(base_url=shared.api, headers=auth_headers(tokens["lead"])) as c:
        r = await c.post(f"/threads/{thread['id']}/status", json={"status": "pending"})
        assert r.status_code == 200
        r = await c.post(
            f"/threads/{thread['id']}/messages",
            json={"client_id": uuid.uuid4().hex, "text": "On it", "kind": "reply"},
        )
        assert r.status_code == 201
    stream = await Stream.open(shared, tokens["agent"], after=last)
    replayed, ready = await stream.until_ready()
    assert [m["seq"] for m in replayed] == list(range(last + 1, ready["seq"] + 1))
    mine = [m for m in replayed if m["data"].get("thread", {}).get("id") == thread["id"]]
    assert [m["name"] for m in mine] == [
        "thread.updated",
        "message.created",
        "thread.updated",
        "message.created",
    ]
    assert mine[-1]["data"]["message"]["text"] == "On it"
    # Reconnecting with the ready seq replays nothing.
    await stream.close()
    again = await Stream.open(shared, tokens["agent"], after=ready["seq"])
    replayed2, ready2 = await again.until_ready()
    assert replayed2 == [] and ready2["seq"] == ready["seq"]
    await again.close()


async def test_resync_when_ahead(shared: ServerProcess, tokens: dict[str, str]) -> None:
    now = await current_seq(shared, tokens["agent"])
    stream = await Stream.open(shared, tokens["agent"], after=now + 5)
    before, ready = await stream.until_ready()
    assert before == [{"type": "resync"}]
    assert ready["seq"] == now
    await stream.close()


@pytest.mark.parametrize("after", [-1, "7", None, 1.5])
async def test_invalid_after_means_resync(
    shared: ServerProcess, tokens: dict[str, str], after: Any
) -> None:
    conn = await connect(shared.ws_url)
    await conn.send(json.dumps({"type": "hello", "token": tokens["agent"], "after": after}))
    first = json.loads(await asyncio.wait_for(conn.recv(), 10))
    second = json.loads(await asyncio.wait_for(conn.recv(), 10))
    assert first == {"type": "resync"} and second["type"] == "ready"
    await conn.close()


@pytest.mark.parametrize("token", ["nope", "", None, 42])
async def test_bad_token_closes_4401(shared: ServerProcess, token: Any) -> None:
    conn = await connect(shared.ws_url)
    await conn.send(json.dumps({"type": "hello", "token": token, "after": 0}))
    assert await closed_code(conn) == 4401


async def test_bad_hello_closes_4400(shared: ServerProcess) -> None:
    for first in ("not json", json.dumps({"type": "ping"}), json.dumps([1, 2])):
        conn = await connect(shared.ws_url)
        await conn.send(first)
        assert await closed_code(conn) == 4400


async def test_ping_pong(shared: ServerProcess, tokens: dict[str, str]) -> None:
    stream = await Stream.open(shared, tokens["agent"], after=10**9)
    await stream.until_ready()
    await stream.send({"type": "ping"})
    msg = await stream.recv()
    assert msg["type"] == "pong"
    await stream.close()


async def test_typing_is_relayed_to_others_and_not_stored(
    shared: ServerProcess, tokens: dict[str, str]
) -> None:
    a = await Stream.open(shared, tokens["agent"], after=10**9)
    _, ready_a = await a.until_ready()
    b = await Stream.open(shared, tokens["agent2"], after=10**9)
    await b.until_ready()
    await a.send({"type": "typing", "thread_id": seed.T_WAITING})
    await a.send({"type": "viewing", "thread_id": seed.T_WAITING})
    got = [await b.recv(), await b.recv()]
    async with httpx.AsyncClient() as client:
        r = await client.get(f"{shared.api}/me", headers=auth_headers(tokens["agent"]))
    me = r.json()
    assert got[0] == {
        "type": "typing",
        "thread_id": seed.T_WAITING,
        "agent_id": me["id"],
        "agent_name": me["name"],
    }
    assert got[1]["type"] == "viewing" and "seq" not in got[1]
    # The sender does not get its own signal; a ping proves nothing else was queued before.
    await a.send({"type": "ping"})
    assert (await a.recv())["type"] == "pong"
    await a.close()
    await b.close()
    assert await current_seq(shared, tokens["agent"]) == ready_a["seq"]


async def test_logout_closes_the_open_socket_with_4401(shared: ServerProcess) -> None:
    token = await asyncio.to_thread(login, shared, "agent2@demo.test")
    conn = await connect(shared.ws_url)
    await conn.send(json.dumps({"type": "hello", "token": token, "after": 10**9}))
    while json.loads(await asyncio.wait_for(conn.recv(), 10))["type"] != "ready":
        pass
    async with httpx.AsyncClient() as client:
        r = await client.post(f"{shared.api}/auth/logout", headers=auth_headers(token))
    assert r.status_code == 200
    assert await closed_code(conn) == 4401


async def test_personal_templates_reach_only_their_owner(
    shared: ServerProcess, tokens: dict[str, str]
) -> None:
    a = await Stream.open(shared, tokens["agent"], after=10**9)
    await a.until_ready()
    b = await Stream.open(shared, tokens["agent2"], after=10**9)
    await b.until_ready()
    async with httpx.AsyncClient(base_url=shared.api, headers=auth_headers(tokens["agent"])) as c:
        r = await c.post(
            "/templates",
            json={
                "shortcut": "secret",
                "title": "Mine",
                "body": "private text",
                "scope": "personal",
            },
        )
    assert r.status_code == 201
    own = await a.next_event("template.changed")
    other = await b.next_event("template.changed")
    assert own["seq"] == other["seq"]
    assert own["data"]["template"]["body"] == "private text"
    assert other["data"] == {"id": r.json()["id"], "template": None}
    await a.close()
    await b.close()


async def test_no_gap_or_duplicate_between_replay_and_live(
    shared: ServerProcess, tokens: dict[str, str]
) -> None:
    """Customers keep writing while a client connects with an old seq."""
    start = await current_seq(shared, tokens["agent"])
    thread = await asyncio.to_thread(new_thread, shared, "burst 0")
    stop = asyncio.Event()
    done: list[int] = []

    async def writer() -> int:
        n = 0
        async with httpx.AsyncClient(base_url=shared.api) as c:
            while not stop.is_set() and n < 60:
                n += 1
                r = await c.post(
                    "/simulate/customer-message",
                    json={"thread_id": thread["id"], "text": f"burst {n}"},
                )
                assert r.status_code == 201
                done.append(n)
        return n

    task = asyncio.create_task(writer())
    await wait_for_condition(lambda: len(done) >= 3 or task.done(), 30)  # writing before
    stream = await Stream.open(shared, tokens["lead"], after=start)
    replayed, ready = await stream.until_ready()
    mark = len(done)
    await wait_for_condition(lambda: len(done) >= mark + 3 or task.done(), 30)  # and after
    stop.set()
    written = await task
    seqs = [m["seq"] for m in replayed]
    assert seqs == list(range(start + 1, ready["seq"] + 1))
    final = await current_seq(shared, tokens["agent"])
    events = list(replayed)
    while events[-1]["seq"] < final:
        events.append(await stream.next_event())
    assert [m["seq"] for m in events] == list(range(start + 1, final + 1))
    texts = [
        m["data"]["message"]["text"]
        for m in events
        if m["name"] == "message.created" and m["data"]["thread"]["id"] == thread["id"]
    ]
    assert texts == [f"burst {n}" for n in range(written + 1)]
    await stream.close()


async def test_retention_resync_when_too_old(server_factory: Any) -> None:
    proc: ServerProcess = await asyncio.to_thread(
        server_factory, "--event-retention", "5", in_process=True
    )
    token = await asyncio.to_thread(login, proc, "agent@demo.test")
    stream = await Stream.open(proc, token, after=0)
    before, ready = await stream.until_ready()
    assert before == [{"type": "resync"}]
    await stream.close()
    # Within retention, replay still works.
    recent = await Stream.open(proc, token, after=ready["seq"] - 3)
    replayed, _ = await recent.until_ready()
    assert [m["seq"] for m in replayed] == [ready["seq"] - 2, ready["seq"] - 1, ready["seq"]]
    await recent.close()


async def test_window_change_is_announced(server_factory: Any) -> None:
    proc: ServerProcess = await asyncio.to_thread(
        server_factory, "--window-check-seconds", "0.2", in_process=True
    )
    token = await asyncio.to_thread(login, proc, "agent@demo.test")
    almost = datetime.now(UTC) - timedelta(hours=24) + timedelta(seconds=1)
    thread = await asyncio.to_thread(new_thread, proc, "Hello", created_at=almost.isoformat())
    assert thread["reply_window"]["state"] == "standard"
    stream = await Stream.open(proc, token, after=10**9)
    await stream.until_ready()
    event = await stream.next_event("thread.updated")
    assert event["data"]["thread"]["id"] == thread["id"]
    assert event["data"]["thread"]["reply_window"]["state"] == "human_agent"
    await stream.close()
