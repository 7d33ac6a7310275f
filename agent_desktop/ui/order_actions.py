"""Order actions in the purchase history: the buttons an order's state allows (cancel, refund,
return, change the address), the list of what was asked and how it went, and the dialog for each
action, which checks what is typed as it is typed (quantities, the amount in the order's currency,
the reason, the address) and shows the shop's refusal in words when there is one.

The dialog keeps one client id for as long as it is open: sending again after a lost answer or a
double click asks for the same action, never a second refund.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.core import order_rules as rules
from agent_desktop.core.money import MoneyError, parse_amount, precision
from agent_desktop.store.shop import new_client_id
from agent_desktop.ui import fmt, plain_text, theme

if TYPE_CHECKING:
    from agent_desktop.core.literals import OrderActionType
    from agent_desktop.core.order_types import ItemQuantity, Order, OrderAction

KINDS: tuple[OrderActionType, ...] = ("cancel", "refund", "return", "change_address")


def _small(label: QLabel) -> QLabel:
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    return label


def _tint(label: QLabel, failed: bool) -> None:
    palette = label.palette()
    if failed:
        palette.setColor(QPalette.ColorRole.WindowText, theme.FAILED)
        label.setForegroundRole(QPalette.ColorRole.WindowText)
    else:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setPalette(palette)


class OrderActionsPanel(QWidget):
    """The actions of one order card.

    Signals:
      actionRequested(str, str)   order id, action type: the agent clicked one of the buttons
    """

    actionRequested = Signal(str, str)

    def __init__(self, order: Order, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderActions")
        self.order = order
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 4, 0, 0)
        box.setSpacing(2)
        # Two buttons a row: the pane is narrow (a third of a 1024-pixel window).
        grid = QGridLayout()
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(4)
        self.buttons: dict[str, QPushButton] = {}
        shown = 0
        for kind in KINDS:
            button = QPushButton(self.button_text(kind), self)
            button.setObjectName(f"action-{kind}")
            button.setToolTip(plain_text.tooltip(self.button_help(kind)))
            button.setAccessibleDescription(self.button_help(kind))
            button.clicked.connect(lambda _=False, k=kind: self.actionRequested.emit(order.id, k))
            self.buttons[kind] = button
            if kind in order.allowed_actions:
                grid.addWidget(button, shown // 2, shown % 2)
                shown += 1
            else:
                button.hide()
        grid.setColumnStretch(2, 1)
        box.addLayout(grid)
        self._lines = QVBoxLayout()
        self._lines.setSpacing(1)
        box.addLayout(self._lines)
        self.busy = False
        self.order_actions: list[OrderAction] = []

    def button_text(self, kind: str) -> str:
        return {
            "cancel": self.tr("Cancel order…"),
            "refund": self.tr("Refund…"),
            "return": self.tr("Return…"),
            "change_address": self.tr("Change address…"),
        }[kind]

    def button_help(self, kind: str) -> str:
        return {
            "cancel": self.tr("Cancels the order in the shop and refunds what was paid."),
            "refund": self.tr("Refunds an amount, or the price of some items, to the customer."),
            "return": self.tr("Opens a return for items the customer sends back."),
            "change_address": self.tr("Changes where the order will be delivered."),
        }[kind]

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in self.buttons.values():
            button.setEnabled(not busy)

    def set_actions(self, actions: list[OrderAction]) -> None:
        self.order_actions = actions
        while self._lines.count():
            item = self._lines.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for action in actions[:5]:
            label = _small(plain_text.label(self.describe(action), self, wrap=True))
            label.setObjectName("actionLine")
            label.setProperty("status", action.status)
            _tint(label, action.status in ("failed", "declined"))
            self._lines.addWidget(label)

    def what(self, action: OrderAction) -> str:
        names = {
            "cancel": self.tr("Cancellation"),
            "refund": self.tr("Refund"),
            "return": self.tr("Return"),
            "change_address": self.tr("Address change"),
        }
        text = names.get(action.type, action.type)
        if action.type == "refund" and action.amount is not None:
            text += " " + fmt.money(action.amount, action.currency or self.order.currency)
        if action.items and action.type == "return":
            text += " (" + ", ".join(f"{i.quantity} × {i.sku}" for i in action.items) + ")"
        return text

    def describe(self, action: OrderAction) -> str:
        """One line: what, how it went, who and when."""
        who = action.agent_name or self.tr("someone")
        when = fmt.date_time(action.created_at)
        head = self.tr("%1 by %2, %3").replace("%1", self.what(action)).replace("%2", who)
        head = head.replace("%3", when)
        if action.status == "done":
            return self.tr("%1: done.").replace("%1", head)
        if action.status == "in_progress":
            return self.tr("%1: in progress in the shop.").replace("%1", head)
        if action.status == "pending_approval":
            return self.tr("%1: waiting for a team lead's approval.").replace("%1", head)
        if action.status == "declined":
            lead = action.decided_by_name or self.tr("a team lead")
            text = self.tr("%1: declined by %2.").replace("%1", head).replace("%2", lead)
            return text + (f" {action.decision_note}" if action.decision_note else "")
        reason = action.error or self.tr("the shop refused it.")
        return self.tr("%1: failed: %2").replace("%1", head).replace("%2", reason)


class OrderActionDialog(QDialog):
    """Asks for one action on one order; checks as the agent types.

    Signals:
      submitted(str, object, str)   order id, the request (dict), the dialog's client id
    """

    submitted = Signal(str, object, str)

    def __init__(
        self,
        order: Order,
        kind: OrderActionType,
        *,
        thread_id: str | None = None,
        messenger: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"orderActionDialog-{kind}")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.order = order
        self.kind = kind
        self.thread_id = thread_id
        self.client_id = new_client_id()
        self.busy = False
        self._amount_typed = False
        self.setWindowTitle(self.title())
        box = QVBoxLayout(self)
        intro = plain_text.label(self.intro(), self, wrap=True)
        intro.setObjectName("intro")
        box.addWidget(intro)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        box.addLayout(form)
        self.quantities: dict[str, QSpinBox] = {}
        self.amount: QLineEdit | None = None
        self.address: dict[str, QLineEdit] = {}
        if kind in ("refund", "return"):
            left = rules.refundable_items(order) if kind == "refund" else rules.returnable(order)
            titles = {i.sku: i.title for i in order.items}
            for sku in dict.fromkeys(i.sku for i in order.items):
                spin = QSpinBox(self)
                spin.setObjectName(f"qty-{sku}")
                spin.setRange(0, max(0, left[sku]))
                spin.setEnabled(left[sku] > 0)
                spin.setAccessibleName(titles[sku])
                spin.valueChanged.connect(self.on_quantity_changed)
                self.quantities[sku] = spin
                name = self.tr("%1 (of %2)").replace("%1", titles[sku] or sku)
                form.addRow(plain_text.label(name.replace("%2", str(left[sku])), self), spin)
        if kind == "refund":
            self.amount = QLineEdit(self)
            self.amount.setObjectName("amount")
            self.amount.setPlaceholderText(fmt.amount(rules.refundable(order), order.currency))
            self.amount.textEdited.connect(self.on_amount_edited)
            row = QHBoxLayout()
            row.addWidget(self.amount, 1)
            row.addWidget(plain_text.label(order.currency, self))
            label = plain_text.label(self.tr("&Amount"), self)
            label.setBuddy(self.amount)
            form.addRow(label, row)
            left_text = self.tr("At most %1 can still be refunded.").replace(
                "%1", fmt.money(rules.refundable(order), order.currency)
            )
            form.addRow("", _small(plain_text.label(left_text, self)))
        if kind == "change_address":
            current = order.shipping_address
            fields = (
                ("name", self.tr("&Name"), current.name),
                ("line1", self.tr("&Street"), current.line1),
                ("line2", self.tr("Street (&2)"), current.line2),
                ("postal_code", self.tr("&Postal code"), current.postal_code),
                ("city", self.tr("&City"), current.city),
                ("country", self.tr("C&ountry (two letters)"), current.country),
            )
            for key, title, value in fields:
                edit = QLineEdit(value, self)
                edit.setObjectName(f"address-{key}")
                edit.textChanged.connect(self.validate)
                label = plain_text.label(title, self)
                label.setBuddy(edit)
                form.addRow(label, edit)
                self.address[key] = edit
            self.address["country"].setMaxLength(2)
        self.reason = QComboBox(self)
        self.reason.setObjectName("reason")
        self.reason.setEditable(True)
        self.reason.addItems(["", *self.reasons()])
        self.reason.setCurrentIndex(0)
        self.reason.editTextChanged.connect(self.validate)
        label = plain_text.label(self.tr("&Reason"), self)
        label.setBuddy(self.reason)
        form.addRow(label, self.reason)
        self.notify = QCheckBox(self.tr("&Tell the customer in the conversation"), self)
        self.notify.setObjectName("notify")
        self.notify.setChecked(messenger)
        self.notify.setToolTip(
            plain_text.tooltip(
                self.tr("Sent on Messenger when its rules allow it; otherwise the note says why.")
            )
        )
        form.addRow("", self.notify)
        self.problem = plain_text.label("", self, wrap=True)
        self.problem.setObjectName("problem")
        box.addWidget(self.problem)
        self.buttons = QDialogButtonBox(self)
        self.ok = self.buttons.addButton(
            self.confirm_text(), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok.setObjectName("confirm")
        self.ok.setDefault(True)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("close")
        self.buttons.accepted.connect(self.on_confirm)
        self.buttons.rejected.connect(self.reject)
        box.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.validate()

    # -- words ---------------------------------------------------------------------------------

    def title(self) -> str:
        number = self.order.number
        return {
            "cancel": self.tr("Cancel order %1"),
            "refund": self.tr("Refund order %1"),
            "return": self.tr("Return items of order %1"),
            "change_address": self.tr("Change the address of order %1"),
        }[self.kind].replace("%1", number)

    def intro(self) -> str:
        order = self.order
        if self.kind == "cancel":
            left = rules.refundable(order)
            text = self.tr("The order is cancelled in the shop; nothing will be shipped.")
            if left > 0:
                text += " " + self.tr("%1 is refunded to the customer.").replace(
                    "%1", fmt.money(left, order.currency)
                )
            return text
        if self.kind == "refund":
            return self.tr("Choose items to refund their price, or type an amount.")
        if self.kind == "return":
            return self.tr("Choose what the customer sends back; the return gets its own label.")
        return self.tr("The parcel has not left yet: it will go to this address.")

    def confirm_text(self) -> str:
        return {
            "cancel": self.tr("Cancel the order"),
            "refund": self.tr("Refund"),
            "return": self.tr("Open the return"),
            "change_address": self.tr("Change the address"),
        }[self.kind]

    def reasons(self) -> list[str]:
        if self.kind == "cancel":
            return [
                self.tr("The customer changed their mind"),
                self.tr("Ordered by mistake"),
                self.tr("Out of stock"),
            ]
        if self.kind == "refund":
            return [
                self.tr("Damaged in transit"),
                self.tr("Item missing from the parcel"),
                self.tr("Delivered late"),
                self.tr("Goodwill gesture"),
            ]
        if self.kind == "return":
            return [
                self.tr("Wrong size"),
                self.tr("Damaged"),
                self.tr("Not as described"),
                self.tr("No longer wanted"),
            ]
        return [self.tr("The customer moved"), self.tr("Typo in the address")]

    # -- what was typed ------------------------------------------------------------------------

    def items(self) -> list[ItemQuantity]:
        from agent_desktop.core.order_types import ItemQuantity

        return [
            ItemQuantity(sku=sku, quantity=spin.value())
            for sku, spin in self.quantities.items()
            if spin.value() > 0
        ]

    def on_quantity_changed(self, _value: int) -> None:
        """The amount follows the items chosen until the agent types one."""
        if self.amount is not None and not self._amount_typed:
            items = self.items()
            value = rules.items_value(self.order, items) if items else None
            text = fmt.amount(value, self.order.currency) if value else ""
            with QSignalBlocker(self.amount):
                self.amount.setText(text)
        self.validate()

    def on_amount_edited(self, text: str) -> None:
        self._amount_typed = bool(text.strip())
        self.validate()

    def typed_amount(self) -> int | None:
        """The amount in minor units (None when empty); MoneyError for something else."""
        if self.amount is None or not self.amount.text().strip():
            return None
        return parse_amount(self.amount.text(), self.order.currency)

    def problem_text(self) -> str | None:
        """What keeps the action from being sent, as a sentence (None: ready)."""
        order = self.order
        try:
            if self.kind == "refund":
                amount = self.typed_amount()
                items = self.items()
                if amount is None and not items:
                    return self.tr("Type the amount to refund, or choose items.")
                if amount is not None:
                    if amount <= 0:
                        return self.tr("The amount must be more than zero.")
                    left = rules.refundable(order)
                    if amount > left:
                        return self.tr("At most %1 can be refunded.").replace(
                            "%1", fmt.money(left, order.currency)
                        )
            elif self.kind == "return" and not self.items():
                return self.tr("Choose at least one item to return.")
            elif self.kind == "change_address":
                for key, sentence in (
                    ("line1", self.tr("Type the street.")),
                    ("city", self.tr("Type the city.")),
                    ("country", self.tr("Type the country.")),
                ):
                    if not self.address[key].text().strip():
                        return sentence
                country = self.address["country"].text().strip()
                if len(country) != 2 or not country.isalpha():
                    return self.tr("Give the country as its two-letter code (FR, GB, VN…).")
        except MoneyError:
            digits = precision(order.currency)
            example = fmt.amount(1250 * 10 ** max(0, digits - 2) if digits else 12, order.currency)
            return self.tr("Type the amount as a number, such as %1.").replace("%1", example)
        if not self.reason.currentText().strip():
            return self.tr("Say why, for the record.")
        return None

    def validate(self) -> bool:
        problem = self.problem_text()
        self.ok.setEnabled(problem is None and not self.busy)
        if not self.busy:
            self.problem.setText(problem or "")
            _tint(self.problem, False)
        return problem is None

    def request(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": self.kind,
            "reason": self.reason.currentText().strip(),
            "notify_customer": self.notify.isChecked(),
        }
        if self.thread_id:
            body["thread_id"] = self.thread_id
        if self.kind in ("refund", "return"):
            body["items"] = [i.model_dump() for i in self.items()]
        if self.kind == "refund":
            amount = self.typed_amount()
            if amount is not None:
                body["amount"] = amount
        if self.kind == "change_address":
            body["address"] = {
                key: edit.text().strip().upper() if key == "country" else edit.text().strip()
                for key, edit in self.address.items()
            }
        return body

    # -- sending -------------------------------------------------------------------------------

    def on_confirm(self) -> None:
        if self.busy or not self.validate():
            return
        self.set_busy(True)
        self.submitted.emit(self.order.id, self.request(), self.client_id)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in self.findChildren(QWidget):
            if isinstance(widget, QLineEdit | QSpinBox | QComboBox | QCheckBox):
                widget.setEnabled(not busy)
        if busy:
            self.problem.setText(self.tr("Asking the shop…"))
            _tint(self.problem, False)
        else:
            for spin in self.quantities.values():
                spin.setEnabled(spin.maximum() > 0)
        self.ok.setEnabled(not busy)

    def show_refusal(self, reason: str) -> None:
        """The shop or the server said no: the reason stays in the dialog, which can be changed
        and sent again (with the same client id)."""
        self.set_busy(False)
        self.validate()
        self.problem.setText(reason)
        _tint(self.problem, True)
