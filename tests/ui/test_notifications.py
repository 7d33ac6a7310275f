"""Desktop notifications without a tray (issue 21), against the real server: a private session bus
(dbus-daemon) with a fake freedesktop notification service on it (tests/helpers/
fake_notifications.py). The tests run offscreen, where Qt has no system tray at all.

A customer's message after sign-in notifies in plain text (escaped when the server reads markup);
the backlog replayed at sign-in does not; clicking the notification opens that thread as the agent
would (highlighted, conversation and purchase history loaded), even when the list's search hid it;
without a session bus, or without a notification service, nothing breaks and nothing is shown.
"""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QSystemTrayIcon

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.store.client_store import ClientStore
from agent_desktop.ui.desktop import Tray
from agent_desktop.ui.main_window import MainWindow
from agent_desktop.ui.thread_model import ThreadRole
from tests.helpers.fake_notifications import FakeNotificationService, PrivateSessionBus
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import AGENT_EMAIL, PASSWORD, ServerProcess
from tests.ui.conftest import Workspace, customer_writes

pytestmark = [
    pytest.mark.qt_log_ignore("This plugin does not support"),
    pytest.mark.skipif(not PrivateSessionBus.available(), reason="dbus-daemon is not installed"),
]

T_CAMILLE, T_JONAS, T_SOFIA = "t_camille", "t_jonas", "t_sofia"


@pytest.fixture
def session_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    bus = PrivateSessionBus()
    address = bus.start()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    yield address
    bus.stop()


@pytest.fixture
async def service(session_bus: str) -> AsyncIterator[FakeNotificationService]:
    fake = FakeNotificationService(session_bus)
    await fake.start()
    yield fake
    await fake.stop()


async def clicked(tray: Tray, service: FakeNotificationService, notification_id: int) -> None:
    """The user clicks a notification (once the client has its id back from Notify)."""
    notifier = tray.service
    assert notifier is not None
    await wait_for_condition(lambda: any(sent[0] == notification_id for sent in notifier.sent))
    await service.click(notification_id)


@pytest.fixture
async def trays() -> AsyncIterator[list[Tray]]:
    """Trays made by the test, closed (their D-Bus connection) before the bus stops."""
    made: list[Tray] = []
    yield made
    for tray in made:
        await tray.aclose()


async def with_tray(window: MainWindow, trays: list[Tray]) -> Tray:
    """The tray as main.py wires it, its service path on (as on Linux)."""
    tray = Tray(window, window, markup=False, service=True)
    trays.append(tray)
    window.notification.connect(tray.notify)
    tray.openThread.connect(window.open_from_notification)
    assert tray.service is not None
    await wait_for_condition(lambda: tray.service is not None and tray.service.state != "starting")
    return tray


def highlighted(window: MainWindow) -> list[str]:
    view = window.thread_list.view
    return [i.data(ThreadRole.ThreadId) for i in view.selectionModel().selectedIndexes()]


async def test_a_message_after_sign_in_notifies_in_plain_text_and_a_click_opens_its_thread(
    workspace: Workspace, service: FakeNotificationService, trays: list[Tray]
) -> None:
    ws = workspace
    w = ws.window
    assert not QSystemTrayIcon.isSystemTrayAvailable()  # no tray here: the service path alone
    tray = await with_tray(w, trays)
    assert tray.service is not None and tray.service.state == "ready"
    assert tray.service.markup  # the fake server says "body-markup"
    await ws.open(T_SOFIA)  # the agent is on another thread
    text = "<b>Where</b> is my order #1938 & <a href='https://evil.test'>link</a>?"
    await customer_writes(ws.server, T_CAMILLE, text)
    await ws.until(lambda: len(service.notifications) == 1)
    sent = service.notifications[0]
    camille = ws.store.threads[T_CAMILLE].customer_name
    assert sent.app_name == "Agent Desktop"
    assert sent.replaces_id == 0 and sent.expire_timeout == -1
    assert camille in sent.summary
    assert sent.body == html.escape(" ".join(text.split()), quote=False)  # shown literally
    assert sent.actions[0] == "default"
    assert sent.hints["desktop-entry"] == ("s", "agent-desktop")
    # The agent searches for someone else, then clicks the notification: Camille's thread opens
    # (the search that hid it is cleared), highlighted, with its conversation and customer.
    w.thread_list.search.setText("Sofia")
    await ws.until(lambda: T_CAMILLE not in visible_ids(w))
    await clicked(tray, service, sent.id)
    await ws.until(
        lambda: (
            w.current_thread_id == T_CAMILLE
            and highlighted(w) == [T_CAMILLE]
            and w.history.customer is not None
            and w.history.customer.id == ws.store.threads[T_CAMILLE].customer_id
            and any(m.text == text for m in w.conversation_model.messages())
        )
    )
    assert camille in w.composer.recipient_label.text()  # the composer names who it sends to
    # A message in the thread the agent is looking at, in the active window, does not notify; a
    # second thread's does, and a click on an older notification after it still opens its thread.
    await customer_writes(ws.server, T_JONAS, "Any news on my parcel?")
    await ws.until(lambda: len(service.notifications) == 2)
    assert "Jonas" in service.notifications[1].summary
    await clicked(tray, service, service.notifications[1].id)
    await ws.until(lambda: w.current_thread_id == T_JONAS and highlighted(w) == [T_JONAS])


