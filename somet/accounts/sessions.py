"""Flask-Login wiring: a user is loaded only while its session epoch still matches."""

from __future__ import annotations

from flask import Flask, request
from flask_login import LoginManager
from sqlalchemy import bindparam, case, or_, select
from sqlalchemy.orm import joinedload, undefer

from somet.accounts import queues
from somet.models import Role, User
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
_SIGNED_IN_USER_AND_STAFF_BADGES = _SIGNED_IN_USER.add_columns(
    *(case((_STAFF, count)) for count in queues.staff_badge_columns())
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
        page = request.method in ("GET", "HEAD") and request.endpoint != "home.index"
        statement = _SIGNED_IN_USER_AND_STAFF_BADGES if page else _SIGNED_IN_USER
        row = db.session.execute(statement, {"user_id": int(user_id)}).one_or_none()
        if row is None:
            return None
        user, *badge_counts = row
        if not user.active or user.session_epoch != int(epoch):
            return None
        if page and user.role.is_staff:
            use_nav_counts(queues.staff_badges(*badge_counts))
        return user
