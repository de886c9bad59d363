"""What other features read about logins: whether each doctor has one, or is invited; and
the administrator's list of users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import and_, bindparam, func, or_, select, union
from sqlalchemy.orm import joinedload

from somet.models import (
    Cohort,
    CohortStatus,
    Doctor,
    Enrollment,
    Invitation,
    Masterclass,
    Registration,
    Role,
    User,
    utcnow,
)
from somet.web.extensions import db
from somet.web.paging import KeysetPage, page_by_id
from somet.web.search import name_matches, names_match

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


# The invitation form offers at most this many doctor records matching a name searched for.
DOCTORS_OFFERED = 50


def doctors_to_invite(search: str = "", doctor_id: int | None = None) -> tuple[list, bool]:
    """Doctors without a login enrolled in a cohort not yet over, or registered for a
    masterclass of the last ``GUEST_INVITATION_DAYS`` days or still to come, by name: the
    invitation form's choices. Those whose names match ``search`` (or only the doctor
    ``doctor_id``), at most ``DOCTORS_OFFERED``, and whether more match. Doctors of earlier
    cohorts are invited from their cohort's roster.

    Only a search lists doctors: the list of every live doctor without a login grew with the
    current work (and reading it took longer with each cohort), a name finds any of them
    through the names' index. No search, no statement."""
    condition = names_match(search, Doctor.first_name, Doctor.last_name, Doctor.native_name)
    if condition is None and doctor_id is None:
        return [], False
    statement = select(Doctor.id, Doctor.last_name, Doctor.first_name).where(_invitable())
    if doctor_id is not None:
        statement = statement.where(Doctor.id == doctor_id)
    if condition is not None:
        statement = statement.where(condition)
    rows = db.session.execute(
        statement.order_by(Doctor.last_name, Doctor.first_name).limit(DOCTORS_OFFERED + 1)
    ).all()
    return rows[:DOCTORS_OFFERED], len(rows) > DOCTORS_OFFERED


def _invitable():
    """The doctor has no login and is live: enrolled in a cohort not yet over, or registered
    for a recent or coming masterclass. Each asked of one doctor through an index."""
    since = utcnow() - timedelta(days=GUEST_INVITATION_DAYS)
    enrolled = (
        select(Enrollment.id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Enrollment.doctor_id == Doctor.id, Cohort.status.not_in(CohortStatus.FINISHED))
        .exists()
    )
    registered = (
        select(Registration.id)
        .join(Masterclass, Masterclass.id == Registration.masterclass_id)
        .where(Registration.doctor_id == Doctor.id, Masterclass.ends_at >= since)
        .exists()
    )
    no_login = ~select(User.id).where(User.doctor_id == Doctor.id).exists()
    return and_(no_login, or_(enrolled, registered))


def users_page(
    search: str = "",
    role: Role | None = None,
    *,
    per_page: int,
    before: int | None = None,
    after: int | None = None,
) -> KeysetPage:
    """A page of the users, newest first, with their hospitals, optionally those whose name
    or e-mail holds every word of ``search``, or of one ``role``: the page just older than
    user ``before`` or just newer than ``after``, else the newest. Keyset pages: a centre
    adds every doctor it trains, and page numbers would count them all on every view."""
    query = select(User).options(joinedload(User.hospital))
    matches = name_matches(search, User.full_name, User.email)
    if matches is not None:
        query = query.where(matches)
    if role is not None:
        query = query.where(User.role == role)
    return page_by_id(query, User.id, per_page=per_page, before=before, after=after)
