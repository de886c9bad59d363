"""Coordinators and doctors get 403 or 404 on every page of the director's workspace."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from somet.models import (
    AuditEvent,
    DepartmentClosure,
    Hospital,
    HospitalHoliday,
)
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    make_cohort,
    make_curriculum_item,
    make_department,
    make_enrollment,
    make_hospital,
)

WORKSPACE = ("cohorts.", "hospitals.")
# What a coordinator may reach, for its own hospital only.
COORDINATOR_OWN = {
    "hospitals.show_my_hospital",
    "hospitals.show_department",
    "hospitals.edit_department_capacity",
    "hospitals.add_closure",
    "hospitals.delete_closure",
}


def _objects(other_hospital: Hospital) -> dict:
    """Objects of a hospital and cohort that are NOT the coordinator's."""
    department = make_department(other_hospital)
    cohort = make_cohort([other_hospital])
    enrollment = make_enrollment(cohort)
    item = make_curriculum_item(cohort, [department])
    holiday = HospitalHoliday(hospital_id=other_hospital.id, day=cohort.start_date, name="x")
    closure = DepartmentClosure(department_id=department.id, day=cohort.start_date)
    db.session.add_all([holiday, closure])
    db.session.commit()
    return dict(
        cohort_id=cohort.id,
        enrollment_id=enrollment.id,
        item_id=item.id,
        hospital_id=other_hospital.id,
        department_id=department.id,
        holiday_id=holiday.id,
        closure_id=closure.id,
        doctor_id=enrollment.doctor_id,
        token="A" * 32,
        kind="csv",
    )


def _workspace_urls(app, ids: dict):
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(WORKSPACE):
            continue
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<int:{name}>", str(ids[name])).replace(f"<{name}>", str(ids[name]))
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule.endpoint, method, url


@pytest.mark.parametrize("role", ["coordinator", "doctor"])
def test_coordinator_and_doctor_get_403_or_404_on_every_workspace_page(app, client, users, role):
    ids = _objects(make_hospital(name="Other"))
    login_as(client, users[role])
    token_page = "/account/password"
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    checked = 0
    for endpoint, method, url in _workspace_urls(app, ids):
        if role == "coordinator" and endpoint == "hospitals.show_my_hospital":
            continue  # its own hospital, tested below
        if method == "GET":
            status = client.get(url).status_code
        else:
            status = client.submit(
                url, {"capacity": "9", "day": "2027-01-01"}, page=token_page
            ).status_code
        expected = {404} if role == "coordinator" and endpoint in COORDINATOR_OWN else {403, 404}
        assert status in expected, (endpoint, method, url, status)
        checked += 1
    assert checked > 40
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_coordinator_sees_its_own_hospital_but_no_passports_or_cohorts(client, users):
    coordinator = users["coordinator"]
    department = make_department(db.session.get(Hospital, coordinator.hospital_id))
    login_as(client, coordinator)
    page = client.get("/hospitals/mine").get_data(as_text=True)
    assert department.name in page
    nav = page.split("</nav>")[0]
    assert "My hospital" in nav and "Cohorts" not in nav and "Doctors" not in nav


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in ("/cohorts", "/doctors", "/hospitals", "/hospitals/mine", "/cohorts/1"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
