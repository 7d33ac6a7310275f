"""The Chatwoot connector's origin rule: scheme, host and port with the default port filled in
(an image at `https://chat.example:443/...` is Chatwoot's own), a user in the address never
matches, and only `localhost` and literal loopback addresses are this computer."""

from __future__ import annotations

import pytest

from agent_desktop.backends.chatwoot.http import is_loopback, origin_of, same_origin

BASE = "https://chat.example"


@pytest.mark.parametrize(
    "url",
    [
        "https://chat.example/rails/active_storage/x.png",
        "https://chat.example:443/rails/active_storage/x.png",
        "https://CHAT.example:443/x",
        "HTTPS://chat.example",
    ],
)
def test_default_ports_are_the_same_origin(url: str) -> None:
    assert same_origin(url, BASE)


def test_port_80_is_plain_http_default() -> None:
    assert same_origin("http://127.0.0.1:80/x", "http://127.0.0.1")
    assert not same_origin("http://127.0.0.1:443/x", "https://127.0.0.1")


@pytest.mark.parametrize(
    "url",
    [
        "http://chat.example/x.png",  # another scheme
        "https://chat.example:8443/x.png",  # another port
        "https://chat.example.evil.test/x.png",
        "https://chat.example@evil.test/x.png",  # a user in the address: evil.test
        "https://user@chat.example/x.png",
        "https://chat.example:99999/x.png",  # no such port
        "//evil.test/x.png",
        "file:///etc/passwd",
        "data:image/png;base64,AAAA",
    ],
)
def test_other_origins_are_not_the_same(url: str) -> None:
    assert not same_origin(url, BASE)


def test_origin_of_fills_the_default_port() -> None:
    assert origin_of("https://chat.example/x") == ("https", "chat.example", 443)
    assert origin_of("http://127.0.0.1:3000/x") == ("http", "127.0.0.1", 3000)


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://localhost:3000", True),
        ("http://127.0.0.1:3000", True),
        ("http://[::1]:3000", True),
        ("http://127.example.test", False),
        ("http://app.localhost", False),
    ],
)
def test_loopback_is_only_this_computer(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback
