"""Flask-Login wiring: a user is loaded only while its session epoch still matches."""

from __future__ import annotations

from flask import Flask, request, session
from flask_login import LoginManager
from sqlalchemy import bindparam, case, or_, select, true
from sqlalchemy.orm import aliased, joinedload, undefer

from somet.accounts import queues
from somet.models import Role, User, utcnow
from somet.web.extensions import db
from somet.web.navigation import use_nav_counts


def _signed_in_user(*relations):
    """The signed-in user (parameter ``user_id``) with the navigation's unread count and
    ``relations`` in the same statement."""
    return (
        select(User)
        .options(
            undefer(User.unread_notification_count),
            *(joinedload(relation) for relation in relations),
        )
        .where(User.id == bindparam("user_id"))
    )


# Built once: a prepared statement's cache key is computed once, not on every request as
# session.get(..., options=...) does. A coordinator's hospital comes with the user (every
# coordinator page reads it: the menu's badges, the pages' own queries;
# ``db.session.get(Hospital, ...)`` finds it without a statement), and so does a doctor's
# own record (their profile and calendar pages show it). The role is known from the session
# (``_ROLE_SEEN``) once the user was loaded in it; until then every relation is joined.
_ANY_USER = _signed_in_user(User.hospital, User.doctor)
_STAFF_USER = _signed_in_user()
_USER_OF_ROLE = {
    Role.ADMIN: _STAFF_USER,
    Role.DIRECTOR: _STAFF_USER,
    Role.COORDINATOR: _signed_in_user(User.hospital),
    Role.DOCTOR: _signed_in_user(User.doctor),
}
# A page (a GET) draws the menu: a director's or administrator's badges, four counts without
# parameters, and a doctor's come in the same statement instead of one of their own, each
# role's alone. Not on a POST (its badges would be counted before the change it makes), nor
# on the home page (its queues give the badges).
_STAFF_COUNTS = [count.label(f"staff_{n}") for n, count in enumerate(queues.staff_badge_columns())]


def _own_doctor_badges():
    """A doctor's badge statement (their invitations and evaluations counted, beside their
    trips' document rows) for the signed-in user: their doctor id read by a subquery on
    ``user_id`` (PostgreSQL runs it once). A doctor's row comes once per trip document (at
    least once); for the other roles the doctor's id is NULL and the statement finds nothing."""
    me = aliased(User)
    own = select(me.doctor_id).where(me.id == bindparam("user_id")).scalar_subquery()
    return queues.doctor_badges_of(own).subquery("doctor_badges")


_DOCTOR_BADGES = _own_doctor_badges()


def _with_doctor_badges(statement):
    return statement.outerjoin(_DOCTOR_BADGES, true()).add_columns(*_DOCTOR_BADGES.c)


_STAFF_PAGE = _STAFF_USER.add_columns(*_STAFF_COUNTS)
_PAGE_OF_ROLE = {
    Role.ADMIN: _STAFF_PAGE,
    Role.DIRECTOR: _STAFF_PAGE,
    Role.COORDINATOR: _USER_OF_ROLE[Role.COORDINATOR],  # their badges need the hospital's day
    Role.DOCTOR: _with_doctor_badges(_USER_OF_ROLE[Role.DOCTOR]),
}
# The role not known yet (the first page of a session): every role's badges, the staff's
# under CASE (not evaluated for the other roles; the doctor's part finds nothing for them).
_STAFF = or_(*(User.role == role for role in Role if role.is_staff))
_ANY_PAGE = _with_doctor_badges(_ANY_USER).add_columns(
    *(case((_STAFF, count.element)).label(count.name) for count in _STAFF_COUNTS)
)
# The session's "<session id> <role>" of the user last loaded in it.
_ROLE_SEEN = "_somet_role"


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
        role = _role_seen(session_id)
        if request.method not in ("GET", "HEAD") or request.endpoint == "home.index":
            parameters = {"user_id": int(user_id)}
            statement = _USER_OF_ROLE.get(role, _ANY_USER)
            user = db.session.execute(statement, parameters).scalar()
            if not _still_signed_in(user, epoch):
                return None
            if statement is not _ANY_USER and statement is not _USER_OF_ROLE[user.role]:
                db.session.execute(_ANY_USER, parameters)  # the role changed: its relations
            _remember_role(session_id, user.role)
            return user
        now = utcnow()
        parameters = {"user_id": int(user_id), "today": now.date(), "now": now}
        statement = _PAGE_OF_ROLE.get(role, _ANY_PAGE)
        rows = db.session.execute(statement, parameters).all()
        user = rows[0][0] if rows else None
        if not _still_signed_in(user, epoch):
            return None
        if statement is not _ANY_PAGE and statement is not _PAGE_OF_ROLE[user.role]:
            rows = db.session.execute(_ANY_PAGE, parameters).all()  # the role changed
        _remember_role(session_id, user.role)
        if user.role.is_staff:
            use_nav_counts(queues.staff_badges(*(rows[0]._mapping[c.name] for c in _STAFF_COUNTS)))
        elif user.role == Role.DOCTOR:
            badge_rows = [row._mapping for row in rows]
            use_nav_counts(queues.doctor_badges_from_rows(badge_rows, now.date()))
        return user


def _still_signed_in(user: User | None, epoch: str) -> bool:
    return user is not None and user.active and user.session_epoch == int(epoch)


def _role_seen(session_id: str) -> str | None:
    seen_id, _, role = session.get(_ROLE_SEEN, "").partition(" ")
    return role if seen_id == session_id else None  # a Role's value finds its statements


def _remember_role(session_id: str, role: Role) -> None:
    seen = f"{session_id} {role.value}"
    if session.get(_ROLE_SEEN) != seen:  # written once per session: the cookie stays as it is
        session[_ROLE_SEEN] = seen
