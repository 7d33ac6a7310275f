"""The banner every agent and lead sees while Meta has restricted the Page from sending (Send API
error 10/1893063): replies are kept and go out once the restriction lifts; a team lead can ask to
try again at once.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QSizePolicy, QWidget

from agent_desktop.ui import theme
from agent_desktop.ui.messenger_text import messenger_text
from agent_desktop.ui.plain_text import label, tooltip

if TYPE_CHECKING:
    from agent_desktop.core.messenger_types import PageSending


class MessengerBanner(QFrame):
    """Signals: resumeRequested() a team lead clicked "Try sending again now"."""

    resumeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messengerBanner")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), theme.WINDOW_COLOURS["human_agent"].lighter(175))
        palette.setColor(self.foregroundRole(), Qt.GlobalColor.black)
        self.setPalette(palette)
        box = QHBoxLayout(self)
        box.setContentsMargins(10, 6, 10, 6)
        self.icon = label("⚠", self)
        box.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        self.text = label(parent=self, wrap=True)
        self.text.setObjectName("messengerBannerText")
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        box.addWidget(self.text, 1)
        self.button = QPushButton(self.tr("Try sending again now"), self)
        self.button.setObjectName("messengerResumeButton")
        self.button.setToolTip(
            self.tr("Sends one waiting message now; if Meta accepts it, the others follow.")
        )
        self.button.clicked.connect(self.on_button_clicked)
        box.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.lead = False
        self.page: PageSending | None = None
        self.hide()

    def set_lead(self, lead: bool) -> None:
        self.lead = lead
        self.button.setVisible(lead and self.page is not None and self.page.paused)

    def on_messenger_pageChanged(
        self, page: PageSending | None, now: datetime | None = None
    ) -> None:
        self.page = page
        sentence = messenger_text().page_banner(page, now)
        self.text.setText(sentence or "")
        self.setToolTip(tooltip(page.reason or "") if page is not None and page.reason else "")
        self.button.setEnabled(True)
        self.button.setVisible(self.lead and sentence is not None)
        self.setVisible(sentence is not None)

    def on_button_clicked(self) -> None:
        self.button.setEnabled(False)
        self.resumeRequested.emit()
