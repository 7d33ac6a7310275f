"""Messenger's live rules, in one place, with the date each took effect and the Meta page it follows.

Meta changes the rules from time to time (it retired three message tags on 27 April 2026, gave
Click-to-Messenger ads a 7-day standard window on 28 September 2026). Each change is one more
`Rules` entry at the end of `HISTORY`; everything else (the reply window, the tags the server
accepts, the sentences explaining a refusal, the sender's pacing) reads `rules_on(now)`.

Plain Python: no Qt, no I/O. The server and the client share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

__all__ = [
    "HISTORY",
    "HUMAN_AGENT_TAG",
    "PAGE_INBOX_APP_ID",
    "PAGE_RESTRICTED",
    "RETIRED_TAG_SENTENCE",
    "Rules",
    "current_rules",
    "format_day",
    "retired_tag_sentence",
    "retired_tags",
    "rules_on",
]

HUMAN_AGENT_TAG = "HUMAN_AGENT"

# The Page inbox (Meta Business Suite) as an app in Conversation Routing webhooks
# (`new_owner_app_id` of pass_thread_control, `app_id` of an echo written there).
PAGE_INBOX_APP_ID = "263902037430900"

# Send API error: the Page is temporarily restricted from sending (Meta's "Common Error Codes",
# added 25 June 2026).
PAGE_RESTRICTED = (10, 1893063)

_SEND_MESSAGES = (
    "https://developers.facebook.com/documentation/business-messaging/messenger-platform/"
    "send-messages"
)
_POLICY = (
    "https://developers.facebook.com/documentation/business-messaging/messenger-platform/policy/"
)
_RATE_LIMITS = (
    "https://developers.facebook.com/documentation/business-messaging/messenger-platform/"
    "overview/rate-limiting"
)
_CHANGELOG = (
    "https://developers.facebook.com/documentation/business-messaging/messenger-platform/changelog/"
)


@dataclass(frozen=True, slots=True)
class Rules:
    """What Messenger allows from `since` (00:00 UTC) until the next entry of `HISTORY`."""

    since: date
    source: str  # the Meta page that announced this state of the rules
    # Free replies after the customer's last message.
    standard_window: timedelta = timedelta(hours=24)
    # The standard window opened by the first message after a Click-to-Messenger ad (None: no
    # longer than the usual one).
    ad_standard_window: timedelta | None = None
    # A human agent may answer with the HUMAN_AGENT tag until this long after the last message.
    human_agent_window: timedelta = timedelta(days=7)
    # Message tags the Send API accepts.
    tags: frozenset[str] = frozenset({HUMAN_AGENT_TAG})
    # Order and account updates outside the standard window go as utility messages (templates).
    utility_messages: bool = False
    # Sticker webhooks may carry a "sticker" attachment (besides, or instead of, the "image" one).
    sticker_attachments: bool = False
    # Limits per Page: Send API calls a second for text (links, reactions, stickers too) and for
    # audio or video; Messenger API calls per rolling 24 hours per engaged user (a person the
    # business can message through Messenger).
    text_per_second: int = 300
    media_per_second: int = 10
    sends_per_engaged_user_per_day: int = 200
    notes: tuple[str, ...] = field(default=())


_LEGACY_TAGS = frozenset(
    {HUMAN_AGENT_TAG, "CONFIRMED_EVENT_UPDATE", "ACCOUNT_UPDATE", "POST_PURCHASE_UPDATE"}
)


def _build(first: Rules, *changes: dict[str, Any]) -> tuple[Rules, ...]:
    """`first`, then each change applied to the entry before it."""
    history = [first]
    for change in changes:
        history.append(replace(history[-1], **change))
    return tuple(history)


# Oldest first; a new rule from Meta is one more dict at the end.
HISTORY: tuple[Rules, ...] = _build(
    Rules(
        since=date(2020, 3, 4),
        source=_POLICY,
        tags=_LEGACY_TAGS,
        notes=("Message tags policy of 4 March 2020.",),
    ),
    {
        "since": date(2026, 3, 23),
        "source": _RATE_LIMITS,
        "notes": (
            "Send API: 300 calls/s per Page for text, 10/s for audio and video, "
            "200 × engaged users per rolling 24 hours.",
        ),
    },
    {
        "since": date(2026, 4, 27),
        "source": _SEND_MESSAGES + "#message-tags",
        "tags": frozenset({HUMAN_AGENT_TAG}),
        "utility_messages": True,
        "notes": (
            "CONFIRMED_EVENT_UPDATE, ACCOUNT_UPDATE and POST_PURCHASE_UPDATE get error 100; "
            "order and account updates outside the window go as utility messages.",
        ),
    },
    {
        "since": date(2026, 6, 1),
        "source": _CHANGELOG,
        "sticker_attachments": True,
        "notes": (
            "Sticker webhooks carry a 'sticker' attachment beside the 'image' one, and "
            "only the 'sticker' one from 30 August 2026.",
        ),
    },
    {
        "since": date(2026, 9, 28),
        "source": _POLICY,
        "ad_standard_window": timedelta(days=7),
        "notes": (
            "The first message after a Click-to-Messenger ad opens a standard window of "
            "up to 7 days.",
        ),
    },
)


def _day(at: datetime | date) -> date:
    if isinstance(at, datetime):
        aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
        return aware.astimezone(UTC).date()
    return at


def rules_on(at: datetime | date) -> Rules:
    """The rules in force at `at` (a UTC time or a day)."""
    day = _day(at)
    found = HISTORY[0]
    for rules in HISTORY:
        if rules.since <= day:
            found = rules
    return found


def current_rules() -> Rules:
    return rules_on(datetime.now(UTC))


def retired_tags(at: datetime | date) -> dict[str, date]:
    """Every tag Meta once accepted and no longer does at `at`, with the day it stopped."""
    day = _day(at)
    retired: dict[str, date] = {}
    previous: Rules | None = None
    for rules in HISTORY:
        if rules.since > day:
            break
        if previous is not None:
            for tag in previous.tags - rules.tags:
                retired.setdefault(tag, rules.since)
            for tag in rules.tags:
                retired.pop(tag, None)  # brought back
        previous = rules
    return retired


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_day(day: date) -> str:
    """27 April 2026 (English; the client formats dates in its own language)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


RETIRED_TAG_SENTENCE = (
    "Meta retired the {tag} message tag on {date}: Messenger refuses every message sent with it. "
    "Order and account updates outside the 24-hour window now go as utility messages."
)


def retired_tag_sentence(tag: str, retired_on: date) -> str:
    """Why `tag` cannot be allowed, naming the day Meta retired it."""
    return RETIRED_TAG_SENTENCE.format(tag=tag, date=format_day(retired_on))
