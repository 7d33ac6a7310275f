"""Desktop integration: the tray icon with the unread count, desktop notifications, and the single
instance guard (a second launch asks the first one to raise its window, then exits; the asking
is in `ui/instance.py`, before Qt starts).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QSystemTrayIcon

from agent_desktop.ui import freedesktop, instance, plain_text, theme
from agent_desktop.ui.instance import instance_name

# The freedesktop StatusNotifier watcher: when it runs, Qt's tray is the D-Bus one and sends
# notifications to the notification server as they are (Qt's QGenericUnixTheme makes the same test).
STATUS_NOTIFIER_WATCHER = "org.kde.StatusNotifierWatcher"


class SingleInstance(QObject):
    """Signals: activated() when another launch asked this one to show itself."""

    activated = Signal()

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or instance_name()
        self.address = instance.server_name(self.name)
        self.server: QLocalServer | None = None

    def ask_running(self, timeout_ms: int = 400) -> bool:
        """True when another instance answered (and was asked to raise its window)."""
        return instance.ask_running(self.name, timeout_ms / 1000)

    def listen(self) -> bool:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.address):
            QLocalServer.removeServer(self.address)  # a stale socket left by a crash
            if not server.listen(self.address):
                return False
        server.newConnection.connect(self.on_server_newConnection)
        self.server = server
        return True

    def on_server_newConnection(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            # A bound slot, not a lambda holding the socket: a Python reference kept in the
            # connection outlived the socket once deleteLater() freed it, and Qt crashed.
            conn.readyRead.connect(self.on_conn_readyRead)
            conn.disconnected.connect(conn.deleteLater)

    def on_conn_readyRead(self) -> None:
        conn = self.sender()
        if isinstance(conn, QLocalSocket) and b"raise" in bytes(conn.readAll().data()):
            self.activated.emit()

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None


def notifications_are_markup() -> bool:
    """Whether the tray's notification bodies are read as markup: on X11 and Wayland when Qt's
    tray is the D-Bus one (a StatusNotifier watcher is on the session bus), as freedesktop
    notification servers render the body's markup. Windows, macOS and Qt's own balloon (X11
    without a watcher) show plain text."""
    if sys.platform in ("win32", "darwin"):
        return False
    if QGuiApplication.platformName() not in ("xcb", "wayland"):
        return False
    from PySide6.QtDBus import QDBusConnection  # only here: D-Bus is a Linux matter

    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        return False
    interface = bus.interface()
    if interface is None:
        return False
    reply = interface.isServiceRegistered(STATUS_NOTIFIER_WATCHER)
    return bool(reply.value()) if reply.isValid() else False


def raise_window(window: QMainWindow) -> None:
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


class Tray(QObject):
    """The tray icon (when the desktop has a tray): unread badge, show/quit menu; and the desktop
    notifications, with or without a tray.

    Where notifications go: on Linux (and the other freedesktop desktops) to the notification
    service on the session bus (ui/freedesktop.py), tray or no tray; if there is no bus or no
    service, to the tray's balloon when there is a tray, else nowhere. On Windows and macOS,
    QSystemTrayIcon.showMessage is the platform's own notification centre (the Windows toast
    centre, the macOS Notification Centre), so it stays the path there.

    Clicking a notification about a thread emits openThread(thread_id) (main.py raises the window
    and opens the thread). Notifications carry customer text: `plain_text.notification` makes them
    show literally on this platform (`markup` is detected unless given; the D-Bus service says
    itself whether it reads markup). `connect_later(callback)`, when given, is asked to run the
    connection to the service later (the app: after its first painted page); by default it
    starts at once.

    Signals: openThread(str thread_id)   a notification about that thread was clicked"""

    openThread = Signal(str)

    def __init__(
        self,
        window: QMainWindow,
        parent: QObject | None = None,
        *,
        markup: bool | None = None,
        service: bool | None = None,
        connect_later: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.icon: QSystemTrayIcon | None = None
        self.sound = False
        self.shown: list[tuple[str, str]] = []  # what was notified (kept for tests and the log)
        self.sent: tuple[str, str] | None = None  # the last (title, body) handed to the tray
        self._balloon_thread = ""  # the thread of the tray's last balloon, for its click
        self._badge = ""  # what the icon's unread badge shows
        available = QSystemTrayIcon.isSystemTrayAvailable()
        if markup is None:
            markup = available and notifications_are_markup()
        self.markup = markup
        if available:
            self.icon = QSystemTrayIcon(theme.app_icon(), self)
            menu = QMenu()
            menu.addAction(self.tr("Show Agent Desktop"), lambda: raise_window(window))
            menu.addAction(self.tr("Quit"), window.close)
            self._menu = menu
            self.icon.setContextMenu(menu)
            self.icon.activated.connect(self.on_icon_activated)
            self.icon.messageClicked.connect(self.on_icon_messageClicked)
            self.icon.setToolTip(self.tr("Agent Desktop"))
            self.icon.show()
        self.service: freedesktop.Notifier | None = None
        if service if service is not None else freedesktop.used_here():
            self.service = freedesktop.Notifier(
                self.openThread.emit,
                open_label=self.tr("Open"),
                fallback=self.show_in_tray,
            )
            if connect_later is None:
                self.service.start()
            else:  # the app: once its first page is painted (startup/fast_start.py)
                connect_later(self.connect_service)

    def connect_service(self) -> None:
        """Connect to the notification service (in the background), if there is one to use."""
        if self.service is not None:
            self.service.start()

    def on_icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            raise_window(self.window)

    def on_icon_messageClicked(self) -> None:
        if self._balloon_thread:
            self.openThread.emit(self._balloon_thread)
        else:
            raise_window(self.window)

    def set_unread(self, count: int) -> None:
        """Show `count` in the tray's tooltip and on the icon's badge. The icon (seven sizes
        drawn with QPainter, then handed to the window system) is drawn again only when the badge
        shows something else: past 99 it reads "99+" whatever the count."""
        badge = theme.badge_text(count)
        if badge != self._badge:
            self._badge = badge
            icon = theme.app_icon(count)
            QApplication.setWindowIcon(icon)
            if self.icon is not None:
                self.icon.setIcon(icon)
        if self.icon is not None:
            self.icon.setToolTip(
                self.tr("Agent Desktop: %1 unread").replace("%1", str(count))
                if count
                else self.tr("Agent Desktop")
            )

    def notify(self, title: str, body: str, thread_id: str = "") -> None:
        """A desktop notification; `thread_id` is the thread a click on it opens ("" for none)."""
        self.shown.append((title, body))
        del self.shown[:-50]
        if self.service is None or not self.service.notify(title, body, thread_id):
            self.show_in_tray(title, body, thread_id)
        if self.sound:
            QApplication.beep()

    def show_in_tray(self, title: str, body: str, thread_id: str = "") -> None:
        self.sent = plain_text.notification(title, body, markup=self.markup)
        if self.icon is not None and QSystemTrayIcon.supportsMessages():
            self._balloon_thread = thread_id
            self.icon.showMessage(*self.sent, QSystemTrayIcon.MessageIcon.Information, 6000)

    def hide(self) -> None:
        if self.icon is not None:
            self.icon.hide()

    async def aclose(self) -> None:
        """Close the connection to the notification service (on quit)."""
        if self.service is not None:
            await self.service.aclose()
