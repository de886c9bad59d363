"""Flask-Login wiring: a user is loaded only while its session epoch still matches."""

from __future__ import annotations

from flask import Flask
from flask_login import LoginManager
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, undefer

from somet.models import User
from somet.web.extensions import db

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
        user = db.session.execute(_SIGNED_IN_USER, {"user_id": int(user_id)}).scalar()
        if user is None or not user.active or user.session_epoch != int(epoch):
            return None
        return user
