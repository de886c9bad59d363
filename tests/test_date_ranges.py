"""Date ranges name their year once: pure formatting, and the pages that show ranges."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from somet.core.localisation import format_day_range
from tests.conftest import login_as
from tests.factories import make_cohort

JAN_12, JAN_23, FEB_3 = date(2027, 1, 12), date(2027, 1, 23), date(2027, 2, 3)
DEC_28 = date(2026, 12, 28)

EXPECTED = {
    "kk": ("2027 ж. 12–23 қаңтар", "2027 ж. 12 қаңтар – 3 ақпан",
           "2026 ж. 28 желтоқсан – 2027 ж. 23 қаңтар", "2027 ж. 12 қаңтар"),
    "ru": ("12–23 января 2027", "12 января – 3 февраля 2027",
           "28 декабря 2026 – 23 января 2027", "12 января 2027"),
    "en": ("12–23 Jan 2027", "12 Jan – 3 Feb 2027", "28 Dec 2026 – 23 Jan 2027", "12 Jan 2027"),
}  # fmt: skip


@pytest.mark.parametrize("language", EXPECTED)
def test_a_range_within_a_year_writes_the_year_once_where_the_language_puts_it(language):
    same_month, two_months, two_years, one_day = EXPECTED[language]
    assert format_day_range(JAN_12, JAN_23, language) == same_month
    assert format_day_range(JAN_12, FEB_3, language) == two_months
    assert format_day_range(DEC_28, JAN_23, language) == two_years
    assert format_day_range(JAN_12, JAN_12, language) == one_day
    assert same_month.count("2027") == two_months.count("2027") == 1


def test_an_open_range_or_a_moment_still_reads():
    assert format_day_range(None, None, "en") == ""
    assert format_day_range(JAN_12, None, "ru") == "12 января 2027 –"
    assert format_day_range(datetime(2027, 1, 12, 9), datetime(2027, 1, 23, 17), "en") == (
        "12–23 Jan 2027"
    )
    assert format_day_range(JAN_12, JAN_23, "kk-KZ") == "2027 ж. 12–23 қаңтар"


@pytest.mark.parametrize(
    ("language", "shown"),
    [("kk", "2027 ж. 12–23 қаңтар"), ("ru", "12–23 января 2027"), ("en", "12–23 Jan 2027")],
)
def test_the_cohort_list_shows_the_range_in_the_directors_language(client, users, language, shown):
    make_cohort(start_date=JAN_12, end_date=JAN_23)
    login_as(client, users["director"])
    client.submit("/language", {"language": language, "next": "/"}, page="/")
    html = client.get("/cohorts").get_data(as_text=True)
    assert shown in html
    assert "2027 ж. 12 қаңтар – 2027 ж." not in html
