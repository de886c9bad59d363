"""What the timeline and capacity pages show, loaded in a fixed number of queries.

Both pages depend on the number of doctors only through the size of their result sets: the
cohort, its hosts, its doctors, its placements and the departments are each one query.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import joinedload

from somet.core.errors import NotFound
from somet.core.localisation import PersonName
from somet.core.workdays import is_working_day, parse_weekdays
from somet.hospitals import queries as hospital_days
from somet.models import (
    Cohort,
    CohortHost,
    CurriculumItem,
    Department,
    Doctor,
    Enrollment,
    EnrollmentStatus,
    Hospital,
    HospitalHoliday,
    Placement,
    PlacementStatus,
    constant,
)
from somet.planning.rules.timeline import (
    PALETTE_SIZE,
    Segment,
    off_day_shading,
    placement_segments,
    rotation_codes,
)
from somet.web.extensions import db


@dataclass
class Day:
    day: date
    off: bool  # no host hospital works that day (weekend or holiday everywhere)
    note: str = ""  # holidays and partial closures, for the column's tooltip


@dataclass(slots=True)
class TimelinePlacement:
    """A placement as the timeline shows it (read as plain columns: a cohort has hundreds)."""

    id: int
    enrollment_id: int
    status: PlacementStatus
    start_date: date
    end_date: date
    department_id: int
    department_name: str
    hospital_name: str
    working_weekdays: str  # the hospital's, e.g. "0,1,2,3,6"
    rotation_id: int
    rotation: str
    doctor_name: PersonName  # shown with the person_name filter, in the page's name order
    decided_by_name: str | None
    decline_reason: str | None
    editable: bool = False  # not yet done: the timeline opens its edit page
    mark: str = ""  # the status as a sign, for segments too narrow for words
    colour: int = 0  # the rotation's colour on the timeline (.tl-c0 ...)
    code: str = ""  # the rotation's short code, for segments too narrow for its name
    short_label: str = ""  # the status sign and the code: "? GIM"

    def weekday_numbers(self) -> frozenset[int]:
        return _weekdays(self.working_weekdays)


# The status as a sign on the timeline (the legend explains them).
STATUS_MARKS = {
    PlacementStatus.PROPOSED: "○",
    PlacementStatus.REQUESTED: "?",
    PlacementStatus.CONFIRMED: "✓",
    PlacementStatus.COMPLETED: "✓",
}
_UPCOMING = frozenset(PlacementStatus.UPCOMING)
_STANDING = frozenset(PlacementStatus.STANDING)


@functools.lru_cache(maxsize=64)
def _weekdays(working_weekdays: str) -> frozenset[int]:
    """"0,1,2,3,6" -> {0, 1, 2, 3, 6}: a handful of distinct weeks, made sets once each."""
    return frozenset(parse_weekdays(working_weekdays))


@dataclass(slots=True)
class TimelineDoctor:
    enrollment_id: int
    first_name: str
    last_name: str
    specialty: str | None
    native_name: str | None = None

    @property
    def name(self) -> str:
        """In the order the roster and the rest of the site print it."""
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class TimelineRotation:
    """A rotation of the legend: its name, short code and colour."""

    name: str
    code: str
    colour: int


@dataclass
class Row:
    doctor: TimelineDoctor
    segments: list[Segment] = field(default_factory=list)  # laid out by planning/rules


@dataclass
class Timeline:
    cohort: Cohort
    days: list[Day]
    rows: list[Row]
    rotations: list[TimelineRotation]
    declined: list[TimelinePlacement]
    counts: dict[PlacementStatus, int]
    off_days: str  # the CSS shading of the days no host works, drawn once for all rows


# What the planning pages read of a cohort: its hosts and their hospitals, on the cohort's rows (a
# cohort has a host or two: a statement less than reading them apart). Results: ``unique()``.
HOSTS_LOADED = joinedload(Cohort.hosts).joinedload(CohortHost.hospital)


def load_cohort(cohort_id: int) -> Cohort:
    cohort = (
        db.session.scalars(select(Cohort).where(Cohort.id == cohort_id).options(HOSTS_LOADED))
        .unique()
        .first()
    )
    if cohort is None:
        raise NotFound(_("There is no such cohort."))
    return cohort


@dataclass(slots=True)
class HostCalendar:
    """A host hospital's working week and holidays: what the day columns need."""

    name: str
    weekdays: frozenset[int]
    holidays: dict[date, str] = field(default_factory=dict)  # day -> the holiday's name


