"""An Admin GraphQL client that paces itself: it reads the cost bucket from every response's
`extensions.cost.throttleStatus` (its size is never assumed), waits before a query the bucket
cannot pay for, and retries a throttled query (`THROTTLED`, 429, 503, honouring `Retry-After`)
after the time the bucket needs to refill.

Authentication is the `X-Shopify-Access-Token` header: a custom app's token, or one obtained with
the client credentials grant (24 h tokens, renewed before they expire).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

import httpx

from agent_desktop.server.shop.shopify.config import ShopifyConfig

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
TOKEN_MARGIN = 300.0  # renew a client-credentials token this long before it expires
DEFAULT_COST = 50.0  # what a query is assumed to cost before Shopify has said


class ShopifyError(Exception):
    """Shopify could not be asked, or answered with an error; `str()` is a sentence.
    `transient`: asking again later may work (unreachable, throttled, a server error)."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass
class Bucket:
    """Shopify's leaky bucket as last reported: points available at `at` (monotonic time)."""

    maximum: float = 0.0
    available: float = 0.0
    restore_rate: float = 0.0
    at: float = 0.0

    def now_available(self) -> float:
        if not self.restore_rate:
            return self.available
        return min(self.maximum, self.available + (time.monotonic() - self.at) * self.restore_rate)

    def wait_for(self, cost: float) -> float:
        """Seconds to wait before a query of `cost` points can be paid (0 when it can)."""
        if not self.maximum or not self.restore_rate:
            return 0.0
        short = min(cost, self.maximum) - self.now_available()
        return max(0.0, short / self.restore_rate)

    def update(self, status: dict[str, Any]) -> None:
        try:
            self.maximum = float(status["maximumAvailable"])
            self.available = float(status["currentlyAvailable"])
            self.restore_rate = float(status["restoreRate"])
        except (KeyError, TypeError, ValueError):
            return
        self.at = time.monotonic()


class ShopifyClient:
    def __init__(self, config: ShopifyConfig, http: httpx.AsyncClient | None = None) -> None:
        self.config = config
        self.http = http or httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0))
        self.bucket = Bucket()
        self.costs: dict[str, float] = {}  # requested cost per operation, as Shopify reported
        self.throttled = 0  # how many times Shopify said THROTTLED (for logs and tests)
        self._token: str | None = config.access_token.reveal() if config.access_token else None
        self._token_expires = float("inf")
        self._token_lock = asyncio.Lock()
        self._pace = asyncio.Lock()

    async def aclose(self) -> None:
        await self.http.aclose()

    # --- authentication -----------------------------------------------------------------------

    async def _access_token(self, *, renew: bool = False) -> str:
        if self._token and not renew and time.monotonic() < self._token_expires - TOKEN_MARGIN:
            return self._token
        if self.config.access_token and not self.config.client_id:
            return self.config.access_token.reveal()
        async with self._token_lock:
            if self._token and not renew and time.monotonic() < self._token_expires - TOKEN_MARGIN:
                return self._token
            try:
                response = await self.http.post(
                    self.config.token_url,
                    data={
                        "grant_type": "client_credentials",
                        "client_id": self.config.client_id or "",
                        "client_secret": self.config.client_secret.reveal(),
                    },
                    headers={"Accept": "application/json"},
                )
            except httpx.HTTPError as exc:
                raise ShopifyError(
                    f"Shopify could not be reached ({type(exc).__name__}).", transient=True
                ) from exc
            if response.status_code != 200:
                raise ShopifyError(
                    f"Shopify refused the app's client id and secret (HTTP "
                    f"{response.status_code}); check SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET."
                )
            body = response.json()
            self._token = str(body["access_token"])
            self._token_expires = time.monotonic() + float(body.get("expires_in") or 86_400)
            return self._token

    # --- queries ------------------------------------------------------------------------------

    async def query(
        self, document: str, variables: dict[str, Any] | None = None, *, operation: str
    ) -> dict[str, Any]:
        """The `data` of a query or mutation; ShopifyError with a sentence otherwise. Mutations'
        userErrors are data: the caller reads them."""
        renewed = False
        for attempt in range(1, MAX_ATTEMPTS + 1):
            async with self._pace:
                wait = self.bucket.wait_for(self.costs.get(operation, DEFAULT_COST))
                if wait > 0:
                    log.info("Shopify: waiting %.2f s for the cost bucket (%s)", wait, operation)
                    await asyncio.sleep(wait)
            token = await self._access_token()
            try:
                response = await self.http.post(
                    self.config.graphql_url,
                    json={"query": document, "variables": variables or {}, "operationName": operation},
                    headers={"X-Shopify-Access-Token": token, "Accept": "application/json"},
                )  # fmt: skip
            except httpx.HTTPError as exc:
                if attempt == MAX_ATTEMPTS:
                    raise ShopifyError(
                        f"Shopify could not be reached ({type(exc).__name__}).", transient=True
                    ) from exc
                await asyncio.sleep(min(8.0, 0.5 * 2**attempt))
                continue
            if response.status_code == 401 and self.config.client_id and not renewed:
                await self._access_token(renew=True)
                renewed = True
                continue
            if response.status_code in (429, 503):
                await asyncio.sleep(_retry_after(response, attempt))
                continue
            if response.status_code in (401, 403):
                raise ShopifyError(
                    "Shopify refused the app's access (HTTP "
                    f"{response.status_code}): check its token and scopes (docs/SHOPS.md)."
                )
            if response.status_code >= 400:
                raise ShopifyError(
                    f"Shopify answered HTTP {response.status_code}.",
                    transient=response.status_code >= 500,
                )
            try:
                body = response.json()
            except ValueError:
                raise ShopifyError("Shopify's answer was not JSON.") from None
            cost = (body.get("extensions") or {}).get("cost") or {}
            if isinstance(cost.get("throttleStatus"), dict):
                self.bucket.update(cost["throttleStatus"])
            if cost.get("requestedQueryCost") is not None:
                self.costs[operation] = float(cost["requestedQueryCost"])
            errors = body.get("errors") or []
            if any(_code(e) == "THROTTLED" for e in errors):
                self.throttled += 1
                requested = float(
                    cost.get("requestedQueryCost") or self.costs.get(operation, DEFAULT_COST)
                )
                self.costs[operation] = requested
                await asyncio.sleep(max(0.05, self.bucket.wait_for(requested)))
                continue  # fmt: skip
            if errors:
                messages = "; ".join(str(e.get("message") or e) for e in errors[:3])
                raise ShopifyError(f"Shopify refused the request: {messages}")
            data = body.get("data")
            if not isinstance(data, dict):
                raise ShopifyError("Shopify's answer had no data.")
            return data
        raise ShopifyError(
            "Shopify kept asking to slow down; try again in a minute.", transient=True
        )


def _code(error: Any) -> str:
    if isinstance(error, dict):
        return str((error.get("extensions") or {}).get("code") or "")
    return ""


def _retry_after(response: httpx.Response, attempt: int) -> float:
    try:
        seconds = float(str(response.headers.get("retry-after", "")))
    except ValueError:
        return float(min(8.0, 0.5 * 2**attempt))
    return max(0.05, min(30.0, seconds))
