"""The purchase history pane on its own: its labels become selectable when the pointer first
comes over them or presses them (a selectable label keeps a text document of its own)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QEnterEvent
from PySide6.QtWidgets import QApplication

from agent_desktop.core.order_types import Address, Customer, Order, OrderItem, Payment
from agent_desktop.ui.order_pieces import SelectableLabel
from agent_desktop.ui.purchase_history import PurchaseHistory

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse


def history(qtbot: Any) -> PurchaseHistory:
    pane = PurchaseHistory()
    qtbot.add_widget(pane)
    pane.resize(340, 700)
    customer = Customer(id="c1", name="Camille Martin", email="camille@x.test", customer_since=AT)
    order = Order(
        id="o1",
        number="#1042",
        placed_at=AT,
        status="paid",
        currency="EUR",
        items=[OrderItem(sku="L1", title="Brass bedside lamp", quantity=2, unit_price=4900)],
        subtotal=9800,
        shipping=0,
        tax=0,
        total=9800,
        payment=Payment(method="card", status="paid"),
        shipping_address=Address(name="Camille Martin", city="Lyon"),
    )
    pane.set_data(customer, [order])
    pane.show()
    qtbot.wait_exposed(pane)
    return pane


def label(pane: PurchaseHistory, text: str) -> SelectableLabel:
    found = [lbl for lbl in pane.findChildren(SelectableLabel) if lbl.text() == text]
    assert len(found) == 1
    return found[0]


def test_labels_are_selectable_once_the_pointer_comes_over_them(qtbot: Any) -> None:
    pane = history(qtbot)
    labels = pane.findChildren(SelectableLabel)
    assert len(labels) > 10
    assert not any(lbl.textInteractionFlags() & SELECTABLE for lbl in labels)
    name = label(pane, "Camille Martin")
    QApplication.sendEvent(name, QEnterEvent(QPointF(2, 2), QPointF(2, 2), QPointF(2, 2)))
    assert name.textInteractionFlags() & SELECTABLE
    others = [lbl for lbl in labels if lbl is not name]
    assert not any(lbl.textInteractionFlags() & SELECTABLE for lbl in others)


def test_the_first_press_on_a_label_already_selects(qtbot: Any) -> None:
    pane = history(qtbot)
    number = label(pane, "Order #1042")
    point = QPoint(number.width() // 4, number.height() // 2)
    qtbot.mouseDClick(number, Qt.MouseButton.LeftButton, pos=point)
    assert number.textInteractionFlags() & SELECTABLE
    assert number.hasSelectedText()
