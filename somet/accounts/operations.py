"""Accounts: authentication, invitations, passwords and deactivation."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from somet.audit.operations import record_event
from somet.core.errors import DomainError, NotAllowed, ValidationFailed
from somet.models import Doctor, Hospital, Invitation, Language, Role, User, utcnow
from somet.notifications.operations import enqueue_notification, render_message
from somet.web.database import begin_read_only
from somet.web.extensions import db

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
    # Hashing is slow on purpose; on SQLite it must not hold the one writer's lock, or
    # concurrent logins (and every other writer) queue behind each other's hashing.
    begin_read_only(db.session)
    user = find_user_by_email(email)
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return None
    valid = check_password_hash(user.password_hash, password) and user.active
    db.session.rollback()  # the read ends here; the write below takes the lock briefly
    if not valid:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def check_password_rules(password: str) -> None:
    """Raise ValidationFailed when a password is too short or too long."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            _("The password must be at least %(num)d characters.", num=MIN_PASSWORD_LENGTH)
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationFailed(
            _("The password must be at most %(num)d characters.", num=MAX_PASSWORD_LENGTH)
        )


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
    language: Language | None = None,
) -> IssuedInvitation:
    """Create a user without a password and a one-time link to set one (also put in the outbox).

    The user reads SOMET, starting with the invitation, in ``language``; by default a doctor's
    preferred language, else English.
    """
    _check_may_invite(actor, role)
    if find_user_by_email(email) is not None:
        raise ValidationFailed(_("A user with this e-mail already exists."))
    if role == Role.COORDINATOR and hospital is None:
        raise ValidationFailed(_("A coordinator must belong to a hospital."))
    if role == Role.DOCTOR and doctor is None:
        raise ValidationFailed(_("A doctor login must be linked to a doctor record."))
    if language is None:
        language = doctor.preferred_language if role == Role.DOCTOR else Language.EN
    user = User(
        email=email.strip().lower(),
        full_name=full_name.strip(),
        role=role,
        hospital_id=hospital.id if role == Role.COORDINATOR and hospital else None,
        doctor_id=doctor.id if role == Role.DOCTOR and doctor else None,
        language=language,
    )
    db.session.add(user)
    db.session.flush()
    issued = _new_invitation(actor, user, ttl_days)
    _enqueue_invitation(actor, user, link_for(issued.token), ttl_days)
    record_event(actor, "user.invited", user, role=role.value)
    db.session.commit()
    return issued


def _enqueue_invitation(actor: User, user: User, link: str, ttl_days: int) -> None:
    """Put the invitation in the outbox, written in the invited user's language."""
    with force_locale(user.language.value):
        subject = _("You are invited to SOMET")
        body = ngettext(
            "Hello %(name)s,\n\n%(actor)s has created a SOMET account for you.\n"
            "Set your password here (the link works once and expires in %(num)d day):\n"
            "%(link)s\n",
            "Hello %(name)s,\n\n%(actor)s has created a SOMET account for you.\n"
            "Set your password here (the link works once and expires in %(num)d days):\n"
            "%(link)s\n",
            ttl_days,
            name=user.full_name,
            actor=actor.full_name,
            link=link,
        )
    enqueue_notification(
        to_email=user.email,
        user=user,
        kind="invitation",
        subject=subject,
        body=body,
        language=user.language.value,
    )


def _check_may_invite(actor: User, role: Role) -> None:
    if actor.role == Role.ADMIN:
        return
    if actor.role == Role.DIRECTOR and role in (Role.COORDINATOR, Role.DOCTOR, Role.DIRECTOR):
        return
    raise NotAllowed(_("You may not create users with this role."))


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


def open_portal_invitation(
    actor: User, doctor: Doctor, *, ttl_days: int, link_for, cohort_name: str = ""
) -> IssuedInvitation:
    """Invite a doctor to the portal (part of the caller's transaction; the caller commits).

    A doctor invitation is the same pending login as any other (a doctor-role user with no
    password yet, tied to the Doctor record), so the one acceptance page and its single-use
    link serve both. Re-inviting voids the doctor's open links and follows the doctor's
    current e-mail and language. Raises ValidationFailed when the doctor cannot be invited.
    """
    _check_may_invite(actor, Role.DOCTOR)
    if not doctor.email:
        raise ValidationFailed(_("This doctor has no e-mail address."))
    user = db.session.scalar(select(User).where(User.doctor_id == doctor.id))
    if user is not None and user.password_hash:
        raise ValidationFailed(_("This doctor already has a login."))
    owner = find_user_by_email(doctor.email)
    if owner is not None and owner is not user:
        raise ValidationFailed(_("Another login already uses this doctor's e-mail."))
    if user is None:
        user = User(role=Role.DOCTOR, doctor_id=doctor.id)
        db.session.add(user)
    user.email, user.full_name = doctor.email.strip().lower(), doctor.latin_name
    user.language = doctor.preferred_language
    db.session.flush()
    _void_open_invitations(user)
    issued = _new_invitation(actor, user, ttl_days)
    _enqueue_portal_invitation(user, link_for(issued.token), issued.expires_at, cohort_name)
    record_event(actor, "user.portal_invited", user, doctor_id=doctor.id)
    return issued


def revoke_portal_invitation(actor: User, doctor: Doctor) -> int:
    """Void the doctor's open invitation links (the caller commits); how many were voided."""
    _check_may_invite(actor, Role.DOCTOR)
    user = db.session.scalar(select(User).where(User.doctor_id == doctor.id))
    if user is None or user.password_hash:
        return 0
    voided = _void_open_invitations(user)
    if voided:
        record_event(actor, "user.invitation_revoked", user, doctor_id=doctor.id)
    return voided


def _void_open_invitations(user: User) -> int:
    # Voided links expire now: find_valid_invitation refuses them like any expired link.
    now = utcnow()
    return db.session.execute(
        Invitation.__table__.update()
        .where(
            Invitation.user_id == user.id,
            Invitation.used_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(expires_at=now)
    ).rowcount


def _enqueue_portal_invitation(user: User, link: str, expires_at, cohort_name: str) -> None:
    subject, body = render_message(
        "portal_invitation",
        user.language.value,
        name=user.full_name,
        link=link,
        expires_at=expires_at,
        cohort_name=cohort_name,
    )
    enqueue_notification(
        to_email=user.email,
        user=user,
        kind="portal_invitation",
        subject=subject,
        body=body,
        language=user.language.value,
    )


def find_valid_invitation(token: str) -> Invitation:
    """The unused, unexpired invitation for ``token``, with its user; else InvitationInvalid."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == token_digest(token))
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= utcnow():
        raise InvitationInvalid(_("This invitation link is invalid, already used or expired."))
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
        raise InvitationInvalid(_("This invitation link is invalid, already used or expired."))
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
        raise NotAllowed(_("Only an administrator may activate or deactivate users."))
    if user.id == actor.id and not active:
        raise ValidationFailed(_("You cannot deactivate your own account."))
    user.active = active
    user.session_epoch += 1
    record_event(actor, "user.activated" if active else "user.deactivated", user)
    db.session.commit()


def end_all_sessions(user: User) -> None:
    """Invalidate every session cookie of ``user`` (logout everywhere)."""
    user.session_epoch += 1
    db.session.commit()
