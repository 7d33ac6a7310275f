"""The bridge's HTTP surface, installed by the server's `create_app` through `install(app, ctx)`:
Meta's webhook (verification and deliveries), order messages (structured inside the window, utility
messages outside it), the Messenger facts of a thread, the Page's sending state, and the Page's
utility templates (team leads manage them: `routes_templates.py`); `reply_guard.py` refuses the
replies the rules forbid. docs/MESSENGER.md and docs/API.md describe each.

Without configuration (`config.load_config` returns None) nothing is installed, so every one of
these addresses answers 404.
"""

from __future__ import annotations

import hmac
import os
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from agent_desktop.core.messenger_rules import retired_tags, rules_on
from agent_desktop.core.messenger_types import MessengerFacts, MessengerPage
from agent_desktop.server import services
from agent_desktop.server.context import ServerContext
from agent_desktop.server.convert import customer_to_api, message_to_api, order_to_api, window_for
from agent_desktop.server.deps import Who, require_lead, respond
from agent_desktop.server.errors import ApiError, get_or_404, not_found
from agent_desktop.server.messenger import orders as order_messages
from agent_desktop.server.messenger import utility
from agent_desktop.server.messenger.bridge import ORDER_AUTHOR_NAME, MessengerBridge
from agent_desktop.server.messenger.config import load_config
from agent_desktop.server.messenger.policy import (
    NOT_MESSENGER,
    Facts,
    OrderKind,
    PolicyRefusal,
    order_update_block,
    order_update_decision,
    receipt_total_problems,
    reply_block,
    reply_decision,
)
from agent_desktop.server.messenger.reply_guard import ReplyGuard
from agent_desktop.server.messenger.signature import verify_signature
from agent_desktop.server.messenger.tables import LinkRow
from agent_desktop.server.models import CustomerRow, MessageRow, OrderRow, ThreadRow, utcnow
from agent_desktop.server.openapi_errors import REPEATED, errors, plain_errors

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
KINDS: tuple[OrderKind, ...] = ("receipt", "shipping_update")


def _refusal_error(refusal: PolicyRefusal) -> ApiError:
    return ApiError(409, refusal.code, refusal.reason)


@router.post(
    "/api/v1/threads/{thread_id}/order-messages",
    status_code=201,
    responses={200: REPEATED, **errors(400, 401, 404, 409, 422, 503)},
)
async def send_order_message(
    thread_id: str, body: OrderMessageBody, who: Who, request: Request
) -> JSONResponse:
    """Send a receipt or a shipping update on a Messenger thread; idempotent on `client_id`.

    Inside the standard window it is the structured receipt or the shipping text (RESPONSE);
    outside it, a utility message from the Page's approved template with the order's values, for
    a customer who agreed to order updates. Never a message tag."""
    bridge = await _ready_bridge(request)
    ctx = bridge.ctx
    try:
        async with ctx.write() as session:
            thread = await get_or_404(session, ThreadRow, thread_id, "thread")
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
            order = order_to_api(order_row)
            customer = await customer_to_api(session, customer_row)
            facts = await bridge.facts(session, thread, link, customer_row)
            try:
                decision = order_update_decision(facts, utcnow(), body.kind)
            except PolicyRefusal as refusal:
                raise _refusal_error(refusal) from None
            payload: dict[str, Any]
            purpose = "order"
            if decision.messaging_type == "UTILITY":
                template = await bridge.templates.choose(session, body.kind, customer.locale)
                if template is None:  # approved_templates said otherwise a moment ago
                    raise ApiError(409, "no_template", "No approved template for this update.")
                try:
                    payload, texts = utility.utility_message(
                        {
                            "name": template.name,
                            "language": template.language,
                            "fields": template.fields,
                        },
                        order,
                        customer,
                    )
                except utility.MissingValue as exc:
                    raise ApiError(422, "missing_value", str(exc)) from None
                text = utility.filled_text(template.body, texts)
                purpose = "utility"
            elif body.kind == "receipt":
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
                tag=None,
                notify_outbound=False,
            )
            bridge.outbox.queue_send(session, message, link.psid, decision, payload, purpose)
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


def _block(refusal: PolicyRefusal | None) -> dict[str, Any] | None:
    return refusal.as_dict() if refusal is not None else None


def _referral_to_api(link: LinkRow) -> dict[str, Any] | None:
    ref = link.referral
    if not isinstance(ref, dict):
        return None
    context = ref.get("ads_context_data")
    ads: dict[str, Any] = context if isinstance(context, dict) else {}
    return {
        "source": ref.get("source"),
        "type": ref.get("type"),
        "ref": ref.get("ref"),
        "ad_id": str(ref["ad_id"]) if ref.get("ad_id") is not None else None,
        "ad_title": ads.get("ad_title"),
        "photo_url": ads.get("photo_url"),
        "post_id": ads.get("post_id"),
        "product_id": ads.get("product_id"),
        "at": link.referral_at.isoformat() if link.referral_at else None,
    }


