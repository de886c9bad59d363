"""PURE: one answer for where a hospital week begins and which days are worked."""

from __future__ import annotations

from datetime import date

import pytest

from somet.core.workdays import (
    first_weekday,
    is_working_day,
    parse_weekdays,
    week_start,
    working_days,
)

WEDNESDAY = date(2026, 3, 4)  # Sunday 1 March 2026 .. Saturday 7 March 2026


def test_a_tuesday_to_saturday_week_stored_as_1_to_5_begins_on_tuesday():
    week = parse_weekdays("1,2,3,4,5")  # date.weekday() numbers: Monday is a day off
    assert first_weekday(week) == 1
    assert week_start(WEDNESDAY, week) == date(2026, 3, 3)
    assert week_start(date(2026, 3, 9), week) == date(2026, 3, 3)  # its Monday ends the week


@pytest.mark.parametrize("stored", ["6,0,1,2,3", "0,1,2,3,6"])
def test_a_sunday_to_thursday_week_begins_on_sunday_whatever_the_stored_order(stored):
    week = parse_weekdays(stored)
    assert first_weekday(week) == 6
    assert week_start(WEDNESDAY, week) == date(2026, 3, 1)
    assert week_start(date(2026, 3, 7), week) == date(2026, 3, 1)  # Saturday


@pytest.mark.parametrize(
    ("stored", "first"),
    [("0,1,2,3,4", 0), ("0,1,2,3,4,5", 0), ("6,0,1,2,3,4", 6), ("0,1,2,3,4,5,6", 0), ("", 0)],
)
def test_a_week_begins_on_the_first_working_day_after_the_weekend(stored, first):
    assert first_weekday(parse_weekdays(stored)) == first


def test_a_working_day_is_on_a_working_weekday_and_not_closed():
    week = parse_weekdays("6,0,1,2,3")
    assert is_working_day(date(2026, 3, 1), week)  # Sunday
    assert not is_working_day(date(2026, 3, 6), week)  # Friday
    assert not is_working_day(date(2026, 3, 2), week, closed={date(2026, 3, 2)})


def test_working_days_and_the_predicate_agree():
    week = parse_weekdays("1,2,3,4,5")
    closed = {date(2026, 3, 5)}
    days = working_days(date(2026, 3, 1), date(2026, 3, 14), week, closed)
    every_day = [date(2026, 3, d) for d in range(1, 15)]
    assert days == [d for d in every_day if is_working_day(d, week, closed)]
    assert date(2026, 3, 7) in days and date(2026, 3, 2) not in days  # Saturday in, Monday out
