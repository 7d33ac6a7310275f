"""Order action results told to the customer on Messenger (issue 18): sent through the bridge's
outbox when the agent asks and Messenger's rules allow it (inside the standard window), held back
with the rule's sentence otherwise (outside it, never with a retired order tag); never sent when
not asked."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.integration.messenger.conftest import Bridge, text_item


def messenger_customer_with_order(
    bridge: Bridge, ago: timedelta
) -> tuple[str, str, dict[str, Any]]:
    """A Messenger user who wrote `ago`, and a demo order of theirs: (psid, thread id, order)."""
    psid = f"psid-act-{uuid.uuid4().hex[:8]}"
    bridge.deliver(text_item(psid, "Bonjour, ma commande ?", datetime.now(UTC) - ago))
    thread_id = bridge.thread_for(psid)
    bridge.wait_messages(thread_id, lambda m: any(x["text"] == "Bonjour, ma commande ?" for x in m))
    customer_id = bridge.thread(thread_id)["customer"]["id"]
    r = httpx.post(f"{bridge.server.api}/simulate/order", json={"customer_id": customer_id})
    assert r.status_code == 201, r.text
    return psid, thread_id, r.json()["order"]


def act(bridge: Bridge, order: dict[str, Any], thread_id: str, **body: Any) -> dict[str, Any]:
    r = httpx.post(
        f"{bridge.server.api}/orders/{order['id']}/actions",
        json={"client_id": str(uuid.uuid4()), "reason": "asked", "thread_id": thread_id, **body},
        headers=bridge.headers,
    )
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


def test_the_customer_is_told_when_asked_and_allowed(bridge: Bridge) -> None:
    psid, thread_id, order = messenger_customer_with_order(bridge, timedelta(minutes=5))
    act(bridge, order, thread_id, type="change_address", notify_customer=True,
        address={"name": "Zoé", "line1": "3 place Bellecour", "city": "Lyon", "country": "FR"})  # fmt: skip
    (sent,) = bridge.graph.wait_sends(psid, 1)
    assert sent["messaging_type"] == "RESPONSE"
    assert "3 place Bellecour" in sent["message"]["text"]
    message = bridge.messages(thread_id)[-1]
    assert message["order_event"] == "address_changed" and message["author"]["kind"] == "automated"
    assert bridge.wait_outbound(message["id"])[0] == "sent"
    # Not asked: the result stays in the conversation for the agents.
    act(bridge, order, thread_id, type="cancel", notify_customer=False)
    last = bridge.wait_messages(thread_id, lambda m: m[-1]["order_event"] == "cancelled")[-1]
    assert last["author"]["kind"] == "system"
    assert len(bridge.graph.sends(psid)) == 1


def test_outside_the_window_the_consent_rule_holds_it_back(bridge: Bridge) -> None:
    psid, thread_id, order = messenger_customer_with_order(bridge, timedelta(days=2))
    act(bridge, order, thread_id, type="cancel", notify_customer=True)
    last = bridge.wait_messages(thread_id, lambda m: m[-1]["order_event"] == "cancelled")[-1]
    assert last["delivery"] == "failed"
    assert "agreed to receive order updates" in last["error"]
    assert bridge.graph.sends(psid) == []
    # Even once the customer agrees: the order tags are retired (27 April 2026) and the Page's
    # utility templates cover receipts and shipping updates, so nothing goes, and never a tag.
    customer_id = bridge.thread(thread_id)["customer"]["id"]
    bridge.sql("UPDATE customers SET consent_order_updates = ? WHERE id = ?", True, customer_id)
    r = httpx.post(f"{bridge.server.api}/simulate/order", json={"customer_id": customer_id})
    second = r.json()["order"]
    act(bridge, second, thread_id, type="cancel", notify_customer=True)
    last = bridge.wait_messages(
        thread_id,
        lambda m: m[-1]["order_event"] == "cancelled" and m[-1]["order_id"] == second["id"],
    )[-1]
    assert last["delivery"] == "failed"
    assert "utility messages" in last["error"]
    assert bridge.graph.sends(psid) == []
