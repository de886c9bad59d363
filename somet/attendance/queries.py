"""What pages read about attendance: the weeks a coordinator still has to record, and the
placements, marks and days off the week list and the home queue both count from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import (
    Date,
    Integer,
    Select,
    String,
    bindparam,
    func,
    literal_column,
    null,
    select,
    union_all,
)

from somet.attendance import rules
from somet.core.workdays import week_start
from somet.models import (
    Attendance,
    Cohort,
    CohortStatus,
    Department,
    DepartmentClosure,
    Enrollment,
    HospitalHoliday,
    Placement,
    PlacementStatus,
    constant,
)
from somet.web.extensions import db


@dataclass(frozen=True)
class WeekToRecord:
    department_id: int
    department_name: str
    week: date  # its first day, as the attendance page's address has it


def weeks_to_record_beside(*counts):
    """The statement of the department weeks with a working day up to ``today`` of a
    confirmed placement left unmarked, for cohorts not yet over (parameters ``hospital_id``,
    ``today``), with one row more holding ``counts`` (one or two integer scalar subqueries of
    the same parameters): a page's queue or badges in one statement. Build it once; read its
    rows with ``weeks_from_rows`` and ``counts_from_rows``."""
    return _live_weeks_statement(counts)


def weeks_from_rows(rows, weekdays: list[int], today: date) -> list[WeekToRecord]:
    """The weeks to record, oldest first, from the rows of a ``weeks_to_record_beside``
    statement: the attendance page's own tally (``rules.week_tallies``), so the home queue,
    the badges and the week list agree."""
    names, tallies = _tallies_from_rows(rows, weekdays, today)
    weeks = [
        WeekToRecord(department_id, names[department_id], week)
        for (department_id, week), tally in tallies.items()
        if not tally.complete
    ]
    return sorted(weeks, key=lambda w: (w.week, w.department_name))


def counts_from_rows(rows) -> tuple[int, int | None]:
    """The counts of a ``weeks_to_record_beside`` statement, from its rows (None for a second
    count it did not have)."""
    return next((row[1], row[2]) for row in rows if row[0] == _COUNTS)


@cache
def _live_weeks_statement(counts: tuple = ()):
    """The tallies' statement of the weeks to record, built once (parameters:
    ``hospital_id``, ``today``): it runs on every page a coordinator opens (the menu's badge),
    and building it cost more than running it."""
    hospital_id, today = bindparam("hospital_id"), bindparam("today")
    # A completed placement has ended (the nightly job completes it after its last day), on
    # or after the first day of the earliest live cohort if it is one of a live cohort:
    # found by department and end day, not among every year's completed ones. Two bounds,
    # so the planner expects few rows although the first is a subquery; with the statuses
    # written in (``constant``) too, PostgreSQL keeps one plan for this statement (the
    # badge) instead of planning it anew on every page (1 ms of each page's 2).
    live = _stays(
        hospital_id,
        today,
        Placement.end_date.between(_first_live_day(), today),
        of_live_cohorts=True,
    )
    return _tallies_statement(live, hospital_id, today, counts)


# The week list shows this many weeks at a time (the weeks still to record always).
WEEKS_PER_PAGE = 12


@dataclass(frozen=True)
class WeekSummary:
    department_id: int
    department_name: str
    week: date
    doctors: int
    due: int = 0  # working days up to today
    recorded: int = 0

    @property
    def missing(self) -> int:
        """Days up to today still without a mark: the week still needs recording."""
        return max(self.due - self.recorded, 0)


@dataclass(frozen=True)
class WeekList:
    weeks: list[WeekSummary]  # newest first
    first: date  # the first day of the oldest week of the page
    last: date  # the last day of its newest week
    earlier: date | None  # where the page of earlier weeks ends, when there were any
    later: date | None  # where the page of later weeks ends (None: this page reaches today)


def recordable_weeks(
    hospital, today: date, until: date | None = None, span: int = WEEKS_PER_PAGE
) -> WeekList:
    """The (department, week) pairs of the hospital's recordable placements in the ``span``
    weeks up to the week of ``until`` (default: this week), with how many of their days so
    far are recorded, and every week before them still to record. Two statements, however
    many years of history the hospital has."""
    weekdays = hospital.weekday_numbers
    newest = week_start(min(until or today, today), weekdays)
    oldest = newest - timedelta(weeks=span - 1)
    last = newest + timedelta(days=6)
    parameters = {"hospital_id": hospital.id, "today": today, "oldest": oldest, "last": last}
    rows = db.session.execute(_shown_weeks_statement(), parameters).all()
    names, tallies = _tallies_from_rows(rows, weekdays, today)
    summaries = [
        WeekSummary(d, names[d], w, tally.doctors, tally.due, tally.recorded)
        for (d, w), tally in tallies.items()
        if oldest <= w <= newest or not tally.complete
    ]
    summaries.sort(key=lambda s: (-s.week.toordinal(), s.department_name))
    later = newest + timedelta(weeks=span)
    return WeekList(
        weeks=summaries,
        first=oldest,
        last=last,
        earlier=_latest_start_before(hospital.id, oldest),
        later=None if newest >= week_start(today, weekdays) else min(later, today),
    )


@cache
def _shown_weeks_statement():
    """The tallies' statement of the week list, built once (parameters: ``hospital_id``,
    ``today`` and the days shown, ``oldest`` to ``last``)."""
    hospital_id, today = bindparam("hospital_id"), bindparam("today")
    # Completed placements only when they overlap the days shown: a completed placement has
    # every day recorded, so older ones would only add recorded weeks nobody asked to see,
    # years of them. They have ended (see ``_live_weeks_statement``): two bounds on the end
    # day let the planner expect the few they are, and read their placements by id instead
    # of every placement of every year (0.45 ms instead of 2.2). The recordable placements
    # whose ids ``_stays`` finds, not its rows: the stays of every cohort, not only live
    # ones, are twice the badge's, and PostgreSQL, expecting more of them, would read every
    # mark of every year instead of each stay's.
    window = Placement.end_date.between(bindparam("oldest"), today) & (
        Placement.start_date <= bindparam("last")
    )
    shown = _stay_rows(
        hospital_id,
        today,
        Placement.status.in_(constant(PlacementStatus.FIXED)),
        Placement.id.in_(select(_stays(hospital_id, today, window).subquery().c.id)),
    )
    return _tallies_statement(shown, hospital_id, today)


def _latest_start_before(hospital_id: int, day: date) -> date | None:
    """The latest first day before ``day`` of a confirmed (or completed) placement at the
    hospital: the page of earlier weeks ends there, skipping the weeks nobody visited."""
    return db.session.scalar(_latest_start(), {"hospital_id": hospital_id, "day": day})


@cache
def _latest_start():
    """Built once (parameters ``hospital_id``, ``day``)."""
    # Per department, so each is one step back along its (department, start) index.
    latest_in_department = (
        select(func.max(Placement.start_date))
        .where(
            Placement.department_id == Department.id,
            Placement.status.in_(constant(PlacementStatus.FIXED)),
            Placement.start_date < bindparam("day"),
        )
        .correlate(Department)
        .scalar_subquery()
    )
    return select(func.max(latest_in_department)).where(
        Department.hospital_id == bindparam("hospital_id")
    )


def _stays(hospital_id, today, *completed_windows, of_live_cohorts: bool = False):
    """The hospital's recordable placements begun by ``today``, with department names: its
    open ones, and its completed ones that meet one of ``completed_windows`` (conditions on
    their days); only those of cohorts not yet over if ``of_live_cohorts``."""

    # One select each, read by index (open placements by status; completed ones by
    # department and days), and the stays are their rows: an OR of them, or an IN of their
    # ids, read every placement of every year.
    def stays_where(*conditions):
        return _stay_rows(
            hospital_id, today, *conditions, *([_live_cohort()] if of_live_cohorts else [])
        )

    return union_all(
        stays_where(Placement.status == constant(PlacementStatus.CONFIRMED)),
        *(
            stays_where(Placement.status == constant(PlacementStatus.COMPLETED), window)
            for window in completed_windows
        ),
    )


def _stay_rows(hospital_id, today, *conditions) -> Select:
    """The hospital's placements begun by ``today`` that meet ``conditions``, as the tallies
    read them: id, department id and name, first and last day."""
    return (
        select(
            Placement.id,
            Placement.department_id,
            Department.name,
            Placement.start_date,
            Placement.end_date,
        )
        .join(Department, Department.id == Placement.department_id)
        .where(Department.hospital_id == hospital_id, Placement.start_date <= today, *conditions)
    )


def _live_cohort():
    """Placements of cohorts not yet over: judged and closed, nothing is left to record."""
    return (
        select(Enrollment.id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(
            Enrollment.id == Placement.enrollment_id,
            Cohort.status.not_in(constant(CohortStatus.FINISHED)),
        )
        .exists()
    )


def _first_live_day():
    """The first day of the earliest cohort not yet over (a scalar subquery)."""
    return (
        select(func.min(Cohort.start_date))
        .where(Cohort.status.not_in(constant(CohortStatus.FINISHED)))
        .scalar_subquery()
    )


# The kinds of row a ``_tallies_statement`` reads.
_STAY, _MARK, _HOLIDAY, _CLOSURE, _COUNTS = "s", "m", "h", "c", "n"


def _tallies_statement(stays, hospital_id, today, counts: tuple = ()):
    """One statement of stable text for ``_tallies_from_rows``: the ``stays`` (a ``_stays``
    union), their attendance marks, and the hospital's holidays and its departments'
    closures from the first stay's start to ``today`` (and a row of two ``counts``, if any,
    for ``counts_from_rows``)."""
    stays = stays.cte("stays")
    first_day = select(func.min(stays.c.start_date)).scalar_subquery()
    no_int, no_text, no_date = null().cast(Integer), null().cast(String), null().cast(Date)
    return union_all(
        select(
            literal_column(f"'{_STAY}'"),
            stays.c.id,
            stays.c.department_id,
            stays.c.name,
            stays.c.start_date,
            stays.c.end_date,
        ),
        select(
            literal_column(f"'{_MARK}'"),
            Attendance.placement_id,
            no_int,
            no_text,
            Attendance.day,
            no_date,
        ).where(Attendance.placement_id.in_(select(stays.c.id))),
        select(
            literal_column(f"'{_HOLIDAY}'"),
            no_int,
            no_int,
            no_text,
            HospitalHoliday.day,
            no_date,
        ).where(
            HospitalHoliday.hospital_id == hospital_id,
            HospitalHoliday.day.between(first_day, today),
        ),
        select(
            literal_column(f"'{_CLOSURE}'"),
            no_int,
            DepartmentClosure.department_id,
            no_text,
            DepartmentClosure.day,
            no_date,
        ).where(
            DepartmentClosure.department_id.in_(select(stays.c.department_id)),
            DepartmentClosure.day.between(first_day, today),
        ),
        *(
            [
                select(
                    literal_column(f"'{_COUNTS}'"),
                    *counts,
                    *[no_int] * (2 - len(counts)),
                    no_text,
                    no_date,
                    no_date,
                )
            ]
            if counts
            else []
        ),
    )


def _tallies_from_rows(
    rows, weekdays: list[int], today: date
) -> tuple[dict[int, str], dict[tuple[int, date], rules.WeekTally]]:
    """Department names and ``rules.week_tallies`` of the stays a ``_tallies_statement``
    read."""
    names, stay_list, recorded, holidays, closures = {}, [], set(), set(), []
    for kind, placement_id, department_id, name, day, end in rows:
        if kind == _STAY:
            names[department_id] = name
            stay_list.append(rules.Stay(placement_id, department_id, day, end))
        elif kind == _MARK:
            recorded.add((placement_id, day))
        elif kind == _HOLIDAY:
            holidays.add(day)
        elif kind == _CLOSURE:
            closures.append((department_id, day))
    closed = {department_id: set(holidays) for department_id in names}
    for department_id, day in closures:
        closed[department_id].add(day)
    return names, rules.week_tallies(stay_list, recorded, weekdays, closed, today)
