"""Cohorts: create, edit, lifecycle transitions, clone, lists, overview and readiness."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from somet.audit.operations import record_event
from somet.certificates import queries as completion
from somet.cohorts.curriculum import cohort_plan
from somet.cohorts.rules import lifecycle, participation
from somet.cohorts.rules.readiness import CohortPlan, readiness_problems
from somet.core.errors import InvalidTransition, NotFound, ValidationFailed
from somet.core.localisation import name_parts_of
from somet.core.problems import Problem, problem
from somet.models import (
    Cohort,
    CohortHost,
    CohortStatus,
    CurriculumItem,
    CurriculumOption,
    Enrollment,
    EnrollmentStatus,
    Hospital,
    Placement,
    Role,
    User,
)
from somet.web.access import require_staff
from somet.web.database import lock_for_write
from somet.web.extensions import db
from somet.web.problem_texts import describe_all
from somet.web.search import name_matches

COHORT_FIELDS = (
    "name",
    "origin_country",
    "origin_region",
    "sponsor",
    "start_date",
    "end_date",
    "hours_per_day",
    "attendance_threshold",
    "auto_issue_certificates",
    "follow_up_months",
    "notes",
)


def create_cohort(actor: User, host_ids: list[int], **fields) -> Cohort:
    """Create a draft cohort with its host hospitals; the creator directs it."""
    require_staff(actor)
    _check_dates(fields["start_date"], fields["end_date"])
    cohort = Cohort(**{k: fields[k] for k in COHORT_FIELDS if k in fields})
    cohort.status = CohortStatus.DRAFT
    cohort.director_id = actor.id if actor.role == Role.DIRECTOR else None
    db.session.add(cohort)
    db.session.flush()
    _set_hosts(cohort, [], host_ids)
    record_event(actor, "cohort.create", cohort, name=cohort.name, hosts=host_ids)
    db.session.commit()
    return cohort


def update_cohort(actor: User, cohort: Cohort, host_ids: list[int], **fields) -> Cohort:
    """Change a cohort's settings, dates and host hospitals."""
    require_staff(actor)
    _check_dates(fields["start_date"], fields["end_date"])
    _check_stays_within(cohort, fields["start_date"], fields["end_date"])
    changed = [k for k in COHORT_FIELDS if k in fields and getattr(cohort, k) != fields[k]]
    for key in changed:
        setattr(cohort, key, fields[key])
    hosts = db.session.scalars(select(CohortHost).where(CohortHost.cohort_id == cohort.id)).all()
    _set_hosts(cohort, hosts, host_ids)
    record_event(actor, "cohort.update", cohort, changed=changed, hosts=host_ids)
    db.session.commit()
    return cohort


def _check_dates(start: date, end: date) -> None:
    if end < start:
        raise ValidationFailed(_("The end date must be on or after the start date."))


def _check_stays_within(cohort: Cohort, start: date, end: date) -> None:
    outside = db.session.scalar(
        select(func.count())
        .select_from(Enrollment)
        .where(
            Enrollment.cohort_id == cohort.id,
            Enrollment.status != EnrollmentStatus.WITHDRAWN,
            (Enrollment.arrival_date < start) | (Enrollment.departure_date > end),
        )
    )
    if outside:
        raise ValidationFailed(
            ngettext(
                "%(num)d doctor arrives or leaves outside the new dates; change the stay first.",
                "%(num)d doctors arrive or leave outside the new dates; change their stays first.",
                outside,
            )
        )


def _set_hosts(cohort: Cohort, current: list[CohortHost], host_ids: list[int]) -> None:
    wanted = set(host_ids)
    for host in current:
        if host.hospital_id not in wanted:
            db.session.delete(host)
    have = {host.hospital_id for host in current}
    for hospital_id in sorted(wanted - have):
        db.session.add(CohortHost(cohort_id=cohort.id, hospital_id=hospital_id))


def placement_counts(cohort_id: int) -> dict[str, int]:
    """Placements of the cohort per status, in one grouped query."""
    rows = db.session.execute(
        select(Placement.status, func.count(Placement.id))
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .where(Enrollment.cohort_id == cohort_id)
        .group_by(Placement.status)
    )
    return {status.value: count for status, count in rows}


def cohort_readiness(cohort: Cohort, *, loaded: tuple[list, list] | None = None) -> list[Problem]:
    """What stops the cohort from being scheduled, as problems (empty: ready). ``loaded``: the
    overview's rotations and roster rows (``somet.cohorts.overview``), not read again."""
    plan: CohortPlan = cohort_plan(cohort, loaded=loaded)
    return readiness_problems(plan)


