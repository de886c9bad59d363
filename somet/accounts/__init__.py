"""Accounts: sign-in, users, invitations, languages, each role's home."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """Sign-in, home, users and languages pages, and their navigation entries."""
    from flask_babel import lazy_gettext as _l

    from somet.accounts import queues
    from somet.accounts.views import auth, home, languages, users
    from somet.models import Role
    from somet.web.navigation import add_nav_counter, add_nav_item

    for module in (auth, home, users, languages):
        app.register_blueprint(module.blueprint)
    add_nav_item(app, _l("Home"), "home.index", *Role, order=0)
    add_nav_item(app, _l("Users"), "admin.list_users", Role.ADMIN, order=90)
    add_nav_item(app, _l("Invite a user"), "admin.invite_user", Role.DIRECTOR, order=90)
    add_nav_counter(app, queues.staff_counts, Role.ADMIN, Role.DIRECTOR)
    add_nav_counter(app, queues.coordinator_counts, Role.COORDINATOR)
    add_nav_counter(app, queues.doctor_counts, Role.DOCTOR)
