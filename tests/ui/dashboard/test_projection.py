"""core.projection: the smallest number of openings answered in time that restores the rate."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.core.projection import openings_to_recover


@pytest.mark.parametrize(
    ("responded", "counted", "expected"),
    [
        (0, 0, 0),  # nothing counted: nothing to recover
        (9, 10, 0),  # exactly 90 %
        (10, 10, 0),
        (8, 10, 10),  # 18/20 = 90 %
        (0, 1, 9),  # 9/10
        (89, 100, 10),  # 99/110 = 90 %
        (899, 1000, 10),  # 909/1010 ≥ 0.9, 908/1009 < 0.9
        (0, 10, 90),
    ],
)
def test_known_values(responded: int, counted: int, expected: int) -> None:
    assert openings_to_recover(responded, counted) == expected


@given(st.integers(0, 5000), st.integers(0, 5000))
def test_smallest_k(a: int, b: int) -> None:
    responded, counted = min(a, b), max(a, b)
    k = openings_to_recover(responded, counted)
    assert k is not None
    if counted:
        assert Fraction(responded + k, counted + k) >= Fraction(9, 10)
    if k > 0:
        assert Fraction(responded + k - 1, counted + k - 1) < Fraction(9, 10)


def test_other_thresholds() -> None:
    assert openings_to_recover(1, 2, 0.75) == 2  # 3/4
    assert openings_to_recover(1, 2, Fraction(1, 2)) == 0
    assert openings_to_recover(3, 4, 1.0) is None
    assert openings_to_recover(4, 4, 1.0) == 0
    assert openings_to_recover(0, 5, 0) == 0


@pytest.mark.parametrize(
    ("responded", "counted", "threshold"),
    [(-1, 2, 0.9), (1, -2, 0.9), (3, 2, 0.9), (1, 2, 1.5), (1, 2, -0.1)],
)
def test_bad_input(responded: int, counted: int, threshold: float) -> None:
    with pytest.raises(ValueError):
        openings_to_recover(responded, counted, threshold)


def test_projected_rate() -> None:
    from agent_desktop.core.projection import projected_rate

    assert projected_rate(0, 0, 0) is None
    assert projected_rate(9, 10, 0) == 0.9
    assert projected_rate(9, 10, 2) == 0.75
    assert projected_rate(0, 0, 3) == 0.0
    with pytest.raises(ValueError):
        projected_rate(3, 2, 0)
    with pytest.raises(ValueError):
        projected_rate(1, 2, -1)
