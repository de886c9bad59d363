"""Delivering the outbox by SMTP, with retries and backoff recorded on each notification.

Run by the job runner every half minute. Without ``SOMET_SMTP_HOST`` messages stay in the
app only (``not_sent``). A failed attempt is counted and its error kept; the next attempt
waits ``RETRY_AFTER[attempts - 1]`` after the message was written, and after the last one
the message is marked failed (still readable in the app).
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy import select, update

from somet.core.retries import MAX_ATTEMPTS, RETRY_AFTER
from somet.models import DeliveryStatus, Notification
from somet.web.database import lock_for_write
from somet.web.extensions import db

BATCH_SIZE = 100
SMTP_TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str
    password: str
    starttls: bool
    sender: str

    @classmethod
    def from_config(cls, config) -> SmtpSettings:
        return cls(
            host=config["SOMET_SMTP_HOST"],
            port=config["SOMET_SMTP_PORT"],
            username=config["SOMET_SMTP_USERNAME"],
            password=config["SOMET_SMTP_PASSWORD"],
            starttls=config["SOMET_SMTP_STARTTLS"],
            sender=config["SOMET_MAIL_FROM"],
        )


@dataclass(frozen=True)
class Outgoing:
    """What is needed to send one notification (read first, so no lock is held while sending)."""

    id: int
    to_email: str
    subject: str
    body: str
    language: str
    attempts: int


def deliver_pending(settings: SmtpSettings, now: datetime) -> dict:
    """Send the notifications that are due; returns counts (sent, retry, failed, in app only)."""
    if not settings.host:
        lock_for_write(db.session(), "mail")
        result = db.session.execute(
            update(Notification)
            .where(Notification.delivery_status == DeliveryStatus.PENDING)
            .values(delivery_status=DeliveryStatus.NOT_SENT)
        )
        db.session.commit()
        return {"in_app_only": result.rowcount}
    due = _due(now)
    db.session.rollback()  # end the read: the database is not held while talking to SMTP
    counts = {"sent": 0, "retry": 0, "failed": 0}
    if not due:
        return counts
    try:
        connection = _connect(settings)
    except (OSError, smtplib.SMTPException) as error:
        for message in due:
            counts[_record(message, now, error)] += 1
        return counts
    with connection:
        for message in due:
            error = _send(connection, settings, message)
            counts[_record(message, now, error)] += 1
    return counts


def _due(now: datetime) -> list[Outgoing]:
    pending = db.session.execute(
        select(
            Notification.id,
            Notification.to_email,
            Notification.subject,
            Notification.body,
            Notification.language,
            Notification.attempts,
            Notification.created_at,
        )
        .where(Notification.delivery_status == DeliveryStatus.PENDING)
        .order_by(Notification.attempts, Notification.id)
        .limit(BATCH_SIZE)
    ).all()
    return [
        Outgoing(*row[:6])
        for row in pending
        if row.attempts == 0 or row.created_at + RETRY_AFTER[row.attempts - 1] <= now
    ]


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    connection = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS)
    try:
        if settings.starttls:
            connection.starttls()
        if settings.username:
            connection.login(settings.username, settings.password)
    except BaseException:
        connection.close()
        raise
    return connection


def _send(connection, settings: SmtpSettings, message: Outgoing) -> Exception | None:
    try:
        connection.send_message(_email(message, settings))
    except (OSError, smtplib.SMTPException) as error:
        return error
    return None


def _record(message: Outgoing, now: datetime, error: Exception | None) -> str:
    """Write the attempt's outcome (one message per transaction); returns its count name."""
    attempts = message.attempts + 1
    if error is None:
        values = dict(delivery_status=DeliveryStatus.SENT, sent_at=now, last_error=None)
        outcome = "sent"
    else:
        failed = attempts >= MAX_ATTEMPTS
        values = dict(last_error=f"{type(error).__name__}: {error}"[:2000])
        if failed:
            values["delivery_status"] = DeliveryStatus.FAILED
        outcome = "failed" if failed else "retry"
    lock_for_write(db.session(), "mail")
    db.session.execute(
        update(Notification)
        .where(Notification.id == message.id)
        .values(attempts=attempts, **values)
    )
    db.session.commit()
    return outcome


def _email(message: Outgoing, settings: SmtpSettings) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.sender
    email["To"] = message.to_email
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="somet")
    email.set_content(message.body)
    email["Content-Language"] = message.language  # after set_content, which clears Content-*
    return email
