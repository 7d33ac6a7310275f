"""The sender's pace: below Meta's per-Page rates (Messenger Platform rate limits, updated 23 March
2026): 300 Send API calls a second for text, 10 for audio and video, and 200 calls per engaged user
in any rolling 24 hours. The sender keeps to `share` (90 %) of each, so Meta never has to refuse
a call for speed, and a burst of replies goes out as fast as allowed, in order, without a storm of
refusals and retries.

`Pacer` is plain logic on an injected clock (seconds): `delay(kind)` says how long a send of that
kind must wait, `take(kind)` records one. `acquire(kind)` waits as needed and records it. One
process, one Pacer per Page; several server instances sharing a Page divide `share` among them
(`instances`).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Literal

from agent_desktop.core.messenger_rules import Rules, current_rules

Kind = Literal["text", "media"]
DAY = 24 * 3600.0


class Pacer:
    def __init__(
        self,
        rules: Rules | None = None,
        *,
        share: float = 0.9,
        instances: int = 1,
        engaged_users: Callable[[], int] = lambda: 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        rules = rules or current_rules()
        part = share / max(1, instances)
        self.per_second: dict[Kind, int] = {
            "text": max(1, math.floor(rules.text_per_second * part)),
            "media": max(1, math.floor(rules.media_per_second * part)),
        }
        self.per_user_per_day = max(1, math.floor(rules.sends_per_engaged_user_per_day * part))
        self._engaged_users = engaged_users
        self._clock = clock
        self._sleep = sleep
        self._second: dict[Kind, deque[float]] = {"text": deque(), "media": deque()}
        self._day: deque[float] = deque()

    def daily_budget(self) -> int:
        return self.per_user_per_day * max(1, self._engaged_users())

    def daily_blocked(self, now: float | None = None) -> bool:
        """True when the rolling 24-hour budget is what holds the next send back."""
        now = self._clock() if now is None else now
        while self._day and self._day[0] <= now - DAY:
            self._day.popleft()
        return len(self._day) >= self.daily_budget()

    def delay(self, kind: Kind, now: float | None = None) -> float:
        """Seconds until a send of `kind` may start (0: now)."""
        now = self._clock() if now is None else now
        recent = self._second[kind]
        while recent and recent[0] <= now - 1.0:
            recent.popleft()
        while self._day and self._day[0] <= now - DAY:
            self._day.popleft()
        wait = 0.0
        if len(recent) >= self.per_second[kind]:
            wait = recent[len(recent) - self.per_second[kind]] + 1.0 - now
        budget = self.daily_budget()
        if len(self._day) >= budget:
            wait = max(wait, self._day[len(self._day) - budget] + DAY - now)
        return max(0.0, wait)

    def take(self, kind: Kind, now: float | None = None) -> None:
        now = self._clock() if now is None else now
        self._second[kind].append(now)
        self._day.append(now)

    async def acquire(
        self,
        kind: Kind = "text",
        *,
        refresh: Callable[[], Awaitable[None]] | None = None,
        max_wait: float = 5.0,
    ) -> None:
        """Wait until a send of `kind` keeps within every rate, then count it. A long wait (the
        daily budget) is taken in steps of `max_wait`, calling `refresh` before each, so a new
        count of engaged users (more people write) can shorten it."""
        while True:
            if refresh is not None:
                await refresh()
            wait = self.delay(kind)
            if wait <= 0:
                self.take(kind)
                return
            await self._sleep(min(wait, max_wait))


def message_kind(message: dict[str, object]) -> Kind:
    """`media` for a Send API message carrying audio or video, else `text`."""
    attachment = message.get("attachment")
    if isinstance(attachment, dict) and attachment.get("type") in ("audio", "video"):
        return "media"
    return "text"
