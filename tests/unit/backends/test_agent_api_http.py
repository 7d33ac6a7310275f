"""The connector's pure helpers: the plain-http policy, error mapping."""

from __future__ import annotations

import pytest

from agent_desktop.backends.agent_api_http import (
    error_for_status,
    normalize_base_url,
    origin_of,
    parse_list,
    parse_model,
)
from agent_desktop.backends.base import (
    AuthError,
    BackendError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    ProtocolError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from agent_desktop.backends.hosts import is_loopback_host
from agent_desktop.core.types import Agent


@pytest.mark.parametrize("host", ["localhost", "LocalHost", "127.0.0.1", "127.8.9.1", "[::1]"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize(
    "host",
    [
        "example.com",
        "10.0.0.1",
        "192.168.1.2",
        "localhost.evil.com",
        # Resolved through DNS by many resolvers: not this computer for certain.
        "app.localhost",
        "a.b.localhost",
        "localhost.",
    ],
)
def test_non_loopback_hosts(host: str) -> None:
    assert not is_loopback_host(host)


def test_plain_http_to_a_name_under_localhost_needs_insecure() -> None:
    with pytest.raises(BackendError, match="plain http://") as err:
        normalize_base_url("http://app.localhost:8765")
    assert err.value.code == "insecure_url"
    assert normalize_base_url("http://app.localhost:8765", insecure=True)
    assert normalize_base_url("http://localhost:8765") == "http://localhost:8765"


def test_plain_http_allowed_on_loopback_only() -> None:
    assert normalize_base_url("http://127.0.0.1:8080/") == "http://127.0.0.1:8080"
    assert normalize_base_url("https://support.example.com") == "https://support.example.com"
    with pytest.raises(BackendError, match="plain http://") as err:
        normalize_base_url("http://support.example.com")
    assert err.value.code == "insecure_url"
    assert normalize_base_url("http://support.example.com", insecure=True)


@pytest.mark.parametrize("url", ["ftp://x.org", "support.example.com", "https://", ""])
def test_bad_urls_are_refused_with_a_sentence(url: str) -> None:
    with pytest.raises(BackendError, match="backend address"):
        normalize_base_url(url)


def test_origin_fills_default_ports() -> None:
    assert origin_of("https://a.test/x") == ("https", "a.test", 443)
    assert origin_of("http://a.test:8080/x") == ("http", "a.test", 8080)
    assert origin_of("https://A.test:443/") == origin_of("https://a.test")


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (401, AuthError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, ValidationError),
        (429, RateLimitedError),
        (500, ServerError),
        (503, ServerError),
        (400, BackendError),
    ],
)
def test_status_mapping_keeps_the_server_message(status: int, cls: type[BackendError]) -> None:
    body = {"error": {"code": "window_closed", "message": "The reply window is closed."}}
    err = error_for_status(status, body)
    assert type(err) is cls
    assert str(err) == "The reply window is closed."
    assert err.code == "window_closed"
    assert err.status == status


def test_status_mapping_without_body_gives_a_sentence() -> None:
    err = error_for_status(401, None)
    assert isinstance(err, AuthError)
    assert str(err).endswith(".")
    assert "sign in" in str(err)


def test_malformed_model_raises_protocol_error_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(ProtocolError, match="malformed agent"):
        parse_model(Agent, {"id": "a1", "name": "Ann"}, what="agent")
    assert "email" in caplog.text


def test_list_answers_bare_or_wrapped() -> None:
    agent = {"id": "a1", "name": "Ann", "email": "ann@x.test"}
    assert parse_list(Agent, [agent], what="agent", key="agents")[0].id == "a1"
    assert parse_list(Agent, {"items": [agent]}, what="agent", key="agents")[0].id == "a1"
    assert parse_list(Agent, {"agents": [agent]}, what="agent", key="agents")[0].id == "a1"
    with pytest.raises(ProtocolError):
        parse_list(Agent, {"agents": "nope"}, what="agent", key="agents")
    with pytest.raises(ProtocolError):
        parse_list(Agent, [agent, {"id": 3}], what="agent", key="agents")
