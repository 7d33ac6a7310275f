"""The names and limits of the Agent API v1 (SPEC §3) without pydantic: the literal types of its
fields, the event names and Messenger's text limit. `core/types.py` re-exports them; code that runs
before the first page is painted imports them from here, so that pydantic and the API models are
not imported for a constant (docs/PERFORMANCE.md, start).
"""

from typing import Literal

__all__ = [
    "EPHEMERAL_NAMES",
    "EVENT_NAMES",
    "MAX_TEXT_LENGTH",
    "ORDER_ACTION_TYPES",
    "THREAD_STATUSES",
    "AuthorKind",
    "DeliveryState",
    "MessageKind",
    "OrderActionStatus",
    "OrderActionType",
    "OrderEvent",
    "Presence",
    "Role",
    "SendKind",
    "SourceKind",
    "TemplateScope",
    "ThreadStatus",
    "WindowState",
]

AuthorKind = Literal["customer", "agent", "automated", "system"]
MessageKind = Literal["text", "note", "image", "order_event"]
SendKind = Literal["reply", "note"]
ThreadStatus = Literal["open", "pending", "resolved", "spam"]
Role = Literal["agent", "lead"]
Presence = Literal["online", "away", "offline"]
WindowState = Literal["standard", "human_agent", "closed", "none"]
TemplateScope = Literal["team", "personal"]
DeliveryState = Literal["sent", "delivered", "read", "failed"]
OrderEvent = Literal[
    "placed",
    "shipped",
    "out_for_delivery",
    "delivered",
    "delayed",
    "returned",
    # Results of order actions (POST /orders/{id}/actions) and of the shops' own changes.
    "cancelled",
    "refunded",
    "return_created",
    "address_changed",
]
OrderActionType = Literal["cancel", "refund", "return", "change_address"]
OrderActionStatus = Literal["done", "in_progress", "pending_approval", "failed", "declined"]
SourceKind = Literal["demo", "shopify", "medusa", "api"]
ORDER_ACTION_TYPES: tuple[OrderActionType, ...] = ("cancel", "refund", "return", "change_address")

THREAD_STATUSES: tuple[ThreadStatus, ...] = ("open", "pending", "resolved", "spam")
MAX_TEXT_LENGTH = 2000  # Messenger's limit for one text message

EVENT_NAMES = (
    "message.created",
    "message.updated",
    "thread.updated",
    "agent.presence",
    "agent.updated",
    "template.changed",
    "order.updated",
    "order.action",
    "settings.changed",
)
EPHEMERAL_NAMES = ("typing", "viewing")
