"""Summaries of evaluations for other features (the funder's report, the alumni registry)
and for the results pages: plain frozen dataclasses, a fixed number of statements whatever
the amount of data. Import them through ``somet.evaluations.queries``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import Select, bindparam, case, distinct, func, select

from somet.evaluations.rules import link_state
from somet.models import (
    Cohort,
    Department,
    Doctor,
    Enrollment,
    Evaluation,
    EvaluationAnswer,
    EvaluationDirection,
    EvaluationQuestion,
    Hospital,
    Placement,
    QuestionKind,
)
from somet.web.extensions import db


class _Worded:
    """A question's wording in each language (``prompts``: {"en", "ru", "kk"}, "" where it
    has none), read in one."""

    prompts: dict

    def prompt(self, language: str) -> str:
        return self.prompts.get(language) or self.prompts["en"]


def _prompts_of(row) -> dict:
    """The ``prompts`` of a row with a question's ``prompt_en``, ``prompt_ru``, ``prompt_kk``."""
    return {"en": row.prompt_en, "ru": row.prompt_ru or "", "kk": row.prompt_kk or ""}


@dataclass(frozen=True)
class QuestionSummary(_Worded):
    """One question's answers: ``average`` is the mean score 1–5 of a scale question, the
    share of "yes" (0–1) of a yes/no question, None for a text question."""

    question_id: int
    position: int
    kind: QuestionKind
    prompts: dict  # {"en": ..., "ru": ..., "kk": ...}, English where a language has none
    answers: int
    average: float | None


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
    placements: Select | Iterable[int],
    comment_limit: int | None = None,
    params: dict | None = None,
    counts: dict | None = None,
) -> dict[EvaluationDirection, DirectionSummary]:
    """Per direction, the evaluations of ``placements``: counts, each question's answers and
    average, the comments. Three statements, whatever the number of placements.

    ``placements``: placement ids, or a ``select`` of one column of placement ids (e.g. the
    placements of a cohort, a sponsor's cohorts, a period). A ``select`` with bound
    parameters (given in ``params``) that is built once, a module constant, gets its
    statements built once too. ``comment_limit`` keeps only the
    newest comments. Returns ``{EvaluationDirection.OF_DOCTOR: DirectionSummary,
    EvaluationDirection.OF_DEPARTMENT: DirectionSummary}`` (both keys always present), each
    with ``sent``, ``answered``, ``respondents`` (distinct doctors), ``questions`` (a tuple
    of QuestionSummary: question_id, position, kind, prompts {en, ru, kk}, answers, average:
    scale mean 1–5 or yes-share 0–1, None for text) and ``comments`` (a tuple of Comment:
    text, direction, answered_at, answered_by_name, doctor_id, doctor_name, department_id,
    department_name). Questions of different forms are listed each on its own.
    ``counts``: the counts per direction already known (rows with ``sent``, ``answered``,
    ``respondents``, e.g. one department's tallies), so they are not counted again.
    """
    limited = comment_limit is not None
    if params is None:
        ids = placements if isinstance(placements, Select) else list(placements)
        statements = _summary_statements(ids, limited)
    else:
        statements = _summary_statements_once(placements, limited)
    bound = {**(params or {}), **({"comment_limit": comment_limit} if limited else {})}
    counted, asked, commented = statements
    if counts is None:
        counts = {row.direction: row for row in db.session.execute(counted, bound)}
    questions = question_summaries(db.session.execute(asked, bound))
    comments = comment_list(db.session.execute(commented, bound))
    return direction_summaries(counts, questions, comments)


def direction_summaries(
    counts: dict, questions: dict, comments: list[Comment]
) -> dict[EvaluationDirection, DirectionSummary]:
    """Both directions' summaries from the counts per direction (rows with ``sent``,
    ``answered``, ``respondents``), the questions per direction and the comments."""
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


# What a question summary shows of its question (``question_summaries`` reads these names).
QUESTION_COLUMNS = (
    EvaluationQuestion.id,
    EvaluationQuestion.form_id,
    EvaluationQuestion.position,
    EvaluationQuestion.kind,
    EvaluationQuestion.prompt_en,
    EvaluationQuestion.prompt_ru,
    EvaluationQuestion.prompt_kk,
)


