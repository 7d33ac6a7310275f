"""Response metrics on Chatwoot: its reports API mapped to our figures (administrators), or our
own definitions (SPEC §2) computed by agent_desktop.core.metrics from the conversations.

The two differ (docs/CHATWOOT.md): Chatwoot averages first responses per *conversation* (the mean,
from conversation creation or reopen), we take the median per *opening* (a customer message after
24 h of silence), and Chatwoot has no response rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from agent_desktop.backends.chatwoot.mapping import SPAM_LABEL, metric_message
from agent_desktop.backends.chatwoot.models import (
    CwAgentSummary,
    CwConversation,
    CwMessage,
    CwReportSummary,
)
from agent_desktop.core.metrics import MetricThread, Period, compute_metrics
from agent_desktop.core.types import AgentFigures, Figures, MetricsReport, TeamSettings

if TYPE_CHECKING:
    from agent_desktop.backends.chatwoot.backend import ChatwootBackend

OPENING_GAP = timedelta(hours=24)  # an opening needs 24 h of silence before it (SPEC §2)


def reports_report(
    summary: CwReportSummary,
    agents: Sequence[CwAgentSummary],
    *,
    since: datetime,
    until: datetime,
    settings: TeamSettings,
) -> MetricsReport:
    """Chatwoot's account summary and per-agent summaries in our report's shape.

    Chatwoot gives conversation counts and *mean* times; they fill `openings` and the
    `median_response_seconds` slots. What it lacks (rate, within-target, fastest 90 %, badge)
    stays None/0 and is listed in `unavailable_fields("metrics")`.
    """
    count = summary.conversations_count or 0
    team = Figures(
        openings=count,
        counted=0,
        responded=0,
        pending=0,
        median_response_seconds=summary.avg_first_response_time,
    )
    per_agent = {
        str(a.id): AgentFigures(
            responded=a.conversations_count or 0,
            median_response_seconds=a.avg_first_response_time,
        )
        for a in agents
    }
    return MetricsReport(
        since=since,
        until=until,
        target_seconds=settings.target_seconds,
        team=team,
        agents=per_agent,
    )


def metric_thread(conv: CwConversation, messages: Sequence[CwMessage]) -> MetricThread:
    metric = [m for m in (metric_message(msg) for msg in messages) if m is not None]
    return MetricThread(id=str(conv.id), messages=metric, spam=SPAM_LABEL in conv.labels)


async def computed_report(
    backend: ChatwootBackend, *, since: datetime, until: datetime, settings: TeamSettings
) -> MetricsReport:
    """Our definitions over the conversations active in the window (plus 24 h before it, so
    openings are recognised), computed by core.metrics."""
    start = since - OPENING_GAP
    conversations = await backend._conversation_pages(start)

    def job(conv: CwConversation) -> Any:
        return lambda: backend._messages_since(str(conv.id), start)

    histories = await backend.gather_limited([job(c) for c in conversations])
    threads = [metric_thread(c, h) for c, h in zip(conversations, histories, strict=True)]
    window_days = max((until - since).total_seconds() / 86400, 1 / 86400)
    result = compute_metrics(
        threads,
        now=until,
        target_seconds=settings.target_seconds,
        window_days=window_days,
        away=[Period(start=p.start, end=p.end) for p in settings.away],
    )
    return MetricsReport(
        since=since,
        until=until,
        target_seconds=settings.target_seconds,
        team=result.team,
        agents=dict(result.per_agent),
    )
