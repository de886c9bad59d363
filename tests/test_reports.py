"""The funder's report: its figures equal the rows counted independently, on the page, in the
PDF and in the workbook; sponsor, period and cohort filters; quotes; refusals."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import pypdf
import pytest
from sqlalchemy import select

from somet.core.specialties import specialty_name
from somet.models import EvaluationAnswer, FollowUpSurvey, ReportQuote
from somet.web.extensions import db
from tests import factories
from tests.conftest import login_as
from tests.report_expected import expected_report
from tests.report_history import SPONSOR, build_history, evaluation_forms

OTHER = "Turkistan Health Department"
PERIOD = {"sponsor": SPONSOR, "start": "2016-01-01", "end": "2018-12-31"}


@pytest.fixture
def history(app):
    forms = evaluation_forms()
    ours = build_history(5, 6, seed=3, first_year=2015, forms=forms)
    theirs = build_history(2, 5, seed=4, sponsor=OTHER, first_year=2016, forms=forms)
    return ours, theirs


@pytest.fixture
def director(client, users):
    login_as(client, users["director"])
    return client


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def workbook(data: bytes) -> list[list[list]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [[list(row) for row in sheet.iter_rows(values_only=True)][1:] for sheet in book]


def _summary(figures: dict) -> list[list]:
    return [
        ["Cohorts", figures["cohorts"]],
        ["Doctors trained", figures["trained"]],
        ["Completion rate (%)", figures["completion_rate"]],
        ["Days attended", figures["days"]],
        ["Credit hours", figures["hours"]],
        ["Certificates", figures["certificates"]],
    ]


def test_workbook_figures_equal_the_rows_counted_one_by_one(director, history):
    figures = expected_report(sponsor=SPONSOR, start=date(2016, 1, 1), end=date(2018, 12, 31))
    assert figures["cohorts"] == 3 and figures["trained"] > 5  # the period keeps 3 of 5

    response = director.get("/reports/funder.xlsx", query_string=PERIOD)
    assert response.status_code == 200
    summary, specialty, region, hosts, departments, questions, follow_ups = workbook(response.data)
    assert summary == _summary(figures)
    assert dict(specialty) == {
        specialty_name(code, "en"): n for code, n in figures["by_specialty"].items()
    }
    assert dict(region) == figures["by_region"]
    assert dict(hosts) == figures["hosts"]
    assert {(h, d): (n, days) for h, d, n, days in departments} == figures["departments"]
    shown = {(prompt, n, average) for _direction, prompt, n, average in questions}
    assert shown == {
        (prompt, n, f"{mean:g}/5" if "knowledge" in prompt or "supervision" in prompt
         else f"{mean:g}% yes")
        for (_direction, prompt), (n, mean) in figures["questions"].items()
    }  # fmt: skip
    assert {
        int(after.split()[0]): (asked, answered, patients, colleagues, recommend)
        for after, asked, answered, _rate, patients, colleagues, recommend in follow_ups
    } == figures["follow_ups"]


def test_page_and_pdf_show_the_same_figures(director, history):
    figures = expected_report(sponsor=SPONSOR, start=date(2016, 1, 1), end=date(2018, 12, 31))
    page = director.get("/reports/funder", query_string=PERIOD).get_data(as_text=True)
    summary = page[page.index('id="section-summary"') : page.index('id="section-specialty"')]
    for figure, value in _summary(figures):
        assert re.search(rf">{re.escape(figure)}</td>\s*<td[^>]*>{value:g}</td>", summary), figure
    assert 'role="img"' in page and "<title id=" in page  # the charts, named for screen readers

    pdf = director.get("/reports/funder.pdf", query_string=PERIOD)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = re.sub(r"\s+", " ", pdf_text(pdf.data))
    for figure, value in _summary(figures):
        assert f"{figure} {value:g}" in text
    for code, n in figures["by_specialty"].items():
        assert f"{specialty_name(code, 'en')} {n}" in text
    for hospital, n in figures["hosts"].items():
        assert f"{hospital} {n}" in text


def test_the_sponsor_and_the_period_choose_the_cohorts(director, history):
    ours, theirs = history
    page = director.get("/reports/funder", query_string=PERIOD).get_data(as_text=True)
    listed = re.findall(
        r">([^<>]+)</a> · ", page[page.index("<details") : page.index("</details>")]
    )
    assert listed == [c.name for c in ours[1:4]]  # the others ended outside the period
    assert not any(c.name in listed for c in theirs)  # another sponsor

    one = director.get("/reports/funder.xlsx", query_string={"cohort": theirs[0].id})
    figures = expected_report(cohort_id=theirs[0].id)
    assert workbook(one.data)[0] == _summary(figures) and figures["cohorts"] == 1


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2019-01-01", "2018-01-01", "The end date must be on or after the start date."),
        ("2019-13-45", "", "Not a valid date value."),
    ],
)
def test_bad_dates_give_a_message_on_the_form(director, history, start, end, message):
    response = director.get(
        "/reports/funder", query_string={"sponsor": SPONSOR, "start": start, "end": end}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page
    assert 'id="section-summary"' not in page


def test_neither_sponsor_nor_cohort_asks_for_one(director, history):
    response = director.get("/reports/funder", query_string={"start": "2016-01-01"})
    assert response.status_code == 400
    assert "Choose a sponsor or a cohort." in response.get_data(as_text=True)
    assert director.get("/reports/funder.pdf?start=2016-01-01").status_code == 302


@pytest.mark.parametrize("role", ["coordinator", "doctor"])
def test_coordinators_and_doctors_may_not_see_reports(client, users, history, role):
    login_as(client, users[role])
    for url in ("/reports/funder", "/reports/funder.pdf", "/reports/funder.xlsx",
                "/reports/funder/quotes", "/reports/dashboard"):  # fmt: skip
        assert client.get(url, query_string={"sponsor": SPONSOR}).status_code == 403
    answer = db.session.scalar(select(EvaluationAnswer.id).where(EvaluationAnswer.text != ""))
    response = client.submit(
        "/reports/funder/quotes",
        {"source": "evaluation", "source_id": answer, "chosen": "1"},
        page="/account/password",
    )
    assert response.status_code == 403
    assert db.session.scalar(select(ReportQuote.id)) is None


def _choose(client, source: str, source_id: int, chosen: str = "1"):
    return client.submit(
        "/reports/funder/quotes",
        {"source": source, "source_id": source_id, "chosen": chosen, **PERIOD},
        page="/reports/dashboard",
    )


def test_chosen_quotes_appear_in_the_page_pdf_and_workbook(director, history):
    quotes = director.get("/reports/funder/quotes", query_string=PERIOD).get_data(as_text=True)
    words = re.findall(r"(Department words \d+|Follow-up words \d+)", quotes)
    assert any(w.startswith("Department") for w in words)
    assert any(w.startswith("Follow-up") for w in words)
    department_words = next(w for w in words if w.startswith("Department"))
    follow_up_words = next(w for w in words if w.startswith("Follow-up"))
    answer = db.session.scalar(
        select(EvaluationAnswer).where(EvaluationAnswer.text == department_words)
    )
    survey = db.session.scalar(
        select(FollowUpSurvey).where(FollowUpSurvey.comment == follow_up_words)
    )
    not_chosen = next(w for w in words if w not in (department_words, follow_up_words))

    assert _choose(director, "evaluation", answer.id).status_code == 302
    assert _choose(director, "follow_up", survey.id).status_code == 302
    page = director.get("/reports/funder", query_string=PERIOD).get_data(as_text=True)
    assert department_words in page and follow_up_words in page and not_chosen not in page
    text = pdf_text(director.get("/reports/funder.pdf", query_string=PERIOD).data)
    assert department_words in text and follow_up_words in text
    sheets = workbook(director.get("/reports/funder.xlsx", query_string=PERIOD).data)
    assert {row[0] for row in sheets[-1]} == {department_words, follow_up_words}

    _choose(director, "evaluation", answer.id, chosen="0")
    page = director.get("/reports/funder", query_string=PERIOD).get_data(as_text=True)
    assert department_words not in page and follow_up_words in page


def test_only_a_doctors_words_can_be_quoted(director, history):
    scale = db.session.scalar(
        select(EvaluationAnswer.id).where(EvaluationAnswer.score.is_not(None))
    )
    assert _choose(director, "evaluation", scale).status_code == 404
    assert _choose(director, "elsewhere", 1).status_code == 302  # the form refuses the source
    assert db.session.scalar(select(ReportQuote.id)) is None


def test_report_statements_do_not_grow_with_the_history(app, director, count_queries):
    forms = evaluation_forms()
    build_history(2, 3, seed=1, first_year=2010, forms=forms)
    urls = ["/reports/funder", "/reports/funder.pdf", "/reports/funder/quotes",
            "/reports/dashboard"]  # fmt: skip
    query = {"sponsor": SPONSOR}
    director.get("/reports/funder", query_string=query)  # warm: templates, fonts

    def statements() -> list[int]:
        counts = []
        for url in urls:
            with count_queries() as queries:
                assert director.get(url, query_string=query).status_code == 200
            counts.append(len(queries))
        return counts

    small = statements()
    build_history(8, 10, seed=2, first_year=2012, forms=forms)
    factories.make_cohort(sponsor=SPONSOR)  # one still planned: counted nowhere but cohorts
    assert statements() == small
    assert max(small) < 25