def change_status(actor: User, cohort: Cohort, target: str, reason: str, today: date) -> Cohort:
    """Move the cohort along its lifecycle; a refused transition says why."""
    require_staff(actor)
    cohort_id = cohort.id
    lock_for_write(db.session(), f"cohort:{cohort_id}")
    cohort = db.session.get(Cohort, cohort_id)
    facts = _facts(cohort, target, today)
    try:
        lifecycle.check_transition(facts, target, reason)
    except lifecycle.TransitionRefused as refused:
        db.session.rollback()
        raise InvalidTransition(describe_all(refused.problems)) from None
    old = cohort.status
    cohort.status = CohortStatus(target)
    record_event(actor, "cohort.status", cohort, old=old, new=target, reason=reason.strip())
    db.session.commit()
    return cohort


def _facts(cohort: Cohort, target: str, today: date) -> lifecycle.CohortFacts:
    hosts = db.session.scalar(
        select(func.count()).select_from(CohortHost).where(CohortHost.cohort_id == cohort.id)
    )
    problems = cohort_readiness(cohort) if target == lifecycle.SCHEDULED else []
    return lifecycle.CohortFacts(
        status=cohort.status.value,
        start_date=cohort.start_date,
        end_date=cohort.end_date,
        today=today,
        host_count=hosts,
        readiness_problems=tuple(problems),
        placements_by_status=placement_counts(cohort.id),
        uncertified_count=(
            completion.uncertified_count(cohort.id) if target == lifecycle.ARCHIVED else 0
        ),
    )


def clone_cohort(actor: User, source: Cohort, name: str, start_date: date) -> Cohort:
    """A new draft cohort with the source's settings, hosts and curriculum (not its doctors)."""
    require_staff(actor)
    source = db.session.scalars(
        select(Cohort)
        .options(
            selectinload(Cohort.hosts),
            selectinload(Cohort.curriculum).selectinload(CurriculumItem.options),
        )
        .where(Cohort.id == source.id)
    ).one()
    shift = start_date - source.start_date
    fields = {k: getattr(source, k) for k in COHORT_FIELDS}
    fields.update(name=name, start_date=start_date, end_date=source.end_date + shift)
    clone = Cohort(**fields, status=CohortStatus.DRAFT, cloned_from_id=source.id)
    clone.director_id = actor.id if actor.role == Role.DIRECTOR else source.director_id
    db.session.add(clone)
    db.session.flush()
    for host in source.hosts:
        db.session.add(CohortHost(cohort_id=clone.id, hospital_id=host.hospital_id))
    for item in source.curriculum:
        _copy_item(clone, item)
    record_event(actor, "cohort.clone", clone, source_id=source.id, name=name)
    db.session.commit()
    return clone


def _copy_item(clone: Cohort, item: CurriculumItem) -> None:
    copy = CurriculumItem(
        cohort_id=clone.id,
        **{
            k: getattr(item, k)
            for k in ("name", "specialty_mode", "specialty", "days", "required", "weight")
        },
        position=item.position,
    )
    copy.options = [
        CurriculumOption(department_id=o.department_id, preference=o.preference)
        for o in item.options
    ]
    db.session.add(copy)


def cohort_list_query(search: str = "", region: str = "", status: str = "") -> Select:
    """Cohorts matching the filters, newest first, with their hosts loaded."""
    query = (
        select(Cohort)
        .options(selectinload(Cohort.hosts).joinedload(CohortHost.hospital))
        .order_by(Cohort.start_date.desc(), Cohort.id.desc())
    )
    condition = name_matches(search, Cohort.name)
    if condition is not None:
        query = query.where(condition)
    if region:
        query = query.where(name_matches(region, Cohort.origin_region))
    if status in {member.value for member in CohortStatus}:
        query = query.where(Cohort.status == CohortStatus(status))
    return query


def enrolled_counts(cohort_ids: list[int]) -> dict[int, int]:
    """Doctors (not withdrawn) per cohort, in one grouped query."""
    if not cohort_ids:
        return {}
    rows = db.session.execute(
        select(Enrollment.cohort_id, func.count(Enrollment.id))
        .where(
            Enrollment.cohort_id.in_(cohort_ids),
            Enrollment.status != EnrollmentStatus.WITHDRAWN,
        )
        .group_by(Enrollment.cohort_id)
    )
    return dict(rows.all())


