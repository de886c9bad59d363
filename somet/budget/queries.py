"""What the budget pages, the export and the funder's report read: a fixed number of
statements per page (each list one statement, its relations named), whatever the rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache, cached_property

from sqlalchemy import and_, bindparam, distinct, func, select
from sqlalchemy.orm import joinedload

from somet.budget.rules import money, summary
from somet.models import (
    BudgetLine,
    Cohort,
    Cost,
    Enrollment,
    EnrollmentStatus,
    ExchangeRate,
    User,
)
from somet.web.extensions import db

CENT = Decimal("0.01")
CATEGORY_ORDER = {name: position for position, name in enumerate(summary.CATEGORIES)}


@dataclass(frozen=True)
class RateRow:
    currency: str
    rate: Decimal
    entered_by: str | None
    entered_at: datetime


@dataclass
class BudgetPage:
    cohort: Cohort
    lines: list[BudgetLine]
    costs: list[Cost]
    rates: list[RateRow]
    roster: list[Enrollment]  # enrolled and not withdrawn
    others: list[Enrollment]  # withdrawn (a cost may still name them)
    summary: summary.Summary
    suggested: dict[str, Decimal] = field(default_factory=dict)

    @property
    def currencies(self) -> list[str]:
        """Every currency the budget uses besides the reporting currency."""
        used = {line.currency for line in self.lines} | {cost.currency for cost in self.costs}
        used |= {rate.currency for rate in self.rates}
        return sorted(used - {self.cohort.reporting_currency})

    @property
    def rate_of(self) -> dict[str, RateRow]:
        return {rate.currency: rate for rate in self.rates}

    @cached_property
    def enrollment_of(self) -> dict[int, Enrollment]:
        """Each enrollment by id, made once a page (every cost and doctor row looks one up)."""
        return {e.id: e for e in self.roster + self.others}


# Each built once (parameter ``cohort_id``): building and compiling them cost about as much
# CPU as running them, on a page a director reads often.
@cache
def _lines_statement():
    cohort_id = bindparam("cohort_id")
    return select(BudgetLine).where(BudgetLine.cohort_id == cohort_id).order_by(BudgetLine.id)


@cache
def _costs_statement():
    return (
        select(Cost)
        .where(Cost.cohort_id == bindparam("cohort_id"))
        .options(joinedload(Cost.budget_line))
        .order_by(Cost.incurred_on, Cost.id)
    )


@cache
def _rates_statement():
    return (
        select(ExchangeRate.currency, ExchangeRate.rate, User.full_name, ExchangeRate.entered_at)
        .outerjoin(User, User.id == ExchangeRate.entered_by_id)
        .where(ExchangeRate.cohort_id == bindparam("cohort_id"))
        .order_by(ExchangeRate.currency)
    )


@cache
def _enrollments_statement():
    return (
        select(Enrollment)
        .where(Enrollment.cohort_id == bindparam("cohort_id"))
        .options(joinedload(Enrollment.doctor))
        .order_by(Enrollment.id)
    )


def stay_of(enrollment: Enrollment, cohort: Cohort) -> money.Stay:
    return money.Stay(
        enrollment.arrival_date or cohort.start_date,
        enrollment.departure_date or cohort.end_date,
    )


def cohort_budget(cohort_id: int) -> BudgetPage | None:
    """The cohort's lines, costs, rates and doctors, and every figure made of them."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        return None
    at = {"cohort_id": cohort_id}
    lines = db.session.scalars(_lines_statement(), at).all()
    lines = sorted(lines, key=lambda ln: (CATEGORY_ORDER[ln.category.value], ln.position, ln.id))
    costs = db.session.scalars(_costs_statement(), at).all()
    rates = [RateRow(*row) for row in db.session.execute(_rates_statement(), at)]
    enrollments = db.session.scalars(_enrollments_statement(), at).all()
    roster = [e for e in enrollments if e.status != EnrollmentStatus.WITHDRAWN]
    others = [e for e in enrollments if e.status == EnrollmentStatus.WITHDRAWN]
    figures = summary.summarise(
        [_line_facts(line) for line in lines],
        [_cost_facts(cost) for cost in costs],
        {rate.currency: rate.rate for rate in rates},
        cohort.reporting_currency,
        [e.id for e in roster],
    )
    stays = [stay_of(e, cohort) for e in roster]
    suggested = {unit: money.suggested_quantity(unit, stays) for unit in UNITS}
    return BudgetPage(cohort, list(lines), list(costs), list(rates), roster, others, figures,
                      suggested)  # fmt: skip


UNITS = ("lump_sum", "per_doctor", "per_doctor_week", "per_doctor_night", "per_doctor_day")


def _line_facts(line: BudgetLine) -> summary.LineFacts:
    return summary.LineFacts(
        line.id, line.category.value, line.currency, line.unit_amount, line.quantity,
        line.sponsor_share_percent,
    )  # fmt: skip


