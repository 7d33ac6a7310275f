"""Threads and messages: the prioritized list, filters, cursors, paging, sending (idempotent,
validated, reply-window rules), assignment, status and read marks."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx

from agent_desktop.server import testseed as seed
from tests.helpers.server_fixtures import ServerProcess, auth_headers
from tests.integration.server.conftest import Api, customer_writes, new_thread


def iso(dt: datetime) -> str:
    return dt.isoformat()


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def send(api: Api, thread_id: str, text: str, kind: str = "reply", **kw: object) -> httpx.Response:
    body = {"client_id": uuid.uuid4().hex, "text": text, "kind": kind, **kw}
    return api.post(f"/threads/{thread_id}/messages", body)


# --- the list ---------------------------------------------------------------------------------


def test_list_is_sorted_most_urgent_first(agent: Api) -> None:
    items = agent.get("/threads", limit=200).json()["items"]
    waiting = [t for t in items if t["waiting_since"] and t["status"] in ("open", "pending")]
    rest = items[len(waiting) :]
    assert [t["id"] for t in items[: len(waiting)]] == [t["id"] for t in waiting]
    stamps = [parse(t["waiting_since"]) for t in waiting]
    assert stamps == sorted(stamps)
    updated = [parse(t["updated_at"]) for t in rest]
    assert updated == sorted(updated, reverse=True)
    ids = [t["id"] for t in items]
    # Sofia waits since two days, Camille since two minutes.
    assert ids.index(seed.T_HUMAN_AGENT) < ids.index(seed.T_WAITING)
    assert seed.T_ANSWERED in [t["id"] for t in rest]


def test_thread_shape(agent: Api) -> None:
    t = agent.get(f"/threads/{seed.T_WAITING}").json()
    assert t["customer"]["name"] == "Camille Martin"
    assert t["status"] == "open" and t["assignee_id"] is None
    assert t["channel"] == "messenger"
    assert t["reply_window"]["state"] == "standard"
    assert parse(t["reply_window"]["closes_at"]) > datetime.now(UTC) + timedelta(hours=23)
    assert t["unread"] == 1
    assert t["last_message"]["text"] == "Bonjour, où en est ma commande #1042 ?"
    assert "server_time" in t
    web = agent.get(f"/threads/{seed.T_WEB}").json()
    assert web["reply_window"]["state"] == "none"
    assert web["waiting_since"] is None


def test_filters(agent: Api, agent2: Api) -> None:
    def ids(**params: object) -> set[str]:
        r = agent.get("/threads", limit=200, **params)
        assert r.status_code == 200, r.text
        return {t["id"] for t in r.json()["items"]}

    assert ids(status="spam") == {seed.T_SPAM}
    assert seed.T_CLOSED in ids(status="resolved")
    assert ids(status="resolved,spam") >= {seed.T_SPAM, seed.T_CLOSED}
    mine = ids(assignee="me")
    assert seed.T_ANSWERED in mine and seed.T_HUMAN_AGENT not in mine
    assert seed.T_WAITING in ids(assignee="unassigned")
    assert seed.T_ANSWERED not in ids(assignee="unassigned")
    assert ids(assignee=seed.AGENT2) >= {seed.T_HUMAN_AGENT}
    assert seed.T_WAITING in ids(q="camille")  # customer name, any case
    assert ids(q="#2001") == {seed.T_ANSWERED}  # order number
    assert ids(q="ship to italy") == {seed.T_HUMAN_AGENT}  # message text
    assert ids(q="100%_sure") == set()  # LIKE wildcards are literal
    assert agent.get("/threads", status="archived").status_code == 422


def test_cursor_pages_cover_everything_once(agent: Api) -> None:
    full = [t["id"] for t in agent.get("/threads", limit=200).json()["items"]]
    seen: list[str] = []
    cursor = None
    for _ in range(50):
        params: dict[str, object] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        body = agent.get("/threads", **params).json()
        seen.extend(t["id"] for t in body["items"])
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == full


def test_bad_cursor_and_limit_are_422(agent: Api) -> None:
    for cursor in ("garbage", "eyJnIjoyfQ", "!!!"):
        r = agent.get("/threads", cursor=cursor)
        assert r.status_code == 422
        assert r.json()["error"]["code"] == "invalid_cursor"
    assert agent.get("/threads", limit=0).status_code == 422
    assert agent.get("/threads", limit=1000).status_code == 422
    assert agent.get("/threads", limit="ten").status_code == 422


def test_unknown_thread_is_404(agent: Api) -> None:
    for path in ("/threads/t_nope", "/threads/t_nope/messages"):
        r = agent.get(path)
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "not_found"
    assert send(agent, "t_nope", "hi").status_code == 404


# --- messages ---------------------------------------------------------------------------------


def test_message_pages_newest_first(agent: Api) -> None:
    first = agent.get(f"/threads/{seed.T_WEB}/messages", limit=10).json()
    assert len(first["items"]) == 10 and first["has_more"] is True
    texts = [m["text"] for m in first["items"]]
    assert texts[0] == "Message 26 about the return label"
    seen = list(first["items"])
    while True:
        page = agent.get(f"/threads/{seed.T_WEB}/messages", limit=10, before=seen[-1]["id"]).json()
        seen.extend(page["items"])
        if not page["has_more"]:
            break
    assert len(seen) == 26 and len({m["id"] for m in seen}) == 26
    stamps = [parse(m["created_at"]) for m in seen]
    assert stamps == sorted(stamps, reverse=True)
    r = agent.get(f"/threads/{seed.T_WEB}/messages", before="m_unknown")
    assert r.status_code == 422


def test_send_reply_and_note(agent: Api) -> None:
    thread = new_thread(agent.server, "Is the blue mug in stock?")
    assert thread["waiting_since"] is not None and thread["unread"] == 1
    note = send(agent, thread["id"], "Ask the warehouse", kind="note")
    assert note.status_code == 201
    assert note.json()["kind"] == "note"
    after_note = agent.get(f"/threads/{thread['id']}").json()
    assert after_note["waiting_since"] == thread["waiting_since"]  # notes do not stop the clock
    r = send(agent, thread["id"], "Yes it is!")
    assert r.status_code == 201
    msg = r.json()
    assert msg["author"]["kind"] == "agent" and msg["kind"] == "text" and msg["tag"] is None
    assert msg["thread_id"] == thread["id"] and "server_time" in msg
    t = agent.get(f"/threads/{thread['id']}").json()
    assert t["waiting_since"] is None and t["unread"] == 0
    assert t["last_message"]["id"] == msg["id"]


def test_send_is_idempotent_on_client_id(agent: Api) -> None:
    thread = new_thread(agent.server)
    body = {"client_id": "same-id", "text": "Once only", "kind": "reply"}
    first = agent.post(f"/threads/{thread['id']}/messages", body)
    again = agent.post(f"/threads/{thread['id']}/messages", {**body, "text": "changed"})
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and again.json()["text"] == "Once only"
    items = agent.get(f"/threads/{thread['id']}/messages").json()["items"]
    assert [m["text"] for m in items].count("Once only") == 1


async def test_twenty_concurrent_identical_sends_store_one_message(
    shared: ServerProcess, tokens: dict[str, str]
) -> None:
    thread = new_thread(shared)
    body = {"client_id": uuid.uuid4().hex, "text": "Concurrent hello", "kind": "reply"}
    async with httpx.AsyncClient(
        base_url=shared.api, headers=auth_headers(tokens["agent"]), timeout=30
    ) as client:
        results = await asyncio.gather(
            *(client.post(f"/threads/{thread['id']}/messages", json=body) for _ in range(20))
        )
        statuses = sorted(r.status_code for r in results)
        assert statuses == [200] * 19 + [201]
        assert len({r.json()["id"] for r in results}) == 1
        page = (await client.get(f"/threads/{thread['id']}/messages")).json()
    assert [m["text"] for m in page["items"]].count("Concurrent hello") == 1


def test_text_validation(agent: Api) -> None:
    thread = new_thread(agent.server)
    for text, code in (("", "empty_text"), ("   \n ", "empty_text"), ("x" * 2001, "text_too_long")):
        r = send(agent, thread["id"], text)
        assert r.status_code == 422, r.text
        assert r.json()["error"]["code"] == code
    assert send(agent, thread["id"], "é" * 2000).status_code == 201
    assert send(agent, thread["id"], "hi", kind="shout").status_code == 422
    r = agent.post(f"/threads/{thread['id']}/messages", {"text": "no client id"})
    assert r.status_code == 422
    items = agent.get(f"/threads/{thread['id']}/messages").json()["items"]
    assert len(items) == 2  # the customer's and the 2,000-character reply: no partial writes


def test_closed_window_is_409_but_notes_are_allowed(agent: Api) -> None:
    t = agent.get(f"/threads/{seed.T_CLOSED}").json()
    assert t["reply_window"]["state"] == "closed"
    r = send(agent, seed.T_CLOSED, "Sorry for the delay")
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "window_closed"
    assert "7 days" in r.json()["error"]["message"]
    assert send(agent, seed.T_CLOSED, "Customer happy", kind="note").status_code == 201


def test_human_agent_window_tags_the_reply(agent2: Api, lead: Api) -> None:
    thread = new_thread(
        agent2.server, "Hello?", created_at=iso(datetime.now(UTC) - timedelta(days=3))
    )
    assert thread["reply_window"]["state"] == "human_agent"
    r = send(agent2, thread["id"], "Sorry, here is the answer")
    assert r.status_code == 201 and r.json()["tag"] == "HUMAN_AGENT"
    assert send(agent2, thread["id"], "tagged", tag="NOT_A_TAG").status_code == 422
    # A lead removes HUMAN_AGENT from the allowed tags: replies after 24 h are refused.
    settings = lead.get("/settings").json()
    try:
        assert lead.put("/settings", {**settings, "allowed_tags": []}).status_code == 200
        r = send(agent2, thread["id"], "Still there?")
        assert r.status_code == 409 and "HUMAN_AGENT" in r.json()["error"]["message"]
    finally:
        lead.put("/settings", settings)


def test_customer_message_reopens_resolved_thread(agent: Api) -> None:
    thread = new_thread(agent.server, "Hi")
    send(agent, thread["id"], "Done!")
    r = agent.post(f"/threads/{thread['id']}/status", {"status": "resolved"})
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    result = customer_writes(agent.server, thread["id"], "One more question")
    assert result["thread"]["status"] == "open"
    assert result["thread"]["waiting_since"] == result["message"]["created_at"]


def test_waiting_since_is_the_oldest_unanswered_message(agent: Api) -> None:
    now = datetime.now(UTC)
    thread = new_thread(agent.server, "first", created_at=iso(now - timedelta(minutes=10)))
    customer_writes(
        agent.server, thread["id"], "second", created_at=iso(now - timedelta(minutes=5))
    )
    t = agent.get(f"/threads/{thread['id']}").json()
    assert parse(t["waiting_since"]) == now - timedelta(minutes=10)
    assert t["unread"] == 2


# --- triage ---------------------------------------------------------------------------------------


def test_assignment_rules(agent: Api, agent2: Api, lead: Api) -> None:
    thread = new_thread(agent.server)
    path = f"/threads/{thread['id']}/assignment"
    me = agent.get("/me").json()["id"]
    other = agent2.get("/me").json()["id"]
    r = agent.post(path, {"agent_id": me})
    assert r.status_code == 200 and r.json()["assignee_id"] == me
    assert agent.post(path, {"agent_id": other}).status_code == 403
    assert agent2.post(path, {"agent_id": None}).status_code == 403  # a colleague's thread
    r = lead.post(path, {"agent_id": other})
    assert r.status_code == 200 and r.json()["assignee_id"] == other
    assert lead.post(path, {"agent_id": "a_nobody"}).status_code == 422
    assert lead.post(path, {}).status_code == 422
    r = agent2.post(path, {"agent_id": None})
    assert r.status_code == 200 and r.json()["assignee_id"] is None
    assert agent.post("/threads/t_nope/assignment", {"agent_id": None}).status_code == 404


def test_status_changes(agent: Api) -> None:
    thread = new_thread(agent.server)
    path = f"/threads/{thread['id']}/status"
    for status in ("pending", "spam", "resolved", "open"):
        r = agent.post(path, {"status": status})
        assert r.status_code == 200 and r.json()["status"] == status
    assert agent.post(path, {"status": "closed"}).status_code == 422
    assert agent.post(path, {"status": 3}).status_code == 422


def test_read_sets_unread_up_to_a_message(agent: Api) -> None:
    thread = new_thread(agent.server, "one")
    second = customer_writes(agent.server, thread["id"], "two")["message"]
    customer_writes(agent.server, thread["id"], "three")
    assert agent.get(f"/threads/{thread['id']}").json()["unread"] == 3
    r = agent.post(f"/threads/{thread['id']}/read", {"message_id": second["id"]})
    assert r.status_code == 200 and r.json()["unread"] == 1
    last = agent.get(f"/threads/{thread['id']}").json()["last_message"]["id"]
    assert agent.post(f"/threads/{thread['id']}/read", {"message_id": last}).json()["unread"] == 0
    r = agent.post(f"/threads/{thread['id']}/read", {"message_id": "m_other"})
    assert r.status_code == 422