def hospital_choices() -> list[tuple[int, str]]:
    """(id, name) of active hospitals, for forms."""
    rows = db.session.execute(
        select(Hospital.id, Hospital.name).where(Hospital.active.is_(True)).order_by(Hospital.name)
    )
    return [(row.id, row.name) for row in rows]


def default_clone_start(cohort: Cohort) -> date:
    """A year after the source's start, on the same weekday."""
    return cohort.start_date + timedelta(weeks=52)


def confirm_participation(actor: User, enrollment_id: int) -> Enrollment:
    """The doctor confirms they take part (their own enrollment only), or a director marks it
    for a doctor who answered by phone; audited with who did it."""
    enrollment = db.session.get(Enrollment, enrollment_id)
    if enrollment is None or (
        actor.role == Role.DOCTOR and enrollment.doctor_id != actor.doctor_id
    ):
        raise NotFound(_("There is no such enrollment."))
    if actor.role != Role.DOCTOR:
        require_staff(actor)
    lock_for_write(db.session(), f"roster:{enrollment.cohort_id}")
    db.session.refresh(enrollment)
    try:
        participation.check_confirmation(enrollment.status.value)
    except participation.ParticipationRefused as refused:
        db.session.rollback()
        raise InvalidTransition(describe_all(refused.problems)) from None
    enrollment.status = EnrollmentStatus.CONFIRMED
    by = "doctor" if actor.role == Role.DOCTOR else "staff"
    record_event(actor, "enrollment.confirmed", enrollment, by=by)
    db.session.commit()
    return enrollment


def settle_ended_enrollments(today: date, actor_label: str) -> dict:
    """Enrollments of cohorts that ended before ``today`` become completed or incomplete,
    judged by the certificate completion rules; the reasons are stored as problems."""
    lock_for_write(db.session(), "lifecycle")
    cohort_ids = db.session.scalars(
        select(Cohort.id)
        .join(Enrollment, Enrollment.cohort_id == Cohort.id)
        .where(
            Cohort.status == CohortStatus.COMPLETED,
            Cohort.end_date < today,
            Enrollment.status.in_(participation.JUDGED),
        )
        .distinct()
        .order_by(Cohort.id)
    ).all()
    counts = {"enrollments_completed": 0, "enrollments_incomplete": 0}
    notes: list[dict] = []
    for cohort_id in cohort_ids:
        for row in completion.cohort_completion(completion.load_cohort(cohort_id)):
            outcome = _settle(row.enrollment, row.verdict, actor_label)
            if outcome:
                counts[f"enrollments_{outcome}"] += 1
            if outcome == "incomplete":
                notes.append(_incomplete_note(row.enrollment))
    db.session.commit()
    return {**counts, "notes": notes} if notes else counts


def _settle(enrollment: Enrollment, verdict, actor_label: str) -> str | None:
    """Write the verdict on one enrollment; the new status's name when it changed."""
    target = participation.settled_status(enrollment.status.value, verdict.complete)
    reasons = [_reason_problem(reason).to_json() for reason in verdict.reasons]
    if enrollment.status.value not in participation.JUDGED:
        return None
    if target is None and enrollment.completion_reasons == reasons:
        return None
    enrollment.completion_reasons = reasons
    if target is None:
        return None
    old, enrollment.status = enrollment.status, EnrollmentStatus(target)
    record_event(
        None,
        f"enrollment.{target}",
        enrollment,
        actor_label=actor_label,
        previous=old.value,
        reasons=reasons,
    )
    return target


def _reason_problem(reason) -> Problem:
    """A completion rule's reason as a problem (``completion.<code>``) for storing."""
    params = {"rotation": reason.rotation, "present": reason.present, "needed": reason.needed}
    if reason.code == "withdrawn":
        params = {}
    elif reason.code != "below_threshold":
        params = {"rotation": reason.rotation}
    return problem(f"completion.{reason.code}", **params)


def _incomplete_note(enrollment: Enrollment) -> dict:
    """What the CLI and the jobs page say about an incomplete enrollment (a problem)."""
    return problem(
        "enrollment.incomplete",
        doctor=name_parts_of(enrollment.doctor),
        reasons=[Problem.from_json(r) for r in enrollment.completion_reasons],
    ).to_json()


# The roster's operations, for other features (the JSON API imports rows through the same
# checks and the same save as the upload's confirmation).
from somet.cohorts.roster import (  # noqa: E402, F401
    RosterRowsInvalid,
    doctor_list_query,
    import_rows,
)
from somet.cohorts.rules.roster import LINE as ROSTER_ROW_LINE  # noqa: E402, F401
