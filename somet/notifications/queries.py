"""A user's own notifications: listing, unread count, marking read.

Marking read is the user's own view state, not a business event, so it is not audited.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from somet.core.errors import NotFound
from somet.models import DeliveryStatus, Notification, User, utcnow
from somet.web.extensions import db
from somet.web.paging import KeysetPage, page_by_id


def inbox_query(user: User):
    """The user's notifications, newest first."""
    return (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def outbox_page(
    status: DeliveryStatus | None = None,
    recipient: str = "",
    *,
    per_page: int,
    before: int | None = None,
    after: int | None = None,
) -> KeysetPage:
    """A page of every e-mail SOMET wrote, newest first, optionally of one delivery status or
    recipient: the page just older than e-mail ``before`` or just newer than ``after``, else
    the newest. Keyset pages: the outbox grows with every year, and page numbers would count
    all of it on every view."""
    query = select(Notification)
    if status is not None:
        query = query.where(Notification.delivery_status == status)
    if recipient.strip():
        query = query.where(
            Notification.to_email.contains(recipient.strip().lower(), autoescape=True)
        )
    return page_by_id(query, Notification.id, per_page=per_page, before=before, after=after)


def unread_count(user: User) -> int:
    """Loaded with the signed-in user (see models.notifications); a query otherwise."""
    return user.unread_notification_count


def mark_read(user: User, notification_id: int) -> None:
    """Mark one of the user's notifications read (someone else's is not found)."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.user_id == user.id)
        .values(read_at=func.coalesce(Notification.read_at, utcnow()))
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise NotFound(_("There is no such notification."))
    db.session.commit()


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount
