"""The director's dashboard: the report's figures across years (by the year a cohort ended),
four aggregate statements whatever the history."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Integer, cast, distinct, func, select

from somet.evaluations.queries import scale_answers
from somet.models import (
    Cohort,
    Doctor,
    Enrollment,
    EnrollmentStatus,
    Evaluation,
    EvaluationAnswer,
    FollowUpSurvey,
)
from somet.reports import rules
from somet.web.extensions import db

YEAR = cast(func.extract("year", Cohort.end_date), Integer)


@dataclass
class Year:
    year: int
    statuses: dict[str, int] = field(default_factory=dict)
    trained: int = 0
    scores: dict[str, tuple[int, int]] = field(default_factory=dict)  # direction: count, sum
    follow_ups: tuple[int, int] = (0, 0)  # asked, answered

    @property
    def completion_rate(self) -> float | None:
        return rules.completion_rate(self.statuses)

    def average(self, direction: str) -> float | None:
        answers, total = self.scores.get(direction, (0, 0))
        return rules.average(total, answers)

    @property
    def response_rate(self) -> float | None:
        return rules.share(self.follow_ups[1], self.follow_ups[0])


@dataclass
class Trends:
    years: list[Year]
    by_specialty: list[tuple[str, int]]  # doctors trained in every year shown, by specialty


def trends(sponsor: str | None = None) -> Trends:
    """Per year: doctors trained, completion, evaluation averages (1–5 questions), follow-up
    response; and doctors trained by specialty over all those years."""
    cohorts = select(Cohort.id)
    if sponsor:
        cohorts = cohorts.where(Cohort.sponsor == sponsor)
    years: dict[int, Year] = {}

    def year(number) -> Year:
        return years.setdefault(int(number), Year(int(number)))

    for number, status, count in db.session.execute(
        select(YEAR, Enrollment.status, func.count())
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Cohort.id.in_(cohorts))
        .group_by(YEAR, Enrollment.status)
    ):
        year(number).statuses[status.value] = count
    specialties: dict[str, int] = {}
    for number, specialty, count in db.session.execute(
        select(YEAR, Doctor.specialty, func.count(distinct(Doctor.id)))
        .join(Enrollment, Enrollment.doctor_id == Doctor.id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Cohort.id.in_(cohorts), Enrollment.status == EnrollmentStatus.COMPLETED)
        .group_by(YEAR, Doctor.specialty)
    ):
        year(number).trained += count
        specialties[specialty or ""] = specialties.get(specialty or "", 0) + count
    for number, direction, count, total in db.session.execute(
        scale_answers(
            YEAR,
            Evaluation.direction,
            func.count(EvaluationAnswer.score),
            func.sum(EvaluationAnswer.score),
        )
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Cohort.id.in_(cohorts))
        .group_by(YEAR, Evaluation.direction)
    ):
        year(number).scores[direction.value] = (int(count), int(total or 0))
    for number, asked, answered in db.session.execute(
        select(YEAR, func.count(), func.count(FollowUpSurvey.answered_at))
        .join(Enrollment, Enrollment.id == FollowUpSurvey.enrollment_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Cohort.id.in_(cohorts))
        .group_by(YEAR)
    ):
        year(number).follow_ups = (int(asked), int(answered))
    ordered = [years[number] for number in sorted(years)]
    by_specialty = sorted(specialties.items(), key=lambda item: (-item[1], item[0]))
    return Trends(ordered, by_specialty)
