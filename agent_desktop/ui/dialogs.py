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

from agent_desktop.ui import plain_text
from agent_desktop.ui.keys import native

MIN_PASSWORD = 10  # the reference server's rule; the server has the last word


def modal_with_intro(dialog: QDialog, name: str, title: str, intro: str) -> QVBoxLayout:
    """Name `dialog`, title it, make it modal and lay it out as a column that starts with `intro`
    (plain text, wrapped): the column, for the rest of the dialog."""
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    dialog.setModal(True)
    box = QVBoxLayout(dialog)
    box.addWidget(plain_text.label(intro, dialog, wrap=True))
    return box


class SignInDialog(QDialog):
    """Signals: submitted(str url, str email, str password, bool remember);
    invitationSubmitted(str url, str email, str code, str new_password, bool remember) when the
    member has a one-time invitation (or reset) code and chooses their password with it."""

    submitted = Signal(str, str, str, bool)
    invitationSubmitted = Signal(str, str, str, str, bool)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        url: str = "",
        email: str = "",
        keyring_notice: str | None = None,
    ) -> None:
        super().__init__(parent)
        box = modal_with_intro(
            self,
            "signInDialog",
            self.tr("Sign in to Agent Desktop"),
            self.tr("Sign in with your support account."),
        )
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
        self.with_code = QCheckBox(self.tr("I have an invitation code"), self)
        self.with_code.setObjectName("invitationMode")
        self.with_code.toggled.connect(self.on_with_code_toggled)
        self.code = QLineEdit(self)
        self.code.setObjectName("invitationCode")
        self.code.setPlaceholderText("ABCD-EFGH-JKLM")
        self.repeat = QLineEdit(self)
        self.repeat.setObjectName("repeatPassword")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label = plain_text.label(self.tr("Password"), self)
        form.addRow(self.tr("Backend address"), self.url)
        form.addRow(self.tr("Email"), self.email)
        form.addRow("", self.with_code)
        form.addRow(self.tr("Invitation code"), self.code)
        form.addRow(self.password_label, self.password)
        form.addRow(self.tr("Repeat the password"), self.repeat)
        form.addRow("", self.remember)
        self.form = form
        box.addLayout(form)
        self.notice = plain_text.label(parent=self)
        self.notice.setObjectName("keyringNotice")
        self.notice.setWordWrap(True)
        self.notice.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.set_keyring_notice(keyring_notice)
        box.addWidget(self.notice)
        self.error = plain_text.error_label(self, "signInError")
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
        self.on_with_code_toggled(False)
        (self.password if email else self.email if url else self.url).setFocus()
        self.resize(460, self.sizeHint().height())

    def on_with_code_toggled(self, on: bool) -> None:
        """With a code: the code, a new password twice; without: the password."""
        self.form.setRowVisible(self.code, on)
        self.form.setRowVisible(self.repeat, on)
        self.password_label.setText(self.tr("New password") if on else self.tr("Password"))
        self.password.setPlaceholderText(
            self.tr("At least %1 characters").replace("%1", str(MIN_PASSWORD)) if on else ""
        )
        self.set_busy(False)
        self.adjustSize()
        if on:
            self.code.setFocus()

    def use_code(self, on: bool = True) -> None:
        """Open in invitation-code mode (a member whose password was reset)."""
        self.with_code.setChecked(on)
        (self.code if on else self.password).setFocus()

    def set_keyring_notice(self, notice: str | None) -> None:
        if notice:
            self.notice.setText(self.tr("No keyring: you will have to sign in again next time."))
            self.remember.setEnabled(False)
            self.remember.setChecked(False)
        self.notice.setVisible(bool(notice))

    def set_busy(self, busy: bool) -> None:
        self.ok.setEnabled(not busy)
        if busy:
            self.ok.setText(self.tr("Signing in…"))
        elif self.with_code.isChecked():
            self.ok.setText(self.tr("Set password and sign in"))
        else:
            self.ok.setText(self.tr("Sign in"))

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.adjustSize()  # room for a sentence of two lines
        self.password.selectAll()
        self.password.setFocus()

    def on_buttons_accepted(self) -> None:
        url, email, password = (
            self.url.text().strip(),
            self.email.text().strip(),
            self.password.text(),
        )
        if self.with_code.isChecked():
            code = self.code.text().strip()
            if not url or not email or not code or not password:
                self.show_error(
                    self.tr(
                        "Enter the backend address, your email, the invitation code and the "
                        "password you choose."
                    )
                )
                return
            if len(password) < MIN_PASSWORD:
                self.show_error(
                    self.tr("A password needs at least %1 characters.").replace(
                        "%1", str(MIN_PASSWORD)
                    )
                )
                return
            if password != self.repeat.text():
                self.show_error(self.tr("The two passwords differ: type them again."))
                self.repeat.clear()
                return
            self.error.hide()
            self.set_busy(True)
            self.invitationSubmitted.emit(url, email, code, password, self.remember.isChecked())
            return
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


class ChangePasswordDialog(QDialog):
    """Account → Change password. Signals: submitted(str current, str new). Stays open (busy)
    while the server answers; `show_error` shows its refusal, `succeeded` closes it."""

    submitted = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = modal_with_intro(
            self,
            "changePasswordDialog",
            self.tr("Change your password"),
            self.tr(
                "Other computers signed in with your account are signed out; this one stays "
                "signed in."
            ),
        )
        form = QFormLayout()
        self.current = QLineEdit(self)
        self.current.setObjectName("currentPassword")
        self.new = QLineEdit(self)
        self.new.setObjectName("newPassword")
        self.new.setPlaceholderText(
            self.tr("At least %1 characters").replace("%1", str(MIN_PASSWORD))
        )
        self.repeat = QLineEdit(self)
        self.repeat.setObjectName("repeatNewPassword")
        for field in (self.current, self.new, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Current password"), self.current)
        form.addRow(self.tr("New password"), self.new)
        form.addRow(self.tr("Repeat the new password"), self.repeat)
        box.addLayout(form)
        self.error = plain_text.error_label(self, "changePasswordError")
        box.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setObjectName("changePasswordButton")
        self.ok.setText(self.tr("Change password"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        box.addWidget(self.buttons)
        self.current.setFocus()
        self.resize(460, self.sizeHint().height())

    def set_busy(self, busy: bool) -> None:
        self.ok.setEnabled(not busy)
        self.ok.setText(self.tr("Please wait…") if busy else self.tr("Change password"))

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def on_buttons_accepted(self) -> None:
        current, new = self.current.text(), self.new.text()
        if not current or not new:
            self.show_error(self.tr("Enter your current password and the new one."))
            return
        if len(new) < MIN_PASSWORD:
            self.show_error(
                self.tr("A password needs at least %1 characters.").replace("%1", str(MIN_PASSWORD))
            )
            return
        if new != self.repeat.text():
            self.show_error(self.tr("The two new passwords differ: type them again."))
            self.repeat.clear()
            return
        self.error.hide()
        self.set_busy(True)
        self.submitted.emit(current, new)
