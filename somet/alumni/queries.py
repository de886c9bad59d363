"""What the alumni registry reads: the doctors who took part in a cohort, filtered and paged,
with each row's cohorts, credit hours and certificates in a fixed number of statements.

A row's credit hours are the certificates' rule over each enrollment (``alumni.hours``), plus
the classes outside the doctor's cohorts (``alumni.rules``). The filters' choices come from
the cohorts table, never from a DISTINCT over a history table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Select, bindparam, distinct, extract, func, select
from sqlalchemy.orm import load_only

from somet.alumni import rules
from somet.alumni.hours import DOCTOR_IDS, CohortTaken, cohorts_taken
from somet.evaluations.queries import scale_answers
from somet.models import (
    Certificate,
    Cohort,
    Doctor,
    Enrollment,
    Evaluation,
    EvaluationAnswer,
    EvaluationDirection,
    FollowUpSurvey,
    Masterclass,
    Registration,
    RegistrationStatus,
)
from somet.web.extensions import db
from somet.web.search import name_matches, names_match

CHUNK = 500  # doctors whose facts are read together when exporting everyone


@dataclass(frozen=True)
class FilterChoices:
    years: list[int]  # newest first
    sponsors: list[str]
    regions: list[str]  # suggestions only: the region filter matches any part of the name


def filter_choices() -> FilterChoices:
    """The cohorts' years, sponsors and origin regions: one statement over the cohorts."""
    year = extract("year", Cohort.start_date)
    rows = db.session.execute(select(year, Cohort.sponsor, Cohort.origin_region).distinct()).all()
    return FilterChoices(
        years=sorted({int(y) for y, _s, _r in rows}, reverse=True),
        sponsors=sorted({s for _y, s, _r in rows if s}),
        regions=sorted({r for _y, _s, r in rows if r}),
    )


def registry_query(**filters) -> Select:
    """Doctors who took part in a cohort (of ``year``, of ``sponsor``) matching the filters,
    each with their count of certificates in force (not revoked), in name order."""
    return _with_certificates(registry_conditions(**filters))


def _with_certificates(conditions: list) -> Select:
    in_force = (
        select(func.count(Certificate.id))
        .where(Certificate.doctor_id == Doctor.id, Certificate.revoked_at.is_(None))
        .scalar_subquery()
    )
    # What a row (and the export) shows of the doctor: not the passport, contacts or tokens.
    shown = load_only(
        Doctor.first_name,
        Doctor.last_name,
        Doctor.native_name,
        Doctor.specialty,
        Doctor.region,
        Doctor.home_institution,
    )
    query = select(Doctor, in_force).options(shown).where(*conditions)
    return query.order_by(Doctor.last_name, Doctor.first_name, Doctor.id)


def registry_conditions(
    q: str = "",
    region: str = "",
    specialty: str = "",
    year: int | None = None,
    institution: str = "",
    sponsor: str = "",
) -> list:
    """The ``where`` conditions of the registry's filters (a doctor took part in a cohort)."""
    took_part = select(Enrollment.id).where(Enrollment.doctor_id == Doctor.id)
    if year is not None or sponsor:  # the cohort only when a filter asks about it
        took_part = took_part.join(Cohort, Cohort.id == Enrollment.cohort_id)
    if year is not None:
        took_part = took_part.where(Cohort.start_date.between(date(year, 1, 1), date(year, 12, 31)))
    if sponsor:
        took_part = took_part.where(Cohort.sponsor == sponsor)
    conditions = [
        took_part.exists(),
        names_match(q, Doctor.first_name, Doctor.last_name, Doctor.native_name),
        name_matches(region, Doctor.region),
        name_matches(institution, Doctor.home_institution),
        Doctor.specialty == specialty if specialty else None,
    ]
    return [c for c in conditions if c is not None]


@dataclass(frozen=True)
class AlumnusRow:
    """One doctor of the registry with the figures of their whole history."""

    doctor: Doctor
    cohorts: tuple[CohortTaken, ...]
    hours: float
    certificates: int
    evaluation_mean: float | None = None  # supervisors' 1–5 ratings of the doctor
    follow_ups_answered: int = 0
    follow_ups_sent: int = 0

    @property
    def years(self) -> tuple[int, ...]:
        return rules.distinct_years(c.year for c in self.cohorts)

    @property
    def first_year(self) -> int | None:
        return rules.year_span(self.years)[0]

    @property
    def last_year(self) -> int | None:
        return rules.year_span(self.years)[1]


@dataclass(frozen=True)
class RegistryPage:
    rows: list[AlumnusRow]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def registry_page(filters: dict, page: int, per_page: int) -> RegistryPage:
    """Page ``page`` of the registry: a count, the page's doctors with their certificates,
    then their facts (5 in all)."""
    filtered = any(filters.values())
    conditions = registry_conditions(**filters) if filtered else []
    total = db.session.scalar(_matching_count(filters, conditions)) or 0
    page = max(page, 1)
    window = {"limit": per_page, "offset": (page - 1) * per_page}
    query = _paged(_with_certificates(conditions)) if filtered else _unfiltered_page()
    rows = alumnus_rows(db.session.execute(query, window).all())
    return RegistryPage(rows, page, per_page, total)


