"""The dashboard's tallies, kept on flush: per sponsor and year a cohort ended, its
enrollments by status, and the doctors who completed a cohort by specialty (each doctor once
a year). The sponsor ``EVERY_SPONSOR`` counts every cohort, sponsored or not.

Counting these from the enrollments read every year of history on each view. Their inputs
change in many operations (a roster's additions, edits and imports, withdrawals, the
lifecycle's verdicts, a cohort's dates and sponsor, a doctor's specialty, the demo), and a
call in each would be one to forget; so the session notes after every flush which cohorts,
years and doctors changed, and just before the transaction commits counts afresh the rows
of the years they touch only, under one lock. A year holds a few cohorts: the recount
reads a few hundred enrollments, never all of history; and the dashboard reads a few rows a
year, however many cohorts each year held. Rows written with Core, past the session (the
benches), are counted by ``rebuild``; migration 0026 counted the rows stored before it.
"""

from __future__ import annotations

from functools import cache, partial

from sqlalchemy import bindparam, event, func, inspect, literal, select, union_all
from sqlalchemy.orm import Session, scoped_session

from somet.models import (
    EVERY_SPONSOR,
    Cohort,
    Doctor,
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusTally,
    TrainedDoctorTally,
    constant,
)
from somet.reports.trends import YEAR
from somet.web import tallies as kept_on_write
from somet.web.database import serialise_from_here

NOTED = "dashboard_tallies"  # the session's info: what its flushes changed, until commit
LOCK = "dashboard-tallies"
_ENROLLMENT_INPUTS = ("status", "cohort_id", "doctor_id")
_COHORT_INPUTS = ("end_date", "sponsor")


def keep_on_flush(session: scoped_session) -> None:
    """Keep the tallies of every transaction of ``session`` (once per process)."""
    for name, listener in (
        ("after_flush", _note_changes),
        ("before_commit", _recount_noted),
        ("after_commit", _forget),
        ("after_rollback", _forget),
    ):
        if not event.contains(session, name, listener):
            event.listen(session, name, listener)


def _note_changes(session: Session, _flush_context) -> None:
    """Note what this flush changed (its new, dirty and deleted objects and their attribute
    histories are still those from before the flush)."""
    noted = session.info.setdefault(NOTED, {"cohorts": set(), "years": set(), "doctors": set()})
    changed = session.dirty  # a set built anew on each access
    for obj in (*session.new, *session.deleted, *changed):
        dirty = obj in changed
        if isinstance(obj, Enrollment) and (not dirty or _changed(obj, _ENROLLMENT_INPUTS)):
            noted["cohorts"].update({obj.cohort_id, *_before(obj, "cohort_id")} - {None})
        elif isinstance(obj, Cohort) and (not dirty or _changed(obj, _COHORT_INPUTS)):
            ends = {obj.end_date, *_before(obj, "end_date")} - {None}
            noted["years"].update(end.year for end in ends)
        elif isinstance(obj, Doctor) and dirty and _changed(obj, ("specialty",)):
            noted["doctors"].add(obj.id)


def _changed(obj, names) -> bool:
    attributes = inspect(obj).attrs
    return any(attributes[name].history.has_changes() for name in names)


def _before(obj, name: str) -> tuple:
    """``name``'s values before this flush, where it changed."""
    return inspect(obj).attrs[name].history.deleted


def _recount_noted(session: Session) -> None:
    session.flush()  # what is still pending is noted too
    noted = session.info.pop(NOTED, None)
    if not noted or not any(noted.values()):
        return
    serialise_from_here(session, LOCK)  # a recount reads what committed before it
    cohorts, doctors = sorted(noted["cohorts"]), sorted(noted["doctors"])
    years = set(noted["years"])
    if cohorts:
        years.update(session.scalars(select(YEAR).where(Cohort.id.in_(cohorts)).distinct()))
    if doctors:
        years.update(
            session.scalars(
                select(YEAR)
                .join(Enrollment, Enrollment.cohort_id == Cohort.id)
                .where(Enrollment.doctor_id.in_(doctors))
                .distinct()
            )
        )
    if years:
        connection = session.connection()  # as Core: the session would read the parameters
        for statement in _recount_statements():  # as rows to insert in bulk
            connection.execute(statement, {"years": sorted(years)})


def _forget(session: Session) -> None:
    session.info.pop(NOTED, None)


@cache
def _recount_statements() -> list:
    """The statements that count afresh the rows of the ``years`` parameter, built once:
    building them on every commit cost as much as running them."""
    years = bindparam("years", expanding=True)
    fresh = {model: partial(counted, years) for model, counted in FRESH.items()}
    return kept_on_write.rebuild_statements(fresh, rows=lambda table: table.c.year.in_(years))


def _per_sponsor(*columns, where: list, distinct: bool = False):
    """``columns`` of the enrollments joined to their cohorts, with the sponsor and the year
    the cohort ended: once under ``EVERY_SPONSOR`` for every cohort, and once under the
    cohort's sponsor for the sponsored ones."""

    def rows(sponsor, *sponsored):
        chosen = (
            select(sponsor.label("sponsor"), YEAR.label("year"), *columns)
            .join(Cohort, Cohort.id == Enrollment.cohort_id)
            .where(*where, *sponsored)
        )
        return chosen.distinct() if distinct else chosen

    every = rows(literal(EVERY_SPONSOR))
    sponsored = rows(Cohort.sponsor, Cohort.sponsor.is_not(None), Cohort.sponsor != EVERY_SPONSOR)
    return union_all(every, sponsored).subquery()


def _of_years(years) -> list:
    return [] if years is None else [YEAR.in_(years)]


def _statuses_counted(years=None):
    """(sponsor, year, status, enrollments)."""
    rows = _per_sponsor(Enrollment.status.label("status"), where=_of_years(years))
    return select(rows.c.sponsor, rows.c.year, rows.c.status, func.count()).group_by(
        rows.c.sponsor, rows.c.year, rows.c.status
    )


def _trained_counted(years=None):
    """(sponsor, year, specialty, doctors): the (year, doctor) pairs of the completed
    enrollments made distinct first, then counted by the doctor's specialty."""
    completed = [Enrollment.status == constant(EnrollmentStatus.COMPLETED), *_of_years(years)]
    pairs = _per_sponsor(Enrollment.doctor_id, where=completed, distinct=True)
    specialty = func.coalesce(Doctor.specialty, "")
    return (
        select(pairs.c.sponsor, pairs.c.year, specialty, func.count())
        .join(Doctor, Doctor.id == pairs.c.doctor_id)
        .group_by(pairs.c.sponsor, pairs.c.year, specialty)
    )


# Each tally and what counts it afresh, over every year or the cohorts that ended in
# ``years`` (a parameter).
FRESH = {EnrollmentStatusTally: _statuses_counted, TrainedDoctorTally: _trained_counted}


def counted_afresh() -> dict[str, set[tuple]]:
    """Both tallies counted afresh from every enrollment: what the kept ones must equal."""
    return {model.__tablename__: kept_on_write.counted_rows(c) for model, c in FRESH.items()}


def kept() -> dict[str, set[tuple]]:
    return {model.__tablename__: kept_on_write.kept_rows(model) for model in FRESH}


def rebuild_statements() -> list:
    """The statements that replace both tallies by a fresh count (after enrollments, cohorts
    or doctors were written past the session: the benches)."""
    return kept_on_write.rebuild_statements(FRESH)


def rebuild() -> None:
    kept_on_write.rebuild(FRESH)
