"""The purchase history pane: the customer's card and every order, newest first, with items,
totals, payment, address, its parcels' tracking timelines, refunds and returns. Clicking an order
selects it for quick-reply templates. On a Messenger thread each order has "Send order status" (a
receipt, or a shipping update once it has shipped), disabled with the server's reason when
Messenger forbids it. Where the backend has shop actions, each order offers the actions its state
allows (ui/order_actions.py) and the conversation's customer can be linked to the shop's record
(ui/customer_link.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QEnterEvent, QGuiApplication, QMouseEvent, QPalette, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.backends.base import MessengerState
from agent_desktop.core.types import (
    Customer,
    CustomerSuggestion,
    Message,
    Order,
    OrderAction,
    OrderActionType,
    Shipment,
    Thread,
)
from agent_desktop.store.messenger import MessengerStore, order_message_kind
from agent_desktop.store.shop import ShopStore
from agent_desktop.ui import fmt, plain_text, theme
from agent_desktop.ui.customer_link import CustomerSearchDialog, SuggestionBanner
from agent_desktop.ui.order_actions import OrderActionDialog, OrderActionsPanel

THUMB = 44


class SelectableLabel(QLabel):
    """A label whose text the agent can select with the mouse, made selectable when the pointer
    first comes over it (or presses it): a selectable QLabel keeps a text control with its own
    QTextDocument and layout, about 25 KB, and a customer's history has a hundred or more labels
    of which few are ever selected. Plain text, as every label (ui/plain_text.py)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)

    def enterEvent(self, event: QEnterEvent) -> None:
        self.make_selectable()
        super().enterEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.make_selectable()  # before Qt hands the press to the (new) text control
        super().mousePressEvent(event)

    def make_selectable(self) -> None:
        if not self.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse:
            self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)


def plain(text: str, *, bold: bool = False, muted: bool = False, wrap: bool = True) -> QLabel:
    """A label that never interprets its text as markup, selectable with the mouse."""
    label = SelectableLabel()
    label.setText(text)
    label.setWordWrap(wrap)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    if muted:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class OrderStatusAction(QWidget):
    """The "Send order status" button of one order card, with a small line under it saying why it
    is disabled (the server's sentence) or how the last send went."""

    def __init__(self, order: Order, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderStatusAction")
        self.order = order
        self.kind = order_message_kind(order)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 4, 0, 0)
        box.setSpacing(2)
        row = QHBoxLayout()
        self.button = QPushButton(self)
        self.button.setObjectName("orderStatusButton")
        row.addWidget(self.button)
        row.addStretch(1)
        box.addLayout(row)
        self.reason = plain("", muted=True)
        self.reason.setObjectName("orderStatusReason")
        font = self.reason.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.reason.setFont(font)
        self.reason.hide()
        box.addWidget(self.reason)
        self.busy = False
        self.result: tuple[str, bool] | None = None  # (sentence, failed) of the last send

    def what(self) -> str:
        if self.kind == "shipping_update":
            return self.tr(
                "Sends the carrier, the tracking link and the expected delivery date to the "
                "customer on Messenger."
            )
        return self.tr("Sends the receipt (items, totals) to the customer on Messenger.")

    def apply(self, state: MessengerState | None) -> None:
        """Hidden when the bridge is off or the thread is not from Messenger; disabled with the
        reason when Messenger does not allow an order update now."""
        if state is None or not state.is_messenger or self.kind is None:
            self.hide()
            return
        blocked = state.order_update_block_reason
        self.button.setText(self.tr("Sending…") if self.busy else self.tr("Send order status"))
        self.button.setEnabled(blocked is None and not self.busy)
        self.button.setToolTip(plain_text.tooltip(blocked or self.what()))
        self.button.setAccessibleDescription(blocked or self.what())
        text = blocked
        failed = blocked is not None
        if text is None and self.result is not None:
            text, failed = self.result
        self.reason.setText(text or "")
        self.reason.setVisible(bool(text))
        self.reason.setProperty("failed", failed)
        palette = self.reason.palette()
        if failed and blocked is None:
            palette.setColor(QPalette.ColorRole.WindowText, theme.FAILED)
            self.reason.setForegroundRole(QPalette.ColorRole.WindowText)
        else:
            self.reason.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.reason.setPalette(palette)
        self.show()


