"""Desktop notifications on Linux through the freedesktop notification service
(org.freedesktop.Notifications on the session bus), whether or not the desktop has a system tray.

The D-Bus client is `jeepney` (pure Python) on the application's one qasync loop: its connection
and its signal listener are tasks of that loop, kept here and cancelled by `aclose()`; no second
loop, no thread. (PySide6's QtDBus cannot pass the UINT32 `replaces_id` of Notify.)

What it does: `GetCapabilities` once (does the server read the body as markup? does it offer
actions?), `Notify` with a "default" action (a click on the notification), and the service's
`ActionInvoked` and `NotificationClosed` signals, matched to the notifications this client sent:
a click calls `on_clicked(key)` with the key given to `notify`. Without a session bus, or without a
notification service on it, `state` becomes "off" and `notify` returns False: the caller falls
back to the tray (or shows nothing); nothing is raised to the agent.

Windows and macOS do not use this module: there `QSystemTrayIcon.showMessage` is the platform's
own notification centre (ui/desktop.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, Literal

from agent_desktop.store.tasks import current_loop
from agent_desktop.ui import plain_text

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
DEFAULT_ACTION = "default"  # the notification's body clicked
APP_NAME = "Agent Desktop"
DESKTOP_ENTRY = "agent-desktop"
CALL_TIMEOUT = 3.0  # seconds for the bus or the service to answer one call
KEPT = 100  # notifications remembered for their click (the oldest forgotten first)

State = Literal["starting", "ready", "off"]


def used_here() -> bool:
    """The freedesktop service is the notification path on Linux and the other Unix desktops;
    Windows and macOS keep the native centre through QSystemTrayIcon.showMessage."""
    return sys.platform not in ("win32", "darwin")


def session_bus_address() -> str | None:
    """DBUS_SESSION_BUS_ADDRESS, else the per-user bus socket systemd puts in XDG_RUNTIME_DIR."""
    address = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "").strip()
    if address:
        return address
    runtime = os.environ.get("XDG_RUNTIME_DIR", "").strip()
    if runtime and (Path(runtime) / "bus").exists():
        return f"unix:path={Path(runtime) / 'bus'}"
    return None


class Notifier:
    """One connection to the session bus's notification service.

    `start()` connects in the background; `notify()` before it is ready waits for it, and goes to
    `fallback(title, body, key)` if the service turns out to be missing."""

    def __init__(
        self,
        on_clicked: Callable[[str], None],
        *,
        open_label: str,
        fallback: Callable[[str, str, str], None] | None = None,
    ) -> None:
        self.on_clicked = on_clicked
        self.fallback = fallback
        self.open_label = open_label
        self.state: State = "off"
        self.markup = False  # the server renders the body's markup ("body-markup")
        self.actions = False  # the server offers actions ("actions")
        self.sent: list[tuple[int, str, str]] = []  # (id, summary, body) as sent (tests, log)
        self._keys: dict[int, str] = {}  # notification id -> key, for its click
        self._waiting: list[tuple[str, str, str]] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._router: Any = None
        self._conn: Any = None

    # -- life ---------------------------------------------------------------------------------

    def start(self) -> bool:
        """Connect in the background (on the running loop); False when there is no loop."""
        if self.state != "off" or current_loop() is None:
            return False
        self.state = "starting"
        return self._spawn(self._connect(), "notifications-connect")

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> bool:
        loop = current_loop()
        if loop is None:
            coro.close()
            return False
        task = loop.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return True

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("Desktop notifications: %s", task.exception())

    async def _connect(self) -> None:
        address = session_bus_address()
        try:
            # jeepney is a Linux dependency (pyproject.toml): elsewhere this ends here, quietly.
            from jeepney import MatchRule, MessageType, message_bus
            from jeepney.io.asyncio import DBusRouter, open_dbus_connection

            if address is None:
                raise OSError("no session bus")
            self._conn = await asyncio.wait_for(open_dbus_connection(address), CALL_TIMEOUT)
            self._router = DBusRouter(self._conn)
            reply = await self._call("GetCapabilities")
            if reply.header.message_type == MessageType.error:
                raise OSError(f"no notification service ({reply.body[0] if reply.body else ''})")
            capabilities = set(reply.body[0])
            rule = MatchRule(type="signal", interface=INTERFACE, path=OBJECT_PATH)
            await asyncio.wait_for(
                self._router.send_and_get_reply(message_bus.AddMatch(rule)), CALL_TIMEOUT
            )
            queue: asyncio.Queue[Any] = asyncio.Queue(KEPT)
            handle = self._router.filter(rule, queue=queue)
        except Exception as exc:
            # No bus, a bus that refuses us, or no service: the agent sees no error, only no
            # notification (or the tray's).
            log.info("Desktop notifications through D-Bus unavailable: %s", exc)
            await self._close_connection()
            self.state = "off"
            waiting, self._waiting = self._waiting, []
            if self.fallback is not None:
                for title, body, key in waiting:
                    self.fallback(title, body, key)
            return
        self.markup = "body-markup" in capabilities
        self.actions = "actions" in capabilities
        self.state = "ready"
        self._spawn(self._listen(handle, queue), "notifications-signals")
        waiting, self._waiting = self._waiting, []
        for title, body, key in waiting:
            self._spawn(self._notify(title, body, key), "notify")

    async def _call(
        self, method: str, signature: str | None = None, body: tuple[Any, ...] = ()
    ) -> Any:
        from jeepney import DBusAddress, new_method_call

        address = DBusAddress(OBJECT_PATH, bus_name=SERVICE, interface=INTERFACE)
        message = new_method_call(address, method, signature, body)
        return await asyncio.wait_for(self._router.send_and_get_reply(message), CALL_TIMEOUT)

    async def aclose(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        await self._close_connection()
        self.state = "off"

    async def _close_connection(self) -> None:
        router, conn = self._router, self._conn
        self._router = self._conn = None
        if router is not None:
            with contextlib.suppress(Exception):
                await router.__aexit__(None, None, None)
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()

    # -- notifications ------------------------------------------------------------------------

    def notify(self, title: str, body: str, key: str = "") -> bool:
        """Show a notification (plain text); a click on it calls on_clicked(key). False when the
        service is not there (the caller shows it another way)."""
        if self.state == "off":
            return False
        if self.state == "starting":
            self._waiting.append((title, body, key))
            del self._waiting[:-KEPT]
            return True
        return self._spawn(self._notify(title, body, key), "notify")

    async def _notify(self, title: str, body: str, key: str) -> None:
        from jeepney import MessageType

        summary, text = plain_text.notification(title, body, markup=self.markup)
        actions = [DEFAULT_ACTION, self.open_label] if key and self.actions else []
        hints = {
            "desktop-entry": ("s", DESKTOP_ENTRY),
            "category": ("s", "im.received"),
            "urgency": ("y", 1),
        }
        try:
            reply = await self._call(
                "Notify",
                "susssasa{sv}i",
                (APP_NAME, 0, "", summary, text, actions, hints, -1),
            )
        except Exception as exc:  # the bus went away: from now on, the other way
            log.info("Desktop notifications through D-Bus stopped: %s", exc)
            self.state = "off"
            if self.fallback is not None:
                self.fallback(title, body, key)
            return
        if reply.header.message_type == MessageType.error:
            log.info("The notification service refused a notification: %s", reply.body)
            return
        notification_id = int(reply.body[0])
        self.sent.append((notification_id, summary, text))
        del self.sent[:-KEPT]
        if key:
            self._keys[notification_id] = key
            while len(self._keys) > KEPT:
                del self._keys[next(iter(self._keys))]

    async def _listen(self, handle: Any, queue: asyncio.Queue[Any]) -> None:
        from jeepney import HeaderFields

        with handle:
            while True:
                message = await queue.get()
                member = message.header.fields.get(HeaderFields.member)
                if member == "ActionInvoked":
                    notification_id, action = message.body
                    key = self._keys.get(int(notification_id))
                    if key is not None and action == DEFAULT_ACTION:
                        self.on_clicked(key)
                elif member == "NotificationClosed":
                    self._keys.pop(int(message.body[0]), None)
