"""Dialogs: sign-in, the keyboard shortcuts cheat sheet, and the settings (language, Enter to send).

All are opened with `open()` and report through signals; none blocks the event loop with exec().
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.ui import plain_text, theme
from agent_desktop.ui.keys import native


class SignInDialog(QDialog):
    """Signals: submitted(str url, str email, str password, bool remember)."""

    submitted = Signal(str, str, str, bool)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        url: str = "",
        email: str = "",
        keyring_notice: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setWindowTitle(self.tr("Sign in to Agent Desktop"))
        self.setModal(True)
        box = QVBoxLayout(self)
        intro = plain_text.label(self.tr("Sign in with your support account."), self)
        intro.setWordWrap(True)
        box.addWidget(intro)
        form = QFormLayout()
        self.url = QLineEdit(url, self)
        self.url.setObjectName("backendUrl")
        self.url.setPlaceholderText("https://support.example.com")
        self.email = QLineEdit(email, self)
        self.email.setObjectName("email")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("Remember me on this computer"), self)
        self.remember.setObjectName("rememberMe")
        self.remember.setChecked(True)
        form.addRow(self.tr("Backend address"), self.url)
        form.addRow(self.tr("Email"), self.email)
        form.addRow(self.tr("Password"), self.password)
        form.addRow("", self.remember)
        box.addLayout(form)
        self.notice = plain_text.label(parent=self)
        self.notice.setObjectName("keyringNotice")
        self.notice.setWordWrap(True)
        self.notice.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.set_keyring_notice(keyring_notice)
        box.addWidget(self.notice)
        self.error = plain_text.label(parent=self)
        self.error.setObjectName("signInError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {theme.FAILED.name()};")
        self.error.hide()
        box.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Sign in"))
        self.ok.setObjectName("signInButton")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        box.addWidget(self.buttons)
        (self.password if email else self.email if url else self.url).setFocus()
        self.resize(440, self.sizeHint().height())

    def set_keyring_notice(self, notice: str | None) -> None:
        if notice:
            self.notice.setText(self.tr("No keyring: you will have to sign in again next time."))
            self.remember.setEnabled(False)
            self.remember.setChecked(False)
        self.notice.setVisible(bool(notice))

    def set_busy(self, busy: bool) -> None:
        self.ok.setEnabled(not busy)
        self.ok.setText(self.tr("Signing in…") if busy else self.tr("Sign in"))

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.password.selectAll()
        self.password.setFocus()

    def on_buttons_accepted(self) -> None:
        url, email, password = (
            self.url.text().strip(),
            self.email.text().strip(),
            self.password.text(),
        )
        if not url or not email or not password:
            self.show_error(self.tr("Enter the backend address, your email and your password."))
            return
        self.error.hide()
        self.set_busy(True)
        self.submitted.emit(url, email, password, self.remember.isChecked())


class ShortcutsDialog(QDialog):
    """The keyboard shortcuts cheat sheet (F1), keys in the platform's words ("Ctrl+Maj+N")."""

    def __init__(self, parent: QWidget | None = None, *, enter_sends: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        grid = QGridLayout(self)
        intro = plain_text.label(
            self.tr(
                "From the list to a sent answer: %1 opens the highlighted conversation, %2 "
                "inserts the suggested reply, %3 sends it."
            )
            .replace("%1", native("send"))
            .replace("%2", native("insert_suggestion"))
            .replace("%3", native("send" if enter_sends else "send_ctrl")),
            self,
            wrap=True,
        )
        intro.setObjectName("shortcutsIntro")
        grid.addWidget(intro, 0, 0, 1, 2)
        if enter_sends:
            send = [
                (native("send"), self.tr("Send (in the composer)")),
                (native("new_line"), self.tr("New line")),
                (
                    native("send_next", "send_next_always"),
                    self.tr("Send and go to the next conversation waiting for you"),
                ),
            ]
        else:
            send = [
                (native("send_ctrl"), self.tr("Send (in the composer)")),
                (native("send"), self.tr("New line")),
                (
                    native("send_next_always"),
                    self.tr("Send and go to the next conversation waiting for you"),
                ),
            ]
        rows = [
            (native("send"), self.tr("In the list: open the highlighted conversation and reply")),
            (native("insert_suggestion"), self.tr("Insert the suggested reply")),
            *send,
            (native("back_to_list"), self.tr("Back to the conversation list")),
            (
                native("previous", "next") + " · K / J",
                self.tr("Previous / next conversation"),
            ),
            (native("mine", "unassigned", "all"), self.tr("Mine / Unassigned / All")),
            ("/ · " + native("quick_replies"), self.tr("Quick replies")),
            (native("note"), self.tr("Switch between reply and internal note")),
            (native("resolve_next"), self.tr("Resolve and go to the next conversation")),
            (native("search"), self.tr("Search conversations")),
            (native("sheet"), self.tr("This list")),
        ]
        for i, (keys, what) in enumerate(rows, start=1):
            k = plain_text.label(keys, self)
            font = k.font()
            font.setBold(True)
            k.setFont(font)
            grid.addWidget(k, i, 0)
            w = plain_text.label(what, self)
            grid.addWidget(w, i, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        grid.addWidget(buttons, len(rows) + 1, 0, 1, 2)
        self.setMinimumWidth(520)


class SettingsDialog(QDialog):
    """Signals: changed(str language, bool enter_sends, bool sound)."""

    changed = Signal(str, bool, bool)

    def __init__(
        self, parent: QWidget | None, *, language: str, enter_sends: bool, sound: bool
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        form = QFormLayout(self)
        self.language = QComboBox(self)
        self.language.addItem(self.tr("System language"), "")
        self.language.addItem("English", "en")
        self.language.addItem("Français", "fr")
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        form.addRow(self.tr("Language"), self.language)
        self.enter_sends = QCheckBox(self.tr("Enter sends (Shift+Enter for a new line)"), self)
        self.enter_sends.setChecked(enter_sends)
        form.addRow("", self.enter_sends)
        self.sound = QCheckBox(self.tr("Play a sound with notifications"), self)
        self.sound.setChecked(sound)
        form.addRow("", self.sound)
        note = plain_text.label(
            self.tr("A new language applies the next time Agent Desktop starts."), self
        )
        note.setWordWrap(True)
        form.addRow(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def on_buttons_accepted(self) -> None:
        self.changed.emit(
            str(self.language.currentData()), self.enter_sends.isChecked(), self.sound.isChecked()
        )
        self.accept()
