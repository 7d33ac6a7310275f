"""Sign-in, tokens, roles, presence and the team, against the real server."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.helpers.server_fixtures import (
    AGENT2_EMAIL,
    AGENT_EMAIL,
    LEAD_EMAIL,
    ServerProcess,
    alogin,
    auth_headers,
    login,
)
from tests.integration.server.conftest import Api


def test_health_is_ok_and_carries_server_time(shared: ServerProcess) -> None:
    r = httpx.get(f"{shared.api}/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["server_time"].endswith(("Z", "+00:00"))


def test_login_returns_token_and_agent(shared: ServerProcess) -> None:
    r = httpx.post(f"{shared.api}/auth/login", json={"email": LEAD_EMAIL, "password": "demo"})
    assert r.status_code == 201
    body = r.json()
    assert len(body["token"]) >= 40
    assert body["agent"]["email"] == LEAD_EMAIL
    assert body["agent"]["role"] == "lead"
    assert body["agent"]["presence"] == "online"
    assert "server_time" in body


def test_login_email_is_case_insensitive(shared: ServerProcess) -> None:
    assert login(shared, AGENT_EMAIL.upper())


async def test_async_login_helper(shared: ServerProcess) -> None:
    token = await alogin(shared, AGENT2_EMAIL)
    async with httpx.AsyncClient() as client:
        r = await client.get(f"{shared.api}/me", headers=auth_headers(token))
    assert r.json()["email"] == AGENT2_EMAIL


@pytest.mark.parametrize(
    ("email", "password"),
    [("agent@demo.test", "wrong"), ("nobody@demo.test", "demo")],
)
def test_bad_credentials_are_401(shared: ServerProcess, email: str, password: str) -> None:
    r = httpx.post(f"{shared.api}/auth/login", json={"email": email, "password": password})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_credentials"
    assert "server_time" in r.json()


def test_login_validation_errors(shared: ServerProcess) -> None:
    r = httpx.post(f"{shared.api}/auth/login", json={"email": "agent@demo.test"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_request"
    r = httpx.post(f"{shared.api}/auth/login", json={"email": 5, "password": ["x"]})
    assert r.status_code == 422


def test_five_failures_then_429_even_with_the_right_password(server_factory: Any) -> None:
    # Its own server: the account stays locked for a minute.
    server: ServerProcess = server_factory(in_process=True)
    email = "agent2@demo.test"
    for _ in range(5):
        r = httpx.post(f"{server.api}/auth/login", json={"email": email, "password": "nope"})
        assert r.status_code == 401
    r = httpx.post(f"{server.api}/auth/login", json={"email": email, "password": "demo"})
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "too_many_attempts"
    assert int(r.headers["retry-after"]) >= 1
    # Another account is not affected.
    assert login(server, LEAD_EMAIL)


def test_missing_and_bad_tokens_are_401(shared: ServerProcess) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        r = httpx.get(f"{shared.api}/me", headers=headers)
        assert r.status_code == 401
        assert r.json()["error"]["code"] == "unauthorized"


def test_logout_revokes_the_token_at_once(shared: ServerProcess) -> None:
    token = login(shared, AGENT_EMAIL)
    other = login(shared, AGENT_EMAIL)
    assert httpx.get(f"{shared.api}/me", headers=auth_headers(token)).status_code == 200
    r = httpx.post(f"{shared.api}/auth/logout", headers=auth_headers(token))
    assert r.status_code == 200
    assert httpx.get(f"{shared.api}/me", headers=auth_headers(token)).status_code == 401
    assert httpx.post(f"{shared.api}/auth/logout", headers=auth_headers(token)).status_code == 401
    # The agent's other session still works, and they stay online because of it.
    me = httpx.get(f"{shared.api}/me", headers=auth_headers(other))
    assert me.status_code == 200
    assert me.json()["presence"] == "online"


def test_me_and_presence(agent: Api, lead: Api) -> None:
    me = agent.get("/me").json()
    assert me["email"] == AGENT_EMAIL and me["role"] == "agent"
    r = agent.put("/me/presence", {"presence": "away"})
    assert r.status_code == 200 and r.json()["presence"] == "away"
    team = lead.get("/agents").json()["items"]
    assert {a["id"]: a["presence"] for a in team}[me["id"]] == "away"
    assert agent.put("/me/presence", {"presence": "busy"}).status_code == 422
    assert agent.put("/me/presence", {"presence": "online"}).json()["presence"] == "online"


def test_agents_lists_the_team(agent: Api) -> None:
    body = agent.get("/agents").json()
    assert "server_time" in body
    emails = sorted(a["email"] for a in body["items"])
    assert emails == sorted([AGENT_EMAIL, AGENT2_EMAIL, LEAD_EMAIL])
    assert all("password" not in str(a) for a in body["items"])
