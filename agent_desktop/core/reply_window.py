"""Messenger's reply window (SPEC §2): free replies for 24 h after the customer's last message (up
to 7 days after the first message that follows a Click-to-Messenger ad), then only a human agent
with the HUMAN_AGENT tag until 7 days after that last message, then none.

The durations come from `messenger_rules` (Meta's rules at the time asked about). The list of
allowed message tags is configuration (Meta retires tags): callers pass it in.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from agent_desktop.core.messenger_rules import HISTORY, HUMAN_AGENT_TAG, rules_on

if TYPE_CHECKING:
    from agent_desktop.core.literals import WindowState
    from agent_desktop.core.types import ReplyWindow

__all__ = [
    "DEFAULT_ALLOWED_TAGS",
    "HUMAN_AGENT_TAG",
    "HUMAN_AGENT_WINDOW",
    "STANDARD_WINDOW",
    "ReplyNotAllowed",
    "messaging_type",
    "reply_window",
    "required_tag",
]

# Today's durations, for code that needs a constant (the server's window-change announcer).
STANDARD_WINDOW: timedelta = HISTORY[-1].standard_window
HUMAN_AGENT_WINDOW: timedelta = HISTORY[-1].human_agent_window
DEFAULT_ALLOWED_TAGS: tuple[str, ...] = (HUMAN_AGENT_TAG,)


class ReplyNotAllowed(Exception):
    """Messenger does not allow a reply in this window; the message is a sentence for people,
    `code` says which case (the interface translates by it)."""

    def __init__(self, message: str, code: str = "window_closed") -> None:
        super().__init__(message)
        self.code = code


def _aware(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt


def reply_window(
    last_customer_message_at: datetime | None,
    now: datetime,
    standard_until: datetime | None = None,
) -> ReplyWindow:
    """The window a thread is in at `now`, and when that state ends.

    standard below 24 h since the customer's last message (or before `standard_until`, the end
    of a longer standard window such as the 7 days a Click-to-Messenger ad opens), human_agent
    from then to below 7 days after the last message, closed from exactly 7 days (closes_at
    None); none when the customer never wrote.
    """
    from agent_desktop.core.types import ReplyWindow

    if last_customer_message_at is None:
        return ReplyWindow(state="none", closes_at=None)
    rules = rules_on(now)
    last = _aware(last_customer_message_at).astimezone(UTC)
    at = _aware(now)
    standard_end = last + rules.standard_window
    if standard_until is not None:
        standard_end = max(standard_end, _aware(standard_until).astimezone(UTC))
    human_end = last + rules.human_agent_window
    if at < standard_end:
        return ReplyWindow(state="standard", closes_at=standard_end)
    if at < human_end:
        return ReplyWindow(state="human_agent", closes_at=human_end)
    return ReplyWindow(state="closed", closes_at=None)


def required_tag(state: WindowState, allowed_tags: Collection[str]) -> str | None:
    """The message tag a reply needs in `state`; raises ReplyNotAllowed when none may be sent.

    Threads outside Messenger's rules (state "none": no customer message to answer within a
    window) need no tag.
    """
    if state in ("standard", "none"):
        return None
    if state == "human_agent":
        if HUMAN_AGENT_TAG in allowed_tags:
            return HUMAN_AGENT_TAG
        raise ReplyNotAllowed(
            "The customer's last message is more than 24 hours old and the HUMAN_AGENT tag is "
            "not allowed for this Page, so Messenger does not accept a reply.",
            "human_agent_not_allowed",
        )
    raise ReplyNotAllowed(
        "The customer's last message is more than 7 days old, so Messenger no longer accepts a "
        "reply in this conversation."
    )


def messaging_type(state: WindowState) -> Literal["RESPONSE", "MESSAGE_TAG"]:
    """The Send API's messaging_type for a reply in `state`."""
    return "MESSAGE_TAG" if state == "human_agent" else "RESPONSE"
