"""The outcomes and paperwork of the bench centre's history (bench/pages_data.py writes the
people, cohorts and placements first; this reads them back), in bulk, as the app writes them.

- Evaluations: both directions of every completed placement, with the direction's default
  form (migration 0010), sent the night after the placement ended and open for the link's 30
  days; most answered within days (required questions always, the comment sometimes), the
  rest expired; the bench cohort's last ones still open. The per-department tallies the
  results pages read are then counted from them by the app's own query (evaluations/tallies).
- Follow-up surveys: the 3-, 6- and 12-month surveys of every completed enrollment whose day
  has come, sent on that day, in the doctor's language, open 60 days; most answered.
- Documents: what each host hospital requires, and the files the doctors of the cohorts of
  the last year, the live and the future ones uploaded (most accepted, some waiting for
  review, a few rejected, some not yet uploaded), each a small PDF under the instance's
  storage folder (a document's page frames its file).
- Invitations: the one-time link each doctor of a cohort ahead was sent when enrolled (90
  days before it starts, or lately for one further ahead; SHA-256 of the token only, 7 days
  to use it), most already used, a few expired or still open.
- Money: every cohort's rates, budget and costs (bench/pages_budget.py).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from bench.pages_budget import build_budgets
from somet.demo.documents import tiny_pdf
from somet.documents.storage import documents_dir
from somet.evaluations import tallies
from somet.followup import tallies as follow_up_tallies
from somet.followup.rules import ASKED_STATUSES, due_on
from somet.models import (
    Cohort,
    CohortHost,
    Department,
    Doctor,
    DocumentKind,
    DocumentRequirement,
    DocumentStatus,
    Enrollment,
    Evaluation,
    EvaluationAnswer,
    EvaluationDirection,
    EvaluationForm,
    EvaluationQuestion,
    FollowUpSurvey,
    Invitation,
    Placement,
    PlacementStatus,
    QuestionKind,
    TravelDocument,
    User,
)

# config.py's defaults: evaluation and follow-up links, invitations
EVALUATION_TTL, FOLLOW_UP_TTL, INVITATION_TTL = timedelta(30), timedelta(60), timedelta(7)
INVITED_BEFORE = timedelta(days=90)  # a roster is entered this long before its cohort starts
FOLLOW_UP_MONTHS = (3, 6, 12)  # a cohort's default follow_up_months
DOCUMENTS_SINCE = timedelta(days=365)  # the doctors of cohorts ended this recently upload again
OF_DOCTOR = EvaluationDirection.OF_DOCTOR
DEPARTMENT_WORDS = [
    "Excellent supervision: I assisted in every operation and asked questions freely.",
    "The morning rounds taught me how to organise our own handovers at home.",
    "Very welcoming team; I would have liked more time in the operating theatre.",
    "Ведущий хирург объяснял каждый шаг операции, очень полезно.",
]
DOCTOR_WORDS = [
    "Well prepared, asked good questions at every round.",
    "Punctual and engaged; should practise the checklist in English.",
    "Strong clinical knowledge; a pleasure to host.",
]
PROCEDURES = [
    "Ultrasound-guided nerve blocks",
    "Laparoscopic cholecystectomy",
    "Surgical safety checklist in every theatre",
    "Early mobilisation after cardiac surgery",
    None,
]
FOLLOW_UP_WORDS = [
    "We introduced the morning handover; the nurses like it.",
    "I now teach the checklist to our residents every month.",
    "Our hospital bought the ultrasound machine after my report.",
]
K = DocumentKind
# Each host hospital's requirements (kind, expires, due days before arrival), in turn.
REQUIREMENTS = [
    [(K.PASSPORT, True, 60), (K.VISA, True, 14), (K.MEDICAL_LICENCE, True, 45),
     (K.INSURANCE, True, 30), (K.CONFIDENTIALITY, False, 7)],
    [(K.PASSPORT, True, 60), (K.INSURANCE, True, 30), (K.CV, False, 30)],
    [(K.PASSPORT, True, 60), (K.MEDICAL_LICENCE, True, 45), (K.VACCINATION, False, 21),
     (K.INSURANCE, True, 30)],
]  # fmt: skip
REJECTION = "The scan is cut off at the edges; upload the whole page."


def build_history(db, rows, rng, starts: dict[int, date], today: date, staff: int, storage: Path):
    """Write the history into the open transaction ``db``; ``rows(db, model, list)`` is the
    bulk writer, ``staff`` the director's user id (the reviewer of documents), ``storage`` the
    app's SOMET_STORAGE_DIR."""
    now = datetime.combine(today, time(0, 0), UTC)  # nothing answered later than today began
    _evaluations(db, rows, rng, now)
    for statement in tallies.rebuild_statements():  # what the app keeps on write
        db.execute(statement)
    _follow_ups(db, rows, rng, now)
    _documents(db, rows, rng, starts, today, staff, documents_dir(storage))
    _invitations(db, rows, rng, starts, now, staff)
    build_budgets(db, rows, rng, starts, today, staff)