def _permissions(bridge: MessengerBridge) -> dict[str, bool]:
    return {
        "human_agent": bridge.config.human_agent,
        "utility_messaging": bridge.config.utility_messaging,
    }


@router.get("/api/v1/threads/{thread_id}/messenger", responses=errors(400, 401, 404, 503))
async def messenger_facts(thread_id: str, who: Who, request: Request) -> JSONResponse:
    """What the client needs to explain disabled actions on a Messenger thread: its window,
    who answers it, the ad that brought it, why a reply or each kind of order update is blocked
    (a code the client words in its language, and an English sentence), and the Page's state."""
    bridge = await _ready_bridge(request)
    now = utcnow()
    async with bridge.ctx.sessionmaker() as session:
        thread = await get_or_404(session, ThreadRow, thread_id, "thread")
        link = await session.get(LinkRow, thread_id)
        page = await bridge.page_state(session)
        facts: Facts | None = None
        if link is not None:
            facts = await bridge.facts(session, thread, link)
    order_updates: dict[str, Any] = {}
    owner: dict[str, Any] = {"kind": "us", "app_id": None}
    reply: dict[str, Any] | None
    reply_tag: str | None = None
    if facts is None or link is None:
        not_ours = PolicyRefusal(NOT_MESSENGER, "not_messenger")
        reply = _block(not_ours)
        for kind in KINDS:
            order_updates[kind] = {"via": None, "block": _block(not_ours)}
    else:
        owner = {"kind": facts.owner.kind, "app_id": facts.owner.app_id}
        refusal = reply_block(facts, now)
        reply = _block(refusal)
        if refusal is None:
            reply_tag = reply_decision(facts, now).tag
        for kind in KINDS:
            blocked = order_update_block(facts, now, kind)
            via = None
            if blocked is None:
                decided = order_update_decision(facts, now, kind)
                via = "utility" if decided.messaging_type == "UTILITY" else "response"
            order_updates[kind] = {"via": via, "block": _block(blocked)}
    blocks = [u["block"] for u in order_updates.values()]
    common = blocks[0]["message"] if all(blocks) and blocks[0] else None
    facts_api = MessengerFacts.model_validate(
        {
            "thread_id": thread_id,
            "psid": link.psid if link else None,
            "handover": link.handover if link else None,
            "owner": owner,
            "reply_window": window_for(thread, now).model_dump(mode="json"),
            "standard_window_until": thread.standard_window_until.isoformat()
            if thread.standard_window_until
            else None,
            "referral": _referral_to_api(link) if link else None,
            "reply_block": reply,
            "reply_block_reason": reply["message"] if reply else None,
            "reply_tag": reply_tag,
            "order_updates": order_updates,
            "order_update_block_reason": common,
            "page": page,
            "permissions": _permissions(bridge),
        }
    )
    return respond(facts_api)


# --- the Page: sending state, rules, utility templates ----------------------------------------


def _rules_to_api(now: Any) -> dict[str, Any]:
    rules = rules_on(now)
    return {
        "since": rules.since.isoformat(),
        "source": rules.source,
        "standard_window_hours": rules.standard_window.total_seconds() / 3600,
        "ad_standard_window_days": rules.ad_standard_window.days
        if rules.ad_standard_window
        else None,
        "human_agent_window_days": rules.human_agent_window.days,
        "tags": sorted(rules.tags),
        "retired_tags": {tag: day.isoformat() for tag, day in retired_tags(now).items()},
        "utility_messages": rules.utility_messages,
        "text_per_second": rules.text_per_second,
        "media_per_second": rules.media_per_second,
        "sends_per_engaged_user_per_day": rules.sends_per_engaged_user_per_day,
    }


@router.get("/api/v1/messenger", responses=errors(401, 503))
async def messenger_page(who: Who, request: Request) -> JSONResponse:
    """The Page's sending state (paused after 10/1893063), its permissions and today's rules."""
    bridge = await _ready_bridge(request)
    async with bridge.ctx.sessionmaker() as session:
        page = await bridge.page_state(session)
        approved = sorted(await bridge.templates.approved_purposes(session))
    return respond(
        MessengerPage.model_validate(
            {
                "page": page,
                "permissions": _permissions(bridge),
                "approved_templates": approved,
                "rules": _rules_to_api(utcnow()),
            }
        )
    )


@router.post("/api/v1/messenger/resume", status_code=202, responses=errors(401, 403, 503))
async def resume_sending(who: Who, request: Request) -> JSONResponse:
    """A team lead asks to try sending again now (one message goes; the rest follow if Meta
    accepts it)."""
    bridge = await _ready_bridge(request)
    require_lead(who, "try sending again")
    await bridge.try_now()
    async with bridge.ctx.sessionmaker() as session:
        page = await bridge.page_state(session)
    return respond({"page": page}, 202)


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
    from agent_desktop.server.messenger import routes_templates  # it imports this module

    app.include_router(router)
    app.include_router(routes_templates.router)
    app.add_middleware(ReplyGuard, bridge=bridge)
    bridge.launch()