def _paged(query: Select) -> Select:
    return query.limit(bindparam("limit")).offset(bindparam("offset"))


@cache
def _unfiltered_page() -> Select:
    """A page of the registry with no filter (its landing page), built once (parameters
    ``limit``, ``offset``): building it and its cache key cost about as much as running it."""
    return _paged(registry_query())


_EVERYONE_WHO_TOOK_PART = select(func.count(distinct(Enrollment.doctor_id)))


def _matching_count(filters: dict, conditions: list) -> Select:
    """How many doctors match. With no filter, every doctor who took part in a cohort: the
    enrollments alone answer that, in one pass over them, instead of a semi join of every
    doctor with every enrollment (the registry's landing page)."""
    if not any(filters.values()):
        return _EVERYONE_WHO_TOOK_PART
    return select(func.count(Doctor.id)).where(*conditions)


def all_rows(filters: dict) -> Iterator[AlumnusRow]:
    """Every matching doctor's row with outcomes (for the export), read ``CHUNK`` at a time."""
    doctors = db.session.execute(registry_query(**filters)).all()
    for first in range(0, len(doctors), CHUNK):
        yield from alumnus_rows(doctors[first : first + CHUNK], outcomes=True)


def alumnus_rows(doctors: list, outcomes: bool = False) -> list[AlumnusRow]:
    """The rows of ``doctors`` (pairs of a doctor and their certificates in force, as
    ``registry_query`` reads them): 3 statements (5 with the evaluations and follow-ups)."""
    ids = [d.id for d, _certificates in doctors]
    if not ids:
        return []
    classes = attended_classes(ids)
    taken = cohorts_taken(ids, classes)
    means = _evaluation_means(ids) if outcomes else {}
    follow_ups = _follow_up_counts(ids) if outcomes else {}
    rows = []
    for doctor, certificates in doctors:
        cohorts = tuple(taken.get(doctor.id, ()))
        outside = rules.hours_outside(classes.get(doctor.id, ()), {c.cohort_id for c in cohorts})
        answered, sent = follow_ups.get(doctor.id, (0, 0))
        rows.append(
            AlumnusRow(
                doctor=doctor,
                cohorts=cohorts,
                hours=rules.total_hours((c.hours for c in cohorts), outside),
                certificates=certificates,
                evaluation_mean=means.get(doctor.id),
                follow_ups_answered=answered,
                follow_ups_sent=sent,
            )
        )
    return rows


def attended_classes(doctor_ids: list[int]) -> dict[int, list[rules.AttendedClass]]:
    """The masterclasses each doctor attended, with their cohort and credit hours."""
    found: dict[int, list[rules.AttendedClass]] = defaultdict(list)
    for doctor_id, cohort_id, hours in db.session.execute(_ATTENDED, {"doctor_ids": doctor_ids}):
        found[doctor_id].append(rules.AttendedClass(cohort_id, hours))
    return found


# Built once (it runs on every registry page), the doctors a list parameter.
_ATTENDED = (
    select(Registration.doctor_id, Masterclass.cohort_id, Masterclass.credit_hours)
    .join(Masterclass, Registration.masterclass_id == Masterclass.id)
    .where(
        Registration.doctor_id.in_(DOCTOR_IDS),
        Registration.status == RegistrationStatus.ATTENDED,
    )
    .order_by(Masterclass.starts_at)
)


def _evaluation_means(doctor_ids: list[int]) -> dict[int, float]:
    """The mean of the supervisors' 1–5 answers about each doctor, to one decimal."""
    query = (
        scale_answers(Enrollment.doctor_id, func.avg(EvaluationAnswer.score))
        .where(
            Enrollment.doctor_id.in_(doctor_ids),
            Evaluation.direction == EvaluationDirection.OF_DOCTOR,
        )
        .group_by(Enrollment.doctor_id)
    )
    return {doctor_id: round(float(mean), 1) for doctor_id, mean in db.session.execute(query)}


def _follow_up_counts(doctor_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(answered, sent) follow-up surveys by doctor."""
    query = (
        select(
            Enrollment.doctor_id,
            func.count(FollowUpSurvey.answered_at),
            func.count(FollowUpSurvey.id),
        )
        .join(Enrollment, FollowUpSurvey.enrollment_id == Enrollment.id)
        .where(Enrollment.doctor_id.in_(doctor_ids))
        .group_by(Enrollment.doctor_id)
    )
    return {doctor_id: (answered, sent) for doctor_id, answered, sent in db.session.execute(query)}
