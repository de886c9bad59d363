"""The host coordinator records attendance in a doctor × day grid per department and week."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from somet.attendance.operations import record_attendance
from somet.cohorts import tasks as lifecycle
from somet.core.errors import ValidationFailed
from somet.models import (
    Attendance,
    AttendanceStatus,
    AuditEvent,
    DepartmentClosure,
    Hospital,
    HospitalHoliday,
    Placement,
    PlacementStatus,
)
from somet.web.extensions import db
from tests import factories
from tests.conftest import login_as

SUNDAY = date(2026, 3, 1)  # a Sunday; the hospitals work Sunday to Thursday
WEEK = f"/attendance/departments/{{}}/weeks/{SUNDAY.isoformat()}"


@pytest.fixture
def ward(users):
    """The coordinator's department with one confirmed placement, Sun 1 – Thu 5 March 2026."""
    hospital = db.session.get(Hospital, users["coordinator"].hospital_id)
    department = factories.make_department(hospital, name="Cardiac surgery")
    doctor = factories.make_doctor(first_name="Aigerim", last_name="Bekova")
    placement = _confirmed(department, doctor)
    db.session.add(
        HospitalHoliday(hospital_id=hospital.id, day=SUNDAY + timedelta(2), name="Purim")
    )
    db.session.commit()
    return department, placement


def _confirmed(department, doctor=None):
    return factories.make_placement(
        factories.make_enrollment(doctor=doctor or factories.make_doctor()),
        department,
        status=PlacementStatus.CONFIRMED,
        start_date=SUNDAY,
        end_date=SUNDAY + timedelta(4),
    )


def _cell(placement, day: date) -> str:
    return f"c{placement.id}_{day:%Y%m%d}"


def _marks() -> dict:
    rows = db.session.execute(select(Attendance.placement_id, Attendance.day, Attendance.status))
    return {(pid, day): status for pid, day, status in rows}


def test_the_coordinator_marks_each_working_day_present_absent_or_excused(client, users, ward):
    department, placement = ward
    login_as(client, users["coordinator"])
    weeks = client.get("/attendance").get_data(as_text=True)
    assert "Cardiac surgery" in weeks and WEEK.format(department.id) in weeks
    grid = client.get(WEEK.format(department.id)).get_data(as_text=True)
    assert "Bekova" in grid
    assert f'name="{_cell(placement, SUNDAY)}"' in grid
    assert f'name="{_cell(placement, SUNDAY + timedelta(2))}"' not in grid  # the holiday
    assert f'name="{_cell(placement, SUNDAY + timedelta(5))}"' not in grid  # Friday
    marks = {
        _cell(placement, SUNDAY): "present",
        _cell(placement, SUNDAY + timedelta(1)): "absent",
        _cell(placement, SUNDAY + timedelta(3)): "excused",
    }
    response = client.submit(WEEK.format(department.id), marks, follow_redirects=True)
    assert "Attendance saved (3 changes)" in response.get_data(as_text=True)
    assert _marks() == {
        (placement.id, SUNDAY): AttendanceStatus.PRESENT,
        (placement.id, SUNDAY + timedelta(1)): AttendanceStatus.ABSENT,
        (placement.id, SUNDAY + timedelta(3)): AttendanceStatus.EXCUSED,
    }
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "attendance.recorded")
    ).one()
    assert event.actor_id == users["coordinator"].id and len(event.details["changes"]) == 3
    again = client.submit(WEEK.format(department.id), marks, follow_redirects=True)
    assert "Attendance saved (0 changes)" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 1
    cleared = client.submit(WEEK.format(department.id), {_cell(placement, SUNDAY): ""})
    assert cleared.status_code == 302 and (placement.id, SUNDAY) not in _marks()


def test_coordinator_cannot_open_another_hospitals_department(client, users, ward):
    other = factories.make_department(factories.make_hospital())
    _confirmed(other)
    login_as(client, users["coordinator"])
    assert client.get(WEEK.format(other.id)).status_code == 404
    token = client.csrf_token()
    assert client.post(WEEK.format(other.id), data={"csrf_token": token}).status_code == 404


