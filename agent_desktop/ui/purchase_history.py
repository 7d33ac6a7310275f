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
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.store.signals import connect_all, disconnect_all
from agent_desktop.ui import fmt, plain_text, theme
from agent_desktop.ui.history_shop import HistoryShop
from agent_desktop.ui.order_actions import OrderActionDialog, OrderActionsPanel
from agent_desktop.ui.order_pieces import OrderPieces, OrderStatusAction, plain

if TYPE_CHECKING:
    from agent_desktop.core.messenger_types import MessengerState
    from agent_desktop.core.order_types import Customer, Order
    from agent_desktop.core.types import CustomerSuggestion, Message
    from agent_desktop.store.messenger import MessengerStore
    from agent_desktop.store.shop import ShopStore
    from agent_desktop.ui.customer_link import CustomerSearchDialog, SuggestionBanner

THUMB = 44


class PurchaseHistory(HistoryShop, QScrollArea):
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
        self.pieces = OrderPieces(self)
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
        head.addWidget(plain(self.pieces.status_text(order.status), wrap=False))
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
                .replace("%2", self.pieces.status_text(order.payment.status)),
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
        titles = {i.sku: i.title for o in self.orders for i in o.items}
        for number, ship in enumerate(shipments, 1):
            box.addWidget(self.pieces.shipment(ship, number if len(shipments) > 1 else 0, titles))
        for ret in order.returns:
            box.addWidget(self.pieces.return_box(order, ret))
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
            disconnect_all(self._messenger_pairs(old))
            with contextlib.suppress(RuntimeError):
                old.stop()
        self.messenger = messenger
        if messenger is not None:
            connect_all(self._messenger_pairs(messenger))
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
