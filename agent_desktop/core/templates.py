"""Quick-reply templates: `{{customer.first_name|there}}`-style variables filled from the customer,
the agent, an order and the team's settings, with values inserted literally and unfilled variables
reported. Dates are written out in the customer's language ("8 décembre 2026"); an expected
delivery date that has passed is never filled in (see `eta_passed`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from agent_desktop.core.formatting import first_name, format_date, format_money, resolve_locale

if TYPE_CHECKING:
    from agent_desktop.core.order_types import Customer, Order, Shipment
    from agent_desktop.core.types import Agent

__all__ = [
    "KNOWN_VARIABLES",
    "Rendered",
    "TemplateContext",
    "eta_passed",
    "items_summary",
    "order_status_word",
    "pick_order",
    "render",
    "unknown_variables",
    "variables_in",
]

KNOWN_VARIABLES: tuple[str, ...] = (
    "customer.first_name",
    "customer.name",
    "agent.first_name",
    "agent.name",
    "order.number",
    "order.status",
    "order.items",
    "order.total",
    "order.carrier",
    "order.eta",
    "order.tracking_number",
    "order.tracking_url",
    "return.instructions",
)
ITEMS_SHOWN = 3  # order.items names this many items, then "and N more"

# {{ name }} or {{ name | fallback }}; the fallback may not contain braces.
_VARIABLE = re.compile(r"\{\{\s*([^{}|]*?)\s*(?:\|([^{}]*))?\}\}")

_STATUS_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "placed": "placed",
        "pending": "awaiting payment",
        "paid": "paid",
        "processing": "being prepared",
        "shipped": "shipped",
        "in_transit": "on its way",
        "out_for_delivery": "out for delivery",
        "delivered": "delivered",
        "delayed": "delayed",
        "cancelled": "cancelled",
        "canceled": "cancelled",
        "refunded": "refunded",
        "returned": "returned",
    },
    "fr": {
        "placed": "enregistrée",
        "pending": "en attente de paiement",
        "paid": "payée",
        "processing": "en préparation",
        "shipped": "expédiée",
        "in_transit": "en route",
        "out_for_delivery": "en cours de livraison",
        "delivered": "livrée",
        "delayed": "retardée",
        "cancelled": "annulée",
        "canceled": "annulée",
        "refunded": "remboursée",
        "returned": "retournée",
    },
}


_MORE: dict[str, tuple[str, str]] = {
    "en": (" and {n} more", " and 1 more"),
    "fr": (" et {n} autres", " et 1 autre"),
}


@dataclass(frozen=True, slots=True)
class TemplateContext:
    """What a template can draw from; `locale` defaults to the customer's, then English.

    `return_instructions` is the team's text for that locale (team settings); `now` is when the
    reply is written, so that an expected delivery date already past is not quoted (None: not
    checked)."""

    customer: Customer | None = None
    agent: Agent | None = None
    order: Order | None = None
    locale: str | None = None
    return_instructions: str | None = None
    now: datetime | None = None

    @property
    def effective_locale(self) -> str:
        if self.locale:
            return self.locale
        if self.customer is not None and self.customer.locale:
            return self.customer.locale
        return "en"


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered template: its text, the variables left unfilled and where they are in the text
    (start, end, variable name), so an editor can highlight them."""

    text: str
    missing: list[str] = field(default_factory=list)
    unfilled_spans: list[tuple[int, int, str]] = field(default_factory=list)


def pick_order(orders: Iterable[Order], selected_id: str | None = None) -> Order | None:
    """The selected order when it is among `orders`, else the most recently placed one."""
    items = list(orders)
    if selected_id is not None:
        for order in items:
            if order.id == selected_id:
                return order
    return max(items, key=lambda o: o.placed_at, default=None)


def order_status_word(status: str, locale: str | None) -> str:
    """An order status as a word for the customer ("shipped", "expédiée")."""
    language = resolve_locale(locale).language
    words = _STATUS_WORDS.get(language, _STATUS_WORDS["en"])
    key = status.strip().lower()
    return words.get(key) or _STATUS_WORDS["en"].get(key) or key.replace("_", " ")


def _shipment(ctx: TemplateContext) -> Shipment | None:
    """The order's first parcel (the one `order.shipment` names)."""
    if ctx.order is None:
        return None
    if ctx.order.shipment is not None:
        return ctx.order.shipment
    return ctx.order.shipments[0] if ctx.order.shipments else None


def eta_passed(order: Order | None, now: datetime) -> bool:
    """Whether the order's expected delivery date is before today (UTC dates): a parcel not
    delivered by then is late, and the date must not be quoted as if it were to come."""
    if order is None:
        return False
    shipment = order.shipment or (order.shipments[0] if order.shipments else None)
    if shipment is None or shipment.eta is None or shipment.status == "delivered":
        return False
    eta = shipment.eta if shipment.eta.tzinfo else shipment.eta.replace(tzinfo=UTC)
    return eta.astimezone(UTC).date() < now.astimezone(UTC).date()


