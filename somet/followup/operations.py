"""Follow-up surveys: sending each once when due, the doctor's one-tap answer, reminders.

One-tap links are signed (itsdangerous, the app's secret key) and name the survey and the
moment it was sent. They need no login, work until ``FollowUpSurvey.expires_at`` (sent +
``SOMET_FOLLOW_UP_LINK_TTL_DAYS``; a director's manual reminder renews it) and take one answer.

Sending exactly once: the run takes the ``follow-up`` write lock before reading, a survey row
is written for each (enrollment, months) it sends (unique in the database), and its message
has the survey's ``dedup_key``; a second run the same day finds the rows and sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import aliased, joinedload

from somet.audit.operations import record_event
from somet.core.errors import DomainError, InvalidTransition, NotFound
from somet.core.follow_up_months import MAX_MONTHS, follow_up_months_or_default
from somet.followup import messages, rules, tallies
from somet.followup.rules import due_on  # for callers: the day a survey comes due
from somet.models import Cohort, Enrollment, FollowUpSurvey, User, utcnow
from somet.web.access import require_staff
from somet.web.database import lock_for_write
from somet.web.extensions import db

ANSWER_PATH = "/follow-up/answer/"
LINK_PURPOSE = "follow-up-survey"
LOCK = "follow-up"
JOB_ACTOR = "follow-up job"


class LinkInvalid(DomainError):
    status_code = 404


class LinkSpent(DomainError):
    """Answered already, or expired (the page says which)."""

    status_code = 410


@dataclass(frozen=True)
class Answers:
    """What a sponsor asks, as the form gives it."""

    procedures_introduced: str
    patients_treated: int
    colleagues_taught: int
    would_recommend: bool
    comment: str


# --- links ---------------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=LINK_PURPOSE)


def survey_token(survey: FollowUpSurvey) -> str:
    """The signed token of the survey's one-tap link."""
    return _serializer().dumps([survey.id, int(survey.sent_at.timestamp())])


def survey_link(survey: FollowUpSurvey) -> str:
    return current_app.config["SOMET_PUBLIC_URL"] + ANSWER_PATH + survey_token(survey)


def survey_options():
    """What the answer page and the messages show of a survey, in the same statement."""
    return (
        joinedload(FollowUpSurvey.enrollment).joinedload(Enrollment.cohort),
        joinedload(FollowUpSurvey.enrollment).joinedload(Enrollment.doctor),
    )


def survey_for_link(token: str, now: datetime | None = None) -> FollowUpSurvey:
    """The survey a link answers; LinkInvalid (bad token) or LinkSpent (answered, expired)."""
    try:
        survey_id, sent = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        raise LinkInvalid(_("This link is not valid.")) from None
    survey = db.session.scalars(
        select(FollowUpSurvey)
        .where(FollowUpSurvey.id == survey_id)
        .options(*survey_options())
        .execution_options(populate_existing=True)
    ).first()
    if survey is None or int(survey.sent_at.timestamp()) != sent:
        raise LinkInvalid(_("This link is not valid."))
    if survey.answered_at is not None:
        raise LinkSpent(_("This survey was already answered. Thank you!"))
    if (now or utcnow()) > survey.expires_at:
        raise LinkSpent(
            _("This link has expired. Please ask the programme director for a new one.")
        )
    return survey


def _ttl() -> timedelta:
    return timedelta(days=current_app.config["SOMET_FOLLOW_UP_LINK_TTL_DAYS"])


# --- sending -------------------------------------------------------------------------------


def send_due_surveys(now: datetime) -> dict:
    """Create and send every survey due by ``now``'s day (see ``rules.survey_to_send``)."""
    lock_for_write(db.session(), LOCK)
    today = now.date()
    enrollments = _asked_enrollments(today)
    sent_offsets = _sent_offsets([e.id for e in enrollments])
    logins = messages.logins_of({e.doctor_id for e in enrollments})
    counts = {"surveys_sent": 0, "surveys_without_address": 0}
    for enrollment in enrollments:
        cohort = enrollment.cohort
        offsets = follow_up_months_or_default(cohort.follow_up_months)
        months = rules.survey_to_send(
            cohort.end_date, offsets, today, sent_offsets.get(enrollment.id, ())
        )
        if months is None:
            continue
        survey = _create_survey(enrollment, months, logins.get(enrollment.doctor_id), now)
        recipient = messages.recipient_of(enrollment.doctor, logins.get(enrollment.doctor_id))
        if recipient is None:
            counts["surveys_without_address"] += 1
        else:
            messages.send_survey(survey, recipient, cohort, survey_link(survey))
        counts["surveys_sent"] += 1
    db.session.commit()
    return counts


