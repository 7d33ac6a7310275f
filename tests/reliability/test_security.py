"""Security properties of the client: the token is in no file and no log record after a whole
session, plain http:// to another computer is refused unless --insecure is given (connector,
`agent-desktop check`, the window) and then never silent, TLS verification stays on, and pictures
come only from the backend's origin (connector and window)."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import json
import logging
import socket
import ssl
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.backends.base import BackendError, NetworkError
from agent_desktop.core.types import Attachment, Author, Message
from agent_desktop.server import testseed as seed
from tests.helpers.memkeyring import MemoryKeyring
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import AGENT_EMAIL, PASSWORD, ServerProcess, auth_headers
from tests.reliability.conftest import StoreFactory

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

REMOTE = "shop.example.test"  # not loopback by name; the fake DNS below points it at 127.0.0.1


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """REMOTE resolves to 127.0.0.1, so a 'remote' plain-http backend can be the local server."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, bytes):
            host = host.decode()
        return real("127.0.0.1" if host == REMOTE else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


# --- the token leaves no trace ---------------------------------------------------------------


async def test_token_is_in_no_file_and_no_log_record_after_a_whole_session(
    qtbot: Any,
    server: ServerProcess,
    caplog: pytest.LogCaptureFixture,
    isolated_dirs: dict[str, Path],
    memory_keyring: MemoryKeyring,
) -> None:
    from agent_desktop.ui.main_window import MainWindow
    from agent_desktop.ui.session import Session

    caplog.set_level(logging.DEBUG)
    window = MainWindow()
    qtbot.add_widget(window)
    window.show()
    session = Session(window, url=server.url)
    assert await session.start(email=AGENT_EMAIL, password=PASSWORD)
    store = session.store
    assert store is not None and session.backend is not None
    token = session.backend.token
    assert token and len(token) >= 20
    # Remembered in the keyring only (written once the first page is painted).
    await wait_for_condition(lambda: token in memory_keyring.store.values(), 10)
    await wait_for_condition(lambda: store.connection.state == "live", 20)
    await store.open_thread(seed.T_WAITING)
    await store.send(seed.T_WAITING, "Réponse pendant la session")
    store.save_draft(seed.T_HUMAN_AGENT, "Un brouillon")
    await wait_for_condition(lambda: not store.outbox(), 20)
    await session.sign_out()
    await session.aclose()
    await window.tasks.cancel_all()
    window.images.cancel_all()

    async with httpx.AsyncClient() as client:
        r = await client.get(f"{server.api}/me", headers=auth_headers(token))
    assert r.status_code == 401  # revoked on sign-out
    assert token not in memory_keyring.store.values()
    files = [p for d in isolated_dirs.values() for p in d.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sqlite3" for p in files) and any(p.suffix == ".ini" for p in files)
    needle = token.encode()
    leaks = [str(p) for p in files if needle in p.read_bytes()]
    assert not leaks, f"the token was written to {leaks}"
    assert needle not in server.log_path.read_bytes()
    records = [r for r in caplog.records if r.levelno >= logging.DEBUG]
    assert records, "logging was captured"
    for record in records:
        text = record.getMessage() + (record.exc_text or "") + repr(record.__dict__.get("args"))
        assert token not in text, f"{record.name}: {text[:200]}"


# --- plain http and TLS ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://shop.example.test",
        "http://10.0.0.5:8000",
        "http://192.168.1.10",
        "http://127.0.0.1.example.test",
        "http://localhost.example.test",
        "http://127.0.0.1:80@shop.example.test",
        "HTTP://SHOP.EXAMPLE.TEST",
        "http://0.0.0.0:8000",
        "http://[::ffff:10.0.0.1]",
    ],
)
def test_plain_http_to_another_computer_is_refused_by_the_connector(url: str) -> None:
    with pytest.raises(BackendError) as refused:
        AgentApiBackend(url)
    assert refused.value.code in ("insecure_url", "bad_url")
    assert "http://" in str(refused.value) or "address" in str(refused.value)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000"]
)
def test_plain_http_to_this_computer_is_allowed(url: str) -> None:
    assert AgentApiBackend(url).base_url == url


