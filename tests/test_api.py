"""The JSON API's behaviour: pages walk every row once in constant statements, filters,
roster import (all or nothing, row errors as JSON), attendance through the host's rules,
rate limits, and the administrator's token pages."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from somet.core.workdays import working_days
from somet.models import (
    ApiToken,
    AuditEvent,
    CertificateKind,
    CohortStatus,
    Doctor,
    Enrollment,
    Hospital,
    PlacementStatus,
    Role,
)
from somet.web.extensions import db
from tests import factories
from tests.api_data import bearer, make_certificate, make_token, make_world
from tests.conftest import login_as


def _walk(client, url: str, headers: dict) -> tuple[list[int], int]:
    """Every item's id following ``next`` links from ``url``, and how many pages it took."""
    ids, pages = [], 0
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        ids += [item["id"] for item in body["items"]]
        url, pages = body["next"], pages + 1
    return ids, pages


def test_pagination_walks_every_doctor_exactly_once_with_the_filters_kept(app, client):
    cohort = factories.make_cohort()
    doctors = [factories.make_doctor(specialty="cardiology") for _ in range(23)]
    for doctor in doctors[:17]:
        factories.make_enrollment(cohort, doctor)
    factories.make_doctor(specialty="oncology")
    headers = bearer(make_token())
    ids, pages = _walk(client, "/api/v1/doctors?limit=5&specialty=cardiology", headers)
    assert ids == [d.id for d in doctors] and pages == 5
    ids, pages = _walk(client, f"/api/v1/doctors?limit=4&cohort_id={cohort.id}", headers)
    assert ids == [d.id for d in doctors[:17]] and pages == 5


def test_a_page_costs_the_same_statements_at_10_and_at_200_rows(app, client, count_queries):
    headers = bearer(make_token())

    def statements_for_a_page() -> int:
        with count_queries() as statements:
            response = client.get("/api/v1/placements?limit=10", headers=headers)
        assert response.status_code == 200 and len(response.get_json()["items"]) == 10
        return len(statements)

    cohort = factories.make_cohort()
    department = factories.make_department()
    item = factories.make_curriculum_item(cohort, [department])

    def add_placements(count: int) -> None:
        for _ in range(count):
            enrollment = factories.make_enrollment(cohort, factories.make_doctor())
            factories.make_placement(enrollment, department, item)

    add_placements(10)
    statements_for_a_page()  # the token's first use is noted once a minute: not this page's cost
    small = statements_for_a_page()
    add_placements(190)
    assert statements_for_a_page() == small

    def statements_for_cohorts() -> int:
        with count_queries() as statements:
            assert client.get("/api/v1/cohorts?limit=50", headers=headers).status_code == 200
        return len(statements)

    few = statements_for_cohorts()  # one cohort so far
    for _ in range(40):
        factories.make_cohort(hosts=[department_hospital(department)])
    assert statements_for_cohorts() == few


def department_hospital(department):
    return db.session.get(Hospital, department.hospital_id)


def test_filters_narrow_cohorts_placements_and_certificates(app, client):
    headers = bearer(make_token())
    home = factories.make_hospital()
    world = make_world(home)
    own, other = world["own"], world["other"]
    factories.make_cohort(status=CohortStatus.DRAFT, start_date=date(2025, 5, 1))

    def ids(url):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        return [item["id"] for item in response.get_json()["items"]]

    assert ids("/api/v1/cohorts?status=active") == [own["cohort_id"], other["cohort_id"]]
    assert len(ids("/api/v1/cohorts?year=2025")) == 1 and ids("/api/v1/cohorts?year=2030") == []
    assert ids(f"/api/v1/placements?hospital_id={home.id}") == [own["placement_id"]]
    assert ids(f"/api/v1/placements?cohort_id={other['cohort_id']}") == [other["placement_id"]]
    assert ids("/api/v1/placements?status=requested") == []
    assert len(ids("/api/v1/placements?status=confirmed&date_from=2027-03-09")) == 2
    assert ids("/api/v1/placements?date_from=2027-03-10") == []
    assert ids("/api/v1/placements?date_to=2027-03-06") == []
    bad = client.get("/api/v1/placements?date_from=2027-03-10&date_to=2027-03-01", headers=headers)
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
    assert ids(f"/api/v1/certificates?cohort_id={own['cohort_id']}") == [own["certificate_id"]]
    serial = client.get(
        f"/api/v1/certificates/{other['certificate_id']}", headers=headers
    ).get_json()["serial"]
    assert ids(f"/api/v1/certificates?serial={serial.lower()}") == [other["certificate_id"]]
    assert ids("/api/v1/certificates?kind=masterclass") == []
    assert len(ids(f"/api/v1/masterclasses?hospital_id={home.id}")) == 1


