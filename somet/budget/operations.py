"""A cohort's money: reporting currency, exchange rates, budget lines and actual costs.

Each function is one business action (views, the demo and any CLI use them alike): it checks
that the actor is staff and the objects belong to the cohort, validates the money by the
pure rules (``rules.money``), writes an audit event and commits. An invoice file goes
through the documents feature's own checks and storage (type from its bytes, size limit,
stored under a random name).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from somet.audit.operations import record_event
from somet.budget.rules import money
from somet.core.errors import NotFound, ValidationFailed
from somet.core.problems import problem
from somet.documents.operations import (
    clean_filename,
    read_upload,
    remove_document_files,
    store_document_file,
)
from somet.models import (
    BudgetLine,
    BudgetUnit,
    Cohort,
    Cost,
    CostCategory,
    Enrollment,
    ExchangeRate,
    User,
    utcnow,
)
from somet.web.access import require_staff
from somet.web.database import lock_for_write
from somet.web.extensions import db
from somet.web.problem_texts import describe_all


def _refuse_problems(*problems) -> None:
    found = [p for p in problems if p is not None]
    if found:
        raise ValidationFailed(describe_all(found))


def _start(actor: User, cohort_id: int) -> Cohort:
    """Staff only, the cohort's money serialised, the cohort loaded (or NotFound)."""
    require_staff(actor)
    lock_for_write(db.session, f"budget:{cohort_id}")
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound(_("No such cohort."))
    return cohort


def set_reporting_currency(actor: User, cohort_id: int, currency: str) -> bool:
    """The currency the cohort's totals are converted to; its rates are cleared (they were
    against the previous one). False when it already was."""
    currency = (currency or "").strip().upper()
    cohort = _start(actor, cohort_id)
    _refuse_problems(money.currency_problem(currency))
    previous = cohort.reporting_currency
    if currency == previous:
        db.session.rollback()
        return False
    # Each rate says how many units of the OLD reporting currency a unit is worth: kept, it
    # would convert into the new one with the wrong value. The director enters them anew.
    dropped = db.session.scalars(
        select(ExchangeRate.currency).where(ExchangeRate.cohort_id == cohort.id)
    ).all()
    db.session.execute(delete(ExchangeRate).where(ExchangeRate.cohort_id == cohort.id))
    cohort.reporting_currency = currency
    record_event(
        actor, "budget.currency_set", cohort, currency=currency, previous=previous,
        rates_cleared=sorted(dropped),
    )  # fmt: skip
    db.session.commit()
    return True


def set_rate(actor: User, cohort_id: int, currency: str, rate: Decimal) -> ExchangeRate:
    """Enter (or change) how many reporting-currency units one unit of ``currency`` is."""
    currency = (currency or "").strip().upper()
    cohort = _start(actor, cohort_id)
    _refuse_problems(money.currency_problem(currency))
    if currency == cohort.reporting_currency:
        _refuse_problems(problem("money.rate_for_reporting_currency", currency=currency))
    if not isinstance(rate, Decimal) or rate <= 0:
        _refuse_problems(problem("money.rate_not_positive"))
    entry = db.session.scalar(
        select(ExchangeRate).where(
            ExchangeRate.cohort_id == cohort.id, ExchangeRate.currency == currency
        )
    )
    previous = entry.rate if entry else None
    actor_id = actor.id  # read before a new row is pending (a lazy load would flush it)
    if entry is None:
        entry = ExchangeRate(cohort_id=cohort.id, currency=currency, rate=rate)
        db.session.add(entry)
    entry.rate, entry.entered_by_id, entry.entered_at = rate, actor_id, utcnow()
    db.session.flush()
    record_event(
        actor, "budget.rate_set", entry, currency=currency, rate=str(rate),
        previous=None if previous is None else str(previous),
    )  # fmt: skip
    db.session.commit()
    return entry


@dataclass(frozen=True)
class LineInput:
    category: CostCategory
    description: str
    unit: BudgetUnit
    quantity: Decimal
    unit_amount: Decimal
    currency: str
    sponsor_share_percent: Decimal


def _checked_line(data: LineInput) -> None:
    currency = data.currency.strip().upper()
    _refuse_problems(money.currency_problem(currency))
    _amount, found = money.parse_amount(str(data.unit_amount), currency)
    _refuse_problems(found)
    _refuse_problems(money.parse_quantity(str(data.quantity))[1])
    if not Decimal(0) <= data.sponsor_share_percent <= Decimal(100):
        raise ValidationFailed(_("Quantity and sponsor's share must be within their limits."))


def save_line(actor: User, cohort_id: int, data: LineInput, line_id: int | None = None):
    """Add a budget line to the cohort, or change one of its lines."""
    cohort = _start(actor, cohort_id)
    _checked_line(data)
    line = BudgetLine(cohort_id=cohort.id) if line_id is None else _line(cohort.id, line_id)
    line.category, line.unit = data.category, data.unit
    line.description = data.description.strip()
    line.quantity, line.unit_amount = data.quantity, data.unit_amount
    line.currency = data.currency.strip().upper()
    line.sponsor_share_percent = data.sponsor_share_percent
    db.session.add(line)
    db.session.flush()
    action = "budget.line_added" if line_id is None else "budget.line_changed"
    record_event(
        actor, action, line, category=line.category.value, currency=line.currency,
        unit_amount=str(line.unit_amount), quantity=str(line.quantity),
    )  # fmt: skip
    db.session.commit()
    return line


