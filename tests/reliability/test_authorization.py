"""The server's authorisation matrix in one table: every endpoint of the OpenAPI document (and the
event stream) × anonymous / agent / lead / an agent reaching for a colleague's own things; login
rate limiting; a token revoked on sign-out stops working at once, even on an open websocket."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import websockets
from websockets.asyncio.client import connect as ws_connect

from agent_desktop.backends.base import AuthError
from agent_desktop.server import testseed as seed
from tests.helpers.qasync_loop import wait_for_condition
from tests.helpers.server_fixtures import (
    AGENT2_EMAIL,
    AGENT_EMAIL,
    LEAD_EMAIL,
    PASSWORD,
    InProcessServer,
    ServerProcess,
    auth_headers,
    login,
)
from tests.reliability.conftest import StoreFactory, signed_in

ROLES = ("anonymous", "agent", "lead", "colleague")


@dataclass(frozen=True)
class Call:
    """One request; `setup(client, tokens)` may create what the call acts on and return the
    path's last segment (a fresh template id), so that calls never depend on each other."""

    method: str
    path: str
    body: Any = None
    setup: Callable[[httpx.Client, dict[str, str], str], str] | None = None
    documented: str | None = None  # the OpenAPI path, when `{id}` stands for another name


def fresh_template(scope: str, owner: str) -> Callable[[httpx.Client, dict[str, str], str], str]:
    def make(client: httpx.Client, tokens: dict[str, str], _role: str) -> str:
        r = client.post(
            "/templates",
            json={
                "shortcut": f"t{uuid.uuid4().hex[:8]}",
                "title": "Matrice",
                "body": "Bonjour {{customer.first_name}}",
                "language": "fr",
                "scope": scope,
            },
            headers=auth_headers(tokens[owner]),
        )
        assert r.status_code == 201, r.text
        template_id: str = r.json()["id"] if "id" in r.json() else r.json()["template"]["id"]
        return template_id

    return make


def fresh_token(client: httpx.Client, tokens: dict[str, str], role: str) -> str:
    """Sign-out must not revoke the token the other calls use: sign in once more for it."""
    email = {"agent": AGENT_EMAIL, "lead": LEAD_EMAIL, "colleague": AGENT2_EMAIL}.get(role)
    if email is not None:
        r = client.post("/auth/login", json={"email": email, "password": PASSWORD})
        tokens[f"{role}-logout"] = r.json()["token"]
    return ""


def held_by_agent(client: httpx.Client, tokens: dict[str, str], _role: str) -> str:
    """Before each try, T_ANSWERED is assigned to agent@ again (by the lead)."""
    r = client.post(
        f"/threads/{seed.T_ANSWERED}/assignment",
        json={"agent_id": seed.AGENT},
        headers=auth_headers(tokens["lead"]),
    )
    assert r.status_code == 200, r.text
    return ""


def unassigned(client: httpx.Client, tokens: dict[str, str], _role: str) -> str:
    """Before each try, T_HUMAN_AGENT is nobody's again (by the lead)."""
    r = client.post(
        f"/threads/{seed.T_HUMAN_AGENT}/assignment",
        json={"agent_id": None},
        headers=auth_headers(tokens["lead"]),
    )
    assert r.status_code == 200, r.text
    return ""


def fresh_member(client: httpx.Client, tokens: dict[str, str], _role: str) -> str:
    """A new team member (added by the lead) for each try of a lead's accounts call."""
    r = client.post(
        "/agents",
        json={"email": f"m{uuid.uuid4().hex[:8]}@shop.example", "name": "Matrice", "role": "agent"},
        headers=auth_headers(tokens["lead"]),
    )
    assert r.status_code == 201, r.text
    member_id: str = r.json()["agent"]["id"]
    return member_id


def new_member_body() -> dict[str, Any]:
    return {"email": f"n{uuid.uuid4().hex[:8]}@shop.example", "name": "Nouveau", "role": "agent"}


def note() -> dict[str, Any]:
    return {"client_id": str(uuid.uuid4()), "text": "Note de la matrice", "kind": "note"}


def fresh_order(client: httpx.Client, tokens: dict[str, str], _role: str) -> str:
    r = client.post("/simulate/order", json={"customer_id": "c_camille"})
    assert r.status_code == 201, r.text
    order_id: str = r.json()["order"]["id"]
    return order_id


