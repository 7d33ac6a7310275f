"""Meta's rules in one place: each change has its day, the reply window follows the rules of the
time asked about, and retired tags are known with the day they stopped working."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from agent_desktop.core.messenger_rules import (
    HISTORY,
    HUMAN_AGENT_TAG,
    format_day,
    retired_tag_sentence,
    retired_tags,
    rules_on,
)
from agent_desktop.core.reply_window import reply_window


def test_history_is_in_order_and_every_entry_names_its_source() -> None:
    days = [r.since for r in HISTORY]
    assert days == sorted(days) and len(set(days)) == len(days)
    assert all(r.source.startswith("https://developers.facebook.com/") for r in HISTORY)


def test_three_tags_retired_on_27_april_2026() -> None:
    before = datetime(2026, 4, 26, 23, 59, tzinfo=UTC)
    after = datetime(2026, 4, 27, 0, 0, tzinfo=UTC)
    assert "POST_PURCHASE_UPDATE" in rules_on(before).tags
    assert rules_on(after).tags == frozenset({HUMAN_AGENT_TAG})
    assert retired_tags(before) == {}
    assert retired_tags(after) == {
        "CONFIRMED_EVENT_UPDATE": date(2026, 4, 27),
        "ACCOUNT_UPDATE": date(2026, 4, 27),
        "POST_PURCHASE_UPDATE": date(2026, 4, 27),
    }
    assert not rules_on(before).utility_messages and rules_on(after).utility_messages
    sentence = retired_tag_sentence("ACCOUNT_UPDATE", date(2026, 4, 27))
    assert "ACCOUNT_UPDATE" in sentence and "27 April 2026" in sentence
    assert format_day(date(2026, 9, 3)) == "3 September 2026"


def test_the_ad_window_and_limits_of_today() -> None:
    today = rules_on(datetime(2026, 12, 1, tzinfo=UTC))
    assert today.ad_standard_window == timedelta(days=7)
    assert rules_on(datetime(2026, 9, 27, tzinfo=UTC)).ad_standard_window is None
    assert (today.text_per_second, today.media_per_second) == (300, 10)
    assert today.sends_per_engaged_user_per_day == 200
    assert today.sticker_attachments


def test_a_longer_standard_window_from_an_ad() -> None:
    first = datetime(2026, 11, 1, 12, tzinfo=UTC)
    until = first + timedelta(days=7)
    w = reply_window(first, first + timedelta(days=3), until)
    assert (w.state, w.closes_at) == ("standard", until)
    # It never makes the window shorter, and after it the human agent window remains.
    assert reply_window(first, first + timedelta(hours=1), first).state == "standard"
    later = first + timedelta(days=4)
    w = reply_window(later, until, until)
    assert (w.state, w.closes_at) == ("human_agent", later + timedelta(days=7))
    assert reply_window(first, until, until).state == "closed"
