"""What pages read about cohorts: the home's cohorts starting soon and what they still lack,
and the cohort overview's cohort and figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Date, and_, bindparam, case, distinct, func, select, true
from sqlalchemy.orm import joinedload

from somet.certificates.queries import cohort_zip_size_column
from somet.cohorts.rules import preparation
from somet.core.problems import Problem
from somet.documents.queries import not_ready_in_upcoming_cohorts
from somet.models import (
    Cohort,
    CohortHost,
    CohortStatus,
    CurriculumItem,
    Enrollment,
    EnrollmentStatus,
    Placement,
    PlacementStatus,
    constant,
)
from somet.web.extensions import db


@dataclass(frozen=True)
class CohortStartingSoon:
    cohort_id: int
    cohort_name: str
    start_date: date
    lacking: list[Problem]


@dataclass(frozen=True)
class CohortNotReady:
    cohort_id: int
    cohort_name: str
    start_date: date
    count: int  # travelling doctors whose documents are not all accepted and valid


def doctors_not_ready(today: date) -> list[CohortNotReady]:
    """Upcoming cohorts with doctors not ready to travel, soonest first. One statement."""
    return [CohortNotReady(*row) for row in not_ready_in_upcoming_cohorts(today)]


def cohorts_starting_soon(today: date, not_ready: dict[int, int]) -> list[CohortStartingSoon]:
    """Cohorts starting within 30 days that still lack something, soonest first.

    ``not_ready``: doctors not ready by cohort id, as ``doctors_not_ready`` counts them.
    """
    first, last = preparation.starting_window(today)
    rows = db.session.execute(_starting_statement(), {"first": first, "last": last}).all()
    found = []
    for cohort_id, name, start, status, *counts in rows:
        facts = preparation.CohortPreparation(
            status, *counts, not_ready=not_ready.get(cohort_id, 0)
        )
        lacking = preparation.still_lacking(facts)
        if lacking:
            found.append(CohortStartingSoon(cohort_id, name, start, lacking))
    return found


@cache
def _starting_statement():
    """Cohorts starting between ``first`` and ``last`` (parameters) with what their
    preparation counts; built once: it runs on every visit to a director's home. One pass
    over each cohort's travelling doctors and their placements, counted by kind."""
    first, last = bindparam("first", type_=Date), bindparam("last", type_=Date)
    rotations = (
        select(func.count(CurriculumItem.id))
        .where(CurriculumItem.cohort_id == Cohort.id)
        .correlate(Cohort)
        .scalar_subquery()
    )
    invited = Enrollment.status == constant(EnrollmentStatus.INVITED)
    return (
        select(
            Cohort.id,
            Cohort.name,
            Cohort.start_date,
            Cohort.status,
            func.count(distinct(Enrollment.id)),
            func.count(distinct(case((invited, Enrollment.id)))),
            rotations,
            _placements(Placement.status.in_(constant(PlacementStatus.STANDING))),
            _placements(Placement.status == constant(PlacementStatus.PROPOSED)),
            _placements(Placement.status == constant(PlacementStatus.REQUESTED)),
        )
        .outerjoin(
            Enrollment,
            and_(
                Enrollment.cohort_id == Cohort.id,
                Enrollment.status.in_(constant(EnrollmentStatus.TRAVELLING)),
            ),
        )
        .outerjoin(Placement, Placement.enrollment_id == Enrollment.id)
        .where(
            Cohort.start_date.between(first, last),
            Cohort.status.not_in(constant(CohortStatus.FINISHED)),
        )
        .group_by(Cohort.id, Cohort.name, Cohort.start_date, Cohort.status)
        .order_by(Cohort.start_date, Cohort.name)
    )


def _placements(condition):
    """How many of the joined placements meet ``condition``."""
    return func.count(case((condition, Placement.id)))


def load_overview(cohort_id: int) -> tuple[Cohort, dict[str, int], int] | None:
    """A cohort with its director and hosts (hospitals) loaded, and the overview's figures:
    placements per status (every status, zero included) and how many certificates the
    cohort's ZIP would hold. One statement (the roster and rotations come as plain rows:
    ``somet.cohorts.overview``)."""
    row = db.session.execute(_overview_statement(), {"cohort_id": cohort_id}).unique().first()
    if row is None:
        return None
    cohort, *per_status, in_zip = row
    counts = {s.value: n for s, n in zip(PlacementStatus, per_status, strict=True)}
    return cohort, counts, in_zip or 0


@cache
def _overview_statement():
    """Built once (parameter ``cohort_id``): with its loader options, building the statement
    and its cache key cost about as much as running it. The few hosts ride on its rows; the
    figures come from one aggregate row (always one, none counted or not) joined to it."""
    cohort_id = bindparam("cohort_id")
    per_status = (
        select(
            *(
                func.count(Placement.id).filter(Placement.status == constant(status))
                for status in PlacementStatus
            )
        )
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .where(Enrollment.cohort_id == cohort_id)
        .subquery("placement_counts")
    )
    return (
        select(Cohort, *per_status.c, cohort_zip_size_column(cohort_id))
        .join(per_status, true())
        .options(
            joinedload(Cohort.director),
            joinedload(Cohort.hosts).joinedload(CohortHost.hospital),
        )
        .where(Cohort.id == cohort_id)
    )
