"""The suggested reply above the composer: what the customer asked, the team's answer filled in for
them (customer, order, carrier, tracking link, date), and the key that inserts it (Tab).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from agent_desktop.ui import plain_text, theme
from agent_desktop.ui.intent_names import intent_name
from agent_desktop.ui.keys import native

if TYPE_CHECKING:
    from agent_desktop.core.suggest import Suggestion

TEXT_CHARS = 2000  # a template's text is at most Messenger's 2,000 characters


class SuggestionBar(QFrame):
    """Signals: insertRequested() (clicked); dismissed() (the agent closed it for this thread)."""

    insertRequested = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.suggestion: Suggestion | None = None
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, theme.suggestion_colour(pal))
        self.setPalette(pal)
        self.setAutoFillBackground(True)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(8, 4, 4, 4)
        outer.setSpacing(4)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.caption = plain_text.label(parent=self)
        self.caption.setObjectName("suggestionCaption")
        self.caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        texts.addWidget(self.caption)
        self.text = plain_text.label(parent=self, wrap=True)
        self.text.setObjectName("suggestionText")
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.text.setMaximumHeight(self.text.fontMetrics().lineSpacing() * 4 + 4)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        texts.addWidget(self.text)
        outer.addLayout(texts, 1)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("suggestionDismiss")
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(self.tr("Hide this suggestion"))
        self.close_button.clicked.connect(self.on_close_button_clicked)
        outer.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def set_suggestion(self, suggestion: Suggestion | None) -> None:
        self.suggestion = suggestion
        if suggestion is None:
            self.caption.clear()
            self.text.clear()
            self.setToolTip("")
            return
        self.caption.setText(
            self.tr("Suggested reply · %1 · %2 to insert")
            .replace("%1", intent_name(suggestion.template.intent or suggestion.intent))
            .replace("%2", native("insert_suggestion"))
        )
        self.text.setText(plain_text.clip(suggestion.text, TEXT_CHARS))
        self.setToolTip(plain_text.tooltip(suggestion.text))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.suggestion is not None:
            self.insertRequested.emit()
            return
        super().mouseReleaseEvent(event)

    def on_close_button_clicked(self) -> None:
        self.dismissed.emit()
