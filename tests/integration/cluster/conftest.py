"""Three server instances on one PostgreSQL database behind nginx (TLS), as docs/DEPLOY.md sets
them up ("Several instances"), with the Messenger bridge on against a fake Graph API.

Its tests skip without PostgreSQL (`AGENT_DESKTOP_TEST_POSTGRES_URL`; .ci/run starts one). The cluster
is shared by the module's tests; a test that kills or restarts an instance brings it back before
it ends (`restore`).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from agent_desktop.server.auth import hash_password
from agent_desktop.server.cluster import JOB_LOCK_CLASS, JOBS
from tests.helpers.cluster import Cluster, LiveClient
from tests.helpers.dbquery import query
from tests.helpers.postgres import create_database, drop_database
from tests.integration.messenger.conftest import bridge_env
from tests.integration.messenger.fake_graph import FakeGraph, FakeGraphServer

PASSWORD = "demo"
CLAIM_SECONDS = 3  # short claims: a dead instance's sends are taken over within seconds


@pytest.fixture(scope="package")
def fake_graph() -> Iterator[FakeGraph]:
    runner = FakeGraphServer()
    graph = runner.start()
    yield graph
    runner.stop()


@pytest.fixture(scope="package")
def cluster(tmp_path_factory: pytest.TempPathFactory, fake_graph: FakeGraph) -> Iterator[Cluster]:
    url = create_database("agent_desktop_cluster")
    made = Cluster(
        tmp_path_factory.mktemp("cluster"),
        url,
        instances=3,
        args=(
            "--allow-simulation",
            "--window-check-seconds",
            "0.5",
            "--claim-seconds",
            str(CLAIM_SECONDS),
        ),
        # One send in flight per instance (the SIGKILL test counts one claim on each).
        env={**bridge_env(fake_graph), "MESSENGER_SEND_CONCURRENCY": "1"},
    )
    made.start()
    try:
        yield made
    finally:
        made.stop()
        drop_database(url)


def restore(cluster: Cluster) -> None:
    """Every instance running again (after a test killed or stopped one)."""
    for proc in cluster.instances:
        if not proc.running:
            proc.start()


def make_agents(cluster: Cluster, count: int, prefix: str = "load") -> list[str]:
    """`count` new agent accounts (password "demo"), written to the database; their emails."""
    digest = hash_password(PASSWORD)
    emails = []
    for _ in range(count):
        tag = uuid.uuid4().hex[:10]
        email = f"{prefix}-{tag}@demo.test"
        query(
            cluster.database_url,
            "INSERT INTO agents (id, email, name, role, password_hash, presence, created_at) "
            "VALUES (?, ?, ?, 'agent', ?, 'offline', now())",
            f"a_{tag}",
            email,
            f"Agent {tag}",
            digest,
        )
        emails.append(email)
    return emails


def sign_in(cluster: Cluster, email: str = "agent@demo.test") -> str:
    with cluster.client() as http:
        r = http.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 201, r.text
    token: str = r.json()["token"]
    return token


def current_seq(cluster: Cluster) -> int:
    return int(query(cluster.database_url, "SELECT coalesce(max(seq), 0) FROM events")[0][0])


def job_holders(cluster: Cluster) -> dict[str, str]:
    """Which instance holds each singleton job's advisory lock now (PostgreSQL's pg_locks)."""
    rows = query(
        cluster.database_url,
        "SELECT l.objid, a.application_name FROM pg_locks l "
        "JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ? AND l.objsubid = 2 "
        "AND a.datname = current_database()",
        JOB_LOCK_CLASS,
    )
    names = {number: name for name, number in JOBS.items()}
    return {names[int(objid)]: str(app).rsplit(" ", 1)[-1] for objid, app in rows}


async def wait_for(predicate: Any, within: float, what: str) -> None:
    """Until `predicate()` is true (checked every 50 ms), or fail saying `what`."""
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def open_clients(cluster: Cluster, token: str, count: int, after: int) -> list[LiveClient]:
    clients = [LiveClient(cluster.ws_url, token, cluster.ssl) for _ in range(count)]
    for client in clients:
        client.start(after)
    for client in clients:
        await asyncio.wait_for(client.connected.wait(), 60)
    return clients


def server_threads(http: httpx.Client) -> dict[str, dict[str, Any]]:
    """Every thread as the server shows it now."""
    found: dict[str, dict[str, Any]] = {}
    params: dict[str, Any] = {
        "limit": 200,
        "assignee": "any",
        "status": "open,pending,resolved,spam",
    }
    while True:
        r = http.get("/threads", params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        found.update({t["id"]: t for t in body["items"]})
        if not body.get("next_cursor"):
            return found
        params = {**params, "cursor": body["next_cursor"]}
