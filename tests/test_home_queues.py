"""Each role's home shows its work queue with counts, and the menu the same counts as badges."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from somet.core.statuses import CohortStatus, EnrollmentStatus, PlacementStatus
from somet.models import Role, utcnow
from tests.conftest import login_as
from tests.factories import (
    make_attendance,
    make_cohort,
    make_department,
    make_doctor,
    make_document_requirement,
    make_enrollment,
    make_hospital,
    make_placement,
    make_travel_document,
    make_user,
)


def queue_count(html: str, key: str) -> int:
    """The count a queue's heading shows (0 when the queue is not on the page)."""
    found = re.search(rf'id="queue-{key}" data-count="(\d+)"', html)
    return int(found.group(1)) if found else 0


def badge(html: str, label: str) -> int:
    """The badge next to a menu entry (0 when there is none)."""
    found = re.search(rf">{re.escape(label)} <span class=\"badge[^>]*nav-count[^>]*>(\d+)<", html)
    return int(found.group(1)) if found else 0


def _today() -> date:
    return utcnow().date()


def _director_world(name: str = "Rambam"):
    """A cohort starting in ten days at one host, and last year's, with work in each queue."""
    hospital = make_hospital(name=name)
    ward = make_department(hospital, name="Cardiology ward")
    make_document_requirement(hospital, "passport")
    cohort = make_cohort([hospital], name="Spring cohort", start_date=_today() + timedelta(10))
    first, second = make_enrollment(cohort), make_enrollment(cohort)
    long_ago = utcnow() - timedelta(days=3)
    for enrollment in (first, second):
        make_placement(enrollment, ward, requested_at=long_ago)
    make_placement(first, ward, status=PlacementStatus.PROPOSED)
    make_placement(second, ward, status=PlacementStatus.DECLINED, decided_at=utcnow())
    make_travel_document(_doctor(first))
    past = make_cohort(
        [hospital], start_date=date(2025, 3, 1), status=CohortStatus.COMPLETED
    )
    make_enrollment(past, status=EnrollmentStatus.COMPLETED)
    return hospital, cohort


def _doctor(enrollment):
    from somet.models import Doctor
    from somet.web.extensions import db

    return db.session.get(Doctor, enrollment.doctor_id)


def test_director_home_lists_each_queue_with_its_count(client, users):
    _director_world()
    login_as(client, users["director"])
    html = client.get("/").get_data(as_text=True)
    assert queue_count(html, "waiting") == 2
    assert "Rambam — Spring cohort" in html and "48 h: host reminded" in html
    assert queue_count(html, "declines") == 1
    assert queue_count(html, "unsent") == 1
    assert queue_count(html, "review") == 1
    assert queue_count(html, "not-ready") == 2  # one upload awaits review, one is missing
    assert queue_count(html, "uncertified") == 1
    assert queue_count(html, "starting") == 1
    assert "2 requests unanswered by the hosts" in html
    assert badge(html, "Home") == 4 and badge(html, "Documents") == 1


def test_queued_names_follow_the_readers_name_order(client, users):
    _director_world()
    doctor = make_doctor(first_name="Zhanar", last_name="Abdrakhmanova", native_name=None)
    make_travel_document(doctor)  # uploaded: waits for review
    login_as(client, users["director"])
    assert "Zhanar Abdrakhmanova —" in client.get("/").get_data(as_text=True)
    client.submit("/language", {"language": "ru"}, page="/")
    assert "Abdrakhmanova Zhanar —" in client.get("/").get_data(as_text=True)


def test_the_menu_shows_the_same_badges_on_every_page(client, users):
    _director_world()
    for role in ("director", "admin"):
        login_as(client, users[role])
        html = client.get("/cohorts").get_data(as_text=True)
        assert badge(html, "Home") == 4 and badge(html, "Documents") == 1, role
        # a form sent back with its errors (a POST: the badges counted when the menu is drawn)
        response = client.submit("/hospitals/new", {"name": ""}, page="/hospitals/new")
        html = response.get_data(as_text=True)
        assert "is-invalid" in html
        assert badge(html, "Home") == 4 and badge(html, "Documents") == 1, role
        client.submit("/logout", {}, page="/account/password")


