"""Medusa v2's admin REST API, as the connector uses it: a secret API key in HTTP Basic
authentication, `fields` naming exactly what is read, offset pages ordered by `updated_at`.

Every call the connector makes is a method here (docs/SHOPS.md lists them). A refusal by Medusa
(4xx with `{"type", "message"}`) raises `MedusaError`; a Medusa that cannot be reached or fails
(network error, 5xx) raises `MedusaUnavailable`.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx

from agent_desktop.server.messenger.config import Secret

PAGE_SIZE = 50

# What an order is read with: totals, items with their fulfilment counts, the shipping address,
# fulfilments with their tracking labels, payments with captures and refunds, returns, customer.
ORDER_FIELDS = ",".join(
    (
        "id",
        "display_id",
        "status",
        "created_at",
        "updated_at",
        "canceled_at",
        "email",
        "currency_code",
        "customer_id",
        "total",
        "item_subtotal",
        "shipping_subtotal",
        "tax_total",
        "discount_total",
        "payment_status",
        "fulfillment_status",
        "summary",
        "items.id",
        "items.title",
        "items.subtitle",
        "items.product_title",
        "items.variant_sku",
        "items.variant_id",
        "items.quantity",
        "items.unit_price",
        "items.thumbnail",
        "items.detail.fulfilled_quantity",
        "items.detail.shipped_quantity",
        "items.detail.delivered_quantity",
        "items.detail.return_requested_quantity",
        "items.detail.return_received_quantity",
        "items.adjustments.code",
        "items.adjustments.amount",
        "*shipping_address",
        "fulfillments.id",
        "fulfillments.packed_at",
        "fulfillments.shipped_at",
        "fulfillments.delivered_at",
        "fulfillments.canceled_at",
        "fulfillments.created_at",
        "fulfillments.provider_id",
        "fulfillments.shipping_option.name",
        "fulfillments.items.line_item_id",
        "fulfillments.items.sku",
        "fulfillments.items.quantity",
        "fulfillments.labels.tracking_number",
        "fulfillments.labels.tracking_url",
        "payment_collections.id",
        "payment_collections.status",
        "payment_collections.payments.id",
        "payment_collections.payments.amount",
        "payment_collections.payments.provider_id",
        "payment_collections.payments.captured_at",
        "payment_collections.payments.canceled_at",
        "payment_collections.payments.captures.amount",
        "payment_collections.payments.refunds.id",
        "payment_collections.payments.refunds.amount",
        "payment_collections.payments.refunds.note",
        "payment_collections.payments.refunds.created_at",
        "returns.id",
        "returns.status",
        "returns.created_at",
        "returns.requested_at",
        "returns.received_at",
        "returns.canceled_at",
        # Return items give their quantities only when read whole.
        "*returns.items",
        "customer.id",
        "customer.email",
        "customer.first_name",
        "customer.last_name",
        "customer.phone",
        "customer.created_at",
        "customer.updated_at",
    )
)
CUSTOMER_FIELDS = "id,email,first_name,last_name,phone,company_name,created_at,updated_at"


class MedusaError(Exception):
    """Medusa refused a request (4xx). `message` is Medusa's own sentence."""

    def __init__(self, status: int, kind: str, message: str) -> None:
        super().__init__(f"{status} {kind}: {message}")
        self.status = status
        self.kind = kind
        self.message = message


class MedusaUnavailable(Exception):
    """Medusa could not be reached, or failed (5xx); `str()` says what happened."""


def iso(moment: datetime) -> str:
    """A time as Medusa's filters take it (UTC, milliseconds, `Z`)."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def number(amount: Decimal) -> int | float:
    """A decimal amount as the JSON number Medusa's validators take (whole amounts as ints)."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


