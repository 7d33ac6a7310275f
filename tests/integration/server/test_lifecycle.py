"""The server keeps everything across restarts and crashes: threads, messages, tokens and the
event sequence."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from agent_desktop.server import testseed as seed
from tests.helpers.server_fixtures import ServerProcess, auth_headers, login
from tests.integration.server.conftest import Stream, customer_writes

pytestmark = pytest.mark.slow


async def test_restart_loses_nothing_and_seq_continues(server: ServerProcess) -> None:
    token = await asyncio.to_thread(login, server)
    headers = auth_headers(token)
    async with httpx.AsyncClient(base_url=server.api, headers=headers) as c:
        threads = (await c.get("/threads", params={"limit": 200})).json()["items"]
    assert len(threads) == 6
    stream = await Stream.open(server, token, after=0)
    _, ready = await stream.until_ready()
    await stream.close()
    await asyncio.to_thread(customer_writes, server, seed.T_WAITING, "before restart")
    async with httpx.AsyncClient(base_url=server.api, headers=headers) as c:
        sent = await c.post(
            f"/threads/{seed.T_WAITING}/messages",
            json={"client_id": "restart-1", "text": "Reply before restart", "kind": "reply"},
        )
        assert sent.status_code == 201
    revoked = await asyncio.to_thread(login, server, "agent2@demo.test")
    async with httpx.AsyncClient(base_url=server.api, headers=auth_headers(revoked)) as c:
        assert (await c.post("/auth/logout")).status_code == 200
    assert await asyncio.to_thread(server.stop) == 0  # SIGTERM: a clean exit
    await asyncio.to_thread(server.start)
    async with httpx.AsyncClient(base_url=server.api, headers=headers) as c:
        # The token survives; the message is there once; the send stays idempotent.
        page = (await c.get(f"/threads/{seed.T_WAITING}/messages")).json()
        texts = [m["text"] for m in page["items"]]
        assert texts[:2] == ["Reply before restart", "before restart"]
        again = await c.post(
            f"/threads/{seed.T_WAITING}/messages",
            json={"client_id": "restart-1", "text": "Reply before restart", "kind": "reply"},
        )
        assert again.status_code == 200 and again.json()["id"] == sent.json()["id"]
        # A revoked token stays revoked.
        r = await c.get("/me", headers=auth_headers(revoked))
        assert r.status_code == 401
        # Starting again on a seeded database does not seed twice.
        after = (await c.get("/threads", params={"limit": 200})).json()["items"]
        assert sorted(t["id"] for t in after) == sorted(t["id"] for t in threads)
    # The events missed across the restart are replayed, and seq goes on from there.
    stream = await Stream.open(server, token, after=ready["seq"])
    replayed, ready2 = await stream.until_ready()
    assert [m["seq"] for m in replayed] == list(range(ready["seq"] + 1, ready2["seq"] + 1))
    assert [m["name"] for m in replayed] == [
        "message.created",
        "message.created",
        "agent.presence",  # agent2 signed in...
        "agent.presence",  # ...and out
    ]
    await asyncio.to_thread(customer_writes, server, seed.T_WAITING, "after restart")
    live = await stream.next_event()
    assert live["seq"] == ready2["seq"] + 1
    await stream.close()


async def test_kill_loses_no_committed_write(server: ServerProcess) -> None:
    token = await asyncio.to_thread(login, server, "lead@demo.test")
    headers = auth_headers(token)
    async with httpx.AsyncClient(base_url=server.api, headers=headers) as c:
        ids = []
        for i in range(5):
            r = await c.post(
                f"/threads/{seed.T_WAITING}/messages",
                json={"client_id": uuid.uuid4().hex, "text": f"note {i}", "kind": "note"},
            )
            assert r.status_code == 201
            ids.append(r.json()["id"])
        r = await c.post(f"/threads/{seed.T_WAITING}/status", json={"status": "pending"})
        assert r.status_code == 200
    await asyncio.to_thread(server.kill)
    await asyncio.to_thread(server.start)
    async with httpx.AsyncClient(base_url=server.api, headers=headers) as c:
        page = (await c.get(f"/threads/{seed.T_WAITING}/messages")).json()
        assert [m["id"] for m in page["items"][:5]] == ids[::-1]
        assert (await c.get(f"/threads/{seed.T_WAITING}")).json()["status"] == "pending"
