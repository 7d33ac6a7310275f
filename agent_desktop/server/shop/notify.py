"""Telling a customer on Messenger what was done to their order (an order action's result, when
the agent ticked "tell the customer"): the same rules as any order update (the bridge's policy:
the reply window, the customer's consent to order updates, the order tag, a conversation handed
to another app), queued in the bridge's outbox so it is sent once and its delivery recorded.

`order_notice_hook(bridge)` is what the Messenger bridge registers in `ctx.order_notice_hooks`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.server.messenger.policy import STANDBY, PolicyRefusal, order_update_decision
from agent_desktop.server.messenger.tables import LinkRow
from agent_desktop.server.models import CustomerRow, MessageRow, ThreadRow, utcnow

if TYPE_CHECKING:
    from agent_desktop.server.messenger.bridge import MessengerBridge

NOT_MESSENGER = "This conversation did not come from Messenger, so the customer was not told."


def order_notice_hook(
    bridge: MessengerBridge,
) -> Callable[[AsyncSession, MessageRow, ThreadRow], Awaitable[str | None]]:
    async def notify(session: AsyncSession, message: MessageRow, thread: ThreadRow) -> str | None:
        """Queue `message` to the thread's Messenger user; the reason when it cannot go."""
        link = await session.get(LinkRow, thread.id)
        if link is None:
            return NOT_MESSENGER
        if link.handover == "standby":
            return STANDBY
        customer = await session.get(CustomerRow, thread.customer_id)
        try:
            decision = order_update_decision(
                thread.last_customer_message_at,
                utcnow(),
                consent_order_updates=bool(customer and customer.consent_order_updates),
                allowed_tags=await bridge.allowed_tags(session),
                order_tag=bridge.config.order_tag,
            )
        except PolicyRefusal as refusal:
            return refusal.reason
        message.tag = decision.tag
        bridge.queue_send(session, message, link.psid, decision, {"text": message.text})
        return None

    return notify
