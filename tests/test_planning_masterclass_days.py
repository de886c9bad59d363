"""Masterclass days: the planner never uses them and a manual edit onto one is refused.

One rule (``somet.masterclasses.rules``): a class meant for a cohort blocks its local days for
every doctor of that cohort, registered or not; a class open to all blocks them for the
doctors who hold a place. Planner and edit check the same instance, so they agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from somet.models import (
    Doctor,
    Enrollment,
    EnrollmentStatus,
    Placement,
    PlacementStatus,
    RegistrationStatus,
)
from somet.planning.instance import build_instance, doctor_key
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    cohort_day,
    make_cohort,
    make_curriculum_item,
    make_department,
    make_enrollment,
    make_hospital,
    make_masterclass,
    make_registration,
    placement_days,
)


def _at_ten_in_almaty(day: date) -> datetime:
    """10:00–18:00 in Almaty (the factories' time zone) on ``day``."""
    return datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC)


def _doctor(enrollment: Enrollment) -> Doctor:
    return db.session.get(Doctor, enrollment.doctor_id)


def _blocked(cohort, enrollment) -> list[str]:
    doctors = {d["id"]: d for d in build_instance(cohort.id).document["doctors"]}
    return doctors[doctor_key(enrollment.id)]["blocked"]


def _plan_and_place(client, cohort) -> dict[int, Placement]:
    """Plan the cohort through the page; each doctor's (only) proposed placement."""
    client.submit(f"/cohorts/{cohort.id}/plan", {}, page=f"/cohorts/{cohort.id}/timeline")
    rows = db.session.scalars(
        select(Placement)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .where(Enrollment.cohort_id == cohort.id, Placement.status == PlacementStatus.PROPOSED)
    ).all()
    return {p.enrollment_id: p for p in rows}



def _move(client, cohort, placement, start: date):
    url = f"/cohorts/{cohort.id}/placements/{placement.id}/edit"
    data = {"department_id": placement.department_id, "start": start.isoformat()}
    return client.submit(url, data)


def _surgery_cohort(days: int = 2):
    hospital = make_hospital()
    surgery = make_department(hospital, capacity=4, name="Surgery")
    cohort = make_cohort(hosts=[hospital])
    make_curriculum_item(cohort, [surgery], days=days)
    return cohort


def test_manual_edit_refuses_the_masterclass_days_the_planner_avoids(client, users):
    cohort = _surgery_cohort()
    registered, waitlisted = make_enrollment(cohort), make_enrollment(cohort)
    # Meant for this cohort: Monday 8 March is blocked for both, though neither registered.
    make_masterclass(cohort_id=cohort.id, starts_at=_at_ten_in_almaty(cohort_day(1)))
    # Open to all: Tuesday 16 March is blocked only for the doctor holding a place.
    open_to_all = make_masterclass(starts_at=_at_ten_in_almaty(cohort_day(9)))
    make_registration(open_to_all, _doctor(registered))
    make_registration(open_to_all, _doctor(waitlisted), status=RegistrationStatus.WAITLISTED)
    assert _blocked(cohort, registered) == ["2027-03-08", "2027-03-16"]
    assert _blocked(cohort, waitlisted) == ["2027-03-08"]

    login_as(client, users["director"])
    placements = _plan_and_place(client, cohort)
    assert set(placements) == {registered.id, waitlisted.id}
    assert all(cohort_day(1) not in placement_days(p) for p in placements.values())
    assert cohort_day(9) not in placement_days(placements[registered.id])

    for enrollment in (registered, waitlisted):  # Mon 8 – Tue 9: the cohort's class
        response = _move(client, cohort, placements[enrollment.id], cohort_day(1))
        text = response.get_data(as_text=True)
        assert response.status_code == 200 and "This change breaks a rule" in text
        assert f"8 Mar 2027 is a masterclass day for {_doctor(enrollment).latin_name}" in text
    response = _move(client, cohort, placements[registered.id], cohort_day(8))  # Mon 15 – Tue 16
    assert "16 Mar 2027 is a masterclass day for" in response.get_data(as_text=True)
    assert db.session.get(Placement, placements[registered.id].id).start_date != cohort_day(8)

    response = _move(client, cohort, placements[waitlisted.id], cohort_day(8))  # not going: allowed
    assert response.status_code == 302
    assert db.session.get(Placement, placements[waitlisted.id].id).start_date == cohort_day(8)


def test_a_class_for_another_cohort_of_the_doctor_blocks_its_days_here_too(client, users):
    cohort = _surgery_cohort()
    member, withdrawn = make_enrollment(cohort), make_enrollment(cohort)
    course = make_cohort(name="Simulation course")  # the same fortnight
    make_enrollment(course, _doctor(member))
    make_enrollment(course, _doctor(withdrawn), status=EnrollmentStatus.WITHDRAWN)
    make_masterclass(cohort_id=course.id, starts_at=_at_ten_in_almaty(cohort_day(3)))  # Wed 10
    assert _blocked(cohort, member) == ["2027-03-10"]
    assert _blocked(cohort, withdrawn) == []

    login_as(client, users["director"])
    placements = _plan_and_place(client, cohort)
    assert cohort_day(3) not in placement_days(placements[member.id])
    response = _move(client, cohort, placements[member.id], cohort_day(2))  # Tue 9 – Wed 10
    assert "10 Mar 2027 is a masterclass day for" in response.get_data(as_text=True)
    assert _move(client, cohort, placements[withdrawn.id], cohort_day(2)).status_code == 302


def test_a_rotation_that_cannot_fit_around_a_masterclass_says_so(client, users):
    cohort = _surgery_cohort(days=10)  # every working day of the fortnight
    make_enrollment(cohort)
    make_masterclass(cohort_id=cohort.id, starts_at=_at_ten_in_almaty(cohort_day(3)))

    login_as(client, users["director"])
    assert _plan_and_place(client, cohort) == {}
    page = client.get(f"/cohorts/{cohort.id}/timeline").get_data(as_text=True)
    assert "blocked by masterclasses on 10 Mar 2027" in page


def test_the_cohort_overview_counts_masterclass_days_out_of_the_stay(client, users):
    cohort = _surgery_cohort(days=10)  # every working day of the fortnight
    enrollment = make_enrollment(cohort, arrival_date=cohort_day(0), departure_date=cohort_day(11))
    login_as(client, users["director"])
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Ready to be scheduled." in page

    make_masterclass(cohort_id=cohort.id, starts_at=_at_ten_in_almaty(cohort_day(3)))  # Wed 10
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Ready to be scheduled." not in page
    assert (
        f"{_doctor(enrollment).latin_name}: the required rotations need 10 working days, "
        "but the stay has only 9 besides 1 at masterclasses."
    ) in page
