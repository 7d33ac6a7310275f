"""Response metrics of SPEC §2: openings, response times, response rate, the badge, per agent.

`compute_metrics` recomputes everything from the messages; `metrics_live.LiveMetrics` keeps the
same numbers up to date one event at a time and shares the per-thread scan defined here.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal, overload

from agent_desktop.core.types import AgentFigures, Figures

if TYPE_CHECKING:
    from agent_desktop.core.literals import AuthorKind

__all__ = [
    "DAY_US",
    "MetricMessage",
    "MetricThread",
    "MetricsResult",
    "Opening",
    "OpeningState",
    "OpeningsView",
    "Period",
    "compute_metrics",
]

OpeningState = Literal["responded", "late", "unanswered", "pending"]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = 1_000_000
DAY_US = 86_400 * US
_ONE_US = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class MetricMessage:
    """One message as the metrics see it: who wrote it, when, and whether it is a note."""

    at: datetime  # aware UTC
    author: AuthorKind
    kind: Literal["text", "note"] = "text"
    agent_id: str | None = None


def as_metric_message(at: datetime, author: str, kind: str, author_id: str | None) -> MetricMessage:
    """A stored message as the metrics see it, the one mapping for the server, the demo and the
    client: a note stays a note, anything else counts as text, and only an agent's message names
    its agent."""
    return MetricMessage(
        at=at,
        author=author,  # type: ignore[arg-type]  # the API's author kinds
        kind="note" if kind == "note" else "text",
        agent_id=author_id if author == "agent" else None,
    )


@dataclass(frozen=True, slots=True)
class MetricThread:
    """A thread's messages (any order); spam threads are left out of every figure."""

    id: str
    messages: Sequence[MetricMessage]
    spam: bool = False


@dataclass(frozen=True, slots=True)
class Period:
    """A period the team was away: `start ≤ t < end`."""

    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Opening:
    """One opening and what became of it as of the `now` the metrics were computed for."""

    thread_id: str
    at: datetime
    clock_start: datetime
    response_at: datetime | None
    response_seconds: float | None
    agent_id: str | None
    state: OpeningState


@dataclass(frozen=True, slots=True)
class MetricsResult:
    """The team's figures, each agent's, and the openings of the window (oldest first)."""

    team: Figures
    per_agent: dict[str, AgentFigures]
    openings: Sequence[Opening]


# --- time in integer microseconds: exact sums, exact comparisons -------------------------------


def to_us(dt: datetime) -> int:
    """Microseconds since the epoch; a naive datetime is taken as UTC."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return (dt - EPOCH) // _ONE_US


def from_us(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


def window_us(window_days: float) -> int:
    """The window's length in microseconds (an infinite window reaches back past any date)."""
    length = window_days * DAY_US
    if math.isnan(length):
        return 0
    if math.isinf(length):
        return 2**62 if length > 0 else -(2**62)
    return round(length)


def target_us(target_seconds: float) -> float:
    return target_seconds * US


class AwayIndex:
    """Away periods merged (overlapping or touching periods join), for clock-start look-ups."""

    __slots__ = ("ends", "starts")

    def __init__(self, periods: Iterable[Period]) -> None:
        spans = sorted((to_us(p.start), to_us(p.end)) for p in periods)
        starts: list[int] = []
        ends: list[int] = []
        for start, end in spans:
            if end <= start:
                continue
            if ends and start <= ends[-1]:
                ends[-1] = max(ends[-1], end)
            else:
                starts.append(start)
                ends.append(end)
        self.starts = starts
        self.ends = ends

    def clock_start(self, at_us: int) -> int:
        """The end of the away period that contains `at_us`, else `at_us` itself."""
        i = bisect_right(self.starts, at_us) - 1
        if i >= 0 and at_us < self.ends[i]:
            return self.ends[i]
        return at_us


# --- the per-thread scan, shared with the live engine -----------------------------------------

# A normalized message: (at_us, rank, agent_id or "", author). Customers sort before the shop's
# messages of the same microsecond, so a reply stamped with the same time answers the opening.
NormMessage = tuple[int, int, str, str]
# An opening record: (at_us, thread_id, seq, clock_start_us, response_at_us, agent_id).
# response_at_us is -1 while unanswered; agent_id is "" when unknown.
Record = tuple[int, str, int, int, int, str]
# A public agent reply: (at_us, agent_id, thread_id).
Reply = tuple[int, str, str]

_AUTHORS = {"customer": 0, "agent": 1, "automated": 1, "system": 1}


def normalize(message: MetricMessage) -> NormMessage | None:
    """The scan's view of a message; None for notes, which count for nothing."""
    if message.kind == "note":
        return None
    author = message.author if message.author in _AUTHORS else "system"
    return (to_us(message.at), _AUTHORS[author], message.agent_id or "", author)


