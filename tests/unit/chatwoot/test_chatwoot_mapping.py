"""Pure mapping rules of the Chatwoot connector: canned-response variables both ways, statuses,
channels, money, ActionCable frames."""

from __future__ import annotations

import json

import pytest

from agent_desktop.backends.chatwoot import cable
from agent_desktop.backends.chatwoot.mapping import channel_from, minor_units, status_from
from agent_desktop.backends.chatwoot.models import CwConversation, to_datetime
from agent_desktop.backends.chatwoot.templates import (
    chatwoot_only_variables,
    from_chatwoot,
    to_chatwoot,
    unfillable_variables,
)
from agent_desktop.core.templates import KNOWN_VARIABLES


def test_variables_translate_both_ways() -> None:
    ours = "Hi {{customer.first_name}} ({{customer.name}}), {{agent.name}} here. {{order.number}}"
    theirs = to_chatwoot(ours)
    assert (
        theirs
        == "Hi {{contact.first_name}} ({{contact.name}}), {{agent.name}} here. {{order.number}}"
    )
    assert from_chatwoot(theirs) == ours
    assert to_chatwoot("{{ customer.first_name | there }}") == "{{ contact.first_name | there }}"
    assert (
        from_chatwoot("{{contact.phone_number}} {{contact.phone}}")
        == "{{customer.phone}} {{customer.phone}}"
    )


def test_unfillable_variables() -> None:
    body = "{{customer.first_name}} {{order.tracking_url}} {{order.eta}} {{agent.name}}"
    assert unfillable_variables(body) == ["order.tracking_url", "order.eta"]
    # Every order.* and return.* variable of our templates is beyond Chatwoot; customer/agent ones are not.
    for name in KNOWN_VARIABLES:
        assert (name in unfillable_variables("{{" + name + "}}")) == name.startswith(
            ("order.", "return.")
        )
    assert chatwoot_only_variables("{{inbox.name}} {{contact.name}}") == ["inbox.name"]


@pytest.mark.parametrize(
    ("status", "labels", "expected"),
    [
        ("open", [], "open"),
        ("pending", [], "pending"),
        ("snoozed", [], "pending"),
        ("resolved", [], "resolved"),
        ("resolved", ["spam"], "spam"),
        ("weird", [], "open"),
    ],
)
def test_status_mapping(status: str, labels: list[str], expected: str) -> None:
    conv = CwConversation.model_validate({"id": 1, "status": status, "labels": labels})
    assert status_from(conv) == expected


def test_channels_and_money_and_times() -> None:
    assert channel_from("Channel::FacebookPage") == "messenger"
    assert channel_from("Channel::WebWidget") == "web_widget"
    assert channel_from(None) == "unknown"
    assert minor_units("59.90", "EUR") == 5990
    assert minor_units("1200", "JPY") == 1200
    assert minor_units(None, "EUR") == 0
    assert to_datetime(0) is None and to_datetime("") is None
    assert to_datetime("1635764265") == to_datetime(1635764265)
    assert to_datetime("2021-11-01T10:57:45.790Z") is not None


def test_cable_frames() -> None:
    ident = cable.identifier("tok", 3, 7)
    assert json.loads(ident) == {
        "channel": "RoomChannel",
        "pubsub_token": "tok",
        "account_id": 3,
        "user_id": 7,
    }
    sub = json.loads(cable.subscribe_frame(ident))
    assert sub == {"command": "subscribe", "identifier": ident}
    presence = json.loads(cable.presence_frame(ident))
    assert json.loads(presence["data"]) == {"action": "update_presence"}
    assert cable.cable_url("https://chat.example.com") == "wss://chat.example.com/cable"
    assert cable.cable_url("http://127.0.0.1:3000/") == "ws://127.0.0.1:3000/cable"
    frame = cable.decode(
        json.dumps({"identifier": ident, "message": {"event": "x", "data": {"a": 1}}})
    )
    assert frame is not None and frame.event == "x" and frame.data == {"a": 1}
    assert cable.decode("not json") is None and cable.decode("[1]") is None
    welcome = cable.decode('{"type":"welcome"}')
    assert welcome is not None and welcome.type == "welcome"
