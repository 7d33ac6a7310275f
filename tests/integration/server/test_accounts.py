"""The team's accounts against the real server on loopback: a member's whole life (added by a
lead, invitation code used once, sign-in, password changed, role changed, deactivated with the
token refused and the open websocket closed, reactivated, reset), the last-lead rule, who may call
what, bad input that changes nothing, and the events open clients receive."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from agent_desktop.server import auth
from tests.helpers.dbquery import query
from tests.helpers.server_fixtures import (
    AGENT_EMAIL,
    LEAD_EMAIL,
    PASSWORD,
    ServerProcess,
    auth_headers,
    login,
)
from tests.integration.server.conftest import Api, Stream, new_thread

NEW_PASSWORD = "a-long-passphrase-1"
LEAD_ID, AGENT_ID = "a_lead", "a_agent"


@pytest.fixture
def shop(server_factory: Any) -> ServerProcess:
    """A fresh seeded server per test: these tests change accounts."""
    proc: ServerProcess = server_factory(in_process=True)
    return proc


@pytest.fixture
def lead_api(shop: ServerProcess) -> Iterator[Api]:
    api = Api(shop, login(shop, LEAD_EMAIL))
    yield api
    api.close()


def invite(
    lead: Api, email: str, name: str = "Chloé Martin", role: str = "agent"
) -> dict[str, Any]:
    r = lead.post("/agents", {"email": email, "name": name, "role": role})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def use_code(server: ServerProcess, email: str, code: str, password: str) -> httpx.Response:
    return httpx.post(
        f"{server.api}/auth/invitation", json={"email": email, "code": code, "password": password}
    )


def snapshot(lead: Api) -> list[dict[str, Any]]:
    """The team as GET /agents shows it, without the fields that move by themselves."""
    items = lead.get("/agents").json()["items"]
    return [{k: v for k, v in a.items() if k not in {"last_seen_at"}} for a in items]


async def closed_with(stream: Stream, wait: float = 10.0) -> tuple[int, str]:
    """Read until the server closes the socket; the close code and reason."""
    try:
        while True:
            await stream.recv(wait)
    except ConnectionClosed as exc:
        assert exc.rcvd is not None
        return exc.rcvd.code, exc.rcvd.reason
    finally:
        await stream.close()


async def test_the_life_of_a_member(
    shop: ServerProcess, lead_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This life makes more deliberate wrong guesses for one account than a minute allows; the
    # limit itself has its own tests (test_invitation_guesses_are_limited, tests/reliability).
    monkeypatch.setattr(auth, "MAX_LOGIN_ATTEMPTS", 20)  # the server runs in this process
    lead_token = lead_api.token
    assert lead_token is not None
    watcher = await Stream.open(shop, lead_token)
    await watcher.until_ready()

    # A lead adds Chloé; the code comes once, valid 72 h; open clients see her at once.
    added = invite(lead_api, "Chloe@Shop.example")
    agent = added["agent"]
    assert agent["email"] == "chloe@shop.example" and agent["role"] == "agent"
    assert agent["active"] is True and agent["last_seen_at"] is None
    code, expires = added["invitation"]["code"], added["invitation"]["expires_at"]
    assert len(code.replace("-", "")) == 12
    assert agent["invitation_expires_at"] == expires
    event = await watcher.next_event("agent.updated")
    assert event["data"]["agent"]["id"] == agent["id"]
    listed = {a["id"]: a for a in lead_api.get("/agents").json()["items"]}
    assert listed[agent["id"]]["role"] == "agent" and "last_seen_at" in listed[agent["id"]]

    # She cannot sign in before using the code; a wrong code is refused.
    anonymous = Api(shop, None)
    r = anonymous.post("/auth/login", {"email": agent["email"], "password": "unknown-account"})
    assert (r.status_code, r.json()["error"]["code"]) == (401, "invalid_credentials")
    assert use_code(shop, agent["email"], "AAAA-BBBB-CCCC", NEW_PASSWORD).status_code == 401
    assert use_code(shop, agent["email"], code, "short").json()["error"]["code"] == "weak_password"

    # The code (typed in lower case, without dashes) becomes her password and signs her in.
    typed = code.replace("-", "").lower()
    r = use_code(shop, "chloe@shop.example", typed, NEW_PASSWORD)
    assert r.status_code == 201, r.text
    chloe_token = r.json()["token"]
    assert r.json()["agent"]["presence"] == "online"
    assert r.json()["agent"]["invitation_expires_at"] is None
    used = use_code(shop, "chloe@shop.example", code, "another-password-2")
    assert (used.status_code, used.json()["error"]["code"]) == (409, "invitation_used")
    event = await watcher.next_event("agent.updated")
    assert event["data"]["agent"]["invitation_expires_at"] is None

    # Sign-in with the new password, then she changes it: her other session ends, this one stays.
    other_token = login(shop, "chloe@shop.example", NEW_PASSWORD)
    other_stream = await Stream.open(shop, other_token)
    await other_stream.until_ready()
    chloe = Api(shop, chloe_token)
    wrong = chloe.post("/me/password", {"current": "not-it-at-all", "new": "whatever-long-1"})
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (403, "wrong_password")
    changed = chloe.post("/me/password", {"current": NEW_PASSWORD, "new": "second-passphrase-2"})
    assert changed.status_code == 200 and changed.json()["sessions_ended"] == 1
    assert await closed_with(other_stream) == (4401, "password_changed")
    assert chloe.get("/me").status_code == 200
    other = Api(shop, other_token)
    gone = other.get("/me")
    assert (gone.status_code, gone.json()["error"]["code"]) == (401, "password_changed")
    login(shop, "chloe@shop.example", "second-passphrase-2")

    # Role and name change.
    r = lead_api.client.patch(
        f"/agents/{agent['id']}",
        json={"role": "lead", "name": "Chloé  Martin-Roy "},
        headers=auth_headers(lead_token),
    )
    assert r.status_code == 200 and r.json()["role"] == "lead"
    assert r.json()["name"] == "Chloé Martin-Roy"
    event = await watcher.next_event("agent.updated")
    assert event["data"]["agent"]["role"] == "lead"
    assert chloe.get("/me").json()["role"] == "lead"

    # Deactivated: her open threads go back to the queue, her token is refused at once and her
    # open websocket closes with 4401.
    thread = new_thread(shop)
    assert chloe.post(f"/threads/{thread['id']}/assignment", {"agent_id": agent["id"]}).is_success
    chloe_stream = await Stream.open(shop, chloe_token)
    await chloe_stream.until_ready()
    r = lead_api.post(f"/agents/{agent['id']}/deactivate", {"open_threads": "unassign"})
    assert r.status_code == 200, r.text
    assert r.json()["unassigned_threads"] == 1 and r.json()["agent"]["active"] is False
    assert await closed_with(chloe_stream) == (4401, "account_deactivated")
    refused = chloe.get("/me")
    assert (refused.status_code, refused.json()["error"]["code"]) == (401, "account_deactivated")
    assert lead_api.get(f"/threads/{thread['id']}").json()["assignee_id"] is None
    r = anonymous.post(
        "/auth/login", {"email": "chloe@shop.example", "password": "second-passphrase-2"}
    )
    assert (r.status_code, r.json()["error"]["code"]) == (403, "account_deactivated")
    wrong_pw = anonymous.post(
        "/auth/login", {"email": "chloe@shop.example", "password": "nope-nope-1"}
    )
    assert wrong_pw.status_code == 401  # the state is told only to who knows the password
    wanted = {
        ("agent.updated", agent["id"], "active", False),
        ("agent.presence", agent["id"], "presence", "offline"),
        ("thread.updated", thread["id"], "assignee_id", None),
    }
    while wanted:
        event = await watcher.next_event()
        item = event["data"].get("agent") or event["data"].get("thread") or {}
        wanted = {
            w
            for w in wanted
            if not (
                w[0] == event["name"] and w[1] == item.get("id") and item.get(w[2], "?") == w[3]
            )
        }

    # Reactivated: the password works again.
    r = lead_api.post(f"/agents/{agent['id']}/activate")
    assert r.status_code == 200 and r.json()["active"] is True
    new_token = login(shop, "chloe@shop.example", "second-passphrase-2")

    # Reset: the password stops working, every session ends, a new code is issued.
    reset_stream = await Stream.open(shop, new_token)
    await reset_stream.until_ready()
    r = lead_api.post(f"/agents/{agent['id']}/reset")
    assert r.status_code == 200, r.text
    new_code = r.json()["invitation"]["code"]
    assert new_code != code
    assert await closed_with(reset_stream) == (4401, "password_reset")
    old = anonymous.post(
        "/auth/login", {"email": "chloe@shop.example", "password": "second-passphrase-2"}
    )
    assert old.status_code == 401
    r = use_code(shop, "chloe@shop.example", new_code, "third-passphrase-3")
    assert r.status_code == 201
    await watcher.close()
    for api in (anonymous, chloe, other):
        api.close()


async def test_a_newer_code_replaces_the_older(shop: ServerProcess, lead_api: Api) -> None:
    added = invite(lead_api, "dan@shop.example", "Dan")
    first = added["invitation"]["code"]
    second = lead_api.post(f"/agents/{added['agent']['id']}/reset").json()["invitation"]["code"]
    r = use_code(shop, "dan@shop.example", first, NEW_PASSWORD)
    assert (r.status_code, r.json()["error"]["code"]) == (409, "invitation_replaced")
    assert use_code(shop, "dan@shop.example", second, NEW_PASSWORD).status_code == 201


def test_an_expired_code_is_refused(server_factory: Any) -> None:
    shop: ServerProcess = server_factory(in_process=True)
    lead = Api(shop, login(shop, LEAD_EMAIL))
    added = invite(lead, "eve@shop.example", "Eve")
    # Age the invitation in the database the server reads (as 73 hours would).
    query(shop.database_url, "UPDATE invitations SET expires_at = ?", datetime(2000, 1, 1))
    r = use_code(shop, "eve@shop.example", added["invitation"]["code"], NEW_PASSWORD)
    assert (r.status_code, r.json()["error"]["code"]) == (409, "invitation_expired")
    lead.close()


def test_the_last_active_lead_stays(shop: ServerProcess, lead_api: Api) -> None:
    before = snapshot(lead_api)
    r = lead_api.client.patch(
        f"/agents/{LEAD_ID}", json={"role": "agent"}, headers=auth_headers(lead_api.token or "")
    )
    assert (r.status_code, r.json()["error"]["code"]) == (409, "last_lead")
    assert "only active lead" in r.json()["error"]["message"]
    r = lead_api.post(f"/agents/{LEAD_ID}/deactivate")
    assert (r.status_code, r.json()["error"]["code"]) == (409, "cannot_deactivate_self")
    assert snapshot(lead_api) == before

    # With a second lead, the first may step down; then the second is the last one.
    second = invite(lead_api, "second@shop.example", "Second Lead", role="lead")
    token = use_code(shop, "second@shop.example", second["invitation"]["code"], NEW_PASSWORD)
    second_api = Api(shop, token.json()["token"])
    r = lead_api.client.patch(
        f"/agents/{LEAD_ID}", json={"role": "agent"}, headers=auth_headers(lead_api.token or "")
    )
    assert r.status_code == 200 and r.json()["role"] == "agent"
    r = second_api.client.patch(
        f"/agents/{second['agent']['id']}",
        json={"role": "agent"},
        headers=auth_headers(second_api.token or ""),
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "last_lead"
    second_api.close()


LEAD_CALLS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", "/agents", {"email": "x@shop.example", "name": "X", "role": "agent"}),
    ("PATCH", f"/agents/{AGENT_ID}", {"name": "New name"}),
    ("POST", f"/agents/{AGENT_ID}/deactivate", {"open_threads": "keep"}),
    ("POST", f"/agents/{AGENT_ID}/activate", None),
    ("POST", f"/agents/{AGENT_ID}/reset", None),
]


@pytest.mark.parametrize(("method", "path", "body"), LEAD_CALLS)
def test_accounts_calls_are_for_leads(
    shared: ServerProcess, method: str, path: str, body: dict[str, Any] | None
) -> None:
    agent_token = login(shared, AGENT_EMAIL)
    before = httpx.get(f"{shared.api}/agents", headers=auth_headers(agent_token)).json()["items"]
    anonymous = httpx.request(method, f"{shared.api}{path}", json=body)
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "unauthorized"
    as_agent = httpx.request(
        method, f"{shared.api}{path}", json=body, headers=auth_headers(agent_token)
    )
    assert as_agent.status_code == 403 and as_agent.json()["error"]["code"] == "forbidden"
    after = httpx.get(f"{shared.api}/agents", headers=auth_headers(agent_token)).json()["items"]
    assert [a["name"] for a in after] == [a["name"] for a in before]
    assert all(a["active"] for a in after)


def test_change_password_needs_a_token(shared: ServerProcess) -> None:
    r = httpx.post(f"{shared.api}/me/password", json={"current": PASSWORD, "new": NEW_PASSWORD})
    assert r.status_code == 401


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"email": "agent@demo.test", "name": "Dup", "role": "agent"}, 409, "email_taken"),
        ({"email": "AGENT@demo.test", "name": "Dup", "role": "agent"}, 409, "email_taken"),
        ({"email": "new@shop.example", "name": "N", "role": "owner"}, 422, "invalid_role"),
        ({"email": "not-an-email", "name": "N", "role": "agent"}, 422, "invalid_email"),
        ({"email": "new@shop.example", "name": "   ", "role": "agent"}, 422, "invalid_name"),
        ({"email": "new@shop.example", "name": "a\x07b", "role": "agent"}, 422, "invalid_name"),
        ({"email": "new@shop.example", "role": "agent"}, 422, "invalid_request"),
        ('{"email": "new@shop.example", "name": "\\ud800", "role": "agent"}', 422, None),
        ('{"email": "new@shop.example", "name": "x", "role": "agent"', 400, "malformed_json"),
    ],
)
def test_bad_new_members_change_nothing(
    shop: ServerProcess, lead_api: Api, body: dict[str, Any] | str, status: int, code: str | None
) -> None:
    before = snapshot(lead_api)
    if isinstance(body, str):  # raw JSON (what httpx cannot encode: a lone surrogate)
        r = lead_api.client.post(
            "/agents",
            content=body,
            headers={**auth_headers(lead_api.token or ""), "Content-Type": "application/json"},
        )
    else:
        r = lead_api.post("/agents", body)
    assert r.status_code == status, r.text
    assert code is None or r.json()["error"]["code"] == code
    assert r.json()["error"]["message"]
    assert snapshot(lead_api) == before


def test_bad_changes_change_nothing(shop: ServerProcess, lead_api: Api) -> None:
    before = snapshot(lead_api)
    headers = auth_headers(lead_api.token or "")
    cases = [
        (lead_api.client.patch(f"/agents/{AGENT_ID}", json={}, headers=headers), 422),
        (lead_api.client.patch(f"/agents/{AGENT_ID}", json={"role": "boss"}, headers=headers), 422),
        (lead_api.client.patch(f"/agents/{AGENT_ID}", json={"name": ""}, headers=headers), 422),
        (lead_api.client.patch("/agents/a_nobody", json={"name": "X"}, headers=headers), 404),
        (lead_api.post(f"/agents/{AGENT_ID}/deactivate", {"open_threads": "drop"}), 422),
        (lead_api.post("/agents/a_nobody/deactivate"), 404),
        (lead_api.post("/agents/a_nobody/reset"), 404),
        (lead_api.post(f"/agents/{LEAD_ID}/reset"), 409),
        (lead_api.post("/me/password", {"current": PASSWORD, "new": "short"}), 422),
        (lead_api.post("/me/password", {"current": PASSWORD, "new": PASSWORD}), 422),
        (lead_api.post("/me/password", {"current": PASSWORD}), 422),
        (lead_api.post("/me/password", {"current": PASSWORD, "new": "lead@demo.test"}), 422),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text
        assert response.json()["error"]["message"]
    assert snapshot(lead_api) == before
    assert login(shop, LEAD_EMAIL, PASSWORD)


def test_deactivate_keeping_threads(shop: ServerProcess, lead_api: Api) -> None:
    thread = new_thread(shop)
    assert lead_api.post(f"/threads/{thread['id']}/assignment", {"agent_id": AGENT_ID}).is_success
    r = lead_api.post(f"/agents/{AGENT_ID}/deactivate", {"open_threads": "keep"})
    assert r.json()["unassigned_threads"] == 0
    assert lead_api.get(f"/threads/{thread['id']}").json()["assignee_id"] == AGENT_ID
    # Deactivating again may still send the threads back to the queue.
    r = lead_api.post(f"/agents/{AGENT_ID}/deactivate", {"open_threads": "unassign"})
    assert r.json()["unassigned_threads"] >= 1  # this one and the seed's
    assert lead_api.get(f"/threads/{thread['id']}").json()["assignee_id"] is None
    r = lead_api.post(f"/agents/{AGENT_ID}/reset")
    assert (r.status_code, r.json()["error"]["code"]) == (409, "account_deactivated")


def test_invitation_guesses_are_limited(shop: ServerProcess, lead_api: Api) -> None:
    added = invite(lead_api, "fay@shop.example", "Fay")
    for _ in range(5):
        assert use_code(shop, "fay@shop.example", "WRNG-WRNG-WRNG", NEW_PASSWORD).status_code == 401
    r = use_code(shop, "fay@shop.example", added["invitation"]["code"], NEW_PASSWORD)
    assert r.status_code == 429 and "Retry-After" in r.headers


def test_the_right_password_of_a_deactivated_account_uses_no_allowance(
    shop: ServerProcess, lead_api: Api
) -> None:
    """Refused with 403 (the state is told to who knows the password), the attempt is given
    back: a member reactivated after several tries is not locked out for a minute."""
    assert lead_api.post(f"/agents/{AGENT_ID}/deactivate", {"open_threads": "keep"}).is_success
    anonymous = Api(shop, None)
    try:
        for _ in range(auth.MAX_LOGIN_ATTEMPTS + 1):
            r = anonymous.post("/auth/login", {"email": AGENT_EMAIL, "password": PASSWORD})
            assert (r.status_code, r.json()["error"]["code"]) == (403, "account_deactivated")
    finally:
        anonymous.close()
    assert lead_api.post(f"/agents/{AGENT_ID}/activate").is_success
    assert login(shop, AGENT_EMAIL, PASSWORD)


def test_the_accounts_api_is_in_the_openapi_document(shared: ServerProcess) -> None:
    paths = httpx.get(f"{shared.api}/openapi.json").json()["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/agents"])
    assert "patch" in paths["/api/v1/agents/{agent_id}"]
    for action in ("deactivate", "activate", "reset"):
        assert "post" in paths[f"/api/v1/agents/{{agent_id}}/{action}"]
    assert "post" in paths["/api/v1/auth/invitation"]
    assert "post" in paths["/api/v1/me/password"]
    assert "get" in paths["/api/v1/health"]


async def test_everyone_sees_the_team_change_live(shop: ServerProcess, lead_api: Api) -> None:
    agent_stream = await Stream.open(shop, login(shop, AGENT_EMAIL))
    await agent_stream.until_ready()
    added = invite(lead_api, "gus@shop.example", "Gus")
    event = await agent_stream.next_event("agent.updated")
    assert event["data"]["agent"]["id"] == added["agent"]["id"]
    lead_api.client.patch(
        f"/agents/{added['agent']['id']}",
        json={"name": "Gustave"},
        headers=auth_headers(lead_api.token or ""),
    )
    event = await agent_stream.next_event("agent.updated")
    assert event["data"]["agent"]["name"] == "Gustave"
    await agent_stream.close()


# --- session lifetimes ------------------------------------------------------------------------


def wait_until(predicate: Any, within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.05)


def test_an_idle_session_ends(server_factory: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENT_DESKTOP_SESSIONS_IDLE_HOURS", str(1.5 / 3600))  # 1.5 s
    shop: ServerProcess = server_factory(in_process=True)
    token = login(shop, AGENT_EMAIL)
    headers = auth_headers(token)
    # Used more often than the idle time, it lives on past it.
    until = time.monotonic() + 3.0
    while time.monotonic() < until:
        assert httpx.get(f"{shop.api}/me", headers=headers).status_code == 200
        time.sleep(0.1)

    # Left alone (only the anonymous health check is asked, for the server's clock) for more
    # than the idle time, it ends.
    def server_clock() -> datetime:
        stamp = httpx.get(f"{shop.api}/health").json()["server_time"]
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))

    last_use = server_clock()
    wait_until(lambda: server_clock() - last_use > timedelta(seconds=2))
    r = httpx.get(f"{shop.api}/me", headers=headers)
    assert (r.status_code, r.json()["error"]["code"]) == (401, "session_expired")


async def test_a_session_ends_at_its_absolute_lifetime_even_with_the_stream_open(
    server_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENT_DESKTOP_SESSIONS_MAX_DAYS", str(3 / 86400))  # 3 s
    monkeypatch.setenv("AGENT_DESKTOP_SESSIONS_CHECK_SECONDS", "0.2")
    shop: ServerProcess = server_factory(in_process=True)
    token = login(shop, AGENT_EMAIL)
    stream = await Stream.open(shop, token)
    await stream.until_ready()
    assert await closed_with(stream, wait=20) == (4401, "session_expired")
    r = await asyncio.to_thread(httpx.get, f"{shop.api}/me", headers=auth_headers(token))
    assert r.json()["error"]["code"] == "session_expired"
    assert login(shop, AGENT_EMAIL)  # signing in again works


async def test_an_open_stream_keeps_an_idle_session_alive(
    server_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENT_DESKTOP_SESSIONS_IDLE_HOURS", str(1.0 / 3600))  # 1 s
    monkeypatch.setenv("AGENT_DESKTOP_SESSIONS_CHECK_SECONDS", "0.1")
    shop: ServerProcess = server_factory(in_process=True)
    token = login(shop, AGENT_EMAIL)
    stream = await Stream.open(shop, token)
    await stream.until_ready()
    for _ in range(30):  # 3 s of pings, three times the idle time, with no HTTP request
        await stream.send({"type": "ping"})
        assert (await stream.recv())["type"] == "pong"
        await asyncio.sleep(0.1)
    r = await asyncio.to_thread(httpx.get, f"{shop.api}/me", headers=auth_headers(token))
    assert r.status_code == 200
    await stream.close()
