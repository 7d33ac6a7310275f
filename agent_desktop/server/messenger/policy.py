"""Messenger's sending policy as plain functions: how each message goes out (RESPONSE, MESSAGE_TAG
with HUMAN_AGENT, or UTILITY from an approved template), when the server must refuse before
sending, and the same checks again just before a queued message leaves (`recheck`), so a worker
that claims sends from a queue (one server or several) applies exactly the same rules.

Every refusal is a `PolicyRefusal` with a stable `code` (the client translates it) and an English
sentence (`reason`) for logs, old clients and the API's error body. The durations and tags come
from `core.messenger_rules`.

The rules, in one place:
- A human agent's reply: RESPONSE inside the standard window (24 h, or the longer window a
  Click-to-Messenger ad opened); MESSAGE_TAG + HUMAN_AGENT from then to 7 days after the
  customer's last message, only when the Page was granted the Human Agent permission and the team
  allows the tag; refused after 7 days.
- Nothing automated ever carries HUMAN_AGENT: order updates inside the standard window are a
  RESPONSE (the receipt template or the shipping text); outside it they are utility messages from
  an approved template, only for customers who agreed to order updates and only when the Page has
  `page_utility_messaging`. Notes are never sent.
- A thread owned by another app or the Page inbox (Conversation Routing) takes no reply from us.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from agent_desktop.core.messenger_rules import HUMAN_AGENT_TAG, PAGE_INBOX_APP_ID, rules_on
from agent_desktop.core.order_types import Order
from agent_desktop.core.reply_window import reply_window

MessagingType = Literal["RESPONSE", "MESSAGE_TAG", "UTILITY"]
Purpose = Literal["reply", "order", "utility"]
OrderKind = Literal["receipt", "shipping_update"]
HUMAN_AGENT = HUMAN_AGENT_TAG


@dataclass(frozen=True, slots=True)
class SendDecision:
    """How one message goes out: `RESPONSE`, `MESSAGE_TAG` with `tag`, or `UTILITY`."""

    messaging_type: MessagingType
    tag: str | None = None


RESPONSE = SendDecision("RESPONSE")
UTILITY = SendDecision("UTILITY")


class PolicyRefusal(Exception):
    """The server must not send; `code` is stable (the client words it in its language),
    `reason` is the English sentence, `params` what the sentence names."""

    def __init__(
        self, reason: str, code: str = "window_closed", params: dict[str, str] | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.params = params or {}

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.reason, "params": dict(self.params)}


# --- the sentences (English; the client has them in French and English by code) -------------

NEVER_WROTE = (
    "The customer has never written to the Page, and Messenger does not let a Page start a "
    "conversation."
)
WINDOW_CLOSED = (
    "The customer's last message is more than 7 days old, so Messenger no longer allows a reply; "
    "the conversation can continue when the customer writes again."
)
HUMAN_AGENT_NOT_GRANTED = (
    "The customer's last message is more than 24 hours old, and the Page has not been granted "
    "Meta's Human Agent permission, so Messenger does not allow a reply until they write again."
)
HUMAN_AGENT_DISABLED = (
    "The customer's last message is more than 24 hours old and the HUMAN_AGENT tag is not enabled "
    "for this team, so Messenger does not allow a reply."
)
AUTOMATED_OUTSIDE_WINDOW = (
    "The customer's last message is more than 24 hours old: only a person may answer now, so "
    "this automated message is not sent."
)
NO_ORDER_CONSENT = (
    "The customer's last message is more than 24 hours old and they have not agreed to receive "
    "order updates on Messenger, so the update cannot be sent until they write again."
)
UTILITY_NOT_GRANTED = (
    "The customer's last message is more than 24 hours old, and the Page has not been granted "
    "the page_utility_messaging permission, so order updates cannot be sent until they write "
    "again."
)
NO_TEMPLATE = {
    "receipt": (
        "The customer's last message is more than 24 hours old, and the Page has no approved "
        "utility template for order confirmations, so the update cannot be sent until a team "
        "lead adds one or the customer writes again."
    ),
    "shipping_update": (
        "The customer's last message is more than 24 hours old, and the Page has no approved "
        "utility template for shipping updates, so the update cannot be sent until a team lead "
        "adds one or the customer writes again."
    ),
}
STANDBY = (
    "Another app is handling this Messenger conversation right now; the Page can reply again "
    "once it passes the conversation back."
)
PAGE_INBOX = (
    "This Messenger conversation is being handled in the Page inbox (Meta Business Suite); the "
    "Page can reply from here again once the conversation is passed back to this app."
)
WINDOW_PASSED = (
    "The standard 24-hour window closed before this order update could go out; send it again "
    "to have it go as a utility message."
)
TEMPLATE_GONE = (
    "The utility template chosen for this update is no longer approved, so it was not sent; "
    "send it again to use another approved template."
)
NOT_MESSENGER = (
    "This conversation did not come from Messenger, so nothing is sent through Messenger."
)


# --- what the policy looks at --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Owner:
    """Who answers the conversation under Conversation Routing: this app (`us`), the Page inbox,
    or another app (`app_id` when Meta told it)."""

    kind: Literal["us", "page_inbox", "app"] = "us"
    app_id: str | None = None

    @classmethod
    def of(cls, handover: str | None, app_id: str | None) -> Owner:
        if handover != "standby":
            return cls("us")
        if app_id == PAGE_INBOX_APP_ID:
            return cls("page_inbox", app_id)
        return cls("app", app_id)


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything the rules need about one Messenger conversation, read by the caller."""

    last_customer_message_at: datetime | None
    standard_window_until: datetime | None = None
    owner: Owner = field(default_factory=Owner)
    consent_order_updates: bool = False
    human_agent_permission: bool = False
    utility_permission: bool = False
    allowed_tags: Collection[str] = (HUMAN_AGENT_TAG,)
    # Purposes (receipt, shipping_update) with at least one approved template.
    approved_templates: Collection[str] = ()

    def window_state(self, now: datetime) -> str:
        return reply_window(self.last_customer_message_at, now, self.standard_window_until).state


