"""What evaluation pages read, and the summaries other features use (reports, alumni).

``summary_for_placements`` and ``answers_for_doctor`` (defined in ``summaries``) are the
public reads for other features: see their docstrings for the shapes they return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from somet.evaluations import rules, tallies
from somet.evaluations.summaries import (
    AnswerRecord,
    Comment,
    DirectionSummary,
    EvaluationRecord,
    QuestionSummary,
    answers_for_doctor,
    summary_for_placements,
)
from somet.models import (
    Department,
    Doctor,
    Enrollment,
    Evaluation,
    EvaluationAnswer,
    EvaluationDirection,
    EvaluationForm,
    EvaluationQuestion,
    EvaluationTally,
    Hospital,
    Placement,
    QuestionKind,
    constant,
)
from somet.web.extensions import db

__all__ = [
    "AnswerRecord",
    "Comment",
    "DirectionSummary",
    "EvaluationRecord",
    "QuestionSummary",
    "answers_for_doctor",
    "summary_for_placements",
]

# --- pages ---------------------------------------------------------------------------------


def doctor_placements(doctor_id: int) -> Select:
    return (
        select(Placement.id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .where(Enrollment.doctor_id == doctor_id)
    )


# A doctor's placements (parameter ``doctor_id``), built once: the results page's summary
# statements are then built once too (``summary_for_placements``'s ``params``).
DOCTOR_PLACEMENTS = doctor_placements(bindparam("doctor_id"))


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
    """Each department of the hospital with its evaluation counts over all years: one
    statement over the tallies kept on write (two rows per department at most)."""
    of_doctor = EvaluationTally.direction == EvaluationDirection.OF_DOCTOR
    of_department = EvaluationTally.direction == EvaluationDirection.OF_DEPARTMENT

    def total(column, where=True):
        return func.coalesce(func.sum(case((where, column), else_=0)), 0)

    rows = db.session.execute(
        select(
            Department.id,
            Department.name,
            total(EvaluationTally.sent).label("sent"),
            total(EvaluationTally.answered, of_doctor).label("of_doctor"),
            total(EvaluationTally.answered, of_department).label("of_department"),
            total(EvaluationTally.respondents, of_department).label("respondents"),
        )
        .select_from(Department)
        .outerjoin(EvaluationTally, EvaluationTally.department_id == Department.id)
        .where(Department.hospital_id == hospital_id)
        .group_by(Department.id, Department.name)
        .order_by(Department.name)
    )
    return [DepartmentRow(*row) for row in rows]


def hospitals_overview() -> list:
    """Each hospital with evaluations sent and answered over all years, for the director:
    one statement over the per-department tallies kept on write, not over every evaluation."""
    totals = tallies.hospital_totals()
    return db.session.execute(
        select(
            Hospital.id,
            Hospital.name,
            Hospital.city,
            func.coalesce(totals.c.sent, 0).label("sent"),
            func.coalesce(totals.c.answered, 0).label("answered"),
        )
        .outerjoin(totals, totals.c.hospital_id == Hospital.id)
        .order_by(Hospital.name)
    ).all()


def hospital_to_answer(hospital_id: int, now: datetime) -> list:
    """Open evaluations of doctors placed at the hospital, which its coordinators may answer,
    oldest sent first: rows of what the list shows (the evaluation's id and closing time, the
    stay's dates, the department's name and supervisor's e-mail, the doctor's name parts), not
    an evaluation, placement, department and doctor object for each."""
    parameters = {"hospital_id": hospital_id, "now": now}
    return db.session.execute(_hospital_to_answer_statement(), parameters).all()


@cache
def _hospital_to_answer_statement():
    """Built once (parameters ``hospital_id``, ``now``): the coordinator's list of evaluations."""
    return _open_rows()


def hospital_waiting_on_coordinators(hospital_id: int, now: datetime) -> list:
    """For the coordinator's home: evaluations only the coordinators can answer (their
    departments have no supervisor's e-mail), as rows (``hospital_to_answer``)."""
    parameters = {"hospital_id": hospital_id, "now": now}
    return db.session.execute(_waiting_on_coordinators(), parameters).all()


@cache
def _waiting_on_coordinators():
    """Built once (parameters ``hospital_id``, ``now``): a coordinator's home runs it on
    every visit."""
    return _open_rows(_without_supervisor_email())


def hospital_waiting_on_coordinators_count(hospital_id, now):
    """How many evaluations only the coordinators can answer, as a scalar subquery (the
    arguments may be values or bound parameters): the badge of the home's queue."""
    return (
        select(func.count(Evaluation.id))
        .where(*_open_at_hospital(hospital_id, now, _without_supervisor_email()))
        .scalar_subquery()
    )


def _open_rows(*department_conditions):
    """The open evaluations of ``_open_at_hospital`` (parameters ``hospital_id``, ``now``),
    oldest sent first, as rows of what the lists show."""
    return (
        select(
            Evaluation.id,
            Evaluation.expires_at,
            Placement.start_date,
            Placement.end_date,
            Department.name.label("department_name"),
            Department.supervisor_email,
            Doctor.first_name,
            Doctor.last_name,
            Doctor.native_name,
        )
        .join(Department, Department.id == Evaluation.department_id)
        .join(Placement, Placement.id == Evaluation.placement_id)
        .join(Enrollment, Enrollment.id == Placement.enrollment_id)
        .join(Doctor, Doctor.id == Enrollment.doctor_id)
        .where(
            *_open_at_hospital(bindparam("hospital_id"), bindparam("now"), *department_conditions)
        )
        .order_by(Evaluation.sent_at, Evaluation.id)
    )


