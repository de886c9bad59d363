"""What the follow-up pages read, and what other features may ask of the follow-up answers.

For other features (the funder's report, the alumni registry):

- ``outcomes_for_enrollments(enrollment_ids)`` → ``{months_after: OffsetOutcome}``: per offset
  (3, 6, 12 ...) how many doctors were asked and answered, the sums of patients treated and
  colleagues taught, and how many would or would not recommend the programme. One statement.
  ``enrollment_ids`` is a list of ids or a ``select(Enrollment.id)...`` statement.
- ``answers_for_doctor(doctor_id)`` → ``[DoctorAnswer]``, every survey a doctor was sent
  (answered or not), oldest cohort first, with the answers. One statement.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, bindparam, case, func, select
from sqlalchemy.orm import joinedload

from somet.followup import rules
from somet.followup.operations import ANSWER_PATH, survey_token
from somet.models import AuditEvent, Cohort, Doctor, Enrollment, FollowUpSurvey, FollowUpTally
from somet.web.extensions import db
from somet.web.paging import KeysetPage, page_by_id


@dataclass(frozen=True)
class OffsetOutcome:
    """The answers to one offset's surveys (of one cohort, or of any set of enrollments)."""

    months_after: int
    asked: int
    answered: int
    patients_treated: int  # sum over the answers
    colleagues_taught: int  # sum over the answers
    recommend_yes: int
    recommend_no: int

    @property
    def not_answered(self) -> int:
        return self.asked - self.answered

    @property
    def response_rate(self) -> int | None:
        """Answered of asked, whole percent (None when nobody was asked)."""
        return rules.percent(self.answered, self.asked)

    @property
    def recommend_rate(self) -> int | None:
        """Would recommend, of those who said yes or no, whole percent."""
        return rules.percent(self.recommend_yes, self.recommend_yes + self.recommend_no)


@dataclass(frozen=True)
class CohortOutcome(OffsetOutcome):
    cohort_id: int = 0
    cohort_name: str = ""


@dataclass(frozen=True)
class DoctorAnswer:
    """One survey a doctor was sent; the answer fields are None while it is unanswered."""

    survey_id: int
    enrollment_id: int
    cohort_id: int
    cohort_name: str
    months_after: int
    due_on: date
    sent_at: datetime
    answered_at: datetime | None
    procedures_introduced: str | None
    patients_treated: int | None
    colleagues_taught: int | None
    would_recommend: bool | None
    comment: str | None


def _outcome_columns():
    survey = FollowUpSurvey
    return (
        func.count(survey.id).label("asked"),
        func.count(survey.answered_at).label("answered"),
        func.coalesce(func.sum(survey.patients_treated), 0).label("patients_treated"),
        func.coalesce(func.sum(survey.colleagues_taught), 0).label("colleagues_taught"),
        func.count(case((survey.would_recommend.is_(True), 1))).label("recommend_yes"),
        func.count(case((survey.would_recommend.is_(False), 1))).label("recommend_no"),
    )


def _outcome(row) -> dict:
    return {
        "months_after": row.months_after,
        "asked": row.asked,
        "answered": row.answered,
        "patients_treated": int(row.patients_treated),
        "colleagues_taught": int(row.colleagues_taught),
        "recommend_yes": row.recommend_yes,
        "recommend_no": row.recommend_no,
    }


def outcomes_for_enrollments(enrollment_ids: Select | list[int]) -> dict[int, OffsetOutcome]:
    """Per offset (months), the outcomes of the surveys of these enrollments (one statement)."""
    rows = db.session.execute(
        select(FollowUpSurvey.months_after, *_outcome_columns())
        .where(FollowUpSurvey.enrollment_id.in_(enrollment_ids))
        .group_by(FollowUpSurvey.months_after)
        .order_by(FollowUpSurvey.months_after)
    )
    return {row.months_after: OffsetOutcome(**_outcome(row)) for row in rows}


def cohort_outcomes(cohort_id: int | None = None) -> list[CohortOutcome]:
    """Per cohort and offset (one statement): the totals the director reads; of one cohort,
    or of every cohort."""
    query = _cohort_outcomes_query()
    if cohort_id is not None:
        query = query.where(Cohort.id == cohort_id)
    return _cohort_outcomes(db.session.execute(query))


