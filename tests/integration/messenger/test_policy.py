"""The bridge's pure rules at their exact boundaries: messaging type and tag by window, the
order-update consent rule, the receipt total check, signatures, payload parsing, Meta's error
sentences, configuration, and shipping texts.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.core.order_types import Address, Order, OrderItem, Payment, Shipment
from agent_desktop.server.messenger.config import Secret, load_config
from agent_desktop.server.messenger.graph import error_sentence
from agent_desktop.server.messenger.orders import (
    major_units,
    order_link,
    receipt_payload,
    shipping_update_text,
)
from agent_desktop.server.messenger.payloads import (
    InControl,
    InDelivery,
    InMessage,
    InRead,
    parse_payload,
)
from agent_desktop.server.messenger.policy import (
    HUMAN_AGENT_NOT_GRANTED,
    NO_ORDER_CONSENT,
    WINDOW_CLOSED,
    Facts,
    Owner,
    PolicyRefusal,
    SendDecision,
    order_update_block,
    order_update_decision,
    receipt_total_problems,
    recheck,
    reply_decision,
)
from agent_desktop.server.messenger.signature import sign, verify_signature

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TAGS = ("HUMAN_AGENT",)


def facts(age: timedelta | None, **changes: Any) -> Facts:
    data: dict[str, Any] = {
        "last_customer_message_at": None if age is None else NOW - age,
        "human_agent_permission": True,
        "utility_permission": True,
        "allowed_tags": TAGS,
        "approved_templates": ("receipt", "shipping_update"),
    }
    data.update(changes)
    return Facts(**data)


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (timedelta(0), SendDecision("RESPONSE")),
        (timedelta(hours=23, minutes=59, seconds=59), SendDecision("RESPONSE")),
        (timedelta(hours=24), SendDecision("MESSAGE_TAG", "HUMAN_AGENT")),
        (
            timedelta(days=6, hours=23, minutes=59, seconds=59),
            SendDecision("MESSAGE_TAG", "HUMAN_AGENT"),
        ),
    ],
)
def test_reply_decision_by_window(age: timedelta, expected: SendDecision) -> None:
    assert reply_decision(facts(age), NOW) == expected


def test_reply_refused_from_exactly_7_days_and_without_the_tag() -> None:
    with pytest.raises(PolicyRefusal) as closed:
        reply_decision(facts(timedelta(days=7)), NOW)
    assert closed.value.reason == WINDOW_CLOSED
    with pytest.raises(PolicyRefusal, match="HUMAN_AGENT tag is not enabled"):
        reply_decision(facts(timedelta(hours=24), allowed_tags=()), NOW)
    with pytest.raises(PolicyRefusal, match="never written"):
        reply_decision(facts(None), NOW)


def test_human_agent_needs_the_permission_and_a_person() -> None:
    late = facts(timedelta(days=2), human_agent_permission=False)
    with pytest.raises(PolicyRefusal) as refused:
        reply_decision(late, NOW)
    assert (refused.value.code, refused.value.reason) == (
        "human_agent_not_granted",
        HUMAN_AGENT_NOT_GRANTED,
    )
    # Inside 24 h the permission does not matter, and a reply is a RESPONSE, never tagged.
    assert reply_decision(facts(timedelta(hours=3), human_agent_permission=False), NOW) == (
        SendDecision("RESPONSE")
    )
    # Nothing automated carries HUMAN_AGENT.
    with pytest.raises(PolicyRefusal) as automated:
        reply_decision(facts(timedelta(days=2)), NOW, human=False)
    assert automated.value.code == "automated_outside_window"
    assert reply_decision(facts(timedelta(hours=1)), NOW, human=False) == SendDecision("RESPONSE")


def test_an_ad_window_keeps_replies_standard_for_7_days() -> None:
    # The first message after the ad came 5 days ago, the customer wrote again 2 days ago.
    first = NOW - timedelta(days=5)
    ad = facts(timedelta(days=2), standard_window_until=first + timedelta(days=7))
    assert reply_decision(ad, NOW) == SendDecision("RESPONSE")
    assert order_update_decision(ad, NOW, "shipping_update") == SendDecision("RESPONSE")
    end = first + timedelta(days=7)
    assert reply_decision(ad, end - timedelta(seconds=1)) == SendDecision("RESPONSE")
    assert reply_decision(ad, end).tag == "HUMAN_AGENT"  # 7 days after the last message
    with pytest.raises(PolicyRefusal):
        reply_decision(ad, NOW + timedelta(days=5))


def test_a_conversation_owned_elsewhere_takes_nothing() -> None:
    for owner, code in ((Owner("app", "77"), "standby"), (Owner("page_inbox"), "page_inbox")):
        owned = facts(timedelta(minutes=1), owner=owner)
        with pytest.raises(PolicyRefusal) as refused:
            reply_decision(owned, NOW)
        assert refused.value.code == code
        assert order_update_block(owned, NOW, "receipt") is not None
    assert Owner.of("standby", "263902037430900").kind == "page_inbox"
    assert Owner.of(None, "77").kind == "us"


def test_order_updates_outside_24h_are_utility_messages_with_consent() -> None:
    inside = timedelta(hours=23, minutes=59, seconds=59)
    outside = timedelta(hours=24)
    assert order_update_decision(
        facts(inside, consent_order_updates=False), NOW, "receipt"
    ) == SendDecision("RESPONSE")
    with pytest.raises(PolicyRefusal) as refused:
        order_update_decision(facts(outside, consent_order_updates=False), NOW, "receipt")
    assert refused.value.reason == NO_ORDER_CONSENT
    assert refused.value.code == "no_consent"
    ok = order_update_decision(facts(outside, consent_order_updates=True), NOW, "shipping_update")
    assert ok == SendDecision("UTILITY") and ok.tag is None
    # Consent does not expire with the 7-day window.
    far = facts(timedelta(days=30), consent_order_updates=True)
    assert order_update_decision(far, NOW, "receipt").messaging_type == "UTILITY"
    no_permission = facts(outside, consent_order_updates=True, utility_permission=False)
    blocked = order_update_block(no_permission, NOW, "receipt")
    assert blocked is not None and blocked.code == "utility_not_granted"
    no_template = facts(outside, consent_order_updates=True, approved_templates=("receipt",))
    blocked = order_update_block(no_template, NOW, "shipping_update")
    assert blocked is not None and blocked.code == "no_template"
    assert blocked.params == {"kind": "shipping_update"}
    assert order_update_block(no_template, NOW, "receipt") is None


def test_recheck_just_before_sending() -> None:
    # A reply queued at 23 h 59 that leaves at 24 h goes with HUMAN_AGENT.
    late = facts(timedelta(hours=24))
    assert recheck("reply", SendDecision("RESPONSE"), late, NOW).tag == "HUMAN_AGENT"
    # An order update queued as a RESPONSE that missed the window is not sent.
    with pytest.raises(PolicyRefusal) as passed:
        recheck("order", SendDecision("RESPONSE"), late, NOW)
    assert passed.value.code == "window_passed"
    with pytest.raises(PolicyRefusal) as gone:
        recheck(
            "utility",
            SendDecision("UTILITY"),
            facts(timedelta(days=3), consent_order_updates=True),
            NOW,
            template_ok=False,
        )
    assert gone.value.code == "template_gone"


def _order(**changes: object) -> Order:
    data: dict[str, object] = {
        "id": "o_1",
        "number": "#1",
        "placed_at": NOW,
        "status": "paid",
        "currency": "EUR",
        "items": [
            OrderItem(sku="A", title="Mug", quantity=2, unit_price=1450),
            OrderItem(
                sku="B", title="Scarf", quantity=1, unit_price=3900, image_url="https://x/s.png"
            ),
        ],
        "subtotal": 6800,
        "shipping": 490,
        "tax": 1360,
        "total": 8650,
        "payment": Payment(method="Visa 4242", status="paid"),
        "shipping_address": Address(
            line1="1 rue A", city="Lyon", postal_code="69003", country="FR"
        ),
    }
    data.update(changes)
    return Order.model_validate(data)


def test_receipt_totals_checked_against_items() -> None:
    assert receipt_total_problems(_order()) == []
    assert any("subtotal" in p for p in receipt_total_problems(_order(subtotal=6801, total=8651)))
    assert any("total" in p for p in receipt_total_problems(_order(total=8649)))
    assert receipt_total_problems(_order(items=[], subtotal=0, total=1850))


def test_receipt_payload_in_major_units() -> None:
    from agent_desktop.core.order_types import Customer

    customer = Customer(id="c", name="Camille", customer_since=NOW)
    payload = receipt_payload(_order(), customer)["attachment"]["payload"]
    assert payload["summary"] == {
        "subtotal": 68.0,
        "shipping_cost": 4.9,
        "total_tax": 13.6,
        "total_cost": 86.5,
    }
    assert [e["price"] for e in payload["elements"]] == [29.0, 39.0]
    assert payload["elements"][1]["image_url"] == "https://x/s.png"
    assert "image_url" not in payload["elements"][0]
    assert payload["timestamp"] == str(int(NOW.timestamp()))
    assert major_units(1234, "JPY") == 1234.0
    assert "order_url" not in payload


def test_receipt_links_are_absolute_or_left_out() -> None:
    from agent_desktop.core.order_types import Customer

    customer = Customer(id="c", name="Camille", customer_since=NOW)
    items = [OrderItem(sku="A", title="Mug", quantity=1, unit_price=100, image_url="/media/p.png")]
    order = _order(items=items, subtotal=100, shipping=0, tax=0, total=100)
    bare = receipt_payload(order, customer)["attachment"]["payload"]
    assert "image_url" not in bare["elements"][0]  # Meta cannot fetch a server-relative link
    linked = receipt_payload(
        order,
        customer,
        order_url=order_link("https://shop.example/orders/{number}", order),
        public_url="https://desk.example",
    )["attachment"]["payload"]
    assert linked["elements"][0]["image_url"] == "https://desk.example/media/p.png"
    assert linked["order_url"] == "https://shop.example/orders/1"


def test_shipping_text_in_french_and_english() -> None:
    shipped = _order(
        shipment=Shipment(
            carrier="Colissimo",
            tracking_number="6A1",
            tracking_url="https://track.example/6A1",
            status="in_transit",
            eta=datetime(2026, 11, 26, 12, tzinfo=UTC),
        )
    )
    fr = shipping_update_text(shipped, "fr")
    en = shipping_update_text(shipped, "en-GB")
    assert fr is not None and en is not None
    assert "expédiée avec Colissimo" in fr and "26 novembre 2026" in fr
    assert "https://track.example/6A1" in fr
    assert "shipped with Colissimo" in en and "26 November 2026" in en
    assert shipping_update_text(_order(), "en") is None


def test_signature_check() -> None:
    body = b'{"object":"page","entry":[]}'
    good = sign(body, "s3cret")
    assert good.startswith("sha256=") and len(good) == 7 + 64
    assert verify_signature(body, good, "s3cret")
    assert verify_signature(body, good.upper().replace("SHA256=", "sha256="), "s3cret")
    assert not verify_signature(body + b" ", good, "s3cret")
    assert not verify_signature(body, good, "other")
    assert not verify_signature(body, None, "s3cret")
    assert not verify_signature(body, "sha256=", "s3cret")
    assert not verify_signature(body, "sha1=" + good[7:], "s3cret")
    assert not verify_signature(body, good, "")


def test_parse_every_payload_kind() -> None:
    body = {
        "object": "page",
        "entry": [
            {
                "id": "PAGE",
                "time": 1,
                "messaging": [
                    {
                        "sender": {"id": "U1"},
                        "recipient": {"id": "PAGE"},
                        "timestamp": 1700000000000,
                        "message": {
                            "mid": "m1",
                            "text": "Yes",
                            "quick_reply": {"payload": "P_YES"},
                        },
                    },
                    {
                        "sender": {"id": "PAGE"},
                        "recipient": {"id": "U1"},
                        "timestamp": 1700000001000,
                        "message": {"mid": "m2", "is_echo": True, "app_id": 42, "text": "hi"},
                    },
                    {
                        "sender": {"id": "U1"},
                        "recipient": {"id": "PAGE"},
                        "delivery": {"mids": ["m2"], "watermark": 1700000002000},
                    },
                    {
                        "sender": {"id": "U1"},
                        "recipient": {"id": "PAGE"},
                        "read": {"watermark": 1700000003000},
                    },
                    {
                        "sender": {"id": "U1"},
                        "recipient": {"id": "PAGE"},
                        "pass_thread_control": {"new_owner_app_id": "42"},
                    },
                    {
                        "sender": {"id": "U1"},
                        "recipient": {"id": "PAGE"},
                        "pass_thread_control": {"new_owner_app_id": "77"},
                    },
                    {"sender": {"id": "U1"}, "recipient": {"id": "PAGE"}, "unknown_kind": {}},
                ],
                "standby": [
                    {
                        "sender": {"id": "U2"},
                        "recipient": {"id": "PAGE"},
                        "timestamp": 1700000004000,
                        "message": {"mid": "m3", "text": "x"},
                    }
                ],
            }
        ],
    }
    parsed = parse_payload(json.loads(json.dumps(body)), app_id="42")
    kinds = [type(e).__name__ for e in parsed.events]
    assert kinds == [
        "InMessage",
        "InMessage",
        "InDelivery",
        "InRead",
        "InControl",
        "InControl",
        "InMessage",
        "InControl",
    ]
    quick, echo, delivery, read, ours, theirs, standby, standby_control = parsed.events
    assert (
        isinstance(quick, InMessage) and quick.quick_reply_payload == "P_YES" and quick.psid == "U1"
    )
    assert quick.at == datetime.fromtimestamp(1700000000, UTC)
    assert (
        isinstance(echo, InMessage) and echo.is_echo and echo.psid == "U1" and echo.app_id == "42"
    )
    assert isinstance(delivery, InDelivery) and delivery.mids == ("m2",)
    assert isinstance(read, InRead)
    assert isinstance(ours, InControl) and ours.ours
    assert isinstance(theirs, InControl) and not theirs.ours and theirs.other_app_id == "77"
    assert isinstance(standby, InMessage) and standby.standby
    assert isinstance(standby_control, InControl) and not standby_control.ours
    assert parsed.skipped == 1
    assert parse_payload({"object": "instagram", "entry": []}).events == []


@pytest.mark.parametrize(
    ("code", "subcode", "needle"),
    [
        (10, 2018278, "outside the allowed reply window"),
        (100, 2018065, "message tag"),
        (551, 1545041, "isn't available on Messenger"),
        (613, None, "limiting how fast"),
        (4, None, "limiting how fast"),
        (32, None, "limiting how fast"),
        (190, None, "access token"),
        (12345, None, "error 12345"),
    ],
)
def test_meta_errors_are_sentences(code: int, subcode: int | None, needle: str) -> None:
    sentence = error_sentence(code, subcode)
    assert needle in sentence
    assert sentence[0].isupper() and sentence.endswith(".")


def test_config_off_without_secrets_and_from_a_file(tmp_path: Path) -> None:
    assert load_config({}) is None
    assert load_config({"MESSENGER_APP_SECRET": "a"}) is None
    file = tmp_path / "messenger.json"
    file.write_text(
        json.dumps(
            {"app_secret": "from-file", "verify_token": "v", "allowed_tags": ["human_agent"]}
        )
    )
    config = load_config({"MESSENGER_CONFIG": str(file), "MESSENGER_VERIFY_TOKEN": "env-wins"})
    assert config is not None
    assert config.app_secret.reveal() == "from-file"
    assert config.verify_token.reveal() == "env-wins"
    assert config.allowed_tags == ("HUMAN_AGENT",)
    assert config.graph_url == "https://graph.facebook.com/v25.0"
    assert config.page_token is None
    assert "from-file" not in repr(config) and "from-file" not in f"{config.app_secret}"
    assert str(Secret("x")) == "Secret('***')"
