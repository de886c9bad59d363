"""Rehearsing the end of a cohort: the jobs run ``--as-of`` a day, the demo's cohort reaches
its certificates, and the reasons for the others are shown (CLI, roster, certificates, portal).
"""

from datetime import timedelta

from sqlalchemy import func, select

from somet.demo.data import DEMO_PASSWORD, PAST_COHORT, UPCOMING_COHORT
from somet.models import (
    AuditEvent,
    Certificate,
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentStatus,
    JobRun,
    User,
)
from somet.web.extensions import db
from tests.conftest import login_as

DAY_AFTER = "2027-01-22"  # the upcoming cohort ends on 21 January 2027


def _login(app, email: str):
    client = app.test_client()
    login_as(client, db.session.scalar(select(User).where(User.email == email)), DEMO_PASSWORD)
    return client


def test_demo_cohort_rehearsed_to_its_certificates_says_why_not_for_the_absent_doctor(
    app, runner
):
    assert runner.invoke(args=["demo"]).exit_code == 0
    hosts = runner.invoke(args=["demo-hosts", "--as-of", "2027-01-21"])
    assert hosts.exit_code == 0, hosts.output
    lifecycle = runner.invoke(
        args=["jobs", "run-now", "nightly-lifecycle", "--as-of", DAY_AFTER]
    )
    assert lifecycle.exit_code == 0, lifecycle.output
    assert "as of 2027-01-22: succeeded" in lifecycle.output
    assert "'enrollments_completed': 19" in lifecycle.output
    assert "Yerlan Bekov: incomplete." in lifecycle.output
    issued = runner.invoke(
        args=["jobs", "run-now", "auto-issue-certificates", "--as-of", DAY_AFTER]
    )
    assert issued.exit_code == 0, issued.output
    assert "'issued': 19" in issued.output and "'not_earned': 1" in issued.output
    assert "Yerlan Bekov: incomplete. Core rotation in own specialty: present 1 of the" in (
        issued.output
    )

    cohort = db.session.scalar(select(Cohort).where(Cohort.name == UPCOMING_COHORT["name"]))
    statuses = db.session.scalars(
        select(Enrollment.status).where(Enrollment.cohort_id == cohort.id)
    ).all()
    assert statuses.count(EnrollmentStatus.COMPLETED) == 19
    assert statuses.count(EnrollmentStatus.INCOMPLETE) == 1
    certificates = db.session.scalars(
        select(Certificate).join(Enrollment).where(Enrollment.cohort_id == cohort.id)
    ).all()
    assert len(certificates) == 19
    assert all(c.snapshot["issued_on"] == DAY_AFTER for c in certificates)

    director = _login(app, "director@example.org")
    roster = director.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert roster.count("Participation: completed") == 19
    assert "Participation: incomplete" in roster and "present 1 of the 4 days needed" in roster
    page = director.get(f"/cohorts/{cohort.id}/certificates").get_data(as_text=True)
    assert "present 1 of the 4 days needed" in page
    # The absent doctor reads why in the portal, in Russian.
    portal = _login(app, "doctor2@example.org").get("/").get_data(as_text=True)
    assert "Участие: программа не завершена" in portal
    assert "присутствовал(а) 1 из необходимых 4 дней" in portal


def test_demo_doctors_reached_their_states_through_the_operations(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    upcoming = db.session.scalar(select(Cohort).where(Cohort.name == UPCOMING_COHORT["name"]))
    statuses = db.session.scalars(
        select(Enrollment.status).where(Enrollment.cohort_id == upcoming.id)
    ).all()
    assert statuses.count(EnrollmentStatus.CONFIRMED) == 17
    assert statuses.count(EnrollmentStatus.INVITED) == 3
    confirmations = db.session.scalars(
        select(AuditEvent.details).where(AuditEvent.action == "enrollment.confirmed")
    ).all()
    assert {"by": "doctor"} in confirmations and {"by": "staff"} in confirmations
    judged = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("enrollment.%complete%"))
    ).all()
    assert sorted(set(judged)) == ["enrollment.completed", "enrollment.incomplete"]
    # the cohorts moved along their lifecycle through the director's operation, and last
    # year's one became active and completed by the nightly job run as of its day after
    moves = db.session.scalars(
        select(AuditEvent.details).where(AuditEvent.action == "cohort.status")
    ).all()
    assert [(m["old"], m["new"]) for m in moves] == [
        ("draft", "planning"),
        ("draft", "planning"),
        ("planning", "scheduled"),
    ]
    past = db.session.scalar(select(Cohort).where(Cohort.name == PAST_COHORT["name"]))
    assert past.status == CohortStatus.COMPLETED
    night = db.session.scalars(select(JobRun).where(JobRun.job_id == "nightly-lifecycle")).one()
    day_after = (PAST_COHORT["end_date"] + timedelta(days=1)).isoformat()
    assert night.params["as_of"].startswith(day_after)
    # its placements were requested and confirmed by the host before they were completed
    assert db.session.scalar(
        select(func.count()).where(AuditEvent.action == "placement.confirmed")
    ) == 10
