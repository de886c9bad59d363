"""The hosts' side of planning: sending requests, confirming and declining them.

No overbooking: a confirmation takes the department's write lock (``lock_for_write``: BEGIN
IMMEDIATE on SQLite, an advisory lock on PostgreSQL) *before* it reads anything, counts the
confirmed places on every day of the placement and writes the confirmation in that same
transaction. Two confirmations for one department therefore run one after the other, and the
second one sees the first.

One-tap links are signed (itsdangerous, the app's secret key) and name the placement and the
moment it was requested. They expire ``SOMET_CONFIRMATION_LINK_TTL_DAYS`` after that moment
and work once: after a decision the placement is no longer ``requested``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from somet.audit.operations import record_event
from somet.core.errors import (
    CapacityExceeded,
    DomainError,
    InvalidTransition,
    NotAllowed,
    NotFound,
    ValidationFailed,
)
from somet.core.workdays import working_days
from somet.models import (
    Cohort,
    Department,
    Enrollment,
    Placement,
    PlacementStatus,
    Role,
    User,
    utcnow,
)
from somet.planning import operations as planning
from somet.requests import messages
from somet.requests.messages import Visit  # how callers keep a placement as hosts knew it
from somet.web.access import require_staff
from somet.web.database import lock_for_write
from somet.web.extensions import db
from somet.web.labels import enum_label

RESPOND_PATH = "/requests/respond/"
LINK_PURPOSE = "placement-response"
MIN_REASON_LENGTH = 3
MAX_REASON_LENGTH = 500


class LinkInvalid(DomainError):
    status_code = 404


class LinkSpent(DomainError):
    """The link expired or was already used (the page says which)."""

    status_code = 410


@dataclass
class BulkOutcome:
    done: int = 0
    refused: list[str] = field(default_factory=list)


def placement_options():
    """Everything a request page shows about a placement, loaded in the same query."""
    return (
        joinedload(Placement.department).joinedload(Department.hospital),
        joinedload(Placement.enrollment).joinedload(Enrollment.doctor),
        joinedload(Placement.enrollment).joinedload(Enrollment.cohort),
        joinedload(Placement.curriculum_item),
    )


# --- links ---------------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=LINK_PURPOSE)


def response_token(placement: Placement) -> str:
    """The signed token of the one-tap link for a requested placement."""
    return _serializer().dumps([placement.id, int(placement.requested_at.timestamp())])


def response_link(placement: Placement) -> str:
    return current_app.config["SOMET_PUBLIC_URL"] + RESPOND_PATH + response_token(placement)


def placement_for_link(token: str, now: datetime | None = None) -> Placement:
    """The requested placement a link answers; LinkInvalid or LinkSpent otherwise."""
    try:
        placement_id, requested = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        raise LinkInvalid(_("This link is not valid.")) from None
    placement = db.session.scalars(
        select(Placement)
        .where(Placement.id == placement_id)
        .options(*placement_options())
        .execution_options(populate_existing=True)
    ).first()
    if placement is None or placement.requested_at is None:
        raise LinkInvalid(_("This link is not valid."))
    if int(placement.requested_at.timestamp()) != requested:
        raise LinkSpent(_("This link was replaced by a newer request."))
    if placement.status == PlacementStatus.CANCELLED:
        raise LinkSpent(
            _("The programme director withdrew this request: there is nothing to answer.")
        )
    if placement.status != PlacementStatus.REQUESTED:
        raise LinkSpent(
            _("This request was already answered: it is %(status)s.", status=_label(placement))
        )
    ttl = timedelta(days=current_app.config["SOMET_CONFIRMATION_LINK_TTL_DAYS"])
    if (now or utcnow()) > placement.requested_at + ttl:
        raise LinkSpent(_("This link has expired. Please ask the programme director to resend."))
    return placement


# --- sending -------------------------------------------------------------------------------


def send_requests(actor: User, cohort_id: int, *, hospital_id: int | None = None) -> int:
    """Turn the cohort's proposed placements (at one hospital, or all) into requests."""
    require_staff(actor)
    lock_for_write(db.session(), f"cohort:{cohort_id}")
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound(_("There is no such cohort."))
    planning.check_plannable(cohort)  # a cohort under way or over sends no more requests
    query = (
        select(Placement)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .join(Department, Placement.department_id == Department.id)
        .where(Enrollment.cohort_id == cohort_id, Placement.status == PlacementStatus.PROPOSED)
        .options(*placement_options())
        .order_by(Placement.department_id, Placement.start_date)
    )
    if hospital_id is not None:
        query = query.where(Department.hospital_id == hospital_id)
    placements = list(db.session.scalars(query).unique())
    if not placements:
        raise InvalidTransition(_("There are no proposed placements to send."))
    now = utcnow().replace(microsecond=0)
    for placement in placements:
        placement.status = PlacementStatus.REQUESTED
        placement.requested_at = now
        record_event(actor, "placement.requested", placement, department_id=placement.department_id)
    messages.notify_hosts(cohort, placements, response_link)
    record_event(actor, "cohort.requests_sent", cohort, count=len(placements))
    db.session.commit()
    return len(placements)


