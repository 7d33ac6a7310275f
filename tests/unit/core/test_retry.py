"""The one retry policy (core/retry.py): doubling delays up to a cap, spread by a bounded jitter."""

from __future__ import annotations

import pytest

from agent_desktop.core.retry import RetryPolicy, backoff_delay


def test_backoff_doubles_then_caps_without_jitter() -> None:
    delays = [backoff_delay(n, base=0.5, cap=30, jitter=0) for n in range(10)]
    assert delays == [0.5, 1, 2, 4, 8, 16, 30, 30, 30, 30]
    assert backoff_delay(10_000, base=0.5, cap=30, jitter=0) == 30


def test_backoff_jitter_stays_within_bounds_and_cap() -> None:
    low = backoff_delay(3, base=1, cap=30, jitter=0.2, rng=lambda: 0.0)
    high = backoff_delay(3, base=1, cap=30, jitter=0.2, rng=lambda: 0.999999)
    assert low == pytest.approx(6.4)
    assert 9.5 < high <= 9.6
    assert backoff_delay(20, base=1, cap=30, jitter=0.5, rng=lambda: 0.999) <= 30


def test_the_policy_gives_the_same_schedule() -> None:
    policy = RetryPolicy(base=0.5, cap=30, jitter=0)
    assert [policy.delay(n) for n in range(8)] == [0.5, 1, 2, 4, 8, 16, 30, 30]