def pending_refund(client: httpx.Client, tokens: dict[str, str], _role: str) -> str:
    """A refund by agent@ above the team's limit (EUR 1.00 on this server), waiting."""
    lead = auth_headers(tokens["lead"])
    settings = client.get("/settings", headers=lead).json()
    settings.pop("server_time", None)
    client.put("/settings", json={**settings, "refund_limits": {"EUR": 100}}, headers=lead)
    r = client.post(
        f"/orders/{fresh_order(client, tokens, _role)}/actions",
        json={"client_id": str(uuid.uuid4()), "type": "refund", "amount": 500},
        headers=auth_headers(tokens["agent"]),
    )
    assert r.json()["action"]["status"] == "pending_approval", r.text
    action_id: str = r.json()["action"]["id"]
    return action_id


def fresh_thread(client: httpx.Client, tokens: dict[str, str], _role: str) -> str:
    r = client.post(
        "/simulate/customer-message", json={"customer_name": "Matrice Lien", "text": "Bonjour"}
    )
    thread_id: str = r.json()["thread"]["id"]
    return thread_id


def fresh_integration(client: httpx.Client, tokens: dict[str, str], _role: str) -> str:
    r = client.post("/integrations", json={"name": "Matrice"}, headers=auth_headers(tokens["lead"]))
    integration_id: str = r.json()["integration"]["id"]
    return integration_id


def cancel() -> dict[str, Any]:
    return {"client_id": str(uuid.uuid4()), "type": "cancel", "reason": "Matrice"}


LOGIN = {"email": AGENT_EMAIL, "password": PASSWORD}
T = seed.T_WAITING
ANYONE_SIGNED_IN = {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 200}
LEADS_ONLY = {"anonymous": 401, "agent": 403, "lead": 200, "colleague": 403}
INGEST_ORDER = {"number": "#1", "placed_at": "2026-01-01T00:00:00Z", "status": "paid",
                "currency": "EUR", "total": 0, "customer_external_id": "x"}  # fmt: skip

