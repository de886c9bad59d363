"""The budget's categories and units in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from somet.models import BudgetUnit, CostCategory

CATEGORY_LABELS = {
    CostCategory.HOST_FEES: _l("Host fees"),
    CostCategory.FLIGHTS: _l("Flights"),
    CostCategory.HOTEL: _l("Hotel"),
    CostCategory.PER_DIEM: _l("Per diem"),
    CostCategory.INSURANCE: _l("Insurance"),
    CostCategory.VISA_FEES: _l("Visa fees"),
    CostCategory.TRANSFERS: _l("Transfers"),
    CostCategory.OTHER: _l("Other"),
}
UNIT_LABELS = {
    BudgetUnit.PER_DOCTOR_WEEK: _l("per doctor-week"),
    BudgetUnit.PER_DOCTOR_NIGHT: _l("per doctor-night"),
    BudgetUnit.PER_DOCTOR_DAY: _l("per doctor-day"),
    BudgetUnit.PER_DOCTOR: _l("per doctor"),
    BudgetUnit.LUMP_SUM: _l("lump sum"),
}

# The rounding rule of rules.money, in words (the page and the workbook state it).
ROUNDING_RULE = _l(
    "Rounding: amounts are entered with at most the currency's decimals (more are refused). "
    "Each amount is converted at full precision; each total is rounded once, to the "
    "currency's minor units, half up, so a converted total may differ by a cent from the sum "
    "of rounded parts."
)
PER_DOCTOR_RULE = _l(
    "Per doctor: a doctor's own costs plus an equal share of the cohort-wide costs, shared "
    "among the doctors enrolled and not withdrawn."
)


def category_label(value) -> str:
    return str(CATEGORY_LABELS[CostCategory(str(value))])


def unit_label(value) -> str:
    return str(UNIT_LABELS[BudgetUnit(str(value))])


def category_choices() -> list[SelectChoice]:
    return [SelectChoice(c.value, label) for c, label in CATEGORY_LABELS.items()]


def unit_choices() -> list[SelectChoice]:
    return [SelectChoice(u.value, label) for u, label in UNIT_LABELS.items()]
