"""The composer: the customer it writes to, reply / internal note switch, the Messenger
reply-window indicator, a character count against 2,000, Enter to send (configurable), Ctrl+Enter
to send and go to the next waiting thread, the suggested reply above the text (Tab inserts it),
and highlighted unfilled template variables that block sending until edited or confirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QPalette, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.core.literals import MAX_TEXT_LENGTH
from agent_desktop.core.reply_window import reply_window
from agent_desktop.ui import fmt, plain_text, theme
from agent_desktop.ui.composer_spans import UnfilledSpans
from agent_desktop.ui.composer_window import window_sentence
from agent_desktop.ui.messenger_text import messenger_text
from agent_desktop.ui.suggestion_bar import SuggestionBar

if TYPE_CHECKING:
    from agent_desktop.core.messenger_types import MessengerState
    from agent_desktop.core.rows import ThreadRow
    from agent_desktop.core.suggest import Suggestion
    from agent_desktop.core.types import ReplyWindow


def _set_style(widget: QWidget, sheet: str) -> None:
    """Set a style sheet only when it changes: Qt polishes the widget again at each call, and the
    composer's labels are refreshed once a second and on every change of the open thread."""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


class ComposerPane(QWidget):
    """Signals:
    sendRequested(str thread_id, str text, str kind)
                                       kind is "reply" or "note"; thread_id is the thread whose
                                       customer the composer names (the one it was set to)
    draftChanged(str text)             the text changed (the window saves it as the thread's draft)
    quickRepliesRequested(str query)   "/" typed at the start, or Ctrl+K
    modeChanged(str kind)
    nextRequested()                    sent with Ctrl+Enter: the next waiting thread, please
    suggestionInserted(str intent)     the suggested reply was put in the text (Tab or a click)
    """

    sendRequested = Signal(str, str, str)
    draftChanged = Signal(str)
    quickRepliesRequested = Signal(str)
    modeChanged = Signal(str)
    nextRequested = Signal()
    suggestionInserted = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, now: Callable[[], datetime] | None = None
    ) -> None:
        from agent_desktop.core.types import ReplyWindow

        super().__init__(parent)
        self.setObjectName("composerPane")
        self._now = now or (lambda: datetime.now(UTC))
        self.enter_sends = True
        self._thread: ThreadRow | None = None
        self._window = ReplyWindow.model_construct()  # the defaults: no validator built yet
        self.standby = False  # another app owns the Messenger conversation: replies refused
        # Why the bridge refuses replies now besides the time (owner, permission): a short line.
        self.messenger_block: str | None = None
        self._confirm_unfilled = False
        self._loading = False
        self._suggestion: Suggestion | None = None
        self._suggestion_dismissed = False
        self._count_of = -1  # the length the character count shows

        box = QVBoxLayout(self)
        box.setContentsMargins(8, 6, 8, 8)
        box.setSpacing(4)
        # Who the text goes to, always in view: the customer's name is plain text, and never
        # widens the pane (elided by the label's width instead).
        # Always names the whole of who the reply goes to: wraps rather than clips.
        self.recipient_label = plain_text.label(parent=self, wrap=True)
        self.recipient_label.setObjectName("composerRecipient")
        self.recipient_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        box.addWidget(self.recipient_label)
        top = QHBoxLayout()
        self.reply_button = QToolButton(self)
        self.reply_button.setObjectName("replyMode")
        self.reply_button.setText(self.tr("Reply"))
        self.reply_button.setCheckable(True)
        self.reply_button.setChecked(True)
        self.note_button = QToolButton(self)
        self.note_button.setObjectName("noteMode")
        self.note_button.setText(self.tr("Internal note"))
        self.note_button.setCheckable(True)
        self.note_button.setToolTip(self.tr("Only your team sees internal notes (Ctrl+Shift+N)"))
        group = QButtonGroup(self)
        group.setExclusive(True)
        group.addButton(self.reply_button)
        group.addButton(self.note_button)
        group.buttonToggled.connect(self.on_mode_buttonToggled)
        bold = self.reply_button.font()
        bold.setBold(True)
        self.reply_button.setFont(bold)
        top.addWidget(self.reply_button)
        top.addWidget(self.note_button)
        top.addSpacing(8)
        # Wraps on a narrow window rather than running into the character count.
        self.window_label = plain_text.label(parent=self, wrap=True)
        self.window_label.setObjectName("replyWindowIndicator")
        top.addWidget(self.window_label, 1)
        self.count_label = plain_text.label(parent=self)
        self.count_label.setObjectName("characterCount")
        top.addWidget(self.count_label)
        box.addLayout(top)

        self.suggestion_bar = SuggestionBar(self)
        self.suggestion_bar.insertRequested.connect(self.insert_suggestion)
        self.suggestion_bar.dismissed.connect(self.on_suggestion_bar_dismissed)
        box.addWidget(self.suggestion_bar)

        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("composer")
        self.editor.setPlaceholderText(self.tr('Write a reply… ("/" for quick replies)'))
        self.editor.setTabChangesFocus(True)
        self.editor.installEventFilter(self)
        self.editor.textChanged.connect(self.on_editor_textChanged)
        self.editor.setMinimumHeight(48)
        self.editor.setMaximumHeight(88)
        box.addWidget(self.editor)
        self.spans = UnfilledSpans(self.editor)

        bottom = QHBoxLayout()
        self.hint = plain_text.label(parent=self)
        self.hint.setObjectName("composerHint")
        self.hint.setWordWrap(True)
        bottom.addWidget(self.hint, 1)
        self.send_button = QPushButton(self.tr("Send"), self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setDefault(False)
        self.send_button.setAutoDefault(False)
        self.send_button.clicked.connect(self.on_send_button_clicked)
        bottom.addWidget(self.send_button)
        box.addLayout(bottom)
        self._refresh()

    # --- state
    @property
    def kind(self) -> str:
        return "note" if self.note_button.isChecked() else "reply"

    def set_kind(self, kind: str) -> None:
        (self.note_button if kind == "note" else self.reply_button).setChecked(True)

    def toggle_kind(self) -> None:
        self.set_kind("reply" if self.kind == "note" else "note")

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_thread(self, thread: ThreadRow | None, draft: str = "") -> None:
        """Switch to another thread, restoring its draft."""
        self._thread = thread
        self._loading = True
        self.spans.clear()
        self._confirm_unfilled = False
        self.editor.setPlainText(draft)
        self.editor.moveCursor(QTextCursor.MoveOperation.End)
        self._loading = False
        self.standby = False
        self._suggestion = None
        self._suggestion_dismissed = False
        self.messenger_block = None
        self.set_kind("reply")
        self.update_window()

    def update_thread(self, thread: ThreadRow) -> None:
        """The open thread changed on the server (its window may have moved)."""
        self._thread = thread
        self.update_window()

    def thread_id(self) -> str | None:
        """The thread the composer writes to."""
        return self._thread.id if self._thread is not None else None

    def _update_recipient(self) -> None:
        thread = self._thread
        if thread is None:
            self.recipient_label.clear()
            return
        name = plain_text.names([thread.customer_name])
        if self.kind == "note":
            text = self.tr("Internal note on the conversation with %1").replace("%1", name)
        else:
            text = self.tr("Reply to %1").replace("%1", name)
        self.recipient_label.setText(text)

    def clear_text(self) -> None:
        self.spans.clear()
        self._confirm_unfilled = False
        self.editor.clear()

    def current_window(self) -> ReplyWindow:
        thread = self._thread
        if thread is None:
            from agent_desktop.core.types import ReplyWindow

            return ReplyWindow()
        if thread.last_customer_message_at is not None:
            return reply_window(
                thread.last_customer_message_at, self._now(), thread.standard_window_until
            )
        return thread.window()

    def on_messenger_stateChanged(self, state: MessengerState | None) -> None:
        """The open thread's Messenger facts: read-only (notes only) while another app or the
        Page inbox owns it, and closed with the reason when the Page lacks the Human Agent
        permission in the 24 h–7 d window."""
        thread_id = self._thread.id if self._thread is not None else None
        mine = state is not None and state.thread_id == thread_id
        standby = bool(mine and state is not None and state.standby)
        text = messenger_text()
        line = text.window_line(state.reply_block, state.owner) if mine and state else None
        self.window_label.setToolTip(
            plain_text.tooltip(text.block(state.reply_block) or "") if line and state else ""
        )
        if (standby, line) != (self.standby, self.messenger_block):
            self.standby = standby
            self.messenger_block = line
            self.update_window()

    def window_text(self, window: ReplyWindow) -> str:
        return window_sentence(
            window, self._now(), standby=self.standby, messenger_block=self.messenger_block
        )

    def sending_allowed(self) -> bool:
        if self._thread is None:
            return False
        if self.kind == "note":
            return True
        return (
            self.current_window().state != "closed"
            and not self.standby
            and self.messenger_block is None
        )

    def update_window(self) -> None:
        window = self.current_window()
        self._window = window
        text = self.window_text(window)
        self.window_label.setText(text)
        self.window_label.setVisible(bool(text))
        if self.messenger_block is None:  # else it holds the bridge's full reason
            self.window_label.setToolTip(plain_text.tooltip(text))
        blocked = self.standby or self.messenger_block is not None
        state = "closed" if blocked else window.state
        colour = theme.WINDOW_COLOURS.get(state, theme.WINDOW_COLOURS["none"])
        _set_style(
            self.window_label,
            f"color: {colour.name()};" if window.state != "standard" or blocked else "",
        )
        self._refresh()

    # --- the suggested reply
    @property
    def suggestion(self) -> Suggestion | None:
        return self._suggestion

    def set_suggestion(self, suggestion: Suggestion | None) -> None:
        """The reply suggested for what the customer asked (None: nothing to suggest)."""
        if (
            suggestion is None
            or self._suggestion is None
            or (suggestion.text != self._suggestion.text)
        ):
            self._suggestion_dismissed = False
        self._suggestion = suggestion
        self.suggestion_bar.set_suggestion(suggestion)
        self._update_suggestion()

    def suggestion_shown(self) -> bool:
        return (
            self._suggestion is not None
            and not self._suggestion_dismissed
            and self.kind == "reply"
            and not self.text().strip()
            and self._thread is not None
        )

    def _update_suggestion(self) -> None:
        self.suggestion_bar.setVisible(self.suggestion_shown())

    def insert_suggestion(self) -> bool:
        """Put the suggested reply in the (empty) text; the agent sends it with Enter."""
        suggestion = self._suggestion
        if suggestion is None or not self.suggestion_shown():
            return False
        self.editor.setPlainText(suggestion.text)
        self.editor.moveCursor(QTextCursor.MoveOperation.End)
        self.editor.setFocus()
        self.suggestionInserted.emit(suggestion.intent)
        return True

    def on_suggestion_bar_dismissed(self) -> None:
        self._suggestion_dismissed = True
        self._update_suggestion()
        self.editor.setFocus()

    # --- templates
    def insert_rendered(self, text: str, spans: list[tuple[int, int, str]]) -> None:
        """Insert a rendered template at the cursor (replacing a leading "/query" if present)."""
        cursor = self.editor.textCursor()
        current = self.text()
        if current.startswith("/") and "\n" not in current and " " not in current.strip():
            self.editor.selectAll()
            cursor = self.editor.textCursor()
        start = cursor.selectionStart()
        cursor.insertText(text)
        self.spans.add(start, text, spans)
        self._confirm_unfilled = False
        self.editor.setFocus()
        self._refresh()

    def unfilled(self) -> list[str]:
        """Variables whose span still shows the template text as inserted (not edited yet)."""
        return self.spans.names()

    # --- sending
    def try_send(self) -> bool:
        text = self.text().strip()
        if not text or not self.sending_allowed() or len(text) > MAX_TEXT_LENGTH:
            self._refresh()
            return False
        missing = self.unfilled()
        if missing and not self._confirm_unfilled:
            self._confirm_unfilled = True
            self.hint.setText(
                self.tr("Not filled in: %1. Edit them, or send again to send as it is.").replace(
                    "%1", ", ".join(missing)
                )
            )
            self.hint.setStyleSheet(f"color: {theme.FAILED.name()};")
            return False
        kind = self.kind
        thread_id = self.thread_id()
        assert thread_id is not None  # sending_allowed() said there is a thread
        self.clear_text()
        self.sendRequested.emit(thread_id, text, kind)
        if kind == "note":
            self.set_kind("reply")  # a note is an aside: the next text is a reply again
        return True

    def send_and_next(self) -> bool:
        """Send, then ask for the next waiting thread (Ctrl+Enter)."""
        if not self.try_send():
            return False
        self.nextRequested.emit()
        return True

    def on_send_button_clicked(self) -> None:
        self.try_send()

    def on_mode_buttonToggled(self, button: QToolButton, checked: bool) -> None:
        for b in (self.reply_button, self.note_button):
            font = b.font()
            font.setBold(b.isChecked())
            b.setFont(font)
        if not checked:
            return
        note = self.kind == "note"
        pal = self.editor.palette()
        pal.setColor(
            QPalette.ColorRole.Base,
            theme.note_colour() if note else self.palette().color(QPalette.ColorRole.Base),
        )
        self.editor.setPalette(pal)
        self.editor.setPlaceholderText(
            self.tr("Write an internal note (only your team sees it)…")
            if note
            else self.tr('Write a reply… ("/" for quick replies)')
        )
        self.send_button.setText(self.tr("Add note") if note else self.tr("Send"))
        self.modeChanged.emit(self.kind)
        self._refresh()
        self._update_suggestion()

    def on_editor_textChanged(self) -> None:
        self.spans.text_changed()
        self._confirm_unfilled = False
        self._refresh()
        self._update_suggestion()
        if not self._loading:
            self.draftChanged.emit(self.text())
            text = self.text()
            if text == "/":
                self.quickRepliesRequested.emit("")

    def _refresh(self) -> None:
        self._update_recipient()
        n = len(self.text())
        if self._thread is None:  # nothing to write to yet: no count (nor its number formats)
            self.count_label.clear()
            self._count_of = -1
        else:
            if self._count_of != n:  # formatted once per length, not each second
                self._count_of = n
                self.count_label.setText(
                    self.tr("%1 / %2")
                    .replace("%1", fmt.number(n))
                    .replace("%2", fmt.number(MAX_TEXT_LENGTH))
                )
        over = n > MAX_TEXT_LENGTH
        _set_style(self.count_label, f"color: {theme.FAILED.name()};" if over else "")
        allowed = self.sending_allowed()
        self.send_button.setEnabled(allowed and bool(self.text().strip()) and not over)
        if self._thread is None:
            hint = self.tr("Select a conversation to reply.")
        elif not allowed:
            hint = self.tr(
                "Messenger does not accept a reply now; you can still add an internal note."
            )
        elif over:
            hint = self.tr("Too long: Messenger accepts at most %1 characters.").replace(
                "%1", fmt.number(MAX_TEXT_LENGTH)
            )
        elif self.unfilled():
            hint = self.tr("Highlighted variables are not filled in.")
        else:
            hint = (
                self.tr("Enter to send, Shift+Enter for a new line")
                if self.enter_sends
                else self.tr("Ctrl+Enter to send, Enter for a new line")
            )
        if not self._confirm_unfilled:
            self.hint.setText(hint)
            _set_style(
                self.hint,
                f"color: {theme.FAILED.name()};" if (over or not allowed) and self._thread else "",
            )
        read_only = self._thread is None
        if self.editor.isReadOnly() != read_only:  # Qt redoes the editor's flags on every call
            self.editor.setReadOnly(read_only)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.editor
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            key = event.key()
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            tab = key == Qt.Key.Key_Tab and mods == Qt.KeyboardModifier.NoModifier
            if tab and self.insert_suggestion():
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
                shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
                # Ctrl+Shift+Enter always sends and moves on; Ctrl+Enter does when Enter sends
                # (otherwise Ctrl+Enter is the send key).
                if ctrl and (shift or self.enter_sends):
                    self.send_and_next()
                    return True
                if ctrl:
                    self.try_send()
                    return True
                if mods & Qt.KeyboardModifier.ShiftModifier:
                    self.editor.insertPlainText("\n")
                    return True
                if self.enter_sends and not (mods & Qt.KeyboardModifier.AltModifier):
                    self.try_send()
                    return True
            if event.matches(QKeySequence.StandardKey.Find):
                return False
            if key == Qt.Key.Key_K and mods & Qt.KeyboardModifier.ControlModifier:
                self.quickRepliesRequested.emit("")
                return True
        return super().eventFilter(watched, event)
