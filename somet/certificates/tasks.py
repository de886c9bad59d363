"""Nightly: certificates for enrollments that became complete, in cohorts that ask for it.

The certificates feature owns completion and issuing; this module only picks the cohorts
(``Cohort.auto_issue_certificates``, active or just completed, with enrollments that have no
internship certificate yet) and hands each to the issuing hook. The hook is
``register_auto_issue(function)``: ``function(cohort_id, now) -> certificates issued``, which
must issue only for complete enrollments without a certificate (so a rerun issues nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from somet.models import (
    Certificate,
    CertificateKind,
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentStatus,
)
from somet.web.extensions import db

AutoIssue = Callable[[int, datetime], int]
_hook: dict[str, AutoIssue] = {}


def register_auto_issue(function: AutoIssue) -> None:
    """Called by the certificates feature with its issuing service."""
    _hook["issue"] = function


def auto_issue_hook() -> AutoIssue | None:
    return _hook.get("issue")


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
    """Hand each waiting cohort to the issuing hook; counts cohorts, issued and a missing hook."""
    cohort_ids = cohorts_awaiting_certificates()
    db.session.commit()
    issue = auto_issue_hook()
    if issue is None:
        return {"cohorts": len(cohort_ids), "issued": 0, "hook_missing": 1}
    issued = sum(issue(cohort_id, now) for cohort_id in cohort_ids)
    return {"cohorts": len(cohort_ids), "issued": issued}
