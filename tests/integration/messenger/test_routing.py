"""Conversation Routing, Click-to-Messenger ad referrals and stickers, end to end: a thread another
app or the Page inbox owns refuses replies and shows who owns it; a thread that starts from an ad
shows the ad and keeps a 7-day standard window; stickers arrive in both of Meta's shapes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from agent_desktop.core.messenger_rules import PAGE_INBOX_APP_ID
from tests.integration.messenger.conftest import (
    APP_ID,
    PAGE_ID,
    Bridge,
    ms,
    new_mid,
    text_item,
)


def _control(psid: str, key: str, **fields: Any) -> dict[str, Any]:
    return {
        "sender": {"id": psid},
        "recipient": {"id": PAGE_ID},
        "timestamp": ms(datetime.now(UTC)),
        key: fields,
    }


def test_a_thread_owned_by_another_app_refuses_replies_and_names_its_owner(
    bridge: Bridge,
) -> None:
    psid = "psid-route-app"
    bridge.deliver(text_item(psid, "hello", datetime.now(UTC)))
    thread_id = bridge.thread_for(psid)
    bridge.wait_messages(thread_id, lambda m: len(m) == 1)
    bridge.deliver(_control(psid, "take_thread_control", new_owner_app_id="777", metadata="bot"))
    facts = bridge.wait_facts(thread_id, lambda f: f["owner"]["kind"] == "app")
    assert facts["owner"] == {"kind": "app", "app_id": "777"}
    assert facts["reply_block"]["code"] == "standby"
    refused = bridge.reply(thread_id, "can I help?")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "standby"
    assert len(bridge.messages(thread_id)) == 1
    assert bridge.graph.sends(psid) == []

    # Passed to the Page inbox (Meta Business Suite): still read-only, and said so.
    bridge.deliver(
        _control(psid, "pass_thread_control", new_owner_app_id=PAGE_INBOX_APP_ID, metadata="")
    )
    facts = bridge.wait_facts(thread_id, lambda f: f["owner"]["kind"] == "page_inbox")
    assert facts["reply_block"]["code"] == "page_inbox"
    assert "Page inbox" in facts["reply_block"]["message"]
    assert bridge.reply(thread_id, "still there?").status_code == 409

    # Back to this app.
    bridge.deliver(_control(psid, "pass_thread_control", new_owner_app_id=APP_ID))
    facts = bridge.wait_facts(thread_id, lambda f: f["owner"]["kind"] == "us")
    assert facts["reply_block"] is None
    assert bridge.reply(thread_id, "here I am").status_code == 201
    bridge.graph.wait_sends(psid, 1)


def test_a_standby_message_asks_meta_who_owns_the_thread(bridge: Bridge) -> None:
    psid = "psid-route-standby"
    bridge.graph.owners[psid] = PAGE_INBOX_APP_ID
    bridge.deliver(text_item(psid, "hi there", datetime.now(UTC)), standby=True)
    thread_id = bridge.thread_for(psid)
    facts = bridge.wait_facts(thread_id, lambda f: f["owner"]["kind"] != "us")
    assert facts["owner"] == {"kind": "page_inbox", "app_id": PAGE_INBOX_APP_ID}
    (call,) = [
        c
        for c in bridge.graph.calls("GET", f"/{PAGE_ID}/thread_owner")
        if c["query"]["recipient"] == psid
    ]
    assert call["query"]["access_token"]
    # The owner rides on the thread.updated event, for clients that show it at once.
    updates = [
        json.loads(data)
        for (data,) in bridge.sql("SELECT data FROM events WHERE name = 'thread.updated'")
    ]
    owners = [
        u["owner"]["kind"] for u in updates if u["thread"]["id"] == thread_id and u.get("owner")
    ]
    assert owners == ["page_inbox"]


def _ad_message(psid: str, text: str, at: datetime) -> dict[str, Any]:
    item = text_item(psid, text, at)
    item["message"]["referral"] = {
        "ref": "winter-sale",
        "ad_id": "6045246247433",
        "source": "ADS",
        "type": "OPEN_THREAD",
        "ads_context_data": {
            "ad_title": "Écharpes en laine, -20 %",
            "photo_url": "https://scontent.example/ad.jpg",
            "post_id": "1000001_22",
        },
    }
    return item


def test_a_thread_from_a_click_to_messenger_ad_keeps_a_7_day_standard_window(
    bridge: Bridge,
) -> None:
    psid = "psid-route-ad"
    first = datetime.now(UTC) - timedelta(days=3)
    bridge.deliver(_ad_message(psid, "Je voudrais cette écharpe", first))
    thread_id = bridge.thread_for(psid)
    bridge.wait_messages(thread_id, lambda m: len(m) == 1)
    thread = bridge.thread(thread_id)
    # Three days after the customer's message the window is still the standard one.
    assert thread["reply_window"]["state"] == "standard"
    closes = datetime.fromisoformat(thread["reply_window"]["closes_at"].replace("Z", "+00:00"))
    assert abs((closes - (first + timedelta(days=7))).total_seconds()) < 1
    assert thread["standard_window_until"] is not None
    facts = bridge.facts(thread_id)
    assert facts["referral"]["source"] == "ADS"
    assert facts["referral"]["ad_title"] == "Écharpes en laine, -20 %"
    assert facts["referral"]["ad_id"] == "6045246247433"
    assert facts["reply_tag"] is None  # a reply needs no tag
    r = bridge.reply(thread_id, "Bien sûr !")
    assert r.status_code == 201 and r.json()["tag"] is None
    (sent,) = bridge.graph.wait_sends(psid, 1)
    assert sent["messaging_type"] == "RESPONSE" and "tag" not in sent

    # An m.me link (or a returning customer) brings no longer window.
    other = "psid-route-link"
    item = text_item(other, "hello", datetime.now(UTC) - timedelta(days=3))
    item["message"]["referral"] = {"ref": "bio", "source": "SHORTLINK", "type": "OPEN_THREAD"}
    bridge.deliver(item)
    other_thread = bridge.thread_for(other)
    bridge.wait_messages(other_thread, lambda m: len(m) == 1)
    assert bridge.thread(other_thread)["reply_window"]["state"] == "human_agent"


def test_an_ad_referral_to_a_known_thread_opens_the_window_at_the_next_message(
    bridge: Bridge,
) -> None:
    psid = "psid-route-ad-back"
    # Past the 7-day windows, still inside the 8 days a webhook message is accepted for.
    bridge.deliver(text_item(psid, "old question", datetime.now(UTC) - timedelta(days=7, hours=12)))
    thread_id = bridge.thread_for(psid)
    bridge.wait_messages(thread_id, lambda m: len(m) == 1)
    referral_at = datetime.now(UTC) - timedelta(days=2, minutes=5)
    bridge.deliver(
        {
            "sender": {"id": psid},
            "recipient": {"id": PAGE_ID},
            "timestamp": ms(referral_at),
            "referral": {
                "ref": "spring",
                "ad_id": "6045246247999",
                "source": "ADS",
                "type": "OPEN_THREAD",
                "ads_context_data": {"ad_title": "Mugs en grès"},
            },
        }
    )
    bridge.wait_facts(thread_id, lambda f: (f["referral"] or {}).get("ad_title") == "Mugs en grès")
    assert bridge.thread(thread_id)["reply_window"]["state"] == "closed"
    bridge.deliver(text_item(psid, "I saw your ad", datetime.now(UTC) - timedelta(days=2)))
    bridge.wait_messages(thread_id, lambda m: len(m) == 2)
    assert bridge.thread(thread_id)["reply_window"]["state"] == "standard"


def test_stickers_in_both_shapes(bridge: Bridge) -> None:
    url = f"{bridge.graph.origin}/cdn/photo.png"
    shapes = {
        # Before 1 June 2026: an image attachment carrying sticker_id.
        "psid-sticker-old": {
            "mid": new_mid(),
            "sticker_id": 369239263222822,
            "attachments": [
                {"type": "image", "payload": {"url": url, "sticker_id": 369239263222822}}
            ],
        },
        # The transition (until 30 August 2026): both attachments, one sticker.
        "psid-sticker-both": {
            "mid": new_mid(),
            "attachments": [
                {"type": "image", "payload": {"url": url, "sticker_id": 369239263222822}},
                {"type": "sticker", "payload": {"url": url, "sticker_id": 369239263222822}},
            ],
        },
        # From 30 August 2026: the sticker attachment only.
        "psid-sticker-new": {
            "mid": new_mid(),
            "attachments": [
                {"type": "sticker", "payload": {"url": url, "sticker_id": 369239263222822}}
            ],
        },
        # A sticker known only by its id.
        "psid-sticker-bare": {
            "mid": new_mid(),
            "attachments": [{"type": "sticker", "payload": {"sticker_id": 369239263222822}}],
        },
    }
    for psid, message in shapes.items():
        bridge.deliver(
            {
                "sender": {"id": psid},
                "recipient": {"id": PAGE_ID},
                "timestamp": ms(datetime.now(UTC)),
                "message": message,
            }
        )
    for psid in shapes:
        thread_id = bridge.thread_for(psid)
        (stored,) = bridge.wait_messages(thread_id, lambda m: len(m) == 1)
        if psid == "psid-sticker-bare":
            assert stored["text"] == "(sticker)" and stored["attachments"] == []
        else:
            assert stored["kind"] == "image"
            assert len(stored["attachments"]) == 1, psid
            assert stored["attachments"][0]["url"].startswith("/media/messenger/")