# (call, {role: expected status}); "colleague" is agent2 acting on agent@'s own things where the
# endpoint has an owner (templates, metrics of one agent, a thread assigned to agent@), else the
# same call as agent@ makes.
MATRIX: list[tuple[str, Call, dict[str, int]]] = [
    ("health", Call("GET", "/health"), dict.fromkeys(ROLES, 200)),
    ("login", Call("POST", "/auth/login", LOGIN), dict.fromkeys(ROLES, 201)),
    (
        "logout",
        Call("POST", "/auth/logout", setup=fresh_token),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 200},
    ),
    ("me", Call("GET", "/me"), {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 200}),
    (
        "presence",
        Call("PUT", "/me/presence", {"presence": "online"}),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 200},
    ),
    (
        "agents",
        Call("GET", "/agents"),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 200},
    ),
    (
        "threads",
        Call("GET", "/threads"),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 200},
    ),
    (
        "thread",
        Call("GET", f"/threads/{T}"),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 200},
    ),
    (
        "messages",
        Call("GET", f"/threads/{T}/messages"),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 200},
    ),
    (
        "send",
        Call("POST", f"/threads/{T}/messages", note),
        {"anonymous": 401, "agent": 201, "lead": 201, "colleague": 201},
    ),
    (
        "assign to self",
        Call("POST", f"/threads/{seed.T_HUMAN_AGENT}/assignment", "self", unassigned),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 200},
    ),
    (
        # SECURITY.md: an agent may not take a thread away from a colleague (a lead may).
        "take a colleague's thread",
        Call("POST", f"/threads/{seed.T_ANSWERED}/assignment", "self", held_by_agent),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 403},
    ),
    (
        "unassign a colleague's thread",
        Call(
            "POST",
            f"/threads/{seed.T_ANSWERED}/assignment",
            {"agent_id": None},
            held_by_agent,
        ),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 403},
    ),
    (
        "status",
        Call("POST", f"/threads/{seed.T_WEB}/status", {"status": "pending"}),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 200},
    ),
    (
        "read",
        Call("POST", f"/threads/{T}/read", "last-message"),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 200},
    ),
    (
        "customer",
        Call("GET", "/customers/c_camille"),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 200},
    ),
    (
        "orders",
        Call("GET", "/customers/c_camille/orders"),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 200},
    ),
    (
        "templates",
        Call("GET", "/templates"),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 200},
    ),
    (
        "create personal template",
        Call("POST", "/templates", "personal-template"),
        {"anonymous": 401, "agent": 201, "lead": 201, "colleague": 201},
    ),
    (
        "create team template",
        Call("POST", "/templates", "team-template"),
        {"anonymous": 401, "agent": 403, "lead": 201, "colleague": 403},
    ),
    (
        "edit team template",
        Call("PUT", "/templates/{id}", {"title": "Changé"}, fresh_template("team", "lead")),
        {"anonymous": 401, "agent": 403, "lead": 200, "colleague": 403},
    ),
    (
        "edit agent@'s personal template",
        Call("PUT", "/templates/{id}", {"title": "Changé"}, fresh_template("personal", "agent")),
        {"anonymous": 401, "agent": 200, "lead": 404, "colleague": 404},
    ),
    (
        "delete team template",
        Call("DELETE", "/templates/{id}", None, fresh_template("team", "lead")),
        {"anonymous": 401, "agent": 403, "lead": 200, "colleague": 403},
    ),
    (
        "delete agent@'s personal template",
        Call("DELETE", "/templates/{id}", None, fresh_template("personal", "agent")),
        {"anonymous": 401, "agent": 200, "lead": 404, "colleague": 404},
    ),
    (
        "metrics",
        Call("GET", "/metrics"),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 200},
    ),
    (
        "metrics of agent@",
        Call("GET", f"/metrics?agent_id={seed.AGENT}"),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 403},
    ),
    (
        "metric messages",
        Call("GET", "/metrics/messages?since=2026-01-01T00:00:00Z"),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 200},
    ),
    (
        "settings",
        Call("GET", "/settings"),
        {"anonymous": 401, "agent": 200, "lead": 200, "colleague": 200},
    ),
    (
        "change settings",
        Call("PUT", "/settings", "current-settings"),
        {"anonymous": 401, "agent": 403, "lead": 200, "colleague": 403},
    ),
    (
        # A test facility, on only with --seed-test/--demo/--allow-simulation (off by default).
        "simulate a customer",
        Call("POST", "/simulate/customer-message", {"thread_id": T, "text": "Matrice"}),
        dict.fromkeys(ROLES, 201),
    ),
    # --- the shop (customer search, orders, actions, approvals, identity, ingest) ---
    ("customer search", Call("GET", "/customers?q=cam"), ANYONE_SIGNED_IN),
    (
        "order",
        Call("GET", "/orders/{id}", None, fresh_order, "/orders/{order_id}"),
        ANYONE_SIGNED_IN,
    ),
    (
        "order action",
        Call("POST", "/orders/{id}/actions", cancel, fresh_order, "/orders/{order_id}/actions"),
        {"anonymous": 401, "agent": 201, "lead": 201, "colleague": 201},
    ),
    (
        "order actions",
        Call("GET", "/orders/{id}/actions", None, fresh_order, "/orders/{order_id}/actions"),
        ANYONE_SIGNED_IN,
    ),
    ("actions", Call("GET", "/actions?status=pending_approval"), ANYONE_SIGNED_IN),
    (
        "decide a refund",
        Call(
            "POST",
            "/actions/{id}/decision",
            {"decision": "decline"},
            pending_refund,
            "/actions/{action_id}/decision",
        ),
        LEADS_ONLY,
    ),
    (
        "link a thread's customer",
        Call(
            "POST",
            "/threads/{id}/customer",
            {"customer_id": "c_camille"},
            fresh_thread,
            "/threads/{thread_id}/customer",
        ),
        ANYONE_SIGNED_IN,
    ),
    (
        "dismiss a suggestion",
        Call(
            "DELETE",
            "/threads/{id}/customer-suggestion",
            None,
            fresh_thread,
            "/threads/{thread_id}/customer-suggestion",
        ),
        ANYONE_SIGNED_IN,
    ),
    (
        "create an integration token",
        Call("POST", "/integrations", {"name": "Matrice"}),
        {"anonymous": 401, "agent": 403, "lead": 201, "colleague": 403},
    ),
    ("integration tokens", Call("GET", "/integrations"), LEADS_ONLY),
    (
        "revoke an integration token",
        Call(
            "DELETE",
            "/integrations/{id}",
            None,
            fresh_integration,
            "/integrations/{integration_id}",
        ),
        LEADS_ONLY,
    ),
    (
        # The ingest API takes integration tokens only: no agent's token opens it.
        "ingest a customer",
        Call("PUT", "/shop/customers/x", {"name": "X"}, None, "/shop/customers/{external_id}"),
        dict.fromkeys(ROLES, 401),
    ),
    (
        "ingest an order",
        Call("PUT", "/shop/orders/x", INGEST_ORDER, None, "/shop/orders/{external_id}"),
        dict.fromkeys(ROLES, 401),
    ),
    ("the shop's actions", Call("GET", "/shop/actions"), dict.fromkeys(ROLES, 401)),
    (
        "report an action's result",
        Call(
            "POST",
            "/shop/actions/act_x/result",
            {"status": "done"},
            None,
            "/shop/actions/{action_id}/result",
        ),
        dict.fromkeys(ROLES, 401),
    ),
    (
        "simulate an order",
        Call("POST", "/simulate/order", {"customer_id": "c_camille"}),
        dict.fromkeys(ROLES, 201),
    ),
    (
        "simulate an order's next step",
        Call("POST", "/simulate/order-step", "fresh-order"),
        dict.fromkeys(ROLES, 200),
    ),
    (
        # Product pictures are public: Messenger's servers fetch them for receipts.
        "media",
        Call("GET", f"/media/{seed.PRODUCT_IMAGE}"),
        dict.fromkeys(ROLES, 200),
    ),
    (
        "add a team member",
        Call("POST", "/agents", new_member_body),
        {"anonymous": 401, "agent": 403, "lead": 201, "colleague": 403},
    ),
    (
        "change a team member",
        Call("PATCH", "/agents/{aid}", {"name": "Renommé"}, fresh_member),
        {"anonymous": 401, "agent": 403, "lead": 200, "colleague": 403},
    ),
    (
        "deactivate a team member",
        Call("POST", "/agents/{aid}/deactivate", {"open_threads": "keep"}, fresh_member),
        {"anonymous": 401, "agent": 403, "lead": 200, "colleague": 403},
    ),
    (
        "activate a team member",
        Call("POST", "/agents/{aid}/activate", None, fresh_member),
        {"anonymous": 401, "agent": 403, "lead": 200, "colleague": 403},
    ),
    (
        "reset a team member",
        Call("POST", "/agents/{aid}/reset", None, fresh_member),
        {"anonymous": 401, "agent": 403, "lead": 200, "colleague": 403},
    ),
    (
        # Anyone with a code: no token needed.
        "use an invitation code",
        Call("POST", "/auth/invitation", "invitation"),
        dict.fromkeys(ROLES, 201),
    ),
    (
        # Each member their own (a weak new password: refused after the token was accepted).
        "change one's password",
        Call("POST", "/me/password", {"current": PASSWORD, "new": "short"}),
        {"anonymous": 401, "agent": 422, "lead": 422, "colleague": 422},
    ),
]


