"""Who may see what: role decorators and loaders that select through the owner.

Object-level rule (DESIGN §2): a coordinator reaches only its own hospital's objects, a
doctor only its own. A guessed id of somebody else's object is a 404, never the data.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, current_app
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import Select, select

from somet.core.errors import NotAllowed
from somet.models import (
    Certificate,
    Department,
    Doctor,
    Enrollment,
    Hospital,
    Placement,
    Registration,
    Role,
    User,
)
from somet.web.extensions import db
from somet.web.wiring import wiring_of

# For role decorators and navigation entries; the rule itself is ``Role.is_staff``.
STAFF = tuple(role for role in Role if role.is_staff)
ModelT = TypeVar("ModelT")


def require_staff(actor: User | None) -> None:
    """Refuse anyone but staff (administrators, programme directors); ``None`` is nobody."""
    if actor is None or not actor.role.is_staff:
        raise NotAllowed(_("Only directors and administrators may do this."))


def role_required(*roles: Role) -> Callable:
    """Let in only logged-in users with one of ``roles`` (others get 403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        # Read by ``may`` so templates ask the view's own rule instead of restating roles.
        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator


def may(endpoint: str) -> bool:
    """Whether the current user passes ``endpoint``'s role check (for links and buttons)."""
    if not current_user.is_authenticated:
        return False
    roles = getattr(current_app.view_functions.get(endpoint), "allowed_roles", None)
    return roles is None or current_user.role in roles


def _placement_scope(query: Select, user: User) -> Select:
    if user.role == Role.COORDINATOR:
        return query.join(Department, Placement.department_id == Department.id).where(
            Department.hospital_id == user.hospital_id
        )
    return query.join(Enrollment, Placement.enrollment_id == Enrollment.id).where(
        Enrollment.doctor_id == user.doctor_id
    )


def _doctor_scope(query: Select, user: User) -> Select:
    if user.role == Role.COORDINATOR:
        placed_here = (
            select(Enrollment.doctor_id)
            .join(Placement, Placement.enrollment_id == Enrollment.id)
            .join(Department, Placement.department_id == Department.id)
            .where(Department.hospital_id == user.hospital_id)
        )
        return query.where(Doctor.id.in_(placed_here))
    return query.where(Doctor.id == user.doctor_id)


# How a coordinator or a doctor reaches each kind of object. Missing model = staff only.
# Features add the scopes of their own models with ``register_scope`` from ``register(app)``.
SCOPES: dict[type, Callable[[Select, User], Select]] = {
    Placement: _placement_scope,
    Doctor: _doctor_scope,
    Hospital: lambda q, u: q.where(
        Hospital.id == (u.hospital_id if u.role == Role.COORDINATOR else -1)
    ),
    Department: lambda q, u: q.where(
        Department.hospital_id == (u.hospital_id if u.role == Role.COORDINATOR else -1)
    ),
    Enrollment: lambda q, u: q.where(
        Enrollment.doctor_id == (u.doctor_id if u.role == Role.DOCTOR else -1)
    ),
    Certificate: lambda q, u: q.where(
        Certificate.doctor_id == (u.doctor_id if u.role == Role.DOCTOR else -1)
    ),
    Registration: lambda q, u: q.where(
        Registration.doctor_id == (u.doctor_id if u.role == Role.DOCTOR else -1)
    ),
}


def register_scope(app: Flask, model: type, scope: Callable[[Select, User], Select]) -> None:
    """Declare how coordinators and doctors of ``app`` reach ``model`` (a feature's model)."""
    wiring_of(app).scopes[model] = scope


def visible_to(user: User, model: type[ModelT], query: Select | None = None) -> Select:
    """``query`` (default: all of ``model``) narrowed to what ``user`` may see."""
    query = query if query is not None else select(model)
    if user.role.is_staff:
        return query
    scope = SCOPES.get(model) or wiring_of().scopes.get(model)
    if scope is None:
        return query.where(False)
    return scope(query, user)


def get_visible_or_404(model: type[ModelT], object_id: int, *options: Any) -> ModelT:
    """Load ``model`` by id through the current user's scope; anything else is a 404."""
    query = visible_to(current_user, model).where(model.id == object_id)
    if options:
        query = query.options(*options)
    obj = db.session.scalars(query).unique().first()
    if obj is None:
        abort(404)
    return obj
