"""Planning a cohort: solve its instance and store the result as ``proposed`` placements.

Small plans are solved during the request (a few seconds at most); bigger ones run as the
one-off background job ``plan-cohort`` and report progress. Either way the outcome (status,
score, what could not be placed and what changed since the last plan) is written to the
audit log as ``cohort.planned``; the timeline page shows the latest one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, func, select

from somet.audit.operations import record_event
from somet.core.errors import InvalidTransition, NotFound, ValidationFailed
from somet.core.problems import Problem
from somet.jobs import operations as background
from somet.models import (
    AuditEvent,
    Cohort,
    CohortStatus,
    CurriculumItem,
    Enrollment,
    EnrollmentStatus,
    Placement,
    PlacementStatus,
    User,
    utcnow,
)
from somet.planning.instance import build_instance, key_id
from somet.planning.naming import Names, named, names_of
from somet.planning.rules import partial_plans
from somet.planning.rules.held_capacity import is_holder
from somet.web.access import require_staff
from somet.web.database import lock_for_write
from somet.web.extensions import db
from somet.web.labels import enum_label
from somet.web.problem_texts import describe

PLAN_JOB = "plan-cohort"
PLAN_STEPS = 3  # built, solved, stored
INLINE_MAX_ROTATIONS = 80  # doctor-rotations; bigger plans run in the background
INLINE_TIME_LIMIT = 3.0
BACKGROUND_TIME_LIMIT = 30.0
SOLVED = ("OPTIMAL", "FEASIBLE", partial_plans.PARTIAL)


@dataclass(frozen=True)
class PlanStart:
    """What "Plan schedule" did: solved at once (``summary``) or queued (``run_id``)."""

    summary: dict | None = None
    run_id: int | None = None




def start_plan(actor: User, cohort_id: int, *, inline_max: int | None = None) -> PlanStart:
    """Plan the cohort now when it is small, else queue the background job."""
    require_staff(actor)
    inline_max = INLINE_MAX_ROTATIONS if inline_max is None else inline_max
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound(_("There is no such cohort."))
    check_plannable(cohort)
    if plan_size(cohort_id) <= inline_max:
        return PlanStart(summary=plan_cohort(actor, cohort_id, time_limit=INLINE_TIME_LIMIT))
    run = background.submit_job(
        PLAN_JOB, key=str(cohort_id), params={"cohort_id": cohort_id}, actor=actor
    )
    record_event(actor, "cohort.plan_queued", cohort, run_id=run.id)
    db.session.commit()
    return PlanStart(run_id=run.id)


def plan_size(cohort_id: int) -> int:
    """Doctors times curriculum items: how big the cohort's plan is."""
    doctors = db.session.scalar(
        select(func.count(Enrollment.id)).where(
            Enrollment.cohort_id == cohort_id, Enrollment.status != EnrollmentStatus.WITHDRAWN
        )
    )
    items = db.session.scalar(
        select(func.count(CurriculumItem.id)).where(CurriculumItem.cohort_id == cohort_id)
    )
    return doctors * items


def plan_cohort(actor: User | None, cohort_id: int, *, time_limit: float, progress=None) -> dict:
    """Solve the cohort and store the result as proposed placements; returns the summary."""
    require_staff(actor)
    progress = progress or (lambda step: None)
    plan = build_instance(cohort_id)
    check_plannable(plan.cohort)
    names = names_of(plan)
    fingerprint = _fingerprint(cohort_id)
    db.session.rollback()  # end the reading transaction: no lock is held while solving
    progress(1)
    result = solve_instance(plan.document, time_limit)
    progress(2)
    summary = _store(actor, cohort_id, plan, names, result, fingerprint)
    progress(3)
    return summary


def run_plan_job(run, *, cohort_id: int) -> dict:
    """The one-off job ``PLAN_JOB``: ``plan_cohort`` in the background (progress in steps)."""
    actor = db.session.get(User, run.params.get("actor_id") or 0)
    background.report_progress(run, 0, PLAN_STEPS)
    summary = plan_cohort(
        actor,
        cohort_id,
        time_limit=BACKGROUND_TIME_LIMIT,
        progress=lambda step: background.report_progress(run, step, PLAN_STEPS),
    )
    return {"status": summary["status"], "placed": summary["placed"]}


def solve_instance(document: dict, time_limit: float) -> dict:
    """Solve a somet-schedule/1 document, placing as much as it can (see ``partial_plans``)."""
    # Imported here: OR-Tools is slow to load and only planning needs it.
    from somet.scheduling import InstanceError, load_instance, solve

    relaxed, big, required = partial_plans.relax_required(document)
    try:
        instance = load_instance(relaxed)
    except InstanceError as error:
        raise ValidationFailed(
            _("The cohort cannot be planned as it stands: %(error)s",
              error=describe(error.problem))
        ) from None
    result = solve(instance, time_limit=time_limit).to_dict(words=False)
    return partial_plans.restore_required(result, big, required)


_LATEST_PLAN = (
    select(AuditEvent)
    .where(
        AuditEvent.action == "cohort.planned",
        AuditEvent.object_type == "Cohort",
        AuditEvent.object_id == bindparam("cohort_id"),
    )
    .order_by(AuditEvent.id.desc())
    .limit(1)
)


def latest_plan(cohort_id: int) -> AuditEvent | None:
    """The most recent plan outcome of the cohort (its details are the summary)."""
    return db.session.scalars(_LATEST_PLAN, {"cohort_id": cohort_id}).first()


