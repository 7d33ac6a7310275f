"""Messenger's reply window: its transitions at exactly 24 h and 7 days, and the tags it demands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agent_desktop.core.reply_window import (
    DEFAULT_ALLOWED_TAGS,
    ReplyNotAllowed,
    messaging_type,
    reply_window,
    required_tag,
)

LAST = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
US = timedelta(microseconds=1)


def test_no_customer_message() -> None:
    w = reply_window(None, LAST)
    assert (w.state, w.closes_at) == ("none", None)


@pytest.mark.parametrize(
    ("age", "state", "closes_at"),
    [
        (timedelta(0), "standard", LAST + timedelta(hours=24)),
        (timedelta(hours=24) - US, "standard", LAST + timedelta(hours=24)),
        (timedelta(hours=24), "human_agent", LAST + timedelta(days=7)),
        (timedelta(days=7) - US, "human_agent", LAST + timedelta(days=7)),
        (timedelta(days=7), "closed", None),
        (timedelta(days=30), "closed", None),
    ],
)
def test_window_transitions(age: timedelta, state: str, closes_at: datetime | None) -> None:
    w = reply_window(LAST, LAST + age)
    assert w.state == state
    assert w.closes_at == closes_at


def test_required_tags() -> None:
    assert required_tag("standard", DEFAULT_ALLOWED_TAGS) is None
    assert required_tag("human_agent", DEFAULT_ALLOWED_TAGS) == "HUMAN_AGENT"
    assert required_tag("human_agent", ["HUMAN_AGENT", "ACCOUNT_UPDATE"]) == "HUMAN_AGENT"


def test_human_agent_tag_retired_by_configuration() -> None:
    with pytest.raises(ReplyNotAllowed, match="HUMAN_AGENT"):
        required_tag("human_agent", [])


def test_closed_window_refuses() -> None:
    with pytest.raises(ReplyNotAllowed, match="7 days"):
        required_tag("closed", DEFAULT_ALLOWED_TAGS)


def test_messaging_type() -> None:
    assert messaging_type("standard") == "RESPONSE"
    assert messaging_type("human_agent") == "MESSAGE_TAG"
