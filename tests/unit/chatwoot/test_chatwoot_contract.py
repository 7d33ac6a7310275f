"""Contract tests: every request the Chatwoot connector makes is checked against Chatwoot's
OpenAPI file (method and path template, path and required parameters, request body schema),
with the drift FINDINGS.md documents allowed explicitly and nothing else."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import jsonschema
import pytest

from agent_desktop.backends.base import ServerError, StreamState
from agent_desktop.backends.chatwoot import ChatwootBackend, MfaRequired
from tests.helpers.chatwoot_server import FakeChatwoot, running, seed

# A copy of Chatwoot's v4.10 swagger and the project's notes on its drift (FINDINGS.md), kept in
# the repository so the contract is checked on every clean clone (see tests/fixtures/chatwoot).
REFERENCE = Path(__file__).parents[2] / "fixtures" / "chatwoot"
SWAGGER = REFERENCE / "swagger" / "swagger.json"

SPEC: dict[str, Any] = json.loads(SWAGGER.read_text(encoding="utf-8"))

CONV = "/api/v1/accounts/{account_id}/conversations/{conversation_id}"
# Endpoints the server has and the swagger lacks (FINDINGS.md §9 "Gaps"), with the body each
# takes as the notes describe it.
UNDOCUMENTED: dict[tuple[str, str], tuple[str, dict[str, Any] | None]] = {
    ("post", "/auth/sign_in"): (
        "FINDINGS.md §1: sign-in, and its MFA step on the same endpoint",
        {
            "oneOf": [
                {"type": "object", "required": ["email", "password"]},
                {"type": "object", "required": ["mfa_token", "otp_code"]},
                {"type": "object", "required": ["mfa_token", "backup_code"]},
            ]
        },
    ),
    ("delete", "/auth/sign_out"): ("FINDINGS.md §1: devise_token_auth session end", None),
    ("post", "/api/v1/profile/availability"): (
        "FINDINGS.md §1: POST /api/v1/profile/availability",
        {
            "type": "object",
            "required": ["profile"],
            "properties": {
                "profile": {
                    "type": "object",
                    "required": ["account_id", "availability"],
                    "properties": {"availability": {"enum": ["online", "busy", "offline"]}},
                }
            },
        },
    ),
    ("post", CONV + "/update_last_seen"): ("FINDINGS.md §2 mark read, §9 gaps", None),
    ("post", CONV + "/toggle_typing_status"): (
        "FINDINGS.md §2 typing, §9 gaps",
        {
            "type": "object",
            "required": ["typing_status"],
            "properties": {
                "typing_status": {"enum": ["on", "off"]},
                "is_private": {"type": "boolean"},
            },
        },
    ),
    ("get", "/api/v1/accounts/{account_id}/integrations/shopify/orders"): (
        "FINDINGS.md §8 Shopify orders, §9 gaps",
        None,
    ),
    ("get", "/api/v2/accounts/{account_id}/summary_reports/agent"): (
        "FINDINGS.md §5 per-agent JSON, §9 gaps (v2 summary_reports/agent)",
        None,
    ),
}
# Query parameters the server takes and the swagger does not list.
QUERY_DRIFT: dict[tuple[str, str], dict[str, str]] = {
    ("get", CONV + "/messages"): {
        "before": "FINDINGS.md §2/§9: messages `before`",
        "after": "FINDINGS.md §2/§9: messages `after`",
    },
    ("get", "/api/v1/accounts/{account_id}/conversations"): {
        "updated_within": "FINDINGS.md §2: `updated_within` (seconds, no pagination)",
    },
    ("get", "/api/v1/accounts/{account_id}/integrations/shopify/orders"): {
        "contact_id": "FINDINGS.md §8: `contact_id`",
    },
    ("get", "/api/v2/accounts/{account_id}/summary_reports/agent"): {
        "since": "FINDINGS.md §5",
        "until": "FINDINGS.md §5",
    },
}
# Body fields whose documented type is narrower than the server's behaviour.
BODY_DRIFT: dict[tuple[str, str], dict[str, str]] = {
    ("post", CONV + "/assignments"): {
        "assignee_id": 'FINDINGS.md §2: `{"assignee_id": null}` unassigns (swagger: number)',
    },
    ("post", CONV + "/messages"): {
        "echo_id": "FINDINGS.md §2/§9: `echo_id` is echoed back, not in the swagger",
    },
}


def resolve(node: Any, depth: int = 0) -> Any:
    """The schema with local `$ref`s inlined and OpenAPI 3.0 `nullable` made JSON Schema."""
    if depth > 30:
        return node
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = SPEC
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return resolve(target, depth + 1)
        out = {k: resolve(v, depth + 1) for k, v in node.items()}
        if out.pop("nullable", False) and "type" in out:
            out["type"] = [out["type"], "null"]
        return out
    if isinstance(node, list):
        return [resolve(v, depth + 1) for v in node]
    return node


def match_template(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    """The swagger path template for `path` (literal segments preferred), and its parameters."""
    candidates: list[tuple[int, str, dict[str, str]]] = []
    templates = [*SPEC["paths"], *(t for (_, t) in UNDOCUMENTED)]
    for template in templates:
        pattern = re.sub(
            r"\{(\w+)\}",
            r"(?P<\1>[^/]+)",
            re.escape(template).replace(r"\{", "{").replace(r"\}", "}"),
        )
        found = re.fullmatch(pattern, path)
        if found is None:
            continue
        documented = method in SPEC["paths"].get(template, {})
        if documented or (method, template) in UNDOCUMENTED:
            candidates.append((len(found.groupdict()), template, found.groupdict()))
    if not candidates:
        return None
    candidates.sort()
    return candidates[0][1], candidates[0][2]


def check_request(method: str, url: str, body: bytes, headers: dict[str, str]) -> list[str]:
    """Problems with one request against the swagger (empty when it conforms)."""
    method = method.lower()
    parts = urlsplit(url)
    found = match_template(method, parts.path)
    if found is None:
        return [f"{method.upper()} {parts.path}: no such operation in the swagger"]
    template, path_values = found
    key = (method, template)
    problems: list[str] = []
    payload = json.loads(body) if body else None
    if key in UNDOCUMENTED:
        schema = UNDOCUMENTED[key][1]
        if schema is not None and payload is not None:
            try:
                jsonschema.validate(payload, schema)
            except jsonschema.ValidationError as exc:
                problems.append(f"{key}: body {exc.message}")
        return problems
    path_item = SPEC["paths"][template]
    op = path_item[method]
    params = [resolve(p) for p in (*path_item.get("parameters", []), *op.get("parameters", []))]
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = {name.removesuffix("[]") for name, _ in query}
    declared = {p["name"] for p in params if p["in"] == "query"}
    for p in params:
        if p["in"] == "path":
            value = path_values.get(p["name"])
            kind = p.get("schema", {}).get("type")
            if value is None or (kind in {"integer", "number"} and not value.isdigit()):
                problems.append(f"{key}: path parameter {p['name']}={value!r}")
        elif p["in"] == "query" and p.get("required") and p["name"] not in names:
            problems.append(f"{key}: required query parameter {p['name']} missing")
        elif p["in"] == "query" and p["name"] in names:
            allowed = p.get("schema", {}).get("enum")
            for name, value in query:
                if name.removesuffix("[]") == p["name"] and allowed and value not in allowed:
                    problems.append(f"{key}: {name}={value!r} not in {allowed}")
    extra = names - declared - set(QUERY_DRIFT.get(key, {}))
    if extra:
        problems.append(f"{key}: undocumented query parameters {sorted(extra)}")
    security = op.get("security", SPEC.get("security", []))
    if security and "api_access_token" not in headers:
        problems.append(f"{key}: no api_access_token header")
    request_body = op.get("requestBody")
    if request_body is not None and request_body.get("required") and payload is None:
        problems.append(f"{key}: request body missing")
    if request_body is not None and payload is not None:
        schema = resolve(request_body["content"]["application/json"]["schema"])
        drift = BODY_DRIFT.get(key, {})
        checked = (
            {k: v for k, v in payload.items() if k not in drift}
            if isinstance(payload, dict)
            else payload
        )
        try:
            jsonschema.validate(checked, schema)
        except jsonschema.ValidationError as exc:
            problems.append(f"{key}: body {exc.message}")
    return problems


@pytest.fixture
async def fake() -> AsyncIterator[FakeChatwoot]:
    server = FakeChatwoot(ping_interval=0.2)
    server.seeded = seed(server)  # type: ignore[attr-defined]
    async with running(server):
        yield server


async def exercise(fake: FakeChatwoot, captured: list[httpx.Request]) -> None:
    """Call every connector method that talks to Chatwoot."""
    seeded: dict[str, Any] = fake.seeded  # type: ignore[attr-defined]
    hooks = {"request": [lambda request: _capture(captured, request)]}
    fake.add_user("M F A", "mfa@shop.test", otp_code="999111")
    quick = {
        "stale_after": 1.0,
        "reconnect_base": 0.05,
        "reconnect_cap": 0.1,
        "presence_interval": 0.5,
    }
    agent = ChatwootBackend(fake.url, event_hooks=hooks, **quick)  # type: ignore[arg-type]
    admin = ChatwootBackend(
        fake.url, account_id=1, token=seeded["admin"].access_token, event_hooks=hooks
    )  # type: ignore[arg-type]
    mfa = ChatwootBackend(fake.url, event_hooks=hooks)  # type: ignore[arg-type]
    try:
        with pytest.raises(MfaRequired) as info:
            await mfa.login("mfa@shop.test", "secret-pass")
        await mfa.login_mfa(info.value.mfa_token, otp_code="999111")
        await mfa.logout()
        await agent.login("alice@shop.test", "secret-pass")
        await agent.accounts()
        await agent.me()
        await agent.set_presence("away")
        await agent.agents()
        c1, c3 = str(seeded["c1"].id), str(seeded["c3"].id)
        for status in (None, "open", "pending", "resolved", "spam"):
            await agent.threads(status=status)  # type: ignore[arg-type]
        for assignee in ("me", "unassigned", "any"):
            await agent.threads(assignee=assignee, q="commande", cursor="2")
        await agent.thread(c1)
        page = await agent.messages(c1)
        await agent.messages(c1, before=page.items[-1].id)
        await agent.send_message(c1, client_id="k1", text="Hi {{contact.name}}", kind="reply")
        await agent.send_message(c1, client_id="k2", text="note", kind="note")
        fake.fail_next_message_response = 1
        with pytest.raises(ServerError):
            await agent.send_message(c1, client_id="k3", text="lost", kind="reply")
        await agent.send_message(c1, client_id="k3", text="lost", kind="reply")
        await agent.assign(c1, str(seeded["agent"].id))
        await agent.assign(c1, None)
        for status in ("pending", "spam", "open", "resolved"):
            await agent.set_status(c3, status)  # type: ignore[arg-type]
        await agent.mark_read(c1, page.items[0].id)
        await agent.customer(str(seeded["jeanne"].id))
        await agent.orders(str(seeded["jeanne"].id))
        created = await agent.create_template({"shortcut": "t1", "body": "Hi {{customer.name}}"})
        await agent.update_template(created.id, {"shortcut": "t1", "body": "Bye"})
        await agent.templates()
        await agent.delete_template(created.id)
        await agent.send_ephemeral("typing", {"thread_id": c1, "typing": True})
        await agent.send_ephemeral("typing", {"thread_id": c1, "typing": False})
        await agent.metrics()
        await admin.metrics()
        # The stream: profile, then after a drop the catch-up fetches.
        await agent.send_ephemeral("viewing", {"thread_id": c1})
        stream = agent.stream(0)
        async with asyncio.timeout(10):
            async for item in stream:
                if isinstance(item, StreamState) and item.state == "live":
                    if fake.subscribed() and not getattr(exercise, "dropped", False):
                        exercise.dropped = True  # type: ignore[attr-defined]
                        await fake.drop_sockets()
                        continue
                    break
        await stream.aclose()  # type: ignore[attr-defined]
    finally:
        exercise.dropped = False  # type: ignore[attr-defined]
        for backend in (agent, admin, mfa):
            await backend.aclose()


async def _capture(captured: list[httpx.Request], request: httpx.Request) -> None:
    captured.append(request)


async def test_every_request_matches_the_swagger(fake: FakeChatwoot) -> None:
    captured: list[httpx.Request] = []
    await exercise(fake, captured)
    problems = [
        problem
        for request in captured
        for problem in check_request(
            request.method, str(request.url), request.content, dict(request.headers)
        )
    ]
    assert problems == []
    used = {match_template(r.method.lower(), r.url.path)[0] for r in captured}  # type: ignore[index]
    # The exercise reached every endpoint the connector uses, including the catch-up fetches.
    assert CONV + "/messages" in used and CONV + "/toggle_status" in used
    assert "/api/v2/accounts/{account_id}/reports/summary" in used
    assert any("updated_within" in str(r.url) for r in captured)
    assert any("after=" in str(r.url) for r in captured)
    assert {t for (_, t) in UNDOCUMENTED} <= used


def test_the_validator_rejects_what_the_swagger_forbids() -> None:
    base = "http://x/api/v1/accounts/1/conversations"
    auth = {"api_access_token": "t"}
    assert check_request("GET", base, b"", auth) == []
    assert check_request("GET", base + "?bogus=1", b"", auth)
    assert check_request("GET", base + "?status=snoozing", b"", auth)
    assert check_request("GET", base, b"", {})
    assert check_request("POST", base + "/7/toggle_status", b"{}", auth)
    assert check_request("POST", base + "/7/toggle_status", b'{"status":"spam"}', auth)
    assert check_request("POST", base + "/x/toggle_status", b'{"status":"open"}', auth)
    assert check_request("POST", base + "/7/messages", b'{"private":true}', auth)
    assert check_request("GET", "http://x/api/v1/nowhere", b"", auth)
    assert check_request("GET", "http://x/api/v2/accounts/1/reports/summary?since=1", b"", auth)
    assert check_request("POST", base + "/7/assignments", b'{"assignee_id":null}', auth) == []
    assert check_request("POST", base + "/7/assignments", b'{"team_id":"x"}', auth)


def test_every_drift_entry_cites_the_notes() -> None:
    notes = (REFERENCE / "FINDINGS.md").read_text(encoding="utf-8")
    reasons = [r for r, _ in UNDOCUMENTED.values()]
    reasons += [
        r for entry in (*QUERY_DRIFT.values(), *BODY_DRIFT.values()) for r in entry.values()
    ]
    for reason in reasons:
        assert reason.startswith("FINDINGS.md §"), reason
        for section in re.findall(r"§(\d+)", reason):
            assert f"## {section}." in notes, reason