# The timeline's statements are built once: their SQL and cache keys are then reused.
_HOSTS = (
    select(
        Hospital.id,
        Hospital.name,
        Hospital.working_weekdays,
        HospitalHoliday.day.label("holiday"),
        HospitalHoliday.name.label("holiday_name"),
    )
    .join(CohortHost, CohortHost.hospital_id == Hospital.id)
    .outerjoin(
        HospitalHoliday,
        (HospitalHoliday.hospital_id == Hospital.id)
        & HospitalHoliday.day.between(bindparam("start"), bindparam("end")),
    )
    .where(CohortHost.cohort_id == bindparam("cohort_id"))
    .order_by(CohortHost.id)
)


def host_calendars(cohort: Cohort) -> list[HostCalendar]:
    """The cohort's host hospitals with their holidays within its dates (one query)."""
    params = {"cohort_id": cohort.id, "start": cohort.start_date, "end": cohort.end_date}
    calendars: dict[int, HostCalendar] = {}
    for row in db.session.execute(_HOSTS, params):
        if row.id not in calendars:
            calendars[row.id] = HostCalendar(row.name, _weekdays(row.working_weekdays))
        if row.holiday is not None:
            calendars[row.id].holidays[row.holiday] = row.holiday_name or "holiday"
    return list(calendars.values())


def calendar_days(cohort: Cohort, hosts: list[HostCalendar]) -> list[Day]:
    """The cohort's days; a day is off when no host works it (weekend or holiday everywhere)."""
    days, day = [], cohort.start_date
    while day <= cohort.end_date:
        holidays = [f"{h.name}: {h.holidays[day]}" for h in hosts if day in h.holidays]
        working = [h for h in hosts if is_working_day(day, h.weekdays, h.holidays)]
        days.append(Day(day=day, off=bool(hosts) and not working, note="; ".join(holidays)))
        day += timedelta(days=1)
    return days


def cohort_timeline(cohort: Cohort) -> Timeline:
    """Doctors × days of a (visible, already loaded) cohort with their placements."""
    days = calendar_days(cohort, host_calendars(cohort))
    doctors, placements = _doctors_and_placements(cohort.id)
    rotations = _rotations(placements)
    by_enrollment: dict[int, list[Segment]] = {}
    for placement in placements:
        if placement.status in _STANDING:
            segments = by_enrollment.setdefault(placement.enrollment_id, [])
            segments.extend(_segments(placement, days))
    rows = [Row(d, by_enrollment.get(d.enrollment_id, [])) for d in doctors]
    counts = dict.fromkeys(PlacementStatus, 0)
    for placement in placements:
        counts[placement.status] += 1
    declined = [p for p in placements if p.status == PlacementStatus.DECLINED]
    shading = off_day_shading([day.off for day in days])
    return Timeline(cohort, days, rows, rotations, declined, counts, shading)


def _rotations(placements: list[TimelinePlacement]) -> list[TimelineRotation]:
    """The cohort's placed rotations in curriculum order, each with a colour and a code (set
    on the placements too): colours follow the rotation, not the department."""
    names = dict(sorted({(p.rotation_id, p.rotation) for p in placements}))
    codes = rotation_codes(names.values())
    colours = {rotation_id: i % PALETTE_SIZE for i, rotation_id in enumerate(names)}
    for placement in placements:
        placement.colour = colours[placement.rotation_id]
        placement.code = codes[placement.rotation]
        placement.short_label = f"{placement.mark} {placement.code}"
    return [TimelineRotation(n, codes[n], colours[r]) for r, n in names.items()]


