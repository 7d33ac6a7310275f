"""Meta's 10/1893063 (the Page is temporarily restricted from sending) pauses every send of the Page
with a banner for agents and leads, and no retry storm: held replies wait, one probe tries again
when a lead asks (or when the probe time comes), and they all go out, in order, once Meta lets
the Page send. And a burst of 1,000 replies never exceeds Meta's per-Page rate.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from tests.helpers.server_fixtures import LEAD_EMAIL, alogin, auth_headers, login
from tests.integration.messenger.conftest import (
    Bridge,
    new_mid,
    payload,
    started_bridge,
    text_item,
)
from tests.integration.messenger.fake_graph import TEXT_PER_SECOND, FakeGraph


@pytest.fixture(scope="module")
def paced(fake_graph: FakeGraph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bridge]:
    with started_bridge(
        fake_graph,
        tmp_path_factory.mktemp("messenger-pause"),
        MESSENGER_PAUSE_PROBE_SECONDS="600",
        MESSENGER_SEND_CONCURRENCY="32",
    ) as bridge:
        yield bridge
    fake_graph.restrict(False)


def _page(bridge: Bridge) -> dict[str, object]:
    r = httpx.get(f"{bridge.server.api}/messenger", headers=bridge.headers)
    assert r.status_code == 200, r.text
    page: dict[str, object] = r.json()["page"]
    return page


def _wait_page(bridge: Bridge, sending: str, timeout: float = 15.0) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    page = _page(bridge)
    while page["sending"] != sending:
        if time.monotonic() > deadline:
            raise AssertionError(f"the Page's sending is {page}")
        time.sleep(0.05)
        page = _page(bridge)
    return page


def test_1893063_pauses_sending_shows_the_banner_and_resumes_in_order(paced: Bridge) -> None:
    graph = paced.graph
    psid = "psid-pause-1"
    paced.deliver(text_item(psid, "hello", datetime.now(UTC)))
    thread_id = paced.thread_for(psid)
    paced.wait_messages(thread_id, lambda m: len(m) == 1)
    graph.restrict()
    first = paced.reply(thread_id, "first")
    assert first.status_code == 201
    page = _wait_page(paced, "paused")
    assert "temporarily restricted" in str(page["reason"])
    assert page["paused_since"] and page["next_attempt_at"]
    # Every agent's client hears it at once (the banner), and it shows in a thread's facts.
    assert paced.sql("SELECT count(*) FROM events WHERE name = 'messenger.page'")[0][0] >= 1
    assert paced.facts(thread_id)["page"]["sending"] == "paused"

    # Replies written meanwhile are kept, not refused, and not sent: no retry storm.
    later = [paced.reply(thread_id, text) for text in ("second", "third")]
    assert all(r.status_code == 201 for r in later)
    paced.deliver(text_item("psid-pause-2", "anyone?", datetime.now(UTC)))
    paced.wait_inbox_drained()
    assert len(graph.sends(psid)) == 1
    statuses = paced.sql(
        "SELECT status FROM messenger_outbound WHERE thread_id = ? ORDER BY seq", thread_id
    )
    assert statuses == [("queued",), ("queued",), ("queued",)]
    assert {m["delivery"] for m in paced.messages(thread_id)[1:]} == {"sent"}  # none failed

    lead = auth_headers(login(paced.server, LEAD_EMAIL))
    assert httpx.post(
        f"{paced.server.api}/messenger/resume", headers=paced.headers
    ).status_code == (403)
    # Still restricted: one probe, one refusal, and the wait doubles.
    r = httpx.post(f"{paced.server.api}/messenger/resume", headers=lead)
    assert r.status_code == 202
    deadline = time.monotonic() + 10
    while len(graph.sends(psid)) < 2:
        assert time.monotonic() < deadline, "no probe was sent"
        time.sleep(0.05)
    assert _wait_page(paced, "paused")["sending"] == "paused"
    assert len(graph.sends(psid)) == 2

    # Lifted: the next probe goes through and the held replies follow, in order.
    graph.restrict(False)
    assert httpx.post(f"{paced.server.api}/messenger/resume", headers=lead).status_code == 202
    _wait_page(paced, "ok")
    sent = graph.wait_sends(psid, 5)
    accepted = [s["message"]["text"] for s in graph.accepted(psid)]
    assert accepted == ["first", "second", "third"]
    assert [s["message"]["text"] for s in sent] == ["first", "first", "first", "second", "third"]
    for reply in (first, *later):
        assert paced.wait_outbound(reply.json()["id"])[0] == "sent"
    banner = [
        json.loads(data)["page"]["sending"]
        for (data,) in paced.sql(
            "SELECT data FROM events WHERE name = 'messenger.page' ORDER BY seq"
        )
    ]
    assert banner[0] == "paused" and banner[-1] == "ok"


@pytest.mark.timeout(900)
async def test_a_burst_of_1000_replies_never_exceeds_the_per_page_rate(paced: Bridge) -> None:
    """1,000 replies to 20 customers are held while the Page is restricted, then released at
    once: Meta sees at most 300 calls in any second, refuses none for speed, and each customer
    gets their replies in the order they were written."""
    graph = paced.graph
    psids = [f"psid-burst-send-{n:02d}" for n in range(20)]
    now = datetime.now(UTC)
    assert paced.post_webhook(payload(*(text_item(p, "hi", now) for p in psids))).status_code == 200
    threads = {p: paced.thread_for(p) for p in psids}
    graph.restrict()

    async def writer(client: httpx.AsyncClient, psid: str) -> None:
        for n in range(50):
            r = await client.post(
                f"{paced.server.api}/threads/{threads[psid]}/messages",
                json={"client_id": new_mid(), "text": f"{psid} #{n}", "kind": "reply"},
                headers=paced.headers,
                timeout=60,
            )
            assert r.status_code == 201, r.text

    async with httpx.AsyncClient() as client:
        await asyncio.gather(*(writer(client, p) for p in psids))
    _wait_page(paced, "paused")
    before = len(graph.send_times)
    graph.rate_refusals = 0
    graph.restrict(False)
    lead = auth_headers(await alogin(paced.server, LEAD_EMAIL))
    async with httpx.AsyncClient() as client:
        resumed = await client.post(f"{paced.server.api}/messenger/resume", headers=lead)
    assert resumed.status_code == 202
    # Bounded by progress, not by a total time (a loaded machine sends more slowly): the test fails
    # when a minute passes without a single send.
    sent, last_progress = 0, time.monotonic()
    while sent < 1000:
        await asyncio.sleep(0.1)
        if len(graph.send_times) - before > sent:
            sent, last_progress = len(graph.send_times) - before, time.monotonic()
        assert time.monotonic() - last_progress < 60, f"{sent} of 1000 sent, then nothing for 60 s"
    assert graph.rate_refusals == 0
    busiest = graph.busiest_second()
    print(f"busiest second: {busiest} Send API calls")
    assert busiest <= TEXT_PER_SECOND
    for psid in psids:
        texts = [s["message"]["text"] for s in graph.accepted(psid)]
        assert texts == [f"{psid} #{n}" for n in range(50)]  # each customer's, in order
