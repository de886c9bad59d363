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
from sqlalchemy.orm import aliased, load_only

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
    constant,
)
from somet.web.extensions import db
from somet.web.search import bound_name_matches, bound_names_match, bound_words, search_words

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


@dataclass(frozen=True)
class FilterShape:
    """Which filters are set (and how many words each text filter has): the registry's
    statements are built once per shape, the filters' values bound as parameters."""

    q: int = 0
    region: int = 0
    institution: int = 0
    specialty: bool = False
    year: bool = False
    sponsor: bool = False
    dialect: str = ""  # the name search is written for the database

    @property
    def filtered(self) -> bool:
        return any((self.q, self.region, self.institution, self.specialty, self.year, self.sponsor))


def bound_filters(filters: dict) -> tuple[FilterShape, dict]:
    """The shape of ``filters`` (as ``RegistryFilterForm.values`` gives them) and the
    parameters its statements take."""
    words = {name: search_words(filters.get(name) or "") for name in ("q", "region", "institution")}
    params = {k: v for name, found in words.items() for k, v in bound_words(name, found).items()}
    year, specialty, sponsor = filters.get("year"), filters.get("specialty"), filters.get("sponsor")
    if year is not None:
        params.update(year_first=date(year, 1, 1), year_last=date(year, 12, 31))
    if specialty:
        params["specialty"] = specialty
    if sponsor:
        params["sponsor"] = sponsor
    shape = FilterShape(
        q=len(words["q"]),
        region=len(words["region"]),
        institution=len(words["institution"]),
        specialty=bool(specialty),
        year=year is not None,
        sponsor=bool(sponsor),
        dialect=db.engine.dialect.name,
    )
    return shape, params


def registry_query(filters: dict) -> tuple[Select, dict]:
    """Doctors who took part in a cohort (of ``year``, of ``sponsor``) matching the filters,
    each with their count of certificates in force (not revoked), in name order: the
    statement and its parameters."""
    shape, params = bound_filters(filters)
    return _registry_statement(shape), params


@cache
def _registry_statement(shape: FilterShape) -> Select:
    return _with_certificates(registry_conditions(shape))


# What a row (and the export) shows of the doctor: not the passport, contacts or tokens.
_SHOWN = ("first_name", "last_name", "native_name", "specialty", "region", "home_institution")


def _with_certificates(conditions: list, *columns, doctor=Doctor) -> Select:
    """The ``doctor`` rows meeting ``conditions`` in name order, each with its certificates
    in force (and ``columns``)."""
    in_force = (
        select(func.count(Certificate.id))
        .where(Certificate.doctor_id == doctor.id, Certificate.revoked_at.is_(None))
        .scalar_subquery()
    )
    shown = load_only(*(getattr(doctor, name) for name in _SHOWN))
    query = select(doctor, in_force, *columns).options(shown).where(*conditions)
    return query.order_by(doctor.last_name, doctor.first_name, doctor.id)


def registry_conditions(shape: FilterShape) -> list:
    """The ``where`` conditions of the registry's filters (a doctor took part in a cohort),
    their values bound parameters (``bound_filters``)."""
    took_part = select(Enrollment.id).where(Enrollment.doctor_id == Doctor.id)
    if shape.year or shape.sponsor:  # the cohort only when a filter asks about it
        took_part = took_part.join(Cohort, Cohort.id == Enrollment.cohort_id)
    if shape.year:
        took_part = took_part.where(
            Cohort.start_date.between(bindparam("year_first"), bindparam("year_last"))
        )
    if shape.sponsor:
        took_part = took_part.where(Cohort.sponsor == bindparam("sponsor"))
    conditions = [
        took_part.exists(),
        bound_names_match("q", shape.q, Doctor.first_name, Doctor.last_name, Doctor.native_name),
        bound_name_matches("region", shape.region, Doctor.region),
        bound_name_matches("institution", shape.institution, Doctor.home_institution),
        Doctor.specialty == bindparam("specialty") if shape.specialty else None,
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
    """Page ``page`` of the registry: the page's doctors with their certificates and how many
    match (one statement), then their facts (3 in all; a page past the last counts apart)."""
    page = max(page, 1)
    shape, params = bound_filters(filters)
    window = {**params, "limit": per_page, "offset": (page - 1) * per_page}
    found = db.session.execute(_page_statement(shape), window).all()
    total = found[0][2] if found else 0
    if not found and page > 1:  # no row carries the count: the page is past the last
        total = db.session.scalar(_count_statement(shape), params) or 0
    rows = alumnus_rows([(doctor, certificates) for doctor, certificates, _total in found])
    return RegistryPage(rows, page, per_page, total)


@cache
def _page_statement(shape: FilterShape) -> Select:
    """A page of the registry (parameters ``limit``, ``offset`` and the filters'), each row
    with how many match: built once per shape, since building it and its cache key cost
    about as much as running it. The count is an uncorrelated subquery, run once."""
    if shape.filtered:
        query = _page_of_matching(shape)
    else:
        matching = _count_statement(shape).scalar_subquery().correlate(None)
        query = _with_certificates(registry_conditions(shape), matching)
    return query.limit(bindparam("limit")).offset(bindparam("offset"))


def _page_of_matching(shape: FilterShape) -> Select:
    """A filtered registry's page and count from one search: the matching doctors are found
    once (a CTE read twice, which PostgreSQL runs once), then counted and sorted for the page.
    Searched twice, once for the page and once for the count, a common name in one year
    cost twice the 2,000 name tests at 35,000 doctors."""
    found = select(Doctor.id, *(getattr(Doctor, name) for name in _SHOWN))
    found = found.where(*registry_conditions(shape)).cte("matching")
    total = select(func.count()).select_from(found).scalar_subquery()
    return _with_certificates([], total, doctor=aliased(Doctor, found))


@cache
def _count_statement(shape: FilterShape) -> Select:
    """How many doctors match. With no filter, every doctor who took part in a cohort: the
    enrollments alone answer that, in one pass over them, instead of a semi join of every
    doctor with every enrollment (the registry's landing page)."""
    if not shape.filtered:
        return select(func.count(distinct(Enrollment.doctor_id)))
    return select(func.count(Doctor.id)).where(*registry_conditions(shape))


def all_rows(filters: dict) -> Iterator[AlumnusRow]:
    """Every matching doctor's row with outcomes (for the export), read ``CHUNK`` at a time."""
    doctors = db.session.execute(*registry_query(filters)).all()
    for first in range(0, len(doctors), CHUNK):
        yield from alumnus_rows(doctors[first : first + CHUNK], outcomes=True)


def alumnus_rows(doctors: list, outcomes: bool = False) -> list[AlumnusRow]:
    """The rows of ``doctors`` (pairs of a doctor and their certificates in force, as
    ``registry_query`` reads them): 2 statements (4 with the evaluations and follow-ups)."""
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
        Registration.status == constant(RegistrationStatus.ATTENDED),
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