def ownership_refusal(owner: Owner) -> PolicyRefusal | None:
    """Why nothing may be sent in a conversation another app or the Page inbox owns."""
    if owner.kind == "page_inbox":
        return PolicyRefusal(PAGE_INBOX, "page_inbox", {"owner": "page_inbox"})
    if owner.kind == "app":
        return PolicyRefusal(STANDBY, "standby", {"owner": "app", "app_id": owner.app_id or ""})
    return None


def _sendable_window(facts: Facts, now: datetime) -> str:
    """The reply window's state ("standard", "human_agent", "closed") where something may be
    sent at all, or PolicyRefusal: another app or the Page inbox owns the conversation, or the
    customer never wrote. What every kind of send checks first."""
    refusal = ownership_refusal(facts.owner)
    if refusal is not None:
        raise refusal
    state = facts.window_state(now)
    if state == "none":
        raise PolicyRefusal(NEVER_WROTE, "never_wrote")
    return state


# --- replies ---------------------------------------------------------------------------------


def reply_decision(facts: Facts, now: datetime, *, human: bool = True) -> SendDecision:
    """How a reply goes out now, or PolicyRefusal.

    Inside the standard window: RESPONSE. From its end to 7 days after the customer's last
    message: MESSAGE_TAG + HUMAN_AGENT, for a person's reply only (`human`), when the Page holds
    the Human Agent permission and the team allows the tag. Never from 7 days on.
    """
    state = _sendable_window(facts, now)
    if state == "standard":
        return RESPONSE
    if state == "closed":
        raise PolicyRefusal(WINDOW_CLOSED, "window_closed")
    # human_agent
    if not human:
        raise PolicyRefusal(AUTOMATED_OUTSIDE_WINDOW, "automated_outside_window")
    if HUMAN_AGENT_TAG not in rules_on(now).tags:  # pragma: no cover - the day Meta retires it
        raise PolicyRefusal(HUMAN_AGENT_NOT_GRANTED, "human_agent_not_granted")
    if not facts.human_agent_permission:
        raise PolicyRefusal(HUMAN_AGENT_NOT_GRANTED, "human_agent_not_granted")
    if HUMAN_AGENT_TAG not in facts.allowed_tags:
        raise PolicyRefusal(HUMAN_AGENT_DISABLED, "human_agent_disabled")
    return SendDecision("MESSAGE_TAG", HUMAN_AGENT_TAG)


