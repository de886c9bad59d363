"""The director's budget page: figures recomputed from the rows and found on the page, the
suggested quantities, refusals that keep what was typed, invoices checked like travel
documents, and the workbook parsed back."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from flask import current_app
from sqlalchemy import func, select

from somet.models import BudgetLine, Cost, ExchangeRate
from somet.web.extensions import db
from tests.budget_data import cents, expected, money_cohort, usd
from tests.conftest import login_as

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def setting(app, client, users):
    cohort, enrollments = money_cohort(users["director"], app.config["SOMET_STORAGE_DIR"])
    login_as(client, users["director"])
    return cohort, enrollments


def _row(html: str, figure: str) -> str:
    match = re.search(rf'<tr data-figure="{figure}">(.*?)</tr>', html, re.DOTALL)
    assert match, figure
    return match.group(1)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_budget_page_totals_equal_the_rows_recomputed(client, setting):
    cohort, _ = setting
    html = client.get(f"/cohorts/{cohort.id}/budget").get_data(as_text=True)
    figures = expected(cohort.id, doctors=2)  # the withdrawn doctor shares nothing
    cohort_row, sponsor, centre = (_row(html, f) for f in ("cohort", "sponsor", "centre"))
    assert usd(figures["planned"]) in cohort_row and usd(figures["actual"]) in cohort_row
    assert usd(figures["planned_sponsor"]) in sponsor and usd(figures["actual_sponsor"]) in sponsor
    assert usd(figures["planned_centre"]) in centre and usd(figures["actual_centre"]) in centre
    per_doctor = _row(html, "per-doctor")
    assert usd(figures["planned_per_doctor"]) in per_doctor
    assert usd(figures["actual_per_doctor"]) in per_doctor
    # Three deposits of 1 ILS at 0.275: the converted hotel actual is 0.83 (0.825 rounded
    # once), not 0.84 (three times 0.28); the page says which rule it follows.
    hotel = re.search(r'<tr data-category="hotel">(.*?)</tr>', html, re.DOTALL).group(1)
    assert "$0.83" in hotel and "$0.84" not in hotel
    assert "rounded once" in html and "equal share of the cohort-wide costs" in html
    currencies = re.search(r'currency-totals">(.*?)</table>', html, re.S)
    assert "KZT830,000.00" in currencies.group(1) and "KZT819,000.00" in currencies.group(1)


def test_a_missing_rate_is_named_and_nothing_is_converted(client, setting, users):
    cohort, _ = setting
    db.session.execute(ExchangeRate.__table__.delete().where(ExchangeRate.currency == "KZT"))
    db.session.commit()
    html = client.get(f"/cohorts/{cohort.id}/budget").get_data(as_text=True)
    assert "no exchange rate for KZT" in html
    assert "$" not in _row(html, "cohort")  # no wrong total: a dash
    assert '<td><span class="text-muted">—</span></td>' in _row(html, "cohort")


def test_page_in_russian_formats_amounts_the_russian_way(client, setting):
    cohort, _ = setting
    client.submit("/language", {"language": "ru"}, page=f"/cohorts/{cohort.id}/budget")
    html = client.get(f"/cohorts/{cohort.id}/budget").get_data(as_text=True)
    assert usd(expected(cohort.id, 2)["planned"], "ru") in _row(html, "cohort")


def test_a_bad_amount_currency_or_rate_is_a_form_error_and_loses_nothing(client, setting):
    cohort, _ = setting
    url = f"/cohorts/{cohort.id}/budget/lines/new"
    lines = _count(BudgetLine)
    form = {"category": "insurance", "description": "Travel medical insurance",
            "unit": "per_doctor", "quantity": "", "unit_amount": "38.005", "currency": "EUR",
            "sponsor_share": "0"}  # fmt: skip
    response = client.submit(url, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "have at most 2 decimals" in page
    assert 'value="Travel medical insurance"' in page and 'value="38.005"' in page
    response = client.submit(url, {**form, "unit_amount": "38", "currency": "XYZ"})
    assert response.status_code == 400 and "not a currency code" in response.get_data(True)
    assert _count(BudgetLine) == lines

    rates = f"/cohorts/{cohort.id}/budget/rates"
    for value in ("0", "abc", "-1"):
        response = client.submit(rates, {"rate_currency": "ILS", "rate": value})
        assert response.status_code == 400
        assert f'value="{value}"' in response.get_data(as_text=True)
    response = client.submit(rates, {"rate_currency": "USD", "rate": "1.1"})
    assert response.status_code == 400 and "needs no exchange rate" in response.get_data(True)
    rate = db.session.scalar(select(ExchangeRate.rate).where(ExchangeRate.currency == "ILS"))
    assert rate == Decimal("0.275")

    response = client.submit(
        f"/cohorts/{cohort.id}/budget/currency", {"currency": "DOLLARS"},
        page=f"/cohorts/{cohort.id}/budget",
    )  # fmt: skip
    assert response.status_code == 400
    assert cohort.reporting_currency == "USD"


def test_an_empty_quantity_takes_the_one_suggested_from_the_stays(client, setting):
    cohort, _ = setting
    page = client.get(f"/cohorts/{cohort.id}/budget/lines/new").get_data(as_text=True)
    nights = re.search(r'data-unit="per_doctor_night"><th[^>]*>[^<]*</th><td>(\d+)', page)
    assert nights.group(1) == "21"  # 11 + 10 nights; the withdrawn doctor is not counted
    response = client.submit(
        f"/cohorts/{cohort.id}/budget/lines/new",
        {"category": "hotel", "unit": "per_doctor_night", "quantity": "", "unit_amount": "300",
         "currency": "ils", "sponsor_share": "100"},
    )  # fmt: skip
    assert response.status_code == 302
    line = db.session.scalar(select(BudgetLine).order_by(BudgetLine.id.desc()))
    assert (line.quantity, line.currency, line.unit_amount) == (21, "ILS", Decimal("300.00"))


def test_director_edits_and_deletes_a_line_and_its_costs_stay(client, setting):
    cohort, _ = setting
    line = db.session.scalar(select(BudgetLine).where(BudgetLine.currency == "ILS"))
    url = f"/cohorts/{cohort.id}/budget/lines/{line.id}"
    assert 'value="290.00"' in client.get(url).get_data(as_text=True)
    response = client.submit(url, {"category": "hotel", "unit": "per_doctor_night",
                                   "quantity": "20", "unit_amount": "310.50",
                                   "currency": "ILS", "sponsor_share": "40"})  # fmt: skip
    assert response.status_code == 302
    db.session.refresh(line)
    assert (line.quantity, line.unit_amount, line.sponsor_share_percent) == (20, D("310.50"), 40)
    line_id = line.id
    client.submit(f"{url}/delete", page=f"/cohorts/{cohort.id}/budget")
    assert db.session.get(BudgetLine, line_id) is None
    assert _count(Cost) == 6


D = Decimal


def test_an_invoice_that_is_no_pdf_or_image_is_refused_by_the_document_checks(client, setting):
    cohort, enrollments = setting
    url = f"/cohorts/{cohort.id}/budget/costs/new"
    form = {
        "category": "visa_fees",
        "budget_line": "",
        "enrollment": str(enrollments[1].id),
        "incurred_on": "2027-01-09",
        "amount": "25",
        "currency": "ILS",
        "supplier": "PIBA",
        "invoice_number": "ETA-77",
        "description": "",
        "sponsor_share": "",
    }
    costs, storage = _count(Cost), current_app.config["SOMET_STORAGE_DIR"]
    files_before = _files(storage)
    response = client.submit(
        url, {**form, "invoice": (io.BytesIO(b"<html><script>x</script>"), "invoice.pdf")},
        content_type="multipart/form-data",
    )  # fmt: skip
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Only PDF, JPEG and PNG files are accepted" in page
    assert 'value="ETA-77"' in page and 'value="PIBA"' in page  # what was typed is kept
    assert _count(Cost) == costs and _files(storage) == files_before

    response = client.submit(
        url, {**form, "invoice": (io.BytesIO(PDF), "eta.pdf")}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    cost = db.session.scalar(select(Cost).where(Cost.invoice_number == "ETA-77"))
    assert cost.invoice_content_type == "application/pdf" and cost.invoice_filename == "eta.pdf"
    assert cost.invoice_storage_name != "eta.pdf" and len(cost.invoice_storage_name) == 32
    download = client.get(f"/cohorts/{cohort.id}/budget/costs/{cost.id}/invoice")
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    cost_id = cost.id
    client.submit(
        f"/cohorts/{cohort.id}/budget/costs/{cost_id}/delete", page=f"/cohorts/{cohort.id}/budget"
    )
    assert db.session.get(Cost, cost_id) is None and _files(storage) == files_before


def _files(storage: str) -> set[str]:
    from pathlib import Path

    return {p.name for p in Path(storage).rglob("*") if p.is_file()}


def test_export_has_lines_costs_and_totals_that_match_the_rows(client, setting):
    cohort, _ = setting
    response = client.get(f"/cohorts/{cohort.id}/budget/export.xlsx")
    assert response.headers["Content-Disposition"].startswith("attachment")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Budget lines", "Costs", "Totals"]
    lines = list(book["Budget lines"].iter_rows(min_row=2, values_only=True))
    costs = list(book["Costs"].iter_rows(min_row=2, values_only=True))
    assert len(lines) == 4 and len(costs) == 6
    hotel = next(row for row in lines if row[5] == "ILS")
    assert hotel[6] == pytest.approx(6090.0) and book["Budget lines"]["G2"].number_format == (
        "#,##0.00"
    )
    assert sorted(row[7] for row in costs) == sorted(
        float(a) for a in db.session.scalars(select(Cost.amount))
    )
    totals = {row[0]: row for row in book["Totals"].iter_rows(min_row=2, values_only=True)}
    figures = expected(cohort.id, doctors=2)
    converted = totals["Total converted"]
    assert converted[1] == "USD"
    assert Decimal(str(converted[2])) == cents(figures["planned"])
    assert Decimal(str(converted[3])) == cents(figures["actual"])
    assert Decimal(str(totals["Total in KZT"][2])) == Decimal("830000.00")
    assert Decimal(str(totals["Sponsor's share"][3])) == cents(figures["actual_sponsor"])
    assert any(str(key).startswith("Rounding") for key in totals)


def test_budget_page_statements_do_not_grow_with_the_rows(app, client, setting, count_queries):
    cohort, _ = setting
    url = f"/cohorts/{cohort.id}/budget"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    money_cohort_more(app, cohort)
    with count_queries() as many:
        client.get(url)
    assert len(many) == len(few)


def money_cohort_more(app, cohort) -> None:
    from datetime import date

    from somet.models import BudgetUnit, CostCategory
    from tests import factories

    for n in range(30):
        factories._save(
            BudgetLine(cohort_id=cohort.id, category=CostCategory.OTHER, currency="EUR",
                       unit=BudgetUnit.LUMP_SUM, unit_amount=D(n), quantity=D(1))
        )  # fmt: skip
        enrollment = factories.make_enrollment(cohort)
        factories._save(
            Cost(cohort_id=cohort.id, category=CostCategory.OTHER, currency="EUR",
                 amount=D(n), incurred_on=date(2027, 1, 1), enrollment_id=enrollment.id)
        )  # fmt: skip


def test_changing_the_reporting_currency_clears_the_rates_made_against_the_old_one(client, setting):
    cohort, _ = setting
    url = f"/cohorts/{cohort.id}/budget"
    response = client.submit(f"{url}/currency", {"currency": "eur"}, page=url)
    assert response.status_code == 302
    db.session.refresh(cohort)
    assert cohort.reporting_currency == "EUR" and _count(ExchangeRate) == 0
    page = client.get(url).get_data(as_text=True)
    assert "Enter each exchange rate again, against EUR" in page
    for code in ("ILS", "KZT", "USD"):
        assert f"no exchange rate for {code}" in page
    assert "€" not in _row(page, "cohort")  # nothing converted with a stale rate


def test_a_quantity_beyond_the_ledger_is_refused_on_the_form(client, setting):
    cohort, _ = setting
    response = client.submit(
        f"/cohorts/{cohort.id}/budget/lines/new",
        {"category": "other", "unit": "lump_sum", "quantity": "123456789", "unit_amount": "1",
         "currency": "USD", "sponsor_share": "100"},
    )  # fmt: skip
    assert response.status_code == 400 and "The number is too large." in response.get_data(True)


def test_director_corrects_a_cost_and_a_new_invoice_replaces_the_old(client, setting):
    cohort, enrollments = setting
    storage = current_app.config["SOMET_STORAGE_DIR"]
    new = f"/cohorts/{cohort.id}/budget/costs/new"
    form = {"category": "transfers", "budget_line": "", "enrollment": "",
            "incurred_on": "2027-01-09", "amount": "240", "currency": "ILS",
            "supplier": "Haifa Shuttles", "invoice_number": "HS-1", "description": "",
            "sponsor_share": ""}  # fmt: skip
    client.submit(new, {**form, "invoice": (io.BytesIO(PDF), "hs-1.pdf")},
                  content_type="multipart/form-data")  # fmt: skip
    cost = db.session.scalar(select(Cost).where(Cost.invoice_number == "HS-1"))
    old_file = cost.invoice_storage_name
    url = f"/cohorts/{cost.cohort_id}/budget/costs/{cost.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'value="240.00"' in page and "Stored: hs-1.pdf" in page

    response = client.submit(url, {**form, "amount": "12.345"})
    assert response.status_code == 400 and 'value="Haifa Shuttles"' in response.get_data(True)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    response = client.submit(
        url, {**form, "amount": "260", "enrollment": str(enrollments[1].id),
              "invoice": (io.BytesIO(png), "hs-1b.png")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 302
    db.session.refresh(cost)
    assert (cost.amount, cost.enrollment_id) == (Decimal("260.00"), enrollments[1].id)
    assert cost.invoice_content_type == "image/png" and cost.invoice_storage_name != old_file
    assert old_file not in _files(storage) and cost.invoice_storage_name in _files(storage)
