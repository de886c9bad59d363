"""The alumni rules on plain data (no app): each credit hour counted once, means and years."""

from somet.alumni.rules import (
    AttendedClass,
    distinct_years,
    hours_of_cohort,
    hours_outside,
    mean_score,
    total_hours,
    year_span,
)

CLASSES = [AttendedClass(7, 8.0), AttendedClass(None, 4.0), AttendedClass(9, 2.5)]


def test_an_enrollment_counts_only_its_own_cohorts_classes():
    assert hours_of_cohort(CLASSES, 7) == (8.0,)
    assert hours_of_cohort(CLASSES, 8) == ()


def test_classes_outside_the_doctors_cohorts_are_added_once():
    # the doctor took part in cohort 7: its class is in that enrollment's hours already
    assert hours_outside(CLASSES, {7}) == 6.5
    assert hours_outside(CLASSES, {7, 9}) == 4.0
    assert total_hours([26.0, 0.0], hours_outside(CLASSES, {7})) == 32.5


def test_hours_add_without_float_drift():
    assert total_hours([0.1] * 3, 0.2) == 0.5
    assert total_hours([], 0.0) == 0.0


def test_mean_score_ignores_missing_scores_and_says_none_when_empty():
    assert mean_score([4, 5, None]) == 4.5
    assert mean_score([3, 4, 4]) == 3.7
    assert mean_score([None]) is None and mean_score([]) is None


def test_years_of_a_row():
    assert distinct_years([2021, 2016, 2021]) == (2016, 2021)
    assert year_span([2021, 2016, 2019]) == (2016, 2021)
    assert year_span([]) == (None, None)
