"""Writing and sending: the open thread's draft (saved as the agent types, and before another
thread opens), the composer's Send (checked against Messenger's reply window, then queued in the
store's outbox), a failed message sent again, quick replies rendered with the customer's and the
order's data, and the template editor.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt

from agent_desktop.backends.base import BackendError
from agent_desktop.core.reply_window import ReplyNotAllowed, required_tag
from agent_desktop.core.suggest import template_context
from agent_desktop.core.templates import TemplateContext, pick_order, render
from agent_desktop.store.sentences import error_sentence
from agent_desktop.ui.template_editor import TemplateEditor

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from agent_desktop.core.types import Template
    from agent_desktop.store.client_store import ClientStore
    from agent_desktop.store.tasks import BackgroundTasks
    from agent_desktop.ui.composer import ComposerPane
    from agent_desktop.ui.conversation_model import ConversationModel
    from agent_desktop.ui.conversation_pane import ConversationPane
    from agent_desktop.ui.purchase_history import PurchaseHistory
    from agent_desktop.ui.quick_replies import QuickReplyPopup, TemplateListModel
    from agent_desktop.ui.selection import SelectionController

log = logging.getLogger(__name__)


class SendController(QObject):
    """The composer's side of the workspace. Signals: none (errors go to `show_error`)."""

    def __init__(
        self,
        *,
        window: QWidget,
        selection: SelectionController,
        composer: ComposerPane,
        conversation: ConversationPane,
        conversation_model: ConversationModel,
        history: PurchaseHistory,
        quick_replies: QuickReplyPopup,
        template_model: TemplateListModel,
        tasks: BackgroundTasks,
        show_error: Any,
    ) -> None:
        super().__init__(window)
        self.store: ClientStore | None = None
        self._window = window
        self._selection = selection
        self._composer = composer
        self._conversation = conversation
        self._model = conversation_model
        self._history = history
        self._quick_replies = quick_replies
        self._templates = template_model
        self._tasks = tasks
        self._show_error = show_error
        self.template_editor: TemplateEditor | None = None
        composer.sendRequested.connect(self.on_composer_sendRequested)
        composer.draftChanged.connect(self.on_composer_draftChanged)
        composer.quickRepliesRequested.connect(self.open_quick_replies)
        quick_replies.chosen.connect(self.on_quick_replies_chosen)
        quick_replies.dismissed.connect(composer.editor.setFocus)
        conversation.delegate.retryRequested.connect(self.on_delegate_retryRequested)

    def set_store(self, store: ClientStore | None) -> None:
        self.store = store

    # -- drafts -------------------------------------------------------------------------------

    def flush_draft(self) -> None:
        """Save the composer's text as its thread's draft, now."""
        thread_id = self._composer.thread_id()
        if self.store is not None and thread_id:
            try:
                self.store.save_draft(thread_id, self._composer.text())
            except Exception as exc:  # reported by the store's storageError too
                log.warning("draft not saved: %s", exc)

    def on_composer_draftChanged(self, text: str) -> None:
        store = self.store
        thread_id = self._composer.thread_id()
        if store is None or not thread_id:
            return
        try:
            store.save_draft_later(thread_id, text)
        except RuntimeError:
            store.save_draft(thread_id, text)
        if text:
            self._tasks.start(store.notify_typing(thread_id), "typing")

    # -- sending ------------------------------------------------------------------------------

    def on_composer_sendRequested(self, thread_id: str, text: str, kind: str) -> None:
        """Send to the thread the composer names (it is the open one: both change together)."""
        store = self.store
        if store is None or thread_id != self._selection.thread_id:
            log.error("Send refused: the composer's thread %s is not the open one", thread_id)
            self._composer.editor.setPlainText(text)
            return
        tag = None
        if kind == "reply":
            try:
                tag = required_tag(
                    self._composer.current_window().state, store.settings.allowed_tags
                )
            except ReplyNotAllowed as exc:
                self._composer.editor.setPlainText(text)
                self._show_error(error_sentence(exc))
                return
        self._tasks.start(self._send(thread_id, text, kind, tag), "send")

    async def _send(self, thread_id: str, text: str, kind: str, tag: str | None) -> None:
        store = self.store
        assert store is not None
        try:
            await store.send(thread_id, text, kind=kind, tag=tag)  # type: ignore[arg-type]
        except Exception:
            if self._selection.thread_id == thread_id and not self._composer.text():
                self._composer.editor.setPlainText(text)
            raise
        store.save_draft(thread_id, "")
        self._conversation.scroll_to_bottom()

    def on_delegate_retryRequested(self, key: str) -> None:
        """The agent asked to send a failed message again."""
        if self.store is not None:
            self.store.retry(key.removeprefix("local:"))
        row = self._model.row_of(key)
        message = self._model.messages()[row] if row >= 0 else None
        messenger = self._history.messenger
        if messenger is not None and message is not None and message.id == key:
            if messenger.was_resent(message.id):
                self._show_error(
                    self.tr("This message was already sent again; the new copy is further down.")
                )
            else:
                messenger.resend(message)  # stored, but Messenger refused it

    # -- quick replies and templates ----------------------------------------------------------

    def template_context(self) -> TemplateContext:
        store = self.store
        selection = self._selection
        order = pick_order(selection.orders, self._history.selected_order_id)
        return template_context(
            selection.customer,
            order,
            agent=store.me if store else None,
            settings=store.settings if store else None,
            now=store.now() if store else None,
        )

    def open_quick_replies(self, query: str = "") -> None:
        if self._selection.thread_id is None:
            return
        self._quick_replies.popup(self._composer.editor, query)

    def on_quick_replies_chosen(self, template: Template) -> None:
        rendered = render(template.body, self.template_context())
        self._composer.insert_rendered(rendered.text, rendered.unfilled_spans)
        self._composer.editor.setFocus()

    def open_template_editor(self) -> None:
        store = self.store
        if store is None:
            return
        editor = TemplateEditor(
            self._templates,
            self.template_context,
            is_lead=bool(store.me and store.me.role == "lead"),
            me_id=store.me.id if store.me else None,
            parent=self._window,
        )
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saveRequested.connect(
            lambda tid, fields: self._tasks.start(
                self._save_template(editor, tid, fields), "template"
            )
        )
        editor.deleteRequested.connect(
            lambda tid: self._tasks.start(store.delete_template(tid), "template-delete")
        )
        editor.open()
        self.template_editor = editor

    async def _save_template(
        self, editor: TemplateEditor, template_id: str | None, fields: dict[str, Any]
    ) -> None:
        assert self.store is not None
        try:
            if template_id:
                await self.store.update_template(template_id, fields)
            else:
                await self.store.create_template(fields)
        except BackendError as exc:
            editor.show_error(error_sentence(exc))
            return
        editor.show_error(self.tr("Saved."))
