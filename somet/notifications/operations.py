"""The notification outbox: every message is written here first, then shown and delivered."""

from __future__ import annotations

from sqlalchemy import select

from somet.models import Notification, User
from somet.web.extensions import db


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
