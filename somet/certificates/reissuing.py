"""Re-issuing many certificates as a background job: every live certificate of a cohort, or
every live certificate after a template or signing-key change.

Each certificate is one unit, as in issuing: under the serial lock a new certificate is built
from today's data and the old one revoked pointing to it, in one commit; the PDFs render on
every core while the next units go on. The job re-issues only certificates issued before it
was started, so a run that crashed and is run again (the job runner requeues it) skips what it
already replaced, and first re-renders any replacement's PDF that is missing or damaged.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, true

from somet.audit.operations import record_event
from somet.certificates.batches import BATCH_JOB
from somet.certificates.files import PdfWriter
from somet.certificates.operations import ALL_CORES_FROM, check_issuer, checked_reason, reissue_one
from somet.certificates.queries import of_cohort
from somet.core.errors import InvalidTransition, NotFound
from somet.jobs.operations import job_key, latest_run, report_progress, submit_job
from somet.models import Certificate, Cohort, JobOutcome, JobRun, User, utcnow
from somet.web.database import lock_for_write
from somet.web.extensions import db

REISSUE_JOB = "reissue-certificates"


def scope_key(cohort_id: int | None) -> str:
    """The job key: one re-issue at a time per cohort, and one for all certificates."""
    return f"cohort-{cohort_id}" if cohort_id else "all"


def start_reissue(actor: User | None, reason: str, *, cohort_id: int | None = None) -> JobRun:
    """Queue the re-issue of the cohort's live certificates (all of them without a cohort)."""
    check_issuer(actor)
    reason = checked_reason(reason)
    if cohort_id is not None and db.session.get(Cohort, cohort_id) is None:
        raise NotFound(_("There is no such cohort."))
    # A re-issue that failed is resumed by starting it again: the same certificates (issued
    # before the first start), so what it already replaced is not replaced twice.
    previous = latest_reissue(cohort_id)
    resuming = previous is not None and previous.outcome == JobOutcome.FAILED
    issued_before = previous.params["issued_before"] if resuming else utcnow().isoformat()
    params = {"cohort_id": cohort_id, "reason": reason, "issued_before": issued_before}
    run = submit_job(REISSUE_JOB, key=scope_key(cohort_id), params=params, actor=actor)
    db.session.commit()
    return run


def latest_reissue(cohort_id: int | None) -> JobRun | None:
    return latest_run(REISSUE_JOB, scope_key(cohort_id))


def latest_issue_and_reissue(cohort_id: int) -> tuple[JobRun | None, JobRun | None]:
    """The cohort's latest issuing batch and latest re-issue, in one statement."""
    issuing = job_key(BATCH_JOB, str(cohort_id))
    reissue = job_key(REISSUE_JOB, scope_key(cohort_id))
    latest = (
        select(func.max(JobRun.id))
        .where(JobRun.job_id.in_([issuing, reissue]))
        .group_by(JobRun.job_id)
    )
    rows = db.session.scalars(select(JobRun).where(JobRun.id.in_(latest)))
    runs = {run.job_id: run for run in rows}
    return runs.get(issuing), runs.get(reissue)


def run_reissue(
    run: JobRun,
    *,
    cohort_id: int | None,
    reason: str,
    issued_before: str,
    today: date | None = None,
    workers: int | None = None,
    on_progress=None,
) -> dict:
    """The one-off job ``REISSUE_JOB``; reports done / total on the run as it goes."""
    actor_id = run.params.get("actor_id")
    actor = db.session.get(User, actor_id) if actor_id else None
    run_id = run.id
    before = datetime.fromisoformat(issued_before)
    before = before if before.tzinfo else before.replace(tzinfo=UTC)
    scope = of_cohort(cohort_id) if cohort_id else true()
    live = Certificate.revoked_at.is_(None)
    todo = list(db.session.scalars(
        select(Certificate.id).where(live, scope, Certificate.issued_at < before)
        .order_by(Certificate.id)
    ))  # fmt: skip
    # Replacements an earlier, interrupted attempt of this run made: their files are checked.
    resumed = list(db.session.scalars(
        select(Certificate.replaced_by_id).where(
            scope, Certificate.replaced_by_id.is_not(None), Certificate.revoked_at >= before
        ).order_by(Certificate.replaced_by_id)
    ))  # fmt: skip
    db.session.commit()
    total = len(todo) + len(resumed)
    workers = workers if workers is not None else (0 if total > ALL_CORES_FROM else 1)
    cores = workers or os.cpu_count() or 1

    def progress(done: int, count: int) -> None:
        lock_for_write(db.session(), f"job-run-{run_id}")
        report_progress(db.session.get(JobRun, run_id), done, count)
        if on_progress:
            on_progress(done, count)

    started = time.perf_counter()
    writer = PdfWriter(workers, total, progress)
    for certificate_id in resumed:
        writer.add(certificate_id)
    reissued = refused = 0
    for certificate_id in todo:
        try:
            writer.add(reissue_one(actor, certificate_id, reason, today=today))
            reissued += 1
        except InvalidTransition:  # no longer earned, or revoked meanwhile: the others go on
            db.session.rollback()
            refused += 1
            writer.skip()
    files = writer.finish()
    seconds = time.perf_counter() - started
    lock_for_write(db.session(), "certificate-serials")
    cohort = db.session.get(Cohort, cohort_id) if cohort_id else None
    record_event(
        actor, "certificates.batch_reissued", cohort, reissued=reissued, refused=refused,
        resumed=len(resumed), files=files, reason=reason,
    )  # fmt: skip
    db.session.commit()
    per_second = (reissued + len(resumed)) / seconds if seconds else 0.0
    return {
        "reissued": reissued,
        "resumed": len(resumed),
        "refused": refused,
        "files_written": files,
        "seconds": round(seconds, 1),
        "cores": cores,
        "per_second": round(per_second, 1),
        "per_core_per_second": round(per_second / cores, 2),
    }
