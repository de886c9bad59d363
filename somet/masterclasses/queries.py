"""Reading masterclasses for lists and detail pages: counts in SQL, one query per list."""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import bindparam, func, or_, select, tuple_
from sqlalchemy.orm import aliased, joinedload

from somet.masterclasses.operations import open_to_doctor_clause
from somet.models import (
    Cohort,
    CohortStatus,
    Hospital,
    Masterclass,
    Registration,
    RegistrationStatus,
    Role,
    User,
)
from somet.web.extensions import db

# A list page: the next page starts from the class after its last row (keyset, no count).
PER_PAGE = 30
_END_OF_TIME = datetime.max.replace(tzinfo=UTC)  # the upper end of "not yet over"


class MasterclassView(NamedTuple):
    """What the detail page shows of a masterclass (flat: no lazy loading possible)."""

    id: int
    title: str
    description: str | None
    lead_specialist: str
    lead_title: str | None
    venue: str
    city: str
    country: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    credit_hours: float
    hospital_id: int | None
    cohort_id: int | None
    hospital_name: str | None
    cohort_name: str | None
    video_url: str | None = None


class MasterclassSummary(NamedTuple):
    """What a list row shows of a masterclass: only the columns the row prints (descriptions
    and video links stay on the detail page)."""

    id: int
    title: str
    lead_specialist: str
    lead_title: str | None
    venue: str
    city: str
    country: str
    timezone: str
    starts_at: datetime
    capacity: int
    credit_hours: float
    hospital_name: str | None
    cohort_name: str | None

    @property
    def led_by(self) -> str:
        """The lead specialist with their title: ``Prof. Dana Mor, Head of Surgery``."""
        if self.lead_title:
            return f"{self.lead_specialist}, {self.lead_title}"
        return self.lead_specialist

    @property
    def place(self) -> str:
        """``Hall B, Almaty, Kazakhstan``: one line for a list row."""
        return f"{self.venue}, {self.city}, {self.country}"


@dataclass(slots=True)
class MasterclassRow:
    masterclass: MasterclassView | MasterclassSummary  # a summary on lists
    held: int  # registered or attended
    waitlisted: int
    my_status: RegistrationStatus | None = None

    @property
    def places_left(self) -> int:
        return max(self.masterclass.capacity - self.held, 0)


_JOINED_COLUMNS = {
    "hospital_name": Hospital.name.label("hospital_name"),
    "cohort_name": Cohort.name.label("cohort_name"),
}


def _columns(view: type[NamedTuple]) -> list:
    """The SELECT columns of a view, by its field names (a masterclass's own, or joined)."""
    return [
        _JOINED_COLUMNS[name] if name in _JOINED_COLUMNS else getattr(Masterclass, name)
        for name in view._fields
    ]


def _view_for(mode: str) -> type[MasterclassView | MasterclassSummary]:
    return MasterclassView if mode == "one" else MasterclassSummary


# A row's view columns, picked by name (cheaper per row than a dict and **kwargs).
_FIELDS_OF = {
    view: operator.itemgetter(*view._fields) for view in (MasterclassView, MasterclassSummary)
}


def _count_of(statuses):
    return (
        select(func.count(Registration.id))
        .where(
            Registration.masterclass_id == Masterclass.id,
            # "=" / "OR": bound once, where IN (...) re-renders its SQL on every run.
            or_(*(Registration.status == status for status in statuses)),
        )
        .correlate(Masterclass)
        .scalar_subquery()
    )


@functools.cache
def _listing(audience: str, mode: str, paged_from: bool = False):
    """The list statement for an audience (staff, coordinator, doctor) and a mode, built once.

    Parameters: ``me`` (the doctor, or -1), ``hospital_id``, ``after``, ``masterclass_id``
    and, ``paged_from``, ``from_id``: the class a later page starts with (keyset, on the
    list's own order of start and id). Building this SELECT with its subqueries cost more
    per request than running it.
    """
    my_status = (
        select(Registration.status)
        .where(
            Registration.masterclass_id == Masterclass.id,
            Registration.doctor_id == bindparam("me"),
        )
        .correlate(Masterclass)
        .scalar_subquery()
    )
    query = (
        select(
            *_columns(_view_for(mode)),
            _count_of(RegistrationStatus.HOLDING).label("held"),
            _count_of((RegistrationStatus.WAITLISTED,)).label("waitlisted"),
            my_status.label("my_status"),
        )
        .outerjoin(Hospital, Hospital.id == Masterclass.hospital_id)
        .outerjoin(Cohort, Cohort.id == Masterclass.cohort_id)
    )
    if audience == "coordinator":
        query = query.where(Masterclass.hospital_id == bindparam("hospital_id"))
    elif audience == "doctor":
        query = query.where(open_to_doctor_clause(bindparam("me")))
    if mode == "one":
        return query.where(Masterclass.id == bindparam("masterclass_id"))
    position = tuple_(Masterclass.starts_at, Masterclass.id)
    start_of_page = tuple_(
        select(Masterclass.starts_at)
        .where(Masterclass.id == bindparam("from_id"))
        .scalar_subquery(),
        bindparam("from_id"),
    )
    # One row more than a page: whether a next page exists, and the class it starts with.
    if mode == "upcoming":
        # A closed range, not an open ">=": PostgreSQL's generic plan guesses an open one keeps
        # a third of the classes and walks the start index through every class ever held; a
        # range it reads from the end index, from now (``until`` is the end of time).
        query = query.where(Masterclass.ends_at.between(bindparam("after"), bindparam("until")))
        if paged_from:
            query = query.where(position >= start_of_page)
        order = (Masterclass.starts_at, Masterclass.id)
    else:
        if paged_from:
            query = query.where(position <= start_of_page)
        order = (Masterclass.starts_at.desc(), Masterclass.id.desc())
    return query.order_by(*order).limit(PER_PAGE + 1)