def test_a_certificate_reads_with_its_holder_hours_and_verification_link(app, client):
    doctor = factories.make_doctor(first_name="Dana", last_name="Abenova")
    enrollment = factories.make_enrollment(factories.make_cohort(), doctor)
    certificate = make_certificate(doctor, enrollment, kind=CertificateKind.INTERNSHIP)
    body = client.get(
        f"/api/v1/certificates/{certificate.id}", headers=bearer(make_token())
    ).get_json()
    assert body["serial"] == certificate.serial and body["hours"] == 60.0
    assert body["holder"] == {"doctor_id": doctor.id, "first_name": "Dana", "last_name": "Abenova"}
    assert body["revoked"] is False and body["cohort_id"] == enrollment.cohort_id
    assert body["verification_url"].endswith(f"/verify/{certificate.verification_code}")


def _roster_counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(select(func.count(Doctor.id))),
        db.session.scalar(select(func.count(Enrollment.id))),
        db.session.scalar(select(func.count(AuditEvent.id))),
    )


def test_a_roster_with_a_bad_row_returns_the_row_errors_and_saves_nothing(app, client):
    cohort = factories.make_cohort()
    headers = bearer(make_token())
    before = _roster_counts()
    rows = [
        {"first_name": "Aliya", "last_name": "Serikova", "specialty": "cardiology"},
        {"first_name": "Bauyrzhan", "email": "not-an-email", "arrival_date": "2020-01-01"},
        {"first_name": "Dana", "last_name": "Abenova", "licence_number": "KZ-1"},
    ]
    response = client.post(
        f"/api/v1/cohorts/{cohort.id}/roster", json={"rows": rows}, headers=headers
    )
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["type"] == "urn:somet:problem:invalid-roster-rows"
    found = {(e["row"], e["field"], e["code"]) for e in problem["errors"]}
    assert found == {
        (2, "last_name", "roster.missing_last_name"),
        (2, "email", "roster.bad_email"),
        (2, "arrival_date", "roster.date_outside_cohort"),
    }
    assert all(e["detail"] for e in problem["errors"])
    assert _roster_counts() == before
    unknown_column = client.post(
        f"/api/v1/cohorts/{cohort.id}/roster",
        json={"rows": [{"first_name": "A", "last_name": "B", "shoe_size": "42"}]},
        headers=headers,
    )
    assert unknown_column.status_code == 400
    assert unknown_column.get_json()["errors"][0] == {
        "row": 1, "field": "shoe_size", "code": "extra_forbidden",
        "detail": "Extra inputs are not permitted",
    }  # fmt: skip
    assert _roster_counts() == before


def test_a_roster_import_saves_every_row_matches_known_doctors_and_is_audited(app, client):
    cohort = factories.make_cohort()
    known = factories.make_doctor(licence_number="KZ77")
    rows = [
        {"first_name": "Aliya", "last_name": "Serikova", "specialty": "cardiology"},
        {"first_name": known.first_name, "last_name": known.last_name, "licence_number": "kz 77"},
    ]
    secret = make_token(name="Ministry registry")
    response = client.post(
        f"/api/v1/cohorts/{cohort.id}/roster", json={"rows": rows}, headers=bearer(secret)
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["counts"] == {"new": 1, "known": 1} and len(body["enrollment_ids"]) == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "roster.import"))
    assert event.actor_id is None and event.actor_label == "integration:Ministry registry"
    assert event.details["filename"] == "API: Ministry registry"
    limited = make_token(hospital=factories.make_hospital())
    again = client.post(
        f"/api/v1/cohorts/{cohort.id}/roster", json={"rows": rows}, headers=bearer(limited)
    )
    assert again.status_code == 404  # a coordinator does not reach the centre's cohorts


def _past_placement(hospital: Hospital):
    """A confirmed placement at ``hospital`` from a fortnight ago to a fortnight ahead, and
    its working days."""
    department = factories.make_department(hospital)
    start, end = date.today() - timedelta(days=14), date.today() + timedelta(days=14)
    cohort = factories.make_cohort(hosts=[hospital], start_date=start - timedelta(days=1))
    enrollment = factories.make_enrollment(cohort, factories.make_doctor())
    placement = factories.make_placement(
        enrollment, department, status=PlacementStatus.CONFIRMED, start_date=start, end_date=end
    )
    return placement, working_days(start, end, hospital.weekday_numbers, set())


