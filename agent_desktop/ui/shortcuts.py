"""The main window's menus and keys: the Account and Help menus, the window-wide shortcuts, and
the keys the list answers wherever the focus is (J/K move when nothing is being typed, Esc
returns to the list, Enter in the list goes to the composer). The F1 sheet (ui/dialogs.py
ShortcutsDialog) lists them; ui/keys.py is the one place their sequences are written.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

from agent_desktop.ui.keys import KEYS

if TYPE_CHECKING:
    from agent_desktop.ui.main_window import MainWindow


class Shortcuts(QObject):
    """Installs the menus, the shortcuts and the key filter on `window`; with `listen=False` the
    key filter waits for `listen()` (the app's start: after the first painted page). Signals:
    none."""

    def __init__(self, window: MainWindow, *, listen: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.listening = False
        self._watched: QWidget | None = None  # the focus widget the key filter is on
        self._build_menus()
        self._build_keys()
        if listen:
            self.listen()

    def listen(self) -> None:
        """Start the key filter (once; at the app's start after the first painted page,
        startup/fast_start.py). It watches the window's focus widget alone, where key presses
        are delivered, and follows the focus: on the application it was called for every event
        of every object (each timer, socket, paint and title change; ~6 % of the client's CPU
        over the live figure), each made into a Python object to be refused."""
        if not self.listening:
            self.listening = True
            app = QApplication.instance()
            assert isinstance(app, QApplication)
            app.focusChanged.connect(self.on_app_focusChanged)
            self._watch(QApplication.focusWidget())

    def on_app_focusChanged(self, old: QWidget | None, new: QWidget | None) -> None:
        self._watch(new)

    def _watch(self, widget: QWidget | None) -> None:
        watched, self._watched = self._watched, None
        if watched is not None and watched is not widget:
            with contextlib.suppress(RuntimeError):  # already deleted
                watched.removeEventFilter(self)
        if widget is not None and widget.window() is self.window:
            widget.installEventFilter(self)  # installed again: moved first, once
            self._watched = widget

    def _build_menus(self) -> None:
        w = self.window
        bar = w.menuBar()
        account = bar.addMenu(self.tr("&Account"))
        self.settings_action = QAction(self.tr("Settings…"), w)
        self.settings_action.triggered.connect(w.open_settings)
        account.addAction(self.settings_action)
        self.templates_action = QAction(self.tr("Quick replies…"), w)
        self.templates_action.triggered.connect(w.open_template_editor)
        account.addAction(self.templates_action)
        self.change_password_action = QAction(self.tr("Change password…"), w)
        self.change_password_action.setObjectName("changePasswordAction")
        self.change_password_action.triggered.connect(w.changePasswordRequested)
        self.change_password_action.setVisible(False)  # shown where the backend offers it
        account.addAction(self.change_password_action)
        account.addSeparator()
        self.sign_out_action = QAction(self.tr("Sign out"), w)
        self.sign_out_action.setObjectName("signOutAction")
        self.sign_out_action.triggered.connect(w.signOutRequested)
        account.addAction(self.sign_out_action)
        quit_action = QAction(self.tr("Quit"), w)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(w.close)
        account.addAction(quit_action)
        help_menu = bar.addMenu(self.tr("&Help"))
        sheet = QAction(self.tr("Keyboard shortcuts"), w)
        sheet.setShortcut(QKeySequence(Qt.Key.Key_F1))
        sheet.triggered.connect(w.show_shortcuts)
        help_menu.addAction(sheet)
        w.addAction(sheet)

    def _shortcut(self, keys: str | QKeySequence, slot: Any) -> QShortcut:
        sc = QShortcut(QKeySequence(keys), self.window)
        sc.setContext(Qt.ShortcutContext.WindowShortcut)
        sc.activated.connect(slot)
        return sc

    def _build_keys(self) -> None:
        w = self.window
        self._shortcut(KEYS["next"], lambda: w.thread_list.move_selection(1))
        self._shortcut(KEYS["previous"], lambda: w.thread_list.move_selection(-1))
        self._shortcut(KEYS["note"], w.composer.toggle_kind)
        self._shortcut(KEYS["resolve_next"], w.resolve_and_next)
        self._shortcut(KEYS["search"], w.focus_search)
        self._shortcut(KEYS["quick_replies"], lambda: w.sending.open_quick_replies(""))
        for key in ("mine", "unassigned", "all"):
            self._shortcut(KEYS[key], lambda k=key: w.thread_list.set_assignee(k))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        w = self.window
        if not isinstance(watched, QWidget) or watched.window() is not w:
            return False
        if watched is not QApplication.focusWidget():
            return False  # handle each key press once, where it is delivered
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        typing = isinstance(watched, (QLineEdit, QPlainTextEdit))
        if key == Qt.Key.Key_Escape and not w.quick_replies.isVisible():
            if watched is not w.thread_list.view:
                w.thread_list.view.setFocus()
                return True
            return False
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and watched is w.thread_list.view and mods == Qt.KeyboardModifier.NoModifier:
            w.flow.compose_highlighted()
            return True
        jk = key in (Qt.Key.Key_J, Qt.Key.Key_K)
        if jk and not typing and mods == Qt.KeyboardModifier.NoModifier:
            w.thread_list.move_selection(1 if key == Qt.Key.Key_J else -1)
            return True
        return False
