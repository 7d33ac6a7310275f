"""The running totals behind `LiveMetrics` (core/metrics_live.py): opening records kept sorted in
copy-on-write blocks, the sum of the fastest 90 % kept as two sorted halves, and the per-window
team and agent aggregates that an opening or a reply moves in or out at the cost of a few bisects.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from agent_desktop.core.metrics import (
    DAY_US,
    Record,
    Reply,
    fastest_count,
    iter_between,
    response_us,
    target_us,
)


class Blocks:
    """Opening records kept sorted in blocks, copy-on-write so a snapshot costs a few pointers."""

    LOAD = 1000

    def __init__(self) -> None:
        self._blocks: list[list[Record]] = []
        self._maxes: list[Record] = []
        self._stamps: list[int] = []
        self._gen = 0
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def bulk_load(self, records: list[Record]) -> None:
        records.sort()
        size = self.LOAD
        self._blocks = [records[i : i + size] for i in range(0, len(records), size)]
        self._maxes = [b[-1] for b in self._blocks]
        self._stamps = [self._gen] * len(self._blocks)
        self._len = len(records)

    def snapshot(self) -> list[list[Record]]:
        self._gen += 1
        return list(self._blocks)

    def _own(self, i: int) -> list[Record]:
        if self._stamps[i] != self._gen:
            self._blocks[i] = self._blocks[i][:]
            self._stamps[i] = self._gen
        return self._blocks[i]

    def insert(self, rec: Record) -> None:
        self._len += 1
        if not self._blocks:
            self._blocks.append([rec])
            self._maxes.append(rec)
            self._stamps.append(self._gen)
            return
        i = bisect_left(self._maxes, rec)
        if i == len(self._blocks):
            i -= 1
        block = self._own(i)
        insort(block, rec)
        self._maxes[i] = block[-1]
        if len(block) > 2 * self.LOAD:
            half = len(block) // 2
            self._blocks[i : i + 1] = [block[:half], block[half:]]
            self._maxes[i : i + 1] = [block[half - 1], block[-1]]
            self._stamps[i : i + 1] = [self._gen, self._gen]

    def remove(self, rec: Record) -> None:
        i = bisect_left(self._maxes, rec)
        block = self._own(i)
        del block[bisect_left(block, rec)]
        self._len -= 1
        if block:
            self._maxes[i] = block[-1]
        else:
            del self._blocks[i], self._maxes[i], self._stamps[i]

    def between(self, lo_us: int, hi_us: int) -> list[Record]:
        """The records with lo_us < at ≤ hi_us, in order."""
        return list(iter_between(self._blocks, lo_us, hi_us, self._maxes))

    def __iter__(self) -> Iterator[Record]:
        for block in self._blocks:
            yield from block


class FastestSum:
    """A sorted list of response times and the sum of its fastest max(1, ⌊0.9·n⌋)."""

    __slots__ = ("k", "total", "vals")

    def __init__(self) -> None:
        self.vals: list[int] = []
        self.k = 0
        self.total = 0

    def build(self, vals: list[int]) -> None:
        vals.sort()
        self.vals = vals
        self.k = fastest_count(len(vals)) if vals else 0
        self.total = sum(vals[: self.k])

    def add(self, v: int) -> None:
        vals = self.vals
        p = bisect_right(vals, v)
        vals.insert(p, v)
        if p < self.k:
            self.total += v - vals[self.k]
        self._rebalance()

    def remove(self, v: int) -> None:
        vals = self.vals
        p = bisect_left(vals, v)
        del vals[p]
        if p < self.k:
            self.total -= v
            if self.k <= len(vals):
                self.total += vals[self.k - 1]  # the next fastest joins the fastest k
            else:
                self.k -= 1
        self._rebalance()

    def _rebalance(self) -> None:
        n = len(self.vals)
        want = fastest_count(n) if n else 0
        while self.k < want:
            self.total += self.vals[self.k]
            self.k += 1
        while self.k > want:
            self.k -= 1
            self.total -= self.vals[self.k]


@dataclass(slots=True)
class AgentAgg:
    times: list[int] = field(default_factory=list)
    answered: int = 0
    within: int = 0
    replies: int = 0


class Window:
    """The running totals over the openings and replies of the current window."""

    def __init__(self, target_seconds: float) -> None:
        self.limit = target_us(target_seconds)
        self.openings = 0
        self.within = 0
        self.deadlines: list[int] = []  # clock_start + 24 h of the unanswered openings
        self.times = FastestSum()
        self.agents: dict[str, AgentAgg] = {}

    def _agent(self, agent_id: str) -> AgentAgg:
        agg = self.agents.get(agent_id)
        if agg is None:
            agg = self.agents[agent_id] = AgentAgg()
        return agg

    def build(self, records: Iterable[Record], replies: Iterable[Reply]) -> None:
        """Fill empty totals in one pass (sorting once instead of inserting one by one)."""
        times: list[int] = []
        for rec in records:
            self.openings += 1
            if rec[4] < 0:
                self.deadlines.append(rec[3] + DAY_US)
                continue
            rt = response_us(rec)
            fast = rt < self.limit
            self.within += fast
            agg = self._agent(rec[5]) if rec[5] else None
            if agg is not None:
                agg.answered += 1
                agg.within += fast
            if rt <= DAY_US:
                times.append(rt)
                if agg is not None:
                    agg.times.append(rt)
        for rep in replies:
            self._agent(rep[1]).replies += 1
        self.deadlines.sort()
        self.times.build(times)
        for agg in self.agents.values():
            agg.times.sort()

    def add(self, rec: Record) -> None:
        self._change(rec, 1)

    def remove(self, rec: Record) -> None:
        self._change(rec, -1)

    def _change(self, rec: Record, sign: int) -> None:
        """Count an opening in (`sign` 1) or out (-1) of every total."""
        self.openings += sign
        if rec[4] < 0:
            deadline = rec[3] + DAY_US
            if sign > 0:
                insort(self.deadlines, deadline)
            else:
                del self.deadlines[bisect_left(self.deadlines, deadline)]
            return
        rt = response_us(rec)
        fast = rt < self.limit
        self.within += sign * fast
        agg = (self._agent(rec[5]) if sign > 0 else self.agents.get(rec[5])) if rec[5] else None
        if agg is not None:
            agg.answered += sign
            agg.within += sign * fast
        if rt <= DAY_US:
            if sign > 0:
                self.times.add(rt)
            else:
                self.times.remove(rt)
            if agg is not None:
                if sign > 0:
                    insort(agg.times, rt)
                else:
                    del agg.times[bisect_left(agg.times, rt)]

    def reply(self, agent_id: str, sign: int) -> None:
        self._agent(agent_id).replies += sign
