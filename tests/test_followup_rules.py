"""The follow-up rules on plain data: month arithmetic, which survey a run sends, reminders,
and the cohort's follow-up months as the director types them. No app."""

from datetime import UTC, date, datetime, timedelta

import pytest

from somet.core.follow_up_months import (
    BadMonths,
    follow_up_months_or_default,
    format_follow_up_months,
    parse_follow_up_months,
)
from somet.followup.rules import (
    CATCH_UP_DAYS,
    add_months,
    due_on,
    percent,
    reminder_stage,
    survey_to_send,
)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # no 31 February: the month's last day
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # a leap year
        (date(2025, 11, 13), 3, date(2026, 2, 13)),
        (date(2025, 10, 31), 3, date(2026, 1, 31)),
        (date(2025, 5, 31), 1, date(2025, 6, 30)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),  # over the year's end
        (date(2025, 1, 31), 12, date(2026, 1, 31)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),  # backwards, for the job's window
        (date(2025, 6, 30), 60, date(2030, 6, 30)),
    ],
)
def test_months_are_calendar_months_clamped_to_the_months_end(day, months, expected):
    assert add_months(day, months) == expected


def test_a_survey_is_due_its_months_after_the_cohorts_end():
    assert due_on(date(2025, 8, 31), 6) == date(2026, 2, 28)


END = date(2025, 8, 31)  # 3 months: 30 Nov; 6: 28 Feb; 12: 31 Aug 2026


def test_nothing_is_sent_before_the_first_survey_is_due():
    assert survey_to_send(END, (3, 6, 12), date(2025, 11, 29)) is None


def test_the_survey_is_sent_on_its_day_and_never_twice():
    assert survey_to_send(END, (3, 6, 12), date(2025, 11, 30)) == 3
    assert survey_to_send(END, (3, 6, 12), date(2025, 11, 30), sent=[3]) is None
    assert survey_to_send(END, (3, 6, 12), date(2026, 2, 27), sent=[3]) is None


def test_a_missed_day_is_caught_up():
    assert survey_to_send(END, (3, 6, 12), date(2025, 12, 2)) == 3


def test_the_month_end_survey_comes_on_the_last_day_of_february():
    assert survey_to_send(END, (3, 6, 12), date(2026, 2, 27), sent=[3]) is None
    assert survey_to_send(END, (3, 6, 12), date(2026, 2, 28), sent=[3]) == 6


def test_when_a_later_survey_is_also_due_only_the_latest_is_sent():
    # the job was down from November to March: the 6-month survey, not the stale 3-month one
    assert survey_to_send(END, (3, 6, 12), date(2026, 3, 2)) == 6
    assert survey_to_send(END, (3, 6, 12), date(2026, 3, 3), sent=[6]) is None


def test_a_survey_far_overdue_is_never_sent():
    late = due_on(END, 12) + timedelta(days=CATCH_UP_DAYS)
    assert survey_to_send(END, (3, 6, 12), late, sent=[3, 6]) == 12
    assert survey_to_send(END, (3, 6, 12), late + timedelta(days=1), sent=[3, 6]) is None
    assert survey_to_send(date(2015, 1, 1), (3, 6, 12), date(2026, 12, 5)) is None


def test_reminders_come_seven_and_twenty_one_days_after_sending():
    sent = datetime(2026, 2, 13, 2, 30, tzinfo=UTC)
    assert reminder_stage(sent, sent + timedelta(days=6, hours=23)) is None
    assert reminder_stage(sent, sent + timedelta(days=7)) == "7d"
    assert reminder_stage(sent, sent + timedelta(days=20)) == "7d"
    assert reminder_stage(sent, sent + timedelta(days=21)) == "21d"


def test_percent_is_whole_and_none_without_a_whole():
    assert percent(2, 3) == 67
    assert percent(0, 0) is None


def test_follow_up_months_are_whole_months_from_1_to_60():
    assert parse_follow_up_months("12, 3,6,3") == (3, 6, 12)
    assert format_follow_up_months(parse_follow_up_months(" 6 ,3")) == "3,6"
    assert parse_follow_up_months("60") == (60,)
    for text, code in [("", "empty"), (" , ", "empty"), ("3,x", "not_whole"),
                       ("2.5", "not_whole"), ("-3", "not_whole"), ("0", "out_of_range"),
                       ("61", "out_of_range"), ("3,,6", "not_whole")]:  # fmt: skip
        with pytest.raises(BadMonths) as refused:
            parse_follow_up_months(text)
        assert refused.value.code == code, text
    assert follow_up_months_or_default("nonsense") == (3, 6, 12)
