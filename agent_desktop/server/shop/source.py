"""The interface every shop implements: the four order actions, performed in the shop that owns
the order. The demo shop (`demo_source`), the generic ingest API (`api_source`), Shopify and
Medusa each provide one, registered by `kind` in `ctx.order_sources`.

How an action runs (`actions.py`): the server checks the order's state with `rules` (409/422),
stores the action, then calls the source **outside** the write transaction with an
`ActionRequest` and the order as stored. The source answers with an `ActionOutcome`:

- `done`: the shop did it; `order` is the order's new state (an `OrderDoc`), stored at once;
- `in_progress`: the shop accepted it and finishes later (Shopify's cancel job, a shop polling
  the ingest API); the source later calls `actions.finish(...)`, or simply ingests the order;
- `failed`: the shop refused; `error` is a sentence for the agent (the shop's own reason).

Orders and customers come in through `ingest.upsert_order` / `ingest.upsert_customer` with
`OrderDoc` / `CustomerDoc` (the API's own shapes): webhooks, polling, backfill and the ingest API
all use it, so "newest `updated_at` wins" and `order.updated` hold for every source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from agent_desktop.core.order_types import Address, ItemQuantity, Order
from agent_desktop.core.types import OrderActionType

if TYPE_CHECKING:
    from agent_desktop.server.shop.documents import OrderDoc

OutcomeStatus = Literal["done", "in_progress", "failed"]


@dataclass(frozen=True, slots=True)
class ActionRequest:
    """One action as checked by the server: `amount` is set for refunds (minor units of the
    order's currency), `items` for returns (and refunds of items), `address` for address
    changes. `key` is unique per action and stable across retries: sources pass it to the shop
    as an idempotency key so a retry never refunds twice."""

    key: str
    type: OrderActionType
    reason: str = ""
    items: tuple[ItemQuantity, ...] = ()
    amount: int | None = None
    address: Address | None = None
    notify_customer: bool = False


@dataclass(slots=True)
class ActionOutcome:
    status: OutcomeStatus
    order: OrderDoc | None = None  # the order's new state, when known
    error: str | None = None  # why the shop refused, a sentence
    external_id: str | None = None  # the shop's id for what it made (refund, return, job)
    detail: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def failed(cls, error: str) -> ActionOutcome:
        return cls("failed", error=error)


@dataclass(frozen=True, slots=True)
class StoredOrder:
    """The order as the server has it: the API view plus the connector's own data."""

    order: Order
    external_id: str | None
    source_data: dict[str, Any]


class OrderSource(Protocol):
    """A shop that owns orders. Methods never raise for a refusal: they return
    `ActionOutcome.failed(sentence)`; an exception means the shop could not be reached and is
    turned into a failed action that says so."""

    kind: str

    async def cancel(self, stored: StoredOrder, request: ActionRequest) -> ActionOutcome: ...

    async def refund(self, stored: StoredOrder, request: ActionRequest) -> ActionOutcome: ...

    async def create_return(self, stored: StoredOrder, request: ActionRequest) -> ActionOutcome: ...

    async def change_address(
        self, stored: StoredOrder, request: ActionRequest
    ) -> ActionOutcome: ...


async def perform(
    source: OrderSource, stored: StoredOrder, request: ActionRequest
) -> ActionOutcome:
    """Dispatch `request` to the source's method for its type."""
    if request.type == "cancel":
        return await source.cancel(stored, request)
    if request.type == "refund":
        return await source.refund(stored, request)
    if request.type == "return":
        return await source.create_return(stored, request)
    return await source.change_address(stored, request)
