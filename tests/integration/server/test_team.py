"""Customers and orders, templates and their role rules, metrics, team settings, media and the
simulation endpoint."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from agent_desktop.server import testseed as seed
from tests.helpers.server_fixtures import ServerProcess
from tests.integration.server.conftest import Api, new_thread

# --- customers and orders ----------------------------------------------------------------------


def test_customer_with_lifetime_value(agent: Api) -> None:
    body = agent.get("/customers/c_camille").json()
    orders = agent.get("/customers/c_camille/orders").json()["items"]
    assert body["name"] == "Camille Martin" and body["locale"] == "fr"
    assert body["consent"] == {"order_updates": True}
    assert body["order_count"] == 2
    assert body["lifetime_value"] == sum(o["total"] for o in orders)
    assert "server_time" in body and body["customer_since"].endswith(("Z", "+00:00"))


def test_orders_newest_first_with_shipment(agent: Api) -> None:
    orders = agent.get("/customers/c_camille/orders").json()["items"]
    assert [o["number"] for o in orders] == ["#1042", "#1041"]
    latest = orders[0]
    assert latest["items"][0]["image_url"] == f"/media/{seed.PRODUCT_IMAGE}"
    assert latest["total"] == latest["subtotal"] + latest["shipping"] + latest["tax"]
    assert latest["currency"] == "EUR" and latest["payment"]["status"] == "paid"
    assert latest["shipment"]["carrier"] == "Colissimo"
    assert [e["status"] for e in latest["shipment"]["events"]] == ["shipped", "in_transit"]
    assert agent.get("/customers/c_jonas/orders").json()["items"][0]["shipment"] is None


def test_unknown_customer_is_404(agent: Api) -> None:
    assert agent.get("/customers/c_nobody").status_code == 404
    assert agent.get("/customers/c_nobody/orders").status_code == 404


# --- templates ----------------------------------------------------------------------------------


def template_ids(api: Api) -> set[str]:
    return {t["id"] for t in api.get("/templates").json()["items"]}


def test_templates_visibility(agent: Api, agent2: Api, lead: Api) -> None:
    assert {"tp_merci", "tp_tracking", "tp_sig"} <= template_ids(agent)
    assert "tp_bye" not in template_ids(agent)
    assert "tp_sig" not in template_ids(lead)
    assert "tp_bye" in template_ids(agent2)


def test_team_templates_are_lead_only(agent: Api, lead: Api) -> None:
    body = {
        "shortcut": "hello",
        "title": "Hello",
        "body": "Hi {{customer.first_name}}",
        "scope": "team",
    }
    r = agent.post("/templates", body)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert agent.put("/templates/tp_merci", {"title": "Mine now"}).status_code == 403
    assert agent.delete("/templates/tp_tracking").status_code == 403
    r = lead.post("/templates", body)
    assert r.status_code == 201
    created = r.json()
    assert created["scope"] == "team" and created["owner_id"] == seed.LEAD
    assert created["id"] in template_ids(agent)
    r = lead.put(f"/templates/{created['id']}", {"title": "Hello again"})
    assert r.status_code == 200 and r.json()["title"] == "Hello again"
    assert lead.delete(f"/templates/{created['id']}").status_code == 200
    assert created["id"] not in template_ids(agent)
    assert lead.delete(f"/templates/{created['id']}").status_code == 404


def test_personal_templates_belong_to_their_owner(agent: Api, agent2: Api) -> None:
    r = agent.post(
        "/templates", {"shortcut": "thx", "title": "Thanks", "body": "Thanks!", "language": "en"}
    )
    assert r.status_code == 201
    tid = r.json()["id"]
    assert r.json()["scope"] == "personal"
    assert tid not in template_ids(agent2)
    assert agent2.put(f"/templates/{tid}", {"body": "hijack"}).status_code == 404
    assert agent2.delete(f"/templates/{tid}").status_code == 404
    assert agent.put(f"/templates/{tid}", {"scope": "team"}).status_code == 403
    r = agent.put(f"/templates/{tid}", {"body": "Thank you!", "shortcut": "/ty"})
    assert (
        r.status_code == 200 and r.json()["body"] == "Thank you!" and r.json()["shortcut"] == "ty"
    )
    assert agent.delete(f"/templates/{tid}").status_code == 200
    assert tid not in template_ids(agent)


def test_template_validation(agent: Api) -> None:
    good = {"shortcut": "ok", "title": "Ok", "body": "Ok"}
    for bad in (
        {**good, "shortcut": "two words"},
        {**good, "body": ""},
        {**good, "scope": "everyone"},
        {"title": "no shortcut", "body": "x"},
        {**good, "body": "x" * 2001},
    ):
        r = agent.post("/templates", bad)
        assert r.status_code == 422, bad
    assert agent.put("/templates/tp_nope", {"title": "x"}).status_code == 404


def test_team_templates_carry_the_intent_they_answer(agent: Api, lead: Api) -> None:
    body = {
        "shortcut": "where2",
        "title": "Where is it",
        "body": "{{order.number}} is with {{order.carrier}}: {{order.tracking_url}}",
        "language": "fr",
        "scope": "team",
        "intent": "where_is_order",
    }
    r = lead.post("/templates", body)
    assert r.status_code == 201, r.text
    tid = r.json()["id"]
    try:
        assert r.json()["intent"] == "where_is_order"
        seen = {t["id"]: t for t in agent.get("/templates").json()["items"]}
        assert seen[tid]["intent"] == "where_is_order"
        # Left out: unchanged; null: cleared; another known intent: changed.
        assert lead.put(f"/templates/{tid}", {"title": "Où"}).json()["intent"] == "where_is_order"
        r = lead.put(f"/templates/{tid}", {"intent": "late_delivery"})
        assert r.json()["intent"] == "late_delivery"
        r = lead.put(f"/templates/{tid}", {"intent": None})
        assert r.status_code == 200 and r.json()["intent"] is None
        r = lead.put(f"/templates/{tid}", {"intent": "weather"})
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_intent"
        # Made personal, it answers nothing for the team.
        lead.put(f"/templates/{tid}", {"intent": "cancel"})
        r = lead.put(f"/templates/{tid}", {"scope": "personal"})
        assert r.json()["intent"] is None
    finally:
        lead.delete(f"/templates/{tid}")
    r = agent.post("/templates", {**body, "scope": "personal"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "intent_needs_team"


def test_unknown_variables_are_refused_with_a_sentence(agent: Api) -> None:
    r = agent.post(
        "/templates", {"shortcut": "typo", "title": "Typo", "body": "Via {{order.carier}}"}
    )
    assert r.status_code == 422
    assert r.json()["error"] == {
        "code": "unknown_variable",
        "message": "{{order.carier}} is not a variable a template can use.",
    }
    r = agent.put("/templates/tp_sig", {"body": "{{agent.nickname}}"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_variable"
    every = " ".join(
        "{{%s}}" % v  # noqa: UP031
        for v in ("order.carrier", "order.items", "order.eta", "return.instructions")
    )
    r = agent.post("/templates", {"shortcut": "all", "title": "All", "body": every})
    assert r.status_code == 201, r.text
    agent.delete(f"/templates/{r.json()['id']}")


# --- metrics ------------------------------------------------------------------------------------


def test_metrics_roles_and_figures(agent: Api, agent2: Api, lead: Api) -> None:
    start = datetime.now(UTC) - timedelta(minutes=2)
    params = {"since": (start - timedelta(seconds=1)).isoformat()}
    before = lead.get("/metrics", **params).json()["agents"][seed.LEAD]
    thread = new_thread(lead.server, "Where is my parcel?", created_at=start.isoformat())
    r = lead.post(
        f"/threads/{thread['id']}/messages",
        {"client_id": uuid.uuid4().hex, "text": "It arrives tomorrow.", "kind": "reply"},
    )
    assert r.status_code == 201
    report = lead.get("/metrics", **params).json()
    assert set(report["agents"]) == {seed.AGENT, seed.AGENT2, seed.LEAD}
    mine = report["agents"][seed.LEAD]
    assert mine["responded"] == before["responded"] + 1
    assert mine["replies"] == before["replies"] + 1
    assert mine["median_response_seconds"] is not None
    assert report["team"]["counted"] >= 1 and report["target_seconds"] == 300
    assert "server_time" in report
    as_agent = agent.get("/metrics", **params).json()
    assert set(as_agent["agents"]) == {seed.AGENT}
    assert as_agent["team"] == report["team"]
    assert agent.get("/metrics", agent_id=seed.AGENT2).status_code == 403
    assert set(agent.get("/metrics", agent_id=seed.AGENT).json()["agents"]) == {seed.AGENT}
    assert set(lead.get("/metrics", agent_id=seed.AGENT2).json()["agents"]) == {seed.AGENT2}
    assert lead.get("/metrics", agent_id="a_nobody").status_code == 404


def test_metrics_validation(agent: Api) -> None:
    now = datetime.now(UTC)
    r = agent.get("/metrics", since=now.isoformat(), until=(now - timedelta(days=1)).isoformat())
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_range"
    assert agent.get("/metrics", since="yesterday").status_code == 422
    default = agent.get("/metrics").json()
    span = datetime.fromisoformat(default["until"]) - datetime.fromisoformat(default["since"])
    assert span == timedelta(days=7)


# --- settings -----------------------------------------------------------------------------------


def test_settings_read_by_all_changed_by_leads(agent: Api, lead: Api) -> None:
    settings = agent.get("/settings").json()
    assert settings["target_seconds"] == 300 and "HUMAN_AGENT" in settings["allowed_tags"]
    changed = {**settings, "target_seconds": 240}
    changed.pop("server_time")
    r = agent.put("/settings", changed)
    assert r.status_code == 403
    away = {"start": "2026-01-01T18:00:00", "end": "2026-01-02T08:00:00+01:00"}  # naive = UTC
    try:
        r = lead.put("/settings", {**changed, "away": [away], "allowed_tags": ["human_agent"]})
        assert r.status_code == 200, r.text
        assert r.json()["target_seconds"] == 240 and r.json()["allowed_tags"] == ["HUMAN_AGENT"]
        stored = agent.get("/settings").json()["away"][0]
        assert stored == {"start": "2026-01-01T18:00:00Z", "end": "2026-01-02T07:00:00Z"}
        assert agent.get("/metrics").json()["target_seconds"] == 240
        text = {
            "fr": "  Renvoyez le colis avec l'étiquette jointe.  ",
            "EN": "Use the label.",
            "de": "",
        }
        r = lead.put("/settings", {**changed, "return_instructions": text})
        assert r.status_code == 200, r.text
        assert agent.get("/settings").json()["return_instructions"] == {
            "fr": "Renvoyez le colis avec l'étiquette jointe.",
            "en": "Use the label.",
        }
    finally:
        settings.pop("server_time")
        assert lead.put("/settings", settings).status_code == 200


def test_settings_validation(lead: Api) -> None:
    base = lead.get("/settings").json()
    base.pop("server_time")
    for bad in (
        {**base, "target_seconds": 0},
        {**base, "window_days": 0},
        {**base, "target_seconds": "fast"},
        {**base, "away": [{"start": "2026-01-02T00:00:00Z", "end": "2026-01-01T00:00:00Z"}]},
        {**base, "allowed_tags": ["NOT A TAG"]},
        {**base, "return_instructions": {"français!": "x"}},
        {**base, "return_instructions": {"fr": "x" * 2001}},
    ):
        assert lead.put("/settings", bad).status_code == 422, bad
    assert lead.get("/settings").json()["target_seconds"] == base["target_seconds"]


# --- media --------------------------------------------------------------------------------------


def test_media_is_served_with_type_and_cache_headers(shared: ServerProcess) -> None:
    r = httpx.get(f"{shared.url}/media/{seed.PRODUCT_IMAGE}")
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/png"
    assert "max-age" in r.headers["cache-control"]
    assert r.content.startswith(b"\x89PNG")
    again = httpx.get(
        f"{shared.url}/media/{seed.PRODUCT_IMAGE}", headers={"If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304


def test_media_refuses_paths_outside_the_folder(shared: ServerProcess) -> None:
    (shared.workdir / "secret.txt").write_text("not for you")
    for path in (
        "/media/../secret.txt",
        "/media/%2e%2e/secret.txt",
        "/media/..%2fsecret.txt",
        "/media/products/%2e%2e/%2e%2e/secret.txt",
        "/media/products/missing.png",
        "/media/",
        "/media/products",
        f"/media/{shared.workdir / 'secret.txt'}",
    ):
        with httpx.Client() as client:
            request = client.build_request("GET", shared.url)
            request.url = request.url.copy_with(raw_path=path.encode())
            r = client.send(request)
        assert r.status_code == 404, path
        assert b"not for you" not in r.content


# --- simulation ---------------------------------------------------------------------------------


def test_simulation_rules(shared: ServerProcess) -> None:
    url = f"{shared.api}/simulate/customer-message"
    assert httpx.post(url, json={"text": "hi"}).status_code == 422
    both = {"text": "hi", "thread_id": seed.T_WAITING, "customer_name": "X"}
    assert httpx.post(url, json=both).status_code == 422
    assert httpx.post(url, json={"text": "hi", "thread_id": "t_nope"}).status_code == 404
    assert httpx.post(url, json={"text": " ", "customer_name": "X"}).status_code == 422
    r = httpx.post(url, json={"text": "Hallo", "customer_name": "Greta", "channel": "web"})
    assert r.status_code == 201
    body: dict[str, Any] = r.json()
    assert body["thread"]["channel"] == "web" and body["message"]["author"]["kind"] == "customer"


def test_simulation_is_off_without_the_flags(server_factory: Any) -> None:
    plain: ServerProcess = server_factory(seed_test=False, in_process=True)
    r = httpx.post(
        f"{plain.api}/simulate/customer-message", json={"customer_name": "X", "text": "hi"}
    )
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    # With --allow-simulation, the same server database accepts it.
    plain.stop()
    plain.args = ["--allow-simulation"]
    plain.start()
    r = httpx.post(
        f"{plain.api}/simulate/customer-message", json={"customer_name": "X", "text": "hi"}
    )
    assert r.status_code == 201
