"""The pure decisions behind the work queues: what a cohort lacks, which weeks to record."""

from __future__ import annotations

from datetime import date

from somet.attendance.rules import Stay, week_tallies
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


def _weeks_to_record(marked, closed, today) -> set[date]:
    """One stay, Sun 3 – Thu 14 January 2027 (two hospital weeks), as the home queue counts it."""
    stay = Stay(1, 7, date(2027, 1, 3), date(2027, 1, 14))
    tallies = week_tallies([stay], {(1, day) for day in marked}, SUN_TO_THU, {7: closed}, today)
    return {week for (_, week), tally in tallies.items() if not tally.complete}


def test_a_week_with_an_unmarked_working_day_is_to_record():
    marked = [date(2027, 1, d) for d in (3, 4, 5, 6, 7)]  # the first week fully marked
    assert _weeks_to_record(marked, set(), date(2027, 1, 11)) == {date(2027, 1, 10)}


def test_closed_days_and_days_to_come_need_no_mark():
    holidays = {date(2027, 1, 5), date(2027, 1, 6), date(2027, 1, 7)}
    marked = [date(2027, 1, 3), date(2027, 1, 4)]
    assert _weeks_to_record(marked, holidays, date(2027, 1, 8)) == set()
