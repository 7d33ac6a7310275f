"""The team lead's Messenger dialog: what Meta granted the Page (the Human Agent permission,
page_utility_messaging), whether the Page may send now, and the Page's utility templates, used for
order updates outside the 24-hour window. A lead browses Meta's library of order templates and
clones one (choosing the order value of each placeholder), or writes one in French and English;
each template's approval status updates live (Meta's message_template_status_update webhook).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.backends.base import BackendError
from agent_desktop.core.messenger_types import (
    MessengerPage,
    PageSending,
    UtilityTemplate,
)
from agent_desktop.store.signals import disconnect_all
from agent_desktop.store.tasks import BackgroundTasks
from agent_desktop.ui.dashboard.messenger_library import LibraryDialog
from agent_desktop.ui.dashboard.messenger_write_template import WriteTemplateDialog
from agent_desktop.ui.dashboard.template_parts import Index, ItemsModel, table_look
from agent_desktop.ui.messenger_text import messenger_text
from agent_desktop.ui.plain_text import NAME_CHARS, label, one_line, tooltip

if TYPE_CHECKING:
    from agent_desktop.store.messenger import MessengerStore

_Child = TypeVar("_Child", LibraryDialog, WriteTemplateDialog)


class TemplatesModel(ItemsModel[UtilityTemplate]):
    """The Page's utility templates: name, language, purpose, source, status."""

    COLUMNS = 5

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("Name"),
            self.tr("Language"),
            self.tr("Used for"),
            self.tr("Source"),
            self.tr("Status"),
        )[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        text = messenger_text()
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                one_line(item.name, NAME_CHARS),
                text.language(item.language),
                text.purpose(item.purpose),
                text.source(item.source),
                text.status(item.status),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 4 and item.reason:
                return tooltip(
                    self.tr("Meta's reason: %1").replace("%1", one_line(item.reason, 200))
                )
            if column == 0 and item.body:
                return tooltip(item.body)
        return None

    def template(self, row: int) -> UtilityTemplate | None:
        return self.items[row] if 0 <= row < len(self.items) else None


class MessengerTemplatesDialog(QDialog):
    """Opened from the dashboard by a team lead; everything goes through `messenger`."""

    def __init__(self, messenger: MessengerStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messengerTemplatesDialog")
        self.setWindowTitle(self.tr("Messenger: permissions and utility templates"))
        self.messenger = messenger
        self.tasks = BackgroundTasks(self.show_error)
        self.page_info: MessengerPage | None = None
        self.library_dialog: LibraryDialog | None = None
        self.write_dialog: WriteTemplateDialog | None = None
        layout = QVBoxLayout(self)

        granted = QGroupBox(self.tr("What Meta granted this Page"), self)
        gbox = QVBoxLayout(granted)
        self.human_agent = label(parent=granted, wrap=True)
        self.human_agent.setObjectName("humanAgentPermission")
        self.utility = label(parent=granted, wrap=True)
        self.utility.setObjectName("utilityPermission")
        self.rules = label(parent=granted, wrap=True)
        self.rules.setObjectName("messengerRules")
        for widget in (self.human_agent, self.utility, self.rules):
            gbox.addWidget(widget)
        sending = QHBoxLayout()
        self.sending = label(parent=granted, wrap=True)
        self.sending.setObjectName("pageSending")
        sending.addWidget(self.sending, 1)
        self.resume_button = QPushButton(self.tr("Try sending again now"), granted)
        self.resume_button.setObjectName("dialogResumeButton")
        self.resume_button.clicked.connect(self.on_resume_clicked)
        self.resume_button.hide()
        sending.addWidget(self.resume_button)
        gbox.addLayout(sending)
        layout.addWidget(granted)

        layout.addWidget(
            label(
                self.tr(
                    "Order updates sent more than 24 hours after the customer's last message go "
                    "as utility messages from these templates, filled with the order's values, "
                    "to customers who agreed to order updates."
                ),
                self,
                wrap=True,
            )
        )
        self.model = TemplatesModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("utilityTemplatesView")
        self.view.setModel(self.model)
        table_look(self.view)
        self.view.selectionModel().selectionChanged.connect(self.on_selection_changed)
        layout.addWidget(self.view, 1)
        self.empty = label(
            self.tr(
                "The Page has no utility template yet: browse Meta's library (approved at once) "
                "or write one in French and English."
            ),
            self,
            wrap=True,
        )
        self.empty.setObjectName("templatesEmpty")
        layout.addWidget(self.empty)

        buttons = QHBoxLayout()
        self.library_button = QPushButton(self.tr("Browse Meta's library…"), self)
        self.library_button.setObjectName("libraryButton")
        self.library_button.clicked.connect(self.open_library)
        self.write_button = QPushButton(self.tr("Write a template…"), self)
        self.write_button.setObjectName("writeTemplateButton")
        self.write_button.clicked.connect(self.open_write)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.setObjectName("deleteTemplateButton")
        self.delete_button.setEnabled(False)
        self.delete_button.clicked.connect(self.on_delete_clicked)
        self.refresh_button = QPushButton(self.tr("Check status at Meta"), self)
        self.refresh_button.setObjectName("refreshTemplatesButton")
        self.refresh_button.clicked.connect(self.on_refresh_clicked)
        for button in (
            self.library_button,
            self.write_button,
            self.delete_button,
            self.refresh_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = label(parent=self, wrap=True)
        self.status.setObjectName("templatesStatus")
        layout.addWidget(self.status)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(760, 560)

        messenger.templatesChanged.connect(self.on_messenger_templatesChanged)
        messenger.pageChanged.connect(self.on_messenger_pageChanged)
        self.finished.connect(self.on_finished)
        self.model.set_items(messenger.templates)
        self.empty.setVisible(not messenger.templates)
        self.show_page()
        self.tasks.start(self.load(), "messenger-dialog-load")

    async def load(self) -> None:
        info = await self.messenger.load_page()
        if info is None:
            self.human_agent.setText(
                self.tr("This server's Messenger bridge is off: there is nothing to manage here.")
            )
            self.utility.setText("")
            for button in (self.library_button, self.write_button, self.refresh_button):
                button.setEnabled(False)
            return
        self.page_info = info
        self.show_page(info.page)
        await self.messenger.load_templates()

    # --- the Page
    def show_page(self, page: PageSending | None = None) -> None:
        info = self.page_info
        permissions = info.permissions if info is not None else self.messenger.permissions
        if permissions is None:
            self.human_agent.setText(self.tr("Reading the Page's permissions…"))
            self.utility.setText("")
        else:
            self.human_agent.setText(
                self.tr(
                    "Human Agent permission: granted. Agents may reply up to 7 days after the "
                    "customer's last message (with the HUMAN_AGENT tag)."
                )
                if permissions.human_agent
                else self.tr(
                    "Human Agent permission: not granted. Replies are possible only within 24 "
                    "hours of the customer's last message; request it from Meta (App Review)."
                )
            )
            self.utility.setText(
                self.tr(
                    "page_utility_messaging: granted. Order updates outside 24 hours go as "
                    "utility messages from the approved templates below."
                )
                if permissions.utility_messaging
                else self.tr(
                    "page_utility_messaging: not granted. Order updates can be sent only within "
                    "24 hours of the customer's last message; request it from Meta."
                )
            )
            for button in (self.library_button, self.write_button, self.refresh_button):
                button.setEnabled(permissions.utility_messaging)
        retired = sorted(info.rules.retired_tags) if info is not None and info.rules else []
        self.rules.setText(
            self.tr(
                "Meta retired the %1 message tags on 27 April 2026; they are never sent."
            ).replace("%1", ", ".join(retired))
            if retired
            else ""
        )
        self.rules.setVisible(bool(retired))
        page = page or self.messenger.page
        banner = messenger_text().page_banner(page)
        self.sending.setText(banner or self.tr("The Page may send messages."))
        self.resume_button.setVisible(banner is not None)

    def on_messenger_pageChanged(self, page: PageSending | None) -> None:
        self.show_page(page)

    def on_resume_clicked(self) -> None:
        self.resume_button.setEnabled(False)
        self.tasks.start(self._resume(), "messenger-resume")

    async def _resume(self) -> None:
        try:
            await self.messenger.resume()
        finally:
            self.resume_button.setEnabled(True)

    # --- templates
    def on_messenger_templatesChanged(self, items: list[UtilityTemplate]) -> None:
        selected = self.selected()
        self.model.set_items(items)
        if selected is not None:
            for row, item in enumerate(self.model.items):
                if item.id == selected.id:
                    self.view.selectRow(row)
        self.on_selection_changed()
        self.empty.setVisible(not items)

    def selected(self) -> UtilityTemplate | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.template(rows[0].row()) if rows else None

    def on_selection_changed(self, *_args: object) -> None:
        self.delete_button.setEnabled(self.selected() is not None)

    def show_error(self, text: str) -> None:
        self.status.setText(text)

    def error_text(self, exc: BackendError) -> str:
        sentences = {
            "utility_not_granted": self.tr(
                "The Page has not been granted page_utility_messaging; templates cannot be "
                "added until Meta grants it."
            ),
            "template_exists": self.tr(
                "The Page already has a template with this name in this language."
            ),
            "invalid_template_name": self.tr(
                "A template name has lowercase letters, digits and underscores only."
            ),
            "forbidden": self.tr("Only a team lead can manage the Page's templates."),
        }
        return sentences.get(exc.code, str(exc))

    def on_refresh_clicked(self) -> None:
        self.tasks.start(self._refresh(), "messenger-refresh-templates")

    async def _refresh(self) -> None:
        self.status.setText(self.tr("Asking Meta…"))
        try:
            await self.messenger.refresh_templates()
        except BackendError as exc:
            self.status.setText(self.error_text(exc))
            return
        self.status.setText(self.tr("Statuses read from Meta."))

    def confirm_delete(self, template: UtilityTemplate) -> QMessageBox:
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Delete the template"))
        box.setText(
            self.tr("Delete %1 (%2) at Meta? Order updates will no longer use it.")
            .replace("%1", one_line(template.name, NAME_CHARS))
            .replace("%2", messenger_text().language(template.language))
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return box

    def on_delete_clicked(self) -> None:
        template = self.selected()
        if template is None:
            return
        box = self.confirm_delete(template)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(
            lambda result: (
                self.tasks.start(self._delete(template), "messenger-delete-template")
                if result == QMessageBox.StandardButton.Yes
                else None
            )
        )
        box.open()

    async def _delete(self, template: UtilityTemplate) -> None:
        try:
            await self.messenger.delete(template.id)
        except BackendError as exc:
            self.status.setText(self.error_text(exc))
            return
        self.status.setText(self.tr("Template deleted."))

    def open_library(self) -> LibraryDialog:
        return self._open_dialog(LibraryDialog(self.messenger, self), "library_dialog")

    def open_write(self) -> WriteTemplateDialog:
        return self._open_dialog(WriteTemplateDialog(self.messenger, self), "write_dialog")

    def _open_dialog(self, dialog: _Child, attr: str) -> _Child:
        """Open one of this dialog's own (deleted when closed), kept in `attr` while it is open;
        the sentence it says when it adds a template shows in the status line."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.added.connect(lambda text: self.status.setText(text))
        dialog.finished.connect(lambda _r: setattr(self, attr, None))
        setattr(self, attr, dialog)
        dialog.open()
        return dialog

    def on_finished(self, _result: int) -> None:
        self.tasks.cancel()
        disconnect_all(
            [
                (self.messenger.templatesChanged, self.on_messenger_templatesChanged),
                (self.messenger.pageChanged, self.on_messenger_pageChanged),
            ]
        )
