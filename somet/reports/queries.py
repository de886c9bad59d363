"""What the funder's report and the director's dashboard read: one aggregate statement per
section (GROUP BY in SQL), so the number of statements does not grow with the history."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Integer, and_, case, cast, distinct, func, select

from somet.budget import queries as budget
from somet.models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    CertificateKind,
    Cohort,
    Department,
    Doctor,
    Enrollment,
    EnrollmentStatus,
    Evaluation,
    EvaluationAnswer,
    EvaluationDirection,
    EvaluationQuestion,
    FollowUpSurvey,
    Hospital,
    Placement,
    PlacementStatus,
    QuestionKind,
    ReportQuote,
)
from somet.reports import rules
from somet.reports.rules import Scope
from somet.web.extensions import db


@dataclass
class QuestionSummary:
    direction: str
    kind: str
    prompt: str
    answers: int
    average: float | None  # scale: mean of 1–5; yes/no: share of yes (percent)


@dataclass
class FollowUpRow:
    months: int
    asked: int
    answered: int
    patients: int
    colleagues: int
    recommend_yes: int
    recommend_answered: int

    @property
    def response_rate(self) -> float | None:
        return rules.share(self.answered, self.asked)

    @property
    def recommend_share(self) -> float | None:
        return rules.share(self.recommend_yes, self.recommend_answered)


@dataclass
class Quote:
    source: str  # evaluation | follow_up
    source_id: int  # the answer's or the survey's id
    text: str
    specialty: str | None
    cohort: str
    year: int
    detail: str  # the department rated, or the months after the cohort
    chosen: bool = True


@dataclass
class FunderReport:
    scope: Scope
    cohorts: list = field(default_factory=list)  # rows: id, name, start_date, end_date, sponsor
    statuses: dict[str, int] = field(default_factory=dict)
    by_specialty: list[tuple[str, int]] = field(default_factory=list)
    by_region: list[tuple[str, int]] = field(default_factory=list)
    hosts: list[tuple[str, int]] = field(default_factory=list)  # hospital, doctors
    departments: list = field(default_factory=list)  # rows: hospital, department, doctors, days
    days: int = 0
    hours: float = 0.0
    certificates: int = 0
    evaluations: dict[str, tuple[int, int]] = field(default_factory=dict)  # sent, answered
    questions: list[QuestionSummary] = field(default_factory=list)
    follow_ups: list[FollowUpRow] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    costs: list[budget.CostPerDoctor] = field(default_factory=list)  # empty: no costs recorded

    @property
    def trained(self) -> int:
        return sum(count for _, count in self.by_specialty)

    @property
    def completion_rate(self) -> float | None:
        return rules.completion_rate(self.statuses)


def sponsors() -> list[str]:
    """Every sponsor named on a cohort, alphabetically."""
    return list(db.session.scalars(_SPONSORS))


# Built once: the dashboard and the report's form read it on every view.
_SPONSORS = (
    select(Cohort.sponsor)
    .where(Cohort.sponsor.is_not(None), Cohort.sponsor != "")
    .distinct()
    .order_by(Cohort.sponsor)
)


def cohort_choices() -> list[tuple[int, str]]:
    """(id, name) of every cohort, newest first."""
    query = select(Cohort.id, Cohort.name).order_by(Cohort.end_date.desc(), Cohort.id.desc())
    return [(row.id, row.name) for row in db.session.execute(query)]


def cohort_ids(scope: Scope):
    """The ids of the cohorts ``scope`` covers, as a subquery."""
    query = select(Cohort.id)
    if scope.cohort_id is not None:
        return query.where(Cohort.id == scope.cohort_id)
    if scope.sponsor:
        query = query.where(Cohort.sponsor == scope.sponsor)
    if scope.start:
        query = query.where(Cohort.end_date >= scope.start)
    if scope.end:
        query = query.where(Cohort.end_date <= scope.end)
    return query


def funder_report(scope: Scope, language: str = "en") -> FunderReport:
    """The whole report for ``scope``: a fixed number of statements whatever the history."""
    ids = cohort_ids(scope)
    report = FunderReport(scope=scope)
    report.cohorts = db.session.execute(
        select(Cohort.id, Cohort.name, Cohort.start_date, Cohort.end_date, Cohort.sponsor)
        .where(Cohort.id.in_(ids))
        .order_by(Cohort.end_date, Cohort.id)
    ).all()
    report.statuses = {
        status.value: count
        for status, count in db.session.execute(
            select(Enrollment.status, func.count())
            .where(Enrollment.cohort_id.in_(ids))
            .group_by(Enrollment.status)
        )
    }
    _doctors_trained(report, ids)
    _departments(report, ids)
    _certificates(report, ids)
    _evaluations(report, ids, language)
    report.follow_ups = follow_up_rows(ids)
    report.quotes = quotes(scope, chosen_only=True)
    report.costs = budget.costs_per_doctor(ids)
    return report


def _doctors_trained(report: FunderReport, ids) -> None:
    """Doctors trained (an enrollment completed), by specialty and by region, in one statement."""
    rows = db.session.execute(
        select(Doctor.specialty, Doctor.region, func.count(distinct(Doctor.id)))
        .join(Enrollment, Enrollment.doctor_id == Doctor.id)
        .where(Enrollment.cohort_id.in_(ids), Enrollment.status == EnrollmentStatus.COMPLETED)
        .group_by(Doctor.specialty, Doctor.region)
    ).all()
    specialties: dict[str, int] = {}
    regions: dict[str, int] = {}
    for specialty, region, count in rows:
        specialties[specialty or ""] = specialties.get(specialty or "", 0) + count
        regions[region or ""] = regions.get(region or "", 0) + count
    report.by_specialty = sorted(specialties.items(), key=lambda item: (-item[1], item[0]))
    report.by_region = sorted(regions.items(), key=lambda item: (-item[1], item[0]))


def _departments(report: FunderReport, ids) -> None:
    """Doctors and present days per host department, from completed placements."""
    present = and_(
        Attendance.placement_id == Placement.id, Attendance.status == AttendanceStatus.PRESENT
    )
    report.departments = db.session.execute(
        select(
            Hospital.name.label("hospital"),
            Department.name.label("department"),
            func.count(distinct(Enrollment.doctor_id)).label("doctors"),
            func.count(Attendance.id).label("days"),
        )
        .select_from(Placement)
        .join(Enrollment, Enrollment.id == Placement.enrollment_id)
        .join(Department, Department.id == Placement.department_id)
        .join(Hospital, Hospital.id == Department.hospital_id)
        .outerjoin(Attendance, present)
        .where(Enrollment.cohort_id.in_(ids), Placement.status == PlacementStatus.COMPLETED)
        .group_by(Hospital.id, Hospital.name, Department.id, Department.name)
        .order_by(Hospital.name, Department.name)
    ).all()
    report.days = sum(row.days for row in report.departments)
    report.hosts = [
        (name, count)
        for name, count in db.session.execute(
            select(Hospital.name, func.count(distinct(Enrollment.doctor_id)))
            .select_from(Placement)
            .join(Enrollment, Enrollment.id == Placement.enrollment_id)
            .join(Department, Department.id == Placement.department_id)
            .join(Hospital, Hospital.id == Department.hospital_id)
            .where(Enrollment.cohort_id.in_(ids), Placement.status == PlacementStatus.COMPLETED)
            .group_by(Hospital.id, Hospital.name)
            .order_by(func.count(distinct(Enrollment.doctor_id)).desc(), Hospital.name)
        )
    ]


def _certificates(report: FunderReport, ids) -> None:
    """Credit hours as the certificates state them: the completion rule's hours, stamped on
    each valid internship certificate when it was issued."""
    count, hours = db.session.execute(
        select(func.count(Certificate.id), func.coalesce(func.sum(Certificate.hours), 0.0))
        .join(Enrollment, Enrollment.id == Certificate.enrollment_id)
        .where(
            Enrollment.cohort_id.in_(ids),
            Certificate.kind == CertificateKind.INTERNSHIP,
            Certificate.revoked_at.is_(None),
        )
    ).one()
    report.certificates, report.hours = count, round(float(hours), 2)


def _evaluations(report: FunderReport, ids, language: str) -> None:
    in_scope = Placement.enrollment_id.in_(
        select(Enrollment.id).where(Enrollment.cohort_id.in_(ids))
    )
    report.evaluations = {
        direction.value: (sent, answered)
        for direction, sent, answered in db.session.execute(
            select(Evaluation.direction, func.count(), func.count(Evaluation.answered_at))
            .join(Placement, Placement.id == Evaluation.placement_id)
            .where(in_scope)
            .group_by(Evaluation.direction)
        )
    }
    # Grouped by question id first (integers: cheap), then worded; forms that ask the same
    # question (a retired form and its replacement) are merged by its English wording.
    per_question = (
        select(
            Evaluation.direction,
            EvaluationAnswer.question_id,
            func.count(EvaluationAnswer.score).label("answers"),
            func.sum(EvaluationAnswer.score).label("total"),
        )
        .join(Evaluation, Evaluation.id == EvaluationAnswer.evaluation_id)
        .join(Placement, Placement.id == Evaluation.placement_id)
        .where(in_scope, Evaluation.answered_at.is_not(None), EvaluationAnswer.score.is_not(None))
        .group_by(Evaluation.direction, EvaluationAnswer.question_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            per_question.c.direction,
            EvaluationQuestion.kind,
            EvaluationQuestion.prompt_en,
            EvaluationQuestion.prompt_ru,
            EvaluationQuestion.prompt_kk,
            EvaluationQuestion.position,
            per_question.c.answers,
            per_question.c.total,
        )
        .join(EvaluationQuestion, EvaluationQuestion.id == per_question.c.question_id)
        .where(EvaluationQuestion.kind != QuestionKind.TEXT)
        .order_by(per_question.c.direction, EvaluationQuestion.position, EvaluationQuestion.id)
    ).all()
    merged: dict[tuple, list] = {}
    for direction, kind, prompt_en, prompt_ru, prompt_kk, _position, answers, total in rows:
        prompt = {"ru": prompt_ru, "kk": prompt_kk}.get(language) or prompt_en
        entry = merged.setdefault((direction, kind, prompt_en), [prompt, 0, 0])
        entry[1] += answers
        entry[2] += int(total or 0)
    summaries = []
    for (direction, kind, _english), (prompt, answers, total) in merged.items():
        mean = rules.average(total, answers)
        if kind == QuestionKind.YES_NO:
            mean = rules.share(total, answers)
        summaries.append(QuestionSummary(direction.value, kind.value, prompt, answers, mean))
    report.questions = summaries


def follow_up_rows(ids) -> list[FollowUpRow]:
    """Follow-up surveys per months after the end: asked, answered and what came of it."""
    recommend_yes = func.sum(case((FollowUpSurvey.would_recommend.is_(True), 1), else_=0))
    rows = db.session.execute(
        select(
            FollowUpSurvey.months_after,
            func.count(),
            func.count(FollowUpSurvey.answered_at),
            func.coalesce(func.sum(FollowUpSurvey.patients_treated), 0),
            func.coalesce(func.sum(FollowUpSurvey.colleagues_taught), 0),
            func.coalesce(recommend_yes, 0),
            func.count(FollowUpSurvey.would_recommend),
        )
        .join(Enrollment, Enrollment.id == FollowUpSurvey.enrollment_id)
        .where(Enrollment.cohort_id.in_(ids))
        .group_by(FollowUpSurvey.months_after)
        .order_by(FollowUpSurvey.months_after)
    ).all()
    return [FollowUpRow(*(int(value) for value in row)) for row in rows]


def quotes(scope: Scope, chosen_only: bool, limit: int = 200) -> list[Quote]:
    """Doctors' words in ``scope``: text answers rating a department and follow-up comments
    (two statements); only the chosen ones for the report, all for choosing."""
    ids = cohort_ids(scope)
    year = cast(func.extract("year", Cohort.end_date), Integer)
    chosen = ReportQuote.id.is_not(None)
    answers = (
        select(
            EvaluationAnswer.id,
            EvaluationAnswer.text,
            Doctor.specialty,
            Cohort.name,
            year,
            Department.name,
            chosen,
        )
        .join(Evaluation, Evaluation.id == EvaluationAnswer.evaluation_id)
        .join(EvaluationQuestion, EvaluationQuestion.id == EvaluationAnswer.question_id)
        .join(Placement, Placement.id == Evaluation.placement_id)
        .join(Department, Department.id == Placement.department_id)
        .join(Enrollment, Enrollment.id == Placement.enrollment_id)
        .join(Doctor, Doctor.id == Enrollment.doctor_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .outerjoin(ReportQuote, ReportQuote.evaluation_answer_id == EvaluationAnswer.id)
        .where(
            Cohort.id.in_(ids),
            Evaluation.direction == EvaluationDirection.OF_DEPARTMENT,
            EvaluationQuestion.kind == QuestionKind.TEXT,
            func.length(func.trim(EvaluationAnswer.text)) > 0,
        )
        .order_by(Cohort.end_date.desc(), EvaluationAnswer.id)
        .limit(limit)
    )
    comments = (
        select(
            FollowUpSurvey.id,
            FollowUpSurvey.comment,
            Doctor.specialty,
            Cohort.name,
            year,
            FollowUpSurvey.months_after,
            chosen,
        )
        .join(Enrollment, Enrollment.id == FollowUpSurvey.enrollment_id)
        .join(Doctor, Doctor.id == Enrollment.doctor_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .outerjoin(ReportQuote, ReportQuote.follow_up_survey_id == FollowUpSurvey.id)
        .where(Cohort.id.in_(ids), func.length(func.trim(FollowUpSurvey.comment)) > 0)
        .order_by(Cohort.end_date.desc(), FollowUpSurvey.id)
        .limit(limit)
    )
    if chosen_only:
        answers, comments = answers.where(chosen), comments.where(chosen)
    found = [
        Quote("evaluation", *row[:4], int(row[4]), row[5], row[6])
        for row in db.session.execute(answers)
    ]
    found += [
        Quote("follow_up", *row[:4], int(row[4]), str(row[5]), row[6])
        for row in db.session.execute(comments)
    ]
    return found[: rules.QUOTE_LIMIT] if chosen_only else found
