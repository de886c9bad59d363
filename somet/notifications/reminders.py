"""Reminders, run hourly by the job runner; each is sent once (``Notification.dedup_key``).

Each feature adds its reminder sources from its ``register(app)`` with
``register_reminder_source``: hosts about pending requests (requests), doctors before a
rotation (portal) and before a masterclass (masterclasses). Expiring documents have a
nightly job of their own (documents).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Flask

from somet.web.database import lock_for_write
from somet.web.extensions import db
from somet.web.wiring import wiring_of

ReminderSource = Callable[[datetime], int]


def register_reminder_source(app: Flask, name: str, source: ReminderSource) -> None:
    """Add a reminder (``source(now)`` writes notifications, returns how many) to the hourly run."""
    wiring_of(app).reminder_sources[name] = source


def send_reminders(now: datetime) -> dict:
    """Run every reminder source of the current app once; returns how many each wrote."""
    counts = {}
    for name, source in wiring_of().reminder_sources.items():
        lock_for_write(db.session(), "reminders")  # SQLite: read and write in one transaction
        counts[name] = source(now)
        db.session.commit()
    return counts
