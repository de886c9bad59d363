"""The notifications feature's scheduled work: the outbox delivered by SMTP."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from somet.notifications import delivery


def deliver_notifications(now: datetime) -> dict:
    return delivery.deliver_pending(delivery.SmtpSettings.from_config(current_app.config), now)
