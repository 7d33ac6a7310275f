"""The Send API relay and order messages end to end: messaging type and tag by window, refusal after
7 days, Meta's errors as sentences on the failed message, retries, receipts with their total
checked, shipping updates in the customer's language, the consent rule, and secrets kept out of
the server's log. Utility messages outside the window: test_utility.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.integration.messenger.conftest import (
    APP_SECRET,
    PAGE_TOKEN,
    VERIFY_TOKEN,
    Bridge,
    new_mid,
    text_item,
)


def _thread_written(bridge: Bridge, psid: str, ago: timedelta, text: str = "hello") -> str:
    bridge.deliver(text_item(psid, text, datetime.now(UTC) - ago))
    thread_id = bridge.thread_for(psid)
    bridge.wait_messages(thread_id, lambda m: any(x["text"] == text for x in m))
    return thread_id


def test_reply_inside_24h_is_a_response(bridge: Bridge) -> None:
    psid = "psid-win-1001"
    thread_id = _thread_written(bridge, psid, timedelta(hours=23, minutes=59, seconds=50))
    r = bridge.reply(thread_id, "Happy to help")
    assert r.status_code == 201, r.text
    (sent,) = bridge.graph.wait_sends(psid, 1)
    assert sent["messaging_type"] == "RESPONSE"
    assert "tag" not in sent
    assert sent["recipient"] == {"id": psid}
    assert sent["message"] == {"text": "Happy to help"}
    assert all(
        req["query"].get("access_token") == PAGE_TOKEN
        for req in bridge.graph.requests
        if req["path"].endswith("/me/messages") and req["json"]["recipient"]["id"] == psid
    )
    status, mid = bridge.wait_outbound(r.json()["id"])
    assert (status, mid is not None) == ("sent", True)
    stored = bridge.sql("SELECT external_id, delivery FROM messages WHERE id = ?", r.json()["id"])
    assert stored == [(mid, "sent")]


def test_reply_after_24h_uses_the_human_agent_tag(bridge: Bridge) -> None:
    psid = "psid-win-1002"
    thread_id = _thread_written(bridge, psid, timedelta(hours=24))
    assert bridge.thread(thread_id)["reply_window"]["state"] == "human_agent"
    r = bridge.reply(thread_id, "Sorry for the wait")
    assert r.status_code == 201, r.text
    assert r.json()["tag"] == "HUMAN_AGENT"
    (sent,) = bridge.graph.wait_sends(psid, 1)
    assert sent["messaging_type"] == "MESSAGE_TAG"
    assert sent["tag"] == "HUMAN_AGENT"


def test_reply_after_7_days_is_refused_before_sending(bridge: Bridge) -> None:
    psid = "psid-win-1003"
    thread_id = _thread_written(bridge, psid, timedelta(days=7))
    r = bridge.reply(thread_id, "Too late")
    assert r.status_code == 409
    assert "7 days" in r.json()["error"]["message"]
    assert bridge.graph.sends(psid) == []
    facts = bridge.facts(thread_id)
    assert facts["reply_window"]["state"] == "closed"
    assert "7 days" in facts["reply_block_reason"]


def test_meta_error_marks_the_message_failed_with_a_sentence(bridge: Bridge) -> None:
    psid = "psid-err-1004"
    thread_id = _thread_written(bridge, psid, timedelta(minutes=5))
    bridge.graph.fail_next(psid, 400, 551, 1545041, "This person isn't available right now.")
    assert bridge.reply(thread_id, "Are you there?").status_code == 201
    messages = bridge.wait_messages(thread_id, lambda m: m[-1]["delivery"] == "failed")
    error = messages[-1]["error"]
    assert error.startswith("This person isn't available on Messenger right now")
    assert error.endswith(".")
    assert "1545041" not in error and "{" not in error
    assert len(bridge.graph.sends(psid)) == 1  # not retried


def test_window_error_from_meta_is_explained(bridge: Bridge) -> None:
    psid = "psid-err-1005"
    thread_id = _thread_written(bridge, psid, timedelta(minutes=5))
    bridge.graph.fail_next(
        psid, 400, 10, 2018278, "(#10) This message is sent outside of allowed window."
    )
    assert bridge.reply(thread_id, "late?").status_code == 201
    messages = bridge.wait_messages(thread_id, lambda m: m[-1]["delivery"] == "failed")
    assert "outside the allowed reply window" in messages[-1]["error"]


def test_rate_limit_and_server_errors_are_retried(bridge: Bridge) -> None:
    psid = "psid-rate-1006"
    thread_id = _thread_written(bridge, psid, timedelta(minutes=5))
    bridge.graph.fail_next(psid, 400, 613, None, "Calls to this api have exceeded the rate limit.")
    bridge.graph.fail_next(psid, 500, 2, None, "An unexpected error has occurred.")
    r = bridge.reply(thread_id, "eventually")
    assert r.status_code == 201
    assert bridge.wait_outbound(r.json()["id"])[0] == "sent"
    messages = bridge.messages(thread_id)
    assert messages[-1]["delivery"] == "sent"
    assert messages[-1]["error"] is None
    assert len(bridge.graph.sends(psid)) == 3


# --- order messages ---------------------------------------------------------------------------


def _order_message(
    bridge: Bridge, thread_id: str, order_id: str, kind: str, client_id: str | None = None
) -> httpx.Response:
    return httpx.post(
        f"{bridge.server.api}/threads/{thread_id}/order-messages",
        json={"client_id": client_id or new_mid(), "order_id": order_id, "kind": kind},
        headers=bridge.headers,
    )


def _set_last_customer_message(bridge: Bridge, thread_id: str, ago: timedelta) -> None:
    at = (datetime.now(UTC) - ago).replace(tzinfo=None)
    bridge.sql("UPDATE threads SET last_customer_message_at = ? WHERE id = ?", at, thread_id)


def _link_seed_customer(bridge: Bridge, customer_id: str, psid: str) -> None:
    bridge.sql("UPDATE customers SET messenger_psid = ? WHERE id = ?", psid, customer_id)


def test_receipt_uses_the_template_and_is_idempotent(bridge: Bridge) -> None:
    psid = "psid-camille"
    _link_seed_customer(bridge, "c_camille", psid)
    thread_id = _thread_written(bridge, psid, timedelta(minutes=2), "où est ma commande ?")
    assert thread_id == "t_camille"  # her existing Messenger thread continues
    client_id = new_mid()
    first = _order_message(bridge, thread_id, "o_1041", "receipt", client_id)
    assert first.status_code == 201, first.text
    message = first.json()
    assert message["kind"] == "order_event"
    assert message["order_id"] == "o_1041"
    assert message["order_event"] == "placed"
    assert message["author"]["kind"] == "automated"
    again = _order_message(bridge, thread_id, "o_1041", "receipt", client_id)
    assert again.status_code == 200
    assert again.json()["id"] == message["id"]
    (sent,) = bridge.graph.wait_sends(psid, 1)
    assert sent["messaging_type"] == "RESPONSE"
    template: dict[str, Any] = sent["message"]["attachment"]["payload"]
    assert template["template_type"] == "receipt"
    assert template["order_number"] == "#1041"
    assert template["currency"] == "EUR"
    assert template["payment_method"] == "card"
    summary = template["summary"]
    assert summary["subtotal"] == 39.0
    assert summary["shipping_cost"] == 4.9
    assert summary["total_tax"] == 7.8
    assert summary["total_cost"] == 51.7
    assert template["elements"][0]["title"] == "Écharpe en laine"
    assert template["elements"][0]["quantity"] == 1
    assert template["address"]["city"] == "Lyon"
    # The order message does not stop the response timer (it is automated).
    assert bridge.thread(thread_id)["waiting_since"] is not None
    assert bridge.wait_outbound(message["id"])[0] == "sent"


def test_receipt_total_mismatch_is_refused(bridge: Bridge) -> None:
    psid = "psid-camille"
    thread_id = bridge.thread_for(psid)
    bridge.sql("UPDATE orders SET total = total + 1 WHERE id = 'o_1042'")
    before = len(bridge.graph.sends(psid))
    r = _order_message(bridge, thread_id, "o_1042", "receipt")
    assert r.status_code == 422
    assert "total" in r.json()["error"]["message"]
    assert len(bridge.graph.sends(psid)) == before


def test_shipping_update_in_the_customers_language(bridge: Bridge) -> None:
    psid = "psid-camille"
    thread_id = bridge.thread_for(psid)
    before = len(bridge.graph.sends(psid))
    r = _order_message(bridge, thread_id, "o_1041", "shipping_update")
    assert r.status_code == 201, r.text
    assert r.json()["order_event"] == "shipped"
    sends = bridge.graph.wait_sends(psid, before + 1)
    text = sends[-1]["message"]["text"]
    assert text.startswith("Votre commande #1041 a été expédiée avec Colissimo.")
    assert "6A11111111111" in text
    assert "Livraison prévue le" in text


def test_order_updates_outside_24h_need_consent(bridge: Bridge) -> None:
    # Jonas has not agreed to order updates; his last message is 2 days old.
    jonas = "psid-jonas"
    _link_seed_customer(bridge, "c_jonas", jonas)
    thread_id = _thread_written(bridge, jonas, timedelta(days=2), "any news?")
    assert thread_id == "t_jonas"  # a known customer's Messenger thread continues
    # The seeded thread has a message from an hour ago: move the window's start back two days.
    _set_last_customer_message(bridge, thread_id, timedelta(days=2))
    facts = bridge.facts(thread_id)
    assert "agreed to receive order updates" in facts["order_update_block_reason"]
    refused = _order_message(bridge, thread_id, "o_2001", "receipt")
    assert refused.status_code == 409
    assert refused.json()["error"]["message"] == facts["order_update_block_reason"]
    assert bridge.graph.sends(jonas) == []
    # Inside the 24 h window consent is not needed.
    bridge.deliver(text_item(jonas, "hello again", datetime.now(UTC)))
    bridge.wait_facts(thread_id, lambda f: f["order_update_block_reason"] is None)
    assert _order_message(bridge, thread_id, "o_2001", "receipt").status_code == 201
    (sent,) = bridge.graph.wait_sends(jonas, 1)
    assert sent["messaging_type"] == "RESPONSE"

    # Outside the window an order update never carries a tag: see test_utility.py.


def test_secrets_never_reach_the_server_log(bridge: Bridge) -> None:
    # The handshake puts the verify token in a URL, sends put the Page token in one.
    httpx.get(
        f"{bridge.server.url}/webhooks/messenger",
        params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "7"},
    )
    log = bridge.server.log_path.read_text(encoding="utf-8", errors="replace")
    assert "Send API refused" in log  # the failures above were logged...
    for secret in (PAGE_TOKEN, APP_SECRET, VERIFY_TOKEN):
        assert secret not in log  # ...without any secret