def _segments(placement: TimelinePlacement, days: list[Day]) -> list[Segment]:
    """The placement's runs of working days within the grid (days are consecutive)."""
    if not days:
        return []
    first_day, week = days[0].day, placement.weekday_numbers()
    start = max(0, (placement.start_date - first_day).days)
    end = min(len(days) - 1, (placement.end_date - first_day).days)
    return placement_segments(
        placement, start, end, lambda index: is_working_day(days[index].day, week)
    )


# Every enrollment with its doctor and its placements (if any), in one statement: the rows
# come doctor by doctor in the grid's order, as named columns (a cohort has hundreds of
# placements; no ORM objects are needed).
_DOCTORS_AND_PLACEMENTS = (
    select(
        Enrollment.id.label("enrollment_id"),
        Enrollment.status.label("enrollment_status"),
        Doctor.first_name,
        Doctor.last_name,
        Doctor.specialty,
        Doctor.native_name,
        Placement.id.label("placement_id"),
        Placement.status,
        Placement.start_date,
        Placement.end_date,
        Department.id.label("department_id"),
        Department.name.label("department_name"),
        Hospital.name.label("hospital_name"),
        Hospital.working_weekdays,
        CurriculumItem.id.label("rotation_id"),
        CurriculumItem.name.label("rotation"),
        Placement.decided_by_name,
        Placement.decline_reason,
    )
    .join(Doctor, Enrollment.doctor_id == Doctor.id)
    .outerjoin(Placement, Placement.enrollment_id == Enrollment.id)
    .outerjoin(Department, Placement.department_id == Department.id)
    .outerjoin(Hospital, Department.hospital_id == Hospital.id)
    .outerjoin(CurriculumItem, Placement.curriculum_item_id == CurriculumItem.id)
    .where(Enrollment.cohort_id == bindparam("cohort_id"))
    .order_by(Doctor.last_name, Doctor.first_name, Enrollment.id)
)


def _doctors_and_placements(
    cohort_id: int,
) -> tuple[list[TimelineDoctor], list[TimelinePlacement]]:
    """The grid's doctors (not withdrawn, by name) and all the cohort's placements (by date)."""
    doctors: dict[int, TimelineDoctor] = {}
    placements = []
    rows = db.session.execute(_DOCTORS_AND_PLACEMENTS, {"cohort_id": cohort_id}).mappings()
    for row in rows:  # mappings: a key lookup is several times cheaper than a row attribute
        enrollment_id = row["enrollment_id"]
        if row["enrollment_status"] != EnrollmentStatus.WITHDRAWN and enrollment_id not in doctors:
            doctors[enrollment_id] = TimelineDoctor(
                enrollment_id,
                row["first_name"],
                row["last_name"],
                row["specialty"],
                row["native_name"],
            )
        if row["placement_id"] is not None:
            placements.append(_timeline_placement(row))
    placements.sort(key=lambda p: (p.start_date, p.id))
    return list(doctors.values()), placements


def _timeline_placement(row) -> TimelinePlacement:
    return TimelinePlacement(
        id=row["placement_id"],
        enrollment_id=row["enrollment_id"],
        status=row["status"],
        start_date=row["start_date"],
        end_date=row["end_date"],
        department_id=row["department_id"],
        department_name=row["department_name"],
        hospital_name=row["hospital_name"],
        working_weekdays=row["working_weekdays"],
        rotation_id=row["rotation_id"],
        rotation=row["rotation"],
        doctor_name=PersonName(row["first_name"], row["last_name"], row["native_name"]),
        decided_by_name=row["decided_by_name"],
        decline_reason=row["decline_reason"],
        editable=row["status"] in _UPCOMING,
        mark=STATUS_MARKS.get(row["status"], ""),
    )


@dataclass
class CapacityCell:
    used: int = 0
    proposed: int = 0
    capacity: int = 0
    closed: str = ""  # why the department does not host that day

    @property
    def level(self) -> str:
        if self.closed:
            return "closed"
        total = self.used + self.proposed
        if total > self.capacity:
            return "over"
        return "full" if total == self.capacity and total else "ok"


