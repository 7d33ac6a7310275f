"""What an order's state allows, in plain functions over the API's `Order`: which actions it
offers, why one is refused (409), and which amounts and quantities are too much (422).

Every refusal is a sentence for the agent. The same rules run for every source; a connector's
shop may still refuse (its sentence then comes back as the action's error).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from agent_desktop.core.money import to_major

if TYPE_CHECKING:
    from agent_desktop.core.literals import OrderActionType
    from agent_desktop.core.order_types import Address, ItemQuantity, Order, OrderAction

# Shipment statuses before the parcel has left the shop (the order can still change).
NOT_LEFT = frozenset(
    {"", "pending", "label_created", "label_printed", "label_purchased", "confirmed", "cancelled"}
)
CLOSED_RETURNS = frozenset({"declined", "cancelled", "canceled"})
LEFT_STATUSES = frozenset({"shipped", "partially_shipped", "delivered", "returned"})


class Refused(Exception):
    """The order's state forbids the action (HTTP 409); `str()` is the sentence."""


class TooMuch(Exception):
    """An amount or a quantity the order cannot give (HTTP 422); `str()` is the sentence."""


def money(amount: int, currency: str) -> str:
    """ "EUR 12.50", "JPY 1500": amounts in server sentences (the client formats its own)."""
    return f"{currency} {to_major(amount, currency)}"


def is_cancelled(order: Order) -> bool:
    return order.cancelled_at is not None or order.status in ("cancelled", "canceled")


def has_left(order: Order) -> bool:
    """True once a parcel has left the shop (picked up by the carrier or further)."""
    if order.status in LEFT_STATUSES:
        return True
    return any(s.status not in NOT_LEFT for s in order.shipments)


def is_delivered(order: Order) -> bool:
    if order.status in ("delivered", "returned"):
        return True
    return any(s.status in ("delivered", "returned") for s in order.shipments)


def bought(order: Order) -> Counter[str]:
    counts: Counter[str] = Counter()
    for item in order.items:
        counts[item.sku] += item.quantity
    return counts


