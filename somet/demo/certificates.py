"""Demo: last year's completed cohort has its certificates issued (PDFs stored, signed)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from somet.demo import data
from somet.models import Cohort
from somet.web.extensions import db

ISSUED_ON = date(2025, 11, 20)  # a week after the cohort ended


def issue_demo_certificates() -> dict:
    """Issue the completed demo cohort's certificates, as the system (idempotent)."""
    from somet.certificates.operations import issue_certificates

    cohort_id = db.session.scalar(select(Cohort.id).where(Cohort.name == data.PAST_COHORT["name"]))
    if cohort_id is None:
        return {"issued": 0}
    return issue_certificates(None, cohort_id, today=ISSUED_ON)