def test_a_user_whose_role_changed_within_the_session_gets_the_new_roles_menu(client):
    """The session remembers the role a user was loaded with to read only that role's badges;
    the row's own role decides."""
    from somet.web.extensions import db

    _director_world()
    user = make_user(Role.DOCTOR)
    login_as(client, user)
    assert client.get("/my/calendar").status_code == 200  # the doctor's statement from now on
    user.role = Role.DIRECTOR
    db.session.commit()
    html = client.get("/cohorts").get_data(as_text=True)
    assert badge(html, "Home") == 4 and badge(html, "Documents") == 1


def test_a_request_past_five_days_shows_that_the_director_was_told(client, users):
    ward = make_department(make_hospital())
    make_placement(department=ward, requested_at=utcnow() - timedelta(days=6))
    login_as(client, users["director"])
    html = client.get("/").get_data(as_text=True)
    assert "5 days: director told" in html and "waiting 6 days" in html


def test_coordinator_sees_only_their_hospitals_work(client):
    mine, theirs = make_hospital(name="Mine"), make_hospital(name="Theirs")
    ward, elsewhere = make_department(mine, name="My ward"), make_department(theirs, name="Far")
    make_placement(department=ward, requested_at=utcnow() - timedelta(hours=1))
    make_placement(department=elsewhere, requested_at=utcnow())
    make_placement(department=elsewhere, requested_at=utcnow())
    today = _today()
    here = make_enrollment(make_cohort([mine], start_date=today - timedelta(days=10)))
    make_placement(
        here, ward, status=PlacementStatus.CONFIRMED,
        start_date=today - timedelta(days=9), end_date=today + timedelta(days=2),
    )
    coming = make_enrollment(make_cohort([mine], start_date=today + timedelta(days=1)))
    make_placement(
        coming, ward, status=PlacementStatus.CONFIRMED,
        start_date=today + timedelta(days=2), end_date=today + timedelta(days=4),
    )
    make_placement(  # at the other hospital: neither an arrival nor a visitor here
        make_enrollment(), elsewhere, status=PlacementStatus.CONFIRMED,
        start_date=today - timedelta(days=1), end_date=today + timedelta(days=1),
    )
    client_login = make_user(Role.COORDINATOR, hospital_id=mine.id)
    login_as(client, client_login)
    html = client.get("/").get_data(as_text=True)
    assert queue_count(html, "requests") == 1 and "My ward" in html and "Far" not in html
    assert queue_count(html, "arrivals") == 1
    assert queue_count(html, "on-site") == 1
    weeks = queue_count(html, "attendance")
    assert weeks >= 1
    assert badge(html, "Requests") == 1 and badge(html, "Attendance") == weeks
    assert badge(html, "Home") == 1 + weeks


def test_recorded_attendance_leaves_the_coordinators_queue(client):
    hospital = make_hospital(working_weekdays="0,1,2,3,4,5,6")
    ward = make_department(hospital)
    today = _today()
    placement = make_placement(
        make_enrollment(make_cohort([hospital])), ward, status=PlacementStatus.CONFIRMED,
        start_date=today - timedelta(days=2), end_date=today - timedelta(days=1),
    )
    login_as(client, make_user(Role.COORDINATOR, hospital_id=hospital.id))
    assert queue_count(client.get("/").get_data(as_text=True), "attendance") >= 1
    for days in (1, 2):
        make_attendance(placement, today - timedelta(days=days), "present")
    html = client.get("/").get_data(as_text=True)
    assert queue_count(html, "attendance") == 0 and badge(html, "Attendance") == 0