def visible_ids(window: MainWindow) -> list[str]:
    proxy = window.thread_list.proxy
    return [proxy.index(r, 0).data(ThreadRole.ThreadId) for r in range(proxy.rowCount())]


async def sign_in(
    server: ServerProcess, window: MainWindow, seen: list[str] | None = None
) -> tuple[ClientStore, AgentApiBackend]:
    """A signed-in store on `window`, live; `seen` gets the thread of every messageCreated from
    the first moment (the backlog replayed at sign-in included)."""
    backend = AgentApiBackend(
        server.url, retries=1, timeout=5.0, reconnect_base=0.1, reconnect_cap=1.0
    )
    await backend.login(AGENT_EMAIL, PASSWORD)
    store = ClientStore(backend, agent_key=AGENT_EMAIL, send_retry_base=0.1, send_retry_cap=0.5)
    if seen is not None:
        store.messageCreated.connect(lambda thread_id, message: seen.append(thread_id))
    window.attach_store(store)
    await store.start()
    await wait_for_condition(lambda: store.loaded and store.connection.state == "live", 20)
    return store, backend


async def sign_out(window: MainWindow, store: ClientStore, backend: AgentApiBackend) -> None:
    await wait_for_condition(lambda: window.tasks.running() == 0, 10)
    window.detach_store()
    await window.tasks.cancel_all()
    window.images.cancel_all()
    await store.close()
    await backend.aclose()


async def test_the_backlog_at_sign_in_does_not_notify_what_comes_after_does(
    qtbot: Any, ui_server: ServerProcess, service: FakeNotificationService, trays: list[Tray]
) -> None:
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    tray = await with_tray(window, trays)
    try:
        # A first session leaves this computer's last applied seq in its state database.
        store, backend = await sign_in(ui_server, window)
        await sign_out(window, store, backend)
        # Customers write while the agent is away: the next sign-in's stream replays these.
        await customer_writes(ui_server, T_JONAS, "Hello, my parcel is late.")
        await customer_writes(ui_server, T_CAMILLE, "Are you there?")
        replayed: list[str] = []
        store, backend = await sign_in(ui_server, window, replayed)
        assert {T_JONAS, T_CAMILLE} <= set(replayed)  # the backlog did raise messageCreated
        assert store.sync.caught_up
        assert service.notifications == []
        assert tray.shown == []
        # After sign-in, a new message notifies, once.
        await customer_writes(ui_server, T_JONAS, "Still waiting for news about 1938")
        await wait_for_condition(lambda: len(service.notifications) == 1, 10)
        assert "1938" in service.notifications[0].body
        await sign_out(window, store, backend)
    finally:
        window.close()
        window.deleteLater()


@pytest.mark.parametrize("where", ["no session bus", "a bus without a notification service"])
async def test_without_a_bus_or_a_service_nothing_breaks(
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    where: str,
    trays: list[Tray],
) -> None:
    ws = workspace
    w = ws.window
    bus: PrivateSessionBus | None = None
    if where == "no session bus":
        monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # no bus socket there either
    else:
        bus = PrivateSessionBus()
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.start())
    try:
        errors: list[str] = []
        w.status.messageChanged.connect(lambda text: errors.append(text) if text else None)
        tray = await with_tray(w, trays)
        assert tray.service is not None and tray.service.state == "off"
        await customer_writes(ws.server, T_CAMILLE, "Hello from a desktop without notifications")
        await ws.until(lambda: any("Camille" in title for title, _ in tray.shown))
        assert tray.icon is None  # offscreen: no tray either, so nothing is shown, quietly
        assert errors == []
    finally:
        if bus is not None:
            bus.stop()
