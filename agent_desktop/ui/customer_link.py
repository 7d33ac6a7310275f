"""Linking a conversation's customer to the shop's customer record: the banner that shows the
server's suggestion (an agent confirms it, or says it is someone else) and the dialog to find the
customer in the shop by name, e-mail, phone or order number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.ui import fmt, plain_text

if TYPE_CHECKING:
    from agent_desktop.core.order_types import Customer
    from agent_desktop.core.types import CustomerSuggestion

SEARCH_DELAY_MS = 300


class SuggestionBanner(QFrame):
    """ "This may be Camille Martin from the shop", with the server's reason.

    Signals:
      linkRequested(str)   customer id: the agent confirms
      dismissRequested()   the agent says it is someone else
    """

    linkRequested = Signal(str)
    dismissRequested = Signal()

    def __init__(self, suggestion: CustomerSuggestion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerSuggestion")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.suggestion = suggestion
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 8, 10, 8)
        title = plain_text.label(
            self.tr("This may be %1 from the shop.").replace(
                "%1", plain_text.isolate(suggestion.name)
            ),
            self,
            wrap=True,
        )
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        box.addWidget(title)
        reason = plain_text.label(self.why(suggestion), self, wrap=True)
        reason.setObjectName("suggestionReason")
        reason.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        box.addWidget(reason)
        row = QHBoxLayout()
        self.link = QPushButton(self.tr("&Link to this customer"), self)
        self.link.setObjectName("linkSuggested")
        self.link.clicked.connect(lambda: self.linkRequested.emit(suggestion.customer_id))
        self.dismiss = QPushButton(self.tr("&Not them"), self)
        self.dismiss.setObjectName("dismissSuggested")
        self.dismiss.clicked.connect(self.dismissRequested.emit)
        row.addWidget(self.link)
        row.addWidget(self.dismiss)
        row.addStretch(1)
        box.addLayout(row)
        self.status = plain_text.label("", self, wrap=True)
        self.status.setObjectName("linkStatus")
        self.status.hide()
        box.addWidget(self.status)

    def why(self, s: CustomerSuggestion) -> str:
        """The server's reason in the interface's language (its own sentence as a fallback)."""
        name = plain_text.isolate(s.name)
        if s.basis == "order" and s.evidence:
            text = self.tr("The customer mentioned order %1, placed by %2: the same name.")
        elif s.basis == "email" and s.evidence:
            text = self.tr("The customer wrote the e-mail address %1, which is %2's in the shop.")
        elif s.basis == "phone" and s.evidence:
            text = self.tr("The customer wrote the phone number %1, which is %2's in the shop.")
        else:
            return s.reason
        return text.replace("%1", plain_text.isolate(s.evidence)).replace("%2", name)

    def set_busy(self, busy: bool) -> None:
        self.link.setEnabled(not busy)
        self.dismiss.setEnabled(not busy)

    def show_failure(self, reason: str) -> None:
        self.set_busy(False)
        self.status.setText(reason)
        self.status.show()


class CustomerSearchDialog(QDialog):
    """Find the conversation's customer in the shop and link them.

    Signals:
      searchRequested(str)   the text to search (after the agent stops typing a moment)
      linkRequested(str)     the chosen customer's id
    """

    searchRequested = Signal(str)
    linkRequested = Signal(str)

    def __init__(self, who: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerSearchDialog")
        self.setWindowTitle(self.tr("Find the customer in the shop"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumSize(460, 380)
        box = QVBoxLayout(self)
        box.addWidget(
            plain_text.label(
                self.tr(
                    "Who is %1 in the shop? Search by name, e-mail, phone or order number; their "
                    "orders then show beside this conversation."
                ).replace("%1", plain_text.isolate(who)),
                self,
                wrap=True,
            )
        )
        label = plain_text.label(self.tr("&Search"), self)
        self.query = QLineEdit(self)
        self.query.setObjectName("customerSearch")
        self.query.setPlaceholderText(self.tr("Name, e-mail, phone or order number"))
        self.query.setClearButtonEnabled(True)
        label.setBuddy(self.query)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.query, 1)
        box.addLayout(row)
        self.results = QListWidget(self)
        self.results.setObjectName("customerResults")
        self.results.setWordWrap(True)  # a long e-mail address wraps, no sideways scrolling
        self.results.itemActivated.connect(lambda _item: self.on_link())
        self.results.currentRowChanged.connect(lambda _row: self._update_buttons())
        box.addWidget(self.results, 1)
        self.status = plain_text.label("", self, wrap=True)
        self.status.setObjectName("searchStatus")
        box.addWidget(self.status)
        self.buttons = QDialogButtonBox(self)
        self.link = self.buttons.addButton(self.tr("&Link"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.link.setObjectName("linkChosen")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.on_link)
        self.buttons.rejected.connect(self.reject)
        box.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.on_timer_timeout)
        self.query.textChanged.connect(lambda _text: self._timer.start())
        self.query.returnPressed.connect(self.on_timer_timeout)
        self.customers: list[Customer] = []
        self.busy = False
        self._update_buttons()

    def keyPressEvent(self, event: Any) -> None:
        # Down from the search field goes to the results, as in every search box.
        if event.key() == Qt.Key.Key_Down and self.query.hasFocus() and self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(max(0, self.results.currentRow()))
            return
        super().keyPressEvent(event)

    def on_timer_timeout(self) -> None:
        self._timer.stop()
        text = self.query.text().strip()
        if text:
            self.status.setText(self.tr("Searching…"))
            self.searchRequested.emit(text)
        else:
            self.show_results(text, [])

    def show_results(self, query: str, customers: list[Customer]) -> None:
        if query != self.query.text().strip():
            return  # an answer to an older query
        self.customers = customers
        self.results.clear()
        for customer in customers:
            details = " · ".join(x for x in (customer.email, customer.phone) if x)
            orders = self.tr("Orders: %1").replace("%1", str(customer.order_count))
            line = plain_text.one_line(customer.name, plain_text.NAME_CHARS)
            text = f"{line}\n{details + ' · ' if details else ''}{orders}"
            if customer.lifetime_value:
                text += " · " + fmt.money(customer.lifetime_value, customer.currency)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, customer.id)
            self.results.addItem(item)
        if customers:
            self.results.setCurrentRow(0)
            self.status.setText("")
        else:
            self.status.setText(self.tr("Nobody found.") if query else "")
        self._update_buttons()

    def show_failure(self, reason: str) -> None:
        self.busy = False
        self.status.setText(reason)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.link.setEnabled(self.results.currentItem() is not None and not self.busy)

    def on_link(self) -> None:
        item = self.results.currentItem()
        if item is None or self.busy:
            return
        self.busy = True
        self.status.setText(self.tr("Linking…"))
        self._update_buttons()
        self.linkRequested.emit(str(item.data(Qt.ItemDataRole.UserRole)))