def body_for(call: Call, client: httpx.Client, tokens: dict[str, str], role: str) -> Any:
    """Bodies that depend on who calls or on the server's current state."""
    me = {"agent": seed.AGENT, "lead": seed.LEAD, "colleague": seed.AGENT2}
    if callable(call.body):
        return call.body()
    if call.body == "self":
        return {"agent_id": me.get(role, seed.AGENT)}
    if call.body == "last-message":
        page = client.get(f"/threads/{T}/messages", headers=auth_headers(tokens["agent"])).json()
        return {"message_id": page["items"][0]["id"]}
    if call.body in ("personal-template", "team-template"):
        return {
            "shortcut": f"m{uuid.uuid4().hex[:8]}",
            "title": "Matrice",
            "body": "Bonjour",
            "language": "fr",
            "scope": call.body.split("-")[0],
        }
    if call.body == "fresh-order":
        return {"order_id": fresh_order(client, tokens, role)}
    if call.body == "invitation":
        r = client.post("/agents", json=new_member_body(), headers=auth_headers(tokens["lead"]))
        added = r.json()
        return {
            "email": added["agent"]["email"],
            "code": added["invitation"]["code"],
            "password": "matrix-passphrase-1",
        }
    if call.body == "current-settings":
        settings = client.get("/settings", headers=auth_headers(tokens["lead"])).json()
        return settings.get("settings", {k: v for k, v in settings.items() if k != "server_time"})
    return call.body


