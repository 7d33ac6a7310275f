"""Fixtures for the Messenger bridge tests: a loopback fake Graph API, and the real reference server
(subprocess, `--seed-test`) started with MESSENGER_* pointing at it; helpers to sign and post
webhook payloads in Meta's format.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from agent_desktop.server.messenger.signature import sign
from tests.helpers.dbquery import query
from tests.helpers.server_fixtures import ServerProcess, auth_headers, login
from tests.integration.messenger.fake_graph import FakeGraph, FakeGraphServer

APP_SECRET = "test-app-secret-5f1c9e"
VERIFY_TOKEN = "test-verify-token-88d2"
PAGE_TOKEN = "EAAtestpagetoken0123456789"
APP_ID = "424242"
PAGE_ID = "1000001"
_mids = itertools.count(1)


@contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def new_mid() -> str:
    return f"m_test_{next(_mids)}_{time.monotonic_ns()}"


def text_item(psid: str, text: str, at: datetime, mid: str | None = None) -> dict[str, Any]:
    return {
        "sender": {"id": psid},
        "recipient": {"id": PAGE_ID},
        "timestamp": ms(at),
        "message": {"mid": mid or new_mid(), "text": text},
    }


def payload(*items: dict[str, Any], standby: bool = False) -> dict[str, Any]:
    key = "standby" if standby else "messaging"
    return {
        "object": "page",
        "entry": [{"id": PAGE_ID, "time": ms(datetime.now(UTC)), key: list(items)}],
    }


@dataclass
class Bridge:
    """The running server with the bridge on, the fake Graph API, and a signed-in agent."""

    server: ServerProcess
    graph: FakeGraph
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return auth_headers(self.token)

    def post_webhook(
        self, body: dict[str, Any] | bytes, signature: str | None = "valid"
    ) -> httpx.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if signature == "valid":
            headers["X-Hub-Signature-256"] = sign(raw, APP_SECRET)
        elif signature is not None:
            headers["X-Hub-Signature-256"] = signature
        return httpx.post(f"{self.server.url}/webhooks/messenger", content=raw, headers=headers)

    def deliver(self, *items: dict[str, Any], standby: bool = False) -> None:
        r = self.post_webhook(payload(*items, standby=standby))
        assert r.status_code == 200, r.text

    def sql(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        """One statement on the server's database (SQLite or PostgreSQL), committed."""
        return query(self.server.database_url, statement, *params)

    def thread_for(self, psid: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rows = self.sql("SELECT thread_id FROM messenger_threads WHERE psid = ?", psid)
            if rows:
                return str(rows[0][0])
            time.sleep(0.03)
        raise AssertionError(f"no thread for {psid}")

    def wait_inbox_drained(self, timeout: float = 10.0) -> None:
        """Until the bridge has processed every stored webhook delivery."""
        deadline = time.monotonic() + timeout
        query = "SELECT count(*) FROM messenger_inbox WHERE processed_at IS NULL"
        while self.sql(query)[0][0]:
            if time.monotonic() > deadline:
                raise AssertionError("the webhook inbox was not processed in time")
            time.sleep(0.05)

    def thread(self, thread_id: str) -> dict[str, Any]:
        r = httpx.get(f"{self.server.api}/threads/{thread_id}", headers=self.headers)
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()
        return data

    def messages(self, thread_id: str, limit: int = 200) -> list[dict[str, Any]]:
        """Oldest first."""
        r = httpx.get(
            f"{self.server.api}/threads/{thread_id}/messages",
            params={"limit": limit},
            headers=self.headers,
        )
        assert r.status_code == 200, r.text
        return list(reversed(r.json()["items"]))

    def wait_messages(
        self,
        thread_id: str,
        predicate: Callable[[list[dict[str, Any]]], bool],
        timeout: float = 10.0,
    ) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        found: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            found = self.messages(thread_id)
            if predicate(found):
                return found
            time.sleep(0.05)
        raise AssertionError(f"condition not met; messages: {found}")

    def wait_outbound(self, message_id: str, timeout: float = 10.0) -> tuple[str, str | None]:
        """The relay's final status ("sent" or "failed") and Meta's mid for a message."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rows = self.sql(
                "SELECT status, mid FROM messenger_outbound WHERE message_id = ?", message_id
            )
            if rows and rows[0][0] != "queued":
                return str(rows[0][0]), rows[0][1]
            time.sleep(0.03)
        raise AssertionError(f"message {message_id} was not relayed")

    def facts(self, thread_id: str) -> dict[str, Any]:
        r = httpx.get(f"{self.server.api}/threads/{thread_id}/messenger", headers=self.headers)
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()
        return data

    def wait_facts(
        self, thread_id: str, predicate: Callable[[dict[str, Any]], bool], timeout: float = 10.0
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        facts = self.facts(thread_id)
        while not predicate(facts):
            if time.monotonic() > deadline:
                raise AssertionError(f"condition not met; facts: {facts}")
            time.sleep(0.05)
            facts = self.facts(thread_id)
        return facts

    def reply(self, thread_id: str, text: str, client_id: str | None = None) -> httpx.Response:
        return httpx.post(
            f"{self.server.api}/threads/{thread_id}/messages",
            json={"client_id": client_id or new_mid(), "text": text, "kind": "reply"},
            headers=self.headers,
        )


def bridge_env(graph: FakeGraph) -> dict[str, str]:
    return {
        "MESSENGER_APP_SECRET": APP_SECRET,
        "MESSENGER_VERIFY_TOKEN": VERIFY_TOKEN,
        "MESSENGER_PAGE_TOKEN": PAGE_TOKEN,
        "MESSENGER_GRAPH_URL": graph.base_url,
        "MESSENGER_APP_ID": APP_ID,
        "MESSENGER_RETRY_BASE_SECONDS": "0.02",
        "MESSENGER_MEDIA_MAX_BYTES": "4096",
        "MESSENGER_PAGE_ID": PAGE_ID,
        "MESSENGER_HUMAN_AGENT": "true",
        "MESSENGER_UTILITY_MESSAGING": "true",
    }


@pytest.fixture(scope="package")
def fake_graph() -> Iterator[FakeGraph]:
    runner = FakeGraphServer()
    graph = runner.start()
    yield graph
    runner.stop()


@pytest.fixture(scope="package")
def bridge(fake_graph: FakeGraph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bridge]:
    proc = ServerProcess(tmp_path_factory.mktemp("messenger-server"), ("--seed-test",))
    with _environ(bridge_env(fake_graph)):
        proc.start()
    fake_graph.page_id = PAGE_ID
    fake_graph.app_secret = APP_SECRET
    fake_graph.webhook_url = f"{proc.url}/webhooks/messenger"
    try:
        yield Bridge(proc, fake_graph, login(proc))
    finally:
        fake_graph.webhook_url = None
        proc.stop()


@contextmanager
def started_bridge(graph: FakeGraph, workdir: Any, **env: str) -> Iterator[Bridge]:
    """Another server with the bridge on, its MESSENGER_* environment changed by `env` (a value
    of "" removes the variable)."""
    values = {**bridge_env(graph), **env}
    proc = ServerProcess(workdir, ("--seed-test",))
    saved = {k: os.environ.pop(k, None) for k, v in values.items() if not v}
    try:
        with _environ({k: v for k, v in values.items() if v}):
            proc.start()
    finally:
        for key, old in saved.items():
            if old is not None:
                os.environ[key] = old
    try:
        yield Bridge(proc, graph, login(proc))
    finally:
        proc.stop()
