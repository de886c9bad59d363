"""Evaluations both ways: sent when a placement completes, answered once, by link or in-app.

When a placement is completed, its department's supervisor gets a one-tap link to rate the
doctor and the doctor one to rate the department: one ``Evaluation`` row per placement and
direction (unique), created when it is sent, with the direction's default form. The nightly
lifecycle calls ``send_due_evaluations`` right after it closes the finished placements, as
a step of its own: it sends for every completed placement of the links' lifetime that has
no evaluation yet, so it is idempotent, a night that failed is caught up the next one, and
a placement completed any other way is not missed.

Links are signed (itsdangerous, the app's secret key), name the evaluation and the reader's
language, need no account, and expire ``SOMET_EVALUATION_LINK_TTL_DAYS`` after sending. An
evaluation is answered once: the first answer is kept, a second one is refused.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import bindparam, exists, or_, select, update
from sqlalchemy.orm import joinedload

from somet.audit.operations import record_event
from somet.core.errors import DomainError, NotFound, ValidationFailed
from somet.core.localisation import LANGUAGES
from somet.evaluations import messages, rules, tallies
from somet.evaluations.answer_page import BY_COORDINATOR, BY_DOCTOR, AnswerPage, answer_page
from somet.evaluations.defaults import DEFAULT_FORMS
from somet.models import (
    Department,
    Enrollment,
    Evaluation,
    EvaluationAnswer,
    EvaluationDirection,
    EvaluationForm,
    EvaluationQuestion,
    Placement,
    PlacementStatus,
    QuestionKind,
    Role,
    User,
    utcnow,
)
from somet.web.database import lock_for_write
from somet.web.extensions import db

ANSWER_PATH = "/evaluations/answer/"
LINK_PURPOSE = "evaluation-answer"


class LinkInvalid(DomainError):
    status_code = 404


class AlreadyAnswered(DomainError):
    status_code = 409

    def __init__(self, answered_at: datetime):
        super().__init__(
            _("This evaluation was already answered on %(date)s.", date=format_date(answered_at))
        )
        self.answered_at = answered_at


class LinkExpired(DomainError):
    status_code = 410


class AnswersInvalid(ValidationFailed):
    """Answers that break a question's rule; ``problems`` maps question ids to codes."""

    def __init__(self, problems: dict[int, str]):
        super().__init__(_("Please correct the answers marked below."))
        self.problems = problems


def evaluation_options():
    """What an evaluation's page shows: its placement's people and places, its form."""
    return (
        joinedload(Evaluation.placement)
        .joinedload(Placement.department)
        .joinedload(Department.hospital),
        joinedload(Evaluation.placement)
        .joinedload(Placement.enrollment)
        .joinedload(Enrollment.doctor),
        joinedload(Evaluation.placement)
        .joinedload(Placement.enrollment)
        .joinedload(Enrollment.cohort),
        joinedload(Evaluation.placement).joinedload(Placement.curriculum_item),
        joinedload(Evaluation.form).selectinload(EvaluationForm.questions),
    )


# --- links ---------------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=LINK_PURPOSE)


def link_ttl() -> timedelta:
    return timedelta(days=current_app.config["SOMET_EVALUATION_LINK_TTL_DAYS"])


def link_token(evaluation_id: int, language: str) -> str:
    """The signed token of an evaluation's one-tap link in ``language``."""
    return _serializer().dumps([evaluation_id, language])


def answer_link(evaluation_id: int, language: str) -> str:
    """The one-tap link to answer an evaluation, in ``language``."""
    return (
        current_app.config["SOMET_PUBLIC_URL"] + ANSWER_PATH + link_token(evaluation_id, language)
    )


