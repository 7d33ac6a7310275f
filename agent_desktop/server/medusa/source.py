"""Medusa as an order source: the four order actions performed through Medusa's admin API.

Each action reads the order from Medusa first (its payments, line items and fulfilments as they
are now, not as last polled), acts, then reads it again: the outcome carries the order's new
state. Medusa's refusals (4xx) become sentences for the agent; a Medusa that cannot be reached
becomes a failed action that says so. Refunds and returns carry the action's key in their note,
so an action retried after a lost answer finds its own refund or return instead of making a
second one.
"""

from __future__ import annotations

import logging
from collections import Counter
from decimal import Decimal
from typing import Any

from agent_desktop.core.money import precision, to_major, to_minor
from agent_desktop.server.medusa import mapping
from agent_desktop.server.medusa.client import MedusaClient, MedusaError, MedusaUnavailable
from agent_desktop.server.medusa.config import MedusaConfig
from agent_desktop.server.shop.source import ActionOutcome, ActionRequest, StoredOrder

log = logging.getLogger(__name__)

TAG = "Agent Desktop action"


def tag(request: ActionRequest) -> str:
    return f"[{TAG} {request.key}]"


def note(request: ActionRequest) -> str:
    """What Medusa shows its staff beside the refund or the return: the reason (with the items a
    refund is for), then the tag."""
    reason = " ".join(request.reason.split())[:400]
    if request.type == "refund" and request.items:
        items = ", ".join(f"{i.quantity} × {i.sku}" for i in request.items)
        reason = f"{reason} ({items})" if reason else items
    return f"{reason} {tag(request)}".strip()


def _sentence(text: str) -> str:
    text = " ".join(text.split()).strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


# Medusa's own messages (2.21) for the refusals agents meet, in words an agent can act on.
KNOWN_REFUSALS = (
    (
        "All fulfillments must be canceled",
        "Medusa refused to cancel order {n}: it has fulfilments that are not cancelled (a parcel "
        "is being prepared or has left). Cancel them in Medusa first, or offer a return.",
    ),
    (
        "has been canceled",
        "Order {n} is already cancelled in Medusa.",
    ),
    (
        "refund more than the captured amount",
        "Medusa refused the refund of order {n}: it is more than the payment Medusa has captured "
        "and not yet refunded.",
    ),
    (
        "more items than what was fulfilled",
        "Medusa refused the return of order {n}: only items that have been fulfilled can be "
        "returned, and that many have not been.",
    ),
)
VERBS = {
    "cancel": "cancel",
    "refund": "refund",
    "return": "open a return for",
    "change_address": "change the address of",
}


def refusal(error: MedusaError, action: str, number: str) -> str:
    """Medusa's refusal as a sentence for the agent."""
    for needle, sentence in KNOWN_REFUSALS:
        if needle.lower() in error.message.lower():
            return sentence.format(n=number)
    if error.status in (401, 403):
        return (
            f"Medusa refused the connector's API key (HTTP {error.status}), so order {number} was "
            "not changed: ask whoever runs the server to check MEDUSA_API_KEY."
        )
    if error.status == 404:
        return f"Medusa no longer has order {number}, so it was not changed."
    return _sentence(
        f"Medusa refused to {VERBS.get(action, action)} order {number}: {error.message}"
    )


def unreachable(error: MedusaUnavailable, number: str) -> str:
    return (
        f"Medusa could not be reached to change order {number} ({error}) Check the order in "
        "Medusa before trying again: the change may have been made."
    )


def _payments(order: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        p
        for collection in order.get("payment_collections") or []
        for p in collection.get("payments") or []
    ]


def refundable_now(payment: dict[str, Any]) -> Decimal:
    """What Medusa can still refund of one payment: captured less refunded."""
    if payment.get("canceled_at"):
        return Decimal(0)
    captures = payment.get("captures") or []
    captured = sum((Decimal(str(c.get("amount") or 0)) for c in captures), Decimal(0))
    if not captures and payment.get("captured_at"):
        captured = Decimal(str(payment.get("amount") or 0))
    refunded = sum(
        (Decimal(str(r.get("amount") or 0)) for r in payment.get("refunds") or []), Decimal(0)
    )
    return max(Decimal(0), captured - refunded)