def test_coordinator_cannot_record_another_hospitals_placement_through_their_own_grid(
    client, users, ward
):
    department, placement = ward
    foreign = _confirmed(factories.make_department(factories.make_hospital()))
    login_as(client, users["coordinator"])
    response = client.submit(
        WEEK.format(department.id),
        {_cell(placement, SUNDAY): "present", _cell(foreign, SUNDAY): "present"},
    )
    assert response.status_code == 404
    assert _marks() == {}


def test_a_day_off_cannot_be_marked_and_nothing_of_that_form_is_saved(client, users, ward):
    department, placement = ward
    login_as(client, users["coordinator"])
    response = client.submit(
        WEEK.format(department.id),
        {_cell(placement, SUNDAY): "present", _cell(placement, SUNDAY + timedelta(2)): "present"},
        follow_redirects=True,
    )
    assert "is not a working day of this placement" in response.get_data(as_text=True)
    assert _marks() == {}


def test_a_status_that_does_not_exist_is_a_form_error(client, users, ward):
    department, placement = ward
    login_as(client, users["coordinator"])
    response = client.submit(WEEK.format(department.id), {_cell(placement, SUNDAY): "asleep"})
    assert response.status_code == 400
    assert _marks() == {}


def test_days_still_to_come_cannot_be_recorded(app, users, ward):
    department, placement = ward
    monday_noon = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    with pytest.raises(ValidationFailed, match="cannot be recorded yet"):
        record_attendance(
            users["coordinator"],
            department.id,
            SUNDAY,
            {(placement.id, SUNDAY + timedelta(3)): AttendanceStatus.PRESENT},
            now=monday_noon,
        )
    assert _marks() == {}


@pytest.mark.parametrize("role", ["director", "admin", "doctor"])
def test_only_coordinators_record_attendance(client, users, ward, role):
    department, _ = ward
    login_as(client, users[role])
    assert client.get("/attendance").status_code == 403
    assert client.get(WEEK.format(department.id)).status_code == 403


def test_recorded_attendance_lets_the_nightly_job_complete_the_placement(client, users, ward):
    department, placement = ward
    login_as(client, users["coordinator"])
    days = [SUNDAY + timedelta(n) for n in (0, 1, 3, 4)]  # the working days (not the holiday)
    client.submit(WEEK.format(department.id), {_cell(placement, d): "present" for d in days})
    lifecycle.close_finished_placements(SUNDAY + timedelta(7))
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).status == PlacementStatus.COMPLETED
    grid = client.get(WEEK.format(department.id)).get_data(as_text=True)
    assert "Bekova" in grid  # completed placements stay correctable


def test_the_grid_leaves_out_the_departments_closed_days_and_its_other_departments_marks(
    client, users, ward
):
    department, placement = ward
    other = factories.make_department(
        db.session.get(Hospital, department.hospital_id), name="Neurology"
    )
    elsewhere = _confirmed(other)
    db.session.add(DepartmentClosure(department_id=department.id, day=SUNDAY + timedelta(3)))
    db.session.add(DepartmentClosure(department_id=other.id, day=SUNDAY + timedelta(1)))
    db.session.add(Attendance(placement_id=placement.id, day=SUNDAY, status="absent"))
    db.session.add(Attendance(placement_id=elsewhere.id, day=SUNDAY, status="present"))
    db.session.commit()
    login_as(client, users["coordinator"])
    grid = client.get(WEEK.format(department.id)).get_data(as_text=True)
    assert f'name="{_cell(placement, SUNDAY + timedelta(3))}"' not in grid  # closed
    assert f'name="{_cell(placement, SUNDAY + timedelta(1))}"' in grid  # closed elsewhere only
    assert f'name="{_cell(elsewhere, SUNDAY)}"' not in grid
    sunday = f'name="{_cell(placement, SUNDAY)}" id="{_cell(placement, SUNDAY)}-absent"'
    assert re.search(rf'{sunday} value="absent" autocomplete="off" checked', grid)


def test_the_grid_and_week_list_cost_the_same_queries_for_few_and_many_doctors(
    client, users, ward, count_queries
):
    department, _ = ward
    login_as(client, users["coordinator"])
    counts = []
    for extra in (1, 15):
        for _ in range(extra):
            _confirmed(department)
        with count_queries() as queries:
            assert client.get(WEEK.format(department.id)).status_code == 200
            assert client.get("/attendance").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
