"""Figures entered as decimals (thresholds, hours), read exactly: 0.7 is 7/10, not 0.69999…
Shared by the certificates' completion rule and the alumni's hours, which must agree."""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache


@lru_cache(maxsize=1024)
def exact(value: float) -> Fraction:
    """``value`` as the decimal it was written as. Remembered: a few distinct thresholds and
    hours recur across every enrollment judged, and parsing one costs more than the rest of a
    verdict's arithmetic."""
    return Fraction(str(value))
