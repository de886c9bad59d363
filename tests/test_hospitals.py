"""Host hospitals and departments: directors edit everything, coordinators their capacity."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from somet.models import Department, DepartmentClosure, Hospital, HospitalHoliday, Role
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    make_cohort,
    make_department,
    make_enrollment,
    make_hospital,
    make_placement,
    make_user,
)

HOSPITAL = {
    "name": "Sheba Medical Center",
    "city": "Ramat Gan",
    "country": "Israel",
    "timezone": "Asia/Jerusalem",
    "working_weekdays": ["6", "0", "1", "2", "3"],
}


def _errors(response) -> str:
    return response.get_data(as_text=True)


def test_director_adds_a_hospital_with_a_sunday_to_thursday_week(client, users):
    login_as(client, users["director"])
    response = client.submit("/hospitals/new", HOSPITAL)
    assert response.status_code == 302
    hospital = db.session.scalar(select(Hospital).where(Hospital.name == "Sheba Medical Center"))
    assert hospital.weekday_numbers == [0, 1, 2, 3, 6]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sheba Medical Center" in page
    # The weekday line only: the page's random CSRF tokens may contain "Fri" by chance.
    working_week = re.search(r"Working weekdays:\s*(.*?)</p>", page, re.S).group(1)
    assert working_week.split(", ") == ["Mon", "Tue", "Wed", "Thu", "Sun"]


def test_hospital_form_refuses_an_unknown_time_zone_and_no_working_day(client, users):
    login_as(client, users["admin"])
    before = db.session.scalar(select(func.count()).select_from(Hospital))
    bad = dict(HOSPITAL, timezone="Mars/Olympus", working_weekdays=[])
    response = client.submit("/hospitals/new", bad)
    assert response.status_code == 200
    assert "Use a time zone name such as Asia/Jerusalem." in _errors(response)
    assert "This field is required." in _errors(response)
    assert db.session.scalar(select(func.count()).select_from(Hospital)) == before


def test_department_form_validates_capacity_and_e_mail(client, users):
    hospital = make_hospital()
    login_as(client, users["director"])
    url = f"/hospitals/{hospital.id}/departments/new"
    fields = dict(name="Urology", specialty="urology", languages="he,en")
    for capacity, message in (("-1", "Number must be between 0 and 100."), ("", "required")):
        response = client.submit(url, dict(fields, capacity=capacity))
        assert response.status_code == 200 and message in _errors(response)
    response = client.submit(url, dict(fields, capacity="2", supervisor_email="not-mail"))
    assert "Invalid email address." in _errors(response)
    response = client.submit(url, dict(fields, capacity="0", supervisor_email="Dr@X.org"))
    assert response.status_code == 302
    department = db.session.scalar(select(Department).where(Department.name == "Urology"))
    assert department.capacity == 0 and department.supervisor_email == "dr@x.org"
    again = client.submit(url, dict(fields, capacity="1"))
    assert "already has a department named “Urology”" in _errors(again)


def test_director_adds_and_removes_a_holiday(client, users):
    hospital = make_hospital()
    login_as(client, users["director"])
    page = f"/hospitals/{hospital.id}"
    client.submit(
        f"/hospitals/{hospital.id}/holidays", {"day": "2027-04-22", "name": "Passover"}, page=page
    )
    holiday = db.session.scalar(select(HospitalHoliday))
    assert holiday.day == date(2027, 4, 22)
    assert "Passover" in client.get(page).get_data(as_text=True)
    client.submit(f"/hospitals/{hospital.id}/holidays/{holiday.id}/delete", {}, page=page)
    assert db.session.scalar(select(func.count()).select_from(HospitalHoliday)) == 0


def test_deactivating_a_department_with_future_placements_lists_them(client, users):
    department = make_department()
    soon = date.today() + timedelta(days=30)
    make_placement(department=department, start_date=soon, end_date=soon + timedelta(days=2))
    login_as(client, users["director"])
    page = f"/hospitals/{department.hospital_id}/departments/{department.id}"
    response = client.submit(f"{page}/active", {"active": "0"}, page=page)
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "cannot be deactivated; these placements depend on it" in shown
    assert f"{soon.isoformat()} to {(soon + timedelta(days=2)).isoformat()} (requested)" in shown
    db.session.refresh(department)
    assert department.active


def test_a_department_with_only_past_placements_can_be_deactivated(client, users):
    department = make_department()
    make_placement(department=department, start_date=date(2024, 1, 7), end_date=date(2024, 1, 9))
    login_as(client, users["director"])
    page = f"/hospitals/{department.hospital_id}/departments/{department.id}"
    client.submit(f"{page}/active", {"active": "0"}, page=page)
    db.session.refresh(department)
    assert not department.active


def test_coordinator_changes_its_own_departments_capacity_and_closed_days(client):
    coordinator = make_user(Role.COORDINATOR)
    department = make_department(db.session.get(Hospital, coordinator.hospital_id))
    login_as(client, coordinator)
    assert department.name in client.get("/hospitals/mine").get_data(as_text=True)
    page = f"/hospitals/{department.hospital_id}/departments/{department.id}"
    client.submit(f"{page}/capacity", {"capacity": "5"}, page=page)
    client.submit(f"{page}/closures", {"day": "2027-01-14", "reason": "Training"}, page=page)
    db.session.refresh(department)
    assert department.capacity == 5
    closure = db.session.scalar(select(DepartmentClosure))
    assert closure.day == date(2027, 1, 14) and closure.reason == "Training"
    response = client.submit(f"{page}/capacity", {"capacity": "101"}, page=page)
    assert "from 0 to 100" in client.get(response.headers["Location"]).get_data(as_text=True)
    client.submit(f"{page}/closures/{closure.id}/delete", {}, page=page)
    assert db.session.scalar(select(func.count()).select_from(DepartmentClosure)) == 0


def test_coordinator_cannot_touch_another_hospitals_department(client):
    coordinator = make_user(Role.COORDINATOR)
    own = make_department(db.session.get(Hospital, coordinator.hospital_id))
    other = make_department(capacity=3)
    login_as(client, coordinator)
    theirs = f"/hospitals/{other.hospital_id}/departments/{other.id}"
    own_page = f"/hospitals/{own.hospital_id}/departments/{own.id}"
    assert client.get(theirs).status_code == 404
    # the other department's id under the coordinator's own hospital is a 404 too
    assert client.get(f"/hospitals/{own.hospital_id}/departments/{other.id}").status_code == 404
    token_page = own_page
    assert (
        client.submit(f"{theirs}/capacity", {"capacity": "9"}, page=token_page).status_code == 404
    )
    db.session.refresh(other)
    assert other.capacity == 3
    for url in (f"/hospitals/{own.hospital_id}", "/hospitals", f"{own_page}/edit"):
        assert client.get(url).status_code == 403
    response = client.submit(f"{own_page}/active", {"active": "0"}, page=token_page)
    assert response.status_code == 403


def test_hospital_pages_load_departments_without_lazy_queries(client, users):
    hospital = make_hospital()
    for _ in range(3):
        make_department(hospital)
    cohort = make_cohort([hospital])
    make_enrollment(cohort)
    login_as(client, users["director"])
    assert client.get("/hospitals").status_code == 200
    assert client.get(f"/hospitals/{hospital.id}").status_code == 200


def test_hospital_and_department_pages_list_this_years_days_on_and_earlier_ones_on_request(
    client, users
):
    """Years of past holidays and closed days add nothing to plan with: the pages list them
    from the first of January on, say so, and link to every year's."""
    department = make_department()
    hospital_id, this_year = department.hospital_id, date.today().year
    _days_off(department, ((2015, 1, "Old holiday"), (this_year, 1, "This year's holiday")))
    login_as(client, users["director"])
    hospital_page = f"/hospitals/{hospital_id}"
    for page in (hospital_page, f"{hospital_page}/departments/{department.id}"):
        _assert_this_year_then_every(client, page, "This year&#39;s holiday", "Old holiday")