def test_attendance_recorded_through_the_api_shows_on_the_coordinators_grid(app, client):
    coordinator = factories.make_user(Role.COORDINATOR)
    hospital = db.session.get(Hospital, coordinator.hospital_id)
    placement, days = _past_placement(hospital)
    day = days[0]
    secret = make_token(["write:attendance", "read:placements"], hospital, name="Hospital HR")
    response = client.post(
        f"/api/v1/placements/{placement.id}/attendance",
        json={"day": day.isoformat(), "status": "absent"},
        headers=bearer(secret),
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {
        "placement_id": placement.id, "day": day.isoformat(), "status": "absent", "changed": True
    }  # fmt: skip
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attendance.recorded"))
    assert event.actor_label == "integration:Hospital HR"
    read = client.get(f"/api/v1/placements/{placement.id}", headers=bearer(secret)).get_json()
    assert read["attendance"] == [{"day": day.isoformat(), "status": "absent"}]
    login_as(client, coordinator)
    week = client.get(
        f"/attendance/departments/{placement.department_id}/weeks/{day.isoformat()}",
        follow_redirects=True,
    ).get_data(as_text=True)
    cell = f"c{placement.id}_{day:%Y%m%d}"
    assert re.search(rf'name="{cell}"[^>]*value="absent"[^>]*checked', week)


def test_attendance_follows_the_hosts_rules(app, client):
    coordinator = factories.make_user(Role.COORDINATOR)
    hospital = db.session.get(Hospital, coordinator.hospital_id)
    placement, days = _past_placement(hospital)
    url = f"/api/v1/placements/{placement.id}/attendance"
    limited = bearer(make_token(hospital=hospital))
    before = placement.start_date - timedelta(days=1)
    outside = client.post(
        url, json={"day": before.isoformat(), "status": "present"}, headers=limited
    )
    assert outside.status_code == 400 and "working day" in outside.get_json()["detail"]
    # A week before the placement's first: the day is named, so it is still the wrong day
    # (not a missing placement), whatever weekday the test runs on.
    earlier = before - timedelta(days=7)
    weeks_before = client.post(
        url, json={"day": earlier.isoformat(), "status": "present"}, headers=limited
    )
    assert weeks_before.status_code == 400, weeks_before.get_json()
    assert "working day" in weeks_before.get_json()["detail"]
    # A day still ahead at the hospital: late in the UTC evening it is tomorrow there already.
    today_there = datetime.now(ZoneInfo(hospital.timezone)).date()
    ahead = next(day for day in days if day > today_there).isoformat()
    future = client.post(url, json={"day": ahead, "status": "present"}, headers=limited)
    assert future.status_code == 400
    director_like = client.post(
        url, json={"day": days[0].isoformat(), "status": "present"}, headers=bearer(make_token())
    )
    assert director_like.status_code == 403  # only the host's coordinator records attendance
    other = bearer(make_token(hospital=factories.make_hospital()))
    assert client.post(url, json={"day": days[0].isoformat(), "status": "present"},
                       headers=other).status_code == 404  # fmt: skip
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "attendance.recorded")) == 0  # fmt: skip


def test_the_rate_limit_answers_429_as_a_problem(app, client):
    app.config["SOMET_API_RATE_LIMIT"] = "3 per minute"
    headers = bearer(make_token())
    statuses = [client.get("/api/v1/cohorts", headers=headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/cohorts", headers=headers)
    assert limited.mimetype == "application/problem+json"
    assert limited.get_json()["status"] == 429 and limited.get_json()["title"]
    # Per token: another integration is not held back by this one.
    assert client.get("/api/v1/cohorts", headers=bearer(make_token())).status_code == 200


def test_the_admin_creates_a_token_that_is_shown_once_and_revokes_it(app, client, users):
    hospital = factories.make_hospital(name="Rambam")
    login_as(client, users["admin"])
    page = client.get("/admin/integrations/new").get_data(as_text=True)
    assert "read:cohorts" in page and "Rambam" in page
    refused = client.submit("/admin/integrations/new", {"name": "HR", "hospital_id": "0"})
    assert refused.status_code == 400 and "Choose at least one scope" in refused.get_data(True)
    created = client.submit(
        "/admin/integrations/new",
        {"name": "Rambam HR", "scopes": ["read:placements", "write:attendance"],
         "hospital_id": str(hospital.id)},
    ).get_data(as_text=True)  # fmt: skip
    secret = re.search(r'id="api-token"[^>]*value="(somet_[^"]+)"', created).group(1)
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash != secret and secret not in token.token_hash
    assert token.scopes == ["read:placements", "write:attendance"]
    assert token.hospital_id == hospital.id
    assert client.get("/api/v1/placements", headers=bearer(secret)).status_code == 200
    listing = client.get("/admin/integrations").get_data(as_text=True)
    assert "Rambam HR" in listing and secret not in listing and token.prefix in listing
    assert "Never" not in listing  # its last use is shown
    client.submit(f"/admin/integrations/{token.id}/revoke", {}, page="/admin/integrations")
    assert client.get("/api/v1/placements", headers=bearer(secret)).status_code == 401
    assert "Revoked" in client.get("/admin/integrations").get_data(as_text=True)


def test_only_an_administrator_manages_tokens(app, client, users):
    login_as(client, users["director"])
    assert client.get("/admin/integrations").status_code == 403
    assert client.get("/admin/integrations/new").status_code == 403