class MedusaSource:
    """Implements `shop.source.OrderSource` for orders of kind "medusa"."""

    kind = mapping.KIND

    def __init__(self, client: MedusaClient, config: MedusaConfig) -> None:
        self.client = client
        self.config = config

    async def _done(self, order_id: str, external_id: str | None = None) -> ActionOutcome:
        fresh = await self.client.order(order_id)
        return ActionOutcome("done", order=mapping.order_doc(fresh), external_id=external_id)

    async def _run(self, stored: StoredOrder, request: ActionRequest) -> ActionOutcome:
        number = stored.order.number
        if not stored.external_id:
            return ActionOutcome.failed(
                f"Order {number} has no Medusa id, so Medusa cannot change it."
            )
        try:
            order = await self.client.order(stored.external_id)
            if request.type == "cancel":
                await self.client.cancel_order(stored.external_id)
                return await self._done(stored.external_id)
            if request.type == "refund":
                return await self._refund(order, stored, request)
            if request.type == "return":
                return await self._return(order, stored, request)
            return await self._address(order, stored, request)
        except MedusaError as exc:
            log.info("Medusa refused %s of %s: %s", request.type, stored.external_id, exc)
            return ActionOutcome.failed(refusal(exc, request.type, number))
        except MedusaUnavailable as exc:
            log.warning(
                "Medusa unavailable for %s of %s: %s", request.type, stored.external_id, exc
            )
            return ActionOutcome.failed(unreachable(exc, number))

    async def cancel(self, stored: StoredOrder, request: ActionRequest) -> ActionOutcome:
        return await self._run(stored, request)

    async def refund(self, stored: StoredOrder, request: ActionRequest) -> ActionOutcome:
        return await self._run(stored, request)

    async def create_return(self, stored: StoredOrder, request: ActionRequest) -> ActionOutcome:
        return await self._run(stored, request)

    async def change_address(self, stored: StoredOrder, request: ActionRequest) -> ActionOutcome:
        return await self._run(stored, request)

    # --- refund -------------------------------------------------------------------------------

    async def _refund(
        self, order: dict[str, Any], stored: StoredOrder, request: ActionRequest
    ) -> ActionOutcome:
        number, currency = stored.order.number, stored.order.currency
        mine = tag(request)
        payments = _payments(order)
        already = [
            r["id"] for p in payments for r in p.get("refunds") or [] if mine in str(r.get("note"))
        ]
        if already:  # this action ran before and its answer was lost
            return await self._done(order["id"], already[0])
        assert request.amount is not None  # the server computed it
        wanted = Decimal(request.amount).scaleb(-precision(currency))
        available = [(p, refundable_now(p)) for p in payments]
        can = sum((a for _, a in available), Decimal(0))
        if can < wanted:
            authorised = any(
                not p.get("captured_at") and not p.get("canceled_at") for p in payments
            )
            if can == 0 and authorised:
                return ActionOutcome.failed(
                    f"Medusa has not captured the payment of order {number} yet, so there is "
                    "nothing to refund: capture it in Medusa first, or cancel the order to "
                    "release the payment."
                )
            return ActionOutcome.failed(
                f"Medusa can refund at most {currency} {to_major(to_minor(can, currency), currency)} "
                f"of order {number} (what it has captured less what it has refunded)."
            )
        left = wanted
        for payment, amount in available:
            if left <= 0:
                break
            part = min(left, amount)
            if part <= 0:
                continue
            await self.client.refund_payment(payment["id"], part, note(request))
            left -= part
        fresh = await self.client.order(order["id"])
        made = [
            r["id"]
            for p in _payments(fresh)
            for r in p.get("refunds") or []
            if mine in str(r.get("note"))
        ]
        return ActionOutcome(
            "done", order=mapping.order_doc(fresh), external_id=made[0] if made else None
        )

    # --- return -------------------------------------------------------------------------------

    async def _return(
        self, order: dict[str, Any], stored: StoredOrder, request: ActionRequest
    ) -> ActionOutcome:
        mine = tag(request)
        for ret in order.get("returns") or []:
            if ret.get("status") != "canceled" and any(
                mine in str(i.get("note")) for i in ret.get("items") or []
            ):
                return await self._done(order["id"], str(ret["id"]))
        lines = self._return_lines(order, request)
        if isinstance(lines, str):
            return ActionOutcome.failed(lines)
        location = self.config.return_location_id or next(
            (f.get("location_id") for f in order.get("fulfillments") or [] if f.get("location_id")),
            None,
        )
        return_id = await self.client.begin_return(
            order["id"],
            description=request.reason,
            location_id=location,
            no_notification=not request.notify_customer,
        )
        try:
            await self.client.add_return_items(
                return_id, [{**line, "internal_note": note(request)} for line in lines]
            )
            option = await self._return_option()
            if option is not None:
                try:
                    await self.client.add_return_shipping(return_id, option)
                except MedusaError as exc:  # the return stands without a return parcel
                    log.info("no return shipping for %s: %s", return_id, exc)
            await self.client.request_return(return_id, no_notification=not request.notify_customer)
        except MedusaError:
            try:
                await self.client.drop_return(return_id)
            except (MedusaError, MedusaUnavailable):
                log.warning("could not drop the unfinished Medusa return %s", return_id)
            raise
        return await self._done(order["id"], return_id)

    def _return_lines(
        self, order: dict[str, Any], request: ActionRequest
    ) -> list[dict[str, Any]] | str:
        """Medusa line items and quantities for the SKUs asked, from those fulfilled and not yet
        asked back; or a sentence when the order does not have them."""
        wanted: Counter[str] = Counter()
        for item in request.items:
            wanted[item.sku] += item.quantity
        lines: list[dict[str, Any]] = []
        for sku, quantity in wanted.items():
            left = quantity
            for item in order.get("items") or []:
                if mapping.sku_of(item) != sku or left <= 0:
                    continue
                detail = item.get("detail") or {}
                free = (
                    int(detail.get("fulfilled_quantity") or 0)
                    - int(detail.get("return_requested_quantity") or 0)
                    - int(detail.get("return_received_quantity") or 0)
                )
                take = min(left, max(0, free))
                if take:
                    lines.append({"id": item["id"], "quantity": take})
                    left -= take
            if left > 0:
                return (
                    f"Medusa can take back only items it has fulfilled and not already asked "
                    f"back: {quantity} × {sku} is more than order "
                    f"{mapping.order_number(order)} has left."
                )
        return lines

    async def _return_option(self) -> str | None:
        options = await self.client.return_shipping_options()
        return str(options[0]["id"]) if options else None

    # --- address ------------------------------------------------------------------------------

    async def _address(
        self, order: dict[str, Any], stored: StoredOrder, request: ActionRequest
    ) -> ActionOutcome:
        assert request.address is not None  # the server checked it
        payload = mapping.medusa_address(request.address, order.get("shipping_address"))
        await self.client.update_shipping_address(order["id"], payload)
        return await self._done(order["id"])
