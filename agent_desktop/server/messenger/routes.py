"""The bridge's HTTP surface, installed by the server's `create_app` through `install(app, ctx)`:
Meta's webhook (verification and deliveries), order messages, and the Messenger facts of a thread.

Without configuration (`config.load_config` returns None) nothing is installed, so every one of
these addresses answers 404.
"""

from __future__ import annotations

import hmac
import json
import os
import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agent_desktop.server import services
from agent_desktop.server.context import ServerContext
from agent_desktop.server.convert import customer_to_api, message_to_api, order_to_api, window_for
from agent_desktop.server.deps import Principal, current_agent, respond
from agent_desktop.server.errors import ApiError, error_response, not_found
from agent_desktop.server.messenger import orders as order_messages
from agent_desktop.server.messenger.bridge import ORDER_AUTHOR_NAME, MessengerBridge
from agent_desktop.server.messenger.config import load_config
from agent_desktop.server.messenger.policy import (
    STANDBY,
    PolicyRefusal,
    order_update_block_reason,
    order_update_decision,
    receipt_total_problems,
    reply_decision,
)
from agent_desktop.server.messenger.signature import verify_signature
from agent_desktop.server.messenger.tables import LinkRow
from agent_desktop.server.models import CustomerRow, MessageRow, OrderRow, ThreadRow, utcnow
from agent_desktop.server.openapi_errors import REPEATED, errors, plain_errors

Who = Annotated[Principal, Depends(current_agent)]
MAX_WEBHOOK_BYTES = 1024 * 1024
READY_TIMEOUT = 15.0  # seconds a request waits for the bridge's start-up

router = APIRouter()


def _bridge(request: Request) -> MessengerBridge:
    bridge: MessengerBridge = request.app.state.messenger
    return bridge


async def _ready_bridge(request: Request) -> MessengerBridge:
    bridge = _bridge(request)
    if not await bridge.wait_ready(READY_TIMEOUT):
        raise ApiError(503, "unavailable", "The Messenger bridge is not ready; try again shortly.")
    return bridge


# --- webhook ----------------------------------------------------------------------------------


@router.get("/webhooks/messenger", responses=plain_errors(403))
async def verify_webhook(
    request: Request,
    mode: Annotated[str, Query(alias="hub.mode")] = "",
    token: Annotated[str, Query(alias="hub.verify_token")] = "",
    challenge: Annotated[str, Query(alias="hub.challenge")] = "",
) -> Response:
    """Meta's subscription handshake: echo the challenge when the verify token matches."""
    expected = _bridge(request).config.verify_token.reveal()
    if mode == "subscribe" and hmac.compare_digest(token.encode(), expected.encode()):
        return PlainTextResponse(challenge)
    return PlainTextResponse("Verification failed.", status_code=403)


@router.post("/webhooks/messenger", responses=plain_errors(403, 413, 503))
async def receive_webhook(request: Request) -> Response:
    """Check the signature on the raw body, store the delivery durably, answer 200 at once."""
    bridge = _bridge(request)
    body = await request.body()
    if len(body) > MAX_WEBHOOK_BYTES:
        return PlainTextResponse("Payload too large.", status_code=413)
    header = request.headers.get("x-hub-signature-256")
    if not verify_signature(body, header, bridge.config.app_secret.reveal()):
        return PlainTextResponse("Invalid signature.", status_code=403)
    if not await bridge.wait_ready(READY_TIMEOUT):
        return PlainTextResponse("The Messenger bridge is starting; retry later.", status_code=503)
    await bridge.enqueue(body)
    return PlainTextResponse("EVENT_RECEIVED")


# --- order messages ---------------------------------------------------------------------------


class OrderMessageBody(BaseModel):
    client_id: str = Field(min_length=1, max_length=100)
    order_id: str = Field(min_length=1, max_length=40)
    kind: Literal["receipt", "shipping_update"]


ORDER_EVENTS = {"receipt": "placed", "shipping_update": "shipped"}


