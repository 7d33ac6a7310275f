"""The live metrics engine equals the full recomputation at every step (hypothesis), and its
dashboard series add up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent_desktop.core.metrics import (
    MetricMessage,
    MetricThread,
    Period,
    compute_metrics,
)
from agent_desktop.core.metrics_live import LiveMetrics

BASE = datetime(2026, 3, 1, tzinfo=UTC)
M = timedelta(minutes=1)
H = timedelta(hours=1)
D = timedelta(days=1)

# Quarter-hour steps over three weeks, and half-day marks half the time: ties, exact 24 h gaps
# and exact window edges all happen often.
instants = st.one_of(
    st.integers(0, 21 * 24 * 4).map(lambda q: BASE + q * 15 * M),
    st.integers(0, 42).map(lambda k: BASE + k * 12 * H),
)
messages = st.builds(
    MetricMessage,
    at=instants,
    author=st.sampled_from(["customer", "customer", "agent", "automated", "system"]),
    kind=st.sampled_from(["text", "text", "text", "note"]),
    agent_id=st.sampled_from([None, "ann", "bob", "carl"]),
)
periods = st.builds(
    lambda start, hours: Period(start=start, end=start + hours * H),
    instants,
    st.integers(0, 60),
)
THREADS = ["t0", "t1", "t2", "t3"]
operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sampled_from(THREADS), messages),
        st.tuples(st.just("add"), st.sampled_from(THREADS), messages),
        st.tuples(st.just("add"), st.sampled_from(THREADS), messages),
        st.tuples(st.just("spam"), st.sampled_from(THREADS), st.booleans()),
        st.tuples(st.just("result"), instants, st.just(None)),
        st.tuples(st.just("target"), st.sampled_from([60.0, 300.0, 900.0, 7200.0]), st.just(None)),
        st.tuples(st.just("away"), st.lists(periods, max_size=3), st.just(None)),
    ),
    max_size=40,
)


class Reference:
    """The same data kept plainly, for compute_metrics."""

    def __init__(self) -> None:
        self.msgs: dict[str, list[MetricMessage]] = {}
        self.spam: dict[str, bool] = {}
        self.target = 300.0
        self.away: list[Period] = []

    def threads(self) -> list[MetricThread]:
        ids = set(self.msgs) | set(self.spam)
        return [MetricThread(t, self.msgs.get(t, []), self.spam.get(t, False)) for t in ids]

    def result(self, now: datetime, window_days: float) -> object:
        return compute_metrics(
            self.threads(),
            now=now,
            target_seconds=self.target,
            window_days=window_days,
            away=self.away,
        )


def _in_order(ops: list[tuple[object, object, object]]) -> list[tuple[object, object, object]]:
    """Mostly time-ordered adds, as a live stream delivers them, with the rest left shuffled."""
    adds = sorted(
        (op for op in ops if op[0] == "add"),
        key=lambda op: op[2].at,  # type: ignore[union-attr]
    )
    out: list[tuple[object, object, object]] = []
    it = iter(adds)
    for op in ops:
        out.append(next(it) if op[0] == "add" and len(out) % 5 else op)
    return out


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    initial=st.lists(st.tuples(st.sampled_from(THREADS), messages), max_size=20),
    ops=operations,
    window_days=st.sampled_from([1.0, 2.5, 7.0]),
    ordered=st.booleans(),
    final_now=instants,
)
def test_live_equals_full_recomputation(
    initial: list[tuple[str, MetricMessage]],
    ops: list[tuple[object, object, object]],
    window_days: float,
    ordered: bool,
    final_now: datetime,
) -> None:
    ref = Reference()
    for tid, m in initial:
        ref.msgs.setdefault(tid, []).append(m)
    live = LiveMetrics(target_seconds=300, window_days=window_days)
    live.load(ref.threads())
    if ordered:
        ops = _in_order(ops)
    for op in ops:
        kind = op[0]
        if kind == "add":
            tid, m = str(op[1]), op[2]
            assert isinstance(m, MetricMessage)
            ref.msgs.setdefault(tid, []).append(m)
            live.add_message(tid, m)
        elif kind == "spam":
            ref.spam[str(op[1])] = bool(op[2])
            live.set_spam(str(op[1]), bool(op[2]))
        elif kind == "target":
            ref.target = float(op[1])  # type: ignore[arg-type]
            live.set_target(ref.target)
        elif kind == "away":
            ref.away = list(op[1])  # type: ignore[call-overload]
            live.set_away(ref.away)
        else:
            now = op[1]
            assert isinstance(now, datetime)
            assert live.result(now) == ref.result(now, window_days)
            # ...and at a time past every message: the incremental path.
            latest = max((m.at for ms in ref.msgs.values() for m in ms), default=BASE)
            later = latest + (now - BASE) % (3 * D)
            assert live.result(later) == ref.result(later, window_days)
    # Past every message: the incremental path (no fallback), twice to exercise the window.
    late = BASE + 22 * D
    for now in (late, late + 3 * D, final_now + 30 * D, late):
        got = live.result(now)
        want = ref.result(now, window_days)
        assert got == want
        assert list(got.openings) == list(want.openings)
        rate = got.team.response_rate
        assert rate is None or 0.0 <= rate <= 1.0


def _answered(tid: str, at: datetime, seconds: float, agent_id: str = "ann") -> MetricThread:
    return MetricThread(
        tid,
        [
            MetricMessage(at, "customer"),
            MetricMessage(at + timedelta(seconds=seconds), "agent", agent_id=agent_id),
        ],
    )


def test_incremental_stream_in_time_order() -> None:
    now = BASE + 10 * D
    live = LiveMetrics()
    threads: list[MetricThread] = []
    for i in range(30):
        t = _answered(f"t{i}", BASE + i * 6 * H, 30 * i)
        threads.append(t)
        for m in t.messages:
            live.add_message(t.id, m)
        step_now = t.messages[-1].at
        assert live.result(step_now) == compute_metrics(threads, now=step_now)
    assert live.result(now) == compute_metrics(threads, now=now)


def test_result_is_a_snapshot() -> None:
    live = LiveMetrics()
    live.load([_answered("a", BASE, 60)])
    first = live.result(BASE + H)
    live.add_message("b", MetricMessage(BASE + 2 * H, "customer"))
    second = live.result(BASE + 2 * H)
    assert [op.thread_id for op in first.openings] == ["a"]
    assert [op.thread_id for op in second.openings] == ["a", "b"]
    assert second.openings[1].state == "pending"


def test_hour_buckets() -> None:
    now = BASE + 5 * H + 30 * M
    live = LiveMetrics()
    live.load(
        [
            _answered("a", BASE + 4 * H + 10 * M, 60),  # opened and answered at 04:xx
            _answered("b", BASE + 5 * H + 5 * M, 30),  # 05:xx
            _answered("c", BASE + 5 * H + 20 * M, 3600),  # answered after now: not yet known
            MetricThread("s", [MetricMessage(BASE + 5 * H, "customer")], spam=True),
        ]
    )
    buckets = live.hour_buckets(now, hours=3)
    assert [b.start for b in buckets] == [BASE + 3 * H, BASE + 4 * H, BASE + 5 * H]
    assert [(b.openings, b.responses) for b in buckets] == [(0, 0), (1, 1), (2, 1)]
    later = live.hour_buckets(BASE + 7 * H, hours=3)
    assert [(b.openings, b.responses) for b in later] == [(2, 1), (0, 1), (0, 0)]


def test_daily_series_adds_up_to_the_window() -> None:
    now = BASE + 7 * D + 12 * H
    threads = [_answered(f"t{i}", BASE + i * 10 * H + H, 60 * (i % 7)) for i in range(18)]
    threads.append(MetricThread("u", [MetricMessage(now - 2 * D, "customer")]))
    live = LiveMetrics(window_days=7)
    live.load(threads)
    series = live.daily_series(now)
    assert len(series) == 8  # the partial first day, six whole days, today
    assert series[0].day == (now - 7 * D).date() and series[-1].day == now.date()
    total = compute_metrics(threads, now=now)
    assert sum(p.openings for p in series) == total.team.openings
    assert sum(p.counted for p in series) == total.team.counted
    assert sum(p.responded for p in series) == total.team.responded
    shifted = live.daily_series(now, tz=timezone(timedelta(hours=-5)))
    assert sum(p.openings for p in shifted) == total.team.openings
    assert sum(p.responded for p in shifted) == total.team.responded
    assert shifted[-1].day == (now - 5 * H).date()
    for p in series:
        assert p.response_rate is None or 0 <= p.response_rate <= 1
        if p.openings == 0:
            assert p.response_rate is None and p.median_response_seconds is None


def test_many_openings_large_load_matches() -> None:
    threads = [_answered(f"t{i}", BASE + i * M, i % 900, f"a{i % 5}") for i in range(3000)]
    now = BASE + 5 * D
    live = LiveMetrics()
    live.load(threads)
    assert live.result(now) == compute_metrics(threads, now=now)
    extra = MetricMessage(now, "customer")
    live.add_message("t5", extra)
    threads[5] = MetricThread("t5", [*threads[5].messages, extra])
    assert live.result(now) == compute_metrics(threads, now=now)


def test_customer_message_stamped_like_the_last_reply_is_ordered_first() -> None:
    at = BASE + D
    reply = MetricMessage(at, "agent", agent_id="ann")
    customer = MetricMessage(at, "customer")
    live = LiveMetrics()
    live.add_message("t", reply)
    live.add_message("t", customer)  # same instant, arrives second: sorts before the reply
    want = compute_metrics([MetricThread("t", [reply, customer])], now=at + H)
    assert want.openings[0].state == "responded"
    assert live.result(at + H) == want


def test_unanswered_opening_turns_from_pending_at_exactly_24h() -> None:
    live = LiveMetrics()
    live.add_message("t", MetricMessage(BASE, "customer"))
    assert live.result(BASE + D - timedelta(microseconds=1)).team.pending == 1
    exactly = live.result(BASE + D)
    assert (exactly.team.pending, exactly.team.counted) == (0, 1)
    assert exactly.openings[0].state == "unanswered"


def test_out_of_order_message_and_spam_toggle() -> None:
    live = LiveMetrics()
    late_customer = MetricMessage(BASE + 3 * D, "customer")
    reply = MetricMessage(BASE + 3 * D + M, "agent", agent_id="bob")
    early = MetricMessage(BASE, "customer")
    live.add_message("t", late_customer)
    live.add_message("t", reply)
    live.add_message("t", early)  # out of order: the thread is rescanned
    now = BASE + 4 * D
    threads = [MetricThread("t", [early, late_customer, reply])]
    assert live.result(now) == compute_metrics(threads, now=now)
    assert live.result(now).team.openings == 2
    live.set_spam("t", True)
    assert live.result(now).team.openings == 0
    live.set_spam("t", False)
    assert live.result(now) == compute_metrics(threads, now=now)


def test_load_replaces_known_threads() -> None:
    now = BASE + 3 * D
    live = LiveMetrics()
    live.load([_answered("a", BASE, 60), _answered("b", BASE, 120)])
    live.result(now)
    replacement = _answered("a", BASE + H, 30)
    live.load([replacement, _answered("c", BASE, 10), _answered("c", BASE, 20)])
    want = compute_metrics(
        [replacement, _answered("b", BASE, 120), _answered("c", BASE, 20)], now=now
    )
    assert live.result(now) == want