class ThreadScan:
    """Walks one thread's messages in time order and finds its openings and their responses."""

    __slots__ = ("last_activity", "last_key", "openings", "replies", "thread_id", "unanswered")

    def __init__(self, thread_id: str) -> None:
        self.thread_id = thread_id
        self.last_key: NormMessage | None = None
        self.last_activity: int | None = None  # None also means: no customer message yet
        self.openings: list[Record] = []
        self.unanswered: list[int] = []  # indexes into openings
        self.replies: list[Reply] = []

    def step(
        self, m: NormMessage, away: AwayIndex
    ) -> tuple[Record | None, list[tuple[Record, Record]]]:
        """Apply the next message (in sort order): the new opening and the answered ones."""
        self.last_key = m
        at, _, agent_id, author = m
        new: Record | None = None
        answered: list[tuple[Record, Record]] = []
        if author == "customer":
            if self.last_activity is None or not self.openings or at - self.last_activity >= DAY_US:
                new = (at, self.thread_id, len(self.openings), away.clock_start(at), -1, "")
                self.unanswered.append(len(self.openings))
                self.openings.append(new)
        elif author == "agent":
            for i in self.unanswered:
                old = self.openings[i]
                done = (old[0], old[1], old[2], old[3], at, agent_id)
                self.openings[i] = done
                answered.append((old, done))
            self.unanswered.clear()
            if agent_id:
                self.replies.append((at, agent_id, self.thread_id))
        self.last_activity = at
        return new, answered


def scan_thread(thread_id: str, messages: Iterable[NormMessage], away: AwayIndex) -> ThreadScan:
    scan = ThreadScan(thread_id)
    for m in sorted(messages):
        scan.step(m, away)
    return scan


# --- figures from the openings of a window -----------------------------------------------------


