"""What an order action's outcome says in the conversation: the customer's message when it was
done (French or English, their locale) and the agents' internal note when it failed or a lead
declined it (`actions.finish` posts them)."""

from __future__ import annotations

from typing import Any

from agent_desktop.core import order_rules as rules
from agent_desktop.core.formatting import format_money
from agent_desktop.server.models import OrderActionRow, OrderRow

WHAT: dict[str, str] = {
    "cancel": "cancellation",
    "refund": "refund",
    "return": "return",
    "change_address": "address change",
}


def _lang(locale: str | None) -> str:
    return "fr" if (locale or "").lower().startswith("fr") else "en"


def _address_line(address: dict[str, Any]) -> str:
    parts = [address.get("line1"), address.get("line2"),
             " ".join(p for p in (address.get("postal_code"), address.get("city")) if p),
             address.get("country")]  # fmt: skip
    return ", ".join(str(p) for p in parts if p)


_CUSTOMER_TEXT = {
    "cancel": {
        "en": "Your order {number} has been cancelled.",
        "fr": "Votre commande {number} a été annulée.",
    },
    "refund": {
        "en": "We have refunded {amount} for your order {number}.",
        "fr": "Nous avons remboursé {amount} sur votre commande {number}.",
    },
    "return": {
        "en": "Your return for order {number} is open: {items}.",
        "fr": "Votre retour pour la commande {number} est ouvert : {items}.",
    },
    "change_address": {
        "en": "Your order {number} will be delivered to: {address}.",
        "fr": "Votre commande {number} sera livrée à : {address}.",
    },
}
_RETURN_LABEL = {
    "en": " Return parcel: {carrier} {tracking}.",
    "fr": " Colis retour : {carrier} {tracking}.",
}


def customer_text(row: OrderActionRow, order: OrderRow, locale: str | None) -> str:
    """What the customer is told when an action is done, in their language."""
    lang = _lang(locale)
    request = row.request or {}
    titles = {i.get("sku"): i.get("title") or i.get("sku") for i in order.items or []}
    items = ", ".join(
        f"{i['quantity']} × {titles.get(i['sku'], i['sku'])}" for i in request.get("items") or []
    )
    text = _CUSTOMER_TEXT[row.type][lang].format(
        number=order.number,
        amount=format_money(int(request.get("amount") or 0), order.currency, lang),
        items=items,
        address=_address_line(request.get("address") or {}),
    )
    if row.type == "return":
        made = next((r for r in order.returns or [] if r.get("id") == row.external_id), None)
        if made and made.get("tracking_number"):
            text += _RETURN_LABEL[lang].format(
                carrier=made.get("carrier") or "", tracking=made.get("tracking_number")
            )
    return text


def agent_note(row: OrderActionRow, order: OrderRow) -> str:
    """The internal note for an action that failed or was declined (agents only)."""
    what = WHAT[row.type]
    amount = (row.request or {}).get("amount")
    if row.type == "refund" and amount:
        what = f"refund of {rules.money(int(amount), order.currency)}"
    if row.status == "declined":
        text = f"{row.decided_by_name or 'A team lead'} declined the {what} of order {order.number}"
        return text + (f": {row.decision_note}" if row.decision_note else ".")
    return f"The {what} of order {order.number} failed: {row.error or 'the shop refused it.'}"
