"""What other features read about logins: whether each doctor has one, or is invited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, func, select, union

from somet.models import (
    Cohort,
    CohortStatus,
    Doctor,
    Enrollment,
    Invitation,
    Masterclass,
    Registration,
    User,
    utcnow,
)
from somet.web.extensions import db

# A doctor's portal login, as the roster shows it.
HAS_LOGIN = "login"
INVITED = "invited"
NO_LOGIN = "none"
NO_EMAIL = "no_email"
EMAIL_TAKEN = "email_taken"
INVITABLE = frozenset({NO_LOGIN})


@dataclass(frozen=True)
class PortalLogin:
    state: str
    invited_until: datetime | None = None
    lapsed: bool = False  # an earlier invitation expired or was revoked

    @property
    def invitable(self) -> bool:
        return self.state in INVITABLE

    @property
    def has_open_invitation(self) -> bool:
        return self.state == INVITED


def portal_logins(doctors: list[Doctor]) -> dict[int, PortalLogin]:
    """Each doctor's portal login state by doctor id. One query, whatever the count: the
    doctors' own users (with their latest open invitation) and any user holding one of their
    e-mail addresses."""
    ids = [doctor.id for doctor in doctors]
    emails = sorted({d.email.strip().lower() for d in doctors if d.email})
    at = {"ids": ids, "emails": emails, "now": utcnow()}
    rows = db.session.execute(_portal_logins_statement(), at).all()
    mine = set(ids)
    users = {row.doctor_id: row for row in rows if row.doctor_id in mine}
    taken = {row[4] for row in rows}
    invited = {row.id: row[3] for row in rows if row[3] is not None}
    return {
        doctor.id: _login_of(doctor, users.get(doctor.id), invited, taken) for doctor in doctors
    }


@cache
def _portal_logins_statement():
    """Built once (parameters ``ids``, ``emails``, ``now``): every roster shows it."""
    open_until = (
        select(func.max(Invitation.expires_at))
        .where(
            Invitation.user_id == User.id,
            Invitation.used_at.is_(None),
            Invitation.expires_at > bindparam("now"),
        )
        .scalar_subquery()
    )
    columns = select(
        User.id,
        User.doctor_id,
        func.coalesce(User.password_hash, "") != "",  # as truthy as the hash
        open_until,
        func.lower(User.email),
    )
    # A UNION rather than OR: PostgreSQL reads each branch through its index, where the OR
    # of two 20-value lists was planned as a scan of every user (1.6-3.7 ms at 3,500 users).
    return union(
        columns.where(User.doctor_id.in_(bindparam("ids", expanding=True))),
        columns.where(func.lower(User.email).in_(bindparam("emails", expanding=True))),
    )


def _login_of(doctor: Doctor, user, open_until: dict, taken: set) -> PortalLogin:
    """``user``: the doctor's user row (id, doctor id, has a password, ...) or None."""
    if user is not None and user[2]:
        return PortalLogin(HAS_LOGIN)
    if user is not None and user.id in open_until:
        return PortalLogin(INVITED, invited_until=open_until[user.id])
    if not doctor.email:
        return PortalLogin(NO_EMAIL)
    if user is None and doctor.email.strip().lower() in taken:
        return PortalLogin(EMAIL_TAKEN)
    return PortalLogin(NO_LOGIN, lapsed=user is not None)


# A masterclass guest is offered a login this long after the class (e.g. for its certificate).
GUEST_INVITATION_DAYS = 90


def doctors_to_invite():
    """Doctors without a login enrolled in a cohort not yet over, or registered for a
    masterclass of the last ``GUEST_INVITATION_DAYS`` days or still to come, by name: the
    invitation form's choices. Doctors of earlier cohorts are invited from their cohort's
    roster, so the choices stay as many as the current work holds, not every doctor of every
    year."""
    since = utcnow() - timedelta(days=GUEST_INVITATION_DAYS)

    def without_login(doctor_id):
        # Asked of each live doctor through the users' unique doctor_id index, not by
        # joining every login of every year.
        return ~select(User.id).where(User.doctor_id == doctor_id).exists()

    live = union(
        select(Enrollment.doctor_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Cohort.status.not_in(CohortStatus.FINISHED), without_login(Enrollment.doctor_id)),
        select(Registration.doctor_id)
        .join(Masterclass, Masterclass.id == Registration.masterclass_id)
        .where(Masterclass.ends_at >= since, without_login(Registration.doctor_id)),
    )
    return db.session.execute(
        select(Doctor.id, Doctor.last_name, Doctor.first_name)
        .where(Doctor.id.in_(live))
        .order_by(Doctor.last_name, Doctor.first_name)
    ).all()
