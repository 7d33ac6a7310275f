"""The response clock of SPEC §2: when a thread started waiting, the server-corrected time, and the
live timer's reading (ok / warning / breached) against the team's target.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from agent_desktop.core.metrics import MetricMessage

__all__ = [
    "WARNING_FRACTION",
    "ServerClock",
    "TimerReading",
    "TimerState",
    "compute_waiting_since",
    "format_elapsed",
    "timer_reading",
]

TimerState = Literal["none", "ok", "warning", "breached"]
WARNING_FRACTION = 0.6  # the timer turns to "warning" at 60 % of the target
NO_TIMER_STATUSES = frozenset({"resolved", "spam"})


def _aware(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt


def compute_waiting_since(messages: Sequence[MetricMessage]) -> datetime | None:
    """The time of the oldest customer message that no public human reply has followed.

    None when no customer message exists or the last public message is the shop's. Notes and
    automated or system messages neither stop nor start the clock. Messages may come in any order.
    """
    waiting: datetime | None = None
    ordered = sorted(
        (m for m in messages if m.kind != "note" and m.author in ("customer", "agent")),
        key=lambda m: (_aware(m.at), m.author != "customer"),
    )
    for m in ordered:
        if m.author == "customer":
            if waiting is None:
                waiting = _aware(m.at)
        else:
            waiting = None
    return waiting


class Clock(Protocol):
    """Anything that tells the server's time (`ServerClock` fits; tests give fixed clocks)."""

    def now(self) -> datetime: ...


class ServerClock:
    """The server's time as seen from this workstation.

    Each response's `server_time` updates the offset between the local clock and the server's, so
    a wrong workstation clock never skews a timer. `local` is the local time source (injectable for
    tests); `now()` returns the corrected time, aware UTC.
    """

    def __init__(self, local: Callable[[], datetime] | None = None) -> None:
        self._local = local or (lambda: datetime.now(UTC))
        self._offset = timedelta(0)
        self._synced = False

    @property
    def offset(self) -> timedelta:
        """Server time minus local time, from the latest `update`."""
        return self._offset

    @property
    def synced(self) -> bool:
        return self._synced

    def update(self, server_time: datetime, received_at: datetime | None = None) -> None:
        """Take the server's clock reading `server_time`, received at local time `received_at`."""
        local = _aware(received_at) if received_at is not None else _aware(self._local())
        self._offset = _aware(server_time) - local
        self._synced = True

    def now(self) -> datetime:
        return (_aware(self._local()) + self._offset).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class TimerReading:
    """What a thread's response timer shows: its state, the seconds waited and overdue, the text."""

    state: TimerState
    elapsed_seconds: float
    overdue_seconds: float
    text: str


NO_TIMER = TimerReading("none", 0.0, 0.0, "")


def format_elapsed(seconds: float) -> str:
    """ "m:ss" below an hour, "h:mm:ss" from an hour on (whole seconds, rounded down)."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def timer_reading(
    waiting_since: datetime | None, now: datetime, target_seconds: float, status: str = "open"
) -> TimerReading:
    """The timer of a thread waiting since `waiting_since`, at `now`, against the target.

    `ok` below 60 % of the target, `warning` from 60 % up to the target, `breached` from the target
    on (the text then shows the overdue time, "+1:23"). Resolved and spam threads, and threads
    nobody waits in, have no timer. A negative elapsed time (clock skew) counts as zero.
    """
    if waiting_since is None or status in NO_TIMER_STATUSES:
        return NO_TIMER
    elapsed = max(0.0, (_aware(now) - _aware(waiting_since)).total_seconds())
    if elapsed >= target_seconds:
        overdue = elapsed - target_seconds
        return TimerReading("breached", elapsed, overdue, "+" + format_elapsed(overdue))
    state: TimerState = "warning" if elapsed >= WARNING_FRACTION * target_seconds else "ok"
    return TimerReading(state, elapsed, 0.0, format_elapsed(elapsed))