@router.post(
    "/api/v1/threads/{thread_id}/order-messages",
    status_code=201,
    responses={200: REPEATED, **errors(400, 401, 404, 409, 422, 503)},
)
async def send_order_message(
    thread_id: str, body: OrderMessageBody, who: Who, request: Request
) -> JSONResponse:
    """Send a receipt or a shipping update on a Messenger thread; idempotent on `client_id`."""
    bridge = await _ready_bridge(request)
    ctx = bridge.ctx
    try:
        async with ctx.write() as session:
            thread = await session.get(ThreadRow, thread_id)
            if thread is None:
                raise not_found("thread")
            existing = (
                await session.execute(
                    select(MessageRow).where(
                        MessageRow.thread_id == thread_id, MessageRow.client_id == body.client_id
                    )
                )
            ).scalar_one_or_none()
            if existing is not None:
                return respond(message_to_api(existing), 200)
            link = await session.get(LinkRow, thread_id)
            if link is None:
                raise ApiError(
                    409,
                    "not_messenger",
                    "This conversation did not come from Messenger, so order messages cannot "
                    "be sent in it.",
                )
            order_row = await session.get(OrderRow, body.order_id)
            if order_row is None or order_row.customer_id != thread.customer_id:
                raise not_found("order of this customer")
            customer_row = await session.get(CustomerRow, thread.customer_id)
            assert customer_row is not None  # the foreign key guarantees it
            if link.handover == "standby":
                raise ApiError(409, "standby", STANDBY)
            order = order_to_api(order_row)
            customer = await customer_to_api(session, customer_row)
            try:
                decision = order_update_decision(
                    thread.last_customer_message_at,
                    utcnow(),
                    consent_order_updates=customer.consent.order_updates,
                    allowed_tags=await bridge.allowed_tags(session),
                    order_tag=bridge.config.order_tag,
                )
            except PolicyRefusal as refusal:
                raise ApiError(409, refusal.code, refusal.reason) from None
            payload: dict[str, Any]
            if body.kind == "receipt":
                problems = receipt_total_problems(order)
                if problems:
                    raise ApiError(422, "receipt_mismatch", " ".join(problems))
                payload = order_messages.receipt_payload(
                    order,
                    customer,
                    order_url=order_messages.order_link(bridge.config.order_url, order),
                    public_url=bridge.config.public_url,
                )
                text = order_messages.receipt_card_text(order, customer.locale)
            else:
                shipping = order_messages.shipping_update_text(order, customer.locale)
                if shipping is None:
                    raise ApiError(
                        422, "not_shipped", "This order has not shipped yet: there is no tracking."
                    )
                payload = {"text": shipping}
                text = shipping
            message = await services.post_message(
                ctx,
                session,
                thread=thread,
                author_kind="automated",
                author_name=ORDER_AUTHOR_NAME,
                kind="order_event",
                text=text,
                order_id=order.id,
                order_event=ORDER_EVENTS[body.kind],
                client_id=body.client_id,
                tag=decision.tag,
                notify_outbound=False,
            )
            bridge.queue_send(session, message, link.psid, decision, payload)
            result = message_to_api(message)
    except IntegrityError:
        async with ctx.sessionmaker() as session:
            stored = (
                await session.execute(
                    select(MessageRow).where(
                        MessageRow.thread_id == thread_id, MessageRow.client_id == body.client_id
                    )
                )
            ).scalar_one_or_none()
        if stored is None:
            raise
        return respond(message_to_api(stored), 200)
    return respond(result, 201)


@router.get("/api/v1/threads/{thread_id}/messenger", responses=errors(400, 401, 404, 503))
async def messenger_facts(thread_id: str, who: Who, request: Request) -> JSONResponse:
    """What the client needs to explain disabled actions on a Messenger thread."""
    bridge = await _ready_bridge(request)
    async with bridge.ctx.sessionmaker() as session:
        thread = await session.get(ThreadRow, thread_id)
        if thread is None:
            raise not_found("thread")
        link = await session.get(LinkRow, thread_id)
        customer = await session.get(CustomerRow, thread.customer_id)
        tags = await bridge.allowed_tags(session)
    now = utcnow()
    reply_reason: str | None = None
    order_reason: str | None = None
    if link is None:
        reply_reason = order_reason = (
            "This conversation did not come from Messenger, so nothing is sent through Messenger."
        )
    elif link.handover == "standby":
        reply_reason = order_reason = STANDBY
    else:
        try:
            reply_decision(thread.last_customer_message_at, now, tags)
        except PolicyRefusal as refusal:
            reply_reason = refusal.reason
        order_reason = order_update_block_reason(
            thread.last_customer_message_at,
            now,
            consent_order_updates=bool(customer and customer.consent_order_updates),
            allowed_tags=tags,
            order_tag=bridge.config.order_tag,
        )
    return respond(
        {
            "thread_id": thread_id,
            "psid": link.psid if link else None,
            "handover": link.handover if link else None,
            "reply_window": window_for(thread, now).model_dump(mode="json"),
            "reply_block_reason": reply_reason,
            "order_update_block_reason": order_reason,
        }
    )


# --- read-only threads ------------------------------------------------------------------------

_SEND_PATH = re.compile(r"^/api/v1/threads/([^/]+)/messages/?$")


class StandbyGuard:
    """Refuses agent replies (409) on threads another app controls, before anything is stored.

    Only `POST /api/v1/threads/{id}/messages` with kind "reply" is inspected; notes pass.
    """

    def __init__(self, app: ASGIApp, bridge: MessengerBridge) -> None:
        self.app = app
        self.bridge = bridge

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = _SEND_PATH.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            more = bool(message.get("more_body"))
        body = b"".join(chunks)
        if await self._standby(match.group(1), body):
            response = error_response(409, "standby", STANDBY)
            await response(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _standby(self, thread_id: str, body: bytes) -> bool:
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return False
        if not isinstance(data, dict) or data.get("kind", "reply") != "reply":
            return False
        if not self.bridge.is_ready:
            return False
        async with self.bridge.ctx.sessionmaker() as session:
            link = await session.get(LinkRow, thread_id)
        return link is not None and link.handover == "standby"


# --- installation -----------------------------------------------------------------------------


def install(app: FastAPI, ctx: ServerContext) -> None:
    """Mount the bridge when it is configured (called by `create_app` inside the running loop).
    The server's settings ([messenger] in its configuration file, or MESSENGER_* variables)
    come first; a JSON file named by MESSENGER_CONFIG fills what they leave unset."""
    environ = dict(os.environ)
    environ.update({k: v for k, v in ctx.config.settings.as_environ("messenger").items()})
    config = load_config(environ)
    if config is None:
        return
    bridge = MessengerBridge(ctx, config)
    app.state.messenger = bridge
    from agent_desktop.server.shop.notify import order_notice_hook

    ctx.order_notice_hooks.append(order_notice_hook(bridge))  # order action results (issue 18)
    app.include_router(router)
    app.add_middleware(StandbyGuard, bridge=bridge)
    bridge.launch()
