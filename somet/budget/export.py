"""The cohort's budget and costs as a workbook: lines, costs, and the totals per currency and
converted, amounts as numbers with two decimals (rounded once, as on the page)."""

from __future__ import annotations

from flask_babel import gettext as _
from openpyxl import Workbook

from somet.budget.labels import ROUNDING_RULE, category_label, unit_label
from somet.budget.rules.money import Money
from somet.core.localisation import person_name
from somet.core.spreadsheets import add_table, workbook_bytes

AMOUNT_FORMAT = "#,##0.00"


def line_name(line) -> str:
    """A line as a choice names it: category, description, currency."""
    words = [category_label(line.category)]
    if line.description:
        words.append(line.description)
    return " — ".join(words) + f" ({line.currency})"


def _amount(money: Money | None):
    return None if money is None else money.rounded().amount


def budget_xlsx(page, language: str) -> bytes:
    """Three sheets: Budget lines, Costs, Totals."""
    book = Workbook()
    book.remove(book.active)
    figures = page.summary
    _sheet(
        book, _("Budget lines"),
        [_("Category"), _("Description"), _("Unit"), _("Quantity"), _("Amount per unit"),
         _("Currency"), _("Line total"), _("Sponsor's share (%)")],
        [[category_label(ln.category), ln.description, unit_label(ln.unit), ln.quantity,
          ln.unit_amount, ln.currency, _amount(figures.line_totals[ln.id]),
          ln.sponsor_share_percent] for ln in page.lines],
    )  # fmt: skip
    enrollments = page.enrollment_of
    _sheet(
        book, _("Costs"),
        [_("Date"), _("Category"), _("Budget line"), _("For"), _("Supplier"),
         _("Invoice number"), _("Description"), _("Amount"), _("Currency"),
         _("Sponsor's share (%)"), _("Invoice file")],
        [[cost.incurred_on, category_label(cost.category),
          line_name(cost.budget_line) if cost.budget_line else "",
          _doctor(enrollments.get(cost.enrollment_id), language), cost.supplier or "",
          cost.invoice_number or "", cost.description, cost.amount, cost.currency,
          cost.sponsor_share_percent, cost.invoice_filename or ""] for cost in page.costs],
    )  # fmt: skip
    _sheet(book, _("Totals"), [_("Figure"), _("Currency"), _("Planned"), _("Actual")],
           _total_rows(page))  # fmt: skip
    return workbook_bytes(book)


def _doctor(enrollment, language: str) -> str:
    if enrollment is None:
        return _("The whole cohort")
    doctor = enrollment.doctor
    return person_name(doctor.first_name, doctor.last_name, doctor.native_name, language)


def _total_rows(page) -> list[list]:
    figures = page.summary
    reporting = page.cohort.reporting_currency
    rows = []
    currencies = sorted(set(figures.planned.per_currency) | set(figures.actual.per_currency))
    for code in currencies:
        rows.append([
            _("Total in %(currency)s", currency=code), code,
            _amount(figures.planned.per_currency.get(code)),
            _amount(figures.actual.per_currency.get(code)),
        ])  # fmt: skip
    rows.append([_("Total converted"), reporting, _amount(figures.planned.converted),
                 _amount(figures.actual.converted)])  # fmt: skip
    rows.append([_("Sponsor's share"), reporting, _amount(figures.planned_sponsor.converted),
                 _amount(figures.actual_sponsor.converted)])  # fmt: skip
    rows.append([_("The centre's share"), reporting, _amount(figures.planned_centre.converted),
                 _amount(figures.actual_centre.converted)])  # fmt: skip
    rows.append(
        [
            _("Per doctor (%(count)s doctors)", count=figures.doctors),
            reporting,
            _amount(figures.planned_per_doctor),
            _amount(figures.actual_per_doctor),
        ]
    )
    for code in figures.missing:
        rows.append([_("No exchange rate for %(currency)s", currency=code), code, None, None])
    rows.append([str(ROUNDING_RULE), "", None, None])
    return rows


def _sheet(book: Workbook, title: str, heads: list[str], rows: list[list]) -> None:
    sheet = add_table(book, title, heads, rows)
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if cell.data_type == "n" and cell.value is not None:
                cell.number_format = AMOUNT_FORMAT
            elif cell.is_date:
                cell.number_format = "yyyy-mm-dd"