class PurchaseHistory(QScrollArea):
    """Signals:
    orderSelected(str order_id)        the agent picked an order for templates
    orderStatusRequested(str order_id) the agent clicked "Send order status" on an order
    customerLinked(str thread_id)      the conversation now belongs to another customer
    """

    orderSelected = Signal(str)
    orderStatusRequested = Signal(str)
    customerLinked = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        pixmap_for: Callable[[str], QPixmap | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("purchaseHistory")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._pixmap_for = pixmap_for or (lambda url: None)
        self._image_labels: dict[str, list[QLabel]] = {}
        self._order_frames: dict[str, QFrame] = {}
        self._order_actions: dict[str, OrderStatusAction] = {}
        self.messenger: MessengerStore | None = None
        self.messenger_state: MessengerState | None = None
        self.shop: ShopStore | None = None
        self.thread_id: str | None = None
        self.thread_customer = ""  # the conversation's customer's name, for the search dialog
        self.suggestion: CustomerSuggestion | None = None
        self.banner: SuggestionBanner | None = None
        self.dialog: OrderActionDialog | None = None
        self.search: CustomerSearchDialog | None = None
        self._panels: dict[str, OrderActionsPanel] = {}
        self.customer: Customer | None = None
        self.orders: list[Order] = []
        self.selected_order_id: str | None = None
        self._body = QWidget()
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(10, 10, 10, 10)
        self._layout.setSpacing(10)
        self.setWidget(self._body)
        self.show_message(self.tr("Select a conversation to see the customer's orders."))

    # --- filling
    def _clear(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        self._image_labels.clear()
        self._order_frames.clear()
        self._order_actions.clear()
        self._panels.clear()
        self.banner = None

    def show_message(self, text: str) -> None:
        self._clear()
        self.customer = None
        self.orders = []
        label = plain(text, muted=True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(label)
        self._layout.addStretch(1)

    def set_data(
        self, customer: Customer, orders: list[Order], selected: str | None = None
    ) -> None:
        self._clear()
        self.customer = customer
        self.orders = sorted(orders, key=lambda o: o.placed_at, reverse=True)
        if self.suggestion is not None and self.shop is not None and self.shop.available:
            self.banner = self._suggestion_banner(self.suggestion)
            self._layout.addWidget(self.banner)
        self._layout.addWidget(self._customer_card(customer))
        title = plain(self.tr("Orders (%1)").replace("%1", str(len(self.orders))), bold=True)
        self._layout.addWidget(title)
        if not self.orders:
            self._layout.addWidget(plain(self.tr("No orders yet."), muted=True))
        for order in self.orders:
            frame = self._order_card(order)
            self._order_frames[order.id] = frame
            self._layout.addWidget(frame)
        self._layout.addStretch(1)
        self.select_order(selected or (self.orders[0].id if self.orders else None), emit=False)
        if self.shop is not None and self.orders:
            self.shop.load_actions(customer.id)

    def select_order(self, order_id: str | None, emit: bool = True) -> None:
        self.selected_order_id = order_id
        for oid, frame in self._order_frames.items():
            frame.setProperty("selected", oid == order_id)
            frame.setFrameShadow(QFrame.Shadow.Plain)
            frame.setLineWidth(2 if oid == order_id else 1)
            frame.setStyleSheet(
                "QFrame#orderCard { border: 2px solid palette(highlight); border-radius: 6px; }"
                if oid == order_id
                else "QFrame#orderCard { border: 1px solid palette(mid); border-radius: 6px; }"
            )
        if emit and order_id:
            self.orderSelected.emit(order_id)

    def selected_order(self) -> Order | None:
        return next((o for o in self.orders if o.id == self.selected_order_id), None)

    def on_images_loaded(self, url: str) -> None:
        for label in self._image_labels.get(url, []):
            self._apply_pixmap(label, url)

    # --- pieces
    def _customer_card(self, c: Customer) -> QWidget:
        card = QFrame()
        card.setObjectName("customerCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(card)
        grid.setContentsMargins(10, 10, 10, 10)
        grid.setHorizontalSpacing(10)
        avatar = plain_text.label()
        avatar.setFixedSize(48, 48)
        avatar.setPixmap(self._avatar_pixmap(c))
        grid.addWidget(avatar, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
        name = plain(c.name, bold=True)
        font = name.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        name.setFont(font)
        grid.addWidget(name, 0, 1)
        contact = "\n".join(x for x in (c.email, c.phone) if x)
        grid.addWidget(plain(contact or self.tr("No contact details"), muted=not contact), 1, 1)
        facts = QGridLayout()
        facts.setHorizontalSpacing(12)
        rows = [
            (self.tr("Customer since"), fmt.day(c.customer_since)),
            (self.tr("Orders"), fmt.number(c.order_count or len(self.orders))),
            (self.tr("Lifetime value"), fmt.money(c.lifetime_value, c.currency)),
            (
                self.tr("Order updates"),
                self.tr("Consented") if c.consent.order_updates else self.tr("No consent"),
            ),
        ]
        for i, (k, v) in enumerate(rows):
            facts.addWidget(plain(k, muted=True, wrap=False), i, 0)
            facts.addWidget(plain(v), i, 1)
        facts.setColumnStretch(1, 1)
        grid.addLayout(facts, 2, 0, 1, 2)
        if c.source is None and self.shop is not None and self.shop.available and self.thread_id:
            find = QPushButton(self.tr("&Find in the shop…"), card)
            find.setObjectName("findCustomer")
            find.setToolTip(
                plain_text.tooltip(
                    self.tr("Link this conversation to the customer's record in the shop.")
                )
            )
            find.clicked.connect(self.open_customer_search)
            grid.addWidget(find, 3, 0, 1, 2, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(1, 1)
        return card

    def _avatar_pixmap(self, c: Customer) -> QPixmap:
        from PySide6.QtCore import QRectF
        from PySide6.QtGui import QPainter

        ratio = self.devicePixelRatioF()
        pix = QPixmap(int(48 * ratio), int(48 * ratio))
        pix.setDevicePixelRatio(ratio)
        pix.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pix)
        theme.paint_avatar(
            painter,
            QRectF(0, 0, 48, 48),
            c.name,
            c.id,
            self._pixmap_for(c.avatar_url or "") if c.avatar_url else None,
        )
        painter.end()
        return pix

    def status_text(self, status: str) -> str:
        names = {
            "placed": self.tr("Placed"),
            "paid": self.tr("Paid"),
            "processing": self.tr("Processing"),
            "shipped": self.tr("Shipped"),
            "in_transit": self.tr("In transit"),
            "out_for_delivery": self.tr("Out for delivery"),
            "delivered": self.tr("Delivered"),
            "delayed": self.tr("Delayed"),
            "cancelled": self.tr("Cancelled"),
            "returned": self.tr("Returned"),
            "refunded": self.tr("Refunded"),
            "pending": self.tr("Pending"),
            "authorized": self.tr("Authorised"),
            "failed": self.tr("Failed"),
            "label_created": self.tr("Label created"),
            "picked_up": self.tr("Picked up"),
            "exception": self.tr("Problem"),
            "partially_shipped": self.tr("Partly shipped"),
            "partially_refunded": self.tr("Partly refunded"),
            "failure": self.tr("Delivery failed"),
            "requested": self.tr("Requested"),
            "open": self.tr("Open"),
            "received": self.tr("Received"),
            "closed": self.tr("Closed"),
            "declined": self.tr("Declined"),
        }
        return names.get(status, status.replace("_", " ").capitalize())

    def _order_card(self, order: Order) -> QFrame:
        card = QFrame()
        card.setObjectName("orderCard")
        card.setProperty("order_id", order.id)
        card.setCursor(Qt.CursorShape.PointingHandCursor)
        card.installEventFilter(self)
        box = QVBoxLayout(card)
        box.setContentsMargins(10, 8, 10, 10)
        box.setSpacing(4)
        head = QHBoxLayout()
        head.addWidget(
            plain(self.tr("Order %1").replace("%1", order.number), bold=True, wrap=False)
        )
        head.addStretch(1)
        head.addWidget(plain(self.status_text(order.status), wrap=False))
        box.addLayout(head)
        box.addWidget(plain(fmt.date_time(order.placed_at), muted=True))
        for item in order.items:
            row = QHBoxLayout()
            pic = plain_text.label()
            pic.setFixedSize(THUMB, THUMB)
            pic.setAlignment(Qt.AlignmentFlag.AlignCenter)
            pic.setFrameShape(QFrame.Shape.StyledPanel)
            if item.image_url:
                self._image_labels.setdefault(item.image_url, []).append(pic)
                self._apply_pixmap(pic, item.image_url)
            row.addWidget(pic)
            text = QVBoxLayout()
            text.setSpacing(0)
            text.addWidget(plain(item.title))
            text.addWidget(
                plain(
                    self.tr("%1 × %2")
                    .replace("%1", str(item.quantity))
                    .replace("%2", fmt.money(item.unit_price, order.currency)),
                    muted=True,
                )
            )
            row.addLayout(text, 1)
            row.addWidget(
                plain(fmt.money(item.unit_price * item.quantity, order.currency), wrap=False),
                0,
                Qt.AlignmentFlag.AlignTop,
            )
            box.addLayout(row)
        totals = QGridLayout()
        totals.setHorizontalSpacing(8)
        totals.setVerticalSpacing(1)
        rows = [(self.tr("Subtotal"), order.subtotal, False)]
        if order.discount:
            codes = ", ".join(d.code for d in order.discounts if d.code)
            name = self.tr("Discount (%1)").replace("%1", codes) if codes else self.tr("Discount")
            rows.append((name, -order.discount, False))
        rows += [
            (self.tr("Shipping"), order.shipping, False),
            (self.tr("Tax"), order.tax, False),
            (self.tr("Total"), order.total, True),
        ]
        if order.refunded:
            rows.append((self.tr("Refunded so far"), -order.refunded, False))
        for i, (label, value, bold) in enumerate(rows):
            totals.addWidget(plain(label, bold=bold, wrap=False), i, 0)
            value_label = plain(fmt.money(value, order.currency), bold=bold, wrap=False)
            value_label.setAlignment(Qt.AlignmentFlag.AlignRight)
            totals.addWidget(value_label, i, 1)
        totals.setColumnStretch(0, 1)
        box.addLayout(totals)
        box.addWidget(
            plain(
                self.tr("Payment: %1 (%2)")
                .replace("%1", order.payment.method.replace("_", " "))
                .replace("%2", self.status_text(order.payment.status)),
            )
        )
        addr = order.shipping_address
        lines = [
            addr.name,
            addr.line1,
            addr.line2,
            " ".join(x for x in (addr.postal_code, addr.city) if x),
            addr.country,
        ]
        box.addWidget(plain(self.tr("Ship to: %1").replace("%1", ", ".join(x for x in lines if x))))
        shipments = order.shipments or ([order.shipment] if order.shipment else [])
        for number, ship in enumerate(shipments, 1):
            box.addWidget(self._shipment(ship, number if len(shipments) > 1 else 0))
        for ret in order.returns:
            box.addWidget(self._return(order, ret))
        if self.shop is not None and self.shop.available:
            panel = OrderActionsPanel(order, card)
            panel.actionRequested.connect(self.open_action_dialog)
            panel.set_actions(self.shop.actions_of(order.id))
            panel.set_busy(order.id in self.shop.busy)
            self._panels[order.id] = panel
            box.addWidget(panel)
        action = OrderStatusAction(order, card)
        action.button.clicked.connect(lambda: self.orderStatusRequested.emit(order.id))
        self._order_actions[order.id] = action
        action.apply(self.messenger_state)
        box.addWidget(action)
        return card

    # --- Messenger order messages
    def attach_messenger(self, messenger: MessengerStore | None) -> None:
        """Follow `messenger` (None: no Messenger actions): its facts enable or disable the
        "Send order status" buttons, and a click sends through it. The history owns it from now
        on: the previous one is stopped."""
        old = self.messenger
        if old is messenger:
            return
        if old is not None:
            for signal, slot in self._messenger_pairs(old):
                with contextlib.suppress(RuntimeError, TypeError):  # the store is gone already
                    signal.disconnect(slot)
            with contextlib.suppress(RuntimeError):
                old.stop()
        self.messenger = messenger
        if messenger is not None:
            for signal, slot in self._messenger_pairs(messenger):
                signal.connect(slot)
        self.on_messenger_stateChanged(messenger.state if messenger is not None else None)

    def _messenger_pairs(self, messenger: MessengerStore) -> list[tuple[Any, Any]]:
        return [
            (messenger.stateChanged, self.on_messenger_stateChanged),
            (messenger.busyChanged, self.on_messenger_busyChanged),
            (messenger.orderMessageSent, self.on_messenger_orderMessageSent),
            (messenger.orderMessageFailed, self.on_messenger_orderMessageFailed),
            (self.orderStatusRequested, self.on_self_orderStatusRequested),
        ]

    def on_self_orderStatusRequested(self, order_id: str) -> None:
        order = next((o for o in self.orders if o.id == order_id), None)
        if self.messenger is not None and order is not None:
            self.messenger.send_order_status(order)

    def on_messenger_stateChanged(self, state: MessengerState | None) -> None:
        previous = self.messenger_state
        if state is None or (previous is not None and previous.thread_id != state.thread_id):
            for action in self._order_actions.values():  # another thread: forget the last send
                action.result = None
        self.messenger_state = state
        for action in self._order_actions.values():
            action.apply(state)

    def on_messenger_busyChanged(self, order_id: str, busy: bool) -> None:
        action = self._order_actions.get(order_id)
        if action is not None:
            action.busy = busy
            if busy:
                action.result = None
            action.apply(self.messenger_state)

    def on_messenger_orderMessageSent(self, order_id: str, message: Message) -> None:
        action = self._order_actions.get(order_id)
        if action is not None:
            action.result = (
                self.tr("Added to the conversation at %1.").replace(
                    "%1", fmt.time_of_day(message.created_at)
                ),
                False,
            )
            action.apply(self.messenger_state)

    def on_messenger_orderMessageFailed(self, order_id: str, reason: str) -> None:
        action = self._order_actions.get(order_id)
        if action is not None:
            action.result = (self.tr("Not sent: %1").replace("%1", reason), True)
            action.apply(self.messenger_state)

    def order_status_action(self, order_id: str) -> OrderStatusAction | None:
        return self._order_actions.get(order_id)

    def _shipment(self, ship: Shipment, number: int = 0) -> QWidget:
        """A parcel and its tracking timeline (`number` 1, 2… when the order has several)."""
        w = QWidget()
        w.setObjectName("shipment")
        v = QVBoxLayout(w)
        v.setContentsMargins(0, 4, 0, 0)
        v.setSpacing(2)
        if number:
            parcel = self.tr("Parcel %1").replace("%1", str(number))
            if ship.items:
                titles = {i.sku: i.title for o in self.orders for i in o.items}
                held = ", ".join(f"{i.quantity} × {titles.get(i.sku) or i.sku}" for i in ship.items)
                parcel = self.tr("Parcel %1: %2").replace("%1", str(number)).replace("%2", held)
            v.addWidget(plain(parcel, bold=True))
        row = QHBoxLayout()
        carrier = ship.carrier or self.tr("Carrier not given")
        tracking = ship.tracking_number or self.tr("no tracking number yet")
        label = plain(self.tr("%1 · %2").replace("%1", carrier).replace("%2", tracking), wrap=False)
        label.setObjectName("trackingNumber")
        row.addWidget(label)
        copy = QToolButton()
        copy.setObjectName("copyTracking")
        copy.setText(self.tr("Copy"))
        copy.setToolTip(self.tr("Copy the tracking number"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(ship.tracking_number))
        if not ship.tracking_number:  # (never show() a button without a parent: a window)
            copy.hide()
        row.addWidget(copy)
        row.addStretch(1)
        v.addLayout(row)
        status = self.status_text(ship.status)
        if ship.eta is not None and ship.status != "delivered":
            status = (
                self.tr("%1 · expected %2").replace("%1", status).replace("%2", fmt.day(ship.eta))
            )
        v.addWidget(plain(status, bold=True))
        for event in sorted(ship.events, key=lambda e: e.at, reverse=True):
            text = f"{fmt.date_time(event.at)}  {self.status_text(event.status)}"
            if event.location:
                text += f" · {event.location}"
            line = plain("• " + text, muted=True)
            line.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            v.addWidget(line)
        return w

    def _return(self, order: Order, ret: Any) -> QWidget:
        """A return: what comes back, its state and its parcel."""
        w = QWidget()
        w.setObjectName("return")
        v = QVBoxLayout(w)
        v.setContentsMargins(0, 4, 0, 0)
        v.setSpacing(2)
        titles = {i.sku: i.title for i in order.items}
        items = ", ".join(f"{i.quantity} × {titles.get(i.sku) or i.sku}" for i in ret.items)
        head = self.tr("Return (%1): %2").replace("%1", self.status_text(ret.status))
        v.addWidget(plain(head.replace("%2", items or "-"), bold=True))
        if ret.tracking_number:
            v.addWidget(
                plain(
                    self.tr("%1 · %2")
                    .replace("%1", ret.carrier or self.tr("Carrier not given"))
                    .replace("%2", ret.tracking_number),
                    muted=True,
                )
            )
        for event in sorted(ret.events, key=lambda e: e.at, reverse=True)[:3]:
            text = f"{fmt.date_time(event.at)}  {self.status_text(event.status)}"
            if event.location:
                text += f" · {event.location}"
            v.addWidget(plain("• " + text, muted=True))
        return w

    # --- the conversation's customer in the shop
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
            self.thread_customer or (self.customer.name if self.customer else ""), self
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
            for signal, slot in self._shop_pairs(old):
                with contextlib.suppress(RuntimeError, TypeError):
                    signal.disconnect(slot)
        self.shop = shop
        if shop is not None:
            for signal, slot in self._shop_pairs(shop):
                signal.connect(slot)
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
        messenger = self.messenger_state is not None and self.messenger_state.is_messenger
        dialog = OrderActionDialog(
            order, kind, thread_id=self.thread_id, messenger=messenger, parent=self
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

    def _apply_pixmap(self, label: QLabel, url: str) -> None:
        pix = self._pixmap_for(url)
        if pix is None or pix.isNull():
            return
        ratio = self.devicePixelRatioF()
        scaled = pix.scaled(
            int(THUMB * ratio),
            int(THUMB * ratio),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        scaled.setDevicePixelRatio(ratio)
        label.setPixmap(scaled)
        label.setProperty("loaded", True)

    def pictures_loaded(self) -> bool:
        return all(
            bool(lbl.property("loaded")) for labels in self._image_labels.values() for lbl in labels
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            oid = watched.property("order_id")
            if oid:
                self.select_order(str(oid))
        return super().eventFilter(watched, event)
