"""The cohort timeline as the director reads it: bars, tooltips, escaping, languages."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from somet.models import Department, Placement, PlacementStatus
from somet.planning.rules.timeline import (
    off_day_shading,
    placement_segments,
    rotation_codes,
)
from somet.web.extensions import db
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
        "7–9 Mar 2027 · proposed"
    )
    assert page.count(f'title="{title}"') == 1  # Sun, Mon, Tue: one segment
    assert page.count("grid-column: 1 / span 3") == 1
    # the segment is a button of the form that opens the placement's edit page
    assert page.count('form="tl-edit" name="placement"') == 1
    client.submit("/language", {"language": "ru"}, page="/")
    page = client.get(f"/cohorts/{cohort.id}/timeline").get_data(as_text=True)
    assert "7–9 марта 2027" in page


def _grid(client, cohort_id: int) -> str:
    response = client.get(f"/cohorts/{cohort_id}/timeline")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return page[page.index('<div class="tl-legend') : page.index("</table>") + 8]


def test_every_change_to_the_timelines_data_shows_at_the_next_view(client, users):
    hospital = make_hospital(name="Rambam")
    surgery = make_department(hospital, name="Surgery", capacity=5)
    cohort = make_cohort(hosts=[hospital])
    item = make_curriculum_item(cohort, [surgery], days=3, name="Core surgery")
    enrollment = make_enrollment(cohort)
    placement = make_placement(
        enrollment, surgery, item, start_date=cohort_day(0), end_date=cohort_day(2),
        status=PlacementStatus.PROPOSED,
    )  # fmt: skip
    login_as(client, users["director"])
    first = _grid(client, cohort.id)
    assert "grid-column: 1 / span 3" in first and "7–9 Mar 2027" in first

    # The director moves the proposal two days later through the edit form.
    edit = f"/cohorts/{cohort.id}/placements/{placement.id}/edit"
    response = client.submit(edit, {"department_id": surgery.id, "start": "2027-03-09"})
    assert response.status_code == 302
    moved = _grid(client, cohort.id)
    assert "9–11 Mar 2027" in moved and "7–9 Mar 2027" not in moved

    # A holiday added at the host marks its column.
    client.submit(
        f"/hospitals/{hospital.id}/holidays",
        {"day": "2027-03-15", "name": "Purim"},
        page=f"/hospitals/{hospital.id}",
    )
    assert "Rambam: Purim" in _grid(client, cohort.id)

    # Another process (the job runner, a CLI) commits on its own connection.
    with Session(db.engine) as other:
        other.execute(update(Department).where(Department.id == surgery.id).values(name="Trauma"))
        other.commit()
    db.session.rollback()  # end this test's read transaction, as each request does
    renamed = _grid(client, cohort.id)
    assert "Trauma (Rambam)" in renamed and ">Surgery" not in renamed

    db.session.execute(delete(Placement).where(Placement.enrollment_id == enrollment.id))
    db.session.commit()
    assert "Trauma" not in _grid(client, cohort.id)  # no segment left


def test_a_weekend_inside_a_placement_splits_it_into_segments_each_labelled():
    works = [True, True, False, False, True, True, True]  # Thu Fri | Sat Sun | Mon ...
    segments = placement_segments("p", 0, 6, lambda day: works[day])
    assert [(s.column, s.span, s.first) for s in segments] == [(1, 2, True), (5, 3, False)]
    assert placement_segments("p", 2, 3, lambda day: works[day]) == []


def test_off_days_are_shaded_once_for_the_whole_grid():
    assert off_day_shading([False, False]) == "none"
    shading = off_day_shading([False, True, True, False])
    assert "#e9ecef 25.000% 75.000%" in shading and "transparent 75.000% 100.000%" in shading


def test_every_rotation_gets_a_short_distinct_code():
    codes = rotation_codes(
        ["General Internal Medicine", "Gastroenterology", "General Intensive Medicine",
         "Rotation 12", "Core surgery"]
    )  # fmt: skip
    assert codes == {
        "General Internal Medicine": "GIM",
        "Gastroenterology": "GAS",
        "General Intensive Medicine": "GIM2",
        "Rotation 12": "RO12",
        "Core surgery": "CS",
    }
