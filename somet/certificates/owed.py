"""Cohorts that still owe certificates: completed doctors without a standing internship
certificate, for the director's queue and badge, the archive check and the cohorts' settling
(other features import them from ``certificates.queries``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, func, select

from somet.models import (
    Certificate,
    CertificateKind,
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentStatus,
    constant,
)
from somet.web.extensions import db


@dataclass(frozen=True)
class CohortWithoutCertificates:
    """A cohort whose completed enrollments still lack a (standing) certificate."""

    cohort_id: int
    cohort_name: str
    count: int
    ended_on: date


def _uncertified():
    certified = exists().where(
        Certificate.enrollment_id == Enrollment.id,
        Certificate.kind == constant(CertificateKind.INTERNSHIP),
        Certificate.revoked_at.is_(None),
    )
    return and_(Enrollment.status == constant(EnrollmentStatus.COMPLETED), ~certified)


def without_certificate_count():
    """How many completed enrollments of unsettled cohorts lack a certificate, as a scalar
    subquery (a badge). An archived cohort is settled: it was archived with every certificate
    issued (``cohorts.rules.lifecycle``), so only completed cohorts are read, not all years."""
    return (
        select(func.count(Enrollment.id))
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Cohort.status == constant(CohortStatus.COMPLETED), _uncertified())
        .scalar_subquery()
    )


def owes_certificates():
    """A condition on ``Cohort``: one of its completed doctors holds no valid certificate."""
    return exists().where(Enrollment.cohort_id == Cohort.id, _uncertified())


def uncertified_count(cohort_id: int) -> int:
    """How many of the cohort's completed doctors hold no valid internship certificate."""
    return db.session.scalar(
        select(func.count(Enrollment.id)).where(Enrollment.cohort_id == cohort_id, _uncertified())
    )


def enrollments_without_certificate() -> list[CohortWithoutCertificates]:
    """Completed enrollments with no unrevoked internship certificate, by completed (not yet
    archived) cohort, oldest first."""
    rows = db.session.execute(
        select(Cohort.id, Cohort.name, func.count(Enrollment.id), Cohort.end_date)
        .join(Enrollment, Enrollment.cohort_id == Cohort.id)
        .where(Cohort.status == constant(CohortStatus.COMPLETED), _uncertified())
        .group_by(Cohort.id, Cohort.name, Cohort.end_date)
        .order_by(Cohort.end_date, Cohort.name)
    )
    return [CohortWithoutCertificates(*row) for row in rows]


def without_certificate_rows():
    """``enrollments_without_certificate`` as rows of one statement, by name: ``cohort_id``,
    ``cohort_name``, ``items``, ``ended_on`` and ``position`` (the row's place in that list's
    order)."""
    keys = (Cohort.id, Cohort.name, Cohort.end_date)
    return (
        select(
            Cohort.id.label("cohort_id"),
            Cohort.name.label("cohort_name"),
            func.count(Enrollment.id).label("items"),
            Cohort.end_date.label("ended_on"),
            func.row_number().over(order_by=(Cohort.end_date, Cohort.name)).label("position"),
        )
        .join(Enrollment, Enrollment.cohort_id == Cohort.id)
        .where(Cohort.status == constant(CohortStatus.COMPLETED), _uncertified())
        .group_by(*keys)
    )
