"""Doctors with a history for the alumni registry's tests: a cohort, a completed placement
with attendance, masterclasses, certificates, evaluations both ways and follow-ups."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

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
    RegistrationStatus,
)
from somet.web.extensions import db
from tests import factories

_serial = iter(range(1, 10**6))


def cohort_of(year: int, sponsor: str = "Health Department", hosts=None, **overrides):
    """A completed cohort that started on 7 March of ``year``."""
    return factories.make_cohort(
        hosts,
        start_date=date(year, 3, 7),
        sponsor=sponsor,
        status=CohortStatus.COMPLETED,
        **overrides,
    )


def alumnus(cohort, department=None, present=3, absent=0, **doctor_fields):
    """A doctor enrolled in ``cohort`` with one completed placement and its attendance."""
    doctor = factories.make_doctor(**doctor_fields)
    enrollment = factories.make_enrollment(cohort, doctor, status=EnrollmentStatus.COMPLETED)
    department = department or factories.make_department()
    item = factories.make_curriculum_item(cohort, [department], days=present + absent)
    start = cohort.start_date
    placement = factories.make_placement(
        enrollment,
        department,
        item,
        start_date=start,
        end_date=start + timedelta(days=present + absent - 1),
        status=PlacementStatus.COMPLETED,
    )
    for n in range(present + absent):
        status = AttendanceStatus.PRESENT if n < present else AttendanceStatus.ABSENT
        db.session.add(
            Attendance(placement_id=placement.id, day=start + timedelta(days=n), status=status)
        )
    db.session.commit()
    return doctor, enrollment, placement


def certificate(doctor, enrollment=None, hours=18.0, revoked=False, masterclass=None):
    number = next(_serial)
    kind = CertificateKind.MASTERCLASS if masterclass else CertificateKind.INTERNSHIP
    return factories._save(
        Certificate(
            serial=f"SOMET-2020-{number:06d}",
            kind=kind,
            doctor_id=doctor.id,
            enrollment_id=enrollment.id if enrollment else None,
            masterclass_id=masterclass.id if masterclass else None,
            snapshot={},
            hours=hours,
            verification_code=f"alumni-{number:034d}",
            signature="s",
            issued_at=datetime(2020, 3, 20, tzinfo=UTC),
            revoked_at=datetime(2020, 4, 1, tzinfo=UTC) if revoked else None,
        )
    )


def attended(doctor, hours: float, cohort=None, status=RegistrationStatus.ATTENDED):
    masterclass = factories.make_masterclass(
        credit_hours=hours, cohort_id=cohort.id if cohort else None
    )
    factories.make_registration(masterclass, doctor, status=status)
    return masterclass


def evaluation_form(direction: EvaluationDirection) -> EvaluationForm:
    form = EvaluationForm(name=f"Default {direction.value}", direction=direction, is_default=True)
    form.questions = [
        EvaluationQuestion(position=0, kind=QuestionKind.SCALE, prompt_en="Clinical skills",
                           prompt_ru="Клинические навыки"),
        EvaluationQuestion(position=1, kind=QuestionKind.SCALE, prompt_en="Communication"),
        EvaluationQuestion(position=2, kind=QuestionKind.YES_NO, prompt_en="Would host again"),
        EvaluationQuestion(position=3, kind=QuestionKind.TEXT, prompt_en="Comments"),
    ]  # fmt: skip
    return factories._save(form)


def answered_evaluation(placement, form, scores, text="Very keen", yes=1, by="Dr. Supervisor"):
    """An answered evaluation: ``scores`` for the scale questions, then yes/no and a text."""
    now = datetime.now(UTC)
    evaluation = Evaluation(
        placement_id=placement.id,
        department_id=placement.department_id,
        direction=form.direction,
        form_id=form.id,
        sent_at=now - timedelta(days=5),
        expires_at=now + timedelta(days=25),
        answered_at=now - timedelta(days=1),
        answered_by_name=by,
    )
    questions = db.session.scalars(
        select(EvaluationQuestion)
        .where(EvaluationQuestion.form_id == form.id)
        .order_by(EvaluationQuestion.position)
    ).all()
    scale = [q for q in questions if q.kind == QuestionKind.SCALE]
    evaluation.answers = [
        EvaluationAnswer(question_id=q.id, score=s) for q, s in zip(scale, scores, strict=True)
    ]
    for question in questions:
        if question.kind == QuestionKind.YES_NO:
            evaluation.answers.append(EvaluationAnswer(question_id=question.id, score=yes))
        elif question.kind == QuestionKind.TEXT:
            evaluation.answers.append(EvaluationAnswer(question_id=question.id, text=text))
    evaluation = factories._save(evaluation)
    tallies.rebuild()  # written directly, not through the answering operation
    db.session.commit()
    return evaluation


def follow_up(enrollment, months: int, answered: bool, **answers):
    now = datetime.now(UTC)
    survey = factories._save(
        FollowUpSurvey(
            enrollment_id=enrollment.id,
            months_after=months,
            due_on=date(2020, 3, 18) + timedelta(days=30 * months),
            sent_at=now - timedelta(days=10),
            expires_at=now + timedelta(days=20),
            answered_at=now - timedelta(days=2) if answered else None,
            **answers,
        )
    )
    follow_up_tallies.rebuild()  # written directly, not through the sending operation
    db.session.commit()
    return survey
