"""Reading through the Admin GraphQL API: a customer's whole history backfilled on first sight
(cursor pagination), periodic reconciliation catching a missed webhook, cost-based throttling
read from `throttleStatus`, and the client-credentials token."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.helpers.server_fixtures import login
from tests.integration.shopify.conftest import Store, start_server, wait_until
from tests.integration.shopify.fake_shopify import FakeShopify, FakeShopifyServer


@pytest.fixture
def small_bucket() -> Iterator[FakeShopify]:
    """A store with a development store's small bucket: 1,000 points, 400 back per second."""
    server = FakeShopifyServer(FakeShopify(bucket_max=1000.0, restore_rate=400.0))
    fake = server.start()
    yield fake
    server.stop()


def history(fake: FakeShopify, count: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    person = fake.make_customer("Théo", f"Garnier {uuid.uuid4().hex[:5]}")
    orders = [
        fake.make_order(person, created=datetime.now(UTC) - timedelta(days=30 * (i + 1)))
        for i in range(count)
    ]
    return person, orders


def test_backfill_on_first_sight_with_pagination_and_throttling(
    tmp_path_factory: pytest.TempPathFactory, small_bucket: FakeShopify
) -> None:
    fake = small_bucket
    server = start_server(tmp_path_factory.mktemp("shopify-backfill"), fake)
    try:
        store = Store(server, fake, login(server))
        person, orders = history(fake, 9)  # three pages of four
        assert store.send("customers/create", person).status_code == 200
        customer_id = wait_until(lambda: store.customer_id(person["email"]), what="the customer")

        def all_orders() -> bool:
            return len(store.get(f"/customers/{customer_id}/orders").json()["items"]) == 9

        wait_until(all_orders, timeout=40, what="the backfilled history")
        pages = fake.operations("CustomerOrders")
        assert len(pages) >= 3
        assert [p["variables"]["after"] is None for p in pages[:1]] == [True]
        assert all(p["variables"]["first"] == 4 for p in pages)
        # 850 points a page from a 1,000-point bucket: the client waits for the bucket to refill
        # (it learnt the cost and the bucket from throttleStatus) instead of being throttled
        # again and again.
        assert fake.throttled_responses <= 1
        stored = store.get(f"/customers/{customer_id}/orders").json()["items"]
        assert [o["number"] for o in stored] == [o["name"] for o in orders]  # newest first
    finally:
        server.stop()


def test_a_throttled_query_is_retried(
    tmp_path_factory: pytest.TempPathFactory, small_bucket: FakeShopify
) -> None:
    """Shopify answers THROTTLED (no data): the client waits what the bucket needs and asks
    again, and the order still arrives."""
    fake = small_bucket
    server = start_server(tmp_path_factory.mktemp("shopify-throttled"), fake)
    try:
        store = Store(server, fake, login(server))
        order = fake.make_order(fake.make_customer("Léo", "Petit"))
        fulfillment = fake.fulfill(order)
        with fake._lock:  # the bucket is empty when the connector asks, and refills slowly
            fake.restore_rate = 30.0
            fake._available, fake._at = 0.0, time.monotonic()
        store.send("fulfillments/create", fulfillment)  # an unknown order: read through the API
        store.wait_order(order["name"])
        assert fake.throttled_responses >= 1
        assert len(fake.operations("Order")) >= 2
    finally:
        server.stop()


def test_reconciliation_catches_a_missed_webhook(
    tmp_path_factory: pytest.TempPathFactory, fake_store: FakeShopify
) -> None:
    fake = fake_store
    person = fake.make_customer("Jade", f"Roux {uuid.uuid4().hex[:5]}")
    old = fake.make_order(person, created=datetime.now(UTC) - timedelta(days=400))
    old["updated_at"] = (datetime.now(UTC) - timedelta(days=300)).isoformat()
    recent = fake.make_order(person)
    server = start_server(
        tmp_path_factory.mktemp("shopify-reconcile"),
        fake,
        SHOPIFY_RECONCILE_MINUTES="0.01",  # every 0.6 s
        SHOPIFY_INITIAL_DAYS="30",
        SHOPIFY_BACKFILL="0",
    )
    try:
        store = Store(server, fake, login(server))
        store.wait_order(recent["name"])  # no webhook was ever sent for it
        assert store.order(old["name"]) is None  # older than the first reconciliation's window
        fulfillment = fake.fulfill(recent)  # the fulfillment webhook is lost
        stored = store.wait_order(recent["name"], lambda o: bool(o["shipments"]))
        assert stored["shipments"][0]["tracking_number"] == fulfillment["tracking_number"]
        queries = [q["variables"]["query"] for q in fake.operations("OrdersUpdatedSince")]
        assert len(set(queries)) >= 2  # the watermark moves
    finally:
        server.stop()


def test_client_credentials_token(
    tmp_path_factory: pytest.TempPathFactory, fake_store: FakeShopify
) -> None:
    fake = fake_store
    server = start_server(
        tmp_path_factory.mktemp("shopify-cc"),
        fake,
        SHOPIFY_ACCESS_TOKEN="",
        SHOPIFY_CLIENT_ID=fake.client_id,
    )
    try:
        store = Store(server, fake, login(server))
        order = fake.make_order(fake.make_customer("Nina", "Blanc"))
        store.send("fulfillments/create", fake.fulfill(order))
        store.wait_order(order["name"])
        assert fake.issued_tokens  # the connector asked for a token with the client id/secret
    finally:
        server.stop()
