"""Order actions and customer links for the interface: the actions of the orders shown, asking
for a new one (one `client_id` per request, kept across retries, so a double click or a lost
answer never refunds twice), a lead's refunds waiting for approval, customer search and linking a
conversation to a shop customer.

It follows a `ClientStore` (its `order.action` events) and asks the backend only when the backend
has shop actions (`backends.base.ShopActions`).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from agent_desktop.backends.base import BackendError, ShopActions
from agent_desktop.store.sentences import error_sentence
from agent_desktop.store.tasks import BackgroundTasks

if TYPE_CHECKING:
    from agent_desktop.core.order_types import Customer, OrderAction
    from agent_desktop.core.types import Thread
    from agent_desktop.store.client_store import ClientStore

PENDING = "pending_approval"


def new_client_id() -> str:
    return f"act-{uuid.uuid4()}"


class ShopStore(QObject):
    """Signals:
    actionsChanged(str)             order id: its actions changed (loaded, asked, an event)
    actionDone(str, object)         order id, the OrderAction the server answered with
    actionRefused(str, str, str)    order id, client id, the reason (the server's sentence)
    busyChanged(str, bool)          order id, whether an action is being asked for it
    pendingChanged()                the refunds waiting for a lead's approval changed
    decisionFailed(str, str)        action id, the reason
    customersFound(str, object)     the query, [Customer] (the latest search only)
    searchFailed(str, str)          the query, the reason
    linked(str, object)             thread id, the Thread now linked (or with its suggestion
                                    dismissed)
    linkFailed(str, str)            thread id, the reason
    """

    actionsChanged = Signal(str)
    actionDone = Signal(str, object)
    actionRefused = Signal(str, str, str)
    busyChanged = Signal(str, bool)
    pendingChanged = Signal()
    decisionFailed = Signal(str, str)
    customersFound = Signal(str, object)
    searchFailed = Signal(str, str)
    linked = Signal(str, object)
    linkFailed = Signal(str, str)

    def __init__(
        self,
        client: ClientStore,
        parent: QObject | None = None,
        tasks: BackgroundTasks | None = None,
    ) -> None:
        """`tasks`: where its requests run (the window's, so they are waited for and cancelled
        with the window's); its own group when None."""
        super().__init__(parent if parent is not None else client)
        self.client = client
        self.actions: dict[str, list[OrderAction]] = {}
        self.pending: list[OrderAction] = []
        self.busy: set[str] = set()
        self.tasks = tasks if tasks is not None else BackgroundTasks(client.errorOccurred.emit)
        self._stopped = False
        self._query = ""
        self._loaded: set[str] = set()  # customers whose actions were fetched
        client.orderActionChanged.connect(self.on_client_orderActionChanged)
        client.threadsReset.connect(self.on_client_threadsReset)

    @property
    def shop(self) -> ShopActions | None:
        """The backend's shop actions, or None when it has none (Chatwoot)."""
        backend = self.client.backend
        return backend if isinstance(backend, ShopActions) else None

    @property
    def available(self) -> bool:
        return self.shop is not None

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any] | None:
        if self._stopped:
            coro.close()
            return None
        return self.tasks.start(coro, name)

    def stop(self) -> None:
        """No more requests (signed out, or another store): the window cancels what runs."""
        self._stopped = True
        with contextlib.suppress(RuntimeError, TypeError):
            self.client.orderActionChanged.disconnect(self.on_client_orderActionChanged)
            self.client.threadsReset.disconnect(self.on_client_threadsReset)

    # -- the actions of an order ----------------------------------------------------------------

    def actions_of(self, order_id: str) -> list[OrderAction]:
        return list(self.actions.get(order_id, []))

    def load_actions(self, customer_id: str) -> asyncio.Task[Any] | None:
        """Fetch the actions on every order of `customer_id` (the purchase history shown), once:
        `order.action` events keep them up to date afterwards (a full reload forgets them)."""
        if self.shop is None or customer_id in self._loaded:
            return None
        self._loaded.add(customer_id)
        return self._spawn(self._load_actions(customer_id), "order-actions")

    def on_client_threadsReset(self) -> None:
        self._loaded.clear()  # a resync may have skipped events

    async def _load_actions(self, customer_id: str) -> None:
        shop = self.shop
        if shop is None:
            return
        try:
            actions = await shop.list_order_actions(customer_id=customer_id)
        except BackendError:
            self._loaded.discard(customer_id)  # asked again when the history is shown again
            return  # the history shows the orders without their actions; events fill in
        by_order: dict[str, list[OrderAction]] = {}
        for action in actions:
            by_order.setdefault(action.order_id, []).append(action)
        for order_id, listed in by_order.items():
            self.actions[order_id] = listed
            self.actionsChanged.emit(order_id)

    def _keep(self, action: OrderAction) -> None:
        kept = [a for a in self.actions.get(action.order_id, []) if a.id != action.id]
        self.actions[action.order_id] = sorted(
            [*kept, action], key=lambda a: a.created_at, reverse=True
        )
        self.actionsChanged.emit(action.order_id)
        was = any(p.id == action.id for p in self.pending)
        if action.status == PENDING and self._is_lead():
            if not was:
                self.pending.append(action)
            else:
                self.pending = [action if p.id == action.id else p for p in self.pending]
            self.pendingChanged.emit()
        elif was:
            self.pending = [p for p in self.pending if p.id != action.id]
            self.pendingChanged.emit()

    def _is_lead(self) -> bool:
        me = self.client.me
        return me is not None and me.role == "lead"

    def on_client_orderActionChanged(self, action: OrderAction) -> None:
        self._keep(action)

    def submit(
        self, order_id: str, request: dict[str, Any], client_id: str
    ) -> asyncio.Task[Any] | None:
        """Ask for an action on `order_id` (`request`: type, reason, items, amount, address,
        notify_customer, thread_id). The caller keeps `client_id` for this request: asking again
        with it returns the same action."""
        if self.shop is None or order_id in self.busy:
            return None
        return self._spawn(
            self._submit(order_id, {**request, "client_id": client_id}), "order-action"
        )

    async def _submit(self, order_id: str, request: dict[str, Any]) -> None:
        shop = self.shop
        if shop is None:
            return
        self.busy.add(order_id)
        self.busyChanged.emit(order_id, True)
        try:
            action, order = await shop.submit_order_action(order_id, request)
        except BackendError as exc:
            self.actionRefused.emit(order_id, str(request["client_id"]), error_sentence(exc))
            return
        finally:
            self.busy.discard(order_id)
            self.busyChanged.emit(order_id, False)
        customer_id = order.customer_id or ""
        if customer_id:
            self.client.caches.apply_order(customer_id, order)
        self._keep(action)
        self.actionDone.emit(order_id, action)

    # -- a lead's approvals -------------------------------------------------------------------

    def load_pending(self) -> asyncio.Task[Any] | None:
        if self.shop is None or not self._is_lead():
            return None
        return self._spawn(self._load_pending(), "pending-refunds")

    async def _load_pending(self) -> None:
        shop = self.shop
        if shop is None:
            return
        try:
            self.pending = await shop.list_order_actions(status=PENDING)
        except BackendError:
            return
        self.pendingChanged.emit()

    def decide(self, action_id: str, *, approve: bool, note: str = "") -> asyncio.Task[Any] | None:
        if self.shop is None:
            return None
        return self._spawn(self._decide(action_id, approve, note), "refund-decision")

    async def _decide(self, action_id: str, approve: bool, note: str) -> None:
        shop = self.shop
        if shop is None:
            return
        try:
            action, order = await shop.decide_order_action(action_id, approve=approve, note=note)
        except BackendError as exc:
            self.decisionFailed.emit(action_id, error_sentence(exc))
            return
        if order.customer_id:
            self.client.caches.apply_order(order.customer_id, order)
        self._keep(action)

    # -- customers ------------------------------------------------------------------------------

    def search(self, query: str) -> asyncio.Task[Any] | None:
        """Search shop customers; only the answer to the latest query is announced."""
        self._query = query
        if self.shop is None or not query.strip():
            self.customersFound.emit(query, [])
            return None
        return self._spawn(self._search(query), "customer-search")

    async def _search(self, query: str) -> None:
        shop = self.shop
        if shop is None:
            return
        try:
            found: list[Customer] = await shop.search_customers(query.strip())
        except BackendError as exc:
            if query == self._query:
                self.searchFailed.emit(query, error_sentence(exc))
            return
        if query == self._query:
            self.customersFound.emit(query, found)

    def link(self, thread_id: str, customer_id: str) -> asyncio.Task[Any] | None:
        if self.shop is None:
            return None
        return self._spawn(self._link(thread_id, customer_id), "link-customer")

    async def _link(self, thread_id: str, customer_id: str) -> None:
        shop = self.shop
        if shop is None:
            return
        try:
            thread = await shop.link_customer(thread_id, customer_id)
        except BackendError as exc:
            self.linkFailed.emit(thread_id, error_sentence(exc))
            return
        self._linked(thread)

    def dismiss(self, thread_id: str) -> asyncio.Task[Any] | None:
        if self.shop is None:
            return None
        return self._spawn(self._dismiss(thread_id), "dismiss-suggestion")

    async def _dismiss(self, thread_id: str) -> None:
        shop = self.shop
        if shop is None:
            return
        try:
            thread = await shop.dismiss_customer_suggestion(thread_id)
        except BackendError as exc:
            self.linkFailed.emit(thread_id, error_sentence(exc))
            return
        self._linked(thread)

    def _linked(self, thread: Thread) -> None:
        self.client.sync.upsert_now(thread)
        self.linked.emit(thread.id, thread)
