"""What evaluation pages read, and summaries other features use (reports, alumni registry).

``summary_for_placements`` and ``answers_for_doctor`` are the public reads: plain frozen
dataclasses, a fixed number of statements whatever the amount of data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, case, distinct, func, select
from sqlalchemy.orm import joinedload, selectinload

from somet.evaluations import rules
from somet.models import (
    Department,
    Doctor,
    Enrollment,
    Evaluation,
    EvaluationAnswer,
    EvaluationDirection,
    EvaluationForm,
    EvaluationQuestion,
    Hospital,
    Placement,
    QuestionKind,
)
from somet.web.extensions import db


@dataclass(frozen=True)
class QuestionSummary:
    """One question's answers: ``average`` is the mean score 1–5 of a scale question, the
    share of "yes" (0–1) of a yes/no question, None for a text question."""

    question_id: int
    position: int
    kind: QuestionKind
    prompts: dict  # {"en": ..., "ru": ..., "kk": ...}, English where a language has none
    answers: int
    average: float | None

    def prompt(self, language: str) -> str:
        return self.prompts.get(language) or self.prompts["en"]


@dataclass(frozen=True)
class Comment:
    """A text answer, with who wrote it and about whom (pages for hosts hide the names)."""

    text: str
    direction: EvaluationDirection
    answered_at: datetime
    answered_by_name: str | None
    doctor_id: int
    doctor_name: str
    department_id: int
    department_name: str


@dataclass(frozen=True)
class DirectionSummary:
    """One direction's evaluations of a set of placements.

    ``sent``: evaluations sent; ``answered``: answered; ``respondents``: distinct doctors
    among the answered ones (who answered, for ``of_department``; who were rated, for
    ``of_doctor``); ``questions`` in form order; ``comments`` newest first.
    """

    direction: EvaluationDirection
    sent: int
    answered: int
    respondents: int
    questions: tuple[QuestionSummary, ...]
    comments: tuple[Comment, ...]


def summary_for_placements(
    placements: Select | Iterable[int], comment_limit: int | None = None
) -> dict[EvaluationDirection, DirectionSummary]:
    """Per direction, the evaluations of ``placements`` (ids, or a select of ids): counts,
    each question's answers and average, the comments. Three statements."""
    ids = placements if isinstance(placements, Select) else list(placements)
    scope = Evaluation.placement_id.in_(ids)
    counts = {
        row.direction: row
        for row in db.session.execute(
            select(
                Evaluation.direction,
                func.count(Evaluation.id).label("sent"),
                func.count(Evaluation.answered_at).label("answered"),
                func.count(
                    distinct(case((Evaluation.answered_at.is_not(None), Enrollment.doctor_id)))
                ).label("respondents"),
            )
            .join(Placement, Evaluation.placement_id == Placement.id)
            .join(Enrollment, Placement.enrollment_id == Enrollment.id)
            .where(scope)
            .group_by(Evaluation.direction)
        )
    }
    questions = _question_summaries(scope)
    comments = _comments(scope, comment_limit)
    return {
        direction: DirectionSummary(
            direction,
            counts[direction].sent if direction in counts else 0,
            counts[direction].answered if direction in counts else 0,
            counts[direction].respondents if direction in counts else 0,
            tuple(questions.get(direction, ())),
            tuple(c for c in comments if c.direction == direction),
        )
        for direction in EvaluationDirection
    }


def _question_summaries(scope) -> dict[EvaluationDirection, list[QuestionSummary]]:
    rows = db.session.execute(
        select(
            Evaluation.direction,
            EvaluationQuestion.id,
            EvaluationQuestion.form_id,
            EvaluationQuestion.position,
            EvaluationQuestion.kind,
            EvaluationQuestion.prompt_en,
            EvaluationQuestion.prompt_ru,
            EvaluationQuestion.prompt_kk,
            func.count(EvaluationAnswer.id).label("answers"),
            func.avg(EvaluationAnswer.score).label("average"),
        )
        .join(EvaluationAnswer, EvaluationAnswer.question_id == EvaluationQuestion.id)
        .join(Evaluation, EvaluationAnswer.evaluation_id == Evaluation.id)
        .where(scope)
        .group_by(Evaluation.direction, EvaluationQuestion.id)
        .order_by(EvaluationQuestion.form_id, EvaluationQuestion.position)
    )
    found: dict[EvaluationDirection, list[QuestionSummary]] = {}
    for row in rows:
        average = None
        if row.kind != QuestionKind.TEXT and row.average is not None:
            digits = 1 if row.kind == QuestionKind.SCALE else 2
            average = round(float(row.average), digits)
        prompts = {"en": row.prompt_en, "ru": row.prompt_ru or "", "kk": row.prompt_kk or ""}
        found.setdefault(row.direction, []).append(
            QuestionSummary(row.id, row.position, row.kind, prompts, row.answers, average)
        )
    return found