# --- cancelling ----------------------------------------------------------------------------


def cancel_placements_of(actor: User, enrollment: Enrollment) -> list[Placement]:
    """Cancel a withdrawn doctor's placements in the caller's transaction (no commit).

    Their places count against the departments' capacity no more, they are never sent, and
    the hosts who were asked (requested or confirmed) are told. Row locks on PostgreSQL: a
    host answering the same request at that moment waits, then finds it cancelled.
    """
    placements = list(
        db.session.scalars(
            select(Placement)
            .where(
                Placement.enrollment_id == enrollment.id,
                Placement.status.in_(PlacementStatus.UPCOMING),  # not yet done
            )
            .options(*placement_options())
            .order_by(Placement.start_date)
            .with_for_update(of=Placement)
        ).unique()
    )
    told = [p for p in placements if p.status != PlacementStatus.PROPOSED]
    if told:  # before the change: the message says what each visit was
        messages.notify_hosts_of_cancellation(enrollment.cohort, told)
    for placement in placements:
        record_event(actor, "placement.cancelled", placement, was=placement.status.value)
        placement.status = PlacementStatus.CANCELLED
    return placements


def request_again(placement: Placement, moved_from: Visit) -> None:
    """A sent (requested or confirmed) placement the director moved is asked anew, in the
    caller's transaction: the department it is in now gets a new request and one-tap link,
    the old link stops working (it names the old request time), and a department it left is
    told the visit no longer comes (``moved_from``: the visit as it was)."""
    placement.status = PlacementStatus.REQUESTED
    placement.requested_at = utcnow().replace(microsecond=0)
    placement.decided_at = placement.decided_by_id = None
    placement.decided_by_name = placement.decline_reason = None
    cohort = placement.enrollment.cohort
    messages.notify_hosts(cohort, [placement], response_link)
    if moved_from.department.id != placement.department_id:
        messages.notify_moved_away(cohort, moved_from)


# --- deciding ------------------------------------------------------------------------------


def confirm_placement(actor: User | None, placement_id: int, *, link_token: str | None = None):
    """Confirm a requested placement if its department has a place on every one of its days."""
    department_id = _department_for(actor, placement_id, link_token)
    lock_for_write(db.session(), f"department:{department_id}")  # before reading the counts
    placement = _placement_for(actor, placement_id, link_token)
    _check_capacity(placement)
    _decide(placement, PlacementStatus.CONFIRMED, actor, link_token is not None)
    record_event(
        actor,
        "placement.confirmed",
        placement,
        actor_label=_link_label(placement, link_token),
        **_audit_details(placement, link_token),
    )
    db.session.commit()
    return placement


def decline_placement(
    actor: User | None, placement_id: int, reason: str, *, link_token: str | None = None
):
    """Decline a requested placement, keeping the reason; the director is told."""
    reason = (reason or "").strip()
    if not MIN_REASON_LENGTH <= len(reason) <= MAX_REASON_LENGTH:
        raise ValidationFailed(_("Please give a reason for declining (3 to 500 characters)."))
    placement = _placement_for(actor, placement_id, link_token)
    _decide(placement, PlacementStatus.DECLINED, actor, link_token is not None, reason)
    record_event(
        actor,
        "placement.declined",
        placement,
        actor_label=_link_label(placement, link_token),
        reason=reason,
        **_audit_details(placement, link_token),
    )
    messages.notify_director(placement, reason)
    db.session.commit()
    return placement


