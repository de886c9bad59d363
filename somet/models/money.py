"""Money: a cohort's budget lines, the exchange rates its director entered, and actual costs.

Amounts are `Numeric` (read as `Decimal`) with their ISO 4217 currency beside them, never a
float. A cohort reports in one currency; each other currency it uses has one rate, entered by
hand (SOMET reaches no rate service), meaning "one unit of `currency` is `rate` units of the
reporting currency".
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from somet.models.base import Base, UTCDateTime, enum_column, rel, utcnow


class CostCategory(enum.StrEnum):
    HOST_FEES = "host_fees"
    FLIGHTS = "flights"
    HOTEL = "hotel"
    PER_DIEM = "per_diem"
    INSURANCE = "insurance"
    VISA_FEES = "visa_fees"
    TRANSFERS = "transfers"
    OTHER = "other"


class BudgetUnit(enum.StrEnum):
    """What a budget line's quantity counts."""

    LUMP_SUM = "lump_sum"
    PER_DOCTOR = "per_doctor"
    PER_DOCTOR_WEEK = "per_doctor_week"  # hosts' observership fees
    PER_DOCTOR_NIGHT = "per_doctor_night"  # hotel
    PER_DOCTOR_DAY = "per_doctor_day"  # per diem


class BudgetLine(Base):
    __tablename__ = "budget_lines"
    __table_args__ = (
        CheckConstraint("unit_amount >= 0", name="unit_amount_not_negative"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint(
            "sponsor_share_percent >= 0 AND sponsor_share_percent <= 100",
            name="sponsor_share_is_percent",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    category: Mapped[CostCategory] = mapped_column(enum_column(CostCategory, "cost_category"))
    description: Mapped[str] = mapped_column(String(200), default="")
    currency: Mapped[str] = mapped_column(String(3))
    unit: Mapped[BudgetUnit] = mapped_column(enum_column(BudgetUnit, "budget_unit"))
    unit_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal(1))
    # The part of this line the sponsor pays; the centre pays the rest.
    sponsor_share_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort = rel("Cohort")


class ExchangeRate(Base):
    __tablename__ = "exchange_rates"
    __table_args__ = (
        UniqueConstraint("cohort_id", "currency"),
        CheckConstraint("rate > 0", name="rate_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    currency: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 8))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    cohort = rel("Cohort")


class Cost(Base):
    """Money actually spent (or invoiced), against a budget line or not, for the whole cohort
    or for one doctor; the invoice's file is kept like a travel document."""

    __tablename__ = "costs"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    budget_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("budget_lines.id", ondelete="SET NULL"), index=True
    )
    enrollment_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrollments.id", ondelete="SET NULL"), index=True
    )
    category: Mapped[CostCategory] = mapped_column(enum_column(CostCategory, "cost_category"))
    description: Mapped[str] = mapped_column(String(200), default="")
    supplier: Mapped[str | None] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))  # negative: a refund or credit note
    incurred_on: Mapped[date] = mapped_column(Date)
    # None: the budget line's share (or 100 % without a line)
    sponsor_share_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    invoice_number: Mapped[str | None] = mapped_column(String(60))
    invoice_storage_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    invoice_filename: Mapped[str | None] = mapped_column(String(255))
    invoice_content_type: Mapped[str | None] = mapped_column(String(50))
    invoice_size_bytes: Mapped[int | None] = mapped_column(Integer)
    invoice_sha256: Mapped[str | None] = mapped_column(String(64))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort = rel("Cohort")
    budget_line = rel("BudgetLine")
    enrollment = rel("Enrollment")
