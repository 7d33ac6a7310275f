"""What the store keeps besides the threads: the agents and templates of the team (complete, kept
up to date by events), and the customers and orders of the conversations opened last (a bounded
cache, least recent dropped first, refreshed by `order.updated` events).

Used by `ClientStore` only; it emits the store's signals.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agent_desktop.core.order_types import Customer, Order
    from agent_desktop.core.types import Agent, Template
    from agent_desktop.store.client_store import ClientStore

CUSTOMERS_KEPT = 50  # customers (with their orders) kept after their conversation was left


class Caches:
    """The team's agents and templates, and the recent customers and their orders."""

    def __init__(self, store: ClientStore) -> None:
        self._store = store
        self.agents: dict[str, Agent] = {}
        self.templates: list[Template] = []
        # The customers (and orders) of the conversations opened last, least recent first.
        self._customers: OrderedDict[str, Customer] = OrderedDict()
        self._orders: OrderedDict[str, list[Order]] = OrderedDict()

    def clear(self) -> None:
        """Forget the customers and orders (a full reload refetches what is opened next)."""
        self._customers.clear()
        self._orders.clear()

    # -- customers and orders -----------------------------------------------------------------

    async def customer(self, customer_id: str, *, refresh: bool = False) -> Customer:
        if refresh or customer_id not in self._customers:
            customer = await self._store.backend.customer(customer_id)
            _keep(self._customers, customer_id, customer)
            self._store.customerChanged.emit(customer_id)
            return customer
        self._customers.move_to_end(customer_id)
        return self._customers[customer_id]

    async def orders(self, customer_id: str, *, refresh: bool = False) -> list[Order]:
        if refresh or customer_id not in self._orders:
            orders = await self._store.backend.orders(customer_id)
            _keep(self._orders, customer_id, orders)
            self._store.ordersChanged.emit(customer_id)
            return orders
        self._orders.move_to_end(customer_id)
        return self._orders[customer_id]

    def cached_customer(self, customer_id: str) -> Customer | None:
        return self._customers.get(customer_id)

    def cached_orders(self, customer_id: str) -> list[Order] | None:
        return self._orders.get(customer_id)

    def apply_order(self, customer_id: str, order: Order) -> None:
        """An order changed: the cached list takes it; the customer (whose totals it changes)
        is fetched again when next asked for."""
        cached = self._orders.get(customer_id)
        if cached is not None:
            others = [o for o in cached if o.id != order.id]
            self._orders[customer_id] = sorted(
                [*others, order], key=lambda o: o.placed_at, reverse=True
            )
            self._store.ordersChanged.emit(customer_id)
        if self._customers.pop(customer_id, None) is not None:
            self._store.customerChanged.emit(customer_id)

    # -- agents and templates -----------------------------------------------------------------

    def apply_agent(self, agent: Agent) -> None:
        store = self._store
        self.agents[agent.id] = agent
        if store.me is not None and agent.id == store.me.id:
            store.me = agent
        store.presenceChanged.emit(agent.id, agent.presence)
        store.agentsChanged.emit()

    def apply_template(self, template_id: str, template: Template | None) -> None:
        """Put `template` in place of `template_id` (None: it was deleted)."""
        kept = [t for t in self.templates if t.id != template_id]
        if template is not None:
            kept.append(template)
        self.templates = kept
        self._store.templatesChanged.emit()


def _keep(cache: OrderedDict[str, Any], key: str, value: Any) -> None:
    """Put `value` in a cache of customers or orders as the most recent; the least recent go
    past CUSTOMERS_KEPT (an agent opens hundreds of conversations in a day)."""
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > CUSTOMERS_KEPT:
        cache.popitem(last=False)
