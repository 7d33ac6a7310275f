"""How many more openings answered in time bring the response rate back to a threshold.

Solves (responded + k) / (counted + k) ≥ threshold for the smallest whole k ≥ 0, exactly (with
fractions, so 0.9 is nine tenths and never a rounding error away from it).
"""

from __future__ import annotations

from fractions import Fraction

BADGE_RATE = Fraction(9, 10)


def openings_to_recover(
    responded: int, counted: int, threshold: float | Fraction = BADGE_RATE
) -> int | None:
    """The smallest k ≥ 0 with (responded + k) / (counted + k) ≥ threshold.

    0 when the rate already reaches the threshold (or nothing is counted yet); None when no k can
    (a threshold of 100 % with an opening already missed). Raises ValueError for negative counts,
    more responded than counted, or a threshold outside [0, 1].
    """
    if responded < 0 or counted < 0:
        raise ValueError("counts cannot be negative")
    if responded > counted:
        raise ValueError("responded cannot exceed counted")
    t = threshold if isinstance(threshold, Fraction) else Fraction(str(threshold))
    if not 0 <= t <= 1:
        raise ValueError("the threshold is a share between 0 and 1")
    if counted == 0 or Fraction(responded, counted) >= t:
        return 0
    if t == 1:
        return None
    # responded + k ≥ t·(counted + k)  ⇔  k ≥ (t·counted − responded) / (1 − t)
    need = (t * counted - responded) / (1 - t)
    k = need.numerator // need.denominator
    if k < need:
        k += 1
    return max(0, k)


def projected_rate(responded: int, counted: int, pending: int) -> float | None:
    """The rate once the pending openings are counted, if none of them gets its answer in time
    (the pessimistic projection a lead is warned about); None with nothing to count."""
    if min(responded, counted, pending) < 0 or responded > counted:
        raise ValueError("counts cannot be negative, nor responded exceed counted")
    whole = counted + pending
    return responded / whole if whole else None
