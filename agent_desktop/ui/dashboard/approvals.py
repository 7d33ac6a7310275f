"""The refunds waiting for a team lead (above the team's refund limit): what, for whom, asked by
whom and why, with Approve and Decline (and a note the agent sees in the conversation)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.store.signals import connect_all, disconnect_all
from agent_desktop.ui import fmt, plain_text, theme

if TYPE_CHECKING:
    from agent_desktop.core.order_types import OrderAction
    from agent_desktop.store.shop import ShopStore


class ApprovalRow(QFrame):
    """One refund waiting: its description, a note, Approve and Decline."""

    def __init__(self, action: OrderAction, box: ApprovalsBox) -> None:
        super().__init__(box)
        self.setObjectName("approvalRow")
        self.setProperty("action_id", action.id)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.action = action
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.setSpacing(3)
        amount = fmt.money(action.amount or 0, action.currency)
        head = (
            self.tr("Refund %1 on order %2 (%3)")
            .replace("%1", amount)
            .replace("%2", action.order_number)
            .replace("%3", plain_text.isolate(action.customer_name))
        )
        title = plain_text.label(head, self, wrap=True)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        lay.addWidget(title)
        asked = (
            self.tr("Asked by %1, %2")
            .replace("%1", plain_text.isolate(action.agent_name))
            .replace("%2", fmt.date_time(action.created_at))
        )
        if action.reason:
            asked += self.tr(": %1").replace("%1", action.reason)
        detail = plain_text.label(asked, self, wrap=True)
        detail.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        lay.addWidget(detail)
        row = QHBoxLayout()
        self.note = QLineEdit(self)
        self.note.setObjectName("decisionNote")
        self.note.setPlaceholderText(self.tr("Note for the agent (optional)"))
        self.note.setMaxLength(500)
        self.approve = QPushButton(self.tr("Approve"), self)
        self.approve.setObjectName("approve")
        self.decline = QPushButton(self.tr("Decline"), self)
        self.decline.setObjectName("decline")
        row.addWidget(self.note, 1)
        row.addWidget(self.approve)
        row.addWidget(self.decline)
        lay.addLayout(row)
        self.status = plain_text.label("", self, wrap=True)
        self.status.setObjectName("decisionStatus")
        self.status.hide()
        lay.addWidget(self.status)
        self.approve.clicked.connect(lambda: box.decide(self, True))
        self.decline.clicked.connect(lambda: box.decide(self, False))

    def set_busy(self, busy: bool) -> None:
        for widget in (self.approve, self.decline, self.note):
            widget.setEnabled(not busy)

    def show_failure(self, reason: str) -> None:
        self.set_busy(False)
        palette = self.status.palette()
        palette.setColor(QPalette.ColorRole.WindowText, theme.FAILED)
        self.status.setPalette(palette)
        self.status.setText(reason)
        self.status.show()


class ApprovalsBox(QGroupBox):
    """The lead's list of refunds to decide, live (order.action events)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approvalsBox")
        self.setTitle(self.tr("Refunds to approve"))
        self.shop: ShopStore | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self._rows = QVBoxLayout(body)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.setSpacing(6)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        self.empty = plain_text.label(
            self.tr("No refund is waiting for approval."), self, wrap=True
        )
        self.empty.setObjectName("noApprovals")
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.rows: dict[str, ApprovalRow] = {}
        self._show()

    def attach_shop(self, shop: ShopStore | None) -> None:
        if self.shop is shop:
            return
        if self.shop is not None:
            disconnect_all(self._pairs(self.shop))
        self.shop = shop
        if shop is not None:
            connect_all(self._pairs(shop))
            shop.load_pending()
        self._show()

    def refresh(self) -> None:
        """Ask for the list again (once the signed-in agent is known to be a lead)."""
        if self.shop is not None:
            self.shop.load_pending()

    def _pairs(self, shop: ShopStore) -> list[tuple[Any, Any]]:
        return [
            (shop.pendingChanged, self._show),
            (shop.decisionFailed, self.on_shop_decisionFailed),
        ]

    def _show(self) -> None:
        pending = list(self.shop.pending) if self.shop is not None else []
        wanted = {a.id for a in pending}
        for action_id in [k for k in self.rows if k not in wanted]:
            self.rows.pop(action_id).deleteLater()
        while self._rows.count():
            self._rows.takeAt(0)
        for action in sorted(pending, key=lambda a: a.created_at):
            row = self.rows.get(action.id)
            if row is None:
                row = self.rows[action.id] = ApprovalRow(action, self)
            self._rows.addWidget(row)
        self._rows.addWidget(self.empty)
        self.empty.setVisible(not pending)
        self._rows.addStretch(1)
        count = len(pending)
        self.setTitle(
            self.tr("Refunds to approve (%1)").replace("%1", str(count))
            if count
            else self.tr("Refunds to approve")
        )

    def decide(self, row: ApprovalRow, approve: bool) -> None:
        if self.shop is None:
            return
        row.set_busy(True)
        self.shop.decide(row.action.id, approve=approve, note=row.note.text().strip())

    def on_shop_decisionFailed(self, action_id: str, reason: str) -> None:
        row = self.rows.get(action_id)
        if row is not None:
            row.show_failure(reason)