@pytest.fixture(scope="module")
def matrix_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server of its own: the matrix changes assignments, templates and settings."""
    proc = InProcessServer(tmp_path_factory.mktemp("matrix-server"), ("--seed-test",))
    proc.start()
    yield proc
    proc.stop()


def test_authorisation_matrix(matrix_server: ServerProcess) -> None:
    tokens = {
        "agent": login(matrix_server, AGENT_EMAIL),
        "lead": login(matrix_server, LEAD_EMAIL),
        "colleague": login(matrix_server, AGENT2_EMAIL),
    }
    spec = httpx.get(f"{matrix_server.api}/openapi.json").json()
    documented = {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops}
    covered = set()
    got: dict[tuple[str, str], int] = {}
    want: dict[tuple[str, str], int] = {}
    with httpx.Client(base_url=matrix_server.api) as client:
        for name, call, expected in MATRIX:
            for role in ROLES:
                path = call.path
                if call.setup is not None:
                    made = call.setup(client, tokens, role)
                    path = path.replace("{id}", made).replace("{aid}", made)
                token = tokens.get(f"{role}-logout") or tokens.get(role)
                headers = auth_headers(token) if token and role != "anonymous" else {}
                body = body_for(call, client, tokens, role)
                url = f"{matrix_server.url}{path}" if path.startswith("/media/") else path
                r = client.request(call.method, url, json=body, headers=headers)
                got[(name, role)] = r.status_code
                want[(name, role)] = expected[role]
                tokens.pop(f"{role}-logout", None)
                if r.status_code >= 400:
                    assert r.json()["error"]["message"].endswith("."), r.text
            template = call.documented or call.path.replace("{id}", "{template_id}").split("?")[0]
            template = template.replace("{aid}", "{agent_id}")
            template = template.replace(T, "{thread_id}").replace("c_camille", "{customer_id}")
            for tid in (seed.T_HUMAN_AGENT, seed.T_ANSWERED, seed.T_WEB):
                template = template.replace(tid, "{thread_id}")
            if template.startswith("/media/"):
                covered.add((call.method, "/media/{path}"))
            else:
                covered.add((call.method, "/api/v1" + template))
    mismatches = {k: (got[k], want[k]) for k in got if got[k] != want[k]}
    assert not mismatches, f"(endpoint, role): (got, expected) {mismatches}"
    assert documented <= covered, f"endpoints missing from the matrix: {documented - covered}"


async def test_event_stream_authorisation(matrix_server: ServerProcess) -> None:
    async def close_code(token: str | None) -> int | None:
        async with ws_connect(matrix_server.ws_url) as ws:
            hello: dict[str, Any] = {"type": "hello", "after": 0}
            if token is not None:
                hello["token"] = token
            await ws.send(json.dumps(hello))
            try:
                async with asyncio.timeout(5):
                    async for raw in ws:
                        if json.loads(raw).get("type") == "ready":
                            return None
            except websockets.ConnectionClosed:
                pass
            return ws.close_code

    assert await close_code(None) == 4401
    assert await close_code("not-a-token") == 4401
    for email in (AGENT_EMAIL, LEAD_EMAIL, AGENT2_EMAIL):
        assert await close_code(login(matrix_server, email)) is None


def test_login_rate_limit_is_per_account_and_beats_the_right_password(
    matrix_server: ServerProcess,
) -> None:
    with httpx.Client(base_url=matrix_server.api) as client:
        statuses = [
            client.post(
                "/auth/login", json={"email": "lead@demo.test", "password": f"guess{i}"}
            ).status_code
            for i in range(8)
        ]
        assert statuses[0] == 401 and statuses[-1] == 429, statuses
        right = client.post("/auth/login", json={"email": "LEAD@demo.test", "password": PASSWORD})
        assert right.status_code == 429  # even the right password, and case does not dodge it
        assert right.json()["error"]["message"].endswith(".")
        assert int(right.headers["retry-after"]) > 0
        other = client.post("/auth/login", json={"email": AGENT2_EMAIL, "password": PASSWORD})
        assert other.status_code == 201  # the other accounts are not locked out


async def test_sign_out_kills_the_token_at_once_even_on_an_open_stream(
    server: ServerProcess, make_store: StoreFactory
) -> None:
    store = await make_store(server.url, email=AGENT2_EMAIL)
    token = store.backend.token  # type: ignore[attr-defined]
    assert token
    signed_out: list[str] = []
    store.signedOut.connect(signed_out.append)
    other_session = await signed_in(server.url, AGENT2_EMAIL)  # another device, same agent
    try:
        async with httpx.AsyncClient() as client:
            r = await client.post(f"{server.api}/auth/logout", headers=auth_headers(token))
            assert r.status_code == 200
            await wait_for_condition(lambda: bool(signed_out), 5)
            assert store.connection.state == "signed_out"
            r = await client.get(f"{server.api}/me", headers=auth_headers(token))
            assert r.status_code == 401
        with pytest.raises(AuthError):
            await store.backend.me()
        queued = await store.send(seed.T_WAITING, "Envoyé après la déconnexion")
        await asyncio.sleep(0.3)
        assert [row.client_id for row in store.outbox()] == [queued.client_id]  # kept, unsent
        assert (await other_session.me()).email == AGENT2_EMAIL  # only that token was revoked
    finally:
        await other_session.aclose()
