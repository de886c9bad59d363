"""Demo: a few older cohorts, years back, so the funder's report and the dashboard show history.

They are written as finished history (rows, not replayed through planning: the solver would
make ``flask demo`` slow for no new story): doctors, curriculum, completed placements with
attendance, each enrollment's verdict; then the certificates are issued through the
certificates operation, so their hours come from the completion rule. Evaluations of both
directions and follow-up answers are written as rows too (answered years ago, with no links
or reminders to replay); the evaluations use the evaluations feature's default forms.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from somet.certificates.operations import issue_certificates
from somet.core.workdays import working_days
from somet.demo import data
from somet.evaluations import operations as evaluations
from somet.followup import operations as follow_ups
from somet.models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortHost,
    CohortStatus,
    CurriculumItem,
    Department,
    Doctor,
    Enrollment,
    EnrollmentStatus,
    Evaluation,
    EvaluationAnswer,
    EvaluationDirection,
    EvaluationForm,
    EvaluationQuestion,
    FollowUpSurvey,
    Hospital,
    Language,
    Placement,
    PlacementStatus,
    QuestionKind,
    SpecialtyMode,
)
from somet.web.extensions import db

ABAY = "Health Department of the Abay Region"
# name, sponsor, region, first Sunday, doctors' specialties; the last doctor of 2021 withdrew
# and the second of 2023 missed most of the core rotation (incomplete).
COHORTS = [
    ("Abay region — anaesthesiology 2019", ABAY, "Abay region", date(2019, 10, 6),
     ["anaesthesiology", "anaesthesiology", "general-surgery", "intensive-care"]),
    ("Abay region — surgery 2021", ABAY, "Abay region", date(2021, 11, 7),
     ["general-surgery", "general-surgery", "anaesthesiology", "cardiology", "general-surgery"]),
    ("Turkistan region — mother and child 2023", "Turkistan Regional Health Department",
     "Turkistan region", date(2023, 4, 16),
     ["obstetrics-gynaecology", "neonatology", "paediatrics", "obstetrics-gynaecology"]),
    ("Abay region — cardiology 2023", ABAY, "Abay region", date(2023, 10, 8),
     ["cardiology", "cardiology", "anaesthesiology", "intensive-care"]),
]  # fmt: skip
FIRST = ["Dias", "Madina", "Askar", "Gaukhar", "Timur", "Saule", "Arman", "Zarina", "Nurbol"]
LAST = ["Abenov", "Seitkali", "Tulegenov", "Iskakova", "Omarov", "Zhanuzakova", "Bekmukhanov"]
NATIVE_FIRST = ["Диас", "Мадина", "Асқар", "Гауһар", "Тимур", "Сәуле", "Арман", "Зарина", "Нұрбол"]
NATIVE_LAST = ["Әбенов", "Сейітқали", "Төлегенов", "Ысқақова", "Омаров", "Жанұзақова", "Бекмұханов"]
CORE_DAYS, ICU_DAYS = 5, 3
DEPARTMENT_WORDS = [
    "Excellent supervision: I was allowed to assist in every operation and asked questions freely.",
    "The morning rounds taught me how to organise our own ICU handovers at home.",
    "Very welcoming team; I would have liked more time in the operating theatre.",
]
FOLLOW_UP_WORDS = [
    "We introduced ultrasound-guided nerve blocks in our hospital; 40 patients so far.",
    "I now teach the checklist to our residents every month.",
    "",
]


def load_demo_history() -> None:
    """Write the older cohorts, their evaluations and follow-ups, and issue their certificates."""
    haifa = db.session.scalar(select(Hospital).where(Hospital.name == data.HAIFA["name"]))
    departments = {
        d.specialty: d
        for d in db.session.scalars(select(Department).where(Department.hospital_id == haifa.id))
    }
    forms = _default_forms()
    cohort_ids, serial = [], 0
    for number, (name, sponsor, region, start, specialties) in enumerate(COHORTS):
        cohort = _cohort(name, sponsor, region, start, haifa)
        core, icu = _curriculum(cohort)
        for index, specialty in enumerate(specialties):
            doctor = _doctor(serial, specialty, region)
            serial += 1
            enrollment = Enrollment(
                cohort=cohort, doctor=doctor, arrival_date=start, departure_date=cohort.end_date
            )
            db.session.add(enrollment)
            story = _story(number, index, len(specialties))
            placements = _placements(enrollment, core, icu, departments, specialty, haifa, story)
            if story != "withdrawn":
                _evaluations(placements, forms, serial)
                _follow_ups(enrollment, cohort.end_date, serial)
        cohort_ids.append(cohort)
    db.session.flush()
    evaluations.rebuild_tallies()  # the history's evaluations were written directly, in bulk
    follow_ups.rebuild_tallies()  # and its follow-up surveys
    db.session.commit()
    for cohort in cohort_ids:
        issue_certificates(None, cohort.id, today=cohort.end_date + timedelta(days=7))


def _story(cohort_number: int, index: int, size: int) -> str:
    if cohort_number == 1 and index == size - 1:
        return "withdrawn"
    if cohort_number == 2 and index == 1:
        return "incomplete"
    return "completed"


def _cohort(name: str, sponsor: str, region: str, start: date, haifa: Hospital) -> Cohort:
    end = start + timedelta(days=11)  # Sunday of week one to Thursday of week two
    cohort = Cohort(
        name=name, origin_country="Kazakhstan", origin_region=region, sponsor=sponsor,
        start_date=start, end_date=end, status=CohortStatus.COMPLETED, hours_per_day=6.0,
        attendance_threshold=0.8, follow_up_months="3,6,12",
    )  # fmt: skip
    db.session.add(cohort)
    db.session.add(CohortHost(cohort=cohort, hospital_id=haifa.id))
    return cohort


def _curriculum(cohort: Cohort) -> tuple[CurriculumItem, CurriculumItem]:
    core = CurriculumItem(
        cohort=cohort, name="Core rotation in own specialty", days=CORE_DAYS, required=True,
        position=0, specialty_mode=SpecialtyMode.OWN,
    )  # fmt: skip
    icu = CurriculumItem(
        cohort=cohort, name="Intensive care", days=ICU_DAYS, required=True, position=1,
        specialty="intensive-care", specialty_mode=SpecialtyMode.NAMED,
    )  # fmt: skip
    db.session.add_all([core, icu])
    return core, icu


def _doctor(n: int, specialty: str, region: str) -> Doctor:
    first, last = FIRST[n % len(FIRST)], LAST[n % len(LAST)]
    doctor = Doctor(
        first_name=first, last_name=last,
        native_name=f"{NATIVE_FIRST[n % len(FIRST)]} {NATIVE_LAST[n % len(LAST)]}",
        specialty=specialty, home_institution=f"{region.split()[0]} Regional Hospital",
        country="Kazakhstan", region=region, licence_number=f"KZ-H-{7000 + n}",
        passport_number=f"H{70000000 + n}", nationality="Kazakhstan",
        email=f"{first.lower()}.{last.lower()}.{n}@doctors.example.kz",
        preferred_language=Language.RU,
    )  # fmt: skip
    db.session.add(doctor)
    return doctor


def _placements(enrollment, core, icu, departments, specialty, haifa, story) -> list[Placement]:
    """The two rotations, completed with attendance (or cancelled for a withdrawal)."""
    start = enrollment.cohort.start_date
    week = haifa.weekday_numbers
    blocks = [
        (core, departments.get(specialty) or departments["general-surgery"], start,
         start + timedelta(days=4)),
        (icu, departments["intensive-care"], start + timedelta(days=7), start + timedelta(days=9)),
    ]  # fmt: skip
    status = EnrollmentStatus.COMPLETED
    placements = []
    for item, department, first, last in blocks:
        placement = Placement(
            enrollment=enrollment, curriculum_item=item, department_id=department.id,
            start_date=first, end_date=last, decided_by_name=department.supervisor_name,
            status=PlacementStatus.CANCELLED if story == "withdrawn" else PlacementStatus.COMPLETED,
            decided_at=datetime.combine(first - timedelta(days=30), time(9), UTC),
        )  # fmt: skip
        db.session.add(placement)
        placements.append(placement)
        if story == "withdrawn":
            continue
        for k, day in enumerate(working_days(first, last, week)):
            missed = story == "incomplete" and item is core and k < 3
            mark = AttendanceStatus.ABSENT if missed else AttendanceStatus.PRESENT
            db.session.add(Attendance(placement=placement, day=day, status=mark))
    if story == "withdrawn":
        status = EnrollmentStatus.WITHDRAWN
        enrollment.withdrawn_at = datetime.combine(start - timedelta(days=10), time(9), UTC)
        enrollment.withdrawal_reason = "Family reasons"
    elif story == "incomplete":
        status = EnrollmentStatus.INCOMPLETE
    enrollment.status = status
    enrollment.completion_reasons = [] if status == EnrollmentStatus.COMPLETED else None
    return placements


def _default_forms() -> dict[EvaluationDirection, tuple[EvaluationForm, list]]:
    """The default form of each direction and its questions (the built-in one when none)."""
    found = {direction: evaluations.default_form(direction) for direction in EvaluationDirection}
    questions = db.session.scalars(
        select(EvaluationQuestion)
        .where(EvaluationQuestion.form_id.in_([form.id for form in found.values()]))
        .order_by(EvaluationQuestion.position)
    ).all()
    return {
        direction: (form, [q for q in questions if q.form_id == form.id])
        for direction, form in found.items()
    }


def _evaluations(placements: list[Placement], forms: dict, n: int) -> None:
    """Both evaluations of each completed placement, answered a few days after it ended."""
    for k, placement in enumerate(placements):
        for direction, (form, questions) in forms.items():
            sent = datetime.combine(placement.end_date + timedelta(days=1), time(9), UTC)
            evaluation = Evaluation(
                placement=placement, department_id=placement.department_id, direction=direction,
                form_id=form.id, sent_at=sent,
                expires_at=sent + timedelta(days=30), answered_at=sent + timedelta(days=2),
            )  # fmt: skip
            db.session.add(evaluation)
            for question in questions:
                evaluation.answers.append(_answer(question, direction, n + k))


def _answer(question: EvaluationQuestion, direction, n: int) -> EvaluationAnswer:
    if question.kind == QuestionKind.SCALE:
        return EvaluationAnswer(question_id=question.id, score=3 + (n + question.position) % 3)
    if question.kind == QuestionKind.YES_NO:
        return EvaluationAnswer(question_id=question.id, score=0 if n % 5 == 0 else 1)
    words = DEPARTMENT_WORDS if direction == EvaluationDirection.OF_DEPARTMENT else []
    text = words[n % len(words)] if words and n % 2 == 0 else None
    return EvaluationAnswer(question_id=question.id, text=text)


def _follow_ups(enrollment: Enrollment, end: date, n: int) -> None:
    """Follow-ups at 3, 6 and 12 months: most answered, fewer as time goes on."""
    for step, months in enumerate((3, 6, 12)):
        due = end + timedelta(days=30 * months)
        sent = datetime.combine(due, time(9), UTC)
        survey = FollowUpSurvey(
            enrollment=enrollment, months_after=months, due_on=due, language="ru", sent_at=sent,
            expires_at=sent + timedelta(days=30),
        )  # fmt: skip
        if (n + step) % 4 != 0:
            survey.answered_at = sent + timedelta(days=3)
            survey.procedures_introduced = "Ultrasound-guided regional anaesthesia"
            survey.patients_treated = 10 * (step + 1) + n % 7
            survey.colleagues_taught = 1 + (n + step) % 4
            survey.would_recommend = (n + step) % 6 != 0
            survey.comment = FOLLOW_UP_WORDS[(n + step) % len(FOLLOW_UP_WORDS)] or None
        db.session.add(survey)
