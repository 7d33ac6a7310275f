"""The parts of an order card in the purchase history (ui/purchase_history.py): plain
selectable labels, the "Send order status" button with its line, the status names, a parcel with
its tracking timeline and a return. Every text is plain (ui/plain_text.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QEnterEvent, QGuiApplication, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.store.messenger import order_message_kind
from agent_desktop.ui import fmt, plain_text, theme
from agent_desktop.ui.messenger_text import messenger_text

if TYPE_CHECKING:
    from agent_desktop.core.messenger_types import MessengerState
    from agent_desktop.core.order_types import Order, Return, Shipment


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

    def what(self, via: str | None = None) -> str:
        if via == "utility":
            return self.tr(
                "The customer's last message is more than 24 hours old: sends the update as a "
                "utility message from the Page's approved template, with this order's values."
            )
        if self.kind == "shipping_update":
            return self.tr(
                "Sends the carrier, the tracking link and the expected delivery date to the "
                "customer on Messenger."
            )
        return self.tr("Sends the receipt (items, totals) to the customer on Messenger.")

    def apply(self, state: MessengerState | None) -> None:
        """Hidden when the bridge is off or the thread is not from Messenger; disabled with the
        reason (in the interface's language) when Messenger does not allow this update now."""
        if state is None or not state.is_messenger or self.kind is None:
            self.hide()
            return
        fact = state.order_update(self.kind)
        blocked = messenger_text().block(fact.block)
        what = self.what(fact.via)
        self.button.setText(self.tr("Sending…") if self.busy else self.tr("Send order status"))
        self.button.setEnabled(blocked is None and not self.busy)
        self.button.setToolTip(plain_text.tooltip(blocked or what))
        self.button.setAccessibleDescription(blocked or what)
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


class OrderPieces(QObject):
    """Builds the status names, parcels and returns of order cards (translated here)."""

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

    def shipment(self, ship: Shipment, number: int, titles: dict[str, str]) -> QWidget:
        """A parcel and its tracking timeline (`number` 1, 2… when the order has several)."""
        w = QWidget()
        w.setObjectName("shipment")
        v = QVBoxLayout(w)
        v.setContentsMargins(0, 4, 0, 0)
        v.setSpacing(2)
        if number:
            parcel = self.tr("Parcel %1").replace("%1", str(number))
            if ship.items:
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

    def return_box(self, order: Order, ret: Return) -> QWidget:
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