def _quantities(items: Iterable[ItemQuantity]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for item in items:
        counts[item.sku] += item.quantity
    return counts


def in_returns(order: Order) -> Counter[str]:
    counts: Counter[str] = Counter()
    for ret in order.returns:
        if ret.status not in CLOSED_RETURNS:
            counts.update(_quantities(ret.items))
    return counts


def refunded_items(order: Order) -> Counter[str]:
    counts: Counter[str] = Counter()
    for refund in order.refunds:
        counts.update(_quantities(refund.items))
    return counts


def returnable(order: Order) -> Counter[str]:
    left = bought(order)
    left.subtract(in_returns(order))
    left.subtract(refunded_items(order))
    return +left


def refundable_items(order: Order) -> Counter[str]:
    left = bought(order)
    left.subtract(refunded_items(order))
    return +left


def refundable(order: Order) -> int:
    return max(0, order.total - order.refunded)


def refusal(order: Order, action: OrderActionType) -> str | None:
    """Why the order's state forbids `action` now (a sentence), or None when it allows it."""
    n = order.number
    cancelled = is_cancelled(order)
    if action == "refund":
        if refundable(order) <= 0:
            return f"Order {n} has been refunded in full already: there is nothing left to refund."
        return None
    if cancelled:
        return f"Order {n} is cancelled: only a refund is still possible."
    if action == "cancel":
        if has_left(order):
            return (
                f"Order {n} has already shipped, so it can no longer be cancelled; offer a "
                "return once it has arrived."
            )
        return None
    if action == "change_address":
        if has_left(order):
            return (
                f"Order {n} has already shipped: the carrier has the parcel, so its address can "
                "no longer be changed."
            )
        return None
    # return
    if not is_delivered(order):
        return f"Order {n} has not been delivered yet, so nothing can be returned."
    if not returnable(order):
        return f"Every item of order {n} is already returned or refunded."
    return None


def allowed_actions(order: Order) -> list[OrderActionType]:
    kinds: Sequence[OrderActionType] = ("cancel", "refund", "return", "change_address")
    return [k for k in kinds if refusal(order, k) is None]


def check_items(order: Order, items: Sequence[ItemQuantity], left: Counter[str], verb: str) -> None:
    """Each SKU must be in the order and its quantity at most what is `left` (TooMuch)."""
    have = bought(order)
    for sku, quantity in _quantities(items).items():
        if quantity <= 0:
            raise TooMuch(f"The quantity of {sku} must be at least 1.")
        if sku not in have:
            raise TooMuch(f"Order {order.number} has no item with the SKU {sku}.")
        if quantity > have[sku]:
            raise TooMuch(
                f"Order {order.number} has {have[sku]} × {sku}, so {quantity} cannot be {verb}."
            )
        if quantity > left[sku]:
            raise TooMuch(
                f"Only {left[sku]} × {sku} of order {order.number} can still be {verb}, "
                f"not {quantity}."
            )


def items_value(order: Order, items: Sequence[ItemQuantity]) -> int:
    """What `items` cost the customer: their price with their share of the discount and tax
    (shipping not included), rounded to the minor unit."""
    prices = {i.sku: i.unit_price for i in order.items}
    gross = sum(prices.get(i.sku, 0) * i.quantity for i in items)
    if order.subtotal <= 0:
        return gross
    goods = order.total - order.shipping  # subtotal − discount + tax
    return min(refundable(order), (gross * goods + order.subtotal // 2) // order.subtotal)


def refund_amount(order: Order, amount: int | None, items: Sequence[ItemQuantity]) -> int:
    """The refund's amount: `amount`, or the value of `items`; TooMuch when it is not possible."""
    if items:
        check_items(order, items, refundable_items(order), "refunded")
    if amount is None:
        if not items:
            raise TooMuch("Give the amount to refund, or the items whose price to refund.")
        amount = items_value(order, items)
    if amount <= 0:
        raise TooMuch("The amount to refund must be more than zero.")
    left = refundable(order)
    if amount > left:
        raise TooMuch(
            f"{money(amount, order.currency)} is more than the "
            f"{money(left, order.currency)} left to refund on order {order.number}."
        )
    return amount


def return_items(order: Order, items: Sequence[ItemQuantity]) -> list[ItemQuantity]:
    """The items of a return (all that can still be returned when `items` is empty)."""
    from agent_desktop.core.order_types import ItemQuantity

    left = returnable(order)
    if not items:
        return [ItemQuantity(sku=sku, quantity=q) for sku, q in left.items()]
    check_items(order, items, left, "returned")
    return list(items)


def check_address(address: Address | None) -> Address:
    if address is None:
        raise TooMuch("Give the new address.")
    missing = [
        label
        for label, value in (
            ("the street", address.line1),
            ("the city", address.city),
            ("the country", address.country),
        )
        if not value.strip()
    ]
    if missing:
        raise TooMuch("The new address needs " + ", ".join(missing) + ".")
    return address


ACTIVE_STATUSES = frozenset({"in_progress", "pending_approval"})


def projected(order: Order, actions: Iterable[OrderAction]) -> Order:
    """The order as it will be once its running actions (in progress, or waiting for a lead's
    approval) are done: their refunds and returns count already. The server checks a new action
    against this view, so the client's dialogs show the same limits."""
    active = [a for a in actions if a.order_id == order.id and a.status in ACTIVE_STATUSES]
    if not active:
        return order
    from agent_desktop.core.order_types import Refund, Return

    view = order.model_copy(deep=True)
    for action in active:
        if action.type == "refund":
            view.refunds.append(
                Refund(
                    id=action.id,
                    amount=int(action.amount or 0),
                    created_at=action.created_at,
                    items=list(action.items),
                )
            )
            view.refunded += int(action.amount or 0)
        elif action.type == "return":
            view.returns.append(Return(id=action.id, status="requested", items=list(action.items)))
    return view
