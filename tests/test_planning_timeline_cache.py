"""The cohort timeline is drawn once and kept until a commit changes what it shows.

Every change a director can make to the grid's data (through the app, a bulk statement, or
another process such as the job runner) must show on the next view; views with nothing
changed must not read the grid's rows again.
"""

from __future__ import annotations

import re

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from somet.data_generations import tables_read_by
from somet.models import DataGeneration, Department, Doctor, Placement, PlacementStatus
from somet.planning.queries import _DOCTORS_AND_PLACEMENTS, TIMELINE_TABLES
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


def _view(client, url: str, count_queries) -> tuple[str, int]:
    """The drawn grid (legend, table, declined list) and how many statements read placements."""
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    section = page[page.index('<div class="plan-legend') : page.index("</table>") + 8]
    return section, sum("placements.decline_reason" in s for s in statements)


def _planned_cohort():
    hospital = make_hospital(name="Rambam")
    surgery = make_department(hospital, name="Surgery", capacity=5)
    cohort = make_cohort(hosts=[hospital])
    item = make_curriculum_item(cohort, [surgery], days=3, name="Core surgery")
    enrollment = make_enrollment(cohort)
    placement = make_placement(
        enrollment, surgery, item, start_date=cohort_day(0), end_date=cohort_day(2),
        status=PlacementStatus.PROPOSED,
    )  # fmt: skip
    return cohort, hospital, surgery, enrollment, placement


def test_a_second_view_reuses_the_drawn_grid_and_a_change_through_the_app_redraws_it(
    client, users, count_queries
):
    cohort, _hospital, surgery, _enrollment, placement = _planned_cohort()
    url = f"/cohorts/{cohort.id}/timeline"
    login_as(client, users["director"])
    first, reads = _view(client, url, count_queries)
    assert reads == 1 and 'colspan="3"' in first
    again, reads = _view(client, url, count_queries)
    assert (again, reads) == (first, 0)

    # The director moves the proposal two days later through the edit form.
    edit = f"/cohorts/{cohort.id}/placements/{placement.id}/edit"
    response = client.submit(edit, {"department_id": surgery.id, "start": "2027-03-09"})
    assert response.status_code == 302
    moved, reads = _view(client, url, count_queries)
    assert reads == 1 and moved != first
    assert "9 Mar 2027 – 11 Mar 2027" in moved and "7 Mar 2027 – 9 Mar 2027" not in moved

    # Adding a holiday at the host marks its column.
    client.submit(
        f"/hospitals/{surgery.hospital_id}/holidays",
        {"day": "2027-03-15", "name": "Purim"},
        page=f"/hospitals/{surgery.hospital_id}",
    )
    with_holiday, reads = _view(client, url, count_queries)
    assert reads == 1 and "Rambam: Purim" in with_holiday


def test_direct_commits_bulk_statements_and_other_processes_redraw_the_grid(
    client, users, count_queries
):
    cohort, _hospital, surgery, enrollment, _placement = _planned_cohort()
    url = f"/cohorts/{cohort.id}/timeline"
    login_as(client, users["director"])
    _view(client, url, count_queries)

    doctor = db.session.get(Doctor, enrollment.doctor_id)
    doctor.last_name = "Omarova"
    db.session.commit()
    section, reads = _view(client, url, count_queries)
    assert reads == 1 and "Omarova" in section

    # Another process (the job runner, a CLI) commits on its own connection.
    with Session(db.engine) as other:
        other.execute(update(Department).where(Department.id == surgery.id).values(name="Trauma"))
        other.commit()
    db.session.rollback()  # end this test's read transaction, as each request does
    section, reads = _view(client, url, count_queries)
    assert reads == 1 and "Trauma (Rambam)" in section and "Surgery" not in section

    db.session.execute(delete(Placement).where(Placement.enrollment_id == enrollment.id))
    db.session.commit()
    section, reads = _view(client, url, count_queries)
    assert reads == 1 and "Trauma" not in section  # no bar, no legend entry


def test_a_rolled_back_change_leaves_the_drawn_grid_in_use(client, users, count_queries):
    cohort, _hospital, _surgery, enrollment, _placement = _planned_cohort()
    url = f"/cohorts/{cohort.id}/timeline"
    login_as(client, users["director"])
    first, _ = _view(client, url, count_queries)
    doctor = db.session.get(Doctor, enrollment.doctor_id)
    doctor.last_name = "Never-saved"
    db.session.flush()
    db.session.rollback()
    section, reads = _view(client, url, count_queries)
    assert (section, reads) == (first, 0)
    assert "Never-saved" not in section


def test_each_language_has_its_own_drawing(client, users, count_queries):
    cohort, *_ = _planned_cohort()
    url = f"/cohorts/{cohort.id}/timeline"
    login_as(client, users["director"])
    english, _ = _view(client, url, count_queries)
    client.submit("/language", {"language": "ru"}, page="/")
    russian, reads = _view(client, url, count_queries)
    assert reads == 1 and "7 марта 2027" in russian and "7 Mar 2027" in english


def test_without_a_generation_row_the_timeline_is_drawn_every_time(client, users, count_queries):
    cohort, *_ = _planned_cohort()
    db.session.execute(delete(DataGeneration))
    db.session.commit()
    url = f"/cohorts/{cohort.id}/timeline"
    login_as(client, users["director"])
    assert _view(client, url, count_queries)[1] == 1
    assert _view(client, url, count_queries)[1] == 1


def test_the_watched_tables_are_every_table_the_timeline_reads():
    assert tables_read_by(_DOCTORS_AND_PLACEMENTS) <= TIMELINE_TABLES
    names = {table.name for table in TIMELINE_TABLES}
    assert {"placements", "doctors", "hospital_holidays", "curriculum_items", "cohorts"} <= names
    assert re.search("users|registrations|notifications", " ".join(sorted(names))) is None


def test_a_change_inside_a_savepoint_renews_the_token_at_the_outer_commit(app):
    cohort, *_ = _planned_cohort()

    def token() -> str:
        with Session(db.engine) as reader:  # what another worker sees
            return reader.get(DataGeneration, "timeline").token

    before = token()
    with db.session.begin_nested():
        db.session.get(type(cohort), cohort.id).name = "Renamed in a savepoint"
    assert token() == before  # nothing is committed yet
    db.session.commit()
    assert token() != before
