"""A host coordinator's pages do the same work however much history the hospital holds: the
menu's badges are one statement (the hospital comes with the signed-in user), and each page
runs as many statements with one visit of history as with many."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from somet.accounts.queues import coordinator_counts
from somet.attendance.queries import _first_live_day
from somet.core.statuses import PlacementStatus
from somet.models import (
    DepartmentClosure,
    Hospital,
    HospitalHoliday,
    Placement,
    Role,
    utcnow,
)
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    make_attendance,
    make_cohort,
    make_department,
    make_enrollment,
    make_hospital,
    make_placement,
    make_user,
)
from tests.test_home_queues import badge, queue_count

PAGES = [
    "/",
    "/requests",
    "/attendance",
    "/hospitals/mine",
    "/hospital/visitors",
    "/masterclasses",
    "/evaluations/hospital",
    "/evaluations/hospitals/{hospital}",
]


def _add_visits(hospital, ward, visits: int, before: int = 0) -> None:
    """``visits`` doctors of a live cohort: each on a confirmed stay begun ten days ago with
    two days marked, one request waiting, one answered, a holiday and a closure (``before``:
    how many visits were added already, so their days off differ)."""
    today = utcnow().date()
    cohort = make_cohort([hospital], start_date=today - timedelta(days=12))
    for n in range(before, before + visits):
        enrollment = make_enrollment(cohort)
        stay = make_placement(
            enrollment, ward, status=PlacementStatus.CONFIRMED,
            start_date=today - timedelta(days=10), end_date=today + timedelta(days=3),
        )  # fmt: skip
        for days in (9, 10):
            make_attendance(stay, today - timedelta(days=days), "present")
        make_placement(enrollment, ward, requested_at=utcnow() - timedelta(hours=n + 1))
        make_placement(
            enrollment, ward, status=PlacementStatus.CONFIRMED, decided_at=utcnow(),
            start_date=today + timedelta(days=20), end_date=today + timedelta(days=22),
        )  # fmt: skip
        db.session.add(HospitalHoliday(hospital_id=hospital.id, day=today - timedelta(days=30 + n)))
        db.session.add(DepartmentClosure(department_id=ward.id, day=today - timedelta(days=40 + n)))
    db.session.commit()


def _statements(client, count_queries, url: str) -> int:
    client.get(url)  # the first visit compiles; count the second
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("url", PAGES)
def test_coordinator_pages_run_the_same_statements_with_more_history(client, count_queries, url):
    hospital = make_hospital()
    ward = make_department(hospital, name="Cardiology ward")
    login_as(client, make_user(Role.COORDINATOR, hospital_id=hospital.id))
    _add_visits(hospital, ward, 1)
    url = url.format(hospital=hospital.id)
    few = _statements(client, count_queries, url)
    _add_visits(hospital, ward, 8, before=1)
    many = _statements(client, count_queries, url)
    assert few == many


def test_the_coordinators_badges_are_one_statement_and_agree_with_the_home_queue(
    client, app, count_queries
):
    hospital = make_hospital()
    ward = make_department(hospital, name="Cardiology ward")
    coordinator = make_user(Role.COORDINATOR, hospital_id=hospital.id)
    counted = {}
    for visits, before in ((1, 0), (6, 1)):
        _add_visits(hospital, ward, visits - before, before)
        with app.test_request_context():
            db.session.get(Hospital, hospital.id)  # as the signed-in user brings it
            db.session.refresh(coordinator)
            with count_queries() as statements:
                counted[visits] = coordinator_counts(coordinator)
            assert len(statements) == 1
    assert counted[1]["requests.list_requests"] == 1
    assert counted[6]["requests.list_requests"] == 6
    login_as(client, coordinator)
    html = client.get("/").get_data(as_text=True)
    assert badge(html, "Requests") == queue_count(html, "requests") == 6
    weeks = queue_count(html, "attendance")
    assert weeks >= 1 and badge(html, "Attendance") == weeks
    assert counted[6]["attendance.list_weeks"] == weeks
    # And any other page's menu counts the same, through the badges' own statements.
    other = client.get("/masterclasses").get_data(as_text=True)
    assert badge(other, "Requests") == 6 and badge(other, "Attendance") == weeks


def _plan(statement) -> str:
    """How the database would run ``statement`` (PostgreSQL told to avoid reading a whole
    table, which it would prefer for a test's few rows)."""
    sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL enable_seqscan = off"))
            return "\n".join(row[0] for row in connection.execute(text("EXPLAIN " + sql)))
        return "\n".join(row[-1] for row in connection.execute(text("EXPLAIN QUERY PLAN " + sql)))


def test_the_badges_and_the_requests_page_read_their_rows_from_their_own_indexes(app):
    """The earliest live cohort (the badges' first day to count from) and a department's
    open requests in the page's order come from partial indexes, not every year's rows."""
    first_live_day = select(_first_live_day())
    assert "ix_cohorts_live_start" in _plan(first_live_day)
    open_requests = (
        select(Placement.id)
        .where(Placement.department_id == 1, Placement.status == PlacementStatus.REQUESTED)
        .order_by(Placement.start_date, Placement.id)
    )
    assert "ix_placements_requested_by_start" in _plan(open_requests)