def _comments(scope, limit: int | None) -> list[Comment]:
    query = (
        select(
            EvaluationAnswer.text,
            Evaluation.direction,
            Evaluation.answered_at,
            Evaluation.answered_by_name,
            Doctor.id.label("doctor_id"),
            Doctor.first_name,
            Doctor.last_name,
            Department.id.label("department_id"),
            Department.name.label("department_name"),
        )
        .join(Evaluation, EvaluationAnswer.evaluation_id == Evaluation.id)
        .join(Placement, Evaluation.placement_id == Placement.id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .join(Doctor, Enrollment.doctor_id == Doctor.id)
        .join(Department, Placement.department_id == Department.id)
        .where(scope, EvaluationAnswer.text.is_not(None))
        .order_by(Evaluation.answered_at.desc(), EvaluationAnswer.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        Comment(
            row.text,
            row.direction,
            row.answered_at,
            row.answered_by_name,
            row.doctor_id,
            f"{row.first_name} {row.last_name}",
            row.department_id,
            row.department_name,
        )
        for row in db.session.execute(query)
    ]


@dataclass(frozen=True)
class AnswerRecord:
    question_id: int
    kind: QuestionKind
    prompts: dict
    score: int | None  # scale 1–5, yes 1 / no 0
    text: str | None


@dataclass(frozen=True)
class EvaluationRecord:
    """One evaluation of a doctor's placement, in either direction, with its answers."""

    evaluation_id: int
    direction: EvaluationDirection
    placement_id: int
    cohort_name: str
    department_name: str
    hospital_name: str
    start: date
    end: date
    sent_at: datetime
    expires_at: datetime
    answered_at: datetime | None
    answered_by_name: str | None
    answers: tuple[AnswerRecord, ...]


def answers_for_doctor(doctor_id: int) -> list[EvaluationRecord]:
    """Every evaluation of the doctor's placements (of the doctor and by the doctor), newest
    placement first, with each answer in form order. Three statements."""
    evaluations = db.session.scalars(
        select(Evaluation)
        .join(Placement, Evaluation.placement_id == Placement.id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .where(Enrollment.doctor_id == doctor_id)
        .options(
            joinedload(Evaluation.placement)
            .joinedload(Placement.department)
            .joinedload(Department.hospital),
            joinedload(Evaluation.placement)
            .joinedload(Placement.enrollment)
            .joinedload(Enrollment.cohort),
            selectinload(Evaluation.answers).joinedload(EvaluationAnswer.question),
        )
        .order_by(Placement.start_date.desc(), Evaluation.direction)
    ).unique()
    return [_record(e) for e in evaluations]


def _record(evaluation: Evaluation) -> EvaluationRecord:
    placement = evaluation.placement
    answers = sorted(evaluation.answers, key=lambda a: a.question.position)
    return EvaluationRecord(
        evaluation.id,
        evaluation.direction,
        placement.id,
        placement.enrollment.cohort.name,
        placement.department.name,
        placement.department.hospital.name,
        placement.start_date,
        placement.end_date,
        evaluation.sent_at,
        evaluation.expires_at,
        evaluation.answered_at,
        evaluation.answered_by_name,
        tuple(
            AnswerRecord(
                a.question_id,
                a.question.kind,
                {
                    "en": a.question.prompt_en,
                    "ru": a.question.prompt_ru or "",
                    "kk": a.question.prompt_kk or "",
                },
                a.score,
                a.text,
            )
            for a in answers
        ),
    )


# --- pages ---------------------------------------------------------------------------------


def doctor_placements(doctor_id: int) -> Select:
    return (
        select(Placement.id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .where(Enrollment.doctor_id == doctor_id)
    )


def department_placements(department_id: int) -> Select:
    return select(Placement.id).where(Placement.department_id == department_id)


def hospital_placements(hospital_id: int) -> Select:
    return (
        select(Placement.id)
        .join(Department, Placement.department_id == Department.id)
        .where(Department.hospital_id == hospital_id)
    )


@dataclass(frozen=True)
class DepartmentRow:
    department_id: int
    name: str
    sent: int
    answered_of_doctor: int
    answered_of_department: int
    respondents: int  # distinct doctors who rated the department

    @property
    def host_sees_details(self) -> bool:
        return rules.host_sees_details(self.respondents)


def department_rows(hospital_id: int) -> list[DepartmentRow]:
    """Each department of the hospital with its evaluation counts (one statement)."""
    answered = Evaluation.answered_at.is_not(None)
    of_doctor = Evaluation.direction == EvaluationDirection.OF_DOCTOR
    of_department = Evaluation.direction == EvaluationDirection.OF_DEPARTMENT
    rows = db.session.execute(
        select(
            Department.id,
            Department.name,
            func.count(Evaluation.id).label("sent"),
            func.count(case((answered & of_doctor, 1))).label("of_doctor"),
            func.count(case((answered & of_department, 1))).label("of_department"),
            func.count(distinct(case((answered & of_department, Enrollment.doctor_id)))).label(
                "respondents"
            ),
        )
        .select_from(Department)
        .outerjoin(Placement, Placement.department_id == Department.id)
        .outerjoin(Evaluation, Evaluation.placement_id == Placement.id)
        .outerjoin(Enrollment, Placement.enrollment_id == Enrollment.id)
        .where(Department.hospital_id == hospital_id)
        .group_by(Department.id, Department.name)
        .order_by(Department.name)
    )
    return [DepartmentRow(*row) for row in rows]


def hospitals_overview() -> list:
    """Each hospital with evaluations sent and answered, for the director (one statement)."""
    return db.session.execute(
        select(
            Hospital.id,
            Hospital.name,
            Hospital.city,
            func.count(Evaluation.id).label("sent"),
            func.count(Evaluation.answered_at).label("answered"),
        )
        .select_from(Hospital)
        .outerjoin(Department, Department.hospital_id == Hospital.id)
        .outerjoin(Placement, Placement.department_id == Department.id)
        .outerjoin(Evaluation, Evaluation.placement_id == Placement.id)
        .group_by(Hospital.id, Hospital.name, Hospital.city)
        .order_by(Hospital.name)
    ).all()


def _open_list(condition, now: datetime) -> list[Evaluation]:
    return list(
        db.session.scalars(
            select(Evaluation)
            .join(Placement, Evaluation.placement_id == Placement.id)
            .where(condition, Evaluation.answered_at.is_(None), Evaluation.expires_at > now)
            .options(
                joinedload(Evaluation.placement).joinedload(Placement.department),
                joinedload(Evaluation.placement)
                .joinedload(Placement.enrollment)
                .joinedload(Enrollment.doctor),
            )
            .order_by(Evaluation.sent_at, Evaluation.id)
        ).unique()
    )


def hospital_to_answer(hospital_id: int, now: datetime) -> list[Evaluation]:
    """Open evaluations of doctors placed at the hospital, which its coordinators may answer."""
    return _open_list(
        (Evaluation.direction == EvaluationDirection.OF_DOCTOR)
        & Placement.department_id.in_(
            select(Department.id).where(Department.hospital_id == hospital_id)
        ),
        now,
    )


def hospital_answered(hospital_id: int, limit: int = 50) -> list:
    """The hospital's latest answered evaluations of doctors (who answered, when)."""
    return db.session.execute(
        select(
            Evaluation.id,
            Evaluation.answered_at,
            Evaluation.answered_by_name,
            Doctor.first_name,
            Doctor.last_name,
            Department.name.label("department_name"),
        )
        .join(Placement, Evaluation.placement_id == Placement.id)
        .join(Department, Placement.department_id == Department.id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .join(Doctor, Enrollment.doctor_id == Doctor.id)
        .where(
            Department.hospital_id == hospital_id,
            Evaluation.direction == EvaluationDirection.OF_DOCTOR,
            Evaluation.answered_at.is_not(None),
        )
        .order_by(Evaluation.answered_at.desc())
        .limit(limit)
    ).all()


def doctor_to_answer(doctor_id: int, now: datetime) -> list[Evaluation]:
    """Open evaluations of departments the doctor still owes."""
    return _open_list(
        (Evaluation.direction == EvaluationDirection.OF_DEPARTMENT)
        & Placement.id.in_(doctor_placements(doctor_id)),
        now,
    )


def doctor_to_answer_count(doctor_id: int, now: datetime) -> int:
    return db.session.scalar(
        select(func.count(Evaluation.id)).where(
            Evaluation.direction == EvaluationDirection.OF_DEPARTMENT,
            Evaluation.answered_at.is_(None),
            Evaluation.expires_at > now,
            Evaluation.placement_id.in_(doctor_placements(doctor_id)),
        )
    )


@dataclass(frozen=True)
class FormRow:
    form: EvaluationForm
    evaluations: int  # sent with this form
    answered: int

    @property
    def editable(self) -> bool:
        return self.answered == 0 and self.form.retired_at is None


def forms_by_direction() -> dict[EvaluationDirection, list[FormRow]]:
    """Every form, per direction, with how many evaluations used it (two statements)."""
    used = {
        row.form_id: row
        for row in db.session.execute(
            select(
                Evaluation.form_id,
                func.count(Evaluation.id).label("sent"),
                func.count(Evaluation.answered_at).label("answered"),
            ).group_by(Evaluation.form_id)
        )
    }
    forms = db.session.scalars(
        select(EvaluationForm)
        .options(selectinload(EvaluationForm.questions))
        .order_by(EvaluationForm.retired_at.is_not(None), EvaluationForm.id.desc())
    )
    found: dict[EvaluationDirection, list[FormRow]] = {d: [] for d in EvaluationDirection}
    for form in forms:
        row = used.get(form.id)
        found[form.direction].append(
            FormRow(form, row.sent if row else 0, row.answered if row else 0)
        )
    return found


def form_answer_count(form_id: int) -> int:
    return db.session.scalar(
        select(func.count(Evaluation.id)).where(
            Evaluation.form_id == form_id, Evaluation.answered_at.is_not(None)
        )
    )
