"""Chatwoot payloads (models.py) turned into the client's types, and what Chatwoot cannot give.

Fields Chatwoot has no source for stay at their empty value and are listed in
`UNAVAILABLE_FIELDS`, so the interface can say "not available from Chatwoot" instead of showing
an invented number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Literal

from babel.numbers import get_currency_precision

from agent_desktop.backends.base import ProtocolError
from agent_desktop.backends.chatwoot.templates import from_chatwoot
from agent_desktop.core.clock import compute_waiting_since
from agent_desktop.core.metrics import MetricMessage
from agent_desktop.core.order_types import Customer, Order, Payment
from agent_desktop.core.reply_window import reply_window
from agent_desktop.core.types import (
    Agent,
    Attachment,
    Author,
    CustomerRef,
    DeliveryState,
    Message,
    Presence,
    ReplyWindow,
    Template,
    Thread,
    ThreadStatus,
)

if TYPE_CHECKING:
    from agent_desktop.backends.chatwoot.models import (
        CwAgent,
        CwCannedResponse,
        CwContact,
        CwConversation,
        CwMessage,
        CwShopifyOrder,
    )

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SPAM_LABEL = "spam"  # Chatwoot has no spam status: the connector marks spam with this label

# Per kind, the fields of our types that Chatwoot v4.10 does not provide (they stay empty).
UNAVAILABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "customer": ("locale", "lifetime_value", "currency", "order_count", "consent"),
    "order": (
        "number",
        "items",
        "subtotal",
        "shipping",
        "tax",
        "payment.method",
        "shipping_address",
        "shipment",
    ),
    "template": ("title", "language", "owner_id"),
    "thread": ("reply_window", "last_customer_message_at"),
    "agent": ("presence_since",),
    "metrics": (
        "counted",
        "responded",
        "pending",
        "response_rate",
        "fastest90_mean_seconds",
        "within_target_rate",
        "badge",
        "replies",
    ),
}


def unavailable_fields(kind: str) -> tuple[str, ...]:
    """The fields of `kind` ("customer", "order", "template", "thread", "agent", "metrics")
    that Chatwoot cannot fill; "metrics" applies when they come from Chatwoot's reports."""
    return UNAVAILABLE_FIELDS.get(kind, ())


# -- statuses, roles, presence ----------------------------------------------------------------

_STATUS_FROM_CW: dict[str, ThreadStatus] = {
    "open": "open",
    "pending": "pending",
    "snoozed": "pending",  # our model has no snoozed: it waits like pending
    "resolved": "resolved",
}
PRESENCE_TO_CW: dict[Presence, str] = {"online": "online", "away": "busy", "offline": "offline"}
_PRESENCE_FROM_CW: dict[str, Presence] = {"online": "online", "busy": "away", "offline": "offline"}


def status_from(conv: CwConversation) -> ThreadStatus:
    if SPAM_LABEL in conv.labels:
        return "spam"
    return _STATUS_FROM_CW.get(conv.status, "open")


def presence_from(value: str | None) -> Presence:
    return _PRESENCE_FROM_CW.get(value or "", "offline")


def role_from(value: str | None) -> Literal["agent", "lead"]:
    return "lead" if value == "administrator" else "agent"


def channel_from(value: str | None) -> str:
    """`Channel::FacebookPage` -> "messenger"; other channels in snake case ("web_widget")."""
    if not value:
        return "unknown"
    name = value.split("::")[-1]
    if name == "FacebookPage":
        return "messenger"
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# -- messages ----------------------------------------------------------------------------------


def is_human_agent(msg: CwMessage) -> bool:
    sender_type = (msg.sender_type or (msg.sender.type if msg.sender else None) or "").lower()
    return msg.message_type == 1 and sender_type == "user"


def author_kind(msg: CwMessage) -> Literal["customer", "agent", "automated", "system"]:
    if msg.message_type == 0:
        return "customer"
    if msg.message_type == 2:
        return "system"
    if is_human_agent(msg):
        return "agent"
    return "automated"  # templates (3), bots, campaigns and automation rules


_DELIVERY: dict[str, DeliveryState] = {
    "sent": "sent",
    "progress": "sent",
    "delivered": "delivered",
    "read": "read",
    "failed": "failed",
}


def message_from(msg: CwMessage, *, thread_id: str | None = None) -> Message:
    """One Chatwoot message as ours; `echo_id` becomes `client_id` (FINDINGS.md §2)."""
    if msg.created_at is None:
        raise ProtocolError("Chatwoot sent a message without a time.")
    conv_id = thread_id if thread_id is not None else msg.conversation_id
    if conv_id is None:
        raise ProtocolError("Chatwoot sent a message without its conversation.")
    attachments: list[Attachment] = []
    for att in msg.attachments:
        if not att.data_url:
            continue
        is_image = att.file_type == "image"
        attachments.append(
            Attachment(
                kind="image" if is_image else "file",
                url=att.data_url,
                name=att.data_url.rsplit("/", 1)[-1],
                width=att.width,
                height=att.height,
            )
        )
    text = msg.content or ""
    if msg.private:
        kind: Literal["text", "note", "image"] = "note"
    elif not text and any(a.kind == "image" for a in attachments):
        kind = "image"
    else:
        kind = "text"
    sender = msg.sender
    name = ""
    if sender is not None:
        name = sender.available_name or sender.name or ""
    author_id = msg.sender_id if msg.sender_id is not None else (sender.id if sender else None)
    delivery = _DELIVERY.get(msg.status or "sent", "sent")
    error = msg.content_attributes.get("external_error") if delivery == "failed" else None
    return Message(
        id=str(msg.id),
        thread_id=str(conv_id),
        client_id=msg.echo_id,
        author=Author(
            kind=author_kind(msg),
            id=None if author_id is None else str(author_id),
            name=name,
        ),
        kind=kind,
        text=text,
        attachments=attachments,
        delivery=delivery,
        error=str(error) if error else None,
        created_at=msg.created_at,
    )