def _summary_statements(placements, limited: bool) -> tuple[Select, Select, Select]:
    """The counts, the questions' answers and the comments of ``placements``' evaluations
    (the newest ``comment_limit`` comments when ``limited``)."""
    scope = Evaluation.placement_id.in_(placements)
    counted = (
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
    asked = (
        select(
            Evaluation.direction,
            *QUESTION_COLUMNS,
            func.count(EvaluationAnswer.id).label("answers"),
            func.avg(EvaluationAnswer.score).label("average"),
        )
        .join(EvaluationAnswer, EvaluationAnswer.question_id == EvaluationQuestion.id)
        .join(Evaluation, EvaluationAnswer.evaluation_id == Evaluation.id)
        .where(scope)
        .group_by(Evaluation.direction, EvaluationQuestion.id)
        .order_by(EvaluationQuestion.form_id, EvaluationQuestion.position)
    )
    commented = comments_of(scope, limited)
    return counted, asked, commented


def comments_of(scope, limited: bool) -> Select:
    """The text answers of the evaluations meeting ``scope``, newest answered first; the
    newest ``comment_limit`` (a parameter) when ``limited``.

    The newest answers are found first, on the answers and evaluations alone, and only
    those rows are joined to their doctors and departments: planned as one join of seven
    tables, the statement took longer to plan than to run."""
    newest = (
        select(
            EvaluationAnswer.id,
            EvaluationAnswer.text,
            Evaluation.direction,
            Evaluation.answered_at,
            Evaluation.answered_by_name,
            Evaluation.placement_id,
            Evaluation.department_id,
        )
        .join(Evaluation, EvaluationAnswer.evaluation_id == Evaluation.id)
        # Answers exist only on answered evaluations; saying so lets the newest ones be
        # walked on an index of answered_at without first passing the open ones.
        .where(scope, Evaluation.answered_at.is_not(None), EvaluationAnswer.text.is_not(None))
        .order_by(Evaluation.answered_at.desc(), EvaluationAnswer.id)
    )
    if limited:
        newest = newest.limit(bindparam("comment_limit"))
    newest = newest.subquery("newest")
    return (
        select(
            newest.c.text,
            newest.c.direction,
            newest.c.answered_at,
            newest.c.answered_by_name,
            Doctor.id.label("doctor_id"),
            Doctor.first_name,
            Doctor.last_name,
            Department.id.label("department_id"),
            Department.name.label("department_name"),
        )
        .join(Placement, newest.c.placement_id == Placement.id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .join(Doctor, Enrollment.doctor_id == Doctor.id)
        .join(Department, newest.c.department_id == Department.id)
        .order_by(newest.c.answered_at.desc(), newest.c.id)
    )


# For a placements' select built once (its values bound parameters): building the three
# statements and their cache keys cost about as much as running them.
_summary_statements_once = cache(_summary_statements)


def question_summaries(rows) -> dict[EvaluationDirection, list[QuestionSummary]]:
    found: dict[EvaluationDirection, list[QuestionSummary]] = {}
    for row in rows:
        average = None
        if row.kind != QuestionKind.TEXT and row.average is not None:
            digits = 1 if row.kind == QuestionKind.SCALE else 2
            average = round(float(row.average), digits)
        prompts = _prompts_of(row)
        found.setdefault(row.direction, []).append(
            QuestionSummary(row.id, row.position, row.kind, prompts, row.answers, average)
        )
    return found


def comment_list(rows) -> list[Comment]:
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
        for row in rows
    ]


@dataclass(frozen=True)
class AnswerRecord(_Worded):
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

    def state(self, now: datetime) -> str:
        """``answered``, ``expired`` or ``open`` at ``now`` (``rules.link_state``)."""
        return link_state(self.answered_at, self.expires_at, now)


def answers_for_doctor(doctor_id: int) -> list[EvaluationRecord]:
    """Every evaluation of the doctor's placements, both directions, newest placement first.

    Returns a list of EvaluationRecord: evaluation_id, direction, placement_id, cohort_name,
    department_name, hospital_name, start, end, sent_at, expires_at, answered_at (None while
    open), answered_by_name (the supervisor, the doctor or a coordinator) and ``answers``, a
    tuple of AnswerRecord (question_id, kind, prompts {en, ru, kk}, score: scale 1–5 or yes
    1 / no 0, text) in form order. One statement: a row per answer (one for an evaluation
    without answers), the evaluation's columns repeated.
    """
    records: dict[int, tuple] = {}  # evaluation id: (its first row, its answers)
    for row in db.session.execute(_doctors_evaluations(), {"doctor_id": doctor_id}):
        answers = records.setdefault(row.evaluation_id, (row, []))[1]
        if row.question_id is not None:
            prompts = _prompts_of(row)
            answers.append(AnswerRecord(row.question_id, row.kind, prompts, row.score, row.text))
    return [
        EvaluationRecord(
            row.evaluation_id,
            row.direction,
            row.placement_id,
            row.cohort_name,
            row.department_name,
            row.hospital_name,
            row.start_date,
            row.end_date,
            row.sent_at,
            row.expires_at,
            row.answered_at,
            row.answered_by_name,
            tuple(answers),
        )
        for row, answers in records.values()
    ]


def with_rotation_places(query: Select) -> Select:
    """``query`` over evaluations, joined to each one's placement, enrollment, cohort,
    department and hospital: where and when the evaluated rotation was."""
    return (
        query.select_from(Evaluation)
        .join(Placement, Evaluation.placement_id == Placement.id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .join(Cohort, Enrollment.cohort_id == Cohort.id)
        .join(Department, Placement.department_id == Department.id)
        .join(Hospital, Department.hospital_id == Hospital.id)
    )


@cache
def _doctors_evaluations() -> Select:
    """Built once (parameter ``doctor_id``): columns, not the nine ORM objects an evaluation
    with its placement's places and its answers' questions would load."""
    columns = select(
        Evaluation.id.label("evaluation_id"),
        Evaluation.direction,
        Evaluation.placement_id,
        Cohort.name.label("cohort_name"),
        Department.name.label("department_name"),
        Hospital.name.label("hospital_name"),
        Placement.start_date,
        Placement.end_date,
        Evaluation.sent_at,
        Evaluation.expires_at,
        Evaluation.answered_at,
        Evaluation.answered_by_name,
        EvaluationQuestion.id.label("question_id"),
        EvaluationQuestion.kind,
        EvaluationQuestion.prompt_en,
        EvaluationQuestion.prompt_ru,
        EvaluationQuestion.prompt_kk,
        EvaluationAnswer.score,
        EvaluationAnswer.text,
    )
    return (
        with_rotation_places(columns)
        .outerjoin(EvaluationAnswer, EvaluationAnswer.evaluation_id == Evaluation.id)
        .outerjoin(EvaluationQuestion, EvaluationAnswer.question_id == EvaluationQuestion.id)
        .where(Enrollment.doctor_id == bindparam("doctor_id"))
        .order_by(
            Placement.start_date.desc(),
            Evaluation.direction,
            Evaluation.id,
            EvaluationQuestion.position,
            EvaluationQuestion.id,
        )
    )