def _audience(user: User) -> str:
    if user.role.is_staff:
        return "staff"
    return "coordinator" if user.role == Role.COORDINATOR else "doctor"


@dataclass(frozen=True)
class MasterclassPage:
    rows: list[MasterclassRow]
    next_from: int | None  # the class the next page starts with; None on the last page


def masterclass_page(
    user: User, *, upcoming_after: datetime | None, from_id: int | None = None
) -> MasterclassPage:
    """A page of the masterclasses ``user`` may see, with their counts. One query.

    ``upcoming_after`` lists the classes not yet over, soonest first; None lists every
    class, latest first. ``from_id`` is the class a later page starts with (a
    ``next_from``). Counts are correlated subqueries on the (masterclass, status) index: a
    few index lookups per shown class, however many registrations there are in all.
    """
    mode = "all" if upcoming_after is None else "upcoming"
    rows = _rows(user, mode, after=upcoming_after, from_id=from_id)
    if len(rows) > PER_PAGE:
        return MasterclassPage(rows[:PER_PAGE], rows[PER_PAGE].masterclass.id)
    return MasterclassPage(rows, None)


def _rows(user: User, mode: str, **values) -> list[MasterclassRow]:
    params = {
        "me": user.doctor_id or -1,
        "hospital_id": user.hospital_id or -1,
        "after": values.get("after"),
        "until": _END_OF_TIME,
        "masterclass_id": values.get("masterclass_id"),
        "from_id": values.get("from_id"),
    }
    view = _view_for(mode)
    fields = _FIELDS_OF[view]
    statement = _listing(_audience(user), mode, values.get("from_id") is not None)
    rows = db.session.execute(statement, params).mappings()
    return [
        MasterclassRow(
            view._make(fields(row)),
            held=row["held"],
            waitlisted=row["waitlisted"],
            my_status=row["my_status"],
        )
        for row in rows
    ]


def visible_masterclasses(user: User, query=None):
    """Directors: every class; coordinators: those at their hospital; doctors: open ones."""
    query = query if query is not None else select(Masterclass)
    if user.role.is_staff:
        return query
    if user.role == Role.COORDINATOR:
        return query.where(Masterclass.hospital_id == user.hospital_id)
    return query.where(open_to_doctor_clause(user.doctor_id))


def masterclass_row(user: User, masterclass_id: int) -> MasterclassRow | None:
    """One visible masterclass with its counts (None: not there or not for this user)."""
    rows = _rows(user, "one", masterclass_id=masterclass_id)
    return rows[0] if rows else None


# Built once (parameter ``masterclass_id``): building an entity SELECT with its eager load
# and cache key cost more than running it.
_REGISTRATIONS_WITH_DOCTORS = (
    select(Registration)
    .join(Registration.doctor)
    .options(joinedload(Registration.doctor))
    .where(Registration.masterclass_id == bindparam("masterclass_id"))
    .order_by(Registration.status, Registration.created_at, Registration.id)
)


def registrations_for(masterclass_id: int) -> list[Registration]:
    """Everyone on the list, the waitlist in its order, with the doctors. One query."""
    parameters = {"masterclass_id": masterclass_id}
    return list(db.session.scalars(_REGISTRATIONS_WITH_DOCTORS, parameters))


def waitlist_position(row: MasterclassRow, doctor_id: int) -> int | None:
    """1 for the first in line; None when the doctor is not waiting. The row already says
    whether they wait (``my_status``): only a waiting doctor's place costs a statement."""
    if row.my_status != RegistrationStatus.WAITLISTED:
        return None
    parameters = {"masterclass_id": row.masterclass.id, "doctor_id": doctor_id}
    return db.session.scalar(_place_in_line(), parameters)


@functools.cache
def _place_in_line():
    """The doctor's place on the class's waitlist: those waiting since before them, plus one.
    Built once (parameters ``masterclass_id``, ``doctor_id``)."""
    mine = aliased(Registration)
    return (
        select(func.count(Registration.id) + 1)
        .select_from(mine)
        .join(
            Registration,
            (Registration.masterclass_id == mine.masterclass_id)
            & (Registration.status == RegistrationStatus.WAITLISTED)
            & (
                (Registration.created_at < mine.created_at)
                | ((Registration.created_at == mine.created_at) & (Registration.id < mine.id))
            ),
            isouter=True,
        )
        .where(
            mine.masterclass_id == bindparam("masterclass_id"),
            mine.doctor_id == bindparam("doctor_id"),
            mine.status == RegistrationStatus.WAITLISTED,
        )
    )


def public_masterclass(masterclass_id: int) -> Masterclass | None:
    """A class open to all doctors, for its public page (None for a cohort's class)."""
    return db.session.scalar(
        select(Masterclass).where(Masterclass.id == masterclass_id, Masterclass.cohort_id.is_(None))
    )


def host_choices():
    """(id, name) of every hospital, by name: where a class may take place."""
    return db.session.execute(select(Hospital.id, Hospital.name).order_by(Hospital.name)).all()


def cohorts_to_open_to(cohort_id: int | None = None):
    """(id, name) of the cohorts a class may be opened to, newest first: those not yet
    archived (coming or under way), and the class's own ``cohort_id``. Years of settled
    cohorts would make the list, and the form, grow with history."""
    return db.session.execute(
        select(Cohort.id, Cohort.name)
        .where(or_(Cohort.status != CohortStatus.ARCHIVED, Cohort.id == cohort_id))
        .order_by(Cohort.start_date.desc())
    ).all()
