"""The reference server as a shop sees it in the agent's-flow tests and benchmark (issue 21):
the lead (templates, assignment), the shop's own system through the ingest API (customers,
orders with a shipment), and customers who write (the simulation endpoint).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.helpers.server_fixtures import ServerProcess, alogin

LEAD_EMAIL = "lead@demo.test"


class Shop:
    """The server as the lead, the shop's own system (ingest API) and its customers see it."""

    def __init__(self, server: ServerProcess, lead_token: str, shop_token: str) -> None:
        self.server = server
        self.lead = httpx.AsyncClient(
            base_url=server.api, headers={"Authorization": f"Bearer {lead_token}"}, timeout=10
        )
        self.shop = httpx.AsyncClient(
            base_url=server.api, headers={"Authorization": f"Bearer {shop_token}"}, timeout=10
        )

    @classmethod
    async def open(cls, server: ServerProcess) -> Shop:
        lead_token = await alogin(server, LEAD_EMAIL)
        async with httpx.AsyncClient(base_url=server.api, timeout=10) as client:
            r = await client.post(
                "/integrations",
                json={"name": f"ERP {uuid.uuid4().hex[:6]}"},
                headers={"Authorization": f"Bearer {lead_token}"},
            )
        assert r.status_code == 201, r.text
        return cls(server, lead_token, r.json()["token"])

    async def aclose(self) -> None:
        await self.lead.aclose()
        await self.shop.aclose()

    async def template(self, shortcut: str, intent: str, body: str, language: str) -> str:
        r = await self.lead.post(
            "/templates",
            json={
                "shortcut": shortcut,
                "title": shortcut,
                "body": body,
                "language": language,
                "scope": "team",
                "intent": intent,
            },
        )
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    async def customer_with_orders(
        self, name: str, locale: str, orders: list[tuple[str, int, datetime | None]]
    ) -> str:
        """A shop customer with orders (number, days since placed, expected delivery)."""
        ext = f"C-{uuid.uuid4().hex[:8]}"
        r = await self.shop.put(f"/shop/customers/{ext}", json={"name": name, "locale": locale})
        assert r.status_code in (200, 201), r.text
        customer_id = str(r.json()["customer"]["id"])
        now = datetime.now(UTC)
        for number, days, eta in orders:
            body = {
                "number": f"#{number}",
                "customer_external_id": ext,
                "placed_at": (now - timedelta(days=days)).isoformat(),
                "status": "shipped",
                "currency": "EUR",
                "items": [{"sku": "LAMP", "title": "Lampe", "quantity": 1, "unit_price": 4900}],
                "subtotal": 4900,
                "shipping": 490,
                "total": 5390,
                "shipments": [
                    {
                        "carrier": "Colissimo",
                        "tracking_number": f"6A{number}",
                        "tracking_url": f"https://www.laposte.fr/outils/suivre-vos-envois?code=6A{number}",
                        "status": "in_transit",
                        "eta": eta.isoformat() if eta else None,
                    }
                ],
            }
            r = await self.shop.put(f"/shop/orders/O-{number}-{ext}", json=body)
            assert r.status_code in (200, 201), r.text
        return customer_id

    async def customer_asks(
        self, name: str, text: str, customer_id: str, waiting: timedelta
    ) -> str:
        """A new conversation: `name` writes `text` (`waiting` ago), linked to the shop customer."""
        async with httpx.AsyncClient(base_url=self.server.api, timeout=10) as client:
            r = await client.post(
                "/simulate/customer-message",
                json={
                    "customer_name": name,
                    "text": text,
                    "channel": "web",
                    "created_at": (datetime.now(UTC) - waiting).isoformat(),
                },
            )
        assert r.status_code == 201, r.text
        thread_id = str(r.json()["thread"]["id"])
        r = await self.lead.post(
            f"/threads/{thread_id}/customer", json={"customer_id": customer_id}
        )
        assert r.status_code == 200, r.text
        return thread_id

    async def unread(self, thread_id: str) -> int:
        r = await self.lead.get(f"/threads/{thread_id}")
        assert r.status_code == 200, r.text
        return int(r.json()["unread"])

    async def assign(self, thread_id: str, agent_id: str) -> None:
        r = await self.lead.post(f"/threads/{thread_id}/assignment", json={"agent_id": agent_id})
        assert r.status_code == 200, r.text

    async def agent_id(self, email: str) -> str:
        r = await self.lead.get("/agents")
        assert r.status_code == 200, r.text
        return next(str(a["id"]) for a in r.json()["items"] if a["email"] == email)

    async def messages(self, thread_id: str) -> list[dict[str, Any]]:
        r = await self.lead.get(f"/threads/{thread_id}/messages")
        assert r.status_code == 200, r.text
        items: list[dict[str, Any]] = r.json()["items"]
        return items