def _line(cohort_id: int, line_id: int) -> BudgetLine:
    line = db.session.scalar(
        select(BudgetLine).where(BudgetLine.id == line_id, BudgetLine.cohort_id == cohort_id)
    )
    if line is None:
        raise NotFound(_("This cohort has no such budget line."))
    return line


def delete_line(actor: User, cohort_id: int, line_id: int) -> None:
    """Remove a budget line; costs recorded against it stay, against no line."""
    cohort = _start(actor, cohort_id)
    line = _line(cohort.id, line_id)
    record_event(actor, "budget.line_removed", line, category=line.category.value)
    db.session.execute(
        update(Cost).where(Cost.budget_line_id == line.id).values(budget_line_id=None)
    )
    db.session.delete(line)
    db.session.commit()


@dataclass(frozen=True)
class CostInput:
    category: CostCategory
    description: str
    amount: Decimal  # negative: a refund
    currency: str
    incurred_on: date
    supplier: str = ""
    invoice_number: str = ""
    budget_line_id: int | None = None
    enrollment_id: int | None = None
    sponsor_share_percent: Decimal | None = None


@dataclass(frozen=True)
class InvoiceUpload:
    stream: BinaryIO
    filename: str | None


def record_cost(
    actor: User, cohort_id: int, data: CostInput, storage_dir: str,
    invoice: InvoiceUpload | None = None,
) -> Cost:  # fmt: skip
    """Record money spent for the cohort (or one of its doctors), with its invoice file."""
    cohort = _start(actor, cohort_id)
    cost = Cost(cohort_id=cohort.id, recorded_by_id=actor.id)
    return _save_cost(actor, cost, data, storage_dir, invoice, "cost.recorded")


def change_cost(
    actor: User, cohort_id: int, cost_id: int, data: CostInput, storage_dir: str,
    invoice: InvoiceUpload | None = None,
) -> Cost:  # fmt: skip
    """Correct a recorded cost; a new invoice file replaces the old one (kept otherwise)."""
    cohort = _start(actor, cohort_id)
    return _save_cost(actor, _cost(cohort.id, cost_id), data, storage_dir, invoice,
                      "cost.changed")  # fmt: skip


def _save_cost(actor, cost: Cost, data: CostInput, storage_dir: str, invoice, action: str):
    currency = data.currency.strip().upper()
    _refuse_problems(money.currency_problem(currency))
    _refuse_problems(money.parse_amount(str(data.amount), currency, negative=True)[1])
    if data.budget_line_id is not None:
        _line(cost.cohort_id, data.budget_line_id)
    if data.enrollment_id is not None:
        _enrollment(cost.cohort_id, data.enrollment_id)
    cost.category, cost.description = data.category, data.description.strip()
    cost.amount, cost.currency, cost.incurred_on = data.amount, currency, data.incurred_on
    cost.supplier = data.supplier.strip() or None
    cost.invoice_number = data.invoice_number.strip() or None
    cost.budget_line_id, cost.enrollment_id = data.budget_line_id, data.enrollment_id
    cost.sponsor_share_percent = data.sponsor_share_percent
    replaced = cost.invoice_storage_name if invoice else None
    stored = _attach_invoice(cost, invoice, storage_dir) if invoice else None
    try:
        db.session.add(cost)
        db.session.flush()
        record_event(
            actor, action, cost, category=cost.category.value, currency=currency,
            amount=str(cost.amount), invoice=bool(stored),
        )  # fmt: skip
        db.session.commit()
    except Exception:
        db.session.rollback()
        if stored:
            remove_document_files(storage_dir, [stored])  # no file without its row
        raise
    if replaced:
        remove_document_files(storage_dir, [replaced])
    return cost


def _cost(cohort_id: int, cost_id: int) -> Cost:
    cost = db.session.scalar(select(Cost).where(Cost.id == cost_id, Cost.cohort_id == cohort_id))
    if cost is None:
        raise NotFound(_("This cohort has no such cost."))
    return cost


def _attach_invoice(cost: Cost, invoice: InvoiceUpload, storage_dir: str) -> str:
    """Check the file as a travel document is checked, store it, note it on ``cost``."""
    content, content_type = read_upload(invoice.stream)  # ValidationFailed: nothing stored
    name = store_document_file(storage_dir, content)
    cost.invoice_storage_name = name
    cost.invoice_filename = clean_filename(invoice.filename)
    cost.invoice_content_type = content_type
    cost.invoice_size_bytes = len(content)
    cost.invoice_sha256 = hashlib.sha256(content).hexdigest()
    return name


def _enrollment(cohort_id: int, enrollment_id: int) -> Enrollment:
    found = db.session.scalar(
        select(Enrollment).where(Enrollment.id == enrollment_id, Enrollment.cohort_id == cohort_id)
    )
    if found is None:
        raise NotFound(_("This cohort has no such doctor."))
    return found


def delete_cost(actor: User, cohort_id: int, cost_id: int, storage_dir: str | Path) -> None:
    """Remove a recorded cost and its invoice file."""
    cohort = _start(actor, cohort_id)
    cost = _cost(cohort.id, cost_id)
    name = cost.invoice_storage_name
    record_event(actor, "cost.removed", cost, amount=str(cost.amount), currency=cost.currency)
    db.session.delete(cost)
    db.session.commit()
    if name:
        remove_document_files(str(storage_dir), [name])