def items_summary(order: Order, locale: str | None) -> str:
    """A short list of the order's items: "2 × Blue mug, Wool scarf and 1 more"."""
    language = resolve_locale(locale).language
    parts = []
    for item in order.items[:ITEMS_SHOWN]:
        title = " ".join(item.title.split())
        parts.append(f"{item.quantity} × {title}" if item.quantity > 1 else title)
    rest = len(order.items) - ITEMS_SHOWN
    text = ", ".join(parts)
    if rest > 0:
        many, one = _MORE.get(language, _MORE["en"])
        text += one if rest == 1 else many.format(n=rest)
    return text


def _customer_first_name(ctx: TemplateContext) -> str | None:
    return first_name(ctx.customer.name) if ctx.customer else None


def _customer_name(ctx: TemplateContext) -> str | None:
    return ctx.customer.name.strip() if ctx.customer else None


def _agent_first_name(ctx: TemplateContext) -> str | None:
    return first_name(ctx.agent.name) if ctx.agent else None


def _agent_name(ctx: TemplateContext) -> str | None:
    return ctx.agent.name.strip() if ctx.agent else None


def _order_number(ctx: TemplateContext) -> str | None:
    return ctx.order.number if ctx.order else None


def _order_status(ctx: TemplateContext) -> str | None:
    if ctx.order is None or not ctx.order.status:
        return None
    return order_status_word(ctx.order.status, ctx.effective_locale)


def _order_total(ctx: TemplateContext) -> str | None:
    if ctx.order is None:
        return None
    return format_money(ctx.order.total, ctx.order.currency, ctx.effective_locale)


def _order_items(ctx: TemplateContext) -> str | None:
    if ctx.order is None or not ctx.order.items:
        return None
    return items_summary(ctx.order, ctx.effective_locale)


def _order_eta(ctx: TemplateContext) -> str | None:
    shipment = _shipment(ctx)
    if shipment is None or shipment.eta is None:
        return None
    if ctx.now is not None and eta_passed(ctx.order, ctx.now):
        return None  # never "should arrive by <a day gone by>"
    return format_date(shipment.eta, ctx.effective_locale, length="long")


def _carrier(ctx: TemplateContext) -> str | None:
    shipment = _shipment(ctx)
    return shipment.carrier.strip() or None if shipment else None


def _tracking_number(ctx: TemplateContext) -> str | None:
    shipment = _shipment(ctx)
    return shipment.tracking_number or None if shipment else None


def _tracking_url(ctx: TemplateContext) -> str | None:
    shipment = _shipment(ctx)
    return shipment.tracking_url or None if shipment else None


def _return_instructions(ctx: TemplateContext) -> str | None:
    text = (ctx.return_instructions or "").strip()
    return text or None


_RESOLVERS: dict[str, Callable[[TemplateContext], str | None]] = {
    "customer.first_name": _customer_first_name,
    "customer.name": _customer_name,
    "agent.first_name": _agent_first_name,
    "agent.name": _agent_name,
    "order.number": _order_number,
    "order.status": _order_status,
    "order.items": _order_items,
    "order.total": _order_total,
    "order.carrier": _carrier,
    "order.eta": _order_eta,
    "order.tracking_number": _tracking_number,
    "order.tracking_url": _tracking_url,
    "return.instructions": _return_instructions,
}


def variables_in(body: str) -> list[str]:
    """The variable names a template uses, each once, in order of first use."""
    seen: dict[str, None] = {}
    for match in _VARIABLE.finditer(body):
        seen.setdefault(match.group(1), None)
    return list(seen)


def unknown_variables(body: str) -> list[str]:
    """The variables of `body` that no template can fill (a typo, or one that does not exist)."""
    return [name for name in variables_in(body) if name not in _RESOLVERS]


def render(body: str, ctx: TemplateContext) -> Rendered:
    """Fill the template's variables in one pass (values are inserted literally, never expanded).

    A variable with no value uses its fallback (`{{customer.first_name|there}}`); without one it
    stays as written, is listed in `missing` and its span in the output in `unfilled_spans`.
    Unknown variables count as missing.
    """
    out: list[str] = []
    missing: list[str] = []
    spans: list[tuple[int, int, str]] = []
    length = 0
    last = 0
    for match in _VARIABLE.finditer(body):
        literal = body[last : match.start()]
        out.append(literal)
        length += len(literal)
        last = match.end()
        name, fallback = match.group(1), match.group(2)
        resolver = _RESOLVERS.get(name)
        value = resolver(ctx) if resolver is not None else None
        if resolver is not None and not value and fallback is not None:
            value = fallback.strip()
        if resolver is None or value is None or (not value and fallback is None):
            piece = match.group(0)
            if name not in missing:
                missing.append(name)
            spans.append((length, length + len(piece), name))
        else:
            piece = value
        out.append(piece)
        length += len(piece)
    out.append(body[last:])
    return Rendered(text="".join(out), missing=missing, unfilled_spans=spans)
