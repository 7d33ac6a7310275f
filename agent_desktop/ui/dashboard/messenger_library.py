"""Meta's library of order templates, for a team lead: search it (words, language) and clone one
to the Page, choosing the order value each placeholder holds (opened from the Messenger dialog,
`messenger_templates.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.backends.base import BackendError
from agent_desktop.core.messenger_types import (
    ORDER_FIELDS,
    LibraryTemplate,
    TemplateClone,
)
from agent_desktop.store.tasks import BackgroundTasks
from agent_desktop.ui.dashboard.template_parts import (
    NAME_RE,
    Index,
    ItemsModel,
    purpose_combo,
    table_look,
)
from agent_desktop.ui.messenger_text import messenger_text
from agent_desktop.ui.plain_text import NAME_CHARS, label, one_line, tooltip

if TYPE_CHECKING:
    from agent_desktop.store.messenger import MessengerStore


class LibraryModel(ItemsModel[LibraryTemplate]):
    """Meta's library templates found by a search: name, language, text."""

    COLUMNS = 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Name"), self.tr("Language"), self.tr("Text"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                one_line(item.name, NAME_CHARS),
                messenger_text().language(item.language),
                one_line(item.body, 300),
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 2:
            return tooltip(item.body)
        return None


class LibraryDialog(QDialog):
    """Search Meta's library of order templates and clone one to the Page.

    Signals: added(str) a sentence saying what was added."""

    added = Signal(str)

    def __init__(self, messenger: MessengerStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("libraryDialog")
        self.setWindowTitle(self.tr("Meta's library of order templates"))
        self.messenger = messenger
        self.tasks = BackgroundTasks(self.show_error)
        layout = QVBoxLayout(self)
        search = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("librarySearch")
        self.search.setPlaceholderText(self.tr("Search (e.g. shipment, delivery, order)"))
        self.search.returnPressed.connect(self.run_search)
        search.addWidget(self.search, 1)
        self.language = QComboBox(self)
        self.language.setObjectName("libraryLanguage")
        self.language.addItem(self.tr("English"), "en_US")
        self.language.addItem(self.tr("French"), "fr")
        search.addWidget(self.language)
        go = QPushButton(self.tr("Search"), self)
        go.setObjectName("librarySearchButton")
        go.clicked.connect(self.run_search)
        search.addWidget(go)
        layout.addLayout(search)
        self.model = LibraryModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("libraryView")
        self.view.setModel(self.model)
        table_look(self.view)
        self.view.selectionModel().selectionChanged.connect(self.on_selection_changed)
        layout.addWidget(self.view, 1)

        self.body = label(parent=self, wrap=True)
        self.body.setObjectName("libraryBody")
        layout.addWidget(self.body)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setObjectName("cloneName")
        form.addRow(self.tr("Name on the Page"), self.name)
        self.purpose = purpose_combo(self)
        self.purpose.setObjectName("clonePurpose")
        form.addRow(self.tr("Used for"), self.purpose)
        layout.addLayout(form)
        self.fields_box = QGroupBox(self.tr("What each placeholder holds"), self)
        self.fields_form = QFormLayout(self.fields_box)
        layout.addWidget(self.fields_box)
        self.field_combos: list[QComboBox] = []
        self.status = label(parent=self, wrap=True)
        self.status.setObjectName("libraryStatus")
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(self)
        self.clone_button = buttons.addButton(
            self.tr("Add to the Page"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.clone_button.setObjectName("cloneButton")
        self.clone_button.setEnabled(False)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.on_clone_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.fields_box.hide()
        self.resize(720, 560)
        self.finished.connect(lambda _r: self.tasks.cancel())
        self.run_search()

    def show_error(self, text: str) -> None:
        self.status.setText(text)

    def run_search(self) -> None:
        self.tasks.start(self._search(), "messenger-library")

    async def _search(self) -> None:
        self.status.setText(self.tr("Searching Meta's library…"))
        try:
            found = await self.messenger.library(
                self.search.text().strip(), str(self.language.currentData())
            )
        except BackendError as exc:
            self.status.setText(str(exc))
            return
        self.model.set_items(found)
        self.status.setText(
            self.tr("No template matches.")
            if not found
            else self.tr("Templates found: %1. Pick one to add it to the Page.").replace(
                "%1", str(len(found))
            )
        )
        if found:
            self.view.selectRow(0)

    def selected(self) -> LibraryTemplate | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].row()
        return self.model.items[row] if 0 <= row < len(self.model.items) else None

    def on_selection_changed(self, *_args: object) -> None:
        item = self.selected()
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)
        self.field_combos = []
        self.clone_button.setEnabled(item is not None)
        self.fields_box.setVisible(item is not None and bool(item.fields))
        if item is None:
            self.body.setText("")
            return
        self.body.setText(item.body)
        self.name.setText(item.name)
        use = (item.usecase or "").upper()
        self.purpose.setCurrentIndex(1 if "SHIP" in use or "DELIVER" in use else 0)
        for i, guess in enumerate(item.fields):
            combo = QComboBox(self.fields_box)
            combo.setObjectName(f"placeholder{i + 1}")
            for name in ORDER_FIELDS:
                combo.addItem(messenger_text().field(name), name)
            combo.setCurrentIndex(max(0, combo.findData(guess)))
            sample = item.body_params[i] if i < len(item.body_params) else ""
            caption = self.tr("{{%1}} (example: %2)").replace("%1", str(i + 1))
            self.fields_form.addRow(
                label(caption.replace("%2", one_line(sample, 60)), self.fields_box), combo
            )
            self.field_combos.append(combo)

    def on_clone_clicked(self) -> None:
        item = self.selected()
        if item is None:
            return
        name = self.name.text().strip()
        if not NAME_RE.match(name):
            self.status.setText(
                self.tr("A template name has lowercase letters, digits and underscores only.")
            )
            return
        fields = [str(c.currentData()) for c in self.field_combos]
        self.clone_button.setEnabled(False)
        self.tasks.start(self._clone(item, name, fields), "messenger-clone")

    async def _clone(self, item: LibraryTemplate, name: str, fields: list[str]) -> None:
        try:
            made = await self.messenger.clone(
                TemplateClone(
                    library_name=item.name,
                    language=item.language,
                    name=name,
                    purpose=str(self.purpose.currentData()),
                    fields=fields,
                )
            )
        except BackendError as exc:
            self.clone_button.setEnabled(True)
            # The Messenger dialog that opened this one words the server's refusals.
            from agent_desktop.ui.dashboard.messenger_templates import MessengerTemplatesDialog

            parent = self.parent()
            text = (
                parent.error_text(exc) if isinstance(parent, MessengerTemplatesDialog) else str(exc)
            )
            self.status.setText(text)
            return
        status = messenger_text().status(made[0].status) if made else ""
        self.added.emit(
            self.tr("%1 added to the Page: %2.").replace("%1", name).replace("%2", status)
        )
        self.accept()
