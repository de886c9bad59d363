"""PURE: working days of a placement and hospital weeks (no app, no database)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from somet.attendance.rules import weeks_spanned
from somet.core.workdays import week_start, working_days

ROOT = Path(__file__).resolve().parents[1]
SUN_TO_THU = (6, 0, 1, 2, 3)
MON_TO_FRI = (0, 1, 2, 3, 4)


def test_working_days_skip_the_weekend_and_closed_days():
    days = working_days(date(2026, 3, 1), date(2026, 3, 8), SUN_TO_THU, [date(2026, 3, 3)])
    assert days == [date(2026, 3, d) for d in (1, 2, 4, 5, 8)]


def test_an_israeli_week_starts_on_sunday_and_a_european_one_on_monday():
    wednesday = date(2026, 3, 4)
    assert week_start(wednesday, SUN_TO_THU) == date(2026, 3, 1)
    assert week_start(wednesday, MON_TO_FRI) == date(2026, 3, 2)
    assert week_start(date(2026, 3, 7), SUN_TO_THU) == date(2026, 3, 1)  # Saturday


def test_a_placement_across_two_weeks_touches_both():
    assert weeks_spanned(date(2026, 3, 4), date(2026, 3, 9), SUN_TO_THU) == [
        date(2026, 3, 1),
        date(2026, 3, 8),
    ]
