"""The response metrics kept up to date one event at a time, for the live dashboard.

`LiveMetrics` gives the same `MetricsResult` as `compute_metrics` over the same messages, but a new
message costs about what it changes (a bisect into sorted lists), not a pass over every opening.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from agent_desktop.core.metrics import (
    DAY_US,
    AwayIndex,
    MetricMessage,
    MetricsResult,
    MetricThread,
    NormMessage,
    OpeningsView,
    Period,
    Record,
    Reply,
    ThreadScan,
    agent_figures,
    fastest_mean_seconds,
    from_us,
    make_figures,
    median_seconds,
    normalize,
    rate,
    record_key,
    result_from_records,
    scan_thread,
    to_us,
    window_us,
)
from agent_desktop.core.metrics_window import Blocks, Window

if TYPE_CHECKING:
    from agent_desktop.core.types import AgentFigures

__all__ = ["DailyPoint", "HourBucket", "LiveMetrics"]

HOUR_US = 3600 * 1_000_000


@dataclass(frozen=True, slots=True)
class HourBucket:
    """Openings that arrived, and openings that got their response, in one hour."""

    start: datetime
    openings: int
    responses: int


@dataclass(frozen=True, slots=True)
class DailyPoint:
    """The figures of the openings that arrived on one day (states as of the series' `now`)."""

    day: date
    openings: int
    counted: int
    responded: int
    response_rate: float | None
    median_response_seconds: float | None


@dataclass(slots=True)
class _LiveThread:
    msgs: list[NormMessage]
    scan: ThreadScan
    spam: bool = False


class LiveMetrics:
    """SPEC §2's figures for a live stream of messages, equal to `compute_metrics` at every step.

    Messages usually arrive in time order and cost a few bisects; one that arrives out of order
    rescans only its thread. `result(now)` advances the rolling window as `now` moves.
    """

    def __init__(
        self, target_seconds: float = 300, window_days: float = 7, away: Sequence[Period] = ()
    ) -> None:
        self._target = target_seconds
        self._window_days = window_days
        self._away_periods = list(away)
        self._away = AwayIndex(self._away_periods)
        self._threads: dict[str, _LiveThread] = {}
        self._ops = Blocks()
        self._replies: list[Reply] = []
        self._responses: list[int] = []  # response times (absolute) of answered openings
        self._max_at: int | None = None
        self._cutoff: int | None = None  # the window's open lower bound; None: totals not built
        self._win = Window(target_seconds)

    # --- feeding -----------------------------------------------------------------------------

    @property
    def target_seconds(self) -> float:
        return self._target

    @property
    def window_days(self) -> float:
        return self._window_days

    def load(self, threads: Iterable[MetricThread]) -> None:
        """Add threads in bulk (a thread already known is replaced)."""
        fresh: list[Record] = []
        incoming = {thread.id: thread for thread in threads}  # the last copy of an id wins
        for thread in incoming.values():
            if thread.id in self._threads:
                self._drop_thread(thread.id)
            msgs = sorted(n for n in map(normalize, thread.messages) if n is not None)
            lt = _LiveThread(msgs, scan_thread(thread.id, msgs, self._away), thread.spam)
            self._threads[thread.id] = lt
            if msgs:
                self._see(msgs[-1][0])
            if not lt.spam:
                fresh.extend(lt.scan.openings)
                for rep in lt.scan.replies:
                    self._add_reply(rep)
        if not len(self._ops):
            for rec in fresh:
                if rec[4] >= 0:
                    self._responses.append(rec[4])
            self._responses.sort()
            self._ops.bulk_load(fresh)
            self._cutoff = None
        else:
            for rec in fresh:
                self._add_record(rec)

    def add_message(self, thread_id: str, message: MetricMessage) -> None:
        """Apply one new message (a note changes nothing)."""
        n = normalize(message)
        if n is None:
            return
        lt = self._threads.get(thread_id)
        if lt is None:
            lt = self._threads[thread_id] = _LiveThread([], ThreadScan(thread_id))
        self._see(n[0])
        last = lt.scan.last_key
        if lt.spam:
            insort(lt.msgs, n)
        elif last is None or n >= last:
            lt.msgs.append(n)
            replies_before = len(lt.scan.replies)
            new, answered = lt.scan.step(n, self._away)
            for old, done in answered:
                self._replace_record(old, done)
            if new is not None:
                self._add_record(new)
            for rep in lt.scan.replies[replies_before:]:
                self._add_reply(rep)
        else:
            self._unlink(lt)
            insort(lt.msgs, n)
            lt.scan = scan_thread(thread_id, lt.msgs, self._away)
            self._link(lt)

    def set_spam(self, thread_id: str, spam: bool) -> None:
        lt = self._threads.get(thread_id)
        if lt is None:
            lt = self._threads[thread_id] = _LiveThread([], ThreadScan(thread_id))
        if lt.spam == spam:
            return
        if spam:
            self._unlink(lt)
            lt.spam = True
        else:
            lt.spam = False
            lt.scan = scan_thread(thread_id, lt.msgs, self._away)
            self._link(lt)

    def set_target(self, seconds: float) -> None:
        self._target = seconds
        self._cutoff = None

    def set_window_days(self, days: float) -> None:
        self._window_days = days
        self._cutoff = None

    def set_away(self, periods: Sequence[Period]) -> None:
        """New away periods: every clock start may move, so every thread is rescanned."""
        self._away_periods = list(periods)
        self._away = AwayIndex(self._away_periods)
        self._ops = Blocks()
        self._replies = []
        self._cutoff = None
        records: list[Record] = []
        for tid, lt in self._threads.items():
            lt.scan = scan_thread(tid, lt.msgs, self._away)
            if not lt.spam:
                records.extend(lt.scan.openings)
                self._replies.extend(lt.scan.replies)
        self._replies.sort()
        self._responses = sorted(r[4] for r in records if r[4] >= 0)
        self._ops.bulk_load(records)

    # --- reading -----------------------------------------------------------------------------

    @property
    def newest_at(self) -> datetime | None:
        """The time of the newest message added (None before any): a `now` earlier than this
        asks for the figures as of the past, which costs a full recomputation."""
        return from_us(self._max_at) if self._max_at is not None else None

    def result(self, now: datetime) -> MetricsResult:
        """The figures as of `now`: equal to `compute_metrics` over the same messages."""
        now_us = to_us(now)
        if self._max_at is not None and now_us < self._max_at:
            return self._recompute(now_us)
        cutoff = now_us - window_us(self._window_days)
        self._move_window(cutoff)
        win = self._win
        unanswered = len(win.deadlines)
        pending = unanswered - bisect_right(win.deadlines, now_us)
        counted = win.openings - pending
        times = win.times
        team = make_figures(
            openings=win.openings,
            counted=counted,
            responded=len(times.vals),
            pending=pending,
            within=win.within,
            median=median_seconds(times.vals),
            fastest90=fastest_mean_seconds(times.total, times.k),
            target_seconds=self._target,
        )
        per_agent: dict[str, AgentFigures] = {
            agent_id: agent_figures(a.times, a.answered, a.within, a.replies)
            for agent_id, a in sorted(win.agents.items())
            if a.answered or a.replies
        }
        view = OpeningsView(self._ops.snapshot(), cutoff, now_us)
        return MetricsResult(team=team, per_agent=per_agent, openings=view)

    def hour_buckets(self, now: datetime, hours: int = 24) -> list[HourBucket]:
        """Openings and responses per clock hour (UTC hours), the last bucket holding `now`."""
        now_us = to_us(now)
        last = now_us - now_us % HOUR_US
        first = last - (max(1, hours) - 1) * HOUR_US
        opened = [0] * max(1, hours)
        answered = [0] * max(1, hours)
        for rec in self._records(first - 1, now_us, now_us):
            opened[(rec[0] - first) // HOUR_US] += 1
        if self._max_at is not None and now_us < self._max_at:
            responses = sorted(
                r[4] for r in self._records(None, now_us, now_us) if first <= r[4] <= now_us
            )
        else:
            lo = bisect_left(self._responses, first)
            hi = bisect_right(self._responses, now_us)
            responses = self._responses[lo:hi]
        for at in responses:
            answered[(at - first) // HOUR_US] += 1
        return [
            HourBucket(from_us(first + i * HOUR_US), opened[i], answered[i])
            for i in range(len(opened))
        ]

    def daily_series(self, now: datetime, tz: tzinfo = UTC) -> list[DailyPoint]:
        """Rate and median of the openings of each day of the window (days in `tz`), oldest first."""
        now_us = to_us(now)
        cutoff = now_us - window_us(self._window_days)
        local_now = from_us(now_us).astimezone(tz)
        first_day = from_us(cutoff + 1).astimezone(tz).date()
        days: list[date] = []
        d = first_day
        while d <= local_now.date():
            days.append(d)
            d += timedelta(days=1)
        # Each day's records are one slice of the sorted records: bisect at local midnights.
        records = self._records(cutoff, now_us, now_us)
        ats = [r[0] for r in records]
        points: list[DailyPoint] = []
        for day in days:
            midnight = datetime(day.year, day.month, day.day, tzinfo=tz)
            start = bisect_left(ats, to_us(midnight))
            end = bisect_left(ats, to_us(midnight + timedelta(days=1)))
            counted = 0
            times: list[int] = []
            for rec in records[start:end]:
                if rec[4] >= 0:
                    counted += 1
                    wait = rec[4] - rec[3]
                    if wait <= DAY_US:
                        times.append(wait if wait > 0 else 0)
                elif now_us >= rec[3] + DAY_US:
                    counted += 1
            times.sort()
            points.append(
                DailyPoint(
                    day=day,
                    openings=end - start,
                    counted=counted,
                    responded=len(times),
                    response_rate=rate(len(times), counted),
                    median_response_seconds=median_seconds(times),
                )
            )
        return points

    # --- internals ---------------------------------------------------------------------------

    def _see(self, at_us: int) -> None:
        if self._max_at is None or at_us > self._max_at:
            self._max_at = at_us

    def _records(self, lo_us: int | None, hi_us: int, now_us: int) -> list[Record]:
        """Opening records with lo < at ≤ hi, as known at `now_us` (oldest first)."""
        lo = -(2**62) if lo_us is None else lo_us
        if self._max_at is None or now_us >= self._max_at:
            return self._ops.between(lo, hi_us)
        out: list[Record] = []
        for tid, lt in self._threads.items():
            if lt.spam:
                continue
            scan = scan_thread(tid, [m for m in lt.msgs if m[0] <= now_us], self._away)
            out.extend(r for r in scan.openings if lo < r[0] <= hi_us)
        out.sort(key=record_key)
        return out

    def _recompute(self, now_us: int) -> MetricsResult:
        records: list[Record] = []
        replies: list[Reply] = []
        for tid, lt in self._threads.items():
            if lt.spam:
                continue
            scan = scan_thread(tid, [m for m in lt.msgs if m[0] <= now_us], self._away)
            records.extend(scan.openings)
            replies.extend(scan.replies)
        return result_from_records(
            records,
            replies,
            now_us=now_us,
            target_seconds=self._target,
            window_days=self._window_days,
        )

    def _in_window(self, at_us: int) -> bool:
        return self._cutoff is not None and at_us > self._cutoff

    def _move_window(self, cutoff: int) -> None:
        if self._cutoff is None:
            self._win = Window(self._target)
            self._win.build(self._ops.between(cutoff, 2**62), self._replies_between(cutoff, 2**62))
        elif cutoff > self._cutoff:
            for rec in self._ops.between(self._cutoff, cutoff):
                self._win.remove(rec)
            for rep in self._replies_between(self._cutoff, cutoff):
                self._win.reply(rep[1], -1)
        elif cutoff < self._cutoff:
            for rec in self._ops.between(cutoff, self._cutoff):
                self._win.add(rec)
            for rep in self._replies_between(cutoff, self._cutoff):
                self._win.reply(rep[1], 1)
        self._cutoff = cutoff

    def _replies_between(self, lo_us: int, hi_us: int) -> list[Reply]:
        lo = bisect_left(self._replies, (lo_us + 1,))
        hi = bisect_left(self._replies, (hi_us + 1,))
        return self._replies[lo:hi]

    def _add_record(self, rec: Record) -> None:
        self._ops.insert(rec)
        if rec[4] >= 0:
            insort(self._responses, rec[4])
        if self._in_window(rec[0]):
            self._win.add(rec)

    def _remove_record(self, rec: Record) -> None:
        self._ops.remove(rec)
        if rec[4] >= 0:
            del self._responses[bisect_left(self._responses, rec[4])]
        if self._in_window(rec[0]):
            self._win.remove(rec)

    def _replace_record(self, old: Record, new: Record) -> None:
        self._remove_record(old)
        self._add_record(new)

    def _add_reply(self, rep: Reply) -> None:
        insort(self._replies, rep)
        if self._in_window(rep[0]):
            self._win.reply(rep[1], 1)

    def _remove_reply(self, rep: Reply) -> None:
        del self._replies[bisect_left(self._replies, rep)]
        if self._in_window(rep[0]):
            self._win.reply(rep[1], -1)

    def _unlink(self, lt: _LiveThread) -> None:
        """Take a thread's openings and replies out of every total."""
        self._count(lt, self._remove_record, self._remove_reply)

    def _link(self, lt: _LiveThread) -> None:
        self._count(lt, self._add_record, self._add_reply)

    @staticmethod
    def _count(
        lt: _LiveThread, on_record: Callable[[Record], None], on_reply: Callable[[Reply], None]
    ) -> None:
        if lt.spam:
            return
        for rec in lt.scan.openings:
            on_record(rec)
        for rep in lt.scan.replies:
            on_reply(rep)

    def _drop_thread(self, thread_id: str) -> None:
        lt = self._threads.pop(thread_id)
        self._unlink(lt)
