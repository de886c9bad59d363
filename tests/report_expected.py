"""The funder's report's figures counted again, in plain Python over every row (no GROUP BY),
to compare with what the report's SQL aggregates say."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from somet.models import (
    Attendance,
    Certificate,
    Cohort,
    Department,
    Doctor,
    Enrollment,
    Evaluation,
    EvaluationAnswer,
    EvaluationQuestion,
    FollowUpSurvey,
    Hospital,
    Placement,
)
from somet.web.extensions import db


def _all(model) -> list:
    return list(db.session.scalars(select(model)))


def cohorts_in(sponsor=None, start=None, end=None, cohort_id=None) -> set[int]:
    chosen = set()
    for cohort in _all(Cohort):
        if cohort_id is not None:
            if cohort.id == cohort_id:
                chosen.add(cohort.id)
            continue
        if sponsor and cohort.sponsor != sponsor:
            continue
        if (start and cohort.end_date < start) or (end and cohort.end_date > end):
            continue
        chosen.add(cohort.id)
    return chosen


def _share(part, whole):
    return None if not whole else round(100 * part / whole, 1)


def expected_report(**scope) -> dict:
    """Every figure of the report for ``scope`` (sponsor, start, end or cohort_id)."""
    ids = cohorts_in(**scope)
    enrollments = {e.id: e for e in _all(Enrollment) if e.cohort_id in ids}
    doctors = {d.id: d for d in _all(Doctor)}
    departments = {d.id: d for d in _all(Department)}
    hospitals = {h.id: h.name for h in _all(Hospital)}
    statuses = defaultdict(int)
    for e in enrollments.values():
        statuses[e.status.value] += 1
    trained = {e.doctor_id for e in enrollments.values() if e.status.value == "completed"}
    by_specialty, by_region = defaultdict(int), defaultdict(int)
    for doctor_id in trained:
        by_specialty[doctors[doctor_id].specialty] += 1
        by_region[doctors[doctor_id].region] += 1
    placements = {
        p.id: p
        for p in _all(Placement)
        if p.enrollment_id in enrollments and p.status.value == "completed"
    }
    present = defaultdict(int)
    for a in _all(Attendance):
        if a.placement_id in placements and a.status.value == "present":
            present[a.placement_id] += 1
    per_department, per_hospital = defaultdict(set), defaultdict(set)
    days = defaultdict(int)
    for p in placements.values():
        department = departments[p.department_id]
        key = (hospitals[department.hospital_id], department.name)
        doctor = enrollments[p.enrollment_id].doctor_id
        per_department[key].add(doctor)
        per_hospital[key[0]].add(doctor)
        days[key] += present[p.id]
    certificates = [
        c for c in _all(Certificate)
        if c.enrollment_id in enrollments and c.kind.value == "internship" and not c.revoked_at
    ]  # fmt: skip
    judged = sum(statuses[s] for s in ("completed", "incomplete", "withdrawn"))
    return {
        "cohorts": len(ids),
        "statuses": dict(statuses),
        "trained": len(trained),
        "completion_rate": _share(statuses["completed"], judged),
        "by_specialty": dict(by_specialty),
        "by_region": dict(by_region),
        "hosts": {name: len(s) for name, s in per_hospital.items()},
        "departments": {key: (len(s), days[key]) for key, s in per_department.items()},
        "days": sum(days.values()),
        "hours": round(sum(c.hours for c in certificates), 2),
        "certificates": len(certificates),
        "questions": _questions(enrollments),
        "follow_ups": _follow_ups(enrollments),
    }


def _questions(enrollments) -> dict:
    placements = {p.id for p in _all(Placement) if p.enrollment_id in enrollments}
    evaluations = {
        e.id: e for e in _all(Evaluation) if e.placement_id in placements and e.answered_at
    }
    questions = {q.id: q for q in _all(EvaluationQuestion)}
    scores = defaultdict(list)
    for answer in _all(EvaluationAnswer):
        question = questions[answer.question_id]
        if answer.evaluation_id in evaluations and answer.score is not None:
            direction = evaluations[answer.evaluation_id].direction.value
            scores[(direction, question.kind.value, question.prompt_en)].append(answer.score)
    result = {}
    for (direction, kind, prompt), values in scores.items():
        if kind == "scale":
            mean = round(sum(values) / len(values), 2)
        else:
            mean = _share(sum(values), len(values))
        result[(direction, prompt)] = (len(values), mean)
    return result


def _follow_ups(enrollments) -> dict:
    rows = {}
    for months in sorted({s.months_after for s in _all(FollowUpSurvey)}):
        surveys = [
            s for s in _all(FollowUpSurvey)
            if s.enrollment_id in enrollments and s.months_after == months
        ]  # fmt: skip
        if not surveys:
            continue
        answered = [s for s in surveys if s.answered_at]
        said = [s.would_recommend for s in surveys if s.would_recommend is not None]
        rows[months] = (
            len(surveys),
            len(answered),
            sum(s.patients_treated or 0 for s in surveys),
            sum(s.colleagues_taught or 0 for s in surveys),
            _share(sum(said), len(said)),
        )
    return rows
