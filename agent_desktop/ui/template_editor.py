"""The quick-reply template editor: create, edit and delete personal templates (and team ones for
leads), with a live preview rendered against the open thread's customer and selected order. A lead
marks a team template with the customer question it answers ("Suggested for"), so the composer
suggests it; a text with a variable that does not exist is refused with a sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.core.templates import (
    KNOWN_VARIABLES,
    Rendered,
    TemplateContext,
    eta_passed,
    render,
    unknown_variables,
    variables_in,
)
from agent_desktop.ui import fmt, plain_text, theme
from agent_desktop.ui.intent_names import all_intents
from agent_desktop.ui.quick_replies import TemplateDelegate, TemplateListModel, TemplateRole

if TYPE_CHECKING:
    from agent_desktop.core.types import Template

MISSING_CHARS = 300  # the unfilled variables named under the preview (the body says the rest)


class TemplateEditor(QDialog):
    """Signals:
    saveRequested(object template_id_or_None, dict fields)
    deleteRequested(str template_id)
    """

    saveRequested = Signal(object, dict)
    deleteRequested = Signal(str)

    def __init__(
        self,
        model: TemplateListModel,
        context: Callable[[], TemplateContext],
        *,
        is_lead: bool,
        me_id: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("templateEditor")
        self.setWindowTitle(self.tr("Quick replies"))
        self._context = context
        self._is_lead = is_lead
        self._me = me_id
        self._current: Template | None = None
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        self.list = QListView(self)
        self.list.setObjectName("templateList")
        self.list.setModel(model)
        self.list.setItemDelegate(TemplateDelegate(self.list))
        self.list.selectionModel().currentChanged.connect(self.on_list_currentChanged)
        left.addWidget(self.list, 1)
        self.new_button = QPushButton(self.tr("New template"), self)
        self.new_button.clicked.connect(self.on_new_button_clicked)
        left.addWidget(self.new_button)
        outer.addLayout(left, 2)

        right = QVBoxLayout()
        form = QFormLayout()
        self.shortcut = QLineEdit(self)
        self.shortcut.setObjectName("templateShortcut")
        self.title = QLineEdit(self)
        self.title.setObjectName("templateTitle")
        self.language = QComboBox(self)
        self.language.addItem("English", "en")
        self.language.addItem("Français", "fr")
        self.scope = QComboBox(self)
        self.scope.addItem(self.tr("Personal"), "personal")
        self.scope.addItem(self.tr("Team"), "team")
        self.scope.setEnabled(is_lead)
        self.scope.currentIndexChanged.connect(self.on_scope_currentIndexChanged)
        self.intent = QComboBox(self)
        self.intent.setObjectName("templateIntent")
        self.intent.addItem(self.tr("No question (not suggested)"), None)
        for key, name in all_intents():
            self.intent.addItem(name, key)
        self.intent.setToolTip(
            self.tr(
                "The composer suggests this team template, filled in, when a customer asks this."
            )
        )
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("templateBody")
        self.body.textChanged.connect(self.on_body_textChanged)
        form.addRow(self.tr("Shortcut"), self.shortcut)
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Shared with"), self.scope)
        form.addRow(self.tr("Suggested for"), self.intent)
        form.addRow(self.tr("Text"), self.body)
        right.addLayout(form)
        variables = plain_text.label(
            self.tr("Variables: %1").replace(
                "%1", ", ".join("{{" + v + "}}" for v in KNOWN_VARIABLES)
            ),
            self,
        )
        variables.setWordWrap(True)
        variables.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right.addWidget(variables)
        right.addWidget(plain_text.label(self.tr("Preview with the open conversation"), self))
        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("templatePreview")
        self.preview.setReadOnly(True)
        right.addWidget(self.preview)
        self.missing = plain_text.label(parent=self)
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet(f"color: {theme.FAILED.name()};")
        right.addWidget(self.missing)
        self.error = plain_text.label(parent=self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {theme.FAILED.name()};")
        right.addWidget(self.error)
        buttons = QHBoxLayout()
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.clicked.connect(self.on_delete_button_clicked)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setObjectName("templateSave")
        self.save_button.clicked.connect(self.on_save_button_clicked)
        buttons.addWidget(self.save_button)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.reject)
        buttons.addWidget(close)
        right.addLayout(buttons)
        outer.addLayout(right, 3)
        self.resize(860, 520)
        self.on_new_button_clicked()

    def can_edit(self, t: Template | None) -> bool:
        if t is None:
            return True
        return (
            self._is_lead
            if t.scope == "team"
            else (t.owner_id in (None, self._me) or self._is_lead)
        )

    def on_list_currentChanged(self, current: Any, previous: Any) -> None:
        from agent_desktop.core.types import Template

        t = current.data(TemplateRole.Template) if current.isValid() else None
        if isinstance(t, Template):
            self.load(t)

    def load(self, t: Template | None) -> None:
        self._current = t
        self.shortcut.setText(t.shortcut if t else "")
        self.title.setText(t.title if t else "")
        self.body.setPlainText(t.body if t else "")
        # A new template is in the interface's language until the agent picks another.
        language = t.language if t else fmt.locale()
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.scope.setCurrentIndex(max(0, self.scope.findData(t.scope if t else "personal")))
        self.intent.setCurrentIndex(max(0, self.intent.findData(t.intent if t else None)))
        editable = self.can_edit(t)
        for w in (self.shortcut, self.title, self.body):
            w.setReadOnly(not editable)
        self.language.setEnabled(editable)
        self._update_intent_enabled()
        self.save_button.setEnabled(editable)
        self.delete_button.setEnabled(t is not None and editable)
        self.error.setText(
            "" if editable else self.tr("Only a team lead can change team templates.")
        )

    def _update_intent_enabled(self) -> None:
        """Only a lead marks a team template for a question (personal ones are not suggested)."""
        team = self.scope.currentData() == "team"
        self.intent.setEnabled(self._is_lead and team and self.can_edit(self._current))
        if not team:
            self.intent.setCurrentIndex(0)

    def on_scope_currentIndexChanged(self, index: int) -> None:
        self._update_intent_enabled()

    def on_new_button_clicked(self) -> None:
        self.list.clearSelection()
        self.load(None)
        self.shortcut.setFocus()

    def preview_text(self) -> Rendered:
        return render(self.body.toPlainText(), self._context())

    def on_body_textChanged(self) -> None:
        rendered = self.preview_text()
        self.preview.setPlainText(rendered.text)
        lines = []
        unknown = unknown_variables(self.body.toPlainText())
        if unknown:
            lines.append(self.unknown_sentence(unknown))
        known_missing = [m for m in rendered.missing if m not in unknown]
        if known_missing:
            lines.append(
                self.tr("Not filled in for this conversation: %1").replace(
                    "%1", plain_text.clip(", ".join(known_missing), MISSING_CHARS)
                )
            )
        ctx = self._context()
        body = self.body.toPlainText()
        if "order.eta" in variables_in(body) and ctx.now and eta_passed(ctx.order, ctx.now):
            lines.append(
                self.tr(
                    "This order's expected delivery date has passed: {{order.eta}} is left empty, "
                    "and a customer asking is offered the late-delivery answer instead."
                )
            )
        self.missing.setText("\n".join(lines))

    def unknown_sentence(self, unknown: list[str]) -> str:
        name = "{{" + plain_text.clip(unknown[0], 60) + "}}"
        if len(unknown) == 1:
            return self.tr("%1 is not a variable: use one of the list above.").replace("%1", name)
        return (
            self.tr("%1 and %2 other variables do not exist: use the list above.")
            .replace("%1", name)
            .replace("%2", str(len(unknown) - 1))
        )

    def on_save_button_clicked(self) -> None:
        fields: dict[str, Any] = {
            "shortcut": self.shortcut.text().strip().lstrip("/"),
            "title": self.title.text().strip(),
            "body": self.body.toPlainText(),
            "language": str(self.language.currentData()),
            "scope": str(self.scope.currentData()),
        }
        if self._is_lead and fields["scope"] == "team":
            fields["intent"] = self.intent.currentData()
        if not fields["shortcut"] or not fields["title"] or not fields["body"].strip():
            self.error.setText(self.tr("A template needs a shortcut, a title and a text."))
            return
        unknown = unknown_variables(fields["body"])
        if unknown:
            self.error.setText(self.unknown_sentence(unknown) + " " + self.tr("Not saved."))
            return
        self.error.setText("")
        self.saveRequested.emit(self._current.id if self._current else None, fields)

    def on_delete_button_clicked(self) -> None:
        if self._current is not None:
            self.deleteRequested.emit(self._current.id)
            self.load(None)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
