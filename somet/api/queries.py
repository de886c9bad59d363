"""What the API reads: one page or one object of each kind, through the same visibility
rules as the pages (``visible_to``, the masterclasses' own rule), keyset-paged by id.

Each page is one statement (plus one per collection it loads with ``selectinload``),
whatever its size and depth.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from somet.cohorts.operations import cohort_list_query, doctor_list_query, hospital_choices
from somet.masterclasses.queries import visible_masterclasses
from somet.models import (
    ApiToken,
    Certificate,
    Cohort,
    CohortHost,
    Department,
    Doctor,
    Enrollment,
    Hospital,
    Masterclass,
    Placement,
    User,
)
from somet.web.access import visible_to
from somet.web.extensions import db


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: int | None  # the last item's id when more follow


def page_of(query: Select, model: type, limit: int, cursor: int | None) -> Page:
    """``limit`` rows of ``query`` after id ``cursor``, by id: one statement."""
    if cursor is not None:
        query = query.where(model.id > cursor)
    query = query.order_by(None).order_by(model.id).limit(limit + 1)
    rows = list(db.session.scalars(query).unique())
    items = rows[:limit]
    return Page(items, items[-1].id if len(rows) > limit and items else None)


def _one(query: Select, model: type, object_id: int):
    return db.session.scalars(query.where(model.id == object_id)).unique().first()


# --- cohorts --------------------------------------------------------------------------------


def cohorts(actor: User, filters) -> Select:
    query = cohort_list_query(filters.search or "", "", filters.status or "")
    if filters.year:
        first, last = date(filters.year, 1, 1), date(filters.year, 12, 31)
        query = query.where(Cohort.start_date <= last, Cohort.end_date >= first)
    return visible_to(actor, Cohort, query)


def cohort(actor: User, cohort_id: int) -> Cohort | None:
    query = select(Cohort).options(selectinload(Cohort.hosts).joinedload(CohortHost.hospital))
    return _one(visible_to(actor, Cohort, query), Cohort, cohort_id)


# --- doctors --------------------------------------------------------------------------------


def doctors(actor: User, filters) -> Select:
    query = doctor_list_query(filters.search or "", "", filters.specialty or "")
    if filters.cohort_id:
        query = query.where(
            Doctor.id.in_(
                select(Enrollment.doctor_id).where(Enrollment.cohort_id == filters.cohort_id)
            )
        )
    return visible_to(actor, Doctor, query)


def doctor(actor: User, doctor_id: int) -> Doctor | None:
    return _one(visible_to(actor, Doctor), Doctor, doctor_id)


# --- placements -----------------------------------------------------------------------------

_PLACEMENT_LOADS = (
    joinedload(Placement.enrollment),
    joinedload(Placement.department),
    joinedload(Placement.curriculum_item),
)


def placements(actor: User, filters) -> Select:
    query = select(Placement).options(*_PLACEMENT_LOADS)
    if filters.cohort_id:
        query = query.where(
            Placement.enrollment_id.in_(
                select(Enrollment.id).where(Enrollment.cohort_id == filters.cohort_id)
            )
        )
    if filters.doctor_id:
        query = query.where(
            Placement.enrollment_id.in_(
                select(Enrollment.id).where(Enrollment.doctor_id == filters.doctor_id)
            )
        )
    if filters.hospital_id:
        query = query.where(
            Placement.department_id.in_(
                select(Department.id).where(Department.hospital_id == filters.hospital_id)
            )
        )
    if filters.status:
        query = query.where(Placement.status == filters.status)
    if filters.date_from:
        query = query.where(Placement.end_date >= filters.date_from)
    if filters.date_to:
        query = query.where(Placement.start_date <= filters.date_to)
    return visible_to(actor, Placement, query)


def placement(actor: User, placement_id: int) -> Placement | None:
    query = select(Placement).options(
        *_PLACEMENT_LOADS[:1],
        _PLACEMENT_LOADS[2],
        joinedload(Placement.department).joinedload(Department.hospital),
        selectinload(Placement.attendance),
    )
    return _one(visible_to(actor, Placement, query), Placement, placement_id)


# --- masterclasses --------------------------------------------------------------------------


def masterclasses(actor: User, filters) -> Select:
    query = visible_masterclasses(actor, select(Masterclass))
    if filters.cohort_id:
        query = query.where(Masterclass.cohort_id == filters.cohort_id)
    if filters.hospital_id:
        query = query.where(Masterclass.hospital_id == filters.hospital_id)
    if filters.date_from:
        query = query.where(Masterclass.ends_at >= _start_of(filters.date_from))
    if filters.date_to:
        query = query.where(Masterclass.starts_at < _start_of(filters.date_to + timedelta(1)))
    return query


def masterclass(actor: User, masterclass_id: int) -> Masterclass | None:
    return _one(visible_masterclasses(actor, select(Masterclass)), Masterclass, masterclass_id)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


# --- certificates ---------------------------------------------------------------------------

_CERTIFICATE_LOADS = (joinedload(Certificate.doctor), joinedload(Certificate.enrollment))


def certificates(actor: User, filters) -> Select:
    query = select(Certificate).options(*_CERTIFICATE_LOADS)
    if filters.cohort_id:
        query = query.where(
            Certificate.enrollment_id.in_(
                select(Enrollment.id).where(Enrollment.cohort_id == filters.cohort_id)
            )
        )
    if filters.doctor_id:
        query = query.where(Certificate.doctor_id == filters.doctor_id)
    if filters.serial:
        query = query.where(Certificate.serial == filters.serial.strip().upper())
    if filters.kind:
        query = query.where(Certificate.kind == filters.kind)
    if filters.revoked is not None:
        revoked = Certificate.revoked_at.is_not(None)
        query = query.where(revoked if filters.revoked else ~revoked)
    return visible_to(actor, Certificate, query)


def certificate(actor: User, certificate_id: int) -> Certificate | None:
    query = select(Certificate).options(*_CERTIFICATE_LOADS)
    return _one(visible_to(actor, Certificate, query), Certificate, certificate_id)


# --- the administrator's token pages ---------------------------------------------------------


def tokens() -> list[ApiToken]:
    """Every integration token, live ones first, with its hospital (one statement)."""
    return db.session.scalars(
        select(ApiToken)
        .options(joinedload(ApiToken.hospital))
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.name, ApiToken.id)
    ).all()


def token(api_token_id: int) -> ApiToken | None:
    return db.session.get(ApiToken, api_token_id)


def hospital(hospital_id: int) -> Hospital | None:
    return db.session.get(Hospital, hospital_id)


def hospitals_to_limit_to() -> list[tuple[int, str]]:
    """The hospitals a token may be limited to: the active ones, as the cohort form offers."""
    return hospital_choices()
