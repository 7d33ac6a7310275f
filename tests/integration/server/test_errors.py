"""Bad input never gets a 500: malformed JSON, wrong types, unknown routes and methods all answer
with the error shape and a fitting 4xx."""

from __future__ import annotations

import httpx
import pytest

from agent_desktop.server import testseed as seed
from tests.helpers.server_fixtures import ServerProcess, auth_headers


def assert_error(r: httpx.Response, status: int, code: str | None = None) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error", "server_time"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code


@pytest.mark.parametrize(
    "path",
    [
        f"/threads/{seed.T_WAITING}/messages",
        f"/threads/{seed.T_WAITING}/assignment",
        f"/threads/{seed.T_WAITING}/status",
        f"/threads/{seed.T_WAITING}/read",
        "/templates",
    ],
)
def test_malformed_json_is_400(shared: ServerProcess, tokens: dict[str, str], path: str) -> None:
    headers = {**auth_headers(tokens["agent"]), "content-type": "application/json"}
    r = httpx.post(f"{shared.api}{path}", content=b'{"text": "unterminated', headers=headers)
    assert_error(r, 400, "malformed_json")


@pytest.mark.parametrize(
    "body",
    [
        [],
        "text",
        {"client_id": 5, "text": "hi"},
        {"client_id": "x", "text": ["hi"]},
        {"client_id": "x", "text": "hi", "kind": None},
        {"client_id": "x" * 101, "text": "hi"},
        {"client_id": "x", "text": "hi", "tag": 7},
    ],
)
def test_wrong_types_are_422(shared: ServerProcess, tokens: dict[str, str], body: object) -> None:
    r = httpx.post(
        f"{shared.api}/threads/{seed.T_WAITING}/messages",
        json=body,
        headers=auth_headers(tokens["agent"]),
    )
    assert_error(r, 422)


def test_unknown_route_and_method(shared: ServerProcess, tokens: dict[str, str]) -> None:
    assert_error(httpx.get(f"{shared.api}/nothing-here"), 404, "not_found")
    assert_error(httpx.get(f"{shared.url}/"), 404, "not_found")
    r = httpx.delete(f"{shared.api}/threads", headers=auth_headers(tokens["agent"]))
    assert_error(r, 405, "method_not_allowed")
    assert_error(httpx.put(f"{shared.api}/auth/login", json={}), 405)


def test_every_endpoint_needs_a_token(shared: ServerProcess) -> None:
    calls = [
        ("GET", "/me"),
        ("PUT", "/me/presence"),
        ("GET", "/agents"),
        ("GET", "/threads"),
        ("GET", f"/threads/{seed.T_WAITING}"),
        ("GET", f"/threads/{seed.T_WAITING}/messages"),
        ("POST", f"/threads/{seed.T_WAITING}/messages"),
        ("POST", f"/threads/{seed.T_WAITING}/assignment"),
        ("POST", f"/threads/{seed.T_WAITING}/status"),
        ("POST", f"/threads/{seed.T_WAITING}/read"),
        ("GET", "/customers/c_camille"),
        ("GET", "/customers/c_camille/orders"),
        ("GET", "/templates"),
        ("POST", "/templates"),
        ("PUT", "/templates/tp_merci"),
        ("DELETE", "/templates/tp_merci"),
        ("GET", "/metrics"),
        ("GET", "/settings"),
        ("PUT", "/settings"),
        ("POST", "/auth/logout"),
    ]
    with httpx.Client(base_url=shared.api) as client:
        for method, path in calls:
            r = client.request(method, path, json={})
            assert r.status_code == 401, (method, path, r.status_code)
            assert r.headers.get("www-authenticate") == "Bearer"


def test_no_partial_write_on_refused_request(shared: ServerProcess, tokens: dict[str, str]) -> None:
    headers = auth_headers(tokens["agent"])
    before = httpx.get(f"{shared.api}/threads/{seed.T_CLOSED}/messages", headers=headers).json()
    r = httpx.post(
        f"{shared.api}/threads/{seed.T_CLOSED}/messages",
        json={"client_id": "closed-1", "text": "late reply", "kind": "reply"},
        headers=headers,
    )
    assert_error(r, 409, "window_closed")
    after = httpx.get(f"{shared.api}/threads/{seed.T_CLOSED}/messages", headers=headers).json()
    assert [m["id"] for m in after["items"]] == [m["id"] for m in before["items"]]
    # The same client_id is free for a note: nothing of the refused reply was kept.
    r = httpx.post(
        f"{shared.api}/threads/{seed.T_CLOSED}/messages",
        json={"client_id": "closed-1", "text": "note instead", "kind": "note"},
        headers=headers,
    )
    assert r.status_code == 201


def test_nul_characters_are_refused(shared: ServerProcess, tokens: dict[str, str]) -> None:
    """No database column can hold NUL: refused up front on SQLite and PostgreSQL alike."""
    headers = auth_headers(tokens["agent"])
    with httpx.Client(base_url=shared.api, headers=headers) as client:
        assert_error(client.get("/threads/t_%00x"), 400, "invalid_characters")
        assert_error(client.get("/threads", params={"q": "a\x00b"}), 400, "invalid_characters")
        r = client.post(
            f"/threads/{seed.T_WAITING}/messages", json={"client_id": "nul", "text": "a\x00b"}
        )
        assert_error(r, 422, "invalid_request")
        assert "NUL" in r.json()["error"]["message"]
        r = client.post("/templates", json={"shortcut": "x", "title": "t\x00", "body": "b"})
        assert_error(r, 422)