@dataclass
class CapacityView:
    cohort: Cohort
    days: list[Day]
    rows: list[tuple[Department, list[CapacityCell]]]


def cohort_capacity(cohort_id: int, *, cohort: Cohort | None = None) -> CapacityView:
    """Per host department and day: places held (all cohorts) and proposed (this one).
    ``cohort``: the caller loaded it already with ``HOSTS_LOADED``."""
    cohort = cohort if cohort is not None else load_cohort(cohort_id)
    days = calendar_days(cohort, host_calendars(cohort))
    departments = _capacity_departments(cohort)
    at = {
        "department_ids": [d.id for d in departments],
        "cohort_id": cohort.id,
        "start": cohort.start_date,
        "end": cohort.end_date,
    }
    use = db.session.execute(_capacity_use_statement(), at).all()
    # Held places per (department, day), counted once; closed days only for the cohort's dates.
    held: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    for department_id, start, end, status in use:
        day = max(start, cohort.start_date)
        while day <= min(end, cohort.end_date):
            held[(department_id, day)][status == PlacementStatus.PROPOSED] += 1
            day += timedelta(days=1)
    closed = hospital_days.closed_days(departments, cohort.start_date, cohort.end_date)
    rows = [(d, _cells(d, days, held, closed)) for d in departments]
    return CapacityView(cohort, days, rows)


@functools.cache
def _capacity_use_statement():
    """Built once (parameters ``department_ids``, ``cohort_id``, ``start``, ``end``; the
    statuses written into the SQL): the places held in the departments over the cohort's days,
    and this cohort's proposals."""
    # This cohort's enrollments as a subquery, not a join: joined, PostgreSQL hashed every
    # enrollment of the centre's history (5.5 ms at 35,000 doctors, 0.3 ms this way).
    this_cohort = select(Enrollment.id).where(Enrollment.cohort_id == bindparam("cohort_id"))
    return select(
        Placement.department_id, Placement.start_date, Placement.end_date, Placement.status
    ).where(
        Placement.department_id.in_(bindparam("department_ids", expanding=True)),
        Placement.start_date <= bindparam("end"),
        Placement.end_date >= bindparam("start"),
        or_(
            Placement.status.in_(constant(PlacementStatus.HOLDING)),
            (Placement.status == constant(PlacementStatus.PROPOSED))
            & Placement.enrollment_id.in_(this_cohort),
        ),
    )


def _capacity_departments(cohort: Cohort) -> list[Department]:
    at = {"hospital_ids": [h.hospital_id for h in cohort.hosts], "cohort_id": cohort.id}
    return list(db.session.scalars(_capacity_departments_statement(), at).unique())


@functools.cache
def _capacity_departments_statement():
    """Built once (parameters ``hospital_ids``, ``cohort_id``): the hosts' active departments
    and any the cohort has a placement in, hospital loaded."""
    placed = (
        select(Placement.department_id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .where(Enrollment.cohort_id == bindparam("cohort_id"))
    )
    hosts = Department.hospital_id.in_(bindparam("hospital_ids", expanding=True))
    return (
        select(Department)
        .where(or_(hosts & Department.active, Department.id.in_(placed)))
        .options(joinedload(Department.hospital))
        .order_by(Department.hospital_id, Department.name)
    )


def _cells(department: Department, days: list[Day], held, closed) -> list[CapacityCell]:
    """The department's row: its hospital's week read once for the row, not once a day."""
    weekdays = department.hospital.weekday_numbers
    return [_cell(department, weekdays, day, held, closed) for day in days]


def _cell(
    department: Department, weekdays, day: Day, held, closed: hospital_days.ClosedDays
) -> CapacityCell:
    cell = CapacityCell(capacity=department.capacity)
    if not is_working_day(day.day, weekdays):
        cell.closed = "not a working day"
    cell.closed = cell.closed or closed.reason(department, day.day)
    counts = held.get((department.id, day.day))
    if counts:
        cell.used, cell.proposed = counts
    return cell
