"""The shop side of the purchase history (ui/purchase_history.py), where the backend has shop
actions (base.ShopActions; the reference server): the banner of the customer the server suggests
for the conversation, the search to link it to a shop customer (ui/customer_link.py), and each
order's actions with their dialogs (ui/order_actions.py), through store/shop.py. Mixed into
PurchaseHistory; no sentence of its own (those are in the dialogs and panels).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from agent_desktop.core import order_rules
from agent_desktop.store.signals import connect_all, disconnect_all
from agent_desktop.ui.customer_link import CustomerSearchDialog, SuggestionBanner
from agent_desktop.ui.order_actions import OrderActionDialog, OrderActionsPanel

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QWidget

    from agent_desktop.core.messenger_types import MessengerState
    from agent_desktop.core.order_types import Customer, Order, OrderAction
    from agent_desktop.core.types import CustomerSuggestion, OrderActionType, Thread
    from agent_desktop.store.shop import ShopStore


class HistoryShop:
    """PurchaseHistory's shop half: the attributes below are PurchaseHistory's."""

    if TYPE_CHECKING:
        customerLinked: SignalInstance
        shop: ShopStore | None
        thread_id: str | None
        thread_customer: str
        suggestion: CustomerSuggestion | None
        banner: SuggestionBanner | None
        dialog: OrderActionDialog | None
        search: CustomerSearchDialog | None
        customer: Customer | None
        orders: list[Order]
        selected_order_id: str | None
        messenger_state: MessengerState | None
        _panels: dict[str, OrderActionsPanel]
        _body: QWidget

        def set_data(
            self, customer: Customer, orders: list[Order], selected: str | None = None
        ) -> None: ...

    def set_thread(self, thread_id: str | None, customer_name: str = "",
                   suggestion: CustomerSuggestion | None = None) -> None:  # fmt: skip
        """The conversation the history is shown for, and the shop customer the server suggests
        it is (shown as a banner until an agent links or dismisses it)."""
        self.thread_id = thread_id
        self.thread_customer = customer_name
        self.set_suggestion(suggestion)

    def set_suggestion(self, suggestion: CustomerSuggestion | None) -> None:
        if suggestion == self.suggestion:
            return
        self.suggestion = suggestion
        if self.customer is not None:
            self.set_data(self.customer, self.orders, self.selected_order_id)

    def _suggestion_banner(self, suggestion: CustomerSuggestion) -> SuggestionBanner:
        banner = SuggestionBanner(suggestion, self._body)
        banner.linkRequested.connect(self.on_banner_linkRequested)
        banner.dismissRequested.connect(self.on_banner_dismissRequested)
        return banner

    def on_banner_linkRequested(self, customer_id: str) -> None:
        if self.shop is not None and self.thread_id and self.banner is not None:
            self.banner.set_busy(True)
            self.shop.link(self.thread_id, customer_id)

    def on_banner_dismissRequested(self) -> None:
        if self.shop is not None and self.thread_id and self.banner is not None:
            self.banner.set_busy(True)
            self.shop.dismiss(self.thread_id)

    def open_customer_search(self) -> None:
        if self.shop is None or not self.thread_id:
            return
        dialog = CustomerSearchDialog(
            self.thread_customer or (self.customer.name if self.customer else ""),
            cast("QWidget", self),
        )
        dialog.searchRequested.connect(self.shop.search)
        dialog.linkRequested.connect(
            lambda customer_id, tid=self.thread_id: (
                self.shop.link(tid, customer_id) if self.shop else None
            )
        )
        dialog.finished.connect(lambda _result: setattr(self, "search", None))
        self.search = dialog
        dialog.open()  # fmt: skip

    def on_shop_customersFound(self, query: str, customers: list[Customer]) -> None:
        if self.search is not None:
            self.search.show_results(query, customers)

    def on_shop_searchFailed(self, query: str, reason: str) -> None:
        if self.search is not None:
            self.search.show_failure(reason)

    def on_shop_linked(self, thread_id: str, thread: Thread) -> None:
        if thread_id != self.thread_id:
            return
        if self.search is not None:
            self.search.accept()
        self.suggestion = thread.customer_suggestion
        self.customerLinked.emit(thread_id)

    def on_shop_linkFailed(self, thread_id: str, reason: str) -> None:
        if thread_id != self.thread_id:
            return
        if self.search is not None:
            self.search.show_failure(reason)
        elif self.banner is not None:
            self.banner.show_failure(reason)

    # --- order actions
    def attach_shop(self, shop: ShopStore | None) -> None:
        """Follow `shop` (None: no shop actions, as with Chatwoot): its actions fill the order
        cards' panels; the dialogs ask through it."""
        old = self.shop
        if old is shop:
            return
        if old is not None:
            disconnect_all(self._shop_pairs(old))
        self.shop = shop
        if shop is not None:
            connect_all(self._shop_pairs(shop))
        if self.customer is not None:
            self.set_data(self.customer, self.orders, self.selected_order_id)

    def _shop_pairs(self, shop: ShopStore) -> list[tuple[Any, Any]]:
        return [
            (shop.actionsChanged, self.on_shop_actionsChanged),
            (shop.busyChanged, self.on_shop_busyChanged),
            (shop.actionDone, self.on_shop_actionDone),
            (shop.actionRefused, self.on_shop_actionRefused),
            (shop.customersFound, self.on_shop_customersFound),
            (shop.searchFailed, self.on_shop_searchFailed),
            (shop.linked, self.on_shop_linked),
            (shop.linkFailed, self.on_shop_linkFailed),
        ]

    def action_panel(self, order_id: str) -> OrderActionsPanel | None:
        return self._panels.get(order_id)

    def open_action_dialog(self, order_id: str, kind: OrderActionType) -> OrderActionDialog | None:
        order = next((o for o in self.orders if o.id == order_id), None)
        if order is None or self.shop is None or kind not in order.allowed_actions:
            return None
        if self.dialog is not None:
            self.dialog.close()
        # Refunds and returns still running (or waiting for a lead) count already, as the
        # server counts them when it checks the request.
        order = order_rules.projected(order, self.shop.actions_of(order_id))
        messenger = self.messenger_state is not None and self.messenger_state.is_messenger
        dialog = OrderActionDialog(
            order, kind, thread_id=self.thread_id, messenger=messenger, parent=cast("QWidget", self)
        )  # fmt: skip
        dialog.submitted.connect(self.on_dialog_submitted)
        dialog.finished.connect(lambda _result, d=dialog: self._dialog_closed(d))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: OrderActionDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def on_dialog_submitted(self, order_id: str, request: dict[str, Any], client_id: str) -> None:
        if self.shop is not None:
            self.shop.submit(order_id, request, client_id)

    def on_shop_actionsChanged(self, order_id: str) -> None:
        panel = self._panels.get(order_id)
        if panel is not None and self.shop is not None:
            panel.set_actions(self.shop.actions_of(order_id))

    def on_shop_busyChanged(self, order_id: str, busy: bool) -> None:
        panel = self._panels.get(order_id)
        if panel is not None:
            panel.set_busy(busy)

    def on_shop_actionDone(self, order_id: str, action: OrderAction) -> None:
        dialog = self.dialog
        if dialog is not None and dialog.client_id == action.client_id:
            dialog.accept()

    def on_shop_actionRefused(self, order_id: str, client_id: str, reason: str) -> None:
        dialog = self.dialog
        if dialog is not None and dialog.client_id == client_id:
            dialog.show_refusal(reason)