async def test_insecure_flag_reaches_a_remote_plain_http_backend(
    server: ServerProcess, fake_dns: None
) -> None:
    url = f"http://{REMOTE}:{server.port}"
    with pytest.raises(BackendError):
        AgentApiBackend(url)
    backend = AgentApiBackend(url, insecure=True, retries=0)
    try:
        result = await backend.login(AGENT_EMAIL, PASSWORD)
        assert result.agent.email == AGENT_EMAIL
        await backend.logout()
    finally:
        await backend.aclose()


@pytest.fixture
def untrusted_tls_server() -> Iterator[tuple[int, list[bytes]]]:
    """An https server on loopback with a self-signed certificate; records what it received."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        cert_path, key_path = Path(tmp) / "c.pem", Path(tmp) / "k.pem"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert_path, key_path)
    received: list[bytes] = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    import threading

    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                raw, _ = listener.accept()
            except TimeoutError:
                continue
            try:
                with context.wrap_socket(raw, server_side=True) as tls:
                    tls.settimeout(2)
                    received.append(tls.recv(65536))
                    tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
            except (OSError, ssl.SSLError):
                raw.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], received
    stop.set()
    thread.join(5)
    listener.close()


@pytest.mark.parametrize("insecure", [False, True])
async def test_tls_verification_stays_on_even_with_insecure(
    untrusted_tls_server: tuple[int, list[bytes]], insecure: bool
) -> None:
    port, received = untrusted_tls_server
    backend = AgentApiBackend(f"https://127.0.0.1:{port}", insecure=insecure, retries=0)
    try:
        with pytest.raises(NetworkError):
            await backend.login(AGENT_EMAIL, PASSWORD)
    finally:
        await backend.aclose()
    assert received == []  # no request (and no password) went over the untrusted connection


def run_check(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    from agent_desktop.cli.check_cmd import main

    code = main(args)
    out = capsys.readouterr().out.strip().splitlines()[-1]
    report: dict[str, Any] = json.loads(out)
    return code, report


def test_check_refuses_plain_http_and_warns_when_insecure(
    server: ServerProcess,
    fake_dns: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AGENT_DESKTOP_PASSWORD", PASSWORD)
    url = f"http://{REMOTE}:{server.port}"
    code, report = run_check(["--url", url, "--email", AGENT_EMAIL], capsys)
    assert code == 1 and not report["ok"] and "http://" in report["error"]
    code, report = run_check(["--url", url, "--email", AGENT_EMAIL, "--insecure"], capsys)
    assert code == 0 and report["ok"], report
    assert "not encrypted" in report["warning"]
    code, report = run_check(["--url", server.url, "--email", AGENT_EMAIL], capsys)
    assert code == 0 and "warning" not in report  # loopback: nothing to warn about


async def test_window_refuses_plain_http_and_shows_when_insecure(
    qtbot: Any, server: ServerProcess, fake_dns: None
) -> None:
    from PySide6.QtWidgets import QLabel

    from agent_desktop.ui.main_window import MainWindow
    from agent_desktop.ui.session import Session

    url = f"http://{REMOTE}:{server.port}"
    window = MainWindow()
    qtbot.add_widget(window)
    window.show()
    session = Session(window, url=url)
    assert not await session.sign_in(url, AGENT_EMAIL, PASSWORD, remember=False)
    assert session.dialog is not None
    error = session.dialog.findChild(QLabel, "signInError")
    assert error is not None and error.isVisible() and "http://" in error.text()
    session.dialog.reject()
    await session.aclose()

    insecure = Session(window, url=url, insecure=True)
    assert await insecure.sign_in(url, AGENT_EMAIL, PASSWORD, remember=False)
    notice = window.findChild(QLabel, "insecureNotice")
    assert notice is not None and notice.isVisible()
    assert "not encrypted" in notice.text().lower()
    await insecure.sign_out()
    await insecure.aclose()
    await window.tasks.cancel_all()
    assert not notice.isVisible()


# --- pictures only from the backend ----------------------------------------------------------


@pytest.fixture
async def elsewhere() -> AsyncIterator[tuple[int, list[bytes]]]:
    """Another site on loopback that records every connection made to it."""
    hits: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        hits.append(await reader.read(1024))
        writer.close()

    site = await asyncio.start_server(handle, "127.0.0.1", 0)
    yield site.sockets[0].getsockname()[1], hits
    site.close()
    await site.wait_closed()


async def test_connector_loads_pictures_only_from_its_backend(
    server: ServerProcess, elsewhere: tuple[int, list[bytes]]
) -> None:
    port, hits = elsewhere
    backend = AgentApiBackend(server.url, retries=0)
    try:
        png = await backend.media(f"/media/{seed.PRODUCT_IMAGE}")
        assert png.startswith(b"\x89PNG")
        for url in (
            f"http://127.0.0.1:{port}/x.png",
            f"//127.0.0.1:{port}/x.png",
            f"http://127.0.0.1:{server.port}@127.0.0.1:{port}/x.png",
            f"https://127.0.0.1:{server.port}/media/{seed.PRODUCT_IMAGE}",
            f"http://localhost:{port}/x.png",
            "file:///etc/passwd",
            "data:image/png;base64,iVBORw0KGgo=",
            "javascript:alert(1)",
        ):
            with pytest.raises(BackendError) as refused:
                await backend.media(url)
            assert refused.value.code == "origin", url
    finally:
        await backend.aclose()
    await asyncio.sleep(0.1)
    assert hits == []


async def test_window_never_loads_an_off_origin_picture(
    qtbot: Any,
    server: ServerProcess,
    make_store: StoreFactory,
    elsewhere: tuple[int, list[bytes]],
) -> None:
    from agent_desktop.ui.main_window import MainWindow

    port, hits = elsewhere
    avatar = f"http://127.0.0.1:{port}/avatar.png"
    photo = f"http://127.0.0.1:{port}/photo.png"
    store = await make_store(server.url)
    window = MainWindow()
    qtbot.add_widget(window)
    window.resize(1100, 700)
    window.show()
    window.attach_store(store)
    try:
        thread = store.threads[seed.T_WAITING].thread()
        await store.open_thread(seed.T_WAITING)
        hostile = thread.model_copy(
            update={
                "customer": thread.customer.model_copy(update={"avatar_url": avatar}),
                "updated_at": thread.updated_at + dt.timedelta(seconds=1),
            }
        )
        store.sync.upsert_thread(hostile)
        store.sync.flush()
        assert store.conversation is not None
        store.conversation.upsert_message(
            Message(
                id="m-hostile-photo",
                thread_id=seed.T_WAITING,
                author=Author(kind="customer", name=thread.customer.name),
                kind="image",
                attachments=[Attachment(url=photo)],
                created_at=dt.datetime.now(dt.UTC),
            )
        )
        assert window.thread_list.select_thread(seed.T_WAITING)
        for _ in range(3):
            window.grab()  # paint every row, bubble and avatar
            await asyncio.sleep(0.1)
        await wait_for_condition(lambda: window.images.pending() == 0, 10)
        await asyncio.sleep(0.2)
        assert not window.images.is_loaded(avatar) and not window.images.is_loaded(photo)
        assert hits == []
    finally:
        await wait_for_condition(lambda: window.tasks.running() == 0, 8)
        window.detach_store()
        await window.tasks.cancel_all()
        window.images.cancel_all()


async def test_chatwoot_tokens_stay_out_of_debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    import contextlib

    from agent_desktop.backends.base import Ready
    from agent_desktop.backends.chatwoot import ChatwootBackend
    from tests.helpers.chatwoot_server import FakeChatwoot, running, seed

    caplog.set_level(logging.DEBUG)
    fake = FakeChatwoot(ping_interval=0.2)
    seeded = seed(fake)
    async with running(fake):
        user = seeded["agent"]
        backend = ChatwootBackend(fake.url, account_id=1, token=user.access_token)
        try:
            async with asyncio.timeout(15), contextlib.aclosing(backend.stream(0)) as stream:
                async for item in stream:
                    if isinstance(item, Ready):
                        break
            await backend.threads()
        finally:
            await backend.aclose()
    secrets = (user.access_token, user.pubsub_token)
    assert caplog.records
    for record in caplog.records:
        text = record.getMessage() + repr(record.__dict__.get("args"))
        assert not any(s in text for s in secrets), f"{record.name}: {text[:160]}"
