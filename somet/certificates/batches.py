"""The cohort's certificate batch (a background job) and the cohort ZIP."""

from __future__ import annotations

import zipfile
from typing import IO

from flask_babel import gettext as _
from sqlalchemy import select

from somet.certificates import storage
from somet.certificates.files import storage_dir
from somet.certificates.operations import check_issuer, issue_certificates
from somet.certificates.queries import cohort_zip_contents
from somet.core.errors import NotFound
from somet.jobs.operations import report_progress, submit_job
from somet.models import Certificate, Cohort, JobRun, User
from somet.web.database import lock_for_write
from somet.web.extensions import db

BATCH_JOB = "issue-certificates"


def start_certificate_batch(actor: User, cohort_id: int) -> JobRun:
    """Queue the cohort's batch (a second start while one is queued or running is the same)."""
    check_issuer(actor)
    if db.session.get(Cohort, cohort_id) is None:
        raise NotFound(_("There is no such cohort."))
    run = submit_job(BATCH_JOB, key=str(cohort_id), params={"cohort_id": cohort_id}, actor=actor)
    db.session.commit()
    return run


def run_certificate_batch(run: JobRun, *, cohort_id: int) -> dict:
    """The one-off job ``BATCH_JOB``: issue the cohort's certificates, reporting done / total."""
    actor_id = run.params.get("actor_id")
    actor = db.session.get(User, actor_id) if actor_id else None
    run_id = run.id
    db.session.commit()

    def progress(done: int, total: int) -> None:
        lock_for_write(db.session(), f"job-run-{run_id}")
        report_progress(db.session.get(JobRun, run_id), done, total)

    return issue_certificates(actor, cohort_id, progress=progress)


def write_cohort_zip(cohort_id: int, target: IO[bytes]) -> int:
    """Write the cohort's live certificates' stored PDFs into a ZIP; returns how many."""
    rows = db.session.execute(
        select(Certificate.serial, Certificate.pdf_path, Certificate.snapshot)
        .where(*cohort_zip_contents(cohort_id))
        .order_by(Certificate.serial)
    ).all()
    written = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for row in rows:
            path = storage.stored_file(storage_dir(), row.pdf_path)
            if path is not None:
                name = f"{row.serial} {_holder_name(row.snapshot)}.pdf"
                archive.write(path, arcname=name)
                written += 1
    return written


def _holder_name(snapshot) -> str:
    holder = snapshot.get("holder") if isinstance(snapshot, dict) else None
    return holder.get("latin_name", "") if isinstance(holder, dict) else ""
