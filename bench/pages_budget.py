"""Every cohort's money for bench/pages.py, as the budget's operations write it: the director's
exchange rates (reporting in US dollars), a budget of six lines whose quantities are the ones
the budget page suggests from the doctors' stays, and the costs recorded against them (the
group's flights, the hotel's deposit and balance, the hosts' fees, per diem, insurance and a
visa fee per doctor) for the cohorts that have begun; a cohort ahead has its flights booked.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from somet.budget.rules import money
from somet.models import (
    BudgetLine,
    BudgetUnit,
    Cohort,
    Cost,
    CostCategory,
    Enrollment,
    EnrollmentStatus,
    ExchangeRate,
)

D, C, U = Decimal, CostCategory, BudgetUnit
# 1 unit of the currency = rate US dollars, as the director entered them (no rate service)
RATES = {"ILS": D("0.2750"), "KZT": D("0.00198"), "EUR": D("1.0850")}
# category, description, unit, amount per unit, currency, sponsor's share (%), supplier
LINES = [
    (C.HOST_FEES, "Observership fees", U.PER_DOCTOR_WEEK, "1500", "USD", 100, "Host hospital"),
    (C.FLIGHTS, "Almaty – Tel Aviv return, group fare", U.PER_DOCTOR, "415000", "KZT", 100,
     "Air Astana"),
    (C.HOTEL, "Twin rooms, Haifa", U.PER_DOCTOR_NIGHT, "290", "ILS", 100, "Dan Panorama Haifa"),
    (C.PER_DIEM, "Meals and local transport", U.PER_DOCTOR_DAY, "45", "USD", 50, None),
    (C.INSURANCE, "Travel medical insurance", U.PER_DOCTOR, "38", "EUR", 0, "Allianz Care"),
    (C.VISA_FEES, "ETA-IL entry authorisations", U.PER_DOCTOR, "25", "ILS", 100,
     "Population and Immigration Authority"),
]  # fmt: skip


def build_budgets(db, rows, rng, starts: dict[int, date], today: date, director: int) -> None:
    """Rates, lines and costs of every cohort (``starts``: each one's first day)."""
    ends = dict(db.execute(select(Cohort.id, Cohort.end_date)).all())
    enrollments = {cohort_id: [] for cohort_id in starts}
    for enrollment_id, cohort_id in db.execute(
        select(Enrollment.id, Enrollment.cohort_id)
        .where(Enrollment.status != EnrollmentStatus.WITHDRAWN)
        .order_by(Enrollment.id)
    ):  # fmt: skip
        enrollments[cohort_id].append(enrollment_id)
    rates, lines, costs = [], [], []
    for cohort_id, start in starts.items():
        entered = datetime.combine(start - timedelta(days=75), time(10), UTC)
        rates += [
            dict(cohort_id=cohort_id, currency=currency, rate=rate, entered_by_id=director,
                 entered_at=entered)
            for currency, rate in RATES.items()
        ]  # fmt: skip
        stays = [money.Stay(start, ends[cohort_id])] * len(enrollments[cohort_id])
        for position, (category, text, unit, amount, currency, share, supplier) in enumerate(LINES):
            line_id = len(lines) + 1
            lines.append(dict(
                id=line_id, cohort_id=cohort_id, category=category, description=text,
                currency=currency, unit=unit, unit_amount=D(amount),
                quantity=money.suggested_quantity(unit.value, stays),
                sponsor_share_percent=D(share), position=position, created_at=entered,
            ))  # fmt: skip
            doctors = enrollments[cohort_id]
            costs += _costs(rng, lines[-1], supplier, doctors, start, today, director)
    rows(db, ExchangeRate, rates)
    rows(db, BudgetLine, lines)
    rows(db, Cost, costs)


def _costs(rng, line: dict, supplier, enrollment_ids, start: date, today: date, director: int):
    """What was spent on one line by ``today``: about its budget, a few percent either way."""
    category, cohort_id = line["category"], line["cohort_id"]
    budgeted = line["unit_amount"] * line["quantity"]
    spent = []

    def cost(amount, description, day, enrollment_id=None, invoice=None):
        if day <= today:
            spent.append(dict(
                cohort_id=cohort_id, budget_line_id=line["id"], enrollment_id=enrollment_id,
                category=category, description=description, supplier=supplier,
                currency=line["currency"], amount=D(amount).quantize(D("0.01")), incurred_on=day,
                sponsor_share_percent=None, invoice_number=invoice, recorded_by_id=director,
                recorded_at=datetime.combine(day + timedelta(days=2), time(12), UTC),
            ))  # fmt: skip

    drift = D(rng.randint(90, 108)) / 100
    if category == C.FLIGHTS:
        cost(budgeted * drift, f"Group ticket, {len(enrollment_ids)} passengers",
             start - timedelta(days=40), invoice=f"AST-{start.year}-{cohort_id:06d}")  # fmt: skip
    elif category == C.HOTEL:
        deposit = start - timedelta(days=20)
        cost(budgeted * D("0.3"), "Deposit, 30 %", deposit, invoice=f"HTL-{cohort_id:06d}")
        cost(budgeted * (drift - D("0.3")), "Balance", start + timedelta(days=14))
    elif category == C.VISA_FEES:
        for enrollment_id in enrollment_ids:
            cost(line["unit_amount"], "ETA-IL", start - timedelta(days=25), enrollment_id)
    else:
        cost(budgeted * drift, line["description"], start + timedelta(days=14))
    return spent