def reply_block(facts: Facts, now: datetime) -> PolicyRefusal | None:
    """Why an agent cannot reply right now, or None."""
    try:
        reply_decision(facts, now)
    except PolicyRefusal as refusal:
        return refusal
    return None


# --- order updates ---------------------------------------------------------------------------


def order_update_decision(facts: Facts, now: datetime, kind: OrderKind) -> SendDecision:
    """How an order update (a receipt, a shipping update) goes out now, or PolicyRefusal.

    Inside the standard window: RESPONSE (the structured receipt or the shipping text). Outside:
    UTILITY from an approved template of that kind, for a customer who agreed to order updates,
    when the Page holds `page_utility_messaging`. No tag, ever.
    """
    state = _sendable_window(facts, now)
    if state == "standard":
        return RESPONSE
    if not facts.consent_order_updates:
        raise PolicyRefusal(NO_ORDER_CONSENT, "no_consent")
    if not rules_on(now).utility_messages or not facts.utility_permission:
        raise PolicyRefusal(UTILITY_NOT_GRANTED, "utility_not_granted")
    if kind not in facts.approved_templates:
        raise PolicyRefusal(NO_TEMPLATE[kind], "no_template", {"kind": kind})
    return UTILITY


def order_update_block(facts: Facts, now: datetime, kind: OrderKind) -> PolicyRefusal | None:
    """Why "Send order status" of this kind is disabled right now, or None."""
    try:
        order_update_decision(facts, now, kind)
    except PolicyRefusal as refusal:
        return refusal
    return None


# --- just before a queued message goes out ---------------------------------------------------


def recheck(
    purpose: str, decision: SendDecision, facts: Facts, now: datetime, *, template_ok: bool = True
) -> SendDecision:
    """The decision a queued message goes out with now, or PolicyRefusal (it then fails with the
    reason). Time passes between queueing and sending (pacing, a paused Page): a reply crossing
    the 24 h mark goes with HUMAN_AGENT if allowed, an order update queued as a RESPONSE that
    missed the window is refused (sent again, it becomes a utility message), a utility message
    needs its template still approved."""
    if purpose == "reply":
        return reply_decision(facts, now)
    refusal = ownership_refusal(facts.owner)
    if refusal is not None:
        raise refusal
    if purpose == "order":
        if facts.window_state(now) != "standard":
            raise PolicyRefusal(WINDOW_PASSED, "window_passed")
        return RESPONSE
    if purpose == "utility":
        if not facts.consent_order_updates:
            raise PolicyRefusal(NO_ORDER_CONSENT, "no_consent")
        if not facts.utility_permission:
            raise PolicyRefusal(UTILITY_NOT_GRANTED, "utility_not_granted")
        if not template_ok:
            raise PolicyRefusal(TEMPLATE_GONE, "template_gone")
        return UTILITY
    return decision


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


def usable_allowed_tags(tags: Sequence[str], now: datetime) -> tuple[str, ...]:
    """The team's allowed tags Meta still accepts at `now` (retired ones never count)."""
    live = rules_on(now).tags
    return tuple(t for t in tags if t in live)
