"""The nightly expiry reminders, registered with the job runner (imported by the blueprint)."""

from __future__ import annotations

from datetime import datetime

from somet.documents.operations import send_document_expiry_reminders
from somet.jobs.registry import ScheduledJob, register_scheduled_job

NIGHTLY_GRACE = 23 * 3600  # late is better than a skipped day (as the other nightly jobs)


def document_expiry_reminders(now: datetime) -> dict:
    return {"reminders": send_document_expiry_reminders(now.date())}


register_scheduled_job(
    ScheduledJob(
        "document-expiry-reminders",
        "Reminders before travel documents expire",
        document_expiry_reminders,
        "cron",
        {"hour": 2, "minute": 0},
        misfire_grace_time=NIGHTLY_GRACE,
    )
)
