"""The director's dashboard: the report's figures across years (by the year a cohort ended),
four statements over per-cohort and per-year tallies kept on write, whatever the history."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import Integer, Select, bindparam, cast, func, select

from somet.models import (
    EVERY_SPONSOR,
    Cohort,
    EnrollmentStatusTally,
    EvaluationCohortTally,
    FollowUpTally,
    TrainedDoctorTally,
)
from somet.reports import rules
from somet.web.extensions import db

YEAR = cast(func.extract("year", Cohort.end_date), Integer)  # the year a cohort ended


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
    statuses, trained, scores, follow_ups = _statements(sponsor is not None)
    params = {"sponsor": sponsor} if sponsor else {}
    years: dict[int, Year] = {}

    def year(number) -> Year:
        return years.setdefault(int(number), Year(int(number)))

    for number, status, count in db.session.execute(statuses, params):
        year(number).statuses[status.value] = int(count)
    specialties: dict[str, int] = {}
    for number, specialty, count in db.session.execute(trained, params):
        year(number).trained += count
        specialties[specialty or ""] = specialties.get(specialty or "", 0) + count
    for number, direction, count, total in db.session.execute(scores, params):
        year(number).scores[direction.value] = (int(count), int(total or 0))
    for number, asked, answered in db.session.execute(follow_ups, params):
        year(number).follow_ups = (int(asked), int(answered))
    ordered = [years[number] for number in sorted(years)]
    by_specialty = sorted(specialties.items(), key=lambda item: (-item[1], item[0]))
    return Trends(ordered, by_specialty)


@cache
def _statements(sponsored: bool) -> tuple[Select, Select, Select, Select]:
    """The dashboard's four statements, built once (with the parameter ``sponsor`` when
    ``sponsored``): every view of the dashboard runs them, and building them anew cost
    about as much as running them."""
    scope = [Cohort.sponsor == bindparam("sponsor")] if sponsored else []
    # the cohorts' tallies kept by the answering operation, not every answer of every year
    scores = (
        select(
            YEAR,
            EvaluationCohortTally.direction,
            func.sum(EvaluationCohortTally.scored),
            func.sum(EvaluationCohortTally.score_sum),
        )
        .join(Cohort, Cohort.id == EvaluationCohortTally.cohort_id)
        .where(EvaluationCohortTally.scored > 0, *scope)
        .group_by(YEAR, EvaluationCohortTally.direction)
    )
    # the cohorts' tallies kept by the sending and answering of surveys
    follow_ups = (
        select(YEAR, func.sum(FollowUpTally.asked), func.sum(FollowUpTally.answered))
        .join(Cohort, Cohort.id == FollowUpTally.cohort_id)
        .where(*scope)
        .group_by(YEAR)
    )
    return _statuses_by_year(sponsored), _trained_by_year(sponsored), scores, follow_ups


def _statuses_by_year(sponsored: bool):
    """(year, status, enrollments): the tallies kept on flush for every cohort, or for the
    sponsor's."""
    return select(
        EnrollmentStatusTally.year, EnrollmentStatusTally.status, EnrollmentStatusTally.enrollments
    ).where(EnrollmentStatusTally.sponsor == _sponsor(sponsored))


def _trained_by_year(sponsored: bool):
    """(year, specialty, doctors) who completed a cohort that year, each doctor once a year:
    the tallies kept on flush for every cohort, or for the sponsor's."""
    return select(
        TrainedDoctorTally.year, TrainedDoctorTally.specialty, TrainedDoctorTally.doctors
    ).where(TrainedDoctorTally.sponsor == _sponsor(sponsored))


def _sponsor(sponsored: bool):
    return bindparam("sponsor") if sponsored else EVERY_SPONSOR