def fastest_count(n: int) -> int:
    """How many of the fastest responses the "fastest 90 %" mean takes: max(1, floor(0.9·n))."""
    return max(1, (9 * n) // 10)


def median_seconds(times: Sequence[int]) -> float | None:
    """The median of sorted microsecond times, in seconds (mean of the middle two when even)."""
    n = len(times)
    if n == 0:
        return None
    if n % 2:
        return times[n // 2] / US
    return (times[n // 2 - 1] + times[n // 2]) / 2 / US


def fastest_mean_seconds(total_us: int, count: int) -> float | None:
    return None if count == 0 else total_us / count / US


def rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def make_figures(
    *,
    openings: int,
    counted: int,
    responded: int,
    pending: int,
    within: int,
    median: float | None,
    fastest90: float | None,
    target_seconds: float,
) -> Figures:
    response_rate = rate(responded, counted)
    badge = (
        counted >= 1
        and response_rate is not None
        and response_rate >= 0.9
        and median is not None
        and median < target_seconds
    )
    return Figures(
        openings=openings,
        counted=counted,
        responded=responded,
        pending=pending,
        response_rate=response_rate,
        median_response_seconds=median,
        fastest90_mean_seconds=fastest90,
        within_target_rate=rate(within, counted),
        badge=badge,
    )


def response_us(rec: Record) -> int:
    """Microseconds from clock start to response (0 when answered during the away period)."""
    wait = rec[4] - rec[3]
    return wait if wait > 0 else 0


def record_state(rec: Record, now_us: int) -> OpeningState:
    if rec[4] >= 0:
        return "responded" if rec[4] - rec[3] <= DAY_US else "late"
    return "pending" if now_us < rec[3] + DAY_US else "unanswered"


def to_opening(rec: Record, now_us: int) -> Opening:
    at, thread_id, _, start, answer, agent_id = rec
    if answer < 0:
        state: OpeningState = "pending" if now_us < start + DAY_US else "unanswered"
        return Opening(thread_id, from_us(at), from_us(start), None, None, None, state)
    wait = answer - start if answer > start else 0
    return Opening(
        thread_id,
        from_us(at),
        from_us(start),
        from_us(answer),
        wait / US,
        agent_id or None,
        "responded" if wait <= DAY_US else "late",
    )


def iter_between(
    blocks: Sequence[Sequence[Record]],
    lo_us: int,
    hi_us: int,
    maxes: Sequence[Record] | None = None,
) -> Iterator[Record]:
    """The records with lo_us < at ≤ hi_us from sorted blocks of sorted records, in order."""
    probe = (lo_us + 1,)
    start = 0 if maxes is None else bisect_left(maxes, probe)
    for block in blocks[start:]:
        if not block or block[-1][0] <= lo_us:
            continue
        for rec in block[bisect_left(block, probe) :]:
            if rec[0] > hi_us:
                return
            yield rec


class OpeningsView(Sequence[Opening]):
    """The openings of one result, built on first use (most callers only read the figures).

    It holds an immutable snapshot of sorted blocks of records and the window (lo_us, hi_us].
    """

    __slots__ = ("_blocks", "_hi", "_items", "_lo")

    def __init__(self, blocks: Sequence[Sequence[Record]], lo_us: int, hi_us: int) -> None:
        self._blocks = blocks
        self._lo = lo_us
        self._hi = hi_us
        self._items: list[Opening] | None = None

    def _list(self) -> list[Opening]:
        if self._items is None:
            now = self._hi
            self._items = [to_opening(r, now) for r in iter_between(self._blocks, self._lo, now)]
            self._blocks = ()
        return self._items

    def __len__(self) -> int:
        return len(self._list())

    @overload
    def __getitem__(self, index: int) -> Opening: ...
    @overload
    def __getitem__(self, index: slice) -> list[Opening]: ...
    def __getitem__(self, index: int | slice) -> Opening | list[Opening]:
        return self._list()[index]

    def __iter__(self) -> Iterator[Opening]:
        return iter(self._list())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, OpeningsView | list | tuple):
            return self._list() == list(other)
        return False

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._list())


def record_key(rec: Record) -> tuple[int, str, int]:
    return (rec[0], rec[1], rec[2])


@dataclass(slots=True)
class _AgentTally:
    times: list[int]
    answered: int = 0
    within: int = 0
    replies: int = 0


def agent_figures(times: Sequence[int], answered: int, within: int, replies: int) -> AgentFigures:
    return AgentFigures(
        responded=len(times),
        median_response_seconds=median_seconds(times),
        within_target_rate=rate(within, answered),
        replies=replies,
    )


def result_from_records(
    records: Iterable[Record],
    replies: Iterable[Reply],
    *,
    now_us: int,
    target_seconds: float,
    window_days: float,
) -> MetricsResult:
    """The figures for the openings and replies of the window ending at `now_us`."""
    cutoff = now_us - window_us(window_days)
    limit = target_us(target_seconds)
    in_window = sorted((r for r in records if cutoff < r[0] <= now_us), key=record_key)
    times: list[int] = []
    counted = pending = within = 0
    agents: dict[str, _AgentTally] = {}
    for rec in in_window:
        state = record_state(rec, now_us)
        if state == "pending":
            pending += 1
            continue
        counted += 1
        if rec[4] < 0:
            continue
        rt = response_us(rec)
        fast = rt < limit
        within += fast
        tally = agents.get(rec[5]) if rec[5] else None
        if rec[5] and tally is None:
            tally = agents[rec[5]] = _AgentTally([])
        if tally is not None:
            tally.answered += 1
            tally.within += fast
        if state == "responded":
            times.append(rt)
            if tally is not None:
                tally.times.append(rt)
    for at, agent_id, _ in replies:
        if cutoff < at <= now_us:
            tally = agents.get(agent_id)
            if tally is None:
                tally = agents[agent_id] = _AgentTally([])
            tally.replies += 1
    times.sort()
    k = fastest_count(len(times))
    team = make_figures(
        openings=len(in_window),
        counted=counted,
        responded=len(times),
        pending=pending,
        within=within,
        median=median_seconds(times),
        fastest90=fastest_mean_seconds(sum(times[:k]), k) if times else None,
        target_seconds=target_seconds,
    )
    per_agent = {
        agent_id: agent_figures(sorted(t.times), t.answered, t.within, t.replies)
        for agent_id, t in sorted(agents.items())
    }
    return MetricsResult(
        team=team,
        per_agent=per_agent,
        openings=OpeningsView([in_window], cutoff, now_us),
    )


def compute_metrics(
    threads: Iterable[MetricThread],
    *,
    now: datetime,
    target_seconds: float = 300,
    window_days: float = 7,
    away: Sequence[Period] = (),
) -> MetricsResult:
    """Every figure of SPEC §2 as of `now`, from scratch.

    Messages after `now` are not known yet (the numbers are those a dashboard showed at `now`).
    """
    now_us = to_us(now)
    index = AwayIndex(away)
    records: list[Record] = []
    replies: list[Reply] = []
    for thread in threads:
        if thread.spam:
            continue
        msgs = [n for n in map(normalize, thread.messages) if n is not None and n[0] <= now_us]
        scan = scan_thread(thread.id, msgs, index)
        records.extend(scan.openings)
        replies.extend(scan.replies)
    return result_from_records(
        records, replies, now_us=now_us, target_seconds=target_seconds, window_days=window_days
    )


# --- the raw openings as table rows (the CLI's and the dashboard's CSV export) -----------------


def iso_utc(dt: datetime) -> str:
    """An aware datetime as ISO 8601 UTC with a "Z" ("2026-01-09T19:00:00Z")."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")