def _doctor_world(doctor):
    hospital = make_hospital()
    passport = make_document_requirement(hospital, "passport")
    make_document_requirement(hospital, "cv", expires=False)
    cohort = make_cohort([hospital], name="Autumn cohort", start_date=_today() + timedelta(20))
    enrollment = make_enrollment(cohort, doctor, status=EnrollmentStatus.INVITED)
    make_travel_document(doctor, "cv", status="accepted", valid_until=None)
    return passport, enrollment


def test_doctor_sees_documents_to_send_and_participation_to_confirm(client):
    doctor = make_doctor()
    passport, enrollment = _doctor_world(doctor)
    _doctor_world(make_doctor())  # someone else's: not on this doctor's home
    login_as(client, make_user(Role.DOCTOR, doctor_id=doctor.id))
    html = client.get("/").get_data(as_text=True)
    assert queue_count(html, "documents") == 1
    assert f'/documents/mine#requirement-{passport.id}"' in html
    assert queue_count(html, "participation") == 1
    assert f'#enrollment-{enrollment.id}"' in html and f'id="enrollment-{enrollment.id}"' in html
    assert badge(html, "Home") == 2 and badge(html, "My documents") == 1
    client.submit(f"/my/enrollments/{enrollment.id}/confirm", page="/")
    html = client.get("/my/calendar").get_data(as_text=True)
    assert badge(html, "Home") == 1 and badge(html, "My documents") == 1


def test_a_doctors_page_reads_the_user_and_the_menus_badges_in_one_statement(
    client, count_queries
):
    doctor = make_doctor()
    _doctor_world(doctor)
    _doctor_world(make_doctor())  # someone else's trip and documents: not in this doctor's badges
    login_as(client, make_user(Role.DOCTOR, doctor_id=doctor.id))
    client.get("/my/calendar")
    with count_queries() as statements:
        html = client.get("/my/calendar").get_data(as_text=True)
    assert len([q for q in statements if not q.startswith("BEGIN")]) == 1
    assert badge(html, "Home") == 2 and badge(html, "My documents") == 1


def test_a_rejected_or_short_lived_document_is_to_send_again(client):
    doctor = make_doctor()
    _doctor_world(doctor)
    make_travel_document(doctor, "passport", status="accepted", valid_until=_today())
    login_as(client, make_user(Role.DOCTOR, doctor_id=doctor.id))
    html = client.get("/").get_data(as_text=True)
    assert queue_count(html, "documents") == 1 and "expires before your departure" in html


def _home_statements(app, count_queries, user) -> int:
    client = app.test_client()
    login_as(client, user)
    client.get("/")
    with count_queries() as statements:
        assert client.get("/").status_code == 200
    return len(statements)


def test_home_statements_do_not_grow_with_the_work(app, count_queries):
    counts = {}
    for size in (1, 6):
        director = make_user(Role.DIRECTOR)
        hospital = make_hospital()
        coordinator = make_user(Role.COORDINATOR, hospital_id=hospital.id)
        doctor = make_doctor()
        for n in range(size):
            _director_world(f"Host {size}-{n}")
            _doctor_world(doctor)
            make_placement(department=make_department(hospital), requested_at=utcnow())
        doctor_user = make_user(Role.DOCTOR, doctor_id=doctor.id)
        counts[size] = [
            _home_statements(app, count_queries, user)
            for user in (director, coordinator, doctor_user)
        ]
    assert counts[1] == counts[6]


def test_reminder_rule_is_shared_with_the_hourly_reminder():
    from somet.requests import rules, tasks

    now = datetime(2027, 1, 10, 12, 0)
    assert rules.reminder_stage(now - timedelta(hours=47), now) is None
    assert rules.reminder_stage(now - timedelta(hours=48), now) == "48h"
    assert rules.reminder_stage(now - timedelta(days=5), now) == "5d"
    assert rules.reminder_stage(None, now) is None
    assert tasks.FIRST_REMINDER is rules.FIRST_REMINDER
