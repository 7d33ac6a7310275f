"""The webhook end to end: Meta's handshake, signatures, message kinds, echoes, deliveries, reads,
standby and handover, idempotency on `mid`, and a burst of deliveries stored once each, in order.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import httpx

from agent_desktop.server.messenger.signature import sign
from tests.helpers.server_fixtures import LEAD_EMAIL, auth_headers, login
from tests.integration.messenger.conftest import (
    APP_ID,
    APP_SECRET,
    PAGE_ID,
    VERIFY_TOKEN,
    Bridge,
    ms,
    new_mid,
    payload,
    text_item,
)


def test_verification_handshake(bridge: Bridge) -> None:
    url = f"{bridge.server.url}/webhooks/messenger"
    ok = httpx.get(
        url,
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        },
    )
    assert ok.status_code == 200
    assert ok.text == "1158201444"
    assert ok.headers["content-type"].startswith("text/plain")
    wrong = httpx.get(
        url, params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"}
    )
    assert wrong.status_code == 403
    bad_mode = httpx.get(
        url,
        params={"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
    )
    assert bad_mode.status_code == 403


def test_text_message_creates_customer_and_thread(bridge: Bridge) -> None:
    bridge.graph.profiles["psid-alice-1"] = {
        "first_name": "Alice",
        "last_name": "Moreau",
        "name": "Alice Moreau",
    }
    now = datetime.now(UTC)
    bridge.deliver(text_item("psid-alice-1", "Bonjour, ma commande ?", now))
    thread_id = bridge.thread_for("psid-alice-1")
    messages = bridge.wait_messages(thread_id, lambda m: len(m) == 1)
    assert messages[0]["text"] == "Bonjour, ma commande ?"
    assert messages[0]["author"]["kind"] == "customer"
    thread = bridge.thread(thread_id)
    assert thread["customer"]["name"] == "Alice Moreau"
    assert thread["waiting_since"] is not None
    assert thread["reply_window"]["state"] == "standard"


def test_unknown_profile_gets_fallback_name(bridge: Bridge) -> None:
    bridge.deliver(text_item("psid-noname-9876", "hello", datetime.now(UTC)))
    thread_id = bridge.thread_for("psid-noname-9876")
    assert bridge.thread(thread_id)["customer"]["name"] == "Messenger user 9876"


def test_wrong_or_missing_signature_is_refused_and_nothing_stored(bridge: Bridge) -> None:
    body = payload(text_item("psid-forged-1111", "forged", datetime.now(UTC)))
    raw = json.dumps(body).encode()
    assert bridge.post_webhook(raw, signature=None).status_code == 403
    assert bridge.post_webhook(raw, signature="sha256=" + "0" * 64).status_code == 403
    assert bridge.post_webhook(raw, signature=sign(raw, "another-secret")).status_code == 403
    assert (
        bridge.post_webhook(raw, signature="sha1=" + sign(raw, APP_SECRET)[7:]).status_code == 403
    )
    # Signed over different bytes (a re-serialized body) is not the raw body's signature.
    assert bridge.post_webhook(raw + b" ", signature=sign(raw, APP_SECRET)).status_code == 403
    assert bridge.sql("SELECT count(*) FROM messenger_inbox WHERE body LIKE '%forged%'") == [(0,)]
    assert bridge.sql(
        "SELECT count(*) FROM customers WHERE messenger_psid = 'psid-forged-1111'"
    ) == [(0,)]


def test_attachments_quick_replies_and_postbacks(bridge: Bridge) -> None:
    psid = "psid-media-2222"
    now = datetime.now(UTC)
    photo = {
        "sender": {"id": psid},
        "recipient": {"id": PAGE_ID},
        "timestamp": ms(now),
        "message": {
            "mid": new_mid(),
            "attachments": [
                {"type": "image", "payload": {"url": f"{bridge.graph.origin}/cdn/photo.png"}}
            ],
        },
    }
    bridge.graph.files["big.bin"] = b"x" * 10_000  # over MESSENGER_MEDIA_MAX_BYTES (4096)
    big = {
        "sender": {"id": psid},
        "recipient": {"id": PAGE_ID},
        "timestamp": ms(now + timedelta(seconds=1)),
        "message": {
            "mid": new_mid(),
            "text": "and the invoice",
            "attachments": [
                {"type": "file", "payload": {"url": f"{bridge.graph.origin}/cdn/big.bin"}}
            ],
        },
    }
    quick = {
        "sender": {"id": psid},
        "recipient": {"id": PAGE_ID},
        "timestamp": ms(now + timedelta(seconds=2)),
        "message": {"mid": new_mid(), "text": "Yes", "quick_reply": {"payload": "CONFIRM_YES"}},
    }
    postback = {
        "sender": {"id": psid},
        "recipient": {"id": PAGE_ID},
        "timestamp": ms(now + timedelta(seconds=3)),
        "postback": {"mid": new_mid(), "title": "Track my order", "payload": "TRACK"},
    }
    bridge.deliver(photo, big, quick, postback)
    thread_id = bridge.thread_for(psid)
    messages = bridge.wait_messages(thread_id, lambda m: len(m) == 4)
    image = messages[0]
    assert image["kind"] == "image"
    assert image["attachments"][0]["url"].startswith("/media/messenger/")
    served = httpx.get(bridge.server.url + image["attachments"][0]["url"])
    assert served.status_code == 200
    assert served.content == bridge.graph.files["photo.png"]
    assert messages[1]["attachments"] == []
    assert messages[1]["text"].startswith("and the invoice")
    assert "could not be copied" in messages[1]["text"]
    assert messages[2]["text"] == "Yes"
    assert messages[3]["text"] == "Track my order"


def test_duplicate_mid_is_stored_once(bridge: Bridge) -> None:
    psid = "psid-dup-3333"
    item = text_item(psid, "only once", datetime.now(UTC))
    bridge.deliver(item)
    bridge.deliver(item)
    bridge.deliver(item, item)
    thread_id = bridge.thread_for(psid)
    bridge.deliver(text_item(psid, "marker", datetime.now(UTC) + timedelta(seconds=1)))
    messages = bridge.wait_messages(thread_id, lambda m: any(x["text"] == "marker" for x in m))
    assert [m["text"] for m in messages] == ["only once", "marker"]


def test_echo_from_another_inbox_is_a_page_reply(bridge: Bridge) -> None:
    psid = "psid-echo-4444"
    asked = datetime.now(UTC) - timedelta(days=5, minutes=3)  # a moment no other test uses
    bridge.deliver(text_item(psid, "Are you open on Sunday?", asked))
    thread_id = bridge.thread_for(psid)
    bridge.wait_messages(thread_id, lambda m: len(m) == 1)
    assert bridge.thread(thread_id)["waiting_since"] is not None
    echo = {
        "sender": {"id": PAGE_ID},
        "recipient": {"id": psid},
        "timestamp": ms(asked + timedelta(minutes=2)),
        "message": {
            "mid": new_mid(),
            "is_echo": True,
            "app_id": 263902037430900,
            "text": "Yes, 10-18h.",
        },
    }
    bridge.deliver(echo, echo)
    messages = bridge.wait_messages(thread_id, lambda m: len(m) == 2)
    page = messages[1]
    assert page["author"] == {"kind": "agent", "id": "page", "name": "Page"}
    assert page["text"] == "Yes, 10-18h."
    thread = bridge.thread(thread_id)
    assert thread["waiting_since"] is None  # the Page answered: the clock stops
    assert thread["unread"] == 0
    assert bridge.graph.sends(psid) == []  # an echo is never sent back out
    # The Page's answer counts for the team's responsiveness (as it does for Meta's badge), but is
    # no agent's reply: the per-agent figures only list the team's accounts.
    lead = login(bridge.server, LEAD_EMAIL)
    report = httpx.get(
        f"{bridge.server.api}/metrics",
        params={
            "since": (asked - timedelta(seconds=1)).isoformat(),
            "until": (asked + timedelta(minutes=10)).isoformat(),
        },
        headers=auth_headers(lead),
    ).json()
    assert report["team"]["openings"] == 1
    assert report["team"]["responded"] == 1
    assert report["team"]["median_response_seconds"] == 120
    assert "page" not in report["agents"]


def test_echo_of_own_send_is_not_stored_twice(bridge: Bridge) -> None:
    psid = "psid-own-5555"
    bridge.deliver(text_item(psid, "hi", datetime.now(UTC)))
    thread_id = bridge.thread_for(psid)
    bridge.wait_messages(thread_id, lambda m: len(m) == 1)
    r = bridge.reply(thread_id, "Hello from the desk")
    assert r.status_code == 201
    status, own_mid = bridge.wait_outbound(r.json()["id"])
    assert status == "sent"
    by_mid = {
        "sender": {"id": PAGE_ID},
        "recipient": {"id": psid},
        "timestamp": ms(datetime.now(UTC)),
        "message": {"mid": own_mid, "is_echo": True, "text": "Hello from the desk"},
    }
    by_app = {
        "sender": {"id": PAGE_ID},
        "recipient": {"id": psid},
        "timestamp": ms(datetime.now(UTC)),
        "message": {"mid": new_mid(), "is_echo": True, "app_id": int(APP_ID), "text": "Hello"},
    }
    bridge.deliver(
        by_mid, by_app, text_item(psid, "marker", datetime.now(UTC) + timedelta(seconds=1))
    )
    messages = bridge.wait_messages(thread_id, lambda m: m[-1]["text"] == "marker")
    assert [m["text"] for m in messages] == ["hi", "Hello from the desk", "marker"]


def test_deliveries_and_reads_update_the_pages_messages(bridge: Bridge) -> None:
    psid = "psid-receipt-6666"
    bridge.deliver(text_item(psid, "hello?", datetime.now(UTC)))
    thread_id = bridge.thread_for(psid)
    bridge.wait_messages(thread_id, lambda m: len(m) == 1)
    first = bridge.reply(thread_id, "first").json()["id"]
    second = bridge.reply(thread_id, "second").json()["id"]
    _, first_mid = bridge.wait_outbound(first)
    bridge.wait_outbound(second)
    delivery = {
        "sender": {"id": psid},
        "recipient": {"id": PAGE_ID},
        "timestamp": ms(datetime.now(UTC)),
        "delivery": {"mids": [first_mid], "watermark": 0},
    }
    bridge.deliver(delivery)
    messages = bridge.wait_messages(thread_id, lambda m: m[1]["delivery"] == "delivered")
    assert messages[2]["delivery"] == "sent"
    read = {
        "sender": {"id": psid},
        "recipient": {"id": PAGE_ID},
        "timestamp": ms(datetime.now(UTC)),
        "read": {"watermark": ms(datetime.now(UTC) + timedelta(seconds=5))},
    }
    bridge.deliver(read)
    messages = bridge.wait_messages(
        thread_id, lambda m: [x["delivery"] for x in m[1:]] == ["read", "read"]
    )
    assert messages[0]["author"]["kind"] == "customer"


def test_standby_makes_the_thread_read_only_until_control_returns(bridge: Bridge) -> None:
    psid = "psid-standby-7777"
    bridge.deliver(text_item(psid, "hello", datetime.now(UTC)))
    thread_id = bridge.thread_for(psid)
    bridge.wait_messages(thread_id, lambda m: len(m) == 1)
    bridge.deliver(text_item(psid, "talking to the other app", datetime.now(UTC)), standby=True)
    bridge.wait_messages(thread_id, lambda m: len(m) == 2)
    facts = bridge.wait_facts(thread_id, lambda f: f["handover"] == "standby")
    assert facts["reply_block_reason"].startswith("Another app")
    updates = [
        json.loads(data)
        for (data,) in bridge.sql("SELECT data FROM events WHERE name = 'thread.updated'")
    ]
    events = [
        (u["handover"],)
        for u in updates
        if u["thread"]["id"] == thread_id and u.get("handover") is not None
    ]
    assert events == [("standby",)]
    refused = bridge.reply(thread_id, "can I help?")
    assert refused.status_code == 409
    assert "Another app" in refused.json()["error"]["message"]
    assert len(bridge.messages(thread_id)) == 2  # nothing stored
    control = {
        "sender": {"id": psid},
        "recipient": {"id": PAGE_ID},
        "timestamp": ms(datetime.now(UTC)),
        "pass_thread_control": {"new_owner_app_id": APP_ID, "metadata": "back to you"},
    }
    bridge.deliver(control)
    facts_after = bridge.wait_facts(thread_id, lambda f: f["handover"] is None)
    assert facts_after["reply_block_reason"] is None
    assert bridge.reply(thread_id, "we're back").status_code == 201
    bridge.graph.wait_sends(psid, 1)


async def test_burst_of_500_deliveries_stored_once_each_in_order(bridge: Bridge) -> None:
    """500 deliveries (50 of them repeated) posted by five concurrent senders, one per customer:
    each customer's messages must come out once each, in the order that customer's sender sent."""
    psids = [f"psid-burst-{n:04d}" for n in range(5)]
    at = datetime.now(UTC) - timedelta(minutes=1)  # one timestamp: the order is the arrival order
    bodies: dict[str, list[bytes]] = {p: [] for p in psids}
    expected: dict[str, list[str]] = {p: [] for p in psids}
    for n in range(450):
        psid = psids[n % 5]
        expected[psid].append(f"burst {n}")
        raw = json.dumps(payload(text_item(psid, f"burst {n}", at, mid=f"m_burst_{n}"))).encode()
        bodies[psid].append(raw)
        if n % 9 == 0:  # Meta re-delivers: 50 duplicates, right after the original
            bodies[psid].append(raw)
    assert sum(len(b) for b in bodies.values()) == 500

    async def sender(client: httpx.AsyncClient, psid: str) -> None:
        for raw in bodies[psid]:
            r = await client.post(
                f"{bridge.server.url}/webhooks/messenger",
                content=raw,
                headers={
                    "X-Hub-Signature-256": sign(raw, APP_SECRET),
                    "Content-Type": "application/json",
                },
            )
            assert r.status_code == 200

    async with httpx.AsyncClient(timeout=30) as client:
        await asyncio.gather(*(sender(client, p) for p in psids))
    await asyncio.to_thread(bridge.wait_inbox_drained, 30)
    for psid in psids:
        messages = bridge.messages(bridge.thread_for(psid))
        assert [m["text"] for m in messages] == expected[psid]
    stored = bridge.sql("SELECT count(*) FROM messages WHERE external_id LIKE 'm_burst_%'")
    assert stored == [(450,)]
