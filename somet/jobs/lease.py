"""The runner lease: one row that says which job runner acts, until when.

We use the lease on both databases (not a PostgreSQL advisory lock) because it behaves the
same everywhere, can be tested the same way on SQLite and PostgreSQL, and survives a
connection pool recycling connections (a session-level advisory lock lives and dies with one
connection, which SQLAlchemy's pool may close or hand to another thread). Its one weakness, a
holder frozen for longer than the lease that wakes up and still believes it holds it, is
covered twice: the holder renews before acting and stops its scheduler when a renewal fails,
and every scheduled run is claimed by inserting a unique (job, scheduled time) row first.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from somet.models import RunnerLease, utcnow
from somet.web.extensions import db

LEASE_NAME = "job-runner"


def acquire_lease(holder: str, ttl_seconds: float, name: str = LEASE_NAME) -> bool:
    """Take or renew the lease for ``holder``; False while somebody else's lease is live.

    A conditional UPDATE: on PostgreSQL a second runner racing for an expired lease waits on
    the row lock and then finds the row already renewed by the winner (rowcount 0); SQLite
    serialises the writers.
    """
    now = utcnow()
    expires_at = now + timedelta(seconds=ttl_seconds)
    result = db.session.execute(
        update(RunnerLease)
        .where(
            RunnerLease.name == name,
            or_(RunnerLease.holder == holder, RunnerLease.expires_at < now),
        )
        .values(holder=holder, expires_at=expires_at)
    )
    if result.rowcount == 1:
        db.session.commit()
        return True
    exists = db.session.scalar(select(RunnerLease.name).where(RunnerLease.name == name))
    if exists is not None:
        db.session.rollback()
        return False
    db.session.add(RunnerLease(name=name, holder=holder, expires_at=expires_at))
    try:
        db.session.commit()
    except IntegrityError:  # another runner inserted the first lease at the same moment
        db.session.rollback()
        return False
    return True


def release_lease(holder: str, name: str = LEASE_NAME) -> None:
    """Give the lease up (on a clean stop), so a waiting runner takes over at once."""
    db.session.execute(
        delete(RunnerLease).where(RunnerLease.name == name, RunnerLease.holder == holder)
    )
    db.session.commit()


def current_holder(name: str = LEASE_NAME) -> RunnerLease | None:
    """The live lease, if any (for the admin page and tests)."""
    lease = db.session.scalars(
        select(RunnerLease)
        .where(RunnerLease.name == name)
        .execution_options(populate_existing=True)
    ).first()
    if lease is None or lease.expires_at < utcnow():
        return None
    return lease