class MedusaClient:
    """One Medusa server's admin API. `calls` counts the requests sent (for the status page and
    the tests)."""

    def __init__(
        self,
        url: str,
        api_key: Secret,
        *,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        token = base64.b64encode(f"{api_key.reveal()}:".encode()).decode()
        self._http = httpx.AsyncClient(
            base_url=url,
            timeout=timeout,
            transport=transport,
            headers={"Authorization": f"Basic {token}", "Accept": "application/json"},
            follow_redirects=False,
        )
        self.calls = 0

    async def aclose(self) -> None:
        await self._http.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        self.calls += 1
        try:
            response = await self._http.request(method, path, params=params, json=body)
        except httpx.HTTPError as exc:
            raise MedusaUnavailable(
                f"Medusa could not be reached ({type(exc).__name__}: {exc or 'no answer'})."
            ) from None
        if response.status_code >= 500:
            raise MedusaUnavailable(
                f"Medusa failed with HTTP {response.status_code} ({_message(response)})."
            )
        if response.status_code >= 400:
            kind, message = _error(response)
            raise MedusaError(response.status_code, kind, message)
        try:
            data = response.json() if response.content else {}
        except ValueError:
            raise MedusaUnavailable("Medusa answered with something that is not JSON.") from None
        if not isinstance(data, dict):
            raise MedusaUnavailable("Medusa answered with something that is not a JSON object.")
        return data

    # --- reading ------------------------------------------------------------------------------

    async def pages(
        self, path: str, key: str, params: dict[str, Any]
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """Every page of a list, oldest change first."""
        offset = 0
        while True:
            page = await self.request(
                "GET", path, params={**params, "limit": PAGE_SIZE, "offset": offset}
            )
            rows = page.get(key) or []
            if rows:
                yield rows
            offset += len(rows)
            if not rows or offset >= int(page.get("count") or 0):
                return

    async def _page(
        self, path: str, key: str, fields: str, since: datetime | None, offset: int
    ) -> list[dict[str, Any]]:
        params: dict[str, Any] = {
            "fields": fields,
            "order": "updated_at",
            "limit": PAGE_SIZE,
            "offset": offset,
        }
        if since is not None:
            params["updated_at[$gte]"] = iso(since)
        page = await self.request("GET", path, params=params)
        return list(page.get(key) or [])

    async def orders_page(self, since: datetime | None, offset: int = 0) -> list[dict[str, Any]]:
        """Up to PAGE_SIZE orders changed at or after `since` (all when None), oldest change
        first, skipping `offset`."""
        return await self._page("/admin/orders", "orders", ORDER_FIELDS, since, offset)

    async def customers_page(self, since: datetime | None, offset: int = 0) -> list[dict[str, Any]]:
        return await self._page("/admin/customers", "customers", CUSTOMER_FIELDS, since, offset)

    def orders_created_since(self, since: datetime) -> AsyncIterator[list[dict[str, Any]]]:
        """Pages of orders placed at or after `since` (reconciliation), oldest first."""
        params = {"fields": ORDER_FIELDS, "order": "created_at", "created_at[$gte]": iso(since)}
        return self.pages("/admin/orders", "orders", params)

    async def order(self, order_id: str) -> dict[str, Any]:
        data = await self.request(
            "GET", f"/admin/orders/{order_id}", params={"fields": ORDER_FIELDS}
        )
        order: dict[str, Any] = data["order"]
        return order

    async def return_shipping_options(self) -> list[dict[str, Any]]:
        """The shipping options whose `is_return` rule is true (Medusa 2.21 answers 500 to the
        `is_return` filter of this list, so the rules are read and checked here)."""
        data = await self.request(
            "GET",
            "/admin/shipping-options",
            params={"fields": "id,name,service_zone_id,*rules", "limit": 100},
        )
        return [
            option
            for option in data.get("shipping_options") or []
            if any(
                rule.get("attribute") == "is_return" and str(rule.get("value")) == "true"
                for rule in option.get("rules") or []
            )
        ]

    # --- actions --------------------------------------------------------------------------------

    async def cancel_order(self, order_id: str) -> None:
        await self.request("POST", f"/admin/orders/{order_id}/cancel", params={"fields": "id"})

    async def refund_payment(self, payment_id: str, amount: Decimal, note: str) -> None:
        await self.request(
            "POST",
            f"/admin/payments/{payment_id}/refund",
            params={"fields": "id"},
            body={"amount": number(amount), "note": note},
        )

    async def update_shipping_address(self, order_id: str, address: dict[str, Any]) -> None:
        await self.request(
            "POST",
            f"/admin/orders/{order_id}",
            params={"fields": "id"},
            body={"shipping_address": address},
        )

    async def begin_return(
        self, order_id: str, *, description: str, location_id: str | None, no_notification: bool
    ) -> str:
        """A return in Medusa's `open` state (not yet requested); returns its id."""
        body: dict[str, Any] = {
            "order_id": order_id,
            "description": description,
            "no_notification": no_notification,
        }
        if location_id:
            body["location_id"] = location_id
        data = await self.request("POST", "/admin/returns", params={"fields": "id"}, body=body)
        return str(data["return"]["id"])

    async def add_return_items(self, return_id: str, items: Sequence[dict[str, Any]]) -> None:
        await self.request(
            "POST",
            f"/admin/returns/{return_id}/request-items",
            params={"fields": "id"},
            body={"items": list(items)},
        )

    async def add_return_shipping(self, return_id: str, option_id: str) -> None:
        await self.request(
            "POST",
            f"/admin/returns/{return_id}/shipping-method",
            params={"fields": "id"},
            body={"shipping_option_id": option_id},
        )

    async def request_return(self, return_id: str, *, no_notification: bool) -> dict[str, Any]:
        data = await self.request(
            "POST",
            f"/admin/returns/{return_id}/request",
            params={"fields": "id,status"},
            body={"no_notification": no_notification},
        )
        ret: dict[str, Any] = data.get("return") or {}
        return ret

    async def drop_return(self, return_id: str) -> None:
        """Throw away a return that was begun but not requested."""
        await self.request("DELETE", f"/admin/returns/{return_id}/request")


def _error(response: httpx.Response) -> tuple[str, str]:
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        kind = str(data.get("type") or data.get("code") or "error")
        message = str(data.get("message") or "").strip()
        return kind, message or response.reason_phrase
    return "error", response.reason_phrase or f"HTTP {response.status_code}"


def _message(response: httpx.Response) -> str:
    return _error(response)[1]