def may_plan(cohort: Cohort) -> bool:
    """Whether the cohort may still be (re)planned and its proposals sent: what planning and
    sending check, and what pages ask before offering either."""
    return cohort.status in CohortStatus.PLANNABLE


def check_plannable(cohort: Cohort) -> None:
    """Refuse, saying why, unless ``may_plan``."""
    if not may_plan(cohort):
        raise InvalidTransition(
            _(
                "A cohort that is %(status)s cannot be planned any more.",
                status=enum_label(cohort.status),
            )
        )


def _cohort_placements(cohort_id: int):
    return (
        select(Placement)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .where(Enrollment.cohort_id == cohort_id)
    )


def _fingerprint(cohort_id: int) -> list[tuple[int, str]]:
    """The cohort's placements that planning keeps or avoids, to detect changes meanwhile."""
    rows = db.session.execute(
        select(Placement.id, Placement.status)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .where(Enrollment.cohort_id == cohort_id, Placement.status != PlacementStatus.PROPOSED)
        .order_by(Placement.id)
    ).all()
    return [(row[0], str(row[1])) for row in rows]


def _store(actor, cohort_id: int, plan, names: Names, result: dict, fingerprint) -> dict:
    lock_for_write(db.session(), f"cohort:{cohort_id}")
    if _fingerprint(cohort_id) != fingerprint:
        raise InvalidTransition(_("The cohort's placements changed while planning; plan again."))
    before = list(db.session.scalars(_cohort_placements(cohort_id)))
    held = {
        (p.enrollment_id, p.curriculum_item_id)
        for p in before
        if p.status in PlacementStatus.HOLDING
    }
    new = []
    if result["status"] in SOLVED:
        new = [p for p in _result_placements(result) if (p[0], p[1]) not in held]
        _replace_proposed(before, new)
    summary = _summary(plan, names, result, before, new)
    cohort = db.session.get(Cohort, cohort_id)
    if cohort.status == CohortStatus.DRAFT:
        cohort.status = CohortStatus.PLANNING
    record_event(actor, "cohort.planned", cohort, **summary)
    db.session.commit()
    return summary


def _replace_proposed(before: list[Placement], new: list[tuple]) -> None:
    """The cohort's proposed placements become the new plan's."""
    stale = [p.id for p in before if p.status == PlacementStatus.PROPOSED]
    db.session.execute(delete(Placement).where(Placement.id.in_(stale)))
    for enrollment_id, item_id, department_id, start, end in new:
        db.session.add(
            Placement(
                enrollment_id=enrollment_id,
                curriculum_item_id=item_id,
                department_id=department_id,
                start_date=start,
                end_date=end,
                status=PlacementStatus.PROPOSED,
            )
        )


def _result_placements(result: dict) -> list[tuple[int, int, int, date, date]]:
    return [
        (
            key_id(p["doctor"]),
            key_id(p["rotation"]),
            key_id(p["department"]),
            date.fromisoformat(p["start"]),
            date.fromisoformat(p["end"]),
        )
        for p in result["placements"]
        if not is_holder(p["doctor"])
    ]


def _summary(plan, names: Names, result: dict, before, new) -> dict:
    unplaced = [
        {
            "doctor": names.of(u["doctor"]),
            "rotation": names.of(u["rotation"]),
            "reason": _named(u["reason"], names),
            "required": bool(u.get("required")),
        }
        for u in result.get("unplaced", [])
        if not is_holder(u["doctor"])
    ]
    solved = result["status"] in SOLVED
    return {
        "status": result["status"],
        "score": result.get("score"),
        "bound": result.get("bound"),
        "placed": len(new) if solved else 0,
        "kept": sum(1 for p in before if p.status in PlacementStatus.HOLDING),
        "unplaced": unplaced,
        # Stored as problems (code, params), so each later reader sees them in their language.
        "conflicts": [_named(c, names) for c in result.get("conflicts", [])],
        "warnings": [w.to_json() for w in plan.warnings],
        "changes": describe_changes(before, new, names) if solved else [],
        "planned_at": utcnow().isoformat(timespec="seconds"),
    }


def _named(found: dict, names: Names) -> dict:
    return named(Problem.from_json(found), names).to_json()


def describe_changes(before, new, names: Names) -> list[dict]:
    """What the new plan changes, per doctor and rotation (blocks as department and dates)."""
    old = {(p.enrollment_id, p.curriculum_item_id): p for p in before if p.status == "proposed"}
    declined = {
        (p.enrollment_id, p.curriculum_item_id): p for p in before if p.status == "declined"
    }
    fresh = {(n[0], n[1]): n for n in new}
    changes = []
    for key in sorted(set(old) | set(fresh)):
        was, now = old.get(key), fresh.get(key)
        if was and now and (was.department_id, was.start_date) == (now[2], now[3]):
            continue
        kind = "moved" if was and now else ("dropped" if was else "new")
        if not was and key in declined:
            was, kind = declined[key], "replaces_declined"
        changes.append(
            {
                "kind": kind,
                "doctor": names.of(f"enr-{key[0]}"),
                "rotation": names.of(f"item-{key[1]}"),
                "before": _block(names, was.department_id, was.start_date, was.end_date)
                if was
                else None,
                "after": _block(names, now[2], now[3], now[4]) if now else None,
            }
        )
    return changes


def _block(names: Names, department_id: int, start: date, end: date) -> dict:
    """Where and when, as facts: the page formats the dates in its own language."""
    return {
        "department": names.of(f"dept-{department_id}"),
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