def latest_cohort_outcomes(count: int) -> tuple[list[CohortOutcome], bool]:
    """The totals of the ``count`` cohorts with surveys that ended last, and whether older
    ones have some too (one statement): the overview stays one screen as the years add up."""
    rows = _cohort_outcomes(db.session.execute(_latest_outcomes_statement(), {"more": count + 1}))
    cohorts = list(dict.fromkeys(row.cohort_id for row in rows))
    if len(cohorts) <= count:
        return rows, False
    return [row for row in rows if row.cohort_id != cohorts[-1]], True


@functools.cache
def _latest_outcomes_statement():
    """Built once (parameter ``more``: one more cohort than shown, to tell if there are older
    ones). The cohorts with surveys are those whose tally counts some (followup/tallies.py):
    one row per cohort, where finding them among the surveys tried every cohort of history."""
    latest = (
        select(FollowUpTally.cohort_id)
        .join(Cohort, Cohort.id == FollowUpTally.cohort_id)
        .where(FollowUpTally.asked > 0)
        .order_by(Cohort.end_date.desc(), Cohort.id)
        .limit(bindparam("more"))
    )
    return _cohort_outcomes_query().where(Cohort.id.in_(latest))


def _cohort_outcomes_query() -> Select:
    return (
        select(Cohort.id, Cohort.name, FollowUpSurvey.months_after, *_outcome_columns())
        .join(Enrollment, FollowUpSurvey.enrollment_id == Enrollment.id)
        .join(Cohort, Enrollment.cohort_id == Cohort.id)
        .group_by(Cohort.id, Cohort.name, Cohort.end_date, FollowUpSurvey.months_after)
        .order_by(Cohort.end_date.desc(), Cohort.id, FollowUpSurvey.months_after)
    )


def _cohort_outcomes(rows) -> list[CohortOutcome]:
    return [CohortOutcome(**_outcome(row), cohort_id=row.id, cohort_name=row.name) for row in rows]


def answers_for_doctor(doctor_id: int) -> list[DoctorAnswer]:
    """Every survey the doctor was sent, with the answers (one statement)."""
    rows = db.session.execute(_DOCTORS_SURVEYS, {"doctor_id": doctor_id})
    return [_doctor_answer(row.FollowUpSurvey, row.cohort_id, row.cohort_name) for row in rows]


# Built once (parameter ``doctor_id``): it runs on every alumnus's history page.
_DOCTORS_SURVEYS = (
    select(FollowUpSurvey, Cohort.id.label("cohort_id"), Cohort.name.label("cohort_name"))
    .join(Enrollment, FollowUpSurvey.enrollment_id == Enrollment.id)
    .join(Cohort, Enrollment.cohort_id == Cohort.id)
    .where(Enrollment.doctor_id == bindparam("doctor_id"))
    .order_by(Cohort.end_date, FollowUpSurvey.months_after)
)


def _doctor_answer(survey: FollowUpSurvey, cohort_id: int, cohort_name: str) -> DoctorAnswer:
    return DoctorAnswer(
        survey_id=survey.id,
        enrollment_id=survey.enrollment_id,
        cohort_id=cohort_id,
        cohort_name=cohort_name,
        months_after=survey.months_after,
        due_on=survey.due_on,
        sent_at=survey.sent_at,
        answered_at=survey.answered_at,
        procedures_introduced=survey.procedures_introduced,
        patients_treated=survey.patients_treated,
        colleagues_taught=survey.colleagues_taught,
        would_recommend=survey.would_recommend,
        comment=survey.comment,
    )


# --- the director's pages -------------------------------------------------------------------


def surveys_page(
    state: str = "open", *, per_page: int, before: int | None = None, after: int | None = None
) -> KeysetPage:
    """A page of the surveys of every cohort, the last sent first, with their doctors and
    cohorts: the not answered ("open"), "answered" or "all"; the page just older than survey
    ``before`` or just newer than ``after``, else the newest. A survey's id is given when it is
    sent, so the id's order is the sending order: the page is read along the primary key,
    and no view counts (or sorts) the surveys of every year.

    Its items are rows of what the list shows (``_SURVEY_ROWS``), not entities: building
    three objects for each of fifty rows cost more than the statement."""
    query = _in_state(_SURVEY_ROWS, state)
    return page_by_id(
        query, FollowUpSurvey.id, per_page=per_page, before=before, after=after, rows=True
    )


