"""Waiting-since, the server-corrected clock and the response timer's states and text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from agent_desktop.core.clock import ServerClock, compute_waiting_since, timer_reading
from agent_desktop.core.metrics import MetricMessage

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
M = timedelta(minutes=1)


def msg(minutes_ago: float, author: str, kind: str = "text") -> MetricMessage:
    return MetricMessage(at=NOW - timedelta(minutes=minutes_ago), author=author, kind=kind)  # type: ignore[arg-type]


def test_no_customer_message_no_waiting() -> None:
    assert compute_waiting_since([]) is None
    assert compute_waiting_since([msg(5, "agent"), msg(3, "automated")]) is None


def test_oldest_unanswered_customer_message() -> None:
    msgs = [msg(30, "customer"), msg(20, "agent"), msg(10, "customer"), msg(5, "customer")]
    assert compute_waiting_since(msgs) == NOW - 10 * M


def test_last_public_message_is_the_shops() -> None:
    assert compute_waiting_since([msg(10, "customer"), msg(5, "agent")]) is None


def test_notes_and_automated_messages_do_not_stop_the_clock() -> None:
    msgs = [
        msg(10, "customer"),
        msg(9, "agent", kind="note"),
        msg(8, "automated"),
        msg(7, "system"),
    ]
    assert compute_waiting_since(msgs) == NOW - 10 * M


def test_waiting_since_is_order_independent() -> None:
    msgs = [msg(5, "customer"), msg(20, "agent"), msg(10, "customer")]
    assert compute_waiting_since(msgs) == NOW - 10 * M


class FakeLocal:
    def __init__(self, t: datetime) -> None:
        self.t = t

    def __call__(self) -> datetime:
        return self.t


def test_server_clock_corrects_a_wrong_local_clock() -> None:
    local = FakeLocal(NOW - timedelta(hours=2))  # workstation two hours behind
    clock = ServerClock(local)
    assert not clock.synced
    assert clock.now() == NOW - timedelta(hours=2)
    clock.update(NOW)
    assert clock.synced
    assert clock.offset == timedelta(hours=2)
    local.t += timedelta(seconds=30)
    assert clock.now() == NOW + timedelta(seconds=30)
    assert clock.now().tzinfo is not None and clock.now().utcoffset() == timedelta(0)


def test_server_clock_update_with_receive_time_and_offset_zone() -> None:
    clock = ServerClock(FakeLocal(NOW))
    # 13:00:05 in Paris (UTC+1 in March) is 12:00:05 UTC: five seconds ahead of us.
    paris = datetime(2026, 3, 20, 13, 0, 5, tzinfo=timezone(timedelta(hours=1)))
    clock.update(paris, received_at=NOW)
    assert clock.offset == timedelta(seconds=5)
    assert clock.now() == NOW + timedelta(seconds=5)


T = 300.0


@pytest.mark.parametrize(
    ("elapsed", "state"),
    [
        (0.0, "ok"),
        (0.5999 * T, "ok"),  # 59.99 %
        (0.6 * T, "warning"),  # exactly 60 %
        (T - 0.001, "warning"),
        (T, "breached"),  # exactly 100 %
        (10 * T, "breached"),
    ],
)
def test_timer_states_at_the_boundaries(elapsed: float, state: str) -> None:
    reading = timer_reading(NOW - timedelta(seconds=elapsed), NOW, T, "open")
    assert reading.state == state
    assert reading.elapsed_seconds == pytest.approx(elapsed, abs=1e-6)


def test_timer_text_and_overdue() -> None:
    assert timer_reading(NOW - timedelta(seconds=65), NOW, T).text == "1:05"
    breached = timer_reading(NOW - timedelta(seconds=383), NOW, T)
    assert breached.text == "+1:23"
    assert breached.overdue_seconds == 83.0
    at_target = timer_reading(NOW - timedelta(seconds=300), NOW, T)
    assert (at_target.state, at_target.text) == ("breached", "+0:00")
    long = timer_reading(NOW - timedelta(seconds=300 + 3723), NOW, T)
    assert long.text == "+1:02:03"
    assert timer_reading(NOW - timedelta(seconds=59.9), NOW, T).text == "0:59"


@pytest.mark.parametrize("status", ["resolved", "spam"])
def test_no_timer_for_resolved_and_spam(status: str) -> None:
    reading = timer_reading(NOW - M, NOW, T, status)
    assert (reading.state, reading.text) == ("none", "")


def test_no_timer_when_nobody_waits() -> None:
    assert timer_reading(None, NOW, T, "open").state == "none"


def test_clock_skew_clamps_to_zero() -> None:
    reading = timer_reading(NOW + timedelta(seconds=20), NOW, T, "pending")
    assert (reading.state, reading.elapsed_seconds, reading.text) == ("ok", 0.0, "0:00")
