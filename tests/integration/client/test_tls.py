"""The client trusts one set of certificate authorities for everything it sends (certifi's, or
SSL_CERT_FILE/SSL_CERT_DIR; backends/tls.py): the event stream (wss://) included, which used to
take the operating system's store while HTTP took certifi's."""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import certifi
import pytest
from websockets.asyncio.server import ServerConnection, serve

from agent_desktop import selftest
from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.backends.base import StreamState
from agent_desktop.backends.tls import tls_context
from tests.helpers.qasync_loop import wait_for_condition


class WssServer:
    """A wss:// server on 127.0.0.1 with a certificate from a test CA; keeps the hellos."""

    def __init__(self) -> None:
        self.hellos: list[dict[str, Any]] = []
        self.url = ""

    async def handler(self, ws: ServerConnection) -> None:
        self.hellos.append(json.loads(await ws.recv()))
        await ws.wait_closed()


@pytest.fixture(scope="module")
def pki() -> selftest.TestPki:
    return selftest.make_test_pki()


@pytest.fixture
async def wss(pki: selftest.TestPki, tmp_path: Path) -> AsyncIterator[WssServer]:
    (tmp_path / "cert.pem").write_bytes(pki.cert_pem)
    (tmp_path / "key.pem").write_bytes(pki.key_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server = WssServer()
    async with serve(server.handler, "127.0.0.1", 0, ssl=context) as ws_server:
        port = next(iter(ws_server.sockets)).getsockname()[1]
        server.url = f"https://127.0.0.1:{port}"
        yield server


@pytest.fixture
def certifi_with_test_ca(
    pki: selftest.TestPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """certifi's bundle plus the test CA, as certifi's bundle (no SSL_CERT_* variables)."""
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(Path(certifi.where()).read_bytes().rstrip(b"\n") + b"\n" + pki.ca_pem)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.setattr(certifi, "where", lambda: str(bundle))
    return bundle


async def first_states(backend: AgentApiBackend, count: int) -> list[StreamState]:
    states: list[StreamState] = []
    async for item in backend.stream(0):
        if isinstance(item, StreamState):
            states.append(item)
            if len(states) == count:
                break
    return states


async def test_the_event_stream_trusts_the_clients_authorities(
    wss: WssServer, certifi_with_test_ca: Path
) -> None:
    backend = AgentApiBackend(wss.url, token="t0ken", retries=0, timeout=5.0)
    task = asyncio.ensure_future(first_states(backend, 2))
    try:
        await wait_for_condition(lambda: len(wss.hellos) == 1, 15)
        assert wss.hellos[0]["token"] == "t0ken"
    finally:
        await backend.aclose()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_the_event_stream_refuses_an_authority_the_client_does_not_trust(
    wss: WssServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    backend = AgentApiBackend(
        wss.url, token="t0ken", retries=0, timeout=5.0, reconnect_base=30, reconnect_cap=30
    )
    try:
        states = await asyncio.wait_for(first_states(backend, 2), 15)
    finally:
        await backend.aclose()
    assert [s.state for s in states] == ["connecting", "reconnecting"]
    assert wss.hellos == []  # the token never left


def test_one_context_for_everything_made_once_per_bundle(
    certifi_with_test_ca: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    context = tls_context()
    assert context is tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    company = tmp_path / "company.pem"  # a company's own bundle
    company.write_bytes(certifi_with_test_ca.read_bytes())
    monkeypatch.setenv("SSL_CERT_FILE", str(company))
    theirs = tls_context()
    assert theirs is not context and theirs is tls_context()
