"""The Chatwoot connector's transport rules, as the Agent API connector's: plain http:// only to
this computer unless --insecure; pictures from Chatwoot's own origin, whose redirects to its
storage are followed without the access token, over https (or to this computer) only."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from agent_desktop.backends.base import BackendError, ProtocolError
from agent_desktop.backends.chatwoot import ChatwootBackend, connect
from agent_desktop.backends.chatwoot.http import may_follow_redirect, normalize_base_url
from tests.helpers.chatwoot_server import FakeChatwoot

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@pytest.mark.parametrize(
    "url", ["http://chat.example.test", "http://10.0.0.5:3000", "http://chat.localhost"]
)
def test_plain_http_to_another_computer_is_refused_without_insecure(url: str) -> None:
    with pytest.raises(BackendError, match="plain http://") as err:
        ChatwootBackend(url, account_id=1, token="t")
    assert err.value.code == "insecure_url"
    assert normalize_base_url(url, insecure=True) == url


@pytest.mark.parametrize(
    "url", ["https://agent@chat.example.test", "ftp://chat.example.test", "https://"]
)
def test_addresses_that_hide_the_host_are_refused(url: str) -> None:
    with pytest.raises(BackendError, match="not a Chatwoot address"):
        normalize_base_url(url)


def test_plain_http_to_this_computer_and_https_anywhere_are_accepted() -> None:
    assert normalize_base_url("http://127.0.0.1:3000/") == "http://127.0.0.1:3000"
    assert normalize_base_url("chat.example.test") == "https://chat.example.test"


async def test_connect_passes_insecure_through(fake: FakeChatwoot, seeded: dict[str, Any]) -> None:
    with pytest.raises(BackendError, match="plain http://"):
        await connect("http://chat.example.test", account_id=1, token="t")
    backend = await connect(
        fake.url, account_id=1, token=seeded["agent"].access_token, insecure=True
    )
    await backend.aclose()


def test_which_redirects_a_picture_may_follow() -> None:
    base = "https://chat.example.test"
    assert may_follow_redirect("https://chat.example.test:443/rails/x", base)
    assert may_follow_redirect("https://bucket.s3.eu-west-3.amazonaws.com/x?sig=1", base)
    assert may_follow_redirect("http://127.0.0.1:9000/bucket/x", base)  # a local MinIO
    assert not may_follow_redirect("http://bucket.s3.amazonaws.com/x", base)  # downgrade
    assert not may_follow_redirect("file:///etc/passwd", base)
    assert not may_follow_redirect("https://user@bucket.example/x", base)


class Storage:
    """A storage service on loopback: serves one picture, keeps the headers it was sent."""

    def __init__(self) -> None:
        self.headers: list[dict[str, str]] = []
        self.url = ""

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")[1:]
        self.headers.append(
            {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines if ln)}
        )
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nConnection: close\r\n"
            + f"Content-Length: {len(PNG)}\r\n\r\n".encode()
            + PNG
        )
        await writer.drain()
        writer.close()


@pytest.fixture
async def storage() -> AsyncIterator[Storage]:
    store = Storage()
    server = await asyncio.start_server(store.handle, "127.0.0.1", 0)
    store.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    async with server:
        yield store


async def test_a_picture_redirected_to_storage_is_loaded_without_the_token(
    fake: FakeChatwoot, backend: ChatwootBackend, storage: Storage
) -> None:
    fake.storage["k1"] = f"{storage.url}/bucket/photo.png?signature=abc"
    data = await backend.media("/rails/active_storage/blobs/redirect/k1/photo.png")
    assert data == PNG
    assert len(storage.headers) == 1
    sent = storage.headers[0]
    assert "api_access_token" not in sent and "authorization" not in sent


async def test_a_redirect_to_plain_http_on_another_computer_is_not_followed(
    fake: FakeChatwoot, backend: ChatwootBackend
) -> None:
    # 192.0.2.1 is TEST-NET-1: nothing answers there; the connector must not even try.
    fake.storage["k2"] = "http://192.0.2.1/bucket/photo.png"
    with pytest.raises(ProtocolError, match="not safe to load"):
        await asyncio.wait_for(
            backend.media("/rails/active_storage/blobs/redirect/k2/photo.png"), 5
        )
