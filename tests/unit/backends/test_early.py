"""Which backends early requests may go to (the connector's own rules), and what they ask for."""

from __future__ import annotations

import pytest

from agent_desktop.backends.early import (
    EarlyRequest,
    EarlyRequests,
    first_loads,
    may_send_early,
    params_key,
    proxied,
)


@pytest.mark.parametrize(
    ("url", "insecure", "allowed"),
    [
        ("https://support.example.com", False, True),
        ("http://127.0.0.1:8765", False, True),
        ("http://localhost:8765/", False, True),
        ("http://support.example.com", False, False),  # the connector refuses it too
        ("http://support.example.com", True, True),  # ... unless --insecure
        ("ftp://support.example.com", False, False),
        ("support.example.com", False, False),
    ],
)
def test_early_requests_follow_the_connectors_address_rules(
    url: str, insecure: bool, allowed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert may_send_early(url, insecure=insecure) is allowed


def test_no_early_requests_through_a_proxy_except_to_this_computer() -> None:
    env = {"HTTPS_PROXY": "http://proxy.example.com:3128"}
    assert proxied("https://support.example.com", env)
    assert not proxied("http://127.0.0.1:8765", env)
    assert not proxied("https://support.example.com", {"HTTPS_PROXY": ""})


def test_the_first_loads_are_matched_whatever_the_order_of_their_parameters() -> None:
    threads = first_loads()[0]
    assert threads == EarlyRequest.of("/api/v1/threads", {"limit": 200, "assignee": "any"})
    assert threads.target() == "/api/v1/threads?assignee=any&limit=200"
    assert params_key({"cursor": None, "limit": 5}) == (("limit", "5"),)
    early = EarlyRequests("http://127.0.0.1:9", first_loads(), email="a@b.c", token="t")
    assert early.take("/api/v1/threads", {"limit": 200, "assignee": "any", "q": None}) is not None
    assert early.take("/api/v1/threads", {"limit": 200, "assignee": "any"}) is None  # once
    assert early.take("/api/v1/threads", {"limit": 50, "assignee": "any"}) is None
    assert early.take_login("a@b.c", "t") is None  # no sign-in was sent: a token was given
