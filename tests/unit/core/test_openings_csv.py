"""The CSV exports' window line and each agent's share of the openings (issue 21)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from agent_desktop.core.metrics import MetricMessage, MetricThread, compute_metrics
from agent_desktop.core.openings_csv import agent_openings, window_comment

NOW = datetime(2026, 12, 8, 12, tzinfo=UTC)
PARIS_WINTER = timezone(timedelta(hours=1))


def test_the_window_line_says_utc_and_local_time() -> None:
    since = datetime(2026, 11, 30, 23, tzinfo=UTC)
    until = datetime(2026, 12, 7, 23, tzinfo=UTC)
    assert window_comment(since, until, PARIS_WINTER) == (
        "# window: 2026-11-30T23:00:00Z .. 2026-12-07T23:00:00Z "
        "(local time 2026-12-01T00:00+01:00 .. 2026-12-08T00:00+01:00)"
    )


def _thread(tid: str, opened: datetime, answer_after: timedelta | None, agent: str) -> MetricThread:
    messages = [MetricMessage(at=opened, author="customer", kind="text", agent_id=None)]
    if answer_after is not None:
        messages.append(
            MetricMessage(at=opened + answer_after, author="agent", kind="text", agent_id=agent)
        )
    return MetricThread(id=tid, messages=messages)


def test_each_agent_is_credited_with_the_openings_their_reply_answered() -> None:
    day = timedelta(days=1)
    threads = [
        _thread("a1", NOW - 5 * day, timedelta(minutes=2), "ann"),
        _thread("a2", NOW - 5 * day, timedelta(minutes=10), "ann"),
        _thread("a3", NOW - 5 * day, timedelta(hours=30), "ann"),  # late: answered, not responded
        _thread("b1", NOW - 4 * day, timedelta(minutes=1), "bob"),
        _thread("u1", NOW - 3 * day, None, "nobody"),  # unanswered: nobody's
        _thread("p1", NOW - timedelta(hours=1), None, "nobody"),  # pending: nobody's
    ]
    result = compute_metrics(threads, now=NOW, target_seconds=300, window_days=7)
    shares = agent_openings(result.openings)
    assert set(shares) == {"ann", "bob"}
    ann, bob = shares["ann"], shares["bob"]
    assert (ann.answered, ann.responded) == (3, 2)
    assert ann.response_rate == 2 / 3
    # The team's rule on ann's responded openings: max(1, floor(0.9 * 2)) = 1 fastest.
    assert ann.fastest90_mean_seconds == 120.0
    assert (bob.answered, bob.responded, bob.response_rate) == (1, 1, 1.0)
    # The agent figures core.metrics computes agree on what they share.
    assert result.per_agent["ann"].responded == ann.responded
    assert result.per_agent["ann"].within_target_rate == 1 / 3
    # The team's rate counts the unanswered opening, which no agent carries.
    assert result.team.counted == 5 and result.team.response_rate == 3 / 5
