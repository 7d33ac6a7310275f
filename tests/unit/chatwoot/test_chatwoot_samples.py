"""Every payload fixture in the Chatwoot reference folder parses into the client's types, and
malformed payloads become ProtocolError (never a crash)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.backends.base import ProtocolError
from agent_desktop.backends.chatwoot.backend import ChatwootBackend, parse
from agent_desktop.backends.chatwoot.mapping import message_from, thread_from
from agent_desktop.backends.chatwoot.models import (
    CwAppliedSla,
    CwConversation,
    CwConversationList,
    CwMessage,
    CwReportPoint,
    CwReportSummary,
    CwSlaPolicy,
)
from agent_desktop.core.types import Message, Thread

# Real payloads captured by Chatwoot's developers, copied into tests/fixtures/chatwoot.
FIXTURES = Path(__file__).parents[2] / "fixtures" / "chatwoot" / "samples" / "fixtures"

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def conversations_list(data: Any) -> list[Thread]:
    listing = CwConversationList.model_validate({"data": data})  # the HTTP body wraps it
    return [thread_from(c, now=NOW) for c in listing.data.payload]


def conversation(data: Any) -> list[Thread]:
    return [thread_from(CwConversation.model_validate(data), now=NOW)]


def messages(data: Any) -> list[Message]:
    return [message_from(CwMessage.model_validate(m)) for m in data]


def ws_message(data: Any) -> list[Message]:
    return [message_from(CwMessage.model_validate(data))]


PARSERS: dict[str, Callable[[Any], list[Any]]] = {
    "conversations_list.data.dashboard-spec.json": conversations_list,
    "conversation.dashboard-helper-spec.json": conversation,
    "messages.text_only.story-fixture.json": messages,
    "messages.email.story-fixture.json": messages,
    "ws.message_updated.mobile-story-fixture.json": ws_message,
    "reports_summary.dashboard-spec.json": lambda d: [CwReportSummary.model_validate(d)],
    "reports_bot_summary.dashboard-spec.json": lambda d: [CwReportSummary.model_validate(d)],
    "reports_timeseries.dashboard-spec.json": lambda d: [
        CwReportPoint.model_validate(p) for p in d["data"]
    ],
    "sla_policies.dashboard-spec.json": lambda d: [CwSlaPolicy.model_validate(p) for p in d],
    "applied_slas.dashboard-spec.json": lambda d: [CwAppliedSla.model_validate(p) for p in d],
}


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.json")), ids=lambda p: p.name)
def test_fixture_parses(path: Path) -> None:
    assert path.name in PARSERS, f"no parser for new fixture {path.name}"
    parsed = PARSERS[path.name](json.loads(path.read_text(encoding="utf-8")))
    assert parsed


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_conversation_list_maps() -> None:
    (thread,) = conversations_list(load("conversations_list.data.dashboard-spec.json"))
    assert thread.id == "10" and thread.customer.name == "damp-field-834"
    assert thread.channel == "web_widget" and thread.reply_window.state == "none"
    assert thread.assignee_id == "1"
    assert thread.last_message is not None and thread.last_message.author.kind == "agent"
    # The 2021 payload has no waiting_since: computed from its messages (last is the agent's).
    assert thread.waiting_since is None


def test_waiting_since_computed_from_messages_when_absent() -> None:
    (thread,) = conversation(load("conversation.dashboard-helper-spec.json"))
    assert thread.waiting_since == datetime.fromtimestamp(1621145476, UTC)
    assert thread.last_customer_message_at == datetime.fromtimestamp(1621145476, UTC)


def test_message_kinds_and_authors() -> None:
    items = messages(load("messages.text_only.story-fixture.json"))
    by_id = {m.id: m for m in items}
    assert by_id["5272"].author.kind == "customer"
    assert by_id["5273"].author.kind == "automated"  # template (3)
    assert by_id["5276"].author.kind == "system"  # activity (2)
    assert by_id["5277"].author.kind == "agent" and by_id["5277"].author.name == "John"
    assert by_id["5281"].kind == "note"  # private
    assert by_id["5285"].delivery == "sent"  # "progress"
    failed = by_id["5286"]
    assert failed.delivery == "failed" and failed.error and "restricted" in failed.error
    (updated,) = ws_message(load("ws.message_updated.mobile-story-fixture.json"))
    assert updated.delivery == "read" and updated.thread_id == "1016"
    assert updated.attachments[0].kind == "file"


def test_report_numbers_are_seconds() -> None:
    summary = CwReportSummary.model_validate(load("reports_summary.dashboard-spec.json"))
    assert summary.avg_first_response_time == pytest.approx(198.6666, rel=1e-4)
    assert summary.conversations_count == 5000


@pytest.mark.parametrize(
    "payload",
    [
        {"id": "not-a-number"},
        {"meta": {}},
        {"id": 1, "messages": [{"id": "x"}]},
        {"id": 1, "meta": {"sender": {"name": "no id"}}},
        [],
    ],
)
def test_malformed_conversation_is_protocol_error(payload: Any) -> None:
    with pytest.raises(ProtocolError):
        parse(CwConversation, payload, what="conversation")


def test_message_without_time_is_protocol_error() -> None:
    with pytest.raises(ProtocolError):
        message_from(CwMessage.model_validate({"id": 1, "conversation_id": 2}))


async def test_malformed_broadcast_is_skipped() -> None:
    backend = ChatwootBackend("http://127.0.0.1:9", account_id=1, token="t")
    try:
        out = [
            i
            async for i in backend.live._translate(
                "conversation.updated", {"id": "zz", "account_id": 1}
            )
        ]
        assert out == []
        out = [i async for i in backend.live._translate("message.created", {"content": "no id"})]
        assert out == []
        good = load("conversation.dashboard-helper-spec.json")
        out = [i async for i in backend.live._translate("conversation.status_changed", good)]
        assert len(out) == 1 and backend.seq == 1
        out = [
            i
            async for i in backend.live._translate(
                "conversation.updated", {**good, "account_id": 99}
            )
        ]
        assert out == []  # another account's event
    finally:
        await backend.aclose()
