"""Hand-computed cases for every rule of the response metrics (SPEC §2 and the metrics issue)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent_desktop.core.metrics import (
    MetricMessage,
    MetricThread,
    Period,
    compute_metrics,
)
from agent_desktop.core.openings_csv import opening_csv_row

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
S = timedelta(seconds=1)
M = timedelta(minutes=1)
H = timedelta(hours=1)
D = timedelta(days=1)


def cust(at: datetime, kind: str = "text") -> MetricMessage:
    return MetricMessage(at=at, author="customer", kind=kind)  # type: ignore[arg-type]


def agent(at: datetime, agent_id: str | None = "a1", kind: str = "text") -> MetricMessage:
    return MetricMessage(at=at, author="agent", kind=kind, agent_id=agent_id)  # type: ignore[arg-type]


def auto(at: datetime) -> MetricMessage:
    return MetricMessage(at=at, author="automated")


def system(at: datetime) -> MetricMessage:
    return MetricMessage(at=at, author="system")


def thread(*messages: MetricMessage, tid: str = "t1", spam: bool = False) -> MetricThread:
    return MetricThread(id=tid, messages=list(messages), spam=spam)


def answered(tid: str, at: datetime, seconds: float, agent_id: str = "a1") -> MetricThread:
    return thread(cust(at), agent(at + timedelta(seconds=seconds), agent_id), tid=tid)


def test_first_customer_message_is_an_opening_answered_in_two_minutes() -> None:
    r = compute_metrics([answered("t1", NOW - 3 * H, 120)], now=NOW)
    assert r.team.openings == 1
    assert r.team.counted == 1
    assert r.team.responded == 1
    assert r.team.response_rate == 1.0
    assert r.team.median_response_seconds == 120.0
    assert r.team.fastest90_mean_seconds == 120.0
    assert r.team.within_target_rate == 1.0
    assert r.team.badge is True
    [op] = r.openings
    assert (op.thread_id, op.state, op.response_seconds, op.agent_id) == (
        "t1",
        "responded",
        120.0,
        "a1",
    )
    assert op.at == NOW - 3 * H and op.clock_start == NOW - 3 * H


def test_empty_input_is_all_null() -> None:
    r = compute_metrics([], now=NOW)
    t = r.team
    assert (t.openings, t.counted, t.responded, t.pending) == (0, 0, 0, 0)
    assert t.response_rate is None
    assert t.median_response_seconds is None
    assert t.fastest90_mean_seconds is None
    assert t.within_target_rate is None
    assert t.badge is False
    assert r.per_agent == {} and list(r.openings) == []


def test_messages_in_any_order() -> None:
    base = NOW - 3 * D
    msgs = [cust(base), agent(base + M), cust(base + 2 * D), agent(base + 2 * D + 2 * M)]
    forward = compute_metrics([thread(*msgs)], now=NOW)
    backward = compute_metrics([thread(*reversed(msgs))], now=NOW)
    assert forward == backward
    assert forward.team.openings == 2


def test_opening_after_exactly_24h_of_silence_but_not_after_23h59() -> None:
    base = NOW - 4 * D
    exactly = thread(cust(base), agent(base + M), cust(base + M + D), tid="x")
    almost = thread(cust(base), agent(base + M), cust(base + M + D - M), tid="y")
    assert compute_metrics([exactly], now=NOW).team.openings == 2
    assert compute_metrics([almost], now=NOW).team.openings == 1


def test_customer_follow_ups_within_24h_are_not_openings() -> None:
    base = NOW - 3 * D
    t = thread(cust(base), cust(base + H), cust(base + 20 * H), agent(base + 21 * H))
    r = compute_metrics([t], now=NOW)
    assert r.team.openings == 1
    assert r.openings[0].response_seconds == 21 * 3600
    assert r.openings[0].state == "responded"


@pytest.mark.parametrize("maker", [auto, system])
def test_automated_and_system_messages_count_as_activity(maker: object) -> None:
    base = NOW - 4 * D
    # An automated message 2 h before the customer's second message: the silence is broken.
    t = thread(cust(base), agent(base + M), maker(base + M + D), cust(base + M + D + 2 * H))  # type: ignore[operator]
    assert compute_metrics([t], now=NOW).team.openings == 1


def test_automated_messages_are_not_responses() -> None:
    base = NOW - 3 * D
    t = thread(cust(base), auto(base + S), system(base + 2 * S))
    r = compute_metrics([t], now=NOW)
    assert r.team.responded == 0
    assert r.openings[0].state == "unanswered"
    assert r.team.counted == 1


def test_first_customer_message_is_an_opening_even_after_an_automated_message() -> None:
    base = NOW - 3 * D
    t = thread(auto(base), cust(base + H), agent(base + H + M))
    r = compute_metrics([t], now=NOW)
    assert r.team.openings == 1 and r.team.responded == 1


def test_notes_are_neither_activity_nor_responses() -> None:
    base = NOW - 4 * D
    # A note 2 h before the second customer message does not break 24 h of silence...
    t = thread(
        cust(base),
        agent(base + M),
        agent(base + M + D, kind="note"),
        cust(base + M + D + 2 * H),
        # ...and a note is not the response: the reply 10 minutes later is.
        agent(base + M + D + 2 * H + 5 * M, agent_id="a2", kind="note"),
        agent(base + M + D + 2 * H + 10 * M, agent_id="a1"),
    )
    r = compute_metrics([t], now=NOW)
    assert r.team.openings == 2
    assert r.openings[1].response_seconds == 600.0
    assert r.openings[1].agent_id == "a1"
    assert "a2" not in r.per_agent


def test_customer_note_is_not_an_opening() -> None:
    t = thread(cust(NOW - 2 * D, kind="note"))
    assert compute_metrics([t], now=NOW).team.openings == 0


def test_reply_at_the_same_instant_answers_the_opening() -> None:
    at = NOW - 2 * D
    r = compute_metrics([thread(agent(at), cust(at))], now=NOW)
    assert r.openings[0].response_seconds == 0.0
    assert r.openings[0].state == "responded"


def test_opening_inside_away_period_is_timed_from_its_end() -> None:
    opened = NOW - 2 * D
    away = [Period(start=opened - H, end=opened + 2 * H)]
    r = compute_metrics([answered("t1", opened, 2 * 3600 + 120)], now=NOW, away=away)
    op = r.openings[0]
    assert op.clock_start == opened + 2 * H
    assert op.response_seconds == 120.0
    assert op.at == opened


def test_away_period_boundaries_start_included_end_excluded() -> None:
    opened = NOW - 2 * D
    at_start = [Period(start=opened, end=opened + H)]
    at_end = [Period(start=opened - H, end=opened)]
    r1 = compute_metrics([answered("t", opened, 3600 + 60)], now=NOW, away=at_start)
    r2 = compute_metrics([answered("t", opened, 60)], now=NOW, away=at_end)
    assert r1.openings[0].clock_start == opened + H
    assert r1.openings[0].response_seconds == 60.0
    assert r2.openings[0].clock_start == opened
    assert r2.openings[0].response_seconds == 60.0


def test_reply_during_away_period_counts_as_zero() -> None:
    opened = NOW - 2 * D
    away = [Period(start=opened - H, end=opened + H)]
    r = compute_metrics([answered("t", opened, 60)], now=NOW, away=away)
    assert r.openings[0].response_seconds == 0.0


def test_touching_away_periods_join() -> None:
    opened = NOW - 2 * D
    away = [Period(start=opened + H, end=opened + 3 * H), Period(start=opened - H, end=opened + H)]
    r = compute_metrics([answered("t", opened, 3 * 3600 + 30)], now=NOW, away=away)
    assert r.openings[0].clock_start == opened + 3 * H
    assert r.openings[0].response_seconds == 30.0


def test_spam_threads_are_left_out() -> None:
    spam = thread(cust(NOW - 2 * D), agent(NOW - 2 * D + M, "a9"), tid="s", spam=True)
    r = compute_metrics([spam, answered("t", NOW - 2 * D, 60)], now=NOW)
    assert r.team.openings == 1
    assert "a9" not in r.per_agent


def test_pending_openings_are_not_counted() -> None:
    young = thread(cust(NOW - 23 * H), tid="young")
    old = thread(cust(NOW - D), tid="old")  # exactly 24 h old: counted as unanswered
    r = compute_metrics([young, old, answered("t", NOW - 2 * D, 60)], now=NOW)
    assert r.team.openings == 3
    assert r.team.pending == 1
    assert r.team.counted == 2
    assert r.team.responded == 1
    assert r.team.response_rate == 0.5
    states = {op.thread_id: op.state for op in r.openings}
    assert states == {"young": "pending", "old": "unanswered", "t": "responded"}


def test_pending_inside_away_period_waits_for_the_clock() -> None:
    opened = NOW - 30 * H
    away = [Period(start=opened - H, end=NOW - 10 * H)]
    r = compute_metrics([thread(cust(opened))], now=NOW, away=away)
    assert r.openings[0].state == "pending"
    assert r.team.counted == 0


def test_reply_after_24h_is_late_counted_not_responded() -> None:
    exactly = answered("exact", NOW - 3 * D, 86400)
    late = answered("late", NOW - 3 * D, 86401, agent_id="a2")
    r = compute_metrics([exactly, late], now=NOW)
    states = {op.thread_id: op.state for op in r.openings}
    assert states == {"exact": "responded", "late": "late"}
    assert r.team.counted == 2 and r.team.responded == 1
    assert r.team.median_response_seconds == 86400.0
    assert r.per_agent["a2"].responded == 0
    assert r.per_agent["a2"].median_response_seconds is None
    assert r.per_agent["a2"].within_target_rate == 0.0


def test_unanswered_opening_takes_the_later_reply_as_late() -> None:
    base = NOW - 5 * D
    t = thread(cust(base), cust(base + 2 * D), agent(base + 2 * D + M))
    r = compute_metrics([t], now=NOW)
    assert [op.state for op in r.openings] == ["late", "responded"]
    assert r.team.counted == 2 and r.team.responded == 1


def test_median_of_odd_and_even_counts() -> None:
    odd = [answered(f"t{i}", NOW - 2 * D, s) for i, s in enumerate([30, 10, 20])]
    even = [answered(f"t{i}", NOW - 2 * D, s) for i, s in enumerate([40, 10, 30, 20])]
    assert compute_metrics(odd, now=NOW).team.median_response_seconds == 20.0
    assert compute_metrics(even, now=NOW).team.median_response_seconds == 25.0


def test_median_and_fastest_use_responded_openings_only() -> None:
    threads = [answered("a", NOW - 3 * D, 10), answered("b", NOW - 3 * D, 2 * 86400)]
    r = compute_metrics(threads, now=NOW)
    assert r.team.median_response_seconds == 10.0
    assert r.team.fastest90_mean_seconds == 10.0


def test_fastest90_with_one_ten_and_eleven() -> None:
    one = compute_metrics([answered("t", NOW - D, 100)], now=NOW)
    assert one.team.fastest90_mean_seconds == 100.0
    ten = [answered(f"t{i}", NOW - 2 * D, 10 * (i + 1)) for i in range(10)]
    # floor(0.9·10) = 9 fastest: 10..90 → mean 50
    assert compute_metrics(ten, now=NOW).team.fastest90_mean_seconds == 50.0
    eleven = [*ten, answered("t10", NOW - 2 * D, 1000)]
    # floor(0.9·11) = 9 fastest again: still 10..90
    assert compute_metrics(eleven, now=NOW).team.fastest90_mean_seconds == 50.0
    twenty = [answered(f"u{i}", NOW - 2 * D, i + 1) for i in range(20)]
    # floor(0.9·20) = 18 fastest: 1..18 → mean 9.5
    assert compute_metrics(twenty, now=NOW).team.fastest90_mean_seconds == 9.5


def test_within_target_is_strictly_less_than_target() -> None:
    threads = [
        answered("a", NOW - 2 * D, 299),
        answered("b", NOW - 2 * D, 300),
        answered("c", NOW - 2 * D, 10),
        thread(cust(NOW - 3 * D), tid="d"),
    ]
    r = compute_metrics(threads, now=NOW, target_seconds=300)
    assert r.team.within_target_rate == 0.5  # a and c of 4 counted


def test_per_agent_attribution_goes_to_the_responder() -> None:
    base = NOW - 2 * D
    threads = [
        answered("t1", base, 60, "ann"),
        answered("t2", base, 600, "ann"),
        answered("t3", base, 30, "bob"),
        # bob sends a second reply in t3: a reply, not a response
        thread(cust(base), agent(base + M, "carl"), agent(base + 2 * M, "bob"), tid="t4"),
    ]
    r = compute_metrics(threads, now=NOW)
    ann, bob, carl = r.per_agent["ann"], r.per_agent["bob"], r.per_agent["carl"]
    assert (ann.responded, ann.median_response_seconds, ann.within_target_rate) == (2, 330.0, 0.5)
    assert (bob.responded, bob.median_response_seconds, bob.within_target_rate) == (1, 30.0, 1.0)
    assert (carl.responded, carl.median_response_seconds) == (1, 60.0)
    assert (ann.replies, bob.replies, carl.replies) == (2, 2, 1)


def test_replies_count_only_public_messages_in_the_window() -> None:
    t = thread(
        cust(NOW - 10 * D),
        agent(NOW - 10 * D + M, "ann"),  # outside the window
        cust(NOW - 2 * D),
        agent(NOW - 2 * D + M, "ann"),
        agent(NOW - 2 * D + 2 * M, "ann", kind="note"),
        agent(NOW - 2 * D + 3 * M, "ann"),
    )
    assert compute_metrics([t], now=NOW).per_agent["ann"].replies == 2


def test_window_boundaries_exclude_start_include_now() -> None:
    at_edge = thread(cust(NOW - 7 * D), agent(NOW - 7 * D + M), tid="edge")
    inside = thread(cust(NOW - 7 * D + S), agent(NOW - 7 * D + M), tid="inside")
    at_now = thread(cust(NOW), tid="now")
    after = thread(cust(NOW + S), tid="after")
    r = compute_metrics([at_edge, inside, at_now, after], now=NOW, window_days=7)
    assert {op.thread_id for op in r.openings} == {"inside", "now"}
    assert r.team.pending == 1


def test_messages_after_now_are_not_known_yet() -> None:
    t = thread(cust(NOW - H), agent(NOW + H))
    r = compute_metrics([t], now=NOW)
    assert r.openings[0].state == "pending"
    assert r.team.responded == 0


def test_window_days_parameter() -> None:
    threads = [answered("a", NOW - 2 * D, 60), answered("b", NOW - 5 * D, 60)]
    assert compute_metrics(threads, now=NOW, window_days=3).team.openings == 1
    assert compute_metrics(threads, now=NOW, window_days=30).team.openings == 2


def test_openings_are_oldest_first() -> None:
    threads = [answered(f"t{i}", NOW - (i + 1) * H - D, 60) for i in range(5)]
    r = compute_metrics(threads, now=NOW)
    times = [op.at for op in r.openings]
    assert times == sorted(times)


def test_badge_at_exactly_ninety_percent() -> None:
    threads = [answered(f"t{i}", NOW - 2 * D, 60) for i in range(9)]
    threads.append(thread(cust(NOW - 2 * D), tid="missed"))
    r = compute_metrics(threads, now=NOW)
    assert r.team.response_rate == 0.9
    assert r.team.badge is True


def test_no_badge_below_ninety_percent() -> None:
    threads = [answered(f"t{i}", NOW - 2 * D, 60) for i in range(8)]
    threads += [thread(cust(NOW - 2 * D), tid=f"m{i}") for i in range(2)]
    assert compute_metrics(threads, now=NOW).team.badge is False


def test_no_badge_when_median_equals_target() -> None:
    threads = [answered(f"t{i}", NOW - 2 * D, 300) for i in range(3)]
    r = compute_metrics(threads, now=NOW, target_seconds=300)
    assert r.team.median_response_seconds == 300.0
    assert r.team.badge is False
    assert compute_metrics(threads, now=NOW, target_seconds=301).team.badge is True


def test_no_badge_without_counted_openings() -> None:
    r = compute_metrics([thread(cust(NOW - H))], now=NOW)
    assert r.team.counted == 0 and r.team.badge is False


def test_naive_datetimes_are_taken_as_utc() -> None:
    naive = NOW.replace(tzinfo=None)
    t = thread(cust(naive - 2 * D), agent(naive - 2 * D + M))
    assert compute_metrics([t], now=NOW) == compute_metrics(
        [answered("t1", NOW - 2 * D, 60)], now=NOW
    )


def test_csv_row_of_an_opening() -> None:
    base = NOW - 2 * D
    r = compute_metrics([answered("t1", base, 90), thread(cust(NOW - H), tid="t2")], now=NOW)
    assert opening_csv_row(r.openings[0]) == [
        "t1",
        "2026-03-18T12:00:00Z",
        "2026-03-18T12:00:00Z",
        "2026-03-18T12:01:30Z",
        "90.0",
        "a1",
        "responded",
    ]
    assert opening_csv_row(r.openings[1]) == [
        "t2",
        "2026-03-20T11:00:00Z",
        "2026-03-20T11:00:00Z",
        "",
        "",
        "",
        "pending",
    ]


offsets = st.timedeltas(min_value=-timedelta(hours=23), max_value=timedelta(hours=23))
zones = st.one_of(st.none(), st.just(UTC), st.builds(timezone, offsets))
any_time = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=zones
)
near_time = st.integers(-20 * 24 * 60, 2 * 24 * 60).map(lambda m: NOW + m * M)
times = st.one_of(near_time, near_time, any_time)
any_message = st.builds(
    MetricMessage,
    at=times,
    author=st.one_of(
        st.sampled_from(["customer", "agent", "automated", "system"]), st.text(max_size=3)
    ),
    kind=st.one_of(st.sampled_from(["text", "note"]), st.text(max_size=3)),
    agent_id=st.one_of(st.none(), st.text(max_size=4)),
)
any_thread = st.builds(
    MetricThread,
    id=st.text(max_size=5),
    messages=st.lists(any_message, max_size=12),
    spam=st.booleans(),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    threads=st.lists(any_thread, max_size=6, unique_by=lambda t: t.id),
    away=st.lists(st.builds(Period, start=times, end=times), max_size=3),
    now=times,
    target=st.floats(min_value=0.001, max_value=1e9),
    window_days=st.one_of(st.floats(min_value=0, max_value=1e300), st.sampled_from([7.0, 1.0])),
)
def test_no_exception_and_consistent_figures_for_any_input(
    threads: list[MetricThread],
    away: list[Period],
    now: datetime,
    target: float,
    window_days: float,
) -> None:
    r = compute_metrics(threads, now=now, target_seconds=target, window_days=window_days, away=away)
    t = r.team
    assert t.openings == t.counted + t.pending == len(r.openings)
    assert 0 <= t.responded <= t.counted
    for value in (t.response_rate, t.within_target_rate):
        assert value is None or 0.0 <= value <= 1.0
    assert (t.response_rate is None) == (t.counted == 0)
    if t.responded:
        assert t.median_response_seconds is not None and t.fastest90_mean_seconds is not None
        assert 0 <= t.fastest90_mean_seconds <= 86400
        assert 0 <= t.median_response_seconds <= 86400
    else:
        assert t.median_response_seconds is None and t.fastest90_mean_seconds is None
    assert t.badge == (
        t.counted >= 1
        and t.response_rate is not None
        and t.response_rate >= 0.9
        and t.median_response_seconds is not None
        and t.median_response_seconds < target
    )
    assert sum(a.responded for a in r.per_agent.values()) <= t.responded
    for a in r.per_agent.values():
        assert a.within_target_rate is None or 0.0 <= a.within_target_rate <= 1.0
    states = [op.state for op in r.openings]
    assert states.count("responded") == t.responded
    assert states.count("pending") == t.pending
    assert [op.at for op in r.openings] == sorted(op.at for op in r.openings)
