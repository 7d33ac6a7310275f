"""Three instances on one PostgreSQL database behind nginx: every event reaches every client once
and in seq order whichever instance wrote it or serves the socket; seqs stay contiguous under
concurrent writers; signals cross instances; a lost LISTEN connection catches up; singleton jobs
run once and move when their instance dies; SIGKILL and a rolling restart under load lose
nothing, and the Messenger sends a dead instance had claimed reach the Graph API once each.

Timing figures (latency, throughput) are in tests/bench/scaleout.py, not here: these tests wait on
conditions with generous deadlines.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from agent_desktop.server.messenger.signature import sign
from tests.helpers.cluster import INSTANCE_HEADER, Cluster, LiveClient
from tests.helpers.dbquery import query
from tests.helpers.postgres import ADMIN_URL
from tests.integration.cluster.conftest import (
    CLAIM_SECONDS,
    current_seq,
    job_holders,
    make_agents,
    open_clients,
    restore,
    server_threads,
    sign_in,
    wait_for,
)
from tests.integration.messenger.conftest import APP_SECRET, payload, text_item
from tests.integration.messenger.fake_graph import FakeGraph

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(600),
    # A conftest's pytestmark does not reach this module's tests: the skip is said here.
    pytest.mark.skipif(not ADMIN_URL, reason="AGENT_DESKTOP_TEST_POSTGRES_URL is not set"),
]


def new_customer(http: httpx.Client, text: str = "Hello") -> dict[str, Any]:
    r = http.post(
        "/simulate/customer-message",
        json={"customer_name": f"Customer {uuid.uuid4().hex[:8]}", "text": text},
    )
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


def created_texts(client: LiveClient) -> list[str]:
    return [
        str(e["data"]["message"]["text"])
        for e in client.events
        if e.get("name") == "message.created"
    ]


async def test_clients_spread_over_instances_and_every_event_arrives_once_in_order(
    cluster: Cluster,
) -> None:
    token = sign_in(cluster)
    start = current_seq(cluster)
    clients = await open_clients(cluster, token, 6, start)
    try:
        assert len({c.instances[0] for c in clients}) == 3  # nginx spread them over the three
        texts = [f"spread {n} {uuid.uuid4().hex[:6]}" for n in range(9)]
        served_by = []
        with cluster.client() as http:
            for text in texts:
                r = http.post(
                    "/simulate/customer-message",
                    json={"customer_name": f"Customer {uuid.uuid4().hex[:8]}", "text": text},
                )
                assert r.status_code == 201, r.text
                served_by.append(r.headers[INSTANCE_HEADER])
        assert len(set(served_by)) >= 2  # written through different instances
        end = current_seq(cluster)
        await wait_for(lambda: all(c.after >= end for c in clients), 30, "every client")
        for client in clients:
            assert client.problems(start) == []
            assert [t for t in created_texts(client) if t.startswith("spread")] == texts
            assert len(client.instances) == 1  # no reconnection was needed
    finally:
        for client in clients:
            await client.stop()


async def test_twenty_agents_writing_at_once_get_contiguous_seqs_replayed_alike_everywhere(
    cluster: Cluster,
) -> None:
    emails = make_agents(cluster, 20)
    tokens = [sign_in(cluster, e) for e in emails]
    watcher = sign_in(cluster)
    with cluster.client() as http:
        thread_ids = [new_customer(http)["thread"]["id"] for _ in range(5)]
    start = current_seq(cluster)
    clients = await open_clients(cluster, watcher, 6, start)
    sent: list[str] = []
    try:

        async def agent_sends(token: str, n: int) -> None:
            async with cluster.async_client(headers={"Authorization": f"Bearer {token}"}) as c:
                for k in range(5):
                    client_id = f"burst-{n}-{k}-{uuid.uuid4().hex[:6]}"
                    body = {"client_id": client_id, "text": client_id, "kind": "note"}
                    r = await c.post(f"/threads/{thread_ids[(n + k) % 5]}/messages", json=body)
                    assert r.status_code == 201, r.text
                    sent.append(client_id)

        await asyncio.gather(*(agent_sends(t, n) for n, t in enumerate(tokens)))
        end = current_seq(cluster)
        assert end - start >= 100
        seqs = [
            r[0]
            for r in query(
                cluster.database_url, "SELECT seq FROM events WHERE seq > ? ORDER BY seq", start
            )
        ]
        assert seqs == list(range(start + 1, end + 1))  # contiguous: no hole, no reuse
        await wait_for(lambda: all(c.after >= end for c in clients), 30, "every client")
        for client in clients:
            assert client.problems(start) == []
            notes = [t for t in created_texts(client) if t.startswith("burst-")]
            assert sorted(notes) == sorted(sent)
    finally:
        for client in clients:
            await client.stop()
    # Replay with `after` straight from each instance: the very same sequence.
    replays = []
    for proc in cluster.instances:
        async with connect(proc.ws_url, open_timeout=10, max_size=None) as ws:
            await ws.send(json.dumps({"type": "hello", "token": watcher, "after": start}))
            got = []
            while True:
                msg = json.loads(await asyncio.wait_for(ws.recv(), 30))
                if msg["type"] == "ready":
                    break
                got.append((msg["seq"], msg["name"], json.dumps(msg["data"], sort_keys=True)))
        replays.append([g for g in got if g[0] <= end])
    assert len(replays[0]) == end - start
    assert replays[0] == replays[1] == replays[2]


async def test_typing_and_logout_reach_the_sockets_of_every_instance(cluster: Cluster) -> None:
    watcher, typist = sign_in(cluster, "agent2@demo.test"), sign_in(cluster)
    per_instance: dict[str, Any] = {}
    sockets = []
    try:
        while len(per_instance) < 3 and len(sockets) < 12:
            ws = await connect(cluster.ws_url, ssl=cluster.ssl, open_timeout=10)
            sockets.append(ws)
            await ws.send(json.dumps({"type": "hello", "token": watcher, "after": 10**9}))
            while json.loads(await asyncio.wait_for(ws.recv(), 30))["type"] != "ready":
                pass
            assert ws.response is not None
            per_instance.setdefault(ws.response.headers[INSTANCE_HEADER], ws)
        assert len(per_instance) == 3
        direct = cluster.instances[0].ws_url.replace("ws://", "ws://")
        async with connect(direct, open_timeout=10) as sender:
            await sender.send(json.dumps({"type": "hello", "token": typist, "after": 10**9}))
            while json.loads(await asyncio.wait_for(sender.recv(), 30))["type"] != "ready":
                pass
            await sender.send(json.dumps({"type": "typing", "thread_id": "t_camille"}))
            for ws in per_instance.values():
                while True:
                    msg = json.loads(await asyncio.wait_for(ws.recv(), 30))
                    if msg["type"] == "typing":
                        break
                assert msg["thread_id"] == "t_camille" and msg["agent_id"] == "a_agent"
        # Logging out through one instance closes the token's sockets on all three (4401).
        with cluster.client(headers={"Authorization": f"Bearer {watcher}"}) as http:
            assert http.post("/auth/logout").status_code in (200, 204)
        for ws in per_instance.values():
            with contextlib.suppress(Exception):
                while True:
                    await asyncio.wait_for(ws.recv(), 30)
            assert ws.close_code == 4401
    finally:
        for ws in sockets:
            await ws.close()


async def test_guesses_spread_over_the_three_instances_are_counted_together(
    cluster: Cluster,
) -> None:
    """The sign-in limit lives in the database (login_throttle): 30 wrong passwords for one
    account, at once through nginx, land on all three instances, and still at most five are
    checked; then the right password is refused on every instance until the window ends."""
    (email,) = make_agents(cluster, 1, prefix="guessed")
    wrong = [{"email": email, "password": f"guess-{n}"} for n in range(30)]
    limits = httpx.Limits(max_connections=40)
    async with cluster.async_client(limits=limits) as http:
        answers = await asyncio.gather(*(http.post("/auth/login", json=b) for b in wrong))
        right = {"email": email, "password": "demo"}
        direct = [
            await http.post(f"{proc.api}/auth/login", json=right) for proc in cluster.instances
        ]
    served_by = Counter(r.headers[INSTANCE_HEADER] for r in answers)
    assert len(served_by) == 3, served_by  # nginx spread the guesses over the three
    statuses = Counter(r.status_code for r in answers)
    assert statuses[401] <= 5 and statuses[429] >= 25, statuses
    for r in direct:  # each instance directly, nginx aside
        assert r.status_code == 429, r.text
        assert r.json()["error"]["code"] == "too_many_attempts"
        assert 1 <= int(r.headers["retry-after"]) <= 60
    # A colleague's account is not affected by the guesses at this one.
    sign_in(cluster)


async def test_a_lost_listen_connection_reconnects_and_catches_up(cluster: Cluster) -> None:
    token = sign_in(cluster)
    start = current_seq(cluster)
    # A client served by instance i2 exactly (straight to it, not through nginx).
    client = LiveClient(cluster.instances[1].ws_url, token, None)
    client.start(start)
    await asyncio.wait_for(client.connected.wait(), 30)
    try:
        killed = query(
            cluster.database_url,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'agent-desktop listen i2'",
        )
        assert killed == [(True,)]
        texts = [f"while deaf {n}" for n in range(5)]
        with httpx.Client(base_url=cluster.instances[0].api, timeout=30) as http:
            for text in texts:
                new_customer(http, text)
        end = current_seq(cluster)
        await wait_for(lambda: client.after >= end, 30, "the events written while i2 was deaf")
        assert client.problems(start) == []
        assert created_texts(client)[-5:] == texts
        assert client.instances == ["i2"]  # the socket itself never dropped
    finally:
        await client.stop()


async def test_singleton_jobs_run_once_and_move_when_their_instance_dies(cluster: Cluster) -> None:
    await wait_for(
        lambda: {"reply-windows", "messenger-inbox"} <= set(job_holders(cluster)), 30, "the jobs"
    )
    token = sign_in(cluster)
    start = current_seq(cluster)
    client = LiveClient(cluster.ws_url, token, cluster.ssl)
    client.start(start)
    await asyncio.wait_for(client.connected.wait(), 30)
    try:
        # A Messenger thread whose 24-hour window closes in 2 s: the checker (every 0.5 s on
        # whichever instance holds the job) announces it with exactly one thread.updated.
        with cluster.client() as http:
            at = time.time() - 24 * 3600 + 2
            created = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(at)) + "Z"
            thread = new_customer(http)["thread"]
            r = http.post(
                "/simulate/customer-message",
                json={"thread_id": thread["id"], "text": "late", "created_at": created},
            )
            assert r.status_code == 201, r.text

        def updates() -> list[dict[str, Any]]:
            return [
                e
                for e in client.events
                if e["name"] == "thread.updated" and e["data"]["thread"]["id"] == thread["id"]
            ]

        await wait_for(lambda: len(updates()) >= 1, 30, "the window change")
        with cluster.client() as http:
            new_customer(http, "after the window")  # a later event ...
        await wait_for(lambda: client.after >= current_seq(cluster), 30, "the later event")
        assert len(updates()) == 1  # ... and still one announcement, not one per instance

        holders = job_holders(cluster)
        victim_name = holders["reply-windows"]
        victim = next(p for p in cluster.instances if p.args[-1] == victim_name)
        moved_at = time.monotonic()
        victim.kill()
        await wait_for(
            lambda: job_holders(cluster).get("reply-windows", victim_name) != victim_name,
            15,
            "the reply-window job to move to another instance",
        )
        took = time.monotonic() - moved_at
        assert took < 15
        after_move = job_holders(cluster)
        assert set(after_move.values()) <= {p.args[-1] for p in cluster.instances if p.running}
    finally:
        await client.stop()
        restore(cluster)


async def test_sigkill_under_load_loses_nothing_and_claimed_sends_finish_once(
    cluster: Cluster, fake_graph: FakeGraph
) -> None:
    token = sign_in(cluster)
    headers = {"Authorization": f"Bearer {token}"}
    # Messenger customers: their replies go out through the Send API, claimed by the instances.
    psids = [f"psid-kill-{uuid.uuid4().hex[:8]}" for _ in range(4)]
    with cluster.client() as http:
        for psid in psids:
            raw = json.dumps(payload(text_item(psid, "hello from messenger", _now()))).encode()
            r = http.post(
                f"{cluster.url}/webhooks/messenger",
                content=raw,
                headers={
                    "Content-Type": "application/json",
                    "X-Hub-Signature-256": sign(raw, APP_SECRET),
                },
            )
            assert r.status_code == 200, r.text
    await wait_for(
        lambda: (
            len(
                query(
                    cluster.database_url,
                    "SELECT thread_id FROM messenger_threads WHERE psid LIKE 'psid-kill-%'",
                )
            )
            == 4
        ),
        30,
        "the webhooks to make threads",
    )
    pairs = query(
        cluster.database_url,
        "SELECT thread_id, psid FROM messenger_threads WHERE psid LIKE 'psid-kill-%' ORDER BY psid",
    )
    messenger_threads = [str(t) for t, _ in pairs]
    psids = [str(p) for _, p in pairs]  # psids[n] is the customer of messenger_threads[n]
    start = current_seq(cluster)
    clients = await open_clients(cluster, token, 6, start)
    # Hold the Graph API: the sends are claimed and in flight when the instance dies.
    fake_graph.hold()
    replies: list[str] = []
    stop = asyncio.Event()

    async def load(n: int) -> None:
        async with cluster.async_client(headers=headers) as c:
            k = 0
            while not stop.is_set():
                client_id = f"kill-load-{n}-{k}"
                body = {"client_id": client_id, "text": client_id, "kind": "note"}
                thread = messenger_threads[n % 4]
                while True:  # the client's retry: same client_id, so never twice
                    try:
                        r = await c.post(f"/threads/{thread}/messages", json=body)
                        if r.status_code in (200, 201):
                            break
                    except httpx.HTTPError:
                        pass
                    await asyncio.sleep(0.1)
                replies.append(client_id)
                k += 1

    try:
        with cluster.client(headers=headers) as http:
            for n, thread in enumerate(messenger_threads):
                body = {"client_id": f"kill-reply-{n}", "text": f"reply {n}", "kind": "reply"}
                assert http.post(f"/threads/{thread}/messages", json=body).status_code == 201
        # Each instance claims one send and waits on the held Graph API with it.
        await wait_for(lambda: fake_graph.held_count() == 3 == _claimed(cluster), 30, "claims")
        # Each instance holds one claimed send now: the victim is the one serving the most
        # clients (nginx may have kept new sockets off an instance restarted moments ago).
        victim_name = Counter(c.instances[-1] for c in clients).most_common(1)[0][0]
        assert victim_name in {
            r[0]
            for r in query(
                cluster.database_url,
                "SELECT claimed_by FROM messenger_outbound WHERE status = 'queued'",
            )
        }
        victim = next(p for p in cluster.instances if p.args[-1] == victim_name)
        loaders = [asyncio.create_task(load(n)) for n in range(8)]
        await wait_for(lambda: len(replies) >= 20, 60, "some load")
        victim.kill()
        await wait_for(lambda: len(replies) >= 60, 120, "load after the kill")
        fake_graph.release()
        stop.set()
        await asyncio.gather(*loaders)
        await wait_for(
            lambda: (
                query(
                    cluster.database_url,
                    "SELECT count(*) FROM messenger_outbound WHERE status = 'queued'",
                )[0][0]
                == 0
            ),
            CLAIM_SECONDS * 10,
            "the claimed sends to be finished by the other instances",
        )
        end = current_seq(cluster)
        await wait_for(lambda: all(c.after >= end for c in clients), 60, "every client")
        with cluster.client(headers=headers) as http:
            threads_now = server_threads(http)
            for client in clients:
                assert client.problems(start) == []
                notes = [t for t in created_texts(client) if t.startswith("kill-load-")]
                assert sorted(notes) == sorted(replies)  # none lost, none twice
                for thread_id, seen in client.threads.items():
                    assert seen == threads_now[thread_id]  # the client ends where the server is
            moved = [c for c in clients if c.instances[0] == victim_name]
            assert moved and all(len(c.instances) >= 2 for c in moved)
        for n, psid in enumerate(psids):
            sends = [
                s
                for s in fake_graph.sends(psid)
                if s.get("text") == f"reply {n}" or s.get("message", {}).get("text") == f"reply {n}"
            ]
            assert len(sends) == 1, (psid, fake_graph.sends(psid))
    finally:
        fake_graph.release()
        stop.set()
        for client in clients:
            await client.stop()
        restore(cluster)


async def test_a_rolling_restart_under_load_loses_nothing(cluster: Cluster) -> None:
    token = sign_in(cluster)
    headers = {"Authorization": f"Bearer {token}"}
    with cluster.client() as http:
        thread_ids = [new_customer(http)["thread"]["id"] for _ in range(4)]
    start = current_seq(cluster)
    clients = await open_clients(cluster, token, 6, start)
    replies: list[str] = []
    stop = asyncio.Event()

    async def load(n: int) -> None:
        async with cluster.async_client(headers=headers) as c:
            k = 0
            while not stop.is_set():
                client_id = f"roll-{n}-{k}"
                body = {"client_id": client_id, "text": client_id, "kind": "note"}
                while True:
                    try:
                        r = await c.post(f"/threads/{thread_ids[n % 4]}/messages", json=body)
                        if r.status_code in (200, 201):
                            break
                    except httpx.HTTPError:
                        pass
                    await asyncio.sleep(0.1)
                replies.append(client_id)
                k += 1

    loaders = [asyncio.create_task(load(n)) for n in range(6)]
    try:
        for proc in cluster.instances:
            before = len(replies)
            await asyncio.to_thread(proc.stop)  # SIGTERM: a clean stop
            await asyncio.to_thread(proc.start)
            await wait_for(lambda b=before: len(replies) >= b + 10, 120, "load after a restart")
        stop.set()
        await asyncio.gather(*loaders)
        end = current_seq(cluster)
        await wait_for(lambda: all(c.after >= end for c in clients), 60, "every client")
        with cluster.client(headers=headers) as http:
            threads_now = server_threads(http)
        for client in clients:
            assert client.problems(start) == []
            notes = [t for t in created_texts(client) if t.startswith("roll-")]
            assert sorted(notes) == sorted(replies)
            assert len(client.instances) >= 2  # each was moved at least once
            for thread_id, seen in client.threads.items():
                assert seen == threads_now[thread_id]
    finally:
        stop.set()
        for client in clients:
            await client.stop()
        restore(cluster)


def _claimed(cluster: Cluster) -> int:
    rows = query(
        cluster.database_url,
        "SELECT count(*) FROM messenger_outbound WHERE status = 'queued' AND claimed_by IS NOT NULL",
    )
    return int(rows[0][0])


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)
