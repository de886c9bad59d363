"""Flask-Login wiring: a user is loaded only while its session epoch still matches."""

from __future__ import annotations

from flask import Flask, request
from flask_login import LoginManager
from sqlalchemy import bindparam, case, or_, select, true
from sqlalchemy.orm import aliased, joinedload, undefer

from somet.accounts import queues
from somet.models import Role, User, utcnow
from somet.web.extensions import db
from somet.web.navigation import use_nav_counts

# Built once: a prepared statement's cache key is computed once, not on every request as
# session.get(..., options=...) does. The navigation's unread count comes with the user, and
# so do a coordinator's hospital (every coordinator page reads it: the menu's badges, the
# pages' own queries; ``db.session.get(Hospital, ...)`` finds it without a statement) and a
# doctor's own record (their profile and calendar pages show it); for the other roles the
# outer joins find no row.
_SIGNED_IN_USER = (
    select(User)
    .options(
        undefer(User.unread_notification_count),
        joinedload(User.hospital),
        joinedload(User.doctor),
    )
    .where(User.id == bindparam("user_id"))
)
# A page (a GET) draws the menu: a director's or administrator's badges, four counts without
# parameters, come in the same statement instead of one of their own. For the other roles the
# columns are NULL (CASE does not evaluate them; their badges need the user's own rows). Not
# on a POST (its badges would be counted before the change it makes), nor on the home page
# (its queues give the badges).
_STAFF = or_(*(User.role == role for role in Role if role.is_staff))
_STAFF_BADGES = [
    case((_STAFF, count)).label(f"staff_{n}")
    for n, count in enumerate(queues.staff_badge_columns())
]


def _own_doctor_badges():
    """A doctor's badge statement (their invitations and evaluations counted, beside their
    trips' document rows) for the signed-in user: their doctor id read by a subquery on
    ``user_id`` (PostgreSQL runs it once). A doctor's row comes once per trip document (at
    least once); for the other roles the doctor's id is NULL and the statement finds nothing."""
    me = aliased(User)
    own = select(me.doctor_id).where(me.id == bindparam("user_id")).scalar_subquery()
    return queues.doctor_badges_of(own).subquery("doctor_badges")


_DOCTOR_BADGES = _own_doctor_badges()
_SIGNED_IN_USER_AND_BADGES = (
    _SIGNED_IN_USER.add_columns(*_STAFF_BADGES)
    .outerjoin(_DOCTOR_BADGES, true())
    .add_columns(*_DOCTOR_BADGES.c)
)


def init_login_manager(app: Flask, manager: LoginManager) -> None:
    """Bind Flask-Login; cookies carry ``id:epoch`` so bumping the epoch ends old sessions."""
    manager.init_app(app)
    manager.login_view = "auth.login"
    manager.login_message = "Please log in to see this page."
    manager.login_message_category = "info"
    manager.session_protection = "strong"

    @manager.user_loader
    def load_user(session_id: str) -> User | None:
        user_id, _, epoch = session_id.partition(":")
        if not user_id.isdigit() or not epoch.isdigit():
            return None
        if request.method not in ("GET", "HEAD") or request.endpoint == "home.index":
            user = db.session.execute(_SIGNED_IN_USER, {"user_id": int(user_id)}).scalar()
            return user if _still_signed_in(user, epoch) else None
        now = utcnow()
        parameters = {"user_id": int(user_id), "today": now.date(), "now": now}
        rows = db.session.execute(_SIGNED_IN_USER_AND_BADGES, parameters).all()
        user = rows[0][0] if rows else None
        if not _still_signed_in(user, epoch):
            return None
        if user.role.is_staff:
            use_nav_counts(queues.staff_badges(*(rows[0]._mapping[c.name] for c in _STAFF_BADGES)))
        elif user.role == Role.DOCTOR:
            badge_rows = [row._mapping for row in rows]
            use_nav_counts(queues.doctor_badges_from_rows(badge_rows, now.date()))
        return user


def _still_signed_in(user: User | None, epoch: str) -> bool:
    return user is not None and user.active and user.session_epoch == int(epoch)
