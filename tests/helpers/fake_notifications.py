"""A private D-Bus session bus and a fake freedesktop notification service on it, for the tests of
desktop notifications (ui/freedesktop.py).

`PrivateSessionBus` runs `dbus-daemon --session --print-address --nofork` (a real bus daemon, on a
socket of its own: nothing of the desktop's). `FakeNotificationService` owns
org.freedesktop.Notifications on it, on the test's own asyncio loop (jeepney): it answers
GetCapabilities (as told), GetServerInformation, Notify (recorded, with fresh ids) and
CloseNotification, and `click(id)` emits ActionInvoked(id, "default") then NotificationClosed, as
a notification server does when the user clicks a notification's body.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Any

from jeepney import DBusAddress, HeaderFields, MatchRule, message_bus
from jeepney.io.asyncio import DBusConnection, DBusRouter, open_dbus_connection
from jeepney.wrappers import new_error, new_method_return, new_signal

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
CLOSED_BY_USER = 2


class PrivateSessionBus:
    """A session bus daemon of the test's own; `address` goes in DBUS_SESSION_BUS_ADDRESS."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None
        self.address = ""

    @staticmethod
    def available() -> bool:
        return shutil.which("dbus-daemon") is not None

    def start(self) -> str:
        self.proc = subprocess.Popen(
            ["dbus-daemon", "--session", "--print-address", "--nofork"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.address = self.proc.stdout.readline().strip()  # printed once it listens
        if not self.address:
            self.stop()
            raise RuntimeError("dbus-daemon printed no address")
        return self.address

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            if self.proc.stdout is not None:
                self.proc.stdout.close()
            self.proc = None


@dataclass
class Notification:
    id: int
    app_name: str
    replaces_id: int
    icon: str
    summary: str
    body: str
    actions: list[str]
    hints: dict[str, Any]
    expire_timeout: int


@dataclass
class FakeNotificationService:
    address: str
    capabilities: list[str] = field(default_factory=lambda: ["body", "body-markup", "actions"])
    notifications: list[Notification] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    _conn: DBusConnection | None = None
    _router: DBusRouter | None = None
    _task: asyncio.Task[None] | None = None
    _next_id: int = 0

    async def start(self) -> None:
        self._conn = await open_dbus_connection(self.address)
        self._router = DBusRouter(self._conn)
        calls: asyncio.Queue[Any] = asyncio.Queue(1000)
        handle = self._router.filter(MatchRule(type="method_call", path=PATH), queue=calls)
        reply = await self._router.send_and_get_reply(message_bus.RequestName(NAME, 4))
        assert reply.body[0] == 1, f"could not own {NAME}: {reply.body}"
        self._task = asyncio.get_running_loop().create_task(self._serve(handle, calls))

    async def _serve(self, handle: Any, calls: asyncio.Queue[Any]) -> None:
        assert self._router is not None
        with handle:
            while True:
                call = await calls.get()
                member = call.header.fields.get(HeaderFields.member)
                if member == "GetCapabilities":
                    answer = new_method_return(call, "as", (self.capabilities,))
                elif member == "GetServerInformation":
                    answer = new_method_return(call, "ssss", ("fake", "tests", "1", "1.2"))
                elif member == "Notify":
                    app, replaces, icon, summary, body, actions, hints, expire = call.body
                    self._next_id += 1
                    self.notifications.append(
                        Notification(
                            self._next_id,
                            app,
                            replaces,
                            icon,
                            summary,
                            body,
                            list(actions),
                            dict(hints),
                            expire,
                        )
                    )
                    answer = new_method_return(call, "u", (self._next_id,))
                elif member == "CloseNotification":
                    await self._emit("NotificationClosed", "uu", (call.body[0], 3))
                    answer = new_method_return(call)
                else:
                    answer = new_error(call, "org.freedesktop.DBus.Error.UnknownMethod")
                await self._router.send(answer)

    async def _emit(self, name: str, signature: str, body: tuple[Any, ...]) -> None:
        assert self._router is not None
        emitter = DBusAddress(PATH, interface=NAME)
        await self._router.send(new_signal(emitter, name, signature, body))

    async def click(self, notification_id: int) -> None:
        """The user clicks the notification's body: ActionInvoked "default", then it closes."""
        await self._emit("ActionInvoked", "us", (notification_id, "default"))
        await self._emit("NotificationClosed", "uu", (notification_id, CLOSED_BY_USER))
        self.closed.append(notification_id)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            # (after a failed test, pytest-asyncio may tear down on another loop than the task's)
            with contextlib.suppress(asyncio.CancelledError, RuntimeError):
                await self._task
        if self._router is not None:
            await self._router.__aexit__(None, None, None)
        if self._conn is not None:
            await self._conn.close()
