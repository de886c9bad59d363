"""Inviting a cohort's doctors to the portal, from its roster: in bulk, again, or revoked.

The director reaches a doctor only through the cohort's roster: every enrollment id is looked
up with the cohort's id, so an id from another cohort is NotFound (a 404), never an e-mail.
The login itself (a pending doctor login and its one-time link) is the accounts feature's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from somet.accounts import operations as accounts
from somet.accounts import queries as logins
from somet.core.errors import NotFound, ValidationFailed
from somet.models import Cohort, Enrollment, EnrollmentStatus, User
from somet.web.access import require_staff
from somet.web.database import lock_for_write
from somet.web.extensions import db

LOCK = "portal-invitations"  # one doctor may be on two rosters: one lock for all of them
LinkFor = Callable[[str], str]


@dataclass(frozen=True)
class InviteOutcome:
    invited: int
    skipped: int  # already has a login or an open invitation
    not_invitable: int  # no e-mail, or the e-mail is another login's


def roster_enrollments(cohort: Cohort, enrollment_ids: list[int] | None) -> list[Enrollment]:
    """The cohort's enrollments (with doctors): these ids, all of them on the roster, else all."""
    query = (
        select(Enrollment)
        .options(joinedload(Enrollment.doctor))
        .where(Enrollment.cohort_id == cohort.id)
    )
    if enrollment_ids is None:
        return list(db.session.scalars(query.order_by(Enrollment.id)))
    wanted = set(enrollment_ids)
    found = list(db.session.scalars(query.where(Enrollment.id.in_(wanted))))
    if len(found) != len(wanted):
        raise NotFound(_("There is no such doctor on this roster."))
    return found


def portal_logins_of(enrollments: list[Enrollment]) -> dict[int, logins.PortalLogin]:
    """Each roster doctor's portal login state, by doctor id."""
    return logins.portal_logins([enrollment.doctor for enrollment in enrollments])


def invite_to_portal(
    actor: User,
    cohort: Cohort,
    enrollment_ids: list[int] | None,
    *,
    ttl_days: int,
    link_for: LinkFor,
) -> InviteOutcome:
    """Invite these roster doctors (None: every one still here) who have no login yet."""
    require_staff(actor)
    lock_for_write(db.session(), LOCK)
    enrollments = roster_enrollments(cohort, enrollment_ids)
    if enrollment_ids is None:
        enrollments = [e for e in enrollments if e.status != EnrollmentStatus.WITHDRAWN]
    states = portal_logins_of(enrollments)
    invited = skipped = refused = 0
    for enrollment in enrollments:
        state = states[enrollment.doctor_id]
        if state.state in (logins.NO_EMAIL, logins.EMAIL_TAKEN):
            refused += 1
        elif not state.invitable:
            skipped += 1
        else:
            _invite(actor, cohort, enrollment, ttl_days, link_for)
            invited += 1
    db.session.commit()
    return InviteOutcome(invited, skipped, refused)


def resend_portal_invitation(
    actor: User, cohort: Cohort, enrollment_id: int, *, ttl_days: int, link_for: LinkFor
) -> Enrollment:
    """A new link for one roster doctor without a login; their earlier links stop working."""
    require_staff(actor)
    lock_for_write(db.session(), LOCK)
    (enrollment,) = roster_enrollments(cohort, [enrollment_id])
    _invite(actor, cohort, enrollment, ttl_days, link_for)
    db.session.commit()
    return enrollment


def revoke_portal_invitation(actor: User, cohort: Cohort, enrollment_id: int) -> Enrollment:
    """Void one roster doctor's open invitation link."""
    require_staff(actor)
    lock_for_write(db.session(), LOCK)
    (enrollment,) = roster_enrollments(cohort, [enrollment_id])
    if not accounts.revoke_portal_invitation(actor, enrollment.doctor):
        db.session.rollback()
        raise ValidationFailed(_("This doctor has no open invitation."))
    db.session.commit()
    return enrollment


def _invite(actor, cohort: Cohort, enrollment: Enrollment, ttl_days: int, link_for) -> None:
    accounts.open_portal_invitation(
        actor, enrollment.doctor, ttl_days=ttl_days, link_for=link_for, cohort_name=cohort.name
    )