def _open_at_hospital(hospital_id, now, *department_conditions) -> list:
    """Where an evaluation of a doctor is open at ``now`` (not answered, not expired) at one
    of the hospital's departments meeting ``department_conditions``: the one definition the
    coordinator's list, the home's queue and its badge share. An evaluation carries its
    department (copied when sent): the partial index of open evaluations by department finds
    them, however many years were answered or expired."""
    return [
        Evaluation.direction == constant(EvaluationDirection.OF_DOCTOR),
        Evaluation.answered_at.is_(None),
        Evaluation.expires_at > now,
        Evaluation.department_id.in_(
            select(Department.id).where(
                Department.hospital_id == hospital_id, *department_conditions
            )
        ),
    ]


def _without_supervisor_email():
    """Departments whose supervisor gets no link: the coordinators answer for them."""
    return (Department.supervisor_email.is_(None)) | (Department.supervisor_email == "")


def hospital_answered(hospital_id: int, limit: int = 50) -> list:
    """The hospital's latest answered evaluations of doctors (who answered, when)."""
    return db.session.execute(
        _hospital_answered(), {"hospital_id": hospital_id, "limit": limit}
    ).all()


@cache
def _hospital_answered():
    """Built once (parameters ``hospital_id``, ``limit``). The newest answered evaluations
    are found on the evaluations and the hospital's departments alone, then only those rows
    are joined to their doctors: planned as one five-table join, the statement took longer
    to plan than to run."""
    newest = (
        select(
            Evaluation.id,
            Evaluation.answered_at,
            Evaluation.answered_by_name,
            Evaluation.placement_id,
            Evaluation.department_id,
        )
        .where(
            Evaluation.department_id.in_(
                select(Department.id).where(Department.hospital_id == bindparam("hospital_id"))
            ),
            Evaluation.direction == EvaluationDirection.OF_DOCTOR,
            Evaluation.answered_at.is_not(None),
        )
        .order_by(Evaluation.answered_at.desc())
        .limit(bindparam("limit"))
        .subquery("newest")
    )
    return (
        select(
            newest.c.id,
            newest.c.answered_at,
            newest.c.answered_by_name,
            Doctor.first_name,
            Doctor.last_name,
            Department.name.label("department_name"),
        )
        .join(Placement, newest.c.placement_id == Placement.id)
        .join(Department, newest.c.department_id == Department.id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .join(Doctor, Enrollment.doctor_id == Doctor.id)
        .order_by(newest.c.answered_at.desc())
    )


def doctor_evaluations(doctor_id: int, now: datetime) -> tuple[list[Evaluation], list[Evaluation]]:
    """The doctor's evaluations of departments: (still to answer, oldest sent first; answered,
    latest placement first), each with its placement, department and hospital. One statement."""
    rows = db.session.scalars(_doctor_evaluations(), {"doctor_id": doctor_id, "now": now}).all()
    to_answer = [e for e in rows if e.answered_at is None]
    answered = [e for e in rows if e.answered_at is not None]
    answered.sort(key=lambda e: e.placement.start_date, reverse=True)
    return to_answer, answered


@cache
def _doctor_evaluations():
    """Built once (parameters ``doctor_id``, ``now``)."""
    return (
        select(Evaluation)
        .join(Placement, Evaluation.placement_id == Placement.id)
        .where(
            Evaluation.direction == EvaluationDirection.OF_DEPARTMENT,
            Placement.id.in_(doctor_placements(bindparam("doctor_id"))),
            Evaluation.answered_at.is_not(None) | (Evaluation.expires_at > bindparam("now")),
        )
        .options(
            joinedload(Evaluation.placement)
            .joinedload(Placement.department)
            .joinedload(Department.hospital)
        )
        .order_by(Evaluation.sent_at, Evaluation.id)
    )


def doctor_to_answer_count(doctor_id=None):
    """How many evaluations of departments the doctor still owes, as a scalar subquery (a
    column of the doctor's badge statement) of the parameter ``now`` and of ``doctor_id`` (an
    expression; by default the parameter of that name)."""
    return (
        select(func.count(Evaluation.id))
        .where(
            Evaluation.direction == EvaluationDirection.OF_DEPARTMENT,
            Evaluation.answered_at.is_(None),
            Evaluation.expires_at > bindparam("now"),
            Evaluation.placement_id.in_(
                doctor_placements(bindparam("doctor_id") if doctor_id is None else doctor_id)
            ),
        )
        .scalar_subquery()
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


def scale_answers(*columns) -> Select:
    """``select(*columns)`` over every answer given on a 1–5 scale, joined to its evaluation,
    question, placement and enrollment: other features add their scope and grouping (a
    doctor's mean, a year's) to average the scores."""
    return (
        select(*columns)
        .select_from(EvaluationAnswer)
        .join(Evaluation, Evaluation.id == EvaluationAnswer.evaluation_id)
        .join(EvaluationQuestion, EvaluationQuestion.id == EvaluationAnswer.question_id)
        .join(Placement, Placement.id == Evaluation.placement_id)
        .join(Enrollment, Enrollment.id == Placement.enrollment_id)
        .where(
            Evaluation.answered_at.is_not(None),
            EvaluationQuestion.kind == QuestionKind.SCALE,
            EvaluationAnswer.score.is_not(None),
        )
    )
