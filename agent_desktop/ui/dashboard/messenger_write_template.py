"""A team lead writes a Page-owned utility template in French and English, inserting named order
values as placeholders, and submits it to Meta for approval (opened from the Messenger dialog,
`messenger_templates.py`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.backends.base import BackendError
from agent_desktop.core.messenger_types import (
    ORDER_FIELDS,
)
from agent_desktop.store.tasks import BackgroundTasks
from agent_desktop.ui.dashboard.template_parts import NAME_RE, purpose_combo
from agent_desktop.ui.messenger_text import messenger_text
from agent_desktop.ui.plain_text import label

if TYPE_CHECKING:
    from agent_desktop.store.messenger import MessengerStore

_FIELD_RE = re.compile(r"\{([a-z_]+)\}")


class WriteTemplateDialog(QDialog):
    """Write a Page-owned template in French and English with named order values.

    Signals: added(str) a sentence saying what was submitted."""

    added = Signal(str)

    def __init__(self, messenger: MessengerStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("writeTemplateDialog")
        self.setWindowTitle(self.tr("Write a utility template"))
        self.messenger = messenger
        self.tasks = BackgroundTasks(self.show_error)
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                self.tr(
                    "Write the update itself, in words; the order's values are filled in when it "
                    "is sent. Meta approves a utility template within seconds; it refuses one "
                    "that starts or ends with a value, or that advertises."
                ),
                self,
                wrap=True,
            )
        )
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setObjectName("templateName")
        self.name.setPlaceholderText("order_shipped")
        form.addRow(self.tr("Name"), self.name)
        self.purpose = purpose_combo(self)
        self.purpose.setObjectName("templatePurpose")
        form.addRow(self.tr("Used for"), self.purpose)
        layout.addLayout(form)
        self.bodies: dict[str, QPlainTextEdit] = {}
        for lang, caption in (("fr", self.tr("French")), ("en", self.tr("English"))):
            row = QHBoxLayout()
            row.addWidget(label(caption, self))
            row.addStretch(1)
            insert = QToolButton(self)
            insert.setObjectName(f"insertField_{lang}")
            insert.setText(self.tr("Insert an order value"))
            insert.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            menu = QMenu(insert)
            editor = QPlainTextEdit(self)
            editor.setObjectName(f"templateBody_{lang}")
            editor.setTabChangesFocus(True)
            for name in ORDER_FIELDS:
                action = menu.addAction(messenger_text().field(name))
                action.triggered.connect(
                    lambda _c=False, e=editor, n=name: e.insertPlainText("{" + n + "}")
                )
            insert.setMenu(menu)
            row.addWidget(insert)
            layout.addLayout(row)
            editor.textChanged.connect(self.check)
            layout.addWidget(editor, 1)
            self.bodies[lang] = editor
        self.bodies["fr"].setPlaceholderText(
            "Bonjour {customer_name}, votre commande {order_number} a été expédiée avec "
            "{carrier}. Suivi : {tracking_url}. Bonne journée !"
        )
        self.bodies["en"].setPlaceholderText(
            "Hello {customer_name}, your order {order_number} has shipped with {carrier}. "
            "Tracking: {tracking_url}. Have a good day!"
        )
        self.status = label(parent=self, wrap=True)
        self.status.setObjectName("writeStatus")
        # Room for a sentence over three lines (Meta's reasons are long, in French longer): a
        # wrapped label's height is not re-asked of the editors above it, which would clip it.
        self.status.setMinimumHeight(3 * self.status.fontMetrics().lineSpacing())
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(self)
        self.submit_button = buttons.addButton(
            self.tr("Submit to Meta"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.submit_button.setObjectName("submitTemplateButton")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.on_submit_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.name.textChanged.connect(self.check)
        self.resize(640, 560)
        self.finished.connect(lambda _r: self.tasks.cancel())
        self.check()

    def show_error(self, text: str) -> None:
        self.status.setText(text)

    def problem(self) -> str | None:
        """Why the template cannot be submitted yet (a sentence), or None."""
        name = self.name.text().strip()
        if not NAME_RE.match(name):
            return self.tr("A template name has lowercase letters, digits and underscores only.")
        texts = {lang: e.toPlainText().strip() for lang, e in self.bodies.items()}
        if not any(texts.values()):
            return self.tr("Write the template in French, in English, or both.")
        for lang, text in texts.items():
            if not text:
                continue
            which = self.tr("French") if lang == "fr" else self.tr("English")
            unknown = [f for f in _FIELD_RE.findall(text) if f not in ORDER_FIELDS]
            if unknown:
                return (
                    self.tr("%1: {%2} is not an order value; use the menu to insert one.")
                    .replace("%1", which)
                    .replace("%2", unknown[0])
                )
            if "{order_number}" not in text:
                return self.tr(
                    "%1: a utility message must name the order: include {order_number}."
                ).replace("%1", which)
            if re.match(r"^\{[a-z_]+\}", text) or re.search(r"\{[a-z_]+\}[.!?]?$", text):
                return self.tr(
                    "%1: Meta refuses a template that starts or ends with an order value; add "
                    "words before the first and after the last."
                ).replace("%1", which)
            if len(text) > 1024:
                return self.tr("%1: the text is longer than 1,024 characters.").replace("%1", which)
        return None

    def check(self) -> None:
        problem = self.problem()
        self.submit_button.setEnabled(problem is None)
        self.status.setText(problem or "")

    def on_submit_clicked(self) -> None:
        if self.problem() is not None:
            return
        bodies = {
            lang: e.toPlainText().strip()
            for lang, e in self.bodies.items()
            if e.toPlainText().strip()
        }
        self.submit_button.setEnabled(False)
        self.tasks.start(self._submit(self.name.text().strip(), bodies), "messenger-write")

    async def _submit(self, name: str, bodies: dict[str, str]) -> None:
        try:
            made = await self.messenger.write(
                name=name, purpose=str(self.purpose.currentData()), bodies=bodies
            )
        except BackendError as exc:
            self.submit_button.setEnabled(True)
            # The Messenger dialog that opened this one words the server's refusals.
            from agent_desktop.ui.dashboard.messenger_templates import MessengerTemplatesDialog

            parent = self.parent()
            text = (
                parent.error_text(exc) if isinstance(parent, MessengerTemplatesDialog) else str(exc)
            )
            self.status.setText(text)
            return
        self.added.emit(
            self.tr("%1 submitted to Meta in %2 language(s); its status updates here.")
            .replace("%1", name)
            .replace("%2", str(len(made)))
        )
        self.accept()
