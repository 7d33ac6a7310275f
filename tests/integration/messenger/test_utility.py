"""Order updates outside the 24-hour window as utility messages, end to end against the fake Graph
API: a team lead browses Meta's library, clones a template, writes a Page-owned one in French and
English whose approval arrives by the message_template_status_update webhook; a shipping update 3
days after the customer's last message then goes as a utility message with the order's values and
never with a tag, and is refused with the reason (nothing sent) without consent, without an
approved template of its kind, or (test_permissions.py) without the permission. HUMAN_AGENT
appears only on a person's replies between 24 hours and 7 days.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.helpers.server_fixtures import LEAD_EMAIL, auth_headers, login
from tests.integration.messenger.conftest import Bridge, new_mid, text_item

CAMILLE = "psid-util-camille"
JONAS = "psid-util-jonas"


def _lead(bridge: Bridge) -> dict[str, str]:
    return auth_headers(login(bridge.server, LEAD_EMAIL))


def _ago(bridge: Bridge, thread_id: str, age: timedelta) -> None:
    at = (datetime.now(UTC) - age).replace(tzinfo=None)
    bridge.sql("UPDATE threads SET last_customer_message_at = ? WHERE id = ?", at, thread_id)


def _order_message(bridge: Bridge, thread_id: str, order_id: str, kind: str) -> httpx.Response:
    return httpx.post(
        f"{bridge.server.api}/threads/{thread_id}/order-messages",
        json={"client_id": new_mid(), "order_id": order_id, "kind": kind},
        headers=bridge.headers,
    )


def _templates(bridge: Bridge) -> list[dict[str, Any]]:
    r = httpx.get(f"{bridge.server.api}/messenger/templates", headers=bridge.headers)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


def _wait_status(bridge: Bridge, name: str, status: str, count: int = 1) -> list[dict[str, Any]]:
    import time

    deadline = time.monotonic() + 10
    found: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        found = [t for t in _templates(bridge) if t["name"] == name]
        if len(found) >= count and all(t["status"] == status for t in found):
            return found
        time.sleep(0.05)
    raise AssertionError(f"{name} did not become {status}: {found}")


@pytest.fixture(scope="module")
def threads(bridge: Bridge) -> dict[str, str]:
    """Camille (French, agreed to order updates) and Jonas (English, did not), each with a
    Messenger conversation (the one an earlier module linked, if any)."""
    found = {}
    for customer, psid in (("c_camille", CAMILLE), ("c_jonas", JONAS)):
        (current,) = bridge.sql("SELECT messenger_psid FROM customers WHERE id = ?", customer)
        if current[0] is None:
            bridge.sql("UPDATE customers SET messenger_psid = ? WHERE id = ?", psid, customer)
        psid = current[0] or psid
        bridge.deliver(text_item(psid, "hello", datetime.now(UTC)))
        found[customer] = bridge.thread_for(psid)
    return found


def _ensure_shipping_template(bridge: Bridge) -> None:
    """The French clone of Meta's shipment confirmation, approved (made here when this test runs
    alone)."""
    if any(t["name"] == "suivi_colis" for t in _templates(bridge)):
        return
    r = httpx.post(
        f"{bridge.server.api}/messenger/templates",
        json={
            "name": "suivi_colis",
            "purpose": "shipping_update",
            "library_template_name": "shipment_confirmation_2",
            "language": "fr",
        },
        headers=_lead(bridge),
    )
    assert r.status_code == 201, r.text


def test_a_lead_manages_the_pages_utility_templates(bridge: Bridge) -> None:
    lead = _lead(bridge)
    api = f"{bridge.server.api}/messenger"
    # Agents may not browse or change them.
    assert httpx.get(f"{api}/template-library", headers=bridge.headers).status_code == 403
    library = httpx.get(
        f"{api}/template-library", params={"search": "shipment"}, headers=lead
    ).json()["items"]
    fr = next(t for t in library if t["language"] == "fr")
    assert fr["name"] == "shipment_confirmation_2"
    # Each placeholder comes with a guess of the order value it holds.
    assert fr["fields"] == ["order_number", "carrier", "tracking_url", "eta"]
    (library_call,) = bridge.graph.calls("GET", "/message_template_library")[-1:]
    assert library_call["query"]["topic"] == "ORDER_MANAGEMENT"
    assert library_call["query"]["search"] == "shipment"

    # Clone it, in French and English: Meta wrote it, so it is approved at once.
    for language in ("fr", "en_US"):
        r = httpx.post(
            f"{api}/templates",
            json={
                "name": "suivi_colis",
                "purpose": "shipping_update",
                "library_template_name": "shipment_confirmation_2",
                "language": language,
            },
            headers=lead,
        )
        assert r.status_code == 201, r.text
        (made,) = r.json()["items"]
        assert made["status"] == "APPROVED" and made["source"] == "library"
    clone = bridge.graph.calls("POST", f"/{bridge.graph.page_id}/message_templates")[-1]["json"]
    assert clone == {
        "name": "suivi_colis",
        "language": "en_US",
        "category": "UTILITY",
        "library_template_name": "shipment_confirmation_2",
    }
    again = httpx.post(
        f"{api}/templates",
        json={
            "name": "suivi_colis",
            "purpose": "shipping_update",
            "library_template_name": "shipment_confirmation_2",
            "language": "fr",
        },
        headers=lead,
    )
    assert again.status_code == 409

    # A Page-owned receipt template written in French and English: pending, then approved by
    # Meta's webhook a moment later.
    r = httpx.post(
        f"{api}/templates",
        json={
            "name": "confirmation_commande",
            "purpose": "receipt",
            "bodies": {
                "fr": "Bonjour {customer_name}, merci pour votre commande {order_number} de "
                "{order_total}. Nous vous écrirons à son expédition.",
                "en": "Hello {customer_name}, thank you for your order {order_number} of "
                "{order_total}. We will write when it ships.",
            },
        },
        headers=lead,
    )
    assert r.status_code == 201, r.text
    assert [t["status"] for t in r.json()["items"]] == ["PENDING", "PENDING"]
    created = [
        c["json"]
        for c in bridge.graph.calls("POST", f"/{bridge.graph.page_id}/message_templates")
        if c["json"]["name"] == "confirmation_commande"
    ]
    assert created[0] == {
        "name": "confirmation_commande",
        "language": "fr",
        "category": "UTILITY",
        "components": [
            {
                "type": "BODY",
                "text": "Bonjour {{1}}, merci pour votre commande {{2}} de {{3}}. Nous vous "
                "écrirons à son expédition.",
                "example": {"body_text": [["Camille", "#1041", "€51.70"]]},
            }
        ],
    }
    approved = _wait_status(bridge, "confirmation_commande", "APPROVED", count=2)
    assert {t["language"] for t in approved} == {"fr", "en_US"}
    # Every lead's client heard of it live.
    changes = [
        json.loads(data)["template"]
        for (data,) in bridge.sql("SELECT data FROM events WHERE name = 'messenger.template'")
    ]
    statuses = {t["status"] for t in changes if t and t["name"] == "confirmation_commande"}
    assert {"PENDING", "APPROVED"} <= statuses

    # A template Meta rejects shows the rejection and its reason.
    bridge.graph.approve = "REJECTED"
    try:
        r = httpx.post(
            f"{api}/templates",
            json={
                "name": "promo_livraison",
                "purpose": "shipping_update",
                "bodies": {"en": "Order {order_number} shipped! Use code SAVE10 today."},
            },
            headers=lead,
        )
        assert r.status_code == 201, r.text
        (rejected,) = _wait_status(bridge, "promo_livraison", "REJECTED")
        assert rejected["reason"] == "INCORRECT_CATEGORY"
    finally:
        bridge.graph.approve = "APPROVED"

    # A body Meta would refuse is refused here first, with the reason.
    bad = httpx.post(
        f"{api}/templates",
        json={"name": "x_bad", "purpose": "receipt", "bodies": {"en": "{order_number} is here"}},
        headers=lead,
    )
    assert bad.status_code == 422 and "starts or ends" in bad.json()["error"]["message"]
    unknown = httpx.post(
        f"{api}/templates",
        json={"name": "x_bad", "purpose": "receipt", "bodies": {"en": "Order {discount} ok."}},
        headers=lead,
    )
    assert unknown.status_code == 422 and "{discount}" in unknown.json()["error"]["message"]


def test_a_shipping_update_3_days_later_is_a_utility_message(
    bridge: Bridge, threads: dict[str, str]
) -> None:
    _ensure_shipping_template(bridge)
    thread_id = threads["c_camille"]
    psid = bridge.sql("SELECT psid FROM messenger_threads WHERE thread_id = ?", thread_id)[0][0]
    _ago(bridge, thread_id, timedelta(days=3))
    facts = bridge.wait_facts(
        thread_id, lambda f: f["order_updates"]["shipping_update"]["via"] == "utility"
    )
    assert facts["order_updates"]["shipping_update"]["block"] is None
    before = len(bridge.graph.sends(psid))
    r = _order_message(bridge, thread_id, "o_1042", "shipping_update")
    assert r.status_code == 201, r.text
    message = r.json()
    assert message["kind"] == "order_event" and message["tag"] is None
    sent = bridge.graph.wait_sends(psid, before + 1)[-1]
    assert sent["messaging_type"] == "UTILITY"
    assert "tag" not in sent
    template = sent["message"]["template"]
    assert template["name"] == "suivi_colis"
    assert template["language"] == {"code": "fr"}  # Camille writes French
    (body,) = template["components"]
    values = [p["text"] for p in body["parameters"]]
    assert values[:3] == ["#1042", "Colissimo", "6A22222222222"]
    assert re.fullmatch(r"\d{1,2} \w+ 20\d\d", values[3])  # the ETA, written in French
    assert bridge.wait_outbound(message["id"])[0] == "sent"
    # The conversation keeps what the customer received, filled in.
    stored = bridge.wait_messages(thread_id, lambda m: m[-1]["id"] == message["id"])[-1]
    assert stored["text"].startswith("Bonne nouvelle : votre commande #1042 a été expédiée")
    assert stored["delivery"] == "sent"


def test_no_consent_or_no_approved_template_refuses_and_sends_nothing(
    bridge: Bridge, threads: dict[str, str]
) -> None:
    jonas_thread = threads["c_jonas"]
    jonas = bridge.sql("SELECT psid FROM messenger_threads WHERE thread_id = ?", jonas_thread)[0][0]
    _ago(bridge, jonas_thread, timedelta(days=3))
    before = len(bridge.graph.sends(jonas))
    refused = _order_message(bridge, jonas_thread, "o_2001", "receipt")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "no_consent"
    assert "agreed to receive order updates" in refused.json()["error"]["message"]
    facts = bridge.facts(jonas_thread)
    assert facts["order_updates"]["receipt"]["block"]["code"] == "no_consent"

    # Camille agreed, but no approved template for receipts remains once it is deleted.
    camille_thread = threads["c_camille"]
    camille = bridge.sql("SELECT psid FROM messenger_threads WHERE thread_id = ?", camille_thread)
    lead = _lead(bridge)
    for template in _templates(bridge):
        if template["purpose"] == "receipt":
            r = httpx.delete(
                f"{bridge.server.api}/messenger/templates/{template['id']}", headers=lead
            )
            assert r.status_code == 204
    _ago(bridge, camille_thread, timedelta(days=3))
    before_camille = len(bridge.graph.sends(camille[0][0]))
    refused = _order_message(bridge, camille_thread, "o_1042", "receipt")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "no_template"
    assert (
        "approved utility template for order confirmations" in (refused.json()["error"]["message"])
    )
    facts = bridge.facts(camille_thread)
    assert facts["order_updates"]["receipt"]["block"]["code"] == "no_template"
    assert facts["order_updates"]["receipt"]["block"]["params"] == {"kind": "receipt"}
    assert len(bridge.graph.sends(camille[0][0])) == before_camille
    assert len(bridge.graph.sends(jonas)) == before
    assert bridge.graph.calls("DELETE", "/message_templates")


def test_human_agent_only_on_a_persons_replies_between_24_hours_and_7_days(
    bridge: Bridge,
) -> None:
    psid = "psid-util-tags"
    bridge.deliver(text_item(psid, "hello", datetime.now(UTC) - timedelta(hours=2)))
    thread_id = bridge.thread_for(psid)
    bridge.wait_messages(thread_id, lambda m: len(m) == 1)
    # Inside 24 h: a RESPONSE, even when the client asks for the tag.
    r = httpx.post(
        f"{bridge.server.api}/threads/{thread_id}/messages",
        json={"client_id": new_mid(), "text": "inside", "kind": "reply", "tag": "HUMAN_AGENT"},
        headers=bridge.headers,
    )
    assert r.status_code == 201, r.text
    assert bridge.wait_outbound(r.json()["id"])[0] == "sent"
    # Two days later: a person's reply carries HUMAN_AGENT; a note is never sent.
    _ago(bridge, thread_id, timedelta(days=2))
    assert bridge.facts(thread_id)["reply_tag"] == "HUMAN_AGENT"
    late = bridge.reply(thread_id, "late")
    assert late.status_code == 201 and late.json()["tag"] == "HUMAN_AGENT"
    note = httpx.post(
        f"{bridge.server.api}/threads/{thread_id}/messages",
        json={"client_id": new_mid(), "text": "a note", "kind": "note"},
        headers=bridge.headers,
    )
    assert note.status_code == 201
    assert bridge.wait_outbound(late.json()["id"])[0] == "sent"
    sends = bridge.graph.sends(psid)
    assert [(s["message"].get("text"), s["messaging_type"], s.get("tag")) for s in sends] == [
        ("inside", "RESPONSE", None),
        ("late", "MESSAGE_TAG", "HUMAN_AGENT"),
    ]
    # Across every send the fake saw: HUMAN_AGENT only on agents' text replies, never on a
    # template (receipt, utility) and never with a retired tag.
    for sent in bridge.graph.sends():
        if sent.get("tag") is not None:
            assert sent["tag"] == "HUMAN_AGENT"
            assert set(sent["message"]) == {"text"}
        assert sent.get("tag") not in {"POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE"}
        assert sent.get("tag") != "CONFIRMED_EVENT_UPDATE"
        if sent["messaging_type"] == "UTILITY":
            assert "tag" not in sent


def test_a_lead_cannot_allow_a_retired_tag(bridge: Bridge) -> None:
    lead = _lead(bridge)
    settings = httpx.get(f"{bridge.server.api}/settings", headers=lead).json()
    body = {k: settings[k] for k in ("target_seconds", "window_days", "away", "allowed_tags")}
    for tag in ("POST_PURCHASE_UPDATE", "account_update", "CONFIRMED_EVENT_UPDATE"):
        r = httpx.put(
            f"{bridge.server.api}/settings",
            json={**body, "allowed_tags": ["HUMAN_AGENT", tag]},
            headers=lead,
        )
        assert r.status_code == 422
        error = r.json()["error"]
        assert error["code"] == "retired_tag"
        assert tag.upper() in error["message"] and "27 April 2026" in error["message"]
    assert (
        httpx.get(f"{bridge.server.api}/settings", headers=lead).json()["allowed_tags"]
        == (settings["allowed_tags"])
    )
    page = httpx.get(f"{bridge.server.api}/messenger", headers=bridge.headers).json()
    assert page["rules"]["retired_tags"] == {
        "ACCOUNT_UPDATE": "2026-04-27",
        "CONFIRMED_EVENT_UPDATE": "2026-04-27",
        "POST_PURCHASE_UPDATE": "2026-04-27",
    }
    assert page["rules"]["tags"] == ["HUMAN_AGENT"]
    assert page["permissions"] == {"human_agent": True, "utility_messaging": True}
