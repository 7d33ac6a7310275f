"""Sign-in through the dialog (token to the keyring, errors as sentences, the no-keyring notice),
sign-out, the French translation, and the `--screenshot` launch path end to end."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from agent_desktop.paths import resources_dir
from agent_desktop.store.credentials import service_name
from agent_desktop.ui import i18n
from agent_desktop.ui.dialogs import SignInDialog
from agent_desktop.ui.main_window import MainWindow
from agent_desktop.ui.session import Session
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import AGENT_EMAIL, PASSWORD, ServerProcess
from tests.helpers.sockets import connections_to

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


async def test_sign_in_dialog_remembers_the_token_and_sign_out_forgets_it(
    qtbot: Any, ui_server: ServerProcess, memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent_desktop.ui import session as session_module

    written: list[list[str]] = []  # the keys set through each settings object (one file write)

    class Settings(QSettings):
        def setValue(self, key: str, value: Any) -> None:
            if not written or written[-1] is not getattr(self, "keys", None):
                self.keys: list[str] = []
                written.append(self.keys)
            self.keys.append(key)
            super().setValue(key, value)

    real_settings = session_module.settings
    monkeypatch.setattr(
        session_module, "settings", lambda: Settings(real_settings().fileName(), Settings.IniFormat)
    )
    window = MainWindow()
    qtbot.add_widget(window)
    session = Session(window, url=ui_server.url)
    assert not await session.start()  # no stored token: the dialog asks
    status = window.status
    assert status.connection.text() == "Signed out"  # not "Connecting…" before anyone signs in
    assert status.presence.isHidden()  # no presence to toggle yet
    dialog = session.dialog
    assert isinstance(dialog, SignInDialog) and dialog.isVisible()
    assert dialog.url.text() == ui_server.url
    assert not dialog.notice.isVisible()  # a keyring exists
    dialog.email.setText(AGENT_EMAIL)
    dialog.password.setText("wrong")
    dialog.ok.click()
    await wait_for_condition(lambda: dialog.error.isVisible(), 10)
    assert "Traceback" not in dialog.error.text() and dialog.error.text().endswith(".")
    dialog.password.setText(PASSWORD)
    dialog.ok.click()
    await wait_for_condition(
        lambda: window.store is not None and window.thread_model.rowCount() > 0, 20
    )
    assert not dialog.isVisible()
    # The account is remembered in one write of the settings file (startup/fast_start.py 12).
    assert written == [[f"accounts/{ui_server.url}/email", "accounts/last_url"]]
    await wait_for_condition(lambda: not status.presence.isHidden(), 10)
    # The token goes to the keyring once the first page of threads is painted.
    await wait_for_condition(
        lambda: memory_keyring.get_password(service_name(ui_server.url), AGENT_EMAIL) is not None,
        10,
    )
    await session.sign_out()
    assert window.store is None
    assert memory_keyring.get_password(service_name(ui_server.url), AGENT_EMAIL) is None
    assert window.stack.currentWidget() is window.blocked
    assert status.connection.text() == "Signed out" and status.presence.isHidden()
    await session.aclose()


async def test_a_stored_token_signs_in_without_the_dialog(
    qtbot: Any, ui_server: ServerProcess, memory_keyring: Any
) -> None:
    from tests.helpers.server_fixtures import login

    memory_keyring.set_password(service_name(ui_server.url), AGENT_EMAIL, login(ui_server))
    window = MainWindow()
    qtbot.add_widget(window)
    session = Session(window, url=ui_server.url)
    assert await session.start(email=AGENT_EMAIL)
    assert session.dialog is None and window.store is not None
    store = window.store
    await wait_for_condition(lambda: store.connection.state == "live", 20)
    await session.aclose()


async def test_a_new_sign_in_closes_the_connections_of_the_session_it_replaces(
    qtbot: Any, ui_server: ServerProcess, memory_keyring: Any
) -> None:
    """Signing in again (the same or another account) while a session is open replaces its
    connector: the old one's HTTP connections and event stream are closed, not left open."""
    port = urlsplit(ui_server.url).port
    assert port is not None
    assert connections_to(port) == 0
    window = MainWindow()
    qtbot.add_widget(window)
    session = Session(window, url=ui_server.url)
    assert await session.sign_in(ui_server.url, AGENT_EMAIL, PASSWORD, remember=False)
    first = window.store
    assert first is not None
    await wait_for_condition(lambda: first.connection.state == "live", 20)
    assert connections_to(port) >= 2  # the HTTP pool and the event stream
    for _ in range(3):
        assert await session.sign_in(ui_server.url, AGENT_EMAIL, PASSWORD, remember=False)
        store = window.store
        assert store is not None
        await wait_for_condition(lambda s=store: s.connection.state == "live", 20)
    await session.aclose()
    # Nothing of any of the four sessions is still connected.
    await wait_for_condition(lambda: connections_to(port) == 0, 10)


