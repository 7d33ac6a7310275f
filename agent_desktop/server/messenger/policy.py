"""Messenger's sending rules as plain functions: which messaging type and tag a send needs,
when the server must refuse before sending, the order-update consent rule, and the receipt check.

Every refusal carries a sentence the agent can read; the client shows the same sentence beside a
disabled button (`order_update_block_reason`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from agent_desktop.core.reply_window import reply_window
from agent_desktop.core.types import Order

MessagingType = Literal["RESPONSE", "MESSAGE_TAG"]
HUMAN_AGENT = "HUMAN_AGENT"


@dataclass(frozen=True, slots=True)
class SendDecision:
    """How one message goes out: `RESPONSE`, or `MESSAGE_TAG` with `tag`."""

    messaging_type: MessagingType
    tag: str | None = None


class PolicyRefusal(Exception):
    """The server must not send; `str(err)` is the reason, a sentence for the agent."""

    def __init__(self, reason: str, code: str = "reply_window_closed") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


NEVER_WROTE = (
    "The customer has never written to the Page, and Messenger does not let a Page start a "
    "conversation."
)
WINDOW_CLOSED = (
    "The customer's last message is more than 7 days old, so Messenger no longer allows a reply; "
    "the conversation can continue when the customer writes again."
)
HUMAN_AGENT_DISABLED = (
    "The customer's last message is more than 24 hours old and the HUMAN_AGENT tag is not enabled "
    "for this Page, so Messenger does not allow a reply."
)
NO_ORDER_CONSENT = (
    "The customer's last message is more than 24 hours old and they have not agreed to receive "
    "order updates on Messenger, so the update cannot be sent until they write again."
)
STANDBY = (
    "Another app is handling this Messenger conversation right now; the Page can reply again "
    "once it passes the conversation back."
)


def _order_tag_disabled(tag: str) -> str:
    return (
        f"The customer's last message is more than 24 hours old and the {tag} message tag is not "
        "enabled for this Page, so the update cannot be sent until they write again."
    )


def reply_decision(
    last_customer_message_at: datetime | None,
    now: datetime,
    allowed_tags: Sequence[str],
) -> SendDecision:
    """The messaging type of an agent's reply, or PolicyRefusal when Messenger forbids it.

    Below 24 h after the customer's last message: RESPONSE. From exactly 24 h to below 7 days:
    MESSAGE_TAG with HUMAN_AGENT (if that tag is allowed by configuration). From 7 days: refused.
    """
    window = reply_window(last_customer_message_at, now)
    if window.state == "standard":
        return SendDecision("RESPONSE")
    if window.state == "human_agent":
        if HUMAN_AGENT not in allowed_tags:
            raise PolicyRefusal(HUMAN_AGENT_DISABLED)
        return SendDecision("MESSAGE_TAG", HUMAN_AGENT)
    if window.state == "none":
        raise PolicyRefusal(NEVER_WROTE)
    raise PolicyRefusal(WINDOW_CLOSED)


def order_update_decision(
    last_customer_message_at: datetime | None,
    now: datetime,
    *,
    consent_order_updates: bool,
    allowed_tags: Sequence[str],
    order_tag: str,
) -> SendDecision:
    """How an order message (receipt, shipping update) goes out, or PolicyRefusal.

    Inside the standard 24 h window it is a RESPONSE. Outside it, only customers who agreed to
    order updates (`consent.order_updates`) receive it, with the configured order tag.
    """
    window = reply_window(last_customer_message_at, now)
    if window.state == "standard":
        return SendDecision("RESPONSE")
    if not consent_order_updates:
        raise PolicyRefusal(NO_ORDER_CONSENT, "no_consent")
    if order_tag not in allowed_tags:
        raise PolicyRefusal(_order_tag_disabled(order_tag), "tag_not_allowed")
    return SendDecision("MESSAGE_TAG", order_tag)


def order_update_block_reason(
    last_customer_message_at: datetime | None,
    now: datetime,
    *,
    consent_order_updates: bool,
    allowed_tags: Sequence[str],
    order_tag: str,
) -> str | None:
    """Why "Send order status" is disabled right now, or None when it may be sent."""
    try:
        order_update_decision(
            last_customer_message_at,
            now,
            consent_order_updates=consent_order_updates,
            allowed_tags=allowed_tags,
            order_tag=order_tag,
        )
    except PolicyRefusal as refusal:
        return refusal.reason
    return None


def receipt_total_problems(order: Order) -> list[str]:
    """Sentences describing every way the order's summary disagrees with its items (empty: ok)."""
    problems: list[str] = []
    items_sum = sum(item.quantity * item.unit_price for item in order.items)
    if not order.items:
        problems.append("The order has no items, so no receipt can be sent.")
    if any(item.quantity <= 0 for item in order.items):
        problems.append("An item of the order has a quantity of zero or less.")
    if items_sum != order.subtotal:
        problems.append(
            f"The items add up to {items_sum} but the order's subtotal is {order.subtotal} "
            f"(minor units of {order.currency})."
        )
    expected_total = order.subtotal + order.shipping + order.tax
    if expected_total != order.total:
        problems.append(
            f"Subtotal, shipping and tax add up to {expected_total} but the order's total is "
            f"{order.total} (minor units of {order.currency})."
        )
    return problems
