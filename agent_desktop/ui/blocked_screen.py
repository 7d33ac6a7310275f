"""The full-window screen shown instead of the workspace when the backend cannot be used: it is
unreachable ("Try again") or the session ended ("Sign in again"). Drafts and unsent messages stay
on this computer meanwhile.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from agent_desktop.ui.plain_text import label


class BlockedScreen(QWidget):
    """Signals:
    retryRequested()    "Try again" (the backend was unreachable)
    signInRequested()   "Sign in again" (the session ended)
    """

    retryRequested = Signal()
    signInRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("blockedScreen")
        box = QVBoxLayout(self)
        box.addStretch(1)
        self.title = label(parent=self)
        self.title.setObjectName("blockedTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        box.addWidget(self.title)
        self.text = label(parent=self, wrap=True)
        self.text.setObjectName("blockedText")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.text)
        self.button = QPushButton(self)
        self.button.setObjectName("blockedButton")
        self.button.clicked.connect(self.on_button_clicked)
        box.addWidget(self.button, 0, Qt.AlignmentFlag.AlignCenter)
        box.addStretch(2)
        self._action = "retry"

    def show_unreachable(self, reason: str) -> None:
        """The backend cannot be reached: `reason` (a sentence), and a "Try again" button."""
        self._set(
            self.tr("The support backend cannot be reached"),
            reason + "\n" + self.tr("Your drafts and unsent messages are kept on this computer."),
            self.tr("Try again"),
            "retry",
        )

    def show_signed_out(self, reason: str) -> None:
        """The session ended (token revoked or expired): a "Sign in again" button."""
        self._set(
            self.tr("You are signed out"),
            reason or self.tr("Your session has ended; please sign in again."),
            self.tr("Sign in again"),
            "signin",
        )

    def _set(self, title: str, text: str, button: str, action: str) -> None:
        self.title.setText(title)
        self.text.setText(text)
        self.button.setText(button)
        self._action = action

    def on_button_clicked(self) -> None:
        if self._action == "signin":
            self.signInRequested.emit()
        else:
            self.retryRequested.emit()