def _cost_facts(cost: Cost) -> summary.CostFacts:
    line_share = cost.budget_line.sponsor_share_percent if cost.budget_line else None
    return summary.CostFacts(
        cost.id, cost.category.value, cost.currency, cost.amount,
        summary.sponsor_percent(cost.sponsor_share_percent, line_share), cost.enrollment_id,
    )  # fmt: skip


def suggested_quantities(cohort_id: int) -> dict[str, Decimal]:
    """Each unit's quantity from the stays of the doctors enrolled and not withdrawn."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        return {}
    stays = [
        money.Stay(arrival or cohort.start_date, departure or cohort.end_date)
        for arrival, departure in db.session.execute(
            select(Enrollment.arrival_date, Enrollment.departure_date).where(
                Enrollment.cohort_id == cohort_id,
                Enrollment.status != EnrollmentStatus.WITHDRAWN,
            )
        )
    ]
    return {unit: money.suggested_quantity(unit, stays) for unit in UNITS}


def cohort_line_choices(cohort_id: int) -> list[BudgetLine]:
    return list(
        db.session.scalars(
            select(BudgetLine).where(BudgetLine.cohort_id == cohort_id).order_by(BudgetLine.id)
        )
    )


def cohort_enrollments(cohort_id: int) -> list[Enrollment]:
    return list(
        db.session.scalars(
            select(Enrollment)
            .where(Enrollment.cohort_id == cohort_id)
            .options(joinedload(Enrollment.doctor))
            .order_by(Enrollment.id)
        )
    )


def line_of(cohort_id: int, line_id: int) -> BudgetLine | None:
    return db.session.scalar(
        select(BudgetLine).where(BudgetLine.id == line_id, BudgetLine.cohort_id == cohort_id)
    )


def cost_of(cohort_id: int, cost_id: int) -> Cost | None:
    return db.session.scalar(select(Cost).where(Cost.id == cost_id, Cost.cohort_id == cohort_id))


def invoice_of(cohort_id: int, cost_id: int) -> Cost | None:
    """The cost of this cohort whose invoice file is stored, or None."""
    return db.session.scalar(
        select(Cost).where(
            Cost.id == cost_id,
            Cost.cohort_id == cohort_id,
            Cost.invoice_storage_name.is_not(None),
        )
    )


# --- the funder's report --------------------------------------------------------------------


@dataclass(frozen=True)
class CostPerDoctor:
    """Actual costs of the report's cohorts reporting in one currency, per doctor trained."""

    reporting: str
    total: money.Money | None  # None: a rate is missing
    doctors: int
    per_doctor: money.Money | None
    missing: tuple[str, ...] = ()


def costs_per_doctor(cohort_ids) -> list[CostPerDoctor]:
    """Two statements whatever the history: costs summed per cohort and currency with the
    cohort's rate, and doctors trained per reporting currency. Empty when no costs."""
    rate = and_(ExchangeRate.cohort_id == Cost.cohort_id, ExchangeRate.currency == Cost.currency)
    sums = db.session.execute(
        select(Cohort.reporting_currency, Cost.currency, ExchangeRate.rate, func.sum(Cost.amount))
        .join(Cohort, Cohort.id == Cost.cohort_id)
        .outerjoin(ExchangeRate, rate)
        .where(Cost.cohort_id.in_(cohort_ids))
        .group_by(Cohort.reporting_currency, Cost.cohort_id, Cost.currency, ExchangeRate.rate)
    ).all()
    trained = dict(
        db.session.execute(
            select(Cohort.reporting_currency, func.count(distinct(Enrollment.doctor_id)))
            .join(Enrollment, Enrollment.cohort_id == Cohort.id)
            .where(Cohort.id.in_(cohort_ids), Enrollment.status == EnrollmentStatus.COMPLETED)
            .group_by(Cohort.reporting_currency)
        ).all()
    )
    groups: dict[str, list] = {}
    for reporting, currency, found_rate, amount in sums:
        amount = Decimal(amount).quantize(CENT)  # amounts have at most 2 decimals
        groups.setdefault(reporting, []).append((currency, found_rate, amount))
    found = []
    for reporting, parts in sorted(groups.items()):
        total, missing = money.zero(reporting), []
        for currency, found_rate, amount in parts:
            rates = {} if found_rate is None else {currency: Decimal(found_rate)}
            converted = money.convert(money.Money(amount, currency), rates, reporting)
            if converted is None:
                missing.append(currency)
            else:
                total = total + converted
        doctors = int(trained.get(reporting, 0))
        whole = None if missing else total
        per_doctor = money.divide(whole, doctors)
        found.append(CostPerDoctor(reporting, whole, doctors, per_doctor, tuple(sorted(missing))))
    return found
