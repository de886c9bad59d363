"""The dashboard's doctors trained per year and completion come from tallies the session keeps
on flush: they follow the roster, a cohort's dates and a doctor's specialty as the director
changes them, equal a fresh count over every enrollment, and the page reads no enrollment."""

from __future__ import annotations

import re
import threading
import time
from datetime import date

import pytest
from sqlalchemy import select

from somet.models import Enrollment, EnrollmentStatus, Role
from somet.reports import tallies
from somet.web.extensions import db
from tests import factories
from tests.conftest import POSTGRES_URL, login_as
from tests.test_followup import _cohort_fields
from tests.test_reports_dashboard import _table
from tests.test_rosters import _doctor_form

COMPLETED, INCOMPLETE = EnrollmentStatus.COMPLETED, EnrollmentStatus.INCOMPLETE
ANOTHER = "Another sponsor"


def _ended(end: date, sponsor: str = "Health Department"):
    return factories.make_cohort(
        start_date=date(end.year, end.month, end.day - 11), end_date=end, sponsor=sponsor,
        status="completed",
    )  # fmt: skip


def _history():
    """Doctor A completed two cohorts that ended in 2024 (one of each sponsor), B one of
    them, C was judged incomplete."""
    first, second = _ended(date(2024, 3, 20)), _ended(date(2024, 9, 20), sponsor=ANOTHER)
    a, b, c = (factories.make_doctor(specialty="anaesthesiology") for _ in range(3))
    for cohort, doctor, status in (
        (first, a, COMPLETED), (first, b, COMPLETED), (first, c, INCOMPLETE),
        (second, a, COMPLETED),
    ):  # fmt: skip
        factories.make_enrollment(cohort, doctor, status=status)
    return first, second, b


def _trained(client, sponsor: str = "") -> dict[str, str]:
    page = client.get("/reports/dashboard", query_string={"sponsor": sponsor} if sponsor else {})
    return {row[0]: row[1] for row in _table(page.get_data(as_text=True), "trained")}


def _specialties(client) -> dict[str, str]:
    page = client.get("/reports/dashboard").get_data(as_text=True)
    return {row[0]: row[1] for row in _table(page, "specialty")}


def _kept_equals_a_fresh_count():
    db.session.expire_all()
    kept = tallies.kept()
    assert kept == tallies.counted_afresh() and all(kept.values())


def test_the_dashboards_tallies_follow_what_the_director_changes(client, users, count_queries):
    first, second, b = _history()
    _kept_equals_a_fresh_count()
    login_as(client, users["director"])
    director = client
    with count_queries() as statements:
        assert _trained(director) == {"2024": "2"}  # A once, however many cohorts
    # the nav's badges count a few open rows in the user's statement; the figures, none
    figures = [s for s in statements if not s.lstrip().startswith("SELECT users.")]
    assert not any(re.search(r"\b(FROM|JOIN) enrollments\b", s) for s in figures)
    assert _trained(director, "Health Department") == {"2024": "2"}
    assert _trained(director, ANOTHER) == {"2024": "1"}

    # the second cohort's end moves into 2025 (its start with it): A counts in both years
    fields = _cohort_fields(second, "3,6,12") | {
        "start_date": "2025-01-05", "end_date": "2025-01-16", "sponsor": ANOTHER,
    }  # fmt: skip
    assert director.submit(f"/cohorts/{second.id}/edit", fields).status_code == 302
    _kept_equals_a_fresh_count()
    assert _trained(director) == {"2024": "2", "2025": "1"}
    assert _trained(director, ANOTHER) == {"2025": "1"}

    # B's specialty changes on the roster: the years B counts in move to the new one
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.doctor_id == b.id))
    form = _doctor_form(
        first_name=b.first_name, last_name=b.last_name, email=b.email,
        licence_number=b.licence_number, passport_number=b.passport_number,
        specialty="neurosurgery", arrival_date="", departure_date="",
    )  # fmt: skip
    url = f"/cohorts/{first.id}/roster/{enrollment.id}/edit"
    assert director.submit(url, form).status_code == 302
    _kept_equals_a_fresh_count()
    assert _specialties(director) == {"Anaesthesiology": "2", "Neurosurgery": "1"}


def test_a_roster_addition_counts_in_its_cohorts_year(client, users):
    cohort = factories.make_cohort()
    login_as(client, users["director"])
    form = _doctor_form(arrival_date="", departure_date="")
    assert client.submit(f"/cohorts/{cohort.id}/roster/add", form).status_code == 302
    db.session.expire_all()
    statuses = tallies.kept()["enrollment_status_tallies"]
    assert statuses == tallies.counted_afresh()["enrollment_status_tallies"]
    year = cohort.end_date.year
    assert {row[:2] + row[3:] for row in statuses} == {("", year, 1), (cohort.sponsor, year, 1)}


def test_the_migration_counts_the_enrollments_already_stored(app, client):
    from flask_migrate import downgrade, upgrade

    from tests.test_migrations import _empty_database

    _empty_database()
    upgrade()
    _history()
    kept = tallies.kept()
    db.session.commit()  # end the test's read, so what follows reads the migrated database
    downgrade(revision="0025")
    upgrade()
    assert tallies.kept() == kept == tallies.counted_afresh()
    login_as(client, factories.make_user(Role.DIRECTOR))
    assert _trained(client) == {"2024": "2"}


@pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL's concurrent transactions")
def test_two_writers_of_one_year_recount_in_turn(app):
    """Two transactions change enrollments of the same year at once: the second recounts
    after the first commits (without the lock, its recount would miss the first's rows and
    collide with them)."""
    first, _second, _b = _history()
    ids = db.session.scalars(
        select(Enrollment.id).where(Enrollment.cohort_id == first.id).order_by(Enrollment.id)
    ).all()
    db.session.get(Enrollment, ids[0]).status = EnrollmentStatus.WITHDRAWN
    db.session.flush()
    tallies._recount_noted(db.session())  # the first's commit, up to its last step
    errors = []

    def second_writer():
        with app.app_context():
            try:
                db.session.get(Enrollment, ids[1]).status = EnrollmentStatus.INCOMPLETE
                db.session.commit()  # waits for the first to commit
            except Exception as error:  # reported to the test's thread
                errors.append(error)
            finally:
                db.session.remove()

    writer = threading.Thread(target=second_writer)
    writer.start()
    time.sleep(0.5)
    assert writer.is_alive()  # still waiting
    db.session.commit()
    writer.join(timeout=30)
    assert not writer.is_alive() and not errors
    _kept_equals_a_fresh_count()
    statuses = tallies.kept()["enrollment_status_tallies"]
    assert ("", 2024, EnrollmentStatus.WITHDRAWN, 1) in statuses
    assert ("", 2024, EnrollmentStatus.INCOMPLETE, 2) in statuses
