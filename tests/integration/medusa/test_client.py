"""The connector's Medusa client against a real Medusa 2.21: what it reads and how Medusa's
refusals come back."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from agent_desktop.server.medusa.client import MedusaClient, MedusaError, MedusaUnavailable
from agent_desktop.server.messenger.config import Secret
from tests.integration.medusa.conftest import Medusa


def _client(medusa: Medusa, key: str | None = None) -> MedusaClient:
    return MedusaClient(medusa.url, Secret(key or medusa.api_key), timeout=60)


def _email(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:8]}@example.test"


async def test_an_order_placed_in_the_store_is_read_with_items_totals_and_customer(
    medusa: Medusa,
) -> None:
    email = _email("client-read")
    placed = medusa.place_order(email, "Ana", "Souza", [("MUG-BLUE", 2), ("TOWEL-IND", 1)])
    client = _client(medusa)
    try:
        order = await client.order(placed["id"])
        assert order["display_id"] == placed["display_id"]
        assert order["email"] == email
        assert order["currency_code"] == "eur"
        lines = {i["variant_sku"]: (i["quantity"], i["unit_price"]) for i in order["items"]}
        assert lines == {"MUG-BLUE": (2, 18), "TOWEL-IND": (1, 14)}
        assert (order["item_subtotal"], order["shipping_subtotal"], order["total"]) == (50, 5, 55)
        assert order["customer"]["first_name"] == "Ana"
        assert order["shipping_address"]["city"] == "Lyon"
        assert order["payment_collections"][0]["payments"][0]["provider_id"] == (
            "pp_system_default"
        )
        assert order["fulfillments"] == [] and order["returns"] == []
    finally:
        await client.aclose()


async def test_changed_since_reads_orders_oldest_change_first(medusa: Medusa) -> None:
    client = _client(medusa)
    try:
        everything = []
        while page := await client.orders_page(None, len(everything)):
            everything += page
        ids = [o["id"] for o in everything]
        assert len(ids) == len(set(ids)) >= len(medusa.state["orders"])
        assert {o["id"] for o in medusa.state["orders"]} <= set(ids)
        stamps = [o["updated_at"] for o in everything]
        assert stamps == sorted(stamps)
        newest = max(datetime.fromisoformat(s.replace("Z", "+00:00")) for s in stamps)
        assert {o["id"] for o in await client.orders_page(newest)} >= {everything[-1]["id"]}
        assert await client.orders_page(datetime.now(UTC) + timedelta(days=1)) == []
        customers = await client.customers_page(None)
        assert {"elodie.marchand@example.test", "jonas.weber@example.test"} <= {
            c["email"] for c in customers
        }
    finally:
        await client.aclose()


async def test_refusals_come_back_as_medusa_errors_with_medusas_sentence(medusa: Medusa) -> None:
    placed = medusa.place_order(_email("client-refuse"), "Lee", "Kim", [("TEAPOT-1L", 1)])
    client = _client(medusa)
    try:
        order = await client.order(placed["id"])
        payment = order["payment_collections"][0]["payments"][0]["id"]
        with pytest.raises(MedusaError) as refused:
            await client.refund_payment(payment, Decimal(10), "not captured yet")
        assert refused.value.status == 400
        assert "captured" in refused.value.message
        await client.cancel_order(placed["id"])
        with pytest.raises(MedusaError) as again:
            await client.cancel_order(placed["id"])
        assert "canceled" in again.value.message
        with pytest.raises(MedusaError) as missing:
            await client.order("order_does_not_exist")
        assert missing.value.status == 404
    finally:
        await client.aclose()


async def test_a_wrong_key_is_refused_and_a_closed_port_is_unavailable(medusa: Medusa) -> None:
    client = _client(medusa, "sk_not_a_real_key")
    try:
        with pytest.raises(MedusaError) as refused:
            await client.order(medusa.state["orders"][0]["id"])
        assert refused.value.status == 401
    finally:
        await client.aclose()
    from agent_desktop.loopback import free_port

    closed = MedusaClient(f"http://127.0.0.1:{free_port()}", Secret("sk_x"), timeout=5)
    try:
        with pytest.raises(MedusaUnavailable):
            await closed.order("order_x")
    finally:
        await closed.aclose()