def _asked_enrollments(today: date) -> list[Enrollment]:
    oldest_end = rules.add_months(today - timedelta(days=rules.CATCH_UP_DAYS + 3), -MAX_MONTHS)
    return list(
        db.session.scalars(
            select(Enrollment)
            .join(Cohort, Enrollment.cohort_id == Cohort.id)
            .where(
                Enrollment.status.in_(rules.ASKED_STATUSES),
                Cohort.end_date < today,
                Cohort.end_date >= oldest_end,
            )
            .options(joinedload(Enrollment.cohort), joinedload(Enrollment.doctor))
            .order_by(Enrollment.id)
        ).unique()
    )


def _sent_offsets(enrollment_ids: list[int]) -> dict[int, list[int]]:
    rows = db.session.execute(
        select(FollowUpSurvey.enrollment_id, FollowUpSurvey.months_after).where(
            FollowUpSurvey.enrollment_id.in_(enrollment_ids)
        )
    )
    found: dict[int, list[int]] = {}
    for enrollment_id, months in rows:
        found.setdefault(enrollment_id, []).append(months)
    return found


def _create_survey(enrollment: Enrollment, months: int, login, now: datetime):
    sent_at = now.replace(microsecond=0)
    survey = FollowUpSurvey(
        enrollment_id=enrollment.id,
        months_after=months,
        due_on=due_on(enrollment.cohort.end_date, months),
        language=messages.survey_language(enrollment.doctor, login),
        sent_at=sent_at,
        expires_at=sent_at + _ttl(),
    )
    db.session.add(survey)
    db.session.flush()
    tallies.count_sent(enrollment.cohort_id)
    survey.enrollment = enrollment
    record_event(
        None, "follow_up.sent", survey, actor_label=JOB_ACTOR,
        enrollment_id=enrollment.id, months=months,
    )  # fmt: skip
    return survey


def rebuild_tallies() -> None:
    """Count every cohort's survey tallies afresh, for surveys written in bulk (the demo's
    history): the app's own sending and answering keep them as they go."""
    tallies.rebuild()


# --- answering -----------------------------------------------------------------------------


