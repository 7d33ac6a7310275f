"""Exports for a chosen period: the figures as CSV (a team row and one row per agent), the raw
openings with their response times as CSV (the `agent-desktop metrics --openings-csv` columns),
and the period's message data as the JSON `agent-desktop metrics --input` reads. All numbers come
from core.metrics, so they equal the command's output for the same data.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from agent_desktop.backends.base import Backend, MetricsDataSource
from agent_desktop.core.metrics import (
    OPENINGS_CSV_COLUMNS,
    MetricsResult,
    MetricThread,
    Period,
    compute_metrics,
    iso_utc,
    opening_csv_row,
)
from agent_desktop.core.types import Agent, AgentFigures, TeamSettings

LOOKBACK = timedelta(days=2)  # openings need the day before the period (as the server does)

METRICS_CSV_COLUMNS = (
    "scope",
    "agent_id",
    "name",
    "since",
    "until",
    "target_seconds",
    "openings",
    "counted",
    "responded",
    "pending",
    "response_rate",
    "median_response_seconds",
    "fastest90_mean_seconds",
    "within_target_rate",
    "badge",
    "replies",
)


@dataclass(frozen=True)
class PeriodData:
    """One period's message data and the figures computed from it."""

    since: datetime
    until: datetime
    target_seconds: float
    away: list[Period]
    threads: list[MetricThread]
    result: MetricsResult

    @property
    def window_days(self) -> float:
        return (self.until - self.since).total_seconds() / 86_400


def _cell(value: float | int | bool | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


async def fetch_period(
    backend: Backend, since: datetime, until: datetime, settings: TeamSettings
) -> PeriodData:
    """The figures for [since, until] (the period is the rolling window ending at `until`)."""
    if not isinstance(backend, MetricsDataSource):
        raise TypeError("this backend cannot export message data")
    data = await backend.metric_messages(since=since - LOOKBACK, until=until)
    away = [Period(start=p.start, end=p.end) for p in settings.away]
    window_days = (until - since).total_seconds() / 86_400
    result = compute_metrics(
        data.threads,
        now=until,
        target_seconds=settings.target_seconds,
        window_days=window_days,
        away=away,
    )
    return PeriodData(since, until, settings.target_seconds, away, list(data.threads), result)


def metrics_rows(
    period: PeriodData, agents: Mapping[str, Agent], agent_ids: Iterable[str] | None = None
) -> list[list[str]]:
    """The team row, then one row per agent (every agent named in `agent_ids`, or in `agents`)."""
    team = period.result.team
    common = [iso_utc(period.since), iso_utc(period.until), _cell(period.target_seconds)]
    rows = [
        [
            "team",
            "",
            "",
            *common,
            _cell(team.openings),
            _cell(team.counted),
            _cell(team.responded),
            _cell(team.pending),
            _cell(team.response_rate),
            _cell(team.median_response_seconds),
            _cell(team.fastest90_mean_seconds),
            _cell(team.within_target_rate),
            _cell(team.badge),
            _cell(sum(f.replies for f in period.result.per_agent.values())),
        ]
    ]
    ids = sorted(set(agent_ids) if agent_ids is not None else set(agents))
    for agent_id in ids:
        f = period.result.per_agent.get(agent_id, AgentFigures())
        agent = agents.get(agent_id)
        rows.append(
            [
                "agent",
                agent_id,
                agent.name if agent is not None else "",
                *common,
                "",
                "",
                _cell(f.responded),
                "",
                "",
                _cell(f.median_response_seconds),
                "",
                _cell(f.within_target_rate),
                "",
                _cell(f.replies),
            ]
        )
    return rows


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_metrics_csv(
    path: Path,
    period: PeriodData,
    agents: Mapping[str, Agent],
    agent_ids: Iterable[str] | None = None,
) -> None:
    write_csv(path, METRICS_CSV_COLUMNS, metrics_rows(period, agents, agent_ids))


def write_openings_csv(path: Path, period: PeriodData) -> None:
    write_csv(path, OPENINGS_CSV_COLUMNS, (opening_csv_row(o) for o in period.result.openings))


def metrics_input(period: PeriodData) -> dict[str, Any]:
    """The period as `agent-desktop metrics --input` reads it (its figures equal the export's)."""
    return {
        "now": iso_utc(period.until),
        "target_seconds": period.target_seconds,
        "window_days": period.window_days,
        "away": [{"start": iso_utc(p.start), "end": iso_utc(p.end)} for p in period.away],
        "threads": [
            {
                "id": t.id,
                "spam": t.spam,
                "messages": [
                    {
                        "at": iso_utc(m.at),
                        "author": m.author,
                        "kind": m.kind,
                        "agent_id": m.agent_id,
                    }
                    for m in t.messages
                ],
            }
            for t in period.threads
        ],
    }


def write_metrics_input(path: Path, period: PeriodData) -> None:
    Path(path).write_text(json.dumps(metrics_input(period), indent=1), encoding="utf-8")
