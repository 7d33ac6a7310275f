"""The client's one retry policy: how long to wait before attempt n+1 of anything that failed for
a passing reason (a request, the event stream's reconnection, the outbox's delivery).

base·2ⁿ seconds, capped, spread by ±`jitter` so that clients reconnecting after a server restart
do not all come back at once. Both connectors and the outbox use it; the outbox keeps its own
loop (it wakes up early when the stream comes back) but takes its delays from here. The server's
cluster connections (server/cluster.py) reconnect on the same schedule, without jitter.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass

BACKOFF_CAP = 30.0


def backoff_delay(
    attempt: int,
    *,
    base: float = 0.5,
    cap: float = BACKOFF_CAP,
    jitter: float = 0.2,
    rng: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retry number `attempt` (0-based): base·2^attempt, capped, ± jitter.

    The jitter is a fraction of the delay (0.2 → ±20 %), and the result never exceeds `cap`.
    """
    raw = min(cap, base * float(2 ** min(attempt, 32)))
    spread = raw * jitter * (2 * rng() - 1)
    return max(0.0, min(cap, raw + spread))


@dataclass(frozen=True)
class RetryPolicy:
    """A backoff schedule: `delay(attempt)`, or `await sleep(attempt)`."""

    base: float = 0.5
    cap: float = BACKOFF_CAP
    jitter: float = 0.2

    def delay(self, attempt: int) -> float:
        return backoff_delay(attempt, base=self.base, cap=self.cap, jitter=self.jitter)

    async def sleep(self, attempt: int) -> None:
        await asyncio.sleep(self.delay(attempt))