def _evaluations(db, rows, rng, now: datetime) -> None:
    forms = {
        row.direction: row.id
        for row in db.execute(
            select(EvaluationForm.id, EvaluationForm.direction).where(
                EvaluationForm.is_default.is_(True), EvaluationForm.retired_at.is_(None)
            )
        )
    }
    questions = {direction: [] for direction in forms}
    for row in db.execute(
        select(EvaluationQuestion.form_id, EvaluationQuestion.id, EvaluationQuestion.kind)
        .order_by(EvaluationQuestion.position)
    ):  # fmt: skip
        for direction, form_id in forms.items():
            if row.form_id == form_id:
                questions[direction].append((row.id, row.kind))
    placements = db.execute(
        select(
            Placement.id, Placement.department_id, Placement.end_date, Department.supervisor_name,
            Doctor.first_name, Doctor.last_name,
        )
        .join(Department, Department.id == Placement.department_id)
        .join(Enrollment, Enrollment.id == Placement.enrollment_id)
        .join(Doctor, Doctor.id == Enrollment.doctor_id)
        .where(Placement.status == PlacementStatus.COMPLETED)
        .order_by(Placement.id)
    ).all()  # fmt: skip
    evaluations, answers = [], []
    for placement in placements:
        sent = datetime.combine(placement.end_date + timedelta(days=1), time(1, 0), UTC)
        for direction, form_id in forms.items():
            evaluation_id = len(evaluations) + 1
            answered_at = sent + timedelta(hours=rng.randint(2, 24 * 12))
            answered = rng.random() < (0.8 if direction == OF_DOCTOR else 0.88)
            if not answered or answered_at >= now:  # the links that are still open, or expired
                answered_at = None
            name = None
            if answered_at is not None:  # answered by the one-tap link, as most are
                name = (
                    placement.supervisor_name or "Department supervisor"
                    if direction == OF_DOCTOR
                    else f"{placement.first_name} {placement.last_name}"
                )
                answers += _answers(rng, evaluation_id, direction, questions[direction])
            evaluations.append(dict(
                id=evaluation_id, placement_id=placement.id,
                department_id=placement.department_id, direction=direction,
                form_id=form_id, sent_at=sent, expires_at=sent + EVALUATION_TTL,
                answered_at=answered_at, answered_by_name=name,
            ))  # fmt: skip
    rows(db, Evaluation, evaluations)
    rows(db, EvaluationAnswer, answers)


def _answers(rng, evaluation_id: int, direction, questions) -> list[dict]:
    """A row per question answered: every required one, the comment when one was written."""
    out = []
    for question_id, kind in questions:
        score, text = None, None
        if kind == QuestionKind.SCALE:
            score = rng.choice((2, 3, 4, 4, 4, 5, 5, 5, 5, 5))
        elif kind == QuestionKind.YES_NO:
            score = int(rng.random() < 0.92)  # yes 1, no 0
        elif rng.random() < 0.3:
            text = rng.choice(DOCTOR_WORDS if direction == OF_DOCTOR else DEPARTMENT_WORDS)
        else:
            continue  # an optional comment left blank is not stored
        out.append(dict(
            evaluation_id=evaluation_id, question_id=question_id, score=score, text=text,
        ))  # fmt: skip
    return out


def _follow_ups(db, rows, rng, now: datetime) -> None:
    enrollments = db.execute(
        select(Enrollment.id, Cohort.end_date, User.language)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(User, User.doctor_id == Enrollment.doctor_id)
        .where(Enrollment.status.in_(ASKED_STATUSES))
        .order_by(Enrollment.id)
    ).all()
    surveys = []
    for enrollment in enrollments:
        for step, months in enumerate(FOLLOW_UP_MONTHS):
            due = due_on(enrollment.end_date, months)
            sent = datetime.combine(due, time(3, 0), UTC)
            if sent >= now:
                break
            row = dict(
                enrollment_id=enrollment.id, months_after=months, due_on=due,
                language=enrollment.language.value, sent_at=sent,
                expires_at=sent + FOLLOW_UP_TTL, answered_at=None,
                procedures_introduced=None, patients_treated=None, colleagues_taught=None,
                would_recommend=None, comment=None,
            )  # fmt: skip
            answered_at = sent + timedelta(hours=rng.randint(4, 24 * 40))
            if rng.random() < 0.78 - 0.1 * step and answered_at < now:
                row.update(
                    answered_at=answered_at, procedures_introduced=rng.choice(PROCEDURES),
                    patients_treated=rng.randint(0, 40) * (step + 1),
                    colleagues_taught=rng.randint(0, 8), would_recommend=rng.random() < 0.93,
                    comment=rng.choice(FOLLOW_UP_WORDS) if rng.random() < 0.25 else None,
                )  # fmt: skip
            surveys.append(row)
    rows(db, FollowUpSurvey, surveys)
    for statement in follow_up_tallies.rebuild_statements():  # kept on write by the app
        db.execute(statement)


