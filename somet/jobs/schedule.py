"""What the job runner runs, and when (UTC).

Settings chosen on purpose (README "Background jobs" says the same):
- ``coalesce=True`` for all: after downtime a job runs once, not once per missed time; each
  function catches up by itself (it looks at today's state, not at "since the last run").
- ``max_instances=1`` for all: a slow run never overlaps the next one of the same job.
- ``misfire_grace_time``: nightly jobs 23 h (late is better than a skipped day; never so late
  that it collides with the next night), hourly reminders 55 min, pollers one interval (a
  late poll is superseded by the next one anyway).
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from somet.certificates import tasks as auto_certificates
from somet.cohorts import tasks as lifecycle
from somet.jobs.queue import run_queued_jobs
from somet.jobs.registry import ScheduledJob, register_scheduled_job
from somet.notifications import delivery as mail
from somet.notifications import reminders

NIGHTLY_GRACE = 23 * 3600
HOURLY_GRACE = 55 * 60


def process_queued_jobs(now: datetime) -> dict:
    return {"ran": run_queued_jobs()}


def deliver_notifications(now: datetime) -> dict:
    return mail.deliver_pending(mail.SmtpSettings.from_config(current_app.config), now)


def nightly_lifecycle(now: datetime) -> dict:
    today = now.date()
    return {**lifecycle.advance_cohorts(today), **lifecycle.close_finished_placements(today)}


register_scheduled_job(
    ScheduledJob(
        "process-queued-jobs",
        "One-off jobs (plans, certificate batches)",
        process_queued_jobs,
        "interval",
        {"seconds": 5},
        misfire_grace_time=5,
        recorded=False,
    )
)
register_scheduled_job(
    ScheduledJob(
        "deliver-notifications",
        "E-mail delivery",
        deliver_notifications,
        "interval",
        {"seconds": 30},
        misfire_grace_time=30,
        recorded=False,
    )
)
register_scheduled_job(
    ScheduledJob(
        "nightly-lifecycle",
        "Cohorts start and finish; finished placements close",
        nightly_lifecycle,
        "cron",
        {"hour": 1, "minute": 0},
        misfire_grace_time=NIGHTLY_GRACE,
    )
)
register_scheduled_job(
    ScheduledJob(
        "auto-issue-certificates",
        "Certificates for newly complete enrollments",
        auto_certificates.issue_due_certificates,
        "cron",
        {"hour": 1, "minute": 30},
        misfire_grace_time=NIGHTLY_GRACE,
    )
)
register_scheduled_job(
    ScheduledJob(
        "send-reminders",
        "Reminders to hosts, doctors and directors",
        reminders.send_reminders,
        "cron",
        {"minute": 5},
        misfire_grace_time=HOURLY_GRACE,
    )
)
