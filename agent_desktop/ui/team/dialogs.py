"""The Team page's dialogs: add a member, the one-time code to pass on, rename, deactivate (with
the choice for their open conversations) and reset. Each is opened with `open()`, emits what the
lead asked for, stays open (busy) while the server answers, and shows its refusal in a sentence.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.ui import fmt, plain_text, theme
from agent_desktop.ui.dialogs import modal_with_intro

if TYPE_CHECKING:
    from agent_desktop.core.types import Agent


def shown_name(member: Agent) -> str:
    """A member's name for a sentence or a title: one line, cut, bidi-isolated."""
    return plain_text.names([member.name])


class FormDialog(QDialog):
    """A dialog with a sentence, a form, an error line and OK/Cancel; `set_busy` while the
    server works, `show_error` for its refusal."""

    def __init__(self, parent: QWidget | None, title: str, ok_text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.layout_box = QVBoxLayout(self)
        self.form = QFormLayout()
        self.error = plain_text.label(parent=self)
        self.error.setObjectName("dialogError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {theme.FAILED.name()};")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setObjectName("dialogOk")
        self.ok_text = ok_text
        self.ok.setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            QCoreApplication.translate("FormDialog", "Cancel")
        )
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        self.layout_box.addLayout(self.form)
        self.layout_box.addWidget(self.error)
        self.layout_box.addWidget(self.buttons)
        self.resize(max(460, self.sizeHint().width()), self.sizeHint().height())

    def sentence(self, text: str) -> None:
        label = plain_text.label(text, self)
        label.setWordWrap(True)
        self.layout_box.addWidget(label)

    def set_busy(self, busy: bool) -> None:
        self.ok.setEnabled(not busy)
        self.ok.setText(
            QCoreApplication.translate("FormDialog", "Please wait…") if busy else self.ok_text
        )

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def on_buttons_accepted(self) -> None:  # pragma: no cover - each dialog has its own
        self.accept()


class AddMemberDialog(FormDialog):
    """Signals: submitted(str email, str name, str role)."""

    submitted = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, self.tr("Add a team member"), self.tr("Add"))
        self.setObjectName("addMemberDialog")
        self.sentence(
            self.tr(
                "You will get a one-time code to give them. With it they choose their own "
                "password when they first sign in."
            )
        )
        self.name = QLineEdit(self)
        self.name.setObjectName("memberName")
        self.email = QLineEdit(self)
        self.email.setObjectName("memberEmail")
        self.email.setPlaceholderText("name@your-shop.example")
        self.role = QComboBox(self)
        self.role.setObjectName("memberRole")
        self.role.addItem(self.tr("Agent"), "agent")
        self.role.addItem(self.tr("Team lead"), "lead")
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Email"), self.email)
        self.form.addRow(self.tr("Role"), self.role)
        self.finish_layout()
        self.name.setFocus()

    def on_buttons_accepted(self) -> None:
        name, email = self.name.text().strip(), self.email.text().strip()
        if not name or not email:
            self.show_error(self.tr("Enter their name and their email."))
            return
        if "@" not in email:
            self.show_error(self.tr("That is not an email address (name@example.com)."))
            return
        self.error.hide()
        self.set_busy(True)
        self.submitted.emit(email, name, str(self.role.currentData()))


class CodeDialog(QDialog):
    """The one-time code to pass on to a new (or reset) member, with a Copy button."""

    def __init__(
        self, parent: QWidget | None, *, member: Agent, code: str, expires_at: datetime
    ) -> None:
        super().__init__(parent)
        box = modal_with_intro(
            self,
            "invitationCodeDialog",
            self.tr("Code for %1").replace("%1", shown_name(member)),
            self.tr(
                "Give this code to %1 (%2), by phone or in person rather than by email. In "
                "Agent Desktop's sign-in window they tick “I have an invitation code”, enter it "
                "and choose their password."
            )
            .replace("%1", shown_name(member))
            .replace("%2", plain_text.names([member.email])),
        )
        row = QHBoxLayout()
        self.code = QLineEdit(code, self)
        self.code.setObjectName("invitationCode")
        self.code.setReadOnly(True)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(max(14, self.font().pointSize() + 5))
        font.setBold(True)
        self.code.setFont(font)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.code, 1)
        self.copy = QPushButton(self.tr("Copy"), self)
        self.copy.setObjectName("copyCode")
        self.copy.clicked.connect(self.on_copy_clicked)
        row.addWidget(self.copy)
        box.addLayout(row)
        until = plain_text.label(
            self.tr(
                "It works once, until %1. You will not see it again; if it is lost, reset the "
                "member for a new one."
            ).replace("%1", fmt.date_time(expires_at)),
            self,
        )
        until.setWordWrap(True)
        box.addWidget(until)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Done"))
        buttons.rejected.connect(self.accept)
        box.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.code.text())
        self.copy.setText(self.tr("Copied"))


class RenameDialog(FormDialog):
    """Signals: submitted(str name)."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None, member: Agent) -> None:
        super().__init__(parent, self.tr("Rename"), self.tr("Rename"))
        self.setObjectName("renameMemberDialog")
        self.name = QLineEdit(member.name, self)
        self.name.setObjectName("memberName")
        self.form.addRow(self.tr("Name"), self.name)
        self.finish_layout()
        self.name.selectAll()
        self.name.setFocus()

    def on_buttons_accepted(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.show_error(self.tr("Enter a name."))
            return
        self.set_busy(True)
        self.submitted.emit(name)


class DeactivateDialog(FormDialog):
    """Signals: submitted(str open_threads) with "unassign" or "keep"."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None, member: Agent, open_threads: int) -> None:
        super().__init__(
            parent,
            self.tr("Deactivate %1").replace("%1", shown_name(member)),
            self.tr("Deactivate"),
        )
        self.setObjectName("deactivateMemberDialog")
        self.sentence(
            self.tr(
                "%1 is signed out at once on every computer and cannot sign in again until a "
                "lead activates the account. Their messages and figures stay."
            ).replace("%1", shown_name(member))
        )
        self.group = QButtonGroup(self)
        self.unassign = QRadioButton(
            self.tr("Put their open conversations back in the queue (%1)").replace(
                "%1", str(open_threads)
            ),
            self,
        )
        self.unassign.setObjectName("unassignThreads")
        self.keep = QRadioButton(
            self.tr("Leave their conversations assigned to %1").replace("%1", shown_name(member)),
            self,
        )
        self.keep.setObjectName("keepThreads")
        self.unassign.setChecked(True)
        for button in (self.unassign, self.keep):
            self.group.addButton(button)
            self.layout_box.addWidget(button)
        self.finish_layout()

    def on_buttons_accepted(self) -> None:
        self.set_busy(True)
        self.submitted.emit("unassign" if self.unassign.isChecked() else "keep")


class ResetDialog(FormDialog):
    """Signals: submitted() when the lead confirms."""

    submitted = Signal()

    def __init__(self, parent: QWidget | None, member: Agent) -> None:
        super().__init__(
            parent,
            self.tr("Reset %1").replace("%1", shown_name(member)),
            self.tr("Reset"),
        )
        self.setObjectName("resetMemberDialog")
        self.sentence(
            self.tr(
                "%1's password stops working and they are signed out everywhere. You get a new "
                "one-time code to give them; with it they choose a new password."
            ).replace("%1", shown_name(member))
        )
        self.finish_layout()

    def on_buttons_accepted(self) -> None:
        self.set_busy(True)
        self.submitted.emit()