async def test_a_stored_token_start_takes_its_first_loads_from_the_early_requests(
    qtbot: Any, ui_server: ServerProcess, memory_keyring: Any
) -> None:
    from agent_desktop.startup.fast_start import stored_token_requests
    from agent_desktop.ui.settings_file import settings
    from tests.helpers.server_fixtures import login

    assert stored_token_requests(ui_server.url, insecure=False) is None  # no account yet
    token = login(ui_server)
    memory_keyring.set_password(service_name(ui_server.url), AGENT_EMAIL, token)
    settings().setValue(f"accounts/{ui_server.url}/email", AGENT_EMAIL)  # as a sign-in leaves it
    early = stored_token_requests(ui_server.url, insecure=False)
    assert early is not None and early.email == AGENT_EMAIL and early.token == token
    window = MainWindow()
    qtbot.add_widget(window)
    session = Session(window, url=ui_server.url, early=early)
    assert await session.start()
    assert session.dialog is None and window.store is not None
    assert early.exhausted  # every first load came from the early requests
    assert window.thread_model.rowCount() > 0
    await session.aclose()


def test_sign_in_dialog_shows_the_no_keyring_notice(qtbot: Any) -> None:
    dialog = SignInDialog(None, url="https://support.example.com", keyring_notice="no keyring")
    qtbot.add_widget(dialog)
    dialog.show()
    assert dialog.notice.isVisible() and not dialog.remember.isChecked()
    dialog.ok.click()  # empty fields: a sentence, no submission
    assert dialog.error.isVisible()


def test_french_translation_loads(qapp: QApplication) -> None:
    try:
        assert i18n.install(qapp, "fr")
        assert QCoreApplication.translate("ComposerPane", "Send") == "Envoyer"
        assert QCoreApplication.translate("StatusBar", "Offline") == "Hors ligne"
        assert i18n.choose_language("en", "fr") == "en"
        assert i18n.choose_language(None, "fr") == "fr"
    finally:
        i18n.install(qapp, "en")
    assert QCoreApplication.translate("ComposerPane", "Send") == "Send"


def test_every_french_message_is_translated() -> None:
    ts = (resources_dir() / "translations" / "agent_desktop_fr.ts").read_text(encoding="utf-8")
    assert ts.count("<source>") > 150
    assert 'type="unfinished"' not in ts


def _messages(path: Path) -> dict[tuple[str, str], str]:
    """(context, source) → translation of a Qt Linguist .ts file."""
    out: dict[tuple[str, str], str] = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.iter("message"):
            out[(name, m.findtext("source") or "")] = m.findtext("translation") or ""
    return out


def test_every_tr_string_of_the_app_has_a_french_translation(tmp_path: Path) -> None:
    """lupdate over the client's sources (workspace, dialogs, status bar, session, launch, store)
    finds no string missing from the shipped French (agent_desktop_fr.ts)."""
    root = Path(__file__).resolve().parents[2]
    tool = Path(sys.executable).parent / "pyside6-lupdate"
    if not tool.exists():
        found = shutil.which("pyside6-lupdate")
        assert found, "pyside6-lupdate is part of PySide6"
        tool = Path(found)
    package = root / "agent_desktop"
    sources = sorted(
        str(p)
        for folder in ("ui", "ui/dashboard", "ui/team", "store", "startup")
        for p in (package / folder).glob("*.py")
    )
    fresh = tmp_path / "fresh.ts"
    subprocess.run([str(tool), *sources, "-ts", str(fresh)], check=True, capture_output=True)
    translations = root / "resources" / "translations"
    shipped = _messages(translations / "agent_desktop_fr.ts")
    found_messages = _messages(fresh)
    assert len(found_messages) > 300
    assert ("Session", "Plain http:// was allowed with --insecure. Use https:// instead.") in (
        found_messages
    )
    missing = sorted(key for key in found_messages if not shipped.get(key))
    assert missing == []


def test_the_insecure_connection_notice_is_french(qapp: QApplication) -> None:
    try:
        assert i18n.install(qapp, "fr")
        notice = QCoreApplication.translate(
            "Session", "⚠ Not encrypted: messages to %1 travel readable on the network"
        )
        assert notice.startswith("⚠ Non chiffré") and "%1" in notice
    finally:
        i18n.install(qapp, "en")


def test_screenshot_launch_saves_the_window(ui_server: ServerProcess, tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "agent_desktop",
            "--demo-url",
            ui_server.url,
            "--screenshot",
            str(out),
            "--select-first",
            "--size",
            "1100x700",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1100, 700)
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "agent_desktop",
            "--demo-url",
            ui_server.url,
            "--screenshot",
            str(out),
            "--view",
            "nowhere",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode != 0 and "nowhere" in bad.stderr


async def test_unreachable_backend_shows_the_full_window_screen(
    qtbot: Any, memory_keyring: Any
) -> None:
    from agent_desktop.loopback import free_port

    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    memory_keyring.set_password(service_name(url), AGENT_EMAIL, "some-token")
    window = MainWindow()
    qtbot.add_widget(window)
    session = Session(window, url=url)
    await session.start(email=AGENT_EMAIL)
    await wait_for_condition(lambda: window.stack.currentWidget() is window.blocked, 20)
    assert window.blocked.title.text() == "The support backend cannot be reached"
    assert window.blocked.button.text() == "Try again"
    await session.aclose()


async def test_a_revoked_token_shows_the_signed_out_screen(workspace: Any) -> None:
    import httpx

    ws = workspace
    token = ws.store.backend.token
    async with httpx.AsyncClient() as client:
        r = await client.post(
            f"{ws.server.api}/auth/logout", headers={"Authorization": f"Bearer {token}"}
        )
    assert r.status_code in (200, 204)
    await ws.until(lambda: ws.window.stack.currentWidget() is ws.window.blocked, 20)
    assert ws.window.blocked.title.text() == "You are signed out"
    assert ws.window.status.connection.text() == "Signed out"
