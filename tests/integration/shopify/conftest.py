"""Fixtures for the Shopify connector tests: the loopback fake store (Admin GraphQL API, token
endpoint, webhook sender) and the real reference server started with SHOPIFY_* pointing at it."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.server_fixtures import InProcessServer, ServerProcess, auth_headers, login
from tests.integration.shopify.fake_shopify import SHOP, FakeShopify, FakeShopifyServer


@contextmanager
def environ(values: dict[str, str]) -> Iterator[None]:
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


def shopify_env(fake: FakeShopify, **extra: str) -> dict[str, str]:
    return {
        "SHOPIFY_SHOP": SHOP,
        "SHOPIFY_ADMIN_URL": fake.origin,
        "SHOPIFY_ACCESS_TOKEN": fake.static_token,
        "SHOPIFY_CLIENT_SECRET": fake.secret,
        "SHOPIFY_RECONCILE_MINUTES": "0",
        **extra,
    }


def wait_until(check: Callable[[], Any], timeout: float = 20.0, what: str = "condition") -> Any:
    """Poll `check` until it returns something truthy (a condition, never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@dataclass
class Store:
    """The server with the Shopify connector on, the fake store, and a signed-in agent."""

    server: ServerProcess
    fake: FakeShopify
    token: str

    @property
    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.server.api, headers=auth_headers(self.token), timeout=15)

    def get(self, path: str, **params: Any) -> httpx.Response:
        with self.client as c:
            return c.get(path, params=params or None)

    def post(self, path: str, body: Any) -> httpx.Response:
        with self.client as c:
            return c.post(path, json=body)

    def send(self, topic: str, payload: Any, **kw: Any) -> httpx.Response:
        return self.fake.send(self.server.url, topic, payload, **kw)

    def customer_id(self, email: str) -> str | None:
        items = self.get("/customers", q=email).json()["items"]
        return str(items[0]["id"]) if items else None

    def order(self, number: str) -> dict[str, Any] | None:
        """The stored order with that number (through the customer search), or None."""
        found = self.get("/customers", q=number).json()["items"]
        for customer in found:
            for order in self.get(f"/customers/{customer['id']}/orders").json()["items"]:
                if order["number"] == number:
                    return dict(order)
        return None

    def wait_order(
        self,
        number: str,
        check: Callable[[dict[str, Any]], bool] = lambda o: True,
        timeout: float = 20.0,
    ) -> dict[str, Any]:
        def ready() -> dict[str, Any] | None:
            order = self.order(number)
            return order if order is not None and check(order) else None

        result: dict[str, Any] = wait_until(ready, timeout, f"order {number}")
        return result


@pytest.fixture(scope="module")
def fake_store() -> Iterator[FakeShopify]:
    server = FakeShopifyServer()
    fake = server.start()
    yield fake
    server.stop()


def start_server(workdir: Path, fake: FakeShopify, **env: str) -> ServerProcess:
    with environ(shopify_env(fake, **env)):
        server = InProcessServer(workdir, ("--seed-test",))
        server.start()
    return server


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, fake_store: FakeShopify) -> Iterator[Store]:
    server = start_server(tmp_path_factory.mktemp("shopify"), fake_store)
    yield Store(server, fake_store, login(server))
    server.stop()
