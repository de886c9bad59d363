"""Demo money for the upcoming cohort: reporting in USD, rates for ILS, KZT and EUR entered by
the director, a budget (host fees per doctor-week, flights, the hotel per doctor-night, per
diem per doctor-day, insurance, visa fees) and the first costs (the group's flights invoice,
the hotel's deposit, one doctor's visa fee), all through the budget's operations."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from somet.budget import operations as budget
from somet.budget import queries as budget_queries
from somet.demo import data
from somet.demo.documents import tiny_pdf
from somet.demo.hosts import DIRECTOR, demo_user
from somet.models import BudgetUnit, Cohort, CostCategory, Enrollment
from somet.web.extensions import db

D = Decimal
C, U = CostCategory, BudgetUnit
# 1 unit of the currency = rate US dollars, as the director entered them (no rate service)
RATES = {"ILS": D("0.2750"), "KZT": D("0.00198"), "EUR": D("1.0850")}
# category, description, unit, amount per unit, currency, sponsor's share (%)
LINES = [
    (C.HOST_FEES, "Observership fees, Rambam and Hadassah", U.PER_DOCTOR_WEEK, "1500", "USD", 100),
    (C.FLIGHTS, "Almaty – Tel Aviv return, group fare", U.PER_DOCTOR, "415000", "KZT", 100),
    (C.HOTEL, "Twin rooms, Haifa", U.PER_DOCTOR_NIGHT, "290", "ILS", 100),
    (C.PER_DIEM, "Meals and local transport", U.PER_DOCTOR_DAY, "45", "USD", 50),
    (C.INSURANCE, "Travel medical insurance", U.PER_DOCTOR, "38", "EUR", 0),
    (C.VISA_FEES, "ETA-IL entry authorisations", U.PER_DOCTOR, "25", "ILS", 100),
]
FLIGHTS_INVOICE = "AST-2026-118734"


def load_demo_budget() -> None:
    """The upcoming cohort's budget and first costs."""
    director = demo_user(DIRECTOR)
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == data.UPCOMING_COHORT["name"]))
    budget.set_reporting_currency(director, cohort.id, "USD")
    for currency, rate in RATES.items():
        budget.set_rate(director, cohort.id, currency, rate)
    suggested = budget_queries.suggested_quantities(cohort.id)
    lines = {}
    for category, description, unit, amount, currency, share in LINES:
        entry = budget.LineInput(
            category, description, unit, suggested[unit.value], D(amount), currency, D(share)
        )
        lines[category] = budget.save_line(director, cohort.id, entry).id
    _costs(director, cohort.id, lines, int(suggested[U.PER_DOCTOR.value]))


def _costs(director, cohort_id: int, lines: dict, doctors: int) -> None:
    storage = current_app.config["SOMET_STORAGE_DIR"]
    first_doctor = db.session.scalar(
        select(Enrollment.id).where(Enrollment.cohort_id == cohort_id).order_by(Enrollment.id)
    )
    costs = [
        (
            budget.CostInput(
                C.FLIGHTS, f"Group ticket, {doctors} passengers", D(409500) * doctors, "KZT",
                date(2026, 11, 24), "Air Astana", FLIGHTS_INVOICE, lines[C.FLIGHTS],
            ),
            budget.InvoiceUpload(_pdf(f"Air Astana invoice {FLIGHTS_INVOICE}"), "air-astana.pdf"),
        ),
        (
            budget.CostInput(
                C.HOTEL, "Deposit, 30 %", D("16500.00"), "ILS", date(2026, 12, 1),
                "Dan Panorama Haifa", "DP-55120", lines[C.HOTEL],
            ),
            None,
        ),
        (
            budget.CostInput(
                C.VISA_FEES, "ETA-IL", D("25.00"), "ILS", date(2026, 12, 3), "Population and "
                "Immigration Authority", "", lines[C.VISA_FEES], first_doctor,
            ),
            None,
        ),
    ]  # fmt: skip
    for entry, invoice in costs:
        budget.record_cost(director, cohort_id, entry, storage, invoice)


def _pdf(text: str) -> io.BytesIO:
    return io.BytesIO(tiny_pdf(text))
