"""The openings as CSV (one row per opening with its response time), the same columns for
`agent-desktop metrics --openings-csv` and the dashboard's export; the window line every CSV
export starts with; each agent's share of the openings for the figures CSV."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from agent_desktop.core.metrics import (
    US,
    Opening,
    fastest_count,
    fastest_mean_seconds,
    iso_utc,
    rate,
)

OPENINGS_CSV_COLUMNS: tuple[str, ...] = (
    "thread_id",
    "opened_at",
    "clock_start",
    "response_at",
    "response_seconds",
    "agent_id",
    "state",
)


def opening_csv_row(opening: Opening) -> list[str]:
    """One opening as the cells of OPENINGS_CSV_COLUMNS (empty cells where there is no value)."""
    return [
        opening.thread_id,
        iso_utc(opening.at),
        iso_utc(opening.clock_start),
        iso_utc(opening.response_at) if opening.response_at else "",
        repr(opening.response_seconds) if opening.response_seconds is not None else "",
        opening.agent_id or "",
        opening.state,
    ]


def window_comment(since: datetime, until: datetime, tz: tzinfo | None = None) -> str:
    """The first line of every CSV export: the window it covers, in UTC and in local time
    (`tz`, default the machine's), so that a lead's "1 to 7 December" reads as they picked it:
    "# window: 2026-11-30T23:00:00Z .. 2026-12-07T23:00:00Z (local time 2026-12-01T00:00+01:00 ..
    2026-12-08T00:00+01:00)". Spreadsheets show it as a first row; readers skip lines that
    start with "#"."""

    def local(dt: datetime) -> str:
        return dt.astimezone(tz).isoformat(timespec="minutes")

    return (
        f"# window: {iso_utc(since)} .. {iso_utc(until)} "
        f"(local time {local(since)} .. {local(until)})"
    )


AGENT_ROWS_COMMENT = (
    "# agent rows: an opening is credited to the agent whose reply answered it, so an agent's "
    "openings = counted = the openings they answered; response_rate = answered within 24 h / "
    "answered; within_target_rate = answered within the target / answered. pending and badge "
    "are team figures only: a pending or unanswered opening has no agent yet."
)


@dataclass(frozen=True, slots=True)
class AgentOpenings:
    """One agent's share of the openings (those their reply answered), by the definitions of
    docs/API.md applied to that share."""

    answered: int
    responded: int
    response_rate: float | None
    fastest90_mean_seconds: float | None


def agent_openings(openings: Iterable[Opening]) -> dict[str, AgentOpenings]:
    """Per agent: the openings they answered (late ones too), how many within 24 h, the rate,
    and the mean of their fastest 90 % (the team's rule, on their responded openings)."""
    answered: dict[str, int] = {}
    times: dict[str, list[int]] = {}
    for opening in openings:
        if opening.agent_id is None or opening.state not in ("responded", "late"):
            continue
        answered[opening.agent_id] = answered.get(opening.agent_id, 0) + 1
        mine = times.setdefault(opening.agent_id, [])
        if opening.state == "responded" and opening.response_seconds is not None:
            mine.append(round(opening.response_seconds * US))
    result: dict[str, AgentOpenings] = {}
    for agent_id, count in answered.items():
        fast = sorted(times[agent_id])
        k = fastest_count(len(fast))
        result[agent_id] = AgentOpenings(
            answered=count,
            responded=len(fast),
            response_rate=rate(len(fast), count),
            fastest90_mean_seconds=fastest_mean_seconds(sum(fast[:k]), k) if fast else None,
        )
    return result
