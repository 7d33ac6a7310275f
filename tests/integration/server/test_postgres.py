"""The same server on PostgreSQL (tests/helpers/postgres.py: skipped when no PostgreSQL is
configured; .ci/run starts one)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.helpers.server_fixtures import ServerProcess, auth_headers, login
from tests.integration.server.conftest import Stream, customer_writes

pytestmark = [pytest.mark.slow]


@pytest.fixture
async def pg_server(tmp_path: Path, pg_url: str) -> AsyncIterator[ServerProcess]:
    proc = ServerProcess(tmp_path, ("--seed-test",), database_url=pg_url)
    await asyncio.to_thread(proc.start)
    try:
        yield proc
    finally:
        await asyncio.to_thread(proc.stop)


async def test_postgres_end_to_end(pg_server: ServerProcess) -> None:
    token = await asyncio.to_thread(login, pg_server)
    headers = auth_headers(token)
    stream = await Stream.open(pg_server, token, after=0)
    replayed, ready = await stream.until_ready()
    assert [m["seq"] for m in replayed] == list(range(1, ready["seq"] + 1))
    async with httpx.AsyncClient(base_url=pg_server.api, headers=headers, timeout=30) as c:
        page = (await c.get("/threads", params={"limit": 2, "q": "a"})).json()
        assert page["items"] and page["next_cursor"]
        more = (await c.get("/threads", params={"limit": 2, "cursor": page["next_cursor"]})).json()
        assert not {t["id"] for t in more["items"]} & {t["id"] for t in page["items"]}
        body = {"client_id": uuid.uuid4().hex, "text": "Bonjour !", "kind": "reply"}
        results = await asyncio.gather(
            *(c.post("/threads/t_camille/messages", json=body) for _ in range(20))
        )
        assert sorted(r.status_code for r in results) == [200] * 19 + [201]
        assert len({r.json()["id"] for r in results}) == 1
        customer = (await c.get("/customers/c_camille")).json()
        assert customer["order_count"] == 2 and customer["lifetime_value"] > 0
        report = (await c.get("/metrics")).json()
        assert report["team"]["openings"] >= 1
    live = await stream.next_event("message.created")
    assert live["data"]["message"]["text"] == "Bonjour !"
    await stream.close()
    await asyncio.to_thread(customer_writes, pg_server, "t_camille", "still there?")
    await asyncio.to_thread(pg_server.restart)
    again = await Stream.open(pg_server, token, after=live["seq"])
    missed, _ = await again.until_ready()
    assert [m["data"]["message"]["text"] for m in missed] == ["still there?"]
    await again.close()
