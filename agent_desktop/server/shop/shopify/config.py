"""The Shopify connector's settings (docs/SHOPS.md): the shop, how to authenticate, the webhook
secret, and how often to reconcile. The connector is on when the shop's domain and either an
access token or a client id and secret are set.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agent_desktop.server.messenger.config import Secret

API_VERSION = "2026-10"
ENV_KEYS = {
    "shop": "SHOPIFY_SHOP",
    "access_token": "SHOPIFY_ACCESS_TOKEN",
    "client_id": "SHOPIFY_CLIENT_ID",
    "client_secret": "SHOPIFY_CLIENT_SECRET",
    "api_version": "SHOPIFY_API_VERSION",
    "admin_url": "SHOPIFY_ADMIN_URL",
    "reconcile_minutes": "SHOPIFY_RECONCILE_MINUTES",
    "initial_days": "SHOPIFY_INITIAL_DAYS",
    "backfill": "SHOPIFY_BACKFILL",
}
_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$")


class ShopifyConfigError(ValueError):
    """A setting that cannot be used (one sentence naming it)."""


@dataclass(frozen=True, slots=True)
class ShopifyConfig:
    shop: str  # xxx.myshopify.com
    access_token: Secret | None
    client_id: str | None
    client_secret: Secret  # signs webhooks; with client_id, also gets access tokens
    api_version: str = API_VERSION
    admin_url: str = ""  # https://{shop}; a loopback fake's origin in tests
    reconcile_seconds: float = 900.0
    initial_days: int = 60
    backfill: bool = True

    @property
    def origin(self) -> str:
        return (self.admin_url or f"https://{self.shop}").rstrip("/")

    @property
    def graphql_url(self) -> str:
        return f"{self.origin}/admin/api/{self.api_version}/graphql.json"

    @property
    def token_url(self) -> str:
        return f"{self.origin}/admin/oauth/access_token"

    def secret_values(self) -> tuple[str, ...]:
        values = [self.client_secret.reveal()]
        if self.access_token:
            values.append(self.access_token.reveal())
        return tuple(v for v in values if v)


def _flag(value: Any) -> bool:
    return str(value).strip().lower() not in ("0", "false", "no", "off", "")


def load_config(values: Mapping[str, Any] | None = None) -> ShopifyConfig | None:
    """The connector's settings from `values` (keys as in ENV_KEYS, e.g. from the [shopify]
    section of the server's configuration), else from the SHOPIFY_* environment variables;
    None when the connector is not configured."""
    if values is None:
        values = {k: os.environ[v] for k, v in ENV_KEYS.items() if os.environ.get(v)}
    shop = str(values.get("shop") or "").strip().lower()
    shop = shop.removeprefix("https://").rstrip("/")
    if not shop:
        return None
    token = str(values.get("access_token") or "")
    client_id = str(values.get("client_id") or "")
    secret = str(values.get("client_secret") or "")
    if not _DOMAIN.match(shop):
        raise ShopifyConfigError(
            f"SHOPIFY_SHOP must be the shop's myshopify.com domain (such as "
            f"your-shop.myshopify.com), not '{shop}'."
        )
    if not secret:
        raise ShopifyConfigError(
            "SHOPIFY_CLIENT_SECRET is required: it is the key Shopify signs webhooks with."
        )
    if not token and not client_id:
        raise ShopifyConfigError(
            "Set SHOPIFY_ACCESS_TOKEN (an admin-created custom app's token), or SHOPIFY_CLIENT_ID "
            "with SHOPIFY_CLIENT_SECRET (a Dev Dashboard app on your own store)."
        )
    try:
        minutes = float(values.get("reconcile_minutes") or 15)
        days = int(values.get("initial_days") or 60)
    except ValueError:
        raise ShopifyConfigError(
            "SHOPIFY_RECONCILE_MINUTES and SHOPIFY_INITIAL_DAYS must be numbers."
        ) from None
    return ShopifyConfig(
        shop=shop,
        access_token=Secret(token) if token else None,
        client_id=client_id or None,
        client_secret=Secret(secret),
        api_version=str(values.get("api_version") or API_VERSION),
        admin_url=str(values.get("admin_url") or ""),
        reconcile_seconds=max(0.0, minutes * 60),
        initial_days=max(0, days),
        backfill=_flag(values.get("backfill", "1")),
    )
