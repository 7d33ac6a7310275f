"""Response metrics on Chatwoot: its reports API mapped to our figures (administrators), or our
own definitions (SPEC §2) computed by agent_desktop.core.metrics from the conversations.

The two differ (docs/CHATWOOT.md): Chatwoot averages first responses per *conversation* (the mean,
from conversation creation or reopen), we take the median per *opening* (a customer message after
24 h of silence), and Chatwoot has no response rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from agent_desktop.backends.base import AuthError, ForbiddenError, NotFoundError, ProtocolError
from agent_desktop.backends.chatwoot.client import parse
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
    from agent_desktop.backends.chatwoot.client import ChatwootClient
    from agent_desktop.backends.chatwoot.history import History

OPENING_GAP = timedelta(hours=24)  # an opening needs 24 h of silence before it (SPEC §2)
MetricsSource = Literal["auto", "reports", "computed"]


class ChatwootMetrics:
    """The figures of a window: from Chatwoot's reports (`source` "reports"), computed here
    ("computed"), or the reports when this token may read them and computed otherwise ("auto")."""

    def __init__(self, client: ChatwootClient, history: History, source: MetricsSource) -> None:
        self._client = client
        self._history = history
        self._source: MetricsSource = source
        self._reports_allowed: bool | None = None
        self.last_source: Literal["chatwoot-reports", "computed"] | None = None

    def forget_account(self) -> None:
        self._reports_allowed = None

    async def report(
        self, since: datetime, until: datetime, agent_id: str | None, settings: TeamSettings
    ) -> MetricsReport:
        if self._source != "computed" and self._reports_allowed is not False:
            try:
                report = await self._reports(since, until, agent_id, settings)
            except (AuthError, ForbiddenError, NotFoundError):
                if self._source == "reports":
                    raise ForbiddenError(
                        "Chatwoot's reports are for administrators only."
                    ) from None
                self._reports_allowed = False
            else:
                self._reports_allowed = True
                self.last_source = "chatwoot-reports"
                return report
        report = await computed_report(self._history, since=since, until=until, settings=settings)
        if agent_id is not None:
            report.agents = {k: v for k, v in report.agents.items() if k == agent_id}
        self.last_source = "computed"
        return report

    async def _reports(
        self, since: datetime, until: datetime, agent_id: str | None, settings: TeamSettings
    ) -> MetricsReport:
        client = self._client
        window = {"since": str(int(since.timestamp())), "until": str(int(until.timestamp()))}
        summary = parse(
            CwReportSummary,
            await client.get(
                client.acct("/reports/summary", version="v2"), {"type": "account", **window}
            ),
            what="report",
        )
        body = await client.get(client.acct("/summary_reports/agent", version="v2"), window)
        if not isinstance(body, list):
            raise ProtocolError("Chatwoot sent an agent report this client cannot read.")
        per_agent = [parse(CwAgentSummary, item, what="agent report") for item in body]
        if agent_id is not None:
            per_agent = [a for a in per_agent if str(a.id) == agent_id]
        return reports_report(summary, per_agent, since=since, until=until, settings=settings)


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
    history: History, *, since: datetime, until: datetime, settings: TeamSettings
) -> MetricsReport:
    """Our definitions over the conversations active in the window (plus 24 h before it, so
    openings are recognised), computed by core.metrics."""
    start = since - OPENING_GAP
    conversations = await history.conversations_since(start)

    def job(conv: CwConversation) -> Any:
        return lambda: history.messages_since(str(conv.id), start)

    histories = await history.gather([job(c) for c in conversations])
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