def metric_message(msg: CwMessage) -> MetricMessage | None:
    """A message as the core metrics see it (None for messages without a time)."""
    if msg.created_at is None:
        return None
    author = author_kind(msg)
    sender = msg.sender_id if msg.sender_id is not None else (msg.sender.id if msg.sender else None)
    agent_id = str(sender) if author == "agent" and sender is not None else None
    return MetricMessage(
        at=msg.created_at,
        author=author,
        kind="note" if msg.private else "text",
        agent_id=agent_id,
    )


def last_customer_message_at(messages: Iterable[CwMessage]) -> datetime | None:
    times = [m.created_at for m in messages if m.message_type == 0 and m.created_at is not None]
    return max(times) if times else None


# -- conversations -----------------------------------------------------------------------------


def thread_from(
    conv: CwConversation,
    *,
    now: datetime,
    messages: Sequence[CwMessage] = (),
    last_incoming_at: datetime | None = None,
) -> Thread:
    """A conversation as a thread.

    `waiting_since` is Chatwoot's own field when the server sends it (v4.10 does); an older
    server's payload lacks it, and then it is computed from the messages at hand. `messages`
    and `last_incoming_at` add what the connector already knows of the conversation.
    """
    known = {m.id: m for m in (*conv.messages, *messages)}
    if conv.last_non_activity_message is not None:
        known.setdefault(conv.last_non_activity_message.id, conv.last_non_activity_message)
    ordered = sorted(known.values(), key=lambda m: (m.created_at or EPOCH, m.id))
    if conv.has_waiting_since:
        waiting = conv.waiting_since
    else:
        metric = [mm for mm in (metric_message(m) for m in ordered) if mm is not None]
        waiting = compute_waiting_since(metric)
    last_in = last_customer_message_at(ordered)
    if last_incoming_at is not None and (last_in is None or last_incoming_at > last_in):
        last_in = last_incoming_at
    channel = channel_from(conv.meta.channel)
    window = ReplyWindow()
    if channel == "messenger":
        if last_in is not None:
            window = reply_window(last_in, now)
        elif conv.can_reply is False:
            window = ReplyWindow(state="closed")
    shown = [m for m in ordered if m.message_type != 2] or ordered
    last_message = None
    if shown:
        try:
            last_message = message_from(shown[-1], thread_id=str(conv.id))
        except ProtocolError:
            last_message = None
    sender = conv.meta.sender
    customer = CustomerRef(
        id=str(sender.id) if sender else "",
        name=(sender.name or "") if sender else "",
        avatar_url=(sender.thumbnail or None) if sender else None,
    )
    assignee = conv.meta.assignee
    assignee_id = None
    if assignee is not None and (conv.meta.assignee_type or "User") == "User":
        assignee_id = str(assignee.id)
    updated = conv.updated_at or conv.last_activity_at or conv.timestamp or conv.created_at
    return Thread(
        id=str(conv.id),
        customer=customer,
        status=status_from(conv),
        assignee_id=assignee_id,
        last_message=last_message,
        waiting_since=waiting,
        unread=conv.unread_count,
        channel=channel,
        reply_window=window,
        last_customer_message_at=last_in,
        updated_at=updated or now,
    )


# -- contacts, orders, canned responses, agents -----------------------------------------------


def customer_from(contact: CwContact) -> Customer:
    locale = contact.additional_attributes.get("browser_language") or contact.custom_attributes.get(
        "locale"
    )
    return Customer(
        id=str(contact.id),
        name=contact.name or "",
        email=contact.email or None,
        phone=contact.phone_number or None,
        locale=str(locale) if isinstance(locale, str) and locale else "en",
        avatar_url=contact.thumbnail or None,
        customer_since=contact.created_at or contact.last_activity_at or EPOCH,
    )


def minor_units(amount: str | float | int | None, currency: str) -> int:
    """A decimal amount ("123.45") in the currency's minor units (12345); 0 when absent."""
    if amount is None:
        return 0
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return 0
    try:
        digits = get_currency_precision(currency)
    except (KeyError, ValueError):
        digits = 2
    return int((value * (10**digits)).to_integral_value())


def order_from(order: CwShopifyOrder, *, customer_id: str) -> Order:
    """A Shopify order summary as ours; what it lacks stays empty (see UNAVAILABLE_FIELDS)."""
    currency = (order.currency or "").upper() or "USD"
    return Order(
        id=str(order.id),
        number=order.name or "",
        customer_id=customer_id,
        placed_at=order.created_at or EPOCH,
        # Shopify's null fulfillment_status means "unfulfilled".
        status=order.fulfillment_status or "unfulfilled",
        currency=currency,
        items=[],
        subtotal=0,
        shipping=0,
        tax=0,
        total=minor_units(order.total_price, currency),
        payment=Payment(method="", status=order.financial_status or ""),
        shipping_address={},
        shipment=None,
    )


def template_from(canned: CwCannedResponse) -> Template:
    return Template(
        id=str(canned.id),
        shortcut=canned.short_code,
        title=canned.short_code,
        body=from_chatwoot(canned.content),
        scope="team",  # canned responses belong to the account
        updated_at=canned.updated_at,
    )


def agent_from(agent: CwAgent) -> Agent:
    return Agent(
        id=str(agent.id),
        name=agent.available_name or agent.name or "",
        email=agent.email or "",
        role=role_from(agent.role),
        presence=presence_from(agent.availability_status),
    )
