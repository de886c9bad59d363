"""A cohort with money for the budget tests: three doctors (one withdrawn), rates for ILS and
KZT, budget lines in three currencies and costs (cohort-wide, one doctor's, a refund), written
through the budget's operations; and the figures recomputed in plain Python from the rows."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency
from sqlalchemy import select

from somet.budget import operations as budget
from somet.models import (
    BudgetLine,
    BudgetUnit,
    Cost,
    CostCategory,
    EnrollmentStatus,
    ExchangeRate,
)
from somet.web.extensions import db
from tests import factories

D = Decimal
C, U = CostCategory, BudgetUnit


def money_cohort(director, storage_dir: str):
    """(cohort, enrollments) with the rates, lines and costs above."""
    cohort = factories.make_cohort()  # 7 to 18 March 2027: 12 days, 11 nights, 2 weeks
    enrollments = [
        factories.make_enrollment(cohort, arrival_date=cohort.start_date),
        factories.make_enrollment(cohort, arrival_date=date(2027, 3, 8)),  # a day late
        factories.make_enrollment(cohort, status=EnrollmentStatus.WITHDRAWN),
    ]
    budget.set_rate(director, cohort.id, "ILS", D("0.275"))
    budget.set_rate(director, cohort.id, "KZT", D("0.00198"))
    for category, unit, quantity, amount, currency, share in (
        (C.HOST_FEES, U.PER_DOCTOR_WEEK, "4", "1500.00", "USD", "100"),
        (C.FLIGHTS, U.PER_DOCTOR, "2", "415000.00", "KZT", "100"),
        (C.HOTEL, U.PER_DOCTOR_NIGHT, "21", "290.00", "ILS", "50"),
        (C.PER_DIEM, U.PER_DOCTOR_DAY, "23", "45.50", "USD", "0"),
    ):
        line = budget.LineInput(category, "", unit, D(quantity), D(amount), currency, D(share))
        budget.save_line(director, cohort.id, line)
    hotel = db.session.scalar(select(BudgetLine.id).where(BudgetLine.category == C.HOTEL))
    for entry in (
        budget.CostInput(C.FLIGHTS, "Group fare", D("819000.00"), "KZT", date(2027, 1, 5)),
        budget.CostInput(C.HOTEL, "Deposit", D("1.00"), "ILS", date(2027, 1, 6),
                         budget_line_id=hotel),
        budget.CostInput(C.HOTEL, "Deposit", D("1.00"), "ILS", date(2027, 1, 6),
                         budget_line_id=hotel),
        budget.CostInput(C.HOTEL, "Deposit", D("1.00"), "ILS", date(2027, 1, 6),
                         budget_line_id=hotel),
        budget.CostInput(C.VISA_FEES, "ETA-IL", D("25.00"), "ILS", date(2027, 1, 7),
                         enrollment_id=enrollments[0].id),
        budget.CostInput(C.OTHER, "Refund", D("-10.00"), "USD", date(2027, 1, 8)),
    ):  # fmt: skip
        budget.record_cost(director, cohort.id, entry, storage_dir)
    return cohort, enrollments


def rows(cohort_id: int):
    lines = db.session.scalars(select(BudgetLine).where(BudgetLine.cohort_id == cohort_id)).all()
    costs = db.session.scalars(select(Cost).where(Cost.cohort_id == cohort_id)).all()
    rates = {
        r.currency: r.rate
        for r in db.session.scalars(select(ExchangeRate).where(ExchangeRate.cohort_id == cohort_id))
    }
    return lines, costs, rates


def cents(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), ROUND_HALF_UP)


def usd(value: Decimal, locale: str = "en") -> str:
    return format_currency(cents(value), "USD", locale=locale)


def expected(cohort_id: int, doctors: int) -> dict[str, Decimal]:
    """The page's figures from the rows, with Decimal arithmetic and nothing of SOMET's."""
    lines, costs, rates = rows(cohort_id)
    rates["USD"] = D(1)
    planned = sum(ln.unit_amount * ln.quantity * rates[ln.currency] for ln in lines)
    actual = sum(c.amount * rates[c.currency] for c in costs)
    shares = {ln.id: ln.sponsor_share_percent for ln in lines}
    planned_sponsor = sum(
        ln.unit_amount * ln.quantity * rates[ln.currency] * ln.sponsor_share_percent / 100
        for ln in lines
    )
    actual_sponsor = sum(
        c.amount * rates[c.currency] * shares.get(c.budget_line_id, D(100)) / 100 for c in costs
    )
    return {
        "planned": planned,
        "actual": actual,
        "planned_sponsor": planned_sponsor,
        "planned_centre": planned - planned_sponsor,
        "actual_sponsor": actual_sponsor,
        "actual_centre": actual - actual_sponsor,
        "planned_per_doctor": planned / doctors,
        "actual_per_doctor": actual / doctors,
    }