def _documents(db, rows, rng, starts, today: date, reviewer: int, folder: Path) -> None:
    hosts = dict(db.execute(select(CohortHost.cohort_id, CohortHost.hospital_id)).all())
    required = {
        hospital: REQUIREMENTS[(hospital - 1) % len(REQUIREMENTS)]
        for hospital in sorted(set(hosts.values()))
    }
    rows(db, DocumentRequirement, [
        dict(hospital_id=hospital, kind=kind, expires=expires, due_days_before_arrival=days,
             created_at=datetime.combine(min(starts.values()), time(9), UTC))
        for hospital, kinds in required.items() for kind, expires, days in kinds
    ])  # fmt: skip
    since = today - DOCUMENTS_SINCE
    recent = {c for c, start in starts.items() if start + timedelta(days=13) >= since}
    enrollments = db.execute(
        select(Enrollment.doctor_id, Enrollment.cohort_id)
        .where(Enrollment.cohort_id.in_(sorted(recent)))
        .order_by(Enrollment.doctor_id)
    ).all()
    documents = []
    folder.mkdir(parents=True, exist_ok=True)
    for doctor_id, cohort_id in enrollments:
        start = starts[cohort_id]
        for kind, expires, days in required[hosts[cohort_id]]:
            uploaded = start - timedelta(days=days + rng.randint(0, 40))
            if uploaded >= today:
                continue  # not uploaded yet: the checklist shows it missing
            status, roll = DocumentStatus.ACCEPTED, rng.random()
            if start > today and roll < 0.2:
                status = DocumentStatus.UPLOADED if roll < 0.16 else DocumentStatus.REJECTED
            elif roll < 0.02:
                status = DocumentStatus.UPLOADED  # the live cohorts' few still to review
            reviewed_on = uploaded + timedelta(days=rng.randint(1, 4))
            if reviewed_on >= today:
                status = DocumentStatus.UPLOADED
            reviewed = None
            if status != DocumentStatus.UPLOADED:
                reviewed = datetime.combine(reviewed_on, time(11), UTC)
            name, content = f"{rng.getrandbits(128):032x}", tiny_pdf(f"{kind} of {doctor_id}")
            (folder / name).write_bytes(content)
            documents.append(dict(
                doctor_id=doctor_id, kind=kind, storage_name=name,
                original_filename=f"{kind.value}-{doctor_id}.pdf", content_type="application/pdf",
                size_bytes=len(content), sha256=hashlib.sha256(content).hexdigest(),
                valid_until=start + timedelta(days=rng.randint(200, 1500)) if expires else None,
                status=status,
                rejection_reason=REJECTION if status == DocumentStatus.REJECTED else None,
                reviewed_by_id=reviewer if reviewed else None, reviewed_at=reviewed,
                uploaded_at=datetime.combine(uploaded, time(8), UTC),
            ))  # fmt: skip
    rows(db, TravelDocument, documents)


def _invitations(db, rows, rng, starts, now: datetime, director: int) -> None:
    ahead = sorted(c for c, start in starts.items() if start > now.date())
    invitations = []
    for user_id, cohort_id in db.execute(
        select(User.id, Enrollment.cohort_id)
        .join(Enrollment, Enrollment.doctor_id == User.doctor_id)
        .where(Enrollment.cohort_id.in_(ahead))
        .order_by(User.id)
    ):  # fmt: skip
        created = min(
            datetime.combine(starts[cohort_id] - INVITED_BEFORE, time(10), UTC),
            now - timedelta(hours=rng.randint(2, 24 * 60)),  # enrolled lately, for one far ahead
        )
        used = created + timedelta(hours=rng.randint(1, 24 * 9))  # some never used in time
        invitations.append(dict(
            user_id=user_id, token_hash=hashlib.sha256(rng.randbytes(32)).hexdigest(),
            created_by_id=director, created_at=created, expires_at=created + INVITATION_TTL,
            used_at=used if used < min(now, created + INVITATION_TTL) else None,
        ))  # fmt: skip
    rows(db, Invitation, invitations)
