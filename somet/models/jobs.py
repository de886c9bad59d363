"""Background job runs and the runner's lease."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from somet.models.base import Base, UTCDateTime, enum_column, utcnow


class JobOutcome(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class JobRun(Base):
    """One run of a job; (job, scheduled time) is unique so a run never happens twice."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job_id", "scheduled_for"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(200), index=True)
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    outcome: Mapped[JobOutcome] = mapped_column(
        enum_column(JobOutcome, "job_outcome"), default=JobOutcome.QUEUED
    )
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RunnerLease(Base):
    """Who runs the jobs: one holder at a time, taken over when its lease expires."""

    __tablename__ = "runner_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
