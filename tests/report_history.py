"""A sponsor's history for the report tests: cohorts, doctors, placements, attendance,
certificates, evaluations and follow-ups, written through the factories and the models with
a seeded random mix (statuses, scores, answers), so the expected figures must be counted."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from somet.evaluations import tallies
from somet.followup import tallies as follow_up_tallies
from somet.models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    CertificateKind,
    CohortStatus,
    EnrollmentStatus,
    Evaluation,
    EvaluationAnswer,
    EvaluationDirection,
    EvaluationForm,
    EvaluationQuestion,
    FollowUpSurvey,
    PlacementStatus,
    QuestionKind,
)
from somet.web.extensions import db
from tests import factories

SPONSOR = "Abay Health Department"
SPECIALTIES = ("cardiology", "anaesthesiology", "neonatology")
REGIONS = ("Abay region", "Almaty region")
STATUSES = [EnrollmentStatus.COMPLETED] * 3 + [
    EnrollmentStatus.INCOMPLETE,
    EnrollmentStatus.WITHDRAWN,
    EnrollmentStatus.CONFIRMED,
]
QUESTIONS = {
    EvaluationDirection.OF_DOCTOR: [
        (QuestionKind.SCALE, "Clinical knowledge"),
        (QuestionKind.YES_NO, "Would you host this doctor again?"),
    ],
    EvaluationDirection.OF_DEPARTMENT: [
        (QuestionKind.SCALE, "Quality of supervision"),
        (QuestionKind.TEXT, "Comments"),
    ],
}


def evaluation_forms() -> dict:
    """A default form per direction, with its questions."""
    forms = {}
    for direction, rows in QUESTIONS.items():
        form = EvaluationForm(name=f"Form {direction.value}", direction=direction, is_default=True)
        for position, (kind, prompt) in enumerate(rows):
            form.questions.append(
                EvaluationQuestion(position=position, kind=kind, prompt_en=prompt)
            )
        db.session.add(form)
        db.session.flush()
        forms[direction] = (form, list(form.questions))
    db.session.commit()
    return forms


def build_history(
    cohorts: int,
    per_cohort: int,
    seed: int = 7,
    sponsor: str = SPONSOR,
    first_year: int = 2015,
    forms: dict | None = None,
) -> list:
    """``cohorts`` cohorts of ``per_cohort`` doctors of ``sponsor``, one a year from
    ``first_year``; returns the cohorts."""  # fmt: skip
    rng = random.Random(seed)
    forms = forms or evaluation_forms()
    hospitals = [factories.make_hospital(), factories.make_hospital()]
    departments = [
        factories.make_department(hospital, specialty=specialty)
        for hospital in hospitals
        for specialty in SPECIALTIES[:2]
    ]
    made = []
    for c in range(cohorts):
        start = date(first_year + c, 3, 1)
        cohort = factories.make_cohort(
            hosts=hospitals, sponsor=sponsor, start_date=start, status=CohortStatus.COMPLETED
        )
        item = factories.make_curriculum_item(cohort, departments)
        for _ in range(per_cohort):
            _doctor_history(rng, cohort, item, rng.choice(departments), forms)
        made.append(cohort)
    tallies.rebuild()  # written directly, as the demo's history is
    follow_up_tallies.rebuild()
    db.session.commit()
    return made


def _doctor_history(rng, cohort, item, department, forms) -> None:
    doctor = factories.make_doctor(specialty=rng.choice(SPECIALTIES), region=rng.choice(REGIONS))
    status = rng.choice(STATUSES)
    enrollment = factories.make_enrollment(cohort, doctor, status=status)
    placed = status != EnrollmentStatus.WITHDRAWN
    placement = factories.make_placement(
        enrollment, department, item, start_date=cohort.start_date,
        end_date=cohort.start_date + timedelta(days=2),
        status=PlacementStatus.COMPLETED if placed else PlacementStatus.CANCELLED,
    )  # fmt: skip
    if not placed:
        return
    present = 0
    for k in range(3):
        mark = AttendanceStatus.PRESENT if rng.random() > 0.25 else AttendanceStatus.ABSENT
        present += mark == AttendanceStatus.PRESENT
        day = cohort.start_date + timedelta(days=k)
        db.session.add(Attendance(placement_id=placement.id, day=day, status=mark))
    if status == EnrollmentStatus.COMPLETED:
        db.session.add(_certificate(doctor.id, enrollment.id, present * cohort.hours_per_day, rng))
    sent = datetime.combine(cohort.end_date, datetime.min.time(), UTC)
    for direction, (form, questions) in forms.items():
        answered = rng.random() > 0.2
        evaluation = Evaluation(
            placement_id=placement.id, department_id=placement.department_id,
            direction=direction, form_id=form.id, sent_at=sent,
            expires_at=sent + timedelta(days=30), answered_at=sent if answered else None,
        )  # fmt: skip
        db.session.add(evaluation)
        if answered:
            for question in questions:
                evaluation.answers.append(_answer(rng, question))
    for months in (3, 6):
        survey = FollowUpSurvey(
            enrollment_id=enrollment.id, months_after=months,
            due_on=cohort.end_date + timedelta(days=30 * months), sent_at=sent,
            expires_at=sent + timedelta(days=400),
        )  # fmt: skip
        if rng.random() > 0.3:
            survey.answered_at = sent + timedelta(days=30 * months)
            survey.patients_treated = rng.randint(0, 40)
            survey.colleagues_taught = rng.randint(0, 5)
            survey.would_recommend = rng.choice([True, True, False, None])
            survey.comment = rng.choice([None, f"Follow-up words {rng.randint(1, 10**6)}"])
        db.session.add(survey)


def _answer(rng, question) -> EvaluationAnswer:
    if question.kind == QuestionKind.SCALE:
        return EvaluationAnswer(question_id=question.id, score=rng.randint(1, 5))
    if question.kind == QuestionKind.YES_NO:
        return EvaluationAnswer(question_id=question.id, score=rng.randint(0, 1))
    return EvaluationAnswer(
        question_id=question.id, text=f"Department words {rng.randint(1, 10**6)}"
    )


def _certificate(doctor_id: int, enrollment_id: int, hours: float, rng) -> Certificate:
    n = rng.randint(1, 10**9)
    return Certificate(
        serial=f"SOMET-T-{n}", kind=CertificateKind.INTERNSHIP, doctor_id=doctor_id,
        enrollment_id=enrollment_id, snapshot={}, hours=hours, verification_code=f"code-{n}",
        signature="unsigned",
    )  # fmt: skip
