"""The director's home flags a refused visa or a passport expiring before departure, with
"withdraw" and "re-plan" at hand; the flag goes with the withdrawal; re-planning keeps the
confirmed placements."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from somet.models import (
    CohortStatus,
    DocumentStatus,
    Enrollment,
    EnrollmentStatus,
    Placement,
    PlacementStatus,
    VisaStatus,
    utcnow,
)
from somet.travel.queries import flagged_travellers
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    make_cohort,
    make_curriculum_item,
    make_department,
    make_doctor,
    make_enrollment,
    make_hospital,
    make_placement,
    make_travel_document,
)
from tests.test_home_queues import queue_count


def _sunday_ahead(days: int = 21) -> date:
    day = utcnow().date() + timedelta(days=days)
    return day + timedelta(days=(6 - day.weekday()) % 7)


def _cohort(**overrides):
    hospital = make_hospital()
    department = make_department(hospital, capacity=5)
    cohort = make_cohort(hosts=[hospital], start_date=_sunday_ahead(), **overrides)
    item = make_curriculum_item(cohort, [department], days=3)
    return cohort, department, item


def _doctor(cohort, name: str, expires: date | None = date(2031, 1, 1), **enrollment):
    doctor = make_doctor(first_name=name, last_name="Flagged", passport_expires_on=expires)
    fields = dict(visa_status=VisaStatus.GRANTED)
    fields.update(enrollment)
    return doctor, make_enrollment(cohort, doctor, **fields)


def _flag(html: str, enrollment_id: int) -> str | None:
    found = re.search(rf'data-enrollment="{enrollment_id}">(.*?)</li>', html, re.S)
    return found.group(1) if found else None


def test_a_refused_visa_and_an_expiring_passport_are_flagged_on_the_directors_home(client, users):
    cohort, _department, _item = _cohort()
    _d, refused = _doctor(cohort, "Refused", visa_status=VisaStatus.REFUSED)
    _d, expiring = _doctor(cohort, "Expiring", expires=cohort.end_date - timedelta(days=1))
    _d, on_the_day = _doctor(cohort, "OnTheDay", expires=cohort.end_date)
    _d, pending = _doctor(cohort, "Pending", visa_status=VisaStatus.APPLIED, expires=None)
    login_as(client, users["director"])
    html = client.get("/").get_data(as_text=True)
    assert queue_count(html, "travel-flags") == 2
    flag = _flag(html, refused.id)
    assert "Refused Flagged" in flag and cohort.name in flag and "visa refused" in flag
    assert f'href="/cohorts/{cohort.id}/readiness#enrollment-{refused.id}"' in flag
    assert f'href="/cohorts/{cohort.id}/roster/{refused.id}/withdraw"' in flag
    assert f'action="/cohorts/{cohort.id}/plan"' in flag
    end = cohort.end_date
    assert (
        f"passport expires on {(end - timedelta(days=1)).strftime('%-d %b %Y')}, "
        f"before departure on {end.strftime('%-d %b %Y')}"
    ) in _flag(html, expiring.id)
    assert _flag(html, on_the_day.id) is None and _flag(html, pending.id) is None


def test_an_accepted_passport_document_expiring_before_departure_flags_the_doctor(client, users):
    cohort, _department, _item = _cohort()
    doctor, entry = _doctor(cohort, "Scanned")  # the record says 2031
    make_travel_document(
        doctor, "passport", status=DocumentStatus.ACCEPTED, valid_until=cohort.start_date
    )
    make_travel_document(  # an upload not yet accepted does not count
        doctor, "passport", status=DocumentStatus.UPLOADED, valid_until=date(2035, 1, 1)
    )
    assert [f.enrollment_id for f in flagged_travellers(utcnow().date())] == [entry.id]
    login_as(client, users["director"])
    assert _flag(client.get("/").get_data(as_text=True), entry.id) is not None


def test_finished_cohorts_and_withdrawn_doctors_are_not_flagged(client, users):
    over, _d, _i = _cohort(status=CohortStatus.COMPLETED)
    _doctor(over, "Over", visa_status=VisaStatus.REFUSED)
    past = make_cohort(start_date=utcnow().date() - timedelta(days=30))
    _doctor(past, "Past", visa_status=VisaStatus.REFUSED)
    cohort, _d, _i = _cohort()
    _doctor(cohort, "Gone", visa_status=VisaStatus.REFUSED, status=EnrollmentStatus.WITHDRAWN)
    assert flagged_travellers(utcnow().date()) == []


def test_the_flag_is_gone_once_the_director_withdraws_the_doctor(client, users):
    cohort, _department, _item = _cohort()
    _d, refused = _doctor(cohort, "Refused", visa_status=VisaStatus.REFUSED)
    login_as(client, users["director"])
    home = client.get("/").get_data(as_text=True)
    withdraw = re.search(r'href="([^"]*/withdraw)"', _flag(home, refused.id)).group(1)
    response = client.submit(withdraw, {"reason": "Visa refused by the embassy"})
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert queue_count(home, "travel-flags") == 0 and _flag(home, refused.id) is None
    assert "No refused visa or passport expiring before departure" in home


def test_the_queue_is_one_statement_whatever_the_number_of_flagged_doctors(app, count_queries):
    for size in (1, 8):
        db.session.execute(Enrollment.__table__.update().values(status=EnrollmentStatus.WITHDRAWN))
        db.session.commit()
        cohort, _department, _item = _cohort()
        for n in range(size):
            doctor, _entry = _doctor(cohort, f"Doctor{size}x{n}", visa_status=VisaStatus.REFUSED)
            make_travel_document(doctor, "passport", status=DocumentStatus.ACCEPTED)
        with count_queries() as statements:
            flagged = flagged_travellers(utcnow().date())
        selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert len(selects) == 1 and len(flagged) == size


def _placement_rows(status: PlacementStatus) -> list[tuple]:
    return db.session.execute(
        select(
            Placement.id,
            Placement.enrollment_id,
            Placement.department_id,
            Placement.curriculum_item_id,
            Placement.start_date,
            Placement.end_date,
            Placement.status,
        )
        .where(Placement.status == status)
        .order_by(Placement.id)
    ).all()


def test_re_planning_from_the_flag_keeps_the_confirmed_placements(client, users):
    cohort, department, item = _cohort()
    _d, settled = _doctor(cohort, "Settled")
    _d, refused = _doctor(cohort, "Refused", visa_status=VisaStatus.REFUSED)
    _d, waiting = _doctor(cohort, "Waiting")
    start = cohort.start_date + timedelta(days=1)
    make_placement(
        settled,
        department,
        item,
        start_date=start,
        end_date=start + timedelta(days=2),
        status=PlacementStatus.CONFIRMED,
    )
    make_placement(
        refused,
        department,
        item,
        status=PlacementStatus.PROPOSED,
        start_date=cohort.start_date,
        end_date=cohort.start_date + timedelta(days=2),
    )
    confirmed = _placement_rows(PlacementStatus.CONFIRMED)
    login_as(client, users["director"])
    home = client.get("/").get_data(as_text=True)
    action = re.search(r'action="([^"]*/plan)"', _flag(home, refused.id)).group(1)
    response = client.submit(action, {}, page="/", follow_redirects=True)
    assert response.status_code == 200 and "Planned:" in response.get_data(as_text=True)
    db.session.expire_all()
    assert _placement_rows(PlacementStatus.CONFIRMED) == confirmed  # unchanged, row for row
    proposed = {row.enrollment_id for row in _placement_rows(PlacementStatus.PROPOSED)}
    assert proposed == {refused.id, waiting.id}  # the others were planned again
