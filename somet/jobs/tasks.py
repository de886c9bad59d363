"""The jobs feature's own scheduled job: the poller that runs queued one-off work."""

from __future__ import annotations

from datetime import datetime

from somet.jobs.operations import run_queued_jobs


def process_queued_jobs(now: datetime) -> dict:
    return {"ran": run_queued_jobs()}
