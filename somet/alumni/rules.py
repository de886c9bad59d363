"""Alumni rules (PURE): a doctor's credit hours over their whole history, and a row's figures.

Each enrollment's credit hours come from the certificates' completion rule
(``somet.certificates.core.completion.judge_enrollment``: present days of completed placements
× the cohort's hours per day + the cohort's own attended masterclasses). A doctor's total adds
the attended masterclasses that belong to none of their cohorts (open to all, or another
cohort's), so each hour counts once, whatever certificates were issued for it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from fractions import Fraction

from somet.core.decimals import exact


@dataclass(frozen=True)
class AttendedClass:
    """A masterclass the doctor attended: its cohort (None: open to all) and credit hours."""

    cohort_id: int | None
    hours: float


def hours_of_cohort(classes: Iterable[AttendedClass], cohort_id: int) -> tuple[float, ...]:
    """The credit hours of the attended classes of ``cohort_id`` (what its enrollment counts)."""
    return tuple(c.hours for c in classes if c.cohort_id == cohort_id)


def hours_outside(classes: Iterable[AttendedClass], enrolled: Collection[int]) -> float:
    """Credit hours of attended classes that no enrollment of the doctor counts."""
    return _rounded(c.hours for c in classes if c.cohort_id not in enrolled)


def total_hours(enrollment_hours: Iterable[float], outside: float) -> float:
    """The doctor's credit hours: every enrollment's, plus the classes outside their cohorts."""
    return _rounded([*enrollment_hours, outside])


def _rounded(values: Iterable[float]) -> float:
    return round(float(sum((exact(v) for v in values), Fraction(0))), 2)


def mean_score(scores: Iterable[int | None]) -> float | None:
    """The mean of the given 1–5 scores to one decimal (None when there is none)."""
    given = [s for s in scores if s is not None]
    if not given:
        return None
    return round(sum(given) / len(given), 1)


def year_span(years: Iterable[int]) -> tuple[int | None, int | None]:
    """The first and last of ``years`` (None, None when empty)."""
    ordered = sorted(set(years))
    return (ordered[0], ordered[-1]) if ordered else (None, None)


def distinct_years(years: Iterable[int]) -> tuple[int, ...]:
    """``years`` once each, oldest first: the cohorts' years of a registry row."""
    return tuple(sorted(set(years)))