def _days_off(department, named_days) -> None:
    """A holiday at the department's hospital on the (year, month)'s 2nd and a closed day of
    the department on its 3rd, both named ``name``, for each (year, month, name)."""
    for year, month, name in named_days:
        db.session.add(
            HospitalHoliday(hospital_id=department.hospital_id, day=date(year, month, 2), name=name)
        )
        db.session.add(
            DepartmentClosure(department_id=department.id, day=date(year, month, 3), reason=name)
        )
    db.session.commit()


def _assert_this_year_then_every(client, page: str, this_years: str, earlier: str) -> None:
    shown = client.get(page).get_data(as_text=True)
    assert this_years in shown and earlier not in shown
    assert f"Listed from 1 Jan {date.today().year} on." in shown
    assert f'href="{page}?earlier=1"' in shown
    every = client.get(f"{page}?earlier=1").get_data(as_text=True)
    assert this_years in every and earlier in every
    assert "Listed from" not in every


def test_a_coordinator_sees_this_years_days_off_and_can_ask_for_the_earlier_ones(client):
    coordinator = make_user(Role.COORDINATOR)
    hospital = db.session.get(Hospital, coordinator.hospital_id)
    department = make_department(hospital)
    this_year = date.today().year
    _days_off(department, ((this_year - 3, 3, "Old feast"), (this_year, 3, "New feast")))
    login_as(client, coordinator)
    department_page = f"/hospitals/{hospital.id}/departments/{department.id}"
    for page in ("/hospitals/mine", department_page):
        _assert_this_year_then_every(client, page, "New feast", "Old feast")
