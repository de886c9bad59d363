"""Journey: after `flask demo`, the director opens the upcoming cohort's budget, enters an
exchange rate, records a cost with its invoice file, downloads the invoice and the workbook,
and finds the cost per doctor in the funder's report; a coordinator sees none of it.
Only HTTP and the CLI: no factories, no model writes."""

from __future__ import annotations

import html
import io
import re
from decimal import Decimal

import openpyxl

from somet.demo.data import DEMO_PASSWORD, UPCOMING_COHORT
from somet.demo.documents import tiny_pdf

SPONSOR = UPCOMING_COHORT["sponsor"]


def _login(client, email: str) -> None:
    response = client.submit("/login", {"email": email, "password": DEMO_PASSWORD}, page="/login")
    assert response.status_code == 302


def _row(page: str, figure: str) -> str:
    return re.search(rf'<tr data-figure="{figure}">(.*?)</tr>', page, re.DOTALL).group(1)


def _dollars(text: str) -> list[Decimal]:
    return [Decimal(v.replace(",", "")) for v in re.findall(r"\$([\d,]+\.\d\d)", text)]


def test_director_budgets_the_upcoming_cohort_and_reports_its_cost_per_doctor(client, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    _login(client, "director@example.org")
    cohorts = client.get("/cohorts").get_data(as_text=True)
    name = html.escape(UPCOMING_COHORT["name"])
    cohort_url = re.search(rf'<a href="(/cohorts/\d+)"[^>]*>{name}<', cohorts).group(1)
    overview = client.get(cohort_url).get_data(as_text=True)
    budget_url = re.search(r'href="(/cohorts/\d+/budget)"', overview).group(1)

    # The demo's budget: rates for three currencies, lines and the first costs.
    page = client.get(budget_url).get_data(as_text=True)
    for code, rate in (("ILS", "0.275"), ("KZT", "0.00198"), ("EUR", "1.085")):
        assert f"1 {code} = {rate} USD" in page
    assert "AST-2026-118734" in page and "Dan Panorama Haifa" in page
    planned, actual = _dollars(_row(page, "cohort"))

    # A new rate for the tenge: the converted totals follow it.
    response = client.submit(
        f"{budget_url}/rates", {"rate_currency": "kzt", "rate": "0.0021"}, page=budget_url
    )
    assert response.status_code == 302
    page = client.get(budget_url).get_data(as_text=True)
    assert "1 KZT = 0.0021 USD" in page and "Gulmira Abenova" in page  # who entered it
    assert _dollars(_row(page, "cohort"))[0] > planned

    # A cost with its invoice file: the transfers from the airport.
    form_url = f"{budget_url}/costs/new"
    form = client.get(form_url).get_data(as_text=True)
    assert "The whole cohort" in form
    invoice = tiny_pdf("Haifa Shuttles invoice HS-3021")
    response = client.submit(
        form_url,
        {"category": "transfers", "budget_line": "", "enrollment": "", "description": "Airport",
         "incurred_on": "2026-12-10", "amount": "2 400,00", "currency": "ILS",
         "supplier": "Haifa Shuttles", "invoice_number": "HS-3021", "sponsor_share": "",
         "invoice": (io.BytesIO(invoice), "hs-3021.pdf")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(budget_url).get_data(as_text=True)
    assert "HS-3021" in page and "₪2,400.00" in page
    actual_now = _dollars(_row(page, "cohort"))[1]
    assert actual_now != actual  # the cost is counted, at the new KZT rate
    invoice_url = re.search(r'href="(/cohorts/\d+/budget/costs/\d+/invoice)">hs-3021.pdf', page)
    download = client.get(invoice_url.group(1))
    assert download.data == invoice and download.headers["X-Content-Type-Options"] == "nosniff"

    export = client.get(re.search(r'href="(/cohorts/\d+/budget/export\.xlsx)"', page).group(1))
    book = openpyxl.load_workbook(io.BytesIO(export.data))
    totals = {row[0]: row for row in book["Totals"].iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(totals["Total converted"][3])).quantize(Decimal("0.01")) == actual_now
    assert any(row[5] == "HS-3021" for row in book["Costs"].iter_rows(values_only=True))

    report = client.get("/reports/funder", query_string={"sponsor": SPONSOR})
    text = report.get_data(as_text=True)
    section = text[text.index('id="section-costs"') : text.index("</section>", text.index(
        'id="section-costs"'))]  # fmt: skip
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", section)
    currency, total, trained, per_doctor = cells[:4]
    assert currency == "USD" and Decimal(total.replace(",", "")) == actual_now
    expected = Decimal(total.replace(",", "")) / int(trained)
    assert abs(Decimal(per_doctor.replace(",", "")) - expected) < Decimal("0.01")
    assert "Cost per doctor: the actual costs recorded" in text

    # Coordinators (and doctors) never see money.
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    _login(client, "coordinator@example.org")
    assert client.get(budget_url).status_code == 403
    assert client.get(invoice_url.group(1)).status_code == 403
