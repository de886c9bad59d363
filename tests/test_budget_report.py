"""The funder's report shows the cost per doctor trained once costs are recorded (page, PDF,
workbook), names a missing exchange rate, shows nothing about money without costs, and reads
the same number of statements with or without costs."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from babel.numbers import format_decimal

from somet.budget import operations as budget
from somet.models import CostCategory, EnrollmentStatus
from tests import factories
from tests.budget_data import cents
from tests.conftest import login_as
from tests.test_reports import pdf_text

D = Decimal


@pytest.fixture
def cohort(app, users):
    cohort = factories.make_cohort(sponsor="Abay Health", end_date=date(2027, 3, 18))
    for status in [EnrollmentStatus.COMPLETED] * 3 + [EnrollmentStatus.WITHDRAWN]:
        factories.make_enrollment(cohort, status=status)
    return cohort


@pytest.fixture
def director(client, users):
    login_as(client, users["director"])
    return client


def _cost(users, cohort, amount: str, currency: str) -> None:
    entry = budget.CostInput(CostCategory.FLIGHTS, "", D(amount), currency, date(2027, 1, 5))
    budget.record_cost(users["director"], cohort.id, entry, "/nonexistent")


def _urls(cohort) -> tuple[str, str, str]:
    query = f"?cohort={cohort.id}"
    return f"/reports/funder{query}", f"/reports/funder.pdf{query}", f"/reports/funder.xlsx{query}"


def _sheet(data: bytes, name: str) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return list(book[name].iter_rows(min_row=2, values_only=True)) if name in book else []


def test_report_shows_the_cost_per_doctor_trained_when_costs_exist(director, users, cohort):
    budget.set_rate(users["director"], cohort.id, "KZT", D("0.00198"))
    _cost(users, cohort, "819000.00", "KZT")
    _cost(users, cohort, "1200.01", "USD")
    total = D("819000") * D("0.00198") + D("1200.01")  # 2821.63 USD
    per_doctor = cents(total / 3)  # three doctors trained; the withdrawn one is not
    page_url, pdf_url, xlsx_url = _urls(cohort)

    page = director.get(page_url).get_data(as_text=True)
    assert "Cost per doctor" in page and format_decimal(per_doctor, locale="en") in page
    assert "Cost per doctor (USD)" in page
    pdf = pdf_text(director.get(pdf_url).data)
    assert "Cost per doctor" in pdf and format_decimal(per_doctor, locale="en") in pdf
    rows = _sheet(director.get(xlsx_url).data, "Cost per doctor")
    assert rows == [("USD", float(cents(total)), 3, float(per_doctor), None)]
    summary = dict(_sheet(director.get(xlsx_url).data, "Summary"))
    assert summary["Cost per doctor (USD)"] == float(per_doctor)


def test_report_names_a_missing_rate_instead_of_a_cost(director, users, cohort):
    _cost(users, cohort, "819000.00", "KZT")
    page_url, _pdf, xlsx_url = _urls(cohort)
    assert "No exchange rate for KZT" in director.get(page_url).get_data(as_text=True)
    rows = _sheet(director.get(xlsx_url).data, "Cost per doctor")
    assert rows == [("USD", None, 3, None, "No exchange rate for KZT")]


def test_report_shows_nothing_about_money_without_costs(director, cohort):
    page_url, pdf_url, xlsx_url = _urls(cohort)
    page = director.get(page_url).get_data(as_text=True)
    assert "Doctors trained" in page and "Cost per doctor" not in page
    assert "Cost per doctor" not in pdf_text(director.get(pdf_url).data)
    book = openpyxl.load_workbook(io.BytesIO(director.get(xlsx_url).data))
    assert "Cost per doctor" not in book.sheetnames
    assert not any("Cost" in str(row[0]) for row in book["Summary"].iter_rows(values_only=True))


def test_costs_add_no_statement_to_the_report(director, users, cohort, count_queries):
    page_url = _urls(cohort)[0]
    director.get(page_url)
    with count_queries() as without:
        director.get(page_url)
    budget.set_rate(users["director"], cohort.id, "KZT", D("0.002"))
    _cost(users, cohort, "1000.00", "KZT")
    _cost(users, cohort, "10.00", "EUR")
    with count_queries() as with_costs:
        director.get(page_url)
    assert len(with_costs) == len(without)
