"""The filtered registry as XLSX: every matching doctor (not only the page), one row each,
with the page's columns plus years, hours, certificates, ratings and follow-ups."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from somet.models import EvaluationDirection
from tests import factories
from tests.alumni_data import (
    alumnus,
    answered_evaluation,
    attended,
    certificate,
    cohort_of,
    evaluation_form,
    follow_up,
)
from tests.conftest import login_as

ROW_LINK = re.compile(r'href="/alumni/(\d+)"')


def _sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response.content_type.startswith("application/vnd.openxmlformats")
    assert "alumni.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    return list(book.active.iter_rows(values_only=True))


def _listed_names(client, url: str) -> list[str]:
    """The Latin names on every page of the registry at ``url``, in its order."""
    names, page = [], 1
    while True:
        html = client.get(f"{url}&page={page}").get_data(as_text=True)
        names += re.findall(r'href="/alumni/\d+">([^<]+)</a>', html)
        if f"page={page + 1}" not in html:
            return names
        page += 1


def test_export_holds_every_filtered_doctor_with_the_pages_order(client, users):
    cohort = cohort_of(2017)
    for n in range(27):
        alumnus(cohort, first_name=f"Aliya{n:02d}", last_name="Sarsenova", specialty="urology")
    alumnus(cohort, first_name="Other", specialty="oncology")
    login_as(client, users["director"])
    rows = _sheet_rows(client.get("/alumni/export.xlsx?specialty=urology"))
    header, body = rows[0], rows[1:]
    assert header[:6] == ("Doctor", "Native name", "Specialty", "Region", "Home institution",
                          "Cohorts (years)")  # fmt: skip
    assert len(body) == 27  # more than a page
    assert [row[0] for row in body] == _listed_names(client, "/alumni?specialty=urology")
    assert {row[2] for row in body} == {"Urology"}


def test_export_row_carries_hours_certificates_ratings_and_follow_ups(client, users):
    first = cohort_of(2016, hours_per_day=6.0)
    doctor, enrollment, placement = alumnus(
        first, present=3, absent=1, first_name="Yerlan", last_name="Bekov",
        native_name="Ерлан Беков", region="Abay region", home_institution="Semey MU",
    )  # fmt: skip
    second = cohort_of(2021)
    factories.make_enrollment(second, doctor)
    attended(doctor, 8.0, first)
    attended(doctor, 4.0)
    certificate(doctor, enrollment, hours=26.0)
    certificate(doctor, enrollment, revoked=True)
    answered_evaluation(placement, evaluation_form(EvaluationDirection.OF_DOCTOR), [4, 5])
    answered_evaluation(placement, evaluation_form(EvaluationDirection.OF_DEPARTMENT), [1, 1])
    follow_up(enrollment, 3, answered=True)
    follow_up(enrollment, 6, answered=False)
    alumnus(cohort_of(2016), first_name="Zarina", last_name="Zhumabek")  # another, no outcomes
    login_as(client, users["director"])
    rows = _sheet_rows(client.get("/alumni/export.xlsx?q=ерлан"))
    assert rows[1:] == [
        ("Yerlan Bekov", "Ерлан Беков", "Anaesthesiology", "Abay region", "Semey MU",
         "2016, 2021", 2016, 2021, 30, 1, 4.5, 1, 2),
    ]  # fmt: skip
    everyone = _sheet_rows(client.get("/alumni/export.xlsx"))
    zarina = next(row for row in everyone if row[0] == "Zarina Zhumabek")
    assert zarina[8:] == (18, 0, None, 0, 0)


def test_export_headers_follow_the_readers_language(client, users):
    alumnus(cohort_of(2019), specialty="cardiology")
    login_as(client, users["director"])
    token = client.csrf_token()
    client.post("/language", data={"language": "ru", "csrf_token": token, "next": "/"})
    rows = _sheet_rows(client.get("/alumni/export.xlsx"))
    assert rows[0][0] == "Врач" and rows[1][2] == "Кардиология"


def test_a_name_that_looks_like_a_formula_stays_text(client, users):
    alumnus(cohort_of(2019), first_name='=HYPERLINK("http://x")', last_name="Evil")
    login_as(client, users["director"])
    book = load_workbook(io.BytesIO(client.get("/alumni/export.xlsx").data))
    cell = book.active["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
