"""Nightly: certificates for enrollments that became complete, in cohorts that ask for it.

Picks the cohorts (``Cohort.auto_issue_certificates``, active or just completed, with
enrollments that have no internship certificate yet) and issues each one's certificates as
the system; issuing covers only complete enrollments without a certificate, so a rerun
issues nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from somet.certificates.operations import issue_certificates
from somet.models import (
    Certificate,
    CertificateKind,
    Cohort,
    CohortStatus,
    Doctor,
    Enrollment,
    EnrollmentStatus,
)
from somet.web.extensions import db


def cohorts_awaiting_certificates() -> list[int]:
    """Auto-issuing cohorts (active or completed) with an enrollment still without a certificate."""
    has_certificate = select(Certificate.id).where(
        Certificate.enrollment_id == Enrollment.id,
        Certificate.kind == CertificateKind.INTERNSHIP,
        Certificate.revoked_at.is_(None),
    )
    return list(
        db.session.scalars(
            select(Cohort.id)
            .join(Enrollment, Enrollment.cohort_id == Cohort.id)
            .where(
                Cohort.auto_issue_certificates.is_(True),
                Cohort.status.in_(CohortStatus.UNDER_WAY),
                Enrollment.status.in_(EnrollmentStatus.CERTIFIABLE),
                ~has_certificate.exists(),
            )
            .distinct()
            .order_by(Cohort.id)
        )
    )


def issue_due_certificates(now: datetime) -> dict:
    """Issue what is due in each waiting cohort; counts the cohorts and the certificates."""
    cohort_ids = cohorts_awaiting_certificates()
    db.session.commit()
    issued = sum(auto_issue(cohort_id, now) for cohort_id in cohort_ids)
    counts = {"cohorts": len(cohort_ids), "issued": issued}
    notes = not_earned_notes(cohort_ids)
    return {**counts, "not_earned": len(notes), "notes": notes} if notes else counts


def not_earned_notes(cohort_ids: list[int]) -> list[dict]:
    """Why the incomplete enrollments of these cohorts got no certificate (problems, with the
    reasons the nightly lifecycle stored), for the CLI and the jobs page."""
    if not cohort_ids:
        return []
    rows = db.session.execute(
        select(Doctor.first_name, Doctor.last_name, Enrollment.completion_reasons)
        .join(Enrollment, Enrollment.doctor_id == Doctor.id)
        .where(
            Enrollment.cohort_id.in_(cohort_ids),
            Enrollment.status == EnrollmentStatus.INCOMPLETE,
        )
        .order_by(Enrollment.cohort_id, Doctor.last_name, Doctor.first_name)
    )
    return [
        {"code": "enrollment.incomplete",
         "params": {"doctor": f"{first} {last}", "reasons": reasons or []}}
        for first, last, reasons in rows
    ]


def auto_issue(cohort_id: int, now: datetime) -> int:
    """Issue the cohort's due certificates as the system; how many were issued."""
    return issue_certificates(None, cohort_id, today=now.date())["issued"]
