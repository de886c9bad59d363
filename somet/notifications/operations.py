"""The notification outbox, and messages written into it in the recipient's language.

Every message is written to the outbox first, then shown in the app and delivered by mail.

Each kind of message is ``templates/notifications/<kind>.txt`` with a ``subject`` and a
``body`` block, ``_()``-marked, rendered under ``force_locale(recipient.language)`` so the
words, dates and names come out in the recipient's language (whatever the current request's
language is, or with no request at all, in the job runner).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from somet.audit.operations import record_event
from somet.core.errors import InvalidTransition, NotAllowed, NotFound
from somet.core.localisation import person_name
from somet.models import DeliveryStatus, Doctor, Notification, Role, User
from somet.web.database import lock_for_write
from somet.web.extensions import db

BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")  # template tags leave runs of empty lines
RETRYABLE = (DeliveryStatus.FAILED, DeliveryStatus.NOT_SENT)


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    name: str
    user_id: int | None = None


def enqueue_notification(
    *,
    to_email: str,
    kind: str,
    subject: str,
    body: str,
    user: User | None = None,
    language: str = "en",
    dedup_key: str | None = None,
) -> Notification | None:
    """Put a message in the outbox (part of the caller's transaction).

    With a ``dedup_key`` the same message is written once only: a second call returns None.
    """
    if dedup_key is not None:
        exists = db.session.scalar(
            select(Notification.id).where(Notification.dedup_key == dedup_key)
        )
        if exists is not None:
            return None
    notification = Notification(
        user_id=user.id if user is not None else None,
        to_email=to_email,
        kind=kind,
        language=language,
        subject=subject,
        body=body,
        dedup_key=dedup_key,
    )
    db.session.add(notification)
    return notification


def recipient_for_user(user: User) -> Recipient:
    return Recipient(user.email, user.language.value, user.full_name, user.id)


def recipient_for_doctor(doctor: Doctor, user: User | None) -> Recipient | None:
    """The doctor's login when there is one (its language), else the doctor's own e-mail."""
    if user is not None and user.active:
        return recipient_for_user(user)
    if not doctor.email:
        return None
    language = doctor.preferred_language.value
    name = person_name(doctor.first_name, doctor.last_name, doctor.native_name, language)
    return Recipient(doctor.email, language, name)


def render_message(kind: str, language: str, **context) -> tuple[str, str]:
    """(subject, body) of message ``kind`` in ``language``."""
    template = current_app.jinja_env.get_template(f"notifications/{kind}.txt")
    context.setdefault("public_url", current_app.config["SOMET_PUBLIC_URL"])
    with force_locale(language):
        variables = template.new_context(context)
        subject = "".join(template.blocks["subject"](variables))
        variables = template.new_context(context)
        body = "".join(template.blocks["body"](variables))
    return " ".join(subject.split()), BLANK_LINES.sub("\n\n", body).strip() + "\n"


def notify(recipient: Recipient, kind: str, dedup_key: str, **context) -> Notification | None:
    """Write message ``kind`` for ``recipient`` once per ``dedup_key`` (None if already sent)."""
    if db.session.scalar(select(Notification.id).where(Notification.dedup_key == dedup_key)):
        return None
    subject, body = render_message(kind, recipient.language, recipient=recipient, **context)
    notification = enqueue_notification(
        to_email=recipient.email,
        kind=kind,
        subject=subject[:300],
        body=body,
        language=recipient.language,
        dedup_key=dedup_key,
    )
    if notification is not None:
        notification.user_id = recipient.user_id  # shown in that user's notifications
    return notification


def withdraw_unseen(dedup_key: str) -> User | None:
    """Take back the message queued under ``dedup_key`` while nobody has read it or been
    mailed it. Returns its recipient when it was already seen (the caller tells them it no
    longer holds); None when there was none or it was withdrawn."""
    notice = db.session.scalar(select(Notification).where(Notification.dedup_key == dedup_key))
    if notice is None:
        return None
    if notice.read_at is None and notice.delivery_status != DeliveryStatus.SENT:
        db.session.delete(notice)
        return None
    return db.session.get(User, notice.user_id) if notice.user_id else None


def hospital_coordinators(hospital_ids) -> dict[int, list[User]]:
    """Active coordinators of each hospital (one query)."""
    users = db.session.scalars(
        select(User)
        .where(User.role == Role.COORDINATOR, User.hospital_id.in_(hospital_ids), User.active)
        .order_by(User.id)
    )
    found: dict[int, list[User]] = {}
    for user in users:
        found.setdefault(user.hospital_id, []).append(user)
    return found


def directors_for(director_ids) -> dict[int | None, list[User]]:
    """Each cohort director by id; under None, every active director (for cohorts without one)."""
    users = list(db.session.scalars(select(User).where(User.role == Role.DIRECTOR, User.active)))
    found: dict[int | None, list[User]] = {None: users}
    for user in users:
        if user.id in set(director_ids):
            found[user.id] = [user]
    return found


def retry_delivery(actor: User, notification_id: int) -> Notification:
    """Queue a failed or never-sent e-mail for delivery again (administrators only)."""
    if actor.role != Role.ADMIN:
        raise NotAllowed(_("Only an administrator can resend e-mails."))
    lock_for_write(db.session(), "mail")  # the delivery job writes the same rows
    notification = db.session.get(Notification, notification_id)
    if notification is None:
        raise NotFound(_("There is no such e-mail."))
    if notification.delivery_status not in RETRYABLE:
        raise InvalidTransition(_("This e-mail is already sent or waiting to be sent."))
    before = notification.delivery_status.value
    # attempts start over, so the delivery job sends it on its next run, not after a backoff
    notification.delivery_status, notification.attempts = DeliveryStatus.PENDING, 0
    record_event(actor, "notification.retried", notification, before=before)
    db.session.commit()
    return notification