def answer_survey(token: str, answers: Answers, now: datetime | None = None) -> FollowUpSurvey:
    """Store the doctor's answers once; a second answer is refused (LinkSpent)."""
    now = now or utcnow()
    lock_for_write(db.session(), LOCK)
    survey = survey_for_link(token, now)
    # Conditional update: two answers sent at once are stored once.
    stored = db.session.execute(
        update(FollowUpSurvey)
        .where(FollowUpSurvey.id == survey.id, FollowUpSurvey.answered_at.is_(None))
        .values(
            answered_at=now,
            procedures_introduced=answers.procedures_introduced.strip() or None,
            patients_treated=answers.patients_treated,
            colleagues_taught=answers.colleagues_taught,
            would_recommend=answers.would_recommend,
            comment=answers.comment.strip() or None,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if stored != 1:
        db.session.rollback()
        raise LinkSpent(_("This survey was already answered. Thank you!"))
    tallies.count_answered(survey.enrollment.cohort_id)
    record_event(
        None, "follow_up.answered", survey, actor_label=_doctor_label(survey),
        via="one-tap link", months=survey.months_after,
    )  # fmt: skip
    db.session.commit()
    return survey


def _doctor_label(survey: FollowUpSurvey) -> str:
    doctor = survey.enrollment.doctor
    return f"{doctor.email or doctor.latin_name} via one-tap link"


# --- reminders -----------------------------------------------------------------------------


def remind_doctor(actor: User, enrollment_id: int, months: int, now: datetime | None = None):
    """A director's reminder to one doctor who has not answered; at most one a day."""
    require_staff(actor)
    now = now or utcnow()
    lock_for_write(db.session(), LOCK)
    survey = db.session.scalars(
        select(FollowUpSurvey)
        .where(FollowUpSurvey.enrollment_id == enrollment_id, FollowUpSurvey.months_after == months)
        .options(*survey_options())
    ).first()
    if survey is None:
        raise NotFound(_("This doctor was not asked that survey."))
    if survey.answered_at is not None:
        raise InvalidTransition(_("This doctor has already answered."))
    if not _remind(actor, survey, messages.logins_of([survey.enrollment.doctor_id]), now):
        db.session.rollback()
        raise InvalidTransition(_("This doctor was already reminded today."))
    db.session.commit()
    return survey


def remind_non_responders(actor: User, cohort_id: int | None, now: datetime | None = None):
    """A reminder to everyone (of one cohort, or all) who has not answered: (sent, skipped).

    Only each doctor's latest survey: one left unanswered before a later one was sent is
    history, not something to chase. Skipped: reminded already today, or no address.
    """
    require_staff(actor)
    now = now or utcnow()
    lock_for_write(db.session(), LOCK)
    later = aliased(FollowUpSurvey)
    superseded = (
        select(later.id)
        .where(
            later.enrollment_id == FollowUpSurvey.enrollment_id,
            later.months_after > FollowUpSurvey.months_after,
        )
        .exists()
    )
    query = (
        select(FollowUpSurvey)
        .join(Enrollment, FollowUpSurvey.enrollment_id == Enrollment.id)
        .where(FollowUpSurvey.answered_at.is_(None), ~superseded)
        .options(*survey_options())
        .order_by(FollowUpSurvey.id)
    )
    if cohort_id is not None:
        if db.session.get(Cohort, cohort_id) is None:
            raise NotFound(_("There is no such cohort."))
        query = query.where(Enrollment.cohort_id == cohort_id)
    surveys = list(db.session.scalars(query).unique())
    logins = messages.logins_of({s.enrollment.doctor_id for s in surveys})
    sent = sum(_remind(actor, survey, logins, now) for survey in surveys)
    db.session.commit()
    return sent, len(surveys) - sent


def _remind(actor: User, survey: FollowUpSurvey, logins: dict, now: datetime) -> bool:
    """Send a manual reminder unless one went today; the link is renewed if it expired."""
    doctor = survey.enrollment.doctor
    recipient = messages.recipient_of(doctor, logins.get(doctor.id))
    if recipient is None:
        return False
    key = f"follow-up-manual:{survey.id}:{now.date().isoformat()}"
    before = survey.expires_at
    survey.expires_at = max(before, now.replace(microsecond=0) + _ttl())  # the mail says until
    if not messages.send_reminder(survey, recipient, survey.enrollment.cohort,
                                  survey_link(survey), key):  # fmt: skip
        survey.expires_at = before
        return False
    record_event(actor, "follow_up.reminded", survey, months=survey.months_after)
    return True


def send_automatic_reminders(now: datetime) -> int:
    """Reminders 7 and 21 days after sending, to doctors who have not answered (each once)."""
    first = now - timedelta(days=rules.REMINDER_DAYS[0])
    surveys = list(
        db.session.scalars(
            select(FollowUpSurvey)
            .where(
                FollowUpSurvey.answered_at.is_(None),
                FollowUpSurvey.sent_at <= first,
                FollowUpSurvey.expires_at > now,
            )
            .options(*survey_options())
            .order_by(FollowUpSurvey.id)
        ).unique()
    )
    logins = messages.logins_of({s.enrollment.doctor_id for s in surveys})
    sent = 0
    for survey in surveys:
        doctor = survey.enrollment.doctor
        recipient = messages.recipient_of(doctor, logins.get(doctor.id))
        stage = rules.reminder_stage(survey.sent_at, now)
        if recipient is None or stage is None:
            continue
        key = f"follow-up-reminder:{stage}:{survey.id}"
        link = survey_link(survey)
        sent += messages.send_reminder(survey, recipient, survey.enrollment.cohort, link, key)
    return sent
