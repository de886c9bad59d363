"""The director's dashboard: each year's figures equal the rows counted one by one."""

from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy import select

from somet.models import (
    Cohort,
    Enrollment,
    Evaluation,
    EvaluationAnswer,
    EvaluationQuestion,
    FollowUpSurvey,
    Placement,
)
from somet.web.extensions import db
from tests.conftest import login_as
from tests.report_history import SPONSOR, build_history, evaluation_forms


def _table(page: str, key: str) -> list[list[str]]:
    """The rows of a section's table, as the cells' texts."""
    start = page.index(f'id="section-{key}"')
    body = page[start : page.index("</tbody>", start)]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)[1:]
    ]


def _years() -> dict:
    """Per year a cohort ended: trained doctors, judged and completed, scale scores by
    direction, follow-ups asked and answered (plain Python over all rows)."""
    cohorts = {c.id: c.end_date.year for c in db.session.scalars(select(Cohort))}
    enrollments = {e.id: e for e in db.session.scalars(select(Enrollment))}
    placements = {p.id: p for p in db.session.scalars(select(Placement))}
    kinds = {q.id: q.kind.value for q in db.session.scalars(select(EvaluationQuestion))}
    evaluations = {e.id: e for e in db.session.scalars(select(Evaluation)) if e.answered_at}
    years = defaultdict(
        lambda: {
            "trained": set(),
            "judged": 0,
            "done": 0,
            "scores": defaultdict(list),
            "asked": 0,
            "answered": 0,
        }
    )
    for e in enrollments.values():
        year = years[cohorts[e.cohort_id]]
        if e.status.value == "completed":
            year["trained"].add(e.doctor_id)
        year["judged"] += e.status.value in ("completed", "incomplete", "withdrawn")
        year["done"] += e.status.value == "completed"
    for answer in db.session.scalars(select(EvaluationAnswer)):
        evaluation = evaluations.get(answer.evaluation_id)
        if evaluation and kinds[answer.question_id] == "scale":
            enrollment = enrollments[placements[evaluation.placement_id].enrollment_id]
            scores = years[cohorts[enrollment.cohort_id]]["scores"]
            scores[evaluation.direction.value].append(answer.score)
    for survey in db.session.scalars(select(FollowUpSurvey)):
        year = years[cohorts[enrollments[survey.enrollment_id].cohort_id]]
        year["asked"] += 1
        year["answered"] += survey.answered_at is not None
    return years


def test_dashboard_shows_each_years_figures_counted_from_the_rows(client, users):
    forms = evaluation_forms()
    build_history(4, 6, seed=5, first_year=2016, forms=forms)
    build_history(2, 4, seed=6, sponsor="Another sponsor", first_year=2017, forms=forms)
    login_as(client, users["director"])
    page = client.get("/reports/dashboard").get_data(as_text=True)
    years = _years()
    assert [row[0] for row in _table(page, "trained")] == [str(y) for y in sorted(years)]
    for row in _table(page, "trained"):
        assert int(row[1]) == len(years[int(row[0])]["trained"])
    for row in _table(page, "completion"):
        year = years[int(row[0])]
        assert float(row[1]) == round(100 * year["done"] / year["judged"], 1)
    for row in _table(page, "scores"):
        for cell, direction in zip(row[1:], ("of_doctor", "of_department"), strict=True):
            scores = years[int(row[0])]["scores"][direction]
            assert float(cell) == round(sum(scores) / len(scores), 2)
    for row in _table(page, "response"):
        year = years[int(row[0])]
        assert (int(row[1]), int(row[2])) == (year["asked"], year["answered"])
        assert float(row[3]) == round(100 * year["answered"] / year["asked"], 1)
    assert page.count('role="img"') == 6  # a chart per figure, and two for the scores

    only = client.get("/reports/dashboard", query_string={"sponsor": SPONSOR})
    trained = sum(int(row[1]) for row in _table(only.get_data(as_text=True), "trained"))
    assert trained < sum(len(y["trained"]) for y in years.values())