def open_link(token: str) -> tuple[AnswerPage, str]:
    """The evaluation a link names (as its page shows it) and the link's language;
    LinkInvalid for a bad token.

    The evaluation comes whatever its state: the page says when it was answered or expired.
    """
    try:
        evaluation_id, language = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        raise LinkInvalid(_("This link is not valid.")) from None
    evaluation = answer_page(evaluation_id) if isinstance(evaluation_id, int) else None
    if evaluation is None or language not in LANGUAGES:
        raise LinkInvalid(_("This link is not valid."))
    return evaluation, language


def _load(evaluation_id: int) -> Evaluation | None:
    return db.session.scalars(_load_statement(), {"evaluation_id": evaluation_id}).first()


@cache
def _load_statement():
    """Built once (parameter ``evaluation_id``): building its five loader chains and their
    cache key cost more than running it, on every view of an answer page."""
    return (
        select(Evaluation)
        .where(Evaluation.id == bindparam("evaluation_id"))
        .options(*evaluation_options())
        .execution_options(populate_existing=True)
    )


# --- sending -------------------------------------------------------------------------------


def send_due_evaluations(now: datetime) -> dict:
    """Create and send both evaluations of each completed placement that has not got them
    (placements that ended within the links' lifetime); one transaction, idempotent."""
    lock_for_write(db.session(), "evaluations")
    placements = _placements_due(now)
    forms = {direction: default_form(direction) for direction in EvaluationDirection}
    expires = now + link_ttl()
    have = _existing_directions([p.id for p in placements])
    created = []
    for placement in placements:
        for direction in EvaluationDirection:
            if (placement.id, direction) in have:
                continue
            evaluation = Evaluation(
                placement=placement,
                department_id=placement.department_id,
                direction=direction,
                form_id=forms[direction].id,
                sent_at=now,
                expires_at=expires,
            )
            db.session.add(evaluation)
            created.append(evaluation)
    db.session.flush()
    tallies.count_sent(created)
    sent = messages.send_requests(created, answer_link)
    for evaluation in created:
        record_event(
            None,
            "evaluation.sent",
            evaluation,
            actor_label="job runner",
            placement_id=evaluation.placement_id,
            direction=evaluation.direction.value,
        )
    db.session.commit()
    return {"evaluations_created": len(created), "evaluation_links_sent": sent}


def _placements_due(now: datetime) -> list[Placement]:
    since = (now - link_ttl()).date()
    missing = [
        ~exists().where(Evaluation.placement_id == Placement.id, Evaluation.direction == d)
        for d in EvaluationDirection
    ]
    return list(
        db.session.scalars(
            select(Placement)
            .where(
                Placement.status == PlacementStatus.COMPLETED,
                Placement.end_date >= since,
                Placement.end_date < now.date(),
                or_(*missing),
            )
            .options(
                joinedload(Placement.department).joinedload(Department.hospital),
                joinedload(Placement.enrollment).joinedload(Enrollment.doctor),
                joinedload(Placement.curriculum_item),
            )
            .order_by(Placement.id)
        ).unique()
    )


def _existing_directions(placement_ids: list[int]) -> set[tuple[int, EvaluationDirection]]:
    rows = db.session.execute(
        select(Evaluation.placement_id, Evaluation.direction).where(
            Evaluation.placement_id.in_(placement_ids)
        )
    )
    return {(row.placement_id, row.direction) for row in rows}


def default_form(direction: EvaluationDirection) -> EvaluationForm:
    """The direction's default form; the built-in one (defaults.py) is created if none is."""
    form = db.session.scalar(
        select(EvaluationForm)
        .where(
            EvaluationForm.direction == direction,
            EvaluationForm.is_default.is_(True),
            EvaluationForm.retired_at.is_(None),
        )
        .order_by(EvaluationForm.id.desc())
    )
    if form is not None:
        return form
    name, rows = DEFAULT_FORMS[direction.value]
    form = EvaluationForm(name=name, direction=direction, is_default=True)
    for position, (kind, en, ru, kk) in enumerate(rows):
        form.questions.append(
            EvaluationQuestion(
                position=position,
                kind=QuestionKind(kind),
                prompt_en=en,
                prompt_ru=ru,
                prompt_kk=kk,
                required=kind != "text",
            )
        )
    db.session.add(form)
    db.session.flush()
    return form


