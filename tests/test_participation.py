"""An enrollment's life: the doctor (or the director, after a phone call) confirms
participation; after the cohort's end the nightly lifecycle writes completed or incomplete
with the reasons, and the nightly auto-issue then finds the completed ones.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from somet.cohorts.rules import participation
from somet.models import (
    AttendanceStatus,
    AuditEvent,
    Certificate,
    CohortStatus,
    Doctor,
    Enrollment,
    EnrollmentStatus,
    PlacementStatus,
    Role,
)
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    make_attendance,
    make_cohort,
    make_curriculum_item,
    make_department,
    make_doctor,
    make_enrollment,
    make_placement,
    make_user,
)
from tests.test_rosters import _confirm, _preview

ROTATION_DAYS = [date(2027, 3, 7), date(2027, 3, 8), date(2027, 3, 9)]  # Sun-Tue: working


# --- the pure rules -------------------------------------------------------------------------


def test_only_an_invited_enrollment_can_be_confirmed():
    participation.check_confirmation("invited")
    for status, code in (
        ("confirmed", "enrollment.already_confirmed"),
        ("completed", "enrollment.not_open"),
        ("withdrawn", "enrollment.not_open"),
    ):
        with pytest.raises(participation.ParticipationRefused) as refused:
            participation.check_confirmation(status)
        assert refused.value.problems[0].code == code


def test_the_lifecycle_settles_open_enrollments_and_rejudges_incomplete_ones():
    assert participation.settled_status("invited", True) == "completed"
    assert participation.settled_status("confirmed", False) == "incomplete"
    assert participation.settled_status("incomplete", True) == "completed"  # late attendance
    assert participation.settled_status("incomplete", False) is None
    assert participation.settled_status("completed", False) is None
    assert participation.settled_status("withdrawn", True) is None


def test_only_an_open_enrollment_can_be_withdrawn():
    participation.check_withdrawal("confirmed")
    with pytest.raises(participation.ParticipationRefused):
        participation.check_withdrawal("completed")


# --- confirming -----------------------------------------------------------------------------


def test_doctor_confirms_participation_from_the_portal_home(client):
    cohort = make_cohort(name="Abay surgeons")
    user = make_user(Role.DOCTOR)
    enrollment = make_enrollment(cohort, db.session.get(Doctor, user.doctor_id),
                                 status=EnrollmentStatus.INVITED)
    login_as(client, user)
    home = client.get("/").get_data(as_text=True)
    assert "Participation: invited" in home and "Confirm my participation" in home
    response = client.submit(f"/my/enrollments/{enrollment.id}/confirm", {}, page="/")
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "your participation is confirmed" in home and "Participation: confirmed" in home
    assert "Confirm my participation" not in home
    again = client.submit(f"/my/enrollments/{enrollment.id}/confirm", {}, page="/")
    assert again.status_code == 302
    assert "Participation is already confirmed." in client.get("/").get_data(as_text=True)


def test_doctor_cannot_confirm_another_doctors_enrollment(client):
    others = make_enrollment(status=EnrollmentStatus.INVITED)
    login_as(client, make_user(Role.DOCTOR))
    response = client.submit(f"/my/enrollments/{others.id}/confirm", {}, page="/")
    assert response.status_code == 404
    assert db.session.get(Enrollment, others.id).status == EnrollmentStatus.INVITED


def test_director_marks_a_phone_confirmation_on_the_roster_audited(client, users):
    cohort = make_cohort()
    enrollment = make_enrollment(cohort, make_doctor(first_name="Dauren"),
                                 status=EnrollmentStatus.INVITED)
    login_as(client, users["director"])
    page = f"/cohorts/{cohort.id}"
    roster = client.get(page).get_data(as_text=True)
    assert "Participation: invited" in roster and "No login" in roster
    url = f"/cohorts/{cohort.id}/roster/{enrollment.id}/confirm"
    assert client.submit(url, {}, page=page).status_code == 302
    roster = client.get(page).get_data(as_text=True)
    assert "participation is confirmed" in roster and "Participation: confirmed" in roster
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "enrollment.confirmed"))
    assert event.actor_id == users["director"].id and event.details["by"] == "staff"


def test_the_roster_says_when_a_doctor_has_a_portal_login(client, users):
    cohort = make_cohort()
    make_enrollment(cohort, db.session.get(Doctor, users["doctor"].doctor_id))
    login_as(client, users["director"])
    roster = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Has a login" in roster and "No login" not in roster


# --- from an imported roster to certificates ------------------------------------------------


def _import_two_doctors(client, cohort) -> list[Enrollment]:
    text = (
        "Last name;First name;Native name;Specialty;Licence number;Passport number\n"
        "Bekov;Yerlan;Ерлан Беков;general-surgery;KZ-1;P00000001\n"
        "Omarova;Gulnara;Гүлнара Омарова;general-surgery;KZ-2;P00000002\n"
    )
    token, _html = _preview(client, cohort, text.encode(), "roster.csv")
    _confirm(client, cohort, token)
    return list(db.session.scalars(
        select(Enrollment).where(Enrollment.cohort_id == cohort.id).order_by(Enrollment.id)
    ))


def _attended(enrollment, department, item, absent_days: int) -> None:
    placement = make_placement(
        enrollment, department, item, start_date=ROTATION_DAYS[0], end_date=ROTATION_DAYS[-1],
        status=PlacementStatus.CONFIRMED,
    )
    for n, day in enumerate(ROTATION_DAYS):
        absent = n < absent_days
        make_attendance(
            placement, day, AttendanceStatus.ABSENT if absent else AttendanceStatus.PRESENT
        )


def _run(runner, job: str, day: str) -> str:
    result = runner.invoke(args=["jobs", "run-now", job, "--as-of", day])
    assert result.exit_code == 0, result.output
    return result.output


def test_imported_cohort_reaches_certificates_through_portal_lifecycle_and_auto_issue(
    app, client, runner, users
):
    department = make_department()
    cohort = make_cohort(
        status=CohortStatus.ACTIVE, auto_issue_certificates=True,
        start_date=date(2027, 3, 7), end_date=date(2027, 3, 18),
    )
    item = make_curriculum_item(cohort, [department], days=3, required=True)
    login_as(client, users["director"])
    yerlan, gulnara = _import_two_doctors(client, cohort)
    assert {yerlan.status, gulnara.status} == {EnrollmentStatus.INVITED}
    _attended(yerlan, department, item, absent_days=0)
    _attended(gulnara, department, item, absent_days=2)
    # Nobody has confirmed: the nightly auto-issue finds no one, as before this change.
    assert "'issued': 0" in _run(runner, "auto-issue-certificates", "2027-03-10")

    doctor_user = make_user(Role.DOCTOR, doctor_id=yerlan.doctor_id)
    portal = app.test_client()
    login_as(portal, doctor_user)
    portal.submit(f"/my/enrollments/{yerlan.id}/confirm", {}, page="/")

    lifecycle = _run(runner, "nightly-lifecycle", "2027-03-19")
    assert "'cohorts_completed': 1" in lifecycle and "'enrollments_completed': 1" in lifecycle
    assert "Gulnara Omarova: incomplete." in lifecycle
    issued = _run(runner, "auto-issue-certificates", "2027-03-19")
    assert "'issued': 1" in issued and "present 1 of the 3 days needed" in issued

    certificate = db.session.scalar(select(Certificate))
    assert certificate.enrollment_id == yerlan.id
    assert certificate.serial in portal.get("/certificates/mine").get_data(as_text=True)
    assert "Participation: completed" in portal.get("/").get_data(as_text=True)
    roster = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Participation: incomplete" in roster
    assert "present 1 of the 3 days needed" in roster
    # A second night changes nothing and issues nothing twice.
    assert "'enrollments_completed': 0" in _run(runner, "nightly-lifecycle", "2027-03-20")


# --- the rehearsal clock --------------------------------------------------------------------


def test_as_of_is_refused_for_a_malformed_day_with_one_line(runner):
    result = runner.invoke(args=["jobs", "run-now", "nightly-lifecycle", "--as-of", "22.01.2027"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: --as-of '22.01.2027' is not a day written YYYY-MM-DD."
    )


def test_as_of_is_refused_in_production(app, runner):
    app.config["SOMET_ENV"] = "production"
    for args in (
        ["jobs", "run-now", "nightly-lifecycle", "--as-of", "2027-01-22"],
        ["jobs", "run", "--as-of", "2027-01-22"],
        ["demo-hosts", "--as-of", "2027-01-21"],
    ):
        result = runner.invoke(args=args)
        assert result.exit_code == 2, args
        refusal = "Error: --as-of is for rehearsals; it is refused in production."
        assert result.output.strip() == refusal
