"""The cohort timeline as the director reads it: bars, tooltips, escaping, languages."""

from __future__ import annotations

from somet.models import PlacementStatus
from tests.conftest import login_as
from tests.factories import (
    cohort_day,
    make_cohort,
    make_curriculum_item,
    make_department,
    make_enrollment,
    make_hospital,
    make_placement,
)


def test_timeline_cells_print_names_as_text_with_dates_and_status_in_the_page_language(
    client, users
):
    hospital = make_hospital(name='Rambam <img src="x">')
    department = make_department(hospital, name="<b>Cardio</b>", capacity=5)
    cohort = make_cohort(hosts=[hospital])
    item = make_curriculum_item(cohort, [department], days=3, name="Core & more")
    enrollment = make_enrollment(cohort)
    make_placement(
        enrollment, department, item, start_date=cohort_day(0), end_date=cohort_day(2),
        status=PlacementStatus.PROPOSED,
    )  # fmt: skip
    director = users["director"]
    login_as(client, director)
    page = client.get(f"/cohorts/{cohort.id}/timeline").get_data(as_text=True)
    assert "<b>Cardio</b>" not in page and '<img src="x">' not in page
    title = (
        "&lt;b&gt;Cardio&lt;/b&gt; (Rambam &lt;img src=&#34;x&#34;&gt;) · Core &amp; more · "
        "7 Mar 2027 – 9 Mar 2027 · proposed"
    )
    assert page.count(f'title="{title}"') == 1  # Sun, Mon, Tue: one bar
    assert page.count('colspan="3"') == 1
    assert page.count('<a class="plan-label" href="') == 1  # the first day links to the edit
    client.submit("/language", {"language": "ru"}, page="/")
    page = client.get(f"/cohorts/{cohort.id}/timeline").get_data(as_text=True)
    assert "7 марта 2027 – 9 марта 2027" in page
