"""PURE: the figures of a cohort's budget page from plain facts (lines, costs, rates, doctors).

Per doctor: a doctor's own costs plus an equal share of the cohort-wide costs (those recorded
for no one doctor), shared among the doctors enrolled and not withdrawn. Sponsor's share: a
cost's own percentage, else its budget line's, else 100 %; the centre pays the rest.
Rounding: see ``money`` (full precision throughout, each shown total rounded once).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from somet.budget.rules.money import Money, Totals, divide, share, totals
from somet.core.problems import Problem, problem

CATEGORIES = (
    "host_fees", "flights", "hotel", "per_diem", "insurance", "visa_fees", "transfers", "other",
)  # fmt: skip
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LineFacts:
    id: int
    category: str
    currency: str
    unit_amount: Decimal
    quantity: Decimal
    sponsor_percent: Decimal

    @property
    def total(self) -> Money:
        return Money(self.unit_amount * self.quantity, self.currency)


@dataclass(frozen=True)
class CostFacts:
    id: int
    category: str
    currency: str
    amount: Decimal
    sponsor_percent: Decimal  # already resolved: own, else the line's, else 100
    enrollment_id: int | None = None

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)


def sponsor_percent(own: Decimal | None, line: Decimal | None) -> Decimal:
    """A cost's sponsor share: its own, else its budget line's, else all of it."""
    if own is not None:
        return own
    return line if line is not None else HUNDRED


@dataclass
class CategoryRow:
    category: str
    planned: Totals
    actual: Totals

    @property
    def difference(self) -> Money | None:
        """Actual minus planned, converted (None when a rate is missing)."""
        if self.planned.converted is None or self.actual.converted is None:
            return None
        return self.actual.converted - self.planned.converted


@dataclass
class DoctorRow:
    enrollment_id: int
    own: Totals
    shared: Money | None  # the equal share of cohort-wide costs (None: withdrawn, or no rate)
    total: Money | None


@dataclass
class Summary:
    reporting: str
    line_totals: dict[int, Money] = field(default_factory=dict)
    categories: list[CategoryRow] = field(default_factory=list)
    planned: Totals | None = None
    actual: Totals | None = None
    planned_sponsor: Totals | None = None
    planned_centre: Totals | None = None
    actual_sponsor: Totals | None = None
    actual_centre: Totals | None = None
    cohort_wide: Totals | None = None
    doctors: int = 0
    planned_per_doctor: Money | None = None
    actual_per_doctor: Money | None = None
    shared_per_doctor: Money | None = None
    doctor_rows: list[DoctorRow] = field(default_factory=list)

    @property
    def missing(self) -> tuple[str, ...]:
        """Every currency used without an exchange rate to the reporting currency."""
        found = set(self.planned.missing if self.planned else ())
        found |= set(self.actual.missing if self.actual else ())
        return tuple(sorted(found))

    @property
    def problems(self) -> list[Problem]:
        """``money.missing_rate`` for each currency used without a rate."""
        return [problem("money.missing_rate", currency=code) for code in self.missing]


def summarise(
    lines: Iterable[LineFacts],
    costs: Iterable[CostFacts],
    rates: Mapping[str, Decimal],
    reporting: str,
    doctors: Iterable[int],
) -> Summary:
    """Every figure of the budget page; ``doctors`` are the enrollments not withdrawn."""
    lines, costs, doctors = list(lines), list(costs), list(doctors)
    summary = Summary(reporting, doctors=len(doctors))
    summary.line_totals = {line.id: line.total for line in lines}

    def total(moneys: Iterable[Money]) -> Totals:
        return totals(moneys, rates, reporting)

    summary.planned = total(line.total for line in lines)
    summary.actual = total(cost.money for cost in costs)
    summary.planned_sponsor = total(share(ln.total, ln.sponsor_percent) for ln in lines)
    summary.planned_centre = total(share(ln.total, HUNDRED - ln.sponsor_percent) for ln in lines)
    summary.actual_sponsor = total(share(c.money, c.sponsor_percent) for c in costs)
    summary.actual_centre = total(share(c.money, HUNDRED - c.sponsor_percent) for c in costs)
    summary.categories = [
        CategoryRow(
            category,
            total(ln.total for ln in lines if ln.category == category),
            total(c.money for c in costs if c.category == category),
        )
        for category in CATEGORIES
        if any(ln.category == category for ln in lines)
        or any(c.category == category for c in costs)
    ]
    summary.planned_per_doctor = divide(summary.planned.converted, len(doctors))
    summary.actual_per_doctor = divide(summary.actual.converted, len(doctors))
    summary.cohort_wide = total(c.money for c in costs if c.enrollment_id is None)
    summary.shared_per_doctor = divide(summary.cohort_wide.converted, len(doctors))
    summary.doctor_rows = _doctor_rows(costs, rates, reporting, doctors, summary)
    return summary


def _doctor_rows(costs, rates, reporting, doctors, summary: Summary) -> list[DoctorRow]:
    active = set(doctors)
    ids = list(doctors) + sorted({c.enrollment_id for c in costs if c.enrollment_id} - active)
    rows = []
    for enrollment_id in ids:
        own = totals((c.money for c in costs if c.enrollment_id == enrollment_id), rates, reporting)
        shared = summary.shared_per_doctor if enrollment_id in active else None
        if own.converted is None:
            whole = None
        elif enrollment_id in active:
            whole = None if shared is None else own.converted + shared
        else:
            whole = own.converted
        rows.append(DoctorRow(enrollment_id, own, shared, whole))
    return rows
