"""The one rule for which days a masterclass blocks for a doctor (pure: no fixtures)."""

from datetime import UTC, date, datetime, timedelta

from somet.masterclasses.rules import (
    MasterclassTimes,
    PlacedSpan,
    blocked_days,
    clashes,
    local_days,
)

APRIL = (date(2027, 4, 1), date(2027, 4, 30))


def _class(id: int, day: int, cohort_id: int | None = None) -> MasterclassTimes:
    """10:00–18:00 in Almaty on ``day`` April."""
    starts = datetime(2027, 4, day, 5, 0, tzinfo=UTC)
    return MasterclassTimes(id, starts, starts + timedelta(hours=8), "Asia/Almaty", cohort_id)


def test_the_days_are_local_calendar_days_and_a_midnight_end_takes_no_day():
    # 20:00 UTC 1 April – 02:00 UTC 2 April is 01:00–07:00 on 2 April in Almaty.
    evening = local_days(
        datetime(2027, 4, 1, 20, tzinfo=UTC), datetime(2027, 4, 2, 2, tzinfo=UTC), "Asia/Almaty"
    )
    assert evening == {date(2027, 4, 2)}
    until_midnight = local_days(
        datetime(2027, 4, 5, 6, tzinfo=UTC), datetime(2027, 4, 6, 21, tzinfo=UTC), "Asia/Jerusalem"
    )
    assert until_midnight == {date(2027, 4, 5), date(2027, 4, 6)}  # ends 00:00 on 7 April


def test_a_class_for_a_cohort_blocks_every_doctor_of_it_registered_or_not():
    cohorts_of = {1: {10}, 2: {10, 20}, 3: {20}}
    days = blocked_days([_class(100, 5, cohort_id=10)], cohorts_of, [], *APRIL)
    assert days == {1: {date(2027, 4, 5)}, 2: {date(2027, 4, 5)}}


def test_a_class_open_to_all_blocks_only_the_doctors_holding_a_place():
    cohorts_of = {1: {10}, 2: {10}}
    days = blocked_days([_class(100, 5)], cohorts_of, [(2, 100)], *APRIL)
    assert days == {2: {date(2027, 4, 5)}}


def test_a_place_blocks_even_outside_the_cohort_the_class_is_for():
    days = blocked_days([_class(100, 5, cohort_id=10)], {7: set()}, [(7, 100)], *APRIL)
    assert days == {7: {date(2027, 4, 5)}}


def test_only_days_inside_the_span_are_returned():
    classes = [_class(100, 1, cohort_id=10), _class(101, 3, cohort_id=10)]
    days = blocked_days(classes, {1: {10}}, [], date(2027, 4, 2), date(2027, 4, 10))
    assert days == {1: {date(2027, 4, 3)}}
    assert blocked_days(classes, {1: {10}}, [], date(2027, 4, 20), date(2027, 4, 30)) == {}


def test_a_clash_is_a_class_day_the_placement_works_not_its_weekend():
    israeli_week = frozenset({6, 0, 1, 2, 3})  # Sunday to Thursday
    rotation = PlacedSpan("Cardiology, Rambam", date(2027, 4, 4), date(2027, 4, 15), israeli_week)
    assert clashes(_class(1, 5), [rotation]) == [(date(2027, 4, 5), "Cardiology, Rambam")]
    assert clashes(_class(2, 9), [rotation]) == []  # a Friday: the ward is closed
    assert clashes(_class(3, 20), [rotation]) == []  # after the rotation
