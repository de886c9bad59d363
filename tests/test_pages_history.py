"""Pages stay the same work however many years of history are stored: the capacity view, the
cohort overview and the certificates list read holidays and closures only for the cohort's
days (and still show those), the doctors search is one statement per page."""

from __future__ import annotations

import re
from datetime import date

import pytest

from somet.models import DepartmentClosure, HospitalHoliday, PlacementStatus
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    cohort_day,
    make_cohort,
    make_curriculum_item,
    make_department,
    make_doctor,
    make_enrollment,
    make_hospital,
    make_placement,
)


def _cohort_with_history():
    hospital = make_hospital()
    departments = [make_department(hospital, capacity=5, name=f"Ward {n}") for n in range(3)]
    cohort = make_cohort(hosts=[hospital])
    item = make_curriculum_item(cohort, departments, days=3)
    for n in range(3):
        make_placement(
            make_enrollment(cohort), departments[n], item, start_date=cohort_day(0),
            end_date=cohort_day(2), status=PlacementStatus.CONFIRMED,
        )  # fmt: skip
    db.session.add(HospitalHoliday(hospital_id=hospital.id, day=cohort_day(1), name="Shavuot"))
    db.session.add(
        DepartmentClosure(department_id=departments[0].id, day=cohort_day(2), reason="Audit day")
    )
    db.session.commit()
    return cohort, hospital, departments


def _add_years_of_holidays_and_closures(hospital, departments, years: int = 17) -> None:
    for year in range(cohort_day(0).year - years, cohort_day(0).year):
        for month in range(1, 13):
            db.session.add(
                HospitalHoliday(hospital_id=hospital.id, day=date(year, month, 9), name="Old")
            )
            for department in departments:
                db.session.add(
                    DepartmentClosure(
                        department_id=department.id, day=date(year, month, 3), reason="Old closure"
                    )
                )
    db.session.commit()


@pytest.mark.parametrize("page", ["capacity", "", "certificates"])
def test_cohort_pages_read_the_same_statements_with_seventeen_years_of_calendars(
    client, users, count_queries, page
):
    cohort, hospital, departments = _cohort_with_history()
    login_as(client, users["director"])
    url = f"/cohorts/{cohort.id}/{page}".rstrip("/")
    client.get(url)
    with count_queries() as fresh:
        before = _without_tokens(client.get(url).get_data(as_text=True))
    _add_years_of_holidays_and_closures(hospital, departments)
    with count_queries() as history:
        after = _without_tokens(client.get(url).get_data(as_text=True))
    assert len(fresh) == len(history)
    assert "Old closure" not in after
    calendars = [q for q in history if "hospital_holidays" in q or "department_closures" in q]
    assert all("BETWEEN" in q for q in calendars), calendars  # only the cohort's days are read
    if page == "capacity":
        # the login with the menu badges, the cohort with its hosts, their calendars,
        # departments, placements, closed days
        assert len([q for q in history if not q.startswith("BEGIN")]) == 6
        assert 'title="Shavuot"' in after and 'title="Audit day"' in after
        assert before == after  # nothing outside the cohort's days shows or counts


def test_the_overview_reads_the_same_with_years_of_old_holidays_and_closures(client, users):
    cohort, hospital, departments = _cohort_with_history()
    login_as(client, users["director"])

    def overview() -> str:
        return _without_tokens(client.get(f"/cohorts/{cohort.id}").get_data(as_text=True))

    plain = overview()
    _add_years_of_holidays_and_closures(hospital, departments)
    assert overview() == plain


def test_doctors_search_is_one_statement_at_ten_or_two_hundred_doctors(
    client, users, count_queries
):
    login_as(client, users["director"])
    counts = []
    for total in (10, 200):
        while _doctors() < total:
            make_doctor(native_name="Ерлан Нұрланұлы")
        with count_queries() as queries:
            page = client.get("/doctors", query_string={"q": "ерлан"}).get_data(as_text=True)
        counts.append(len(queries))
        assert "Ерлан Нұрланұлы" in page
    assert counts[0] == counts[1]
    second = client.get("/doctors", query_string={"q": "ерлан", "page": 2})
    assert "Page 2" in second.get_data(as_text=True)
    assert "Ерлан Нұрланұлы" in second.get_data(as_text=True)


def _without_tokens(html: str) -> str:
    return re.sub(r'value="[\w.-]{40,}"', "", html)  # CSRF tokens carry the time


def _doctors() -> int:
    from sqlalchemy import func, select

    from somet.models import Doctor

    return db.session.scalar(select(func.count()).select_from(Doctor))
