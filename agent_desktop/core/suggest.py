"""The suggested reply: what the customer asked (core/intents.py), the order they mean, and the team
template marked for that question in their language, filled in for them. None when the question
is unclear, names an order that is not theirs, or the template cannot be filled completely: a
wrong suggestion costs more than none (docs/SUGGESTIONS.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from agent_desktop.core.formatting import resolve_locale
from agent_desktop.core.intents import SUGGESTION_THRESHOLD, IntentMatch, match, order_references
from agent_desktop.core.templates import TemplateContext, eta_passed, render

if TYPE_CHECKING:
    from agent_desktop.core.order_types import Customer, Order
    from agent_desktop.core.rows import MessageRow
    from agent_desktop.core.types import Agent, Message, TeamSettings, Template

__all__ = [
    "Suggestion",
    "choose_order",
    "return_instructions_for",
    "suggest",
    "template_context",
    "unanswered_text",
]

# An order in one of these states is no longer on its way to the customer.
CLOSED_STATUSES = frozenset(
    {"delivered", "cancelled", "canceled", "refunded", "returned", "completed", "archived"}
)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A filled reply to offer the agent: `text` has every variable filled."""

    intent: str  # what the customer asked (core.intents.INTENTS)
    template: Template  # the team template used (its intent may be "late_delivery")
    order: Order | None
    text: str
    confidence: float


def _delivered(order: Order) -> bool:
    shipments = order.shipments or ([order.shipment] if order.shipment else [])
    return bool(shipments) and all(s.status == "delivered" for s in shipments)


def _refund_concerned(order: Order) -> bool:
    return bool(order.refunds or order.returns or order.refunded or order.cancelled_at)


def _arrived(order: Order) -> bool:
    return order.status == "delivered" or _delivered(order)


# Which of the customer's orders a question most likely means when no number is given.
_PREFER: dict[str, Callable[[Order], bool]] = {
    "refund_status": _refund_concerned,
    "return_exchange": _arrived,
    "damaged_wrong_item": _arrived,
}


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def _is_open(order: Order) -> bool:
    return order.status.lower() not in CLOSED_STATUSES and order.cancelled_at is None


def choose_order(
    text: str, orders: Sequence[Order], intent: str | None = None
) -> tuple[Order | None, bool]:
    """The order a message means, and whether it names a number that is none of `orders`.

    The order whose number the text names (marked "#1938" or bare); else, when a number is
    marked as an order's but is not the customer's, none (True); else the most recent order
    that fits the question (a refund: one with a refund, return or cancellation; a return or
    damage: a delivered one), then the most recent open one, then the most recent.
    """
    marked, bare = order_references(text)
    by_number: dict[str, Order] = {}
    for order in orders:
        key = _digits(order.number)
        if key and key not in by_number:
            by_number[key] = order
    for number in (*marked, *bare):
        if number in by_number:
            return by_number[number], False
    if marked:
        return None, True
    newest_first = sorted(orders, key=lambda o: o.placed_at, reverse=True)
    prefer = _PREFER.get(intent or "")
    if prefer is not None:
        for order in newest_first:
            if prefer(order):
                return order, False
    for order in newest_first:
        if _is_open(order):
            return order, False
    return (newest_first[0] if newest_first else None), False


def return_instructions_for(settings: TeamSettings | None, locale: str | None) -> str | None:
    """The team's return instructions in `locale`'s language (then English), or None."""
    if settings is None or not settings.return_instructions:
        return None
    language = resolve_locale(locale).language
    texts = {
        k.split("_")[0].split("-")[0].lower(): v for k, v in settings.return_instructions.items()
    }
    return texts.get(language) or texts.get("en")


def template_context(
    customer: Customer | None,
    order: Order | None,
    *,
    agent: Agent | None = None,
    settings: TeamSettings | None = None,
    now: datetime | None = None,
) -> TemplateContext:
    """What a template is filled from, for `customer` (in their language) and `order`."""
    locale = customer.locale if customer is not None else None
    return TemplateContext(
        customer=customer,
        agent=agent,
        order=order,
        return_instructions=return_instructions_for(settings, locale),
        now=now,
    )


def unanswered_text(messages: Iterable[Message | MessageRow], *, newest_first: bool = False) -> str:
    """What the customer wrote since the shop's last public reply (oldest first, one a line, the
    last five): the question a reply answers now. `newest_first`: `messages` come from the newest
    back, and only those after the last reply are read (not the whole conversation)."""
    if newest_first:
        newest: list[str] = []
        for message in messages:
            if message.author.kind == "agent" and message.kind == "text":
                break
            if message.author.kind == "customer" and message.text.strip():
                newest.append(message.text.strip())
                if len(newest) == 5:
                    break
        return "\n".join(reversed(newest))
    lines: list[str] = []
    for message in messages:
        if message.author.kind == "agent" and message.kind == "text":
            lines.clear()
        elif message.author.kind == "customer" and message.text.strip():
            lines.append(message.text.strip())
    return "\n".join(lines[-5:])


def _language(code: str | None) -> str:
    return (code or "en").replace("-", "_").split("_")[0].lower()


def _late(matched: IntentMatch, order: Order | None, now: datetime) -> bool:
    """Whether a where-is-my-order question gets the late-delivery answer: the expected date has
    passed, the carrier says the parcel is delayed, or the customer says it is late and no
    expected date to come is known."""
    if order is None:
        return matched.late
    if eta_passed(order, now):
        return True
    shipment = order.shipment or (order.shipments[0] if order.shipments else None)
    if order.status == "delayed" or (shipment is not None and shipment.status == "delayed"):
        return True
    upcoming = shipment is not None and shipment.eta is not None
    return matched.late and not upcoming


def suggest(
    text: str,
    *,
    customer: Customer | None,
    orders: Sequence[Order],
    templates: Iterable[Template],
    now: datetime,
    agent: Agent | None = None,
    settings: TeamSettings | None = None,
    threshold: float = SUGGESTION_THRESHOLD,
) -> Suggestion | None:
    """The reply to suggest for what the customer wrote (`text`), or None (module docstring)."""
    matched = match(text)
    if matched.intent is None or not matched.suggestible(threshold):
        return None
    order, not_theirs = choose_order(text, orders, matched.intent)
    if not_theirs:
        return None
    wanted: list[str] = [matched.intent]
    if matched.intent == "where_is_order" and _late(matched, order, now):
        wanted = ["late_delivery"]
    language = _language(customer.locale if customer is not None else None)
    team = [
        t
        for t in templates
        if t.scope == "team" and t.intent in wanted and _language(t.language) == language
    ]
    team.sort(key=lambda t: (wanted.index(t.intent or ""), t.shortcut.casefold(), t.id))
    ctx = template_context(customer, order, agent=agent, settings=settings, now=now)
    for template in team:
        rendered = render(template.body, ctx)
        if not rendered.missing and rendered.text.strip():
            return Suggestion(matched.intent, template, order, rendered.text, matched.confidence)
    return None