def _last_reminded():
    """When a director last reminded a survey's doctor: the newest audit event of a reminder
    of it (a scalar subquery on the survey's row; the events' object index finds it)."""
    return (
        select(func.max(AuditEvent.created_at))
        .where(
            AuditEvent.object_type == "FollowUpSurvey",
            AuditEvent.object_id == FollowUpSurvey.id,
            AuditEvent.action == "follow_up.reminded",
        )
        .scalar_subquery()
    )


# A survey as the lists show it (``followup/_totals.html``'s ``survey_rows``): its id,
# enrollment, offset, sending and answer times, when its doctor was last reminded, the
# doctor's id and name parts, the cohort's id and name.
_SURVEY_ROWS = (
    select(
        FollowUpSurvey.id,
        FollowUpSurvey.enrollment_id,
        FollowUpSurvey.months_after,
        FollowUpSurvey.sent_at,
        FollowUpSurvey.answered_at,
        _last_reminded().label("reminded_at"),
        Enrollment.doctor_id,
        Doctor.first_name,
        Doctor.last_name,
        Doctor.native_name,
        Enrollment.cohort_id,
        Cohort.name.label("cohort_name"),
    )
    .join(Enrollment, Enrollment.id == FollowUpSurvey.enrollment_id)
    .join(Doctor, Doctor.id == Enrollment.doctor_id)
    .join(Cohort, Cohort.id == Enrollment.cohort_id)
)


# Built once (parameter ``cohort_id``): a cohort's page lists its surveys with their answers.
_COHORT_SURVEY_ROWS = (
    _SURVEY_ROWS.add_columns(
        FollowUpSurvey.patients_treated,
        FollowUpSurvey.colleagues_taught,
        FollowUpSurvey.would_recommend,
    )
    .where(Enrollment.cohort_id == bindparam("cohort_id"))
    .order_by(FollowUpSurvey.months_after, Doctor.last_name, Doctor.first_name, FollowUpSurvey.id)
)


def cohort_survey_rows(cohort_id: int) -> list:
    """Every survey of the cohort as its page lists it (a survey's row with its answers'
    numbers), by offset then doctor: one statement of columns, not three entities a survey."""
    return db.session.execute(_COHORT_SURVEY_ROWS, {"cohort_id": cohort_id}).all()


def cohort_surveys(cohort_id: int) -> list[FollowUpSurvey]:
    """Every survey of the cohort, by offset then doctor (one statement): the entities, for
    work that answers or reminds them."""
    query = (
        select(FollowUpSurvey)
        .join(Enrollment, FollowUpSurvey.enrollment_id == Enrollment.id)
        .join(Doctor, Enrollment.doctor_id == Doctor.id)
        .where(Enrollment.cohort_id == cohort_id)
        .order_by(FollowUpSurvey.months_after, Doctor.last_name, Doctor.first_name)
    )
    return list(db.session.scalars(_with_doctor_and_cohort(query)).unique())


def _in_state(query: Select, state: str) -> Select:
    if state == "open":
        return query.where(FollowUpSurvey.answered_at.is_(None))
    if state == "answered":
        return query.where(FollowUpSurvey.answered_at.is_not(None))
    return query


def _with_doctor_and_cohort(query: Select) -> Select:
    return query.options(
        joinedload(FollowUpSurvey.enrollment).joinedload(Enrollment.doctor),
        joinedload(FollowUpSurvey.enrollment).joinedload(Enrollment.cohort),
    )


@dataclass(frozen=True)
class OpenSurvey:
    """A survey on the doctor's home page: what it asks about, and its one-tap page."""

    survey_id: int
    cohort_name: str
    months_after: int
    expires_at: datetime
    path: str


def open_surveys_for_doctor(doctor_id: int, now: datetime) -> list[OpenSurvey]:
    """The doctor's surveys still to answer, link not expired (for the home page)."""
    surveys = db.session.scalars(
        select(FollowUpSurvey)
        .join(Enrollment, FollowUpSurvey.enrollment_id == Enrollment.id)
        .where(
            Enrollment.doctor_id == doctor_id,
            FollowUpSurvey.answered_at.is_(None),
            FollowUpSurvey.expires_at > now,
        )
        .options(joinedload(FollowUpSurvey.enrollment).joinedload(Enrollment.cohort))
        .order_by(FollowUpSurvey.sent_at)
    ).unique()
    return [
        OpenSurvey(
            s.id,
            s.enrollment.cohort.name,
            s.months_after,
            s.expires_at,
            ANSWER_PATH + survey_token(s),
        )
        for s in surveys
    ]