def decide_many(actor: User, placement_ids: list[int], decision: str, reason: str = ""):
    """Confirm or decline several requests, each in its own transaction; reports refusals."""
    _check_coordinator(actor)
    visible = set(
        db.session.scalars(
            select(Placement.id)
            .join(Department, Placement.department_id == Department.id)
            .where(Placement.id.in_(placement_ids), Department.hospital_id == actor.hospital_id)
        )
    )
    if visible != set(placement_ids):
        raise NotFound(_("There is no such request at your hospital."))
    outcome = BulkOutcome()
    for placement_id in placement_ids:
        try:
            if decision == "confirm":
                confirm_placement(actor, placement_id)
            else:
                decline_placement(actor, placement_id, reason)
        except DomainError as error:
            db.session.rollback()
            outcome.refused.append(str(error))
        else:
            outcome.done += 1
    return outcome


def check_visible(actor: User, placement_id: int) -> None:
    """NotFound unless the placement is at the coordinator's hospital."""
    _department_for(actor, placement_id, None)


def _department_for(actor, placement_id: int, link_token: str | None) -> int:
    if link_token is not None:
        return placement_for_link(link_token).department_id
    _check_coordinator(actor)
    department_id = db.session.scalar(
        select(Placement.department_id)
        .join(Department, Placement.department_id == Department.id)
        .where(Placement.id == placement_id, Department.hospital_id == actor.hospital_id)
    )
    if department_id is None:
        raise NotFound(_("There is no such request at your hospital."))
    return department_id


def _check_coordinator(actor) -> None:
    if actor is None or actor.role != Role.COORDINATOR:
        raise NotAllowed(_("Only the host hospital's coordinator may answer requests."))


def _placement_for(actor, placement_id: int, link_token: str | None) -> Placement:
    if link_token is not None:
        placement = placement_for_link(link_token)
        if placement.id != placement_id:
            raise LinkInvalid(_("This link is not valid."))
        return placement
    _department_for(actor, placement_id, None)
    placement = db.session.scalars(
        select(Placement)
        .where(Placement.id == placement_id)
        .options(*placement_options())
        .execution_options(populate_existing=True)
    ).first()
    if placement.status != PlacementStatus.REQUESTED:
        raise InvalidTransition(
            _("This request was already answered: it is %(status)s.", status=_label(placement))
        )
    return placement


def _check_capacity(placement: Placement) -> None:
    department = placement.department
    others = db.session.execute(
        select(Placement.start_date, Placement.end_date).where(
            Placement.department_id == department.id,
            Placement.id != placement.id,
            Placement.status.in_(PlacementStatus.FIXED),
            Placement.start_date <= placement.end_date,
            Placement.end_date >= placement.start_date,
        )
    ).all()
    days = working_days(
        placement.start_date, placement.end_date, department.hospital.weekday_numbers
    )
    full = [d for d in days if sum(1 for s, e in others if s <= d <= e) >= department.capacity]
    if full:
        listed = ", ".join(f"{d:%-d %b}" for d in full)
        raise CapacityExceeded(
            f"{department.name} has no place left on {listed}: all {department.capacity} "
            "places are already confirmed. Decline this request or free a place first."
        )


def _decide(placement, status, actor, by_link: bool, reason: str | None = None) -> None:
    # Conditional update: a request answered twice at once is decided once.
    decided = db.session.execute(
        update(Placement)
        .where(Placement.id == placement.id, Placement.status == PlacementStatus.REQUESTED)
        .values(
            status=status,
            decided_at=utcnow(),
            decided_by_id=actor.id if actor is not None else None,
            decided_by_name=_decider_name(placement, actor, by_link),
            decline_reason=reason,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if decided != 1:
        db.session.rollback()
        raise InvalidTransition(_("This request was already answered."))
    db.session.refresh(placement, ["status", "decided_at", "decline_reason", "decided_by_name"])


def _label(placement: Placement) -> str:
    return enum_label(placement.status)


def _decider_name(placement: Placement, actor, by_link: bool) -> str:
    if by_link or actor is None:
        return placement.department.supervisor_name or "Department supervisor"
    return actor.full_name


def _link_label(placement: Placement, link_token: str | None) -> str | None:
    if link_token is None:
        return None
    department = placement.department
    return f"{department.supervisor_email or department.supervisor_name} via one-tap link"


def _audit_details(placement: Placement, link_token: str | None) -> dict:
    details = {
        "department_id": placement.department_id,
        "start": placement.start_date,
        "end": placement.end_date,
    }
    if link_token is not None:
        details["via"] = "one-tap link"
    return details