def rebuild_tallies() -> None:
    """Count every department's tallies afresh, for evaluations written in bulk (the demo's
    history) rather than sent by ``send_due_evaluations``; in the caller's transaction."""
    tallies.rebuild()


# --- answering -----------------------------------------------------------------------------


def answer_evaluation(
    actor: User | None,
    evaluation_id: int,
    raw: dict[int, str | None],
    *,
    link_token: str | None = None,
    now: datetime | None = None,
) -> Evaluation:
    """Store the answers to an evaluation, once: by its link (no account) or in the app by
    the doctor (about the department) or a coordinator of the host (about the doctor)."""
    now = now or utcnow()
    if link_token is not None:
        if open_link(link_token)[0].id != evaluation_id:
            raise LinkInvalid(_("This link is not valid."))
    else:
        evaluation_for(actor, evaluation_id)
    lock_for_write(db.session(), f"evaluation:{evaluation_id}")
    evaluation = _load(evaluation_id)
    _check_open(evaluation, now)
    specs = [rules.QuestionSpec(q.id, q.kind.value, q.required) for q in evaluation.form.questions]
    values, problems = rules.check_answers(specs, raw)
    if problems:
        db.session.rollback()
        raise AnswersInvalid(problems)
    name = _answerer_name(evaluation, actor)
    stored = db.session.execute(
        update(Evaluation)
        .where(Evaluation.id == evaluation_id, Evaluation.answered_at.is_(None))
        .values(answered_at=now, answered_by_name=name[:200])
        .execution_options(synchronize_session=False)
    ).rowcount
    if stored != 1:  # answered meanwhile by another tab or person
        db.session.rollback()
        raise AlreadyAnswered(_load(evaluation_id).answered_at)
    for question_id, (score, text) in values.items():
        db.session.add(
            EvaluationAnswer(
                evaluation_id=evaluation_id, question_id=question_id, score=score, text=text
            )
        )
    tallies.count_answered(evaluation, values)
    record_event(
        actor,
        "evaluation.answered",
        evaluation,
        actor_label=f"{name} via one-tap link" if link_token else None,
        direction=evaluation.direction.value,
        placement_id=evaluation.placement_id,
    )
    db.session.commit()
    return _load(evaluation_id)


def _check_open(evaluation: Evaluation, now: datetime) -> None:
    state = rules.link_state(evaluation.answered_at, evaluation.expires_at, now)
    if state == rules.ANSWERED:
        db.session.rollback()
        raise AlreadyAnswered(evaluation.answered_at)
    if state == rules.EXPIRED:
        db.session.rollback()
        raise LinkExpired(
            _(
                "This evaluation closed on %(date)s: answers are no longer taken.",
                date=format_date(evaluation.expires_at),
            )
        )


def evaluation_for(actor: User | None, evaluation_id: int) -> AnswerPage:
    """An evaluation ``actor`` may answer in the app, as its page shows it; NotFound unless
    it is a doctor's evaluation of their own department, or a coordinator's of a doctor
    placed at their hospital (the rule is in the page's statement)."""
    page = None
    if actor is not None and actor.role == Role.DOCTOR and actor.doctor_id is not None:
        page = answer_page(evaluation_id, BY_DOCTOR, actor.doctor_id)
    elif actor is not None and actor.role == Role.COORDINATOR:
        page = answer_page(evaluation_id, BY_COORDINATOR, actor.hospital_id)
    if page is None:
        raise NotFound(_("There is no such evaluation."))
    return page


def _answerer_name(evaluation: Evaluation, actor: User | None) -> str:
    if actor is not None:
        return actor.full_name
    if evaluation.direction == EvaluationDirection.OF_DOCTOR:
        return evaluation.placement.department.supervisor_name or "Department supervisor"
    return evaluation.placement.enrollment.doctor.latin_name
