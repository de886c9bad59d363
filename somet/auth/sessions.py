"""Flask-Login wiring: a user is loaded only while its session epoch still matches."""

from __future__ import annotations

from flask import Flask
from flask_login import LoginManager

from somet.extensions import db
from somet.models import User


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
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or user.session_epoch != int(epoch):
            return None
        return user
