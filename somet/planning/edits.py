"""A director's manual change to a proposed placement, checked against the solver's rules.

The whole cohort (with the change) is checked by ``check_schedule`` on the same instance the
solver gets, other cohorts' held places included. A schedule may already break a rule before
the change (say, a required rotation that could not be placed); only rules that the change
itself breaks refuse it.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from somet.audit.operations import record_event
from somet.core.errors import InvalidTransition, NotFound, ValidationFailed
from somet.core.localisation import format_day
from somet.models import (
    Department,
    Enrollment,
    Placement,
    PlacementStatus,
    User,
)
from somet.planning.instance import (
    PlanningInstance,
    build_instance,
    department_key,
    doctor_key,
    key_id,
    rotation_key,
)
from somet.planning.naming import Names, named, names_of
from somet.planning.rules.held_capacity import block_end
from somet.requests import operations as requests
from somet.requests.operations import Visit
from somet.web.access import require_staff
from somet.web.database import lock_for_write
from somet.web.extensions import db
from somet.web.i18n import page_language
from somet.web.labels import enum_label
from somet.web.problem_texts import describe, describe_all


def edit_choices(cohort_id: int, placement_id: int) -> tuple[Placement, list[tuple[int, str]]]:
    """The placement and the departments its rotation may use (id, name)."""
    plan = build_instance(cohort_id, cohort_fixed=False)
    placement = _cohort_placement(cohort_id, placement_id)
    rotation = _rotation(plan, placement)
    options = rotation["options"] if rotation else {}
    names = names_of(plan)
    return placement, [(key_id(k), names.of(k)) for k in options]


def move_placement(
    actor: User, cohort_id: int, placement_id: int, *, department_id: int, start: date
) -> Placement:
    """Move a placement not yet done to another department or first day, if no rule breaks.

    A proposal just moves. A placement already sent to its host (requested or confirmed) is
    asked again where it now is (``requests.request_again``): the host confirms it anew.
    """
    require_staff(actor)
    lock_for_write(db.session(), f"cohort:{cohort_id}")
    placement = _cohort_placement(cohort_id, placement_id)
    if placement.status not in PlacementStatus.UPCOMING:
        raise InvalidTransition(
            _(
                "Only proposed, requested or confirmed placements can be moved; "
                "this one is %(status)s.",
                status=enum_label(placement.status),
            )
        )
    moved_from = Visit.of(placement)  # as the old host knew it
    if (moved_from.department.id, moved_from.start) == (department_id, start):
        return placement  # nothing to move, and nothing to ask the host again
    end = _checked_end(
        build_instance(cohort_id, cohort_fixed=False), placement, department_id, start
    )
    placement.department = db.session.get(Department, department_id)
    placement.start_date, placement.end_date = start, end
    if moved_from.status != PlacementStatus.PROPOSED:
        requests.request_again(placement, moved_from)
    record_event(
        actor,
        "placement.moved",
        placement,
        before_department_id=moved_from.department.id,
        before_start=moved_from.start,
        department_id=department_id,
        start=start,
        was=moved_from.status.value,
    )
    db.session.commit()
    return placement


def _checked_end(plan: PlanningInstance, placement, department_id: int, start: date) -> date:
    """The moved block's last day, or ValidationFailed naming the rule the move breaks."""
    if department_key(department_id) not in plan.departments:
        raise ValidationFailed(_("Choose one of the departments offered for this rotation."))
    end = block_end(plan.days, start, _days(plan, placement))
    if end is None:
        raise ValidationFailed(
            _(
                "%(day)s is not a working day, or the block would run past the cohort's end.",
                day=format_day(start, page_language()),
            )
        )
    broken = _new_violations(plan, placement, department_id, start, names_of(plan))
    if broken:
        raise ValidationFailed(
            _("This change breaks a rule: %(rules)s", rules=describe_all(broken))
        )
    return end


def _cohort_placement(cohort_id: int, placement_id: int) -> Placement:
    placement = db.session.scalars(
        select(Placement)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .where(Placement.id == placement_id, Enrollment.cohort_id == cohort_id)
        .options(
            joinedload(Placement.enrollment).joinedload(Enrollment.doctor),
            joinedload(Placement.enrollment).joinedload(Enrollment.cohort),
            joinedload(Placement.curriculum_item),
            joinedload(Placement.department),
        )
    ).first()
    if placement is None:
        raise NotFound(_("There is no such placement in this cohort."))
    return placement


def _rotation(plan: PlanningInstance, placement: Placement) -> dict | None:
    doctor = next(
        (d for d in plan.document["doctors"] if d["id"] == doctor_key(placement.enrollment_id)),
        None,
    )
    if doctor is None:
        return None
    wanted = rotation_key(placement.curriculum_item_id)
    return next((r for r in doctor["rotations"] if r["id"] == wanted), None)


def _days(plan: PlanningInstance, placement: Placement) -> int:
    return plan.items[rotation_key(placement.curriculum_item_id)].days


def _new_violations(plan, placement, department_id: int, start: date, names: Names) -> list:
    from somet.scheduling import InstanceError, check_schedule, load_instance

    rows = db.session.scalars(
        select(Placement)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .where(
            Enrollment.cohort_id == plan.cohort.id,
            Placement.status.in_(PlacementStatus.STANDING),
            Placement.id != placement.id,
        )
    ).all()
    others = [
        _as_entry(p.enrollment_id, p.curriculum_item_id, p.department_id, p.start_date)
        for p in rows
    ] + plan.holder_fixed
    current = _as_entry(
        placement.enrollment_id,
        placement.curriculum_item_id,
        placement.department_id,
        placement.start_date,
    )
    moved = _as_entry(placement.enrollment_id, placement.curriculum_item_id, department_id, start)
    try:
        instance = load_instance(plan.document)
    except InstanceError as error:
        raise ValidationFailed(
            _("The cohort cannot be checked as it stands: %(error)s",
              error=describe(error.problem))
        ) from None
    already = set(check_schedule(instance, [*others, current]))
    after = check_schedule(instance, [*others, moved])
    # Problems are facts (code and parameters), so "already broken" is a plain comparison.
    return [named(v, names) for v in after if v not in already]


def _as_entry(enrollment_id: int, item_id: int, department_id: int, start: date) -> dict:
    return {
        "doctor": doctor_key(enrollment_id),
        "rotation": rotation_key(item_id),
        "department": department_key(department_id),
        "start": start.isoformat(),
    }
