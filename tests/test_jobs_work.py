"""The scheduled work as plain functions: lifecycle, automatic certificates, reminders.

Each runs on a prepared database, and a second run changes nothing more.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from somet.certificates import tasks as auto_certificates
from somet.cohorts import tasks as lifecycle
from somet.masterclasses import tasks as masterclass_tasks
from somet.models import (
    AttendanceStatus,
    AuditEvent,
    Cohort,
    CohortStatus,
    Language,
    Notification,
    Placement,
    PlacementStatus,
    RegistrationStatus,
    Role,
)
from somet.models.hospitals import HospitalHoliday
from somet.notifications import reminders
from somet.requests import tasks as requests_tasks
from somet.web.extensions import db
from tests import factories

SUNDAY = date(2027, 3, 7)  # the default placement runs Sunday 7 to Tuesday 9 March 2027
NOW = datetime(2027, 3, 10, 1, 0, tzinfo=UTC)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _status(model, obj_id):
    db.session.expire_all()
    return db.session.get(model, obj_id).status


@pytest.fixture
def host(app):
    hospital = factories.make_hospital()
    department = factories.make_department(hospital)
    coordinator = factories.make_user(Role.COORDINATOR, hospital_id=hospital.id)
    return hospital, department, coordinator


def test_cohorts_become_active_on_their_start_date_and_completed_after_their_end(app):
    today = NOW.date()
    starting = factories.make_cohort(status=CohortStatus.SCHEDULED, start_date=today)
    not_yet = factories.make_cohort(status=CohortStatus.SCHEDULED, start_date=today + timedelta(1))
    ending = factories.make_cohort(
        status=CohortStatus.ACTIVE, start_date=today - timedelta(20), end_date=today - timedelta(1)
    )
    last_day = factories.make_cohort(
        status=CohortStatus.ACTIVE, start_date=today - timedelta(20), end_date=today
    )
    draft = factories.make_cohort(status=CohortStatus.PLANNING, start_date=today - timedelta(3))
    assert lifecycle.advance_cohorts(today) == {"cohorts_activated": 1, "cohorts_completed": 1}
    assert _status(Cohort, starting.id) == CohortStatus.ACTIVE
    assert _status(Cohort, ending.id) == CohortStatus.COMPLETED
    for unchanged, status in ((not_yet, "scheduled"), (last_day, "active"), (draft, "planning")):
        assert _status(Cohort, unchanged.id) == status
    events = _count(AuditEvent)
    assert lifecycle.advance_cohorts(today) == {"cohorts_activated": 0, "cohorts_completed": 0}
    assert _count(AuditEvent) == events


def test_finished_placements_complete_with_full_attendance_else_the_host_is_reminded_once(host):
    hospital, department, coordinator = host
    db.session.add(
        HospitalHoliday(hospital_id=hospital.id, day=SUNDAY + timedelta(1), name="Purim")
    )
    db.session.commit()
    full, holes, future, requested = _four_placements(department)
    for day in (SUNDAY, SUNDAY + timedelta(2)):  # the Monday between is a holiday
        factories.make_attendance(full, day, AttendanceStatus.PRESENT)
    factories.make_attendance(holes, SUNDAY, AttendanceStatus.ABSENT)

    counts = lifecycle.close_finished_placements(NOW.date())
    assert counts == {"placements_completed": 1, "attendance_reminders": 1}
    assert _status(Placement, full.id) == PlacementStatus.COMPLETED
    assert _status(Placement, holes.id) == PlacementStatus.CONFIRMED
    assert _status(Placement, future.id) == PlacementStatus.CONFIRMED
    assert _status(Placement, requested.id) == PlacementStatus.REQUESTED
    reminder = db.session.scalars(select(Notification)).one()
    assert (reminder.user_id, reminder.kind) == (coordinator.id, "attendance_missing")
    assert department.name in reminder.subject and "/attendance" in reminder.body

    again = lifecycle.close_finished_placements(NOW.date())
    assert again == {"placements_completed": 0, "attendance_reminders": 0}
    assert _count(Notification) == 1


def _four_placements(department):
    make = factories.make_placement
    return (
        make(department=department, status=PlacementStatus.CONFIRMED),
        make(department=department, status=PlacementStatus.CONFIRMED),
        make(
            department=department,
            status=PlacementStatus.CONFIRMED,
            start_date=NOW.date(),
            end_date=NOW.date() + timedelta(2),
        ),
        make(department=department, status=PlacementStatus.REQUESTED),
    )


def test_auto_issue_hands_waiting_cohorts_to_the_certificates_feature_once(app, monkeypatch):
    wanted = factories.make_cohort(status=CohortStatus.COMPLETED, auto_issue_certificates=True)
    factories.make_enrollment(wanted)
    manual = factories.make_cohort(status=CohortStatus.COMPLETED, auto_issue_certificates=False)
    factories.make_enrollment(manual)
    issued_for = []

    def issue(cohort_id, now):
        issued_for.append(cohort_id)
        return 1

    monkeypatch.setattr(auto_certificates, "auto_issue", issue)
    assert auto_certificates.issue_due_certificates(NOW) == {"cohorts": 1, "issued": 1}
    assert issued_for == [wanted.id]


def test_auto_issue_skips_enrollments_that_already_hold_a_certificate(app):
    cohort = factories.make_cohort(status=CohortStatus.ACTIVE, auto_issue_certificates=True)
    enrollment = factories.make_enrollment(cohort)
    assert auto_certificates.cohorts_awaiting_certificates() == [cohort.id]
    from somet.models import Certificate, CertificateKind

    factories._save(
        Certificate(
            serial="SOMET-2027-000009",
            kind=CertificateKind.INTERNSHIP,
            doctor_id=enrollment.doctor_id,
            enrollment_id=enrollment.id,
            snapshot={},
            hours=10.0,
            verification_code="v" * 40,
            signature="s",
        )
    )
    assert auto_certificates.cohorts_awaiting_certificates() == []


def _pending_request(department, requested_at):
    return factories.make_placement(
        department=department, status=PlacementStatus.REQUESTED, requested_at=requested_at
    )


def test_hosts_are_reminded_after_48_hours_and_5_days_then_the_director_is_told(host):
    hospital, department, coordinator = host
    russian = factories.make_user(Role.COORDINATOR, hospital_id=hospital.id, language=Language.RU)
    director = factories.make_user(Role.DIRECTOR)
    placement = _pending_request(department, NOW - timedelta(hours=47))
    assert requests_tasks.remind_pending_requests(NOW) == 0
    assert requests_tasks.remind_pending_requests(NOW + timedelta(hours=2)) == 2
    assert requests_tasks.remind_pending_requests(NOW + timedelta(hours=3)) == 0
    messages = {n.user_id: n for n in db.session.scalars(select(Notification))}
    assert set(messages) == {coordinator.id, russian.id}
    assert "Mar 2027" in messages[coordinator.id].body
    assert "марта 2027" in messages[russian.id].body  # the recipient's language, not ours
    assert messages[russian.id].language == "ru"

    later = NOW + timedelta(days=5, hours=1)
    assert requests_tasks.remind_pending_requests(later) == 3  # both coordinators and the director
    assert requests_tasks.remind_pending_requests(later) == 0
    told = db.session.scalars(select(Notification).where(Notification.user_id == director.id))
    assert [n.kind for n in told] == ["requests_overdue"]
    assert _status(Placement, placement.id) == PlacementStatus.REQUESTED


def test_doctors_hear_three_days_before_a_rotation_and_the_day_before_a_masterclass(app):
    doctor_user = factories.make_user(Role.DOCTOR, language=Language.KK)
    doctor = doctor_user.doctor_id
    enrollment = factories.make_enrollment(doctor=db.session.get(factories.Doctor, doctor))
    soon = factories.make_placement(
        enrollment,
        status=PlacementStatus.CONFIRMED,
        start_date=NOW.date() + timedelta(3),
        end_date=NOW.date() + timedelta(5),
    )
    factories.make_placement(
        enrollment,
        status=PlacementStatus.CONFIRMED,
        start_date=NOW.date() + timedelta(4),
        end_date=NOW.date() + timedelta(6),
    )
    tomorrow = factories.make_masterclass(starts_at=NOW + timedelta(hours=30), timezone="UTC")
    later = factories.make_masterclass(starts_at=NOW + timedelta(days=3))
    doctor_row = db.session.get(factories.Doctor, doctor)
    factories.make_registration(tomorrow, doctor_row)
    factories.make_registration(later, doctor_row)
    factories.make_registration(
        tomorrow, factories.make_doctor(), status=RegistrationStatus.WAITLISTED
    )

    counts = reminders.send_reminders(NOW)
    assert (counts["rotation_start"], counts["masterclass_tomorrow"]) == (1, 1)
    kinds = sorted(n.kind for n in db.session.scalars(select(Notification)))
    assert kinds == ["masterclass_tomorrow", "rotation_soon"]
    rotation = db.session.scalars(
        select(Notification).where(Notification.kind == "rotation_soon")
    ).one()
    assert rotation.user_id == doctor_user.id and rotation.language == "kk"
    assert f"/my/placements/{soon.id}" in rotation.body
    assert "наурыз" in rotation.body  # Kazakh month name: the doctor's language
    assert sum(reminders.send_reminders(NOW).values()) == 0


def test_a_doctor_without_a_login_is_reminded_at_their_own_address_in_their_language(app):
    doctor = factories.make_doctor(preferred_language=Language.RU, email="aigerim@example.kz")
    masterclass = factories.make_masterclass(starts_at=NOW + timedelta(hours=20), timezone="UTC")
    factories.make_registration(masterclass, doctor)
    assert masterclass_tasks.remind_masterclass_tomorrow(NOW) == 1
    message = db.session.scalars(select(Notification)).one()
    assert (message.to_email, message.user_id, message.language) == (
        "aigerim@example.kz",
        None,
        "ru",
    )


def test_the_nightly_run_issues_a_certificate_for_a_complete_enrollment_once(app):
    pytest.importorskip("somet.certificates.operations")  # the certificates feature's service
    hospital = factories.make_hospital()
    department = factories.make_department(hospital)
    cohort = factories.make_cohort(
        hosts=[hospital],
        status=CohortStatus.COMPLETED,
        auto_issue_certificates=True,
        start_date=SUNDAY,
    )
    enrollment = factories.make_enrollment(cohort)
    item = factories.make_curriculum_item(cohort, [department], days=3)
    placement = factories.make_placement(
        enrollment, department, item, status=PlacementStatus.COMPLETED
    )
    for n in range(3):
        factories.make_attendance(placement, SUNDAY + timedelta(n), AttendanceStatus.PRESENT)
    first = auto_certificates.issue_due_certificates(NOW)
    assert first == {"cohorts": 1, "issued": 1}
    from somet.models import Certificate

    certificate = db.session.scalars(select(Certificate)).one()
    assert certificate.enrollment_id == enrollment.id
    assert auto_certificates.issue_due_certificates(NOW) == {"cohorts": 0, "issued": 0}
    assert _count(Certificate) == 1
