"""Shopify's webhook, `POST /webhooks/shopify`: the HMAC-SHA256 of the raw body with the app's
client secret is checked first (401 and nothing stored when it does not match); the delivery is
then stored durably under its `X-Shopify-Webhook-Id` (a duplicate is dropped there) and answered
at once; the connector's worker applies it afterwards.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from agent_desktop.server.shop.shopify.connector import TOPICS, ShopifyConnector

router = APIRouter()
_TEXT = {"text/plain": {"schema": {"type": "string"}}}
RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"description": text, "content": _TEXT}
    for status, text in (
        (400, "The Shopify headers (topic, webhook id) are missing."),
        (401, "The HMAC signature does not match the app's client secret."),
        (413, "The delivery is larger than the server accepts."),
        (503, "The connector is starting; Shopify retries later."),
    )
}
MAX_WEBHOOK_BYTES = 2 * 1024 * 1024
READY_TIMEOUT = 15.0


def signature(body: bytes, secret: str) -> str:
    """Shopify's X-Shopify-Hmac-Sha256 of a body: base64 of its HMAC-SHA256."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def verify(body: bytes, header: str | None, secret: str) -> bool:
    if not header or not secret:
        return False
    return hmac.compare_digest(signature(body, secret).encode(), header.strip().encode())


def _connector(request: Request) -> ShopifyConnector:
    connector: ShopifyConnector = request.app.state.shopify
    return connector


@router.post("/webhooks/shopify", responses=RESPONSES)
async def receive(request: Request) -> Response:
    connector = _connector(request)
    body = await request.body()
    if len(body) > MAX_WEBHOOK_BYTES:
        return PlainTextResponse("Payload too large.", status_code=413)
    headers = request.headers  # case-insensitive: HTTP/2 lowercases them
    mac = headers.get("x-shopify-hmac-sha256") or headers.get("shopify-hmac-sha256")
    if not verify(body, mac, connector.config.client_secret.reveal()):
        return PlainTextResponse("Invalid signature.", status_code=401)
    topic = (headers.get("x-shopify-topic") or headers.get("shopify-topic") or "").strip()
    delivery = (
        headers.get("x-shopify-webhook-id") or headers.get("shopify-webhook-id") or ""
    ).strip()
    if not topic or not delivery:
        return PlainTextResponse("X-Shopify-Topic and X-Shopify-Webhook-Id are required.", 400)
    if topic not in TOPICS:
        return PlainTextResponse("Topic not used; ignored.")  # 200: Shopify must not retry it
    if not await connector.wait_ready(READY_TIMEOUT):
        return PlainTextResponse("The Shopify connector is starting; retry later.", 503)
    stored = await connector.enqueue(topic, delivery[:200], body.decode("utf-8", errors="replace"))
    return PlainTextResponse("OK" if stored else "Duplicate delivery; already received.")
