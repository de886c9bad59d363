"""Accounts: authentication, invitations, passwords and deactivation."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from somet.extensions import db
from somet.models import Doctor, Hospital, Invitation, Role, User, utcnow
from somet.services.audit import record_event
from somet.services.errors import DomainError, NotAllowed, ValidationFailed
from somet.services.notifications import enqueue_notification

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
# Compared against when the e-mail is unknown, so a wrong e-mail costs as much as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class InvitationInvalid(DomainError):
    """The link is unknown, used or expired (which one is not told to the visitor)."""


@dataclass(frozen=True)
class IssuedInvitation:
    user: User
    token: str
    expires_at: datetime


def token_digest(token: str) -> str:
    """The SHA-256 hex of a one-time token; only this is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def find_user_by_email(email: str) -> User | None:
    """The user with this e-mail, compared case-insensitively."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, else None (no hint which part was wrong)."""
    user = find_user_by_email(email)
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def check_password_rules(password: str) -> None:
    """Raise ValidationFailed when a password is too short or too long."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationFailed(f"The password must be at most {MAX_PASSWORD_LENGTH} characters.")


def invite_user(
    actor: User,
    *,
    email: str,
    full_name: str,
    role: Role,
    hospital: Hospital | None = None,
    doctor: Doctor | None = None,
    ttl_days: int = 7,
    link_for=lambda token: token,
) -> IssuedInvitation:
    """Create a user without a password and a one-time link to set one (also put in the outbox)."""
    _check_may_invite(actor, role)
    if find_user_by_email(email) is not None:
        raise ValidationFailed("A user with this e-mail already exists.")
    if role == Role.COORDINATOR and hospital is None:
        raise ValidationFailed("A coordinator must belong to a hospital.")
    if role == Role.DOCTOR and doctor is None:
        raise ValidationFailed("A doctor login must be linked to a doctor record.")
    user = User(
        email=email.strip().lower(),
        full_name=full_name.strip(),
        role=role,
        hospital_id=hospital.id if role == Role.COORDINATOR and hospital else None,
        doctor_id=doctor.id if role == Role.DOCTOR and doctor else None,
    )
    db.session.add(user)
    db.session.flush()
    issued = _new_invitation(actor, user, ttl_days)
    link = link_for(issued.token)
    enqueue_notification(
        to_email=user.email,
        user=user,
        kind="invitation",
        subject="You are invited to SOMET",
        body=(
            f"Hello {user.full_name},\n\n{actor.full_name} has created a SOMET account for you.\n"
            f"Set your password here (the link works once and expires in {ttl_days} days):\n"
            f"{link}\n"
        ),
    )
    record_event(actor, "user.invited", user, role=role.value)
    db.session.commit()
    return issued


def _check_may_invite(actor: User, role: Role) -> None:
    if actor.role == Role.ADMIN:
        return
    if actor.role == Role.DIRECTOR and role in (Role.COORDINATOR, Role.DOCTOR, Role.DIRECTOR):
        return
    raise NotAllowed("You may not create users with this role.")


def _new_invitation(actor: User | None, user: User, ttl_days: int) -> IssuedInvitation:
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(days=ttl_days)
    db.session.add(
        Invitation(
            user_id=user.id,
            token_hash=token_digest(token),
            created_by_id=actor.id if actor else None,
            expires_at=expires_at,
        )
    )
    return IssuedInvitation(user=user, token=token, expires_at=expires_at)


def find_valid_invitation(token: str) -> Invitation:
    """The unused, unexpired invitation for ``token``, with its user; else InvitationInvalid."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == token_digest(token))
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= utcnow():
        raise InvitationInvalid("This invitation link is invalid, already used or expired.")
    return invitation


def accept_invitation(token: str, password: str) -> User:
    """Set the invited user's password and spend the link (it works once)."""
    check_password_rules(password)
    invitation = find_valid_invitation(token)
    user = db.session.get(User, invitation.user_id)
    # Conditional update: two simultaneous submissions cannot both spend the link.
    spent = db.session.execute(
        Invitation.__table__.update()
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=utcnow())
    ).rowcount
    if spent != 1:
        db.session.rollback()
        raise InvitationInvalid("This invitation link is invalid, already used or expired.")
    user.password_hash = generate_password_hash(password)
    user.session_epoch += 1
    record_event(user, "user.invitation_accepted", user)
    db.session.commit()
    return user


def set_password(user: User, password: str, *, actor: User | None = None) -> None:
    """Set a new password; every existing session of the user ends."""
    check_password_rules(password)
    user.password_hash = generate_password_hash(password)
    user.session_epoch += 1
    record_event(actor or user, "user.password_changed", user)
    db.session.commit()


def set_user_active(actor: User, user: User, active: bool) -> None:
    """Activate or deactivate a login; deactivation ends its sessions at once."""
    if actor.role != Role.ADMIN:
        raise NotAllowed("Only an administrator may activate or deactivate users.")
    if user.id == actor.id and not active:
        raise ValidationFailed("You cannot deactivate your own account.")
    user.active = active
    user.session_epoch += 1
    record_event(actor, "user.activated" if active else "user.deactivated", user)
    db.session.commit()


def end_all_sessions(user: User) -> None:
    """Invalidate every session cookie of ``user`` (logout everywhere)."""
    user.session_epoch += 1
    db.session.commit()
