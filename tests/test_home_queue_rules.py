"""The pure decisions behind the work queues: what a cohort lacks, which weeks to record."""

from __future__ import annotations

from datetime import date

from somet.attendance.rules import unrecorded_weeks
from somet.cohorts.rules.preparation import CohortPreparation, still_lacking
from somet.core.statuses import CohortStatus

SUN_TO_THU = (6, 0, 1, 2, 3)


def _facts(**changes) -> CohortPreparation:
    ready = dict(
        status=CohortStatus.SCHEDULED, doctors=5, unconfirmed=0, rotations=3, placed=15,
        unsent=0, unanswered=0, not_ready=0,
    )
    return CohortPreparation(**{**ready, **changes})


def _codes(facts) -> list[str]:
    return [problem.code for problem in still_lacking(facts)]


def test_a_scheduled_cohort_with_everything_lacks_nothing():
    assert still_lacking(_facts()) == []


def test_a_cohort_without_doctors_or_rotations_says_only_that():
    assert _codes(_facts(doctors=0, placed=0)) == ["cohort_no_doctors"]
    assert _codes(_facts(rotations=0, placed=0)) == ["cohort_no_rotations"]


def test_each_missing_step_is_counted():
    lacking = still_lacking(_facts(unsent=4, unanswered=2, unconfirmed=1, not_ready=3))
    assert [(p.code, p.params["count"]) for p in lacking] == [
        ("cohort_requests_unsent", 4),
        ("cohort_requests_unanswered", 2),
        ("cohort_participation_unconfirmed", 1),
        ("cohort_doctors_not_ready", 3),
    ]


def test_an_unplanned_cohort_and_one_left_in_planning():
    assert _codes(_facts(placed=0)) == ["cohort_not_planned"]
    assert _codes(_facts(status=CohortStatus.PLANNING)) == ["cohort_not_scheduled"]


def test_a_week_with_an_unmarked_working_day_is_to_record():
    # Sun 3 – Thu 14 January 2027: two hospital weeks; the first fully marked.
    marked = [date(2027, 1, d) for d in (3, 4, 5, 6, 7)]
    weeks = unrecorded_weeks(
        (date(2027, 1, 3), date(2027, 1, 14)), marked, (), SUN_TO_THU, date(2027, 1, 11)
    )
    assert weeks == {date(2027, 1, 10)}


def test_closed_days_and_days_to_come_need_no_mark():
    weeks = unrecorded_weeks(
        (date(2027, 1, 3), date(2027, 1, 14)),
        [date(2027, 1, 3), date(2027, 1, 4)],
        {date(2027, 1, 5), date(2027, 1, 6), date(2027, 1, 7)},  # a holiday stretch
        SUN_TO_THU,
        date(2027, 1, 8),
    )
    assert weeks == set()
