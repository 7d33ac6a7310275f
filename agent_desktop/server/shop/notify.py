"""Telling a customer on Messenger what was done to their order (an order action's result, when
the agent ticked "tell the customer"): queued in the bridge's outbox so it is sent once and its
delivery recorded, under Messenger's 2026 rules (the bridge's policy): inside the standard window
it goes as a RESPONSE; outside it, Meta takes order updates only as utility messages from approved
templates (the order tags were retired on 27 April 2026), and the Page's utility templates cover
receipts and shipping updates, not action results, so the notice is held back with the reason. A
conversation another app or the Page inbox owns takes nothing.

`order_notice_hook(bridge)` is what the Messenger bridge registers in `ctx.order_notice_hooks`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.server.messenger.policy import (
    NEVER_WROTE,
    NO_ORDER_CONSENT,
    RESPONSE,
    ownership_refusal,
)
from agent_desktop.server.messenger.tables import LinkRow
from agent_desktop.server.models import CustomerRow, MessageRow, ThreadRow, utcnow

if TYPE_CHECKING:
    from agent_desktop.server.messenger.bridge import MessengerBridge

NOT_MESSENGER = "This conversation did not come from Messenger, so the customer was not told."
OUTSIDE_WINDOW = (
    "The customer's last message is more than 24 hours old: Messenger then takes order news only "
    "as utility messages from the Page's approved templates (receipts and shipping updates), so "
    "the customer was not told; tell them once they write again."
)


def order_notice_hook(
    bridge: MessengerBridge,
) -> Callable[[AsyncSession, MessageRow, ThreadRow], Awaitable[str | None]]:
    async def notify(session: AsyncSession, message: MessageRow, thread: ThreadRow) -> str | None:
        """Queue `message` to the thread's Messenger user; the reason when it cannot go."""
        link = await session.get(LinkRow, thread.id)
        if link is None:
            return NOT_MESSENGER
        customer = await session.get(CustomerRow, thread.customer_id)
        facts = await bridge.facts(session, thread, link, customer)
        refusal = ownership_refusal(facts.owner)
        if refusal is not None:
            return refusal.reason
        state = facts.window_state(utcnow())
        if state == "none":
            return NEVER_WROTE
        if state != "standard":
            return NO_ORDER_CONSENT if not facts.consent_order_updates else OUTSIDE_WINDOW
        decision = RESPONSE
        message.tag = None
        bridge.outbox.queue_send(
            session, message, link.psid, decision, {"text": message.text}, purpose="order"
        )
        return None

    return notify
