"""Problems found by the pure rules and the solver read in the reader's language on pages.

The rules return codes; the pages word them. A Russian-speaking director sees roster row
errors, readiness problems, lifecycle refusals and the planner's reasons in Russian, with
dates in Russian, and time zones by their city.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from somet.cohorts.roster_files import write_csv
from somet.models import CohortStatus, Language
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    cohort_day,
    make_cohort,
    make_curriculum_item,
    make_department,
    make_enrollment,
    make_hospital,
    make_masterclass,
)


def _in_russian(client, user) -> None:
    user.language = Language.RU
    db.session.commit()
    login_as(client, user)


def _text(response) -> str:
    return response.get_data(as_text=True).replace("&#34;", '"').replace("&#39;", "'")


def test_roster_row_errors_read_in_russian(client, users):
    cohort = make_cohort()
    rows = [
        {"first_name": "", "last_name": "Bekov", "arrival_date": "2027-03-01"},
        {"first_name": "Aigerim", "last_name": "Nurlanova", "email": "a@@example"},
    ]
    _in_russian(client, users["director"])
    response = client.submit(
        f"/cohorts/{cohort.id}/roster/import",
        {"file": (io.BytesIO(write_csv(rows)), "roster.csv")},
        content_type="multipart/form-data",
    )
    page = _text(client.get(response.headers["Location"]))
    assert "Не указано имя." in page
    assert "Дата прибытия: 1 марта 2027 вне дат группы (с 7 марта 2027 по 18 марта 2027)." in page
    assert "Адрес эл. почты «a@@example» неверен." in page
    assert "missing" not in page and "is outside" not in page


def test_readiness_problems_read_in_russian(client, users):
    cohort = make_cohort()
    _in_russian(client, users["director"])
    page = _text(client.get(f"/cohorts/{cohort.id}"))
    assert "Ни один врач не зачислен." in page
    assert "В программе нет обязательной ротации." in page


def test_a_lifecycle_refusal_reads_in_russian(client, users):
    cohort = make_cohort(status=CohortStatus.DRAFT)
    _in_russian(client, users["director"])
    page_url = f"/cohorts/{cohort.id}"
    for target, expected in (
        ("active", "Группа в статусе «черновик» не может перейти в статус «идёт обучение»"),
        ("planning", "Сначала выберите хотя бы одну принимающую больницу."),
    ):
        response = client.submit(
            f"{page_url}/status", {"target": target, "reason": ""}, page=page_url
        )
        assert expected in _text(client.get(response.headers["Location"]))
    db.session.refresh(cohort)
    assert cohort.status == CohortStatus.DRAFT


def test_the_planners_reason_reads_in_the_language_of_whoever_reads_it_later(client, users):
    hospital = make_hospital()
    surgery = make_department(hospital, capacity=4, name="Surgery")
    cohort = make_cohort(hosts=[hospital])
    make_curriculum_item(cohort, [surgery], days=10)  # every working day of the fortnight
    make_enrollment(cohort)
    day = cohort_day(3)
    make_masterclass(cohort_id=cohort.id,
                     starts_at=datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC))
    login_as(client, users["director"])  # planned by an English reader...
    client.submit(f"/cohorts/{cohort.id}/plan", {}, page=f"/cohorts/{cohort.id}/timeline")
    english = _text(client.get(f"/cohorts/{cohort.id}/timeline"))
    assert "blocked by masterclasses on 10 Mar 2027" in english
    client.submit("/logout", {}, page="/")

    _in_russian(client, users["director"])  # ...read later in Russian
    page = _text(client.get(f"/cohorts/{cohort.id}/timeline"))
    assert "заняты мастер-классами: 10 марта 2027" in page
    assert "blocked by masterclasses" not in page


def test_a_manual_edit_refusal_reads_in_russian(client, users):
    hospital = make_hospital()
    surgery = make_department(hospital, capacity=4, name="Surgery")
    cohort = make_cohort(hosts=[hospital])
    make_curriculum_item(cohort, [surgery], days=2)
    make_enrollment(cohort)
    day = cohort_day(1)
    make_masterclass(cohort_id=cohort.id,
                     starts_at=datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC))
    _in_russian(client, users["director"])
    client.submit(f"/cohorts/{cohort.id}/plan", {}, page=f"/cohorts/{cohort.id}/timeline")
    placement = cohort_placement(cohort)
    response = client.submit(
        f"/cohorts/{cohort.id}/placements/{placement.id}/edit",
        {"department_id": surgery.id, "start": cohort_day(0).isoformat()},
    )
    text = _text(response)
    assert response.status_code == 200
    assert "8 марта 2027 — день мастер-класса для врача" in text


def test_time_zones_are_named_by_their_city_in_the_pages_language(client, users):
    make_hospital(name="Rambam", timezone="Asia/Jerusalem")
    _in_russian(client, users["director"])
    page = _text(client.get("/hospitals"))
    assert "Иерусалим" in page and "Asia/Jerusalem" not in page


def cohort_placement(cohort):
    from sqlalchemy import select

    from somet.models import Enrollment, Placement

    return db.session.scalars(
        select(Placement).join(Enrollment).where(Enrollment.cohort_id == cohort.id)
    ).one()
