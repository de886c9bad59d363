"""The page where a doctor or a host's coordinator answers an evaluation in the app: what it
says about the rotation, the questions in the form's order, and who may open it."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from somet.cohorts.tasks import nightly_lifecycle
from somet.models import (
    Cohort,
    CurriculumItem,
    Enrollment,
    Evaluation,
    EvaluationAnswer,
    EvaluationQuestion,
    Hospital,
    Placement,
    Role,
    utcnow,
)
from somet.web.extensions import db
from tests import factories
from tests.conftest import login_as
from tests.test_evaluations import OF_DEPARTMENT, OF_DOCTOR, _evaluations, _finished_placement


def _signed_in(app, user):
    """A browser of its own for each user (its own address: the login's rate limit)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"10.9.{user.id // 250}.{user.id % 250}"
    login_as(client, user)
    return client


def _about(html: str) -> list[str]:
    """The rows of the page's 'about' list, as shown."""
    about = html.split('<dl class="row mb-3">')[1].split("</dl>")[0]
    return [re.sub(r"\s+", " ", dd).strip() for dd in re.findall(r"<dd[^>]*>(.*?)</dd>", about)]


def _prompts_in_page_order(html: str, questions) -> list[str]:
    prompts = [q.prompt_en for q in questions]
    return sorted(prompts, key=lambda prompt: html.index(str(escape(prompt))))


def test_the_page_says_what_is_evaluated_and_asks_the_questions_in_the_form_s_order(
    app, count_queries
):
    placement = _finished_placement()
    nightly_lifecycle(utcnow())
    evaluations = _evaluations(placement)
    row = db.session.get(Placement, placement.id)
    enrollment = db.session.get(Enrollment, row.enrollment_id)
    rotation = db.session.get(CurriculumItem, row.curriculum_item_id)
    cohort = db.session.get(Cohort, enrollment.cohort_id)
    hospital = db.session.get(Hospital, placement.department.hospital_id)
    doctor = placement.doctor
    # The director reordered the form: its last question is asked first.
    for evaluation in evaluations.values():
        questions = db.session.scalars(
            select(EvaluationQuestion).where(EvaluationQuestion.form_id == evaluation.form_id)
        ).all()
        for position, question in enumerate(reversed(questions)):
            question.position = position
    db.session.commit()
    users = {
        OF_DEPARTMENT: factories.make_user(Role.DOCTOR, doctor_id=doctor.id),
        OF_DOCTOR: factories.make_user(Role.COORDINATOR, hospital_id=hospital.id),
    }
    for direction, user in users.items():
        evaluation = evaluations[direction]
        client = _signed_in(app, user)
        url = f"/evaluations/{evaluation.id}/answer"
        assert client.get(url).status_code == 200
        with count_queries() as statements:
            html = client.get(url).get_data(as_text=True)
        assert _about(html) == [
            f"{doctor.first_name} {doctor.last_name}",
            f"{placement.department.name}, {hospital.name}",
            rotation.name,
            f"{row.start_date.day} {row.start_date:%b %Y}",
            cohort.name,
        ]
        questions = db.session.scalars(
            select(EvaluationQuestion)
            .where(EvaluationQuestion.form_id == evaluation.form_id)
            .order_by(EvaluationQuestion.id.desc())
        ).all()
        assert len(questions) > 1
        assert _prompts_in_page_order(html, questions) == [q.prompt_en for q in questions]
        # The evaluation, its rotation and its questions: one statement, whatever the form.
        reads = [s for s in statements if "evaluation_questions" in s]
        assert len(reads) == 1 and "curriculum_items" in reads[0] and "hospitals" in reads[0]


def test_only_the_evaluated_department_s_doctor_and_the_host_s_coordinators_open_it(app):
    placement = _finished_placement()
    nightly_lifecycle(utcnow())
    evaluations = _evaluations(placement)
    hospital_id = placement.department.hospital_id
    pages = {direction: f"/evaluations/{e.id}/answer" for direction, e in evaluations.items()}
    expected = [
        (factories.make_user(Role.DOCTOR, doctor_id=placement.doctor.id), {OF_DEPARTMENT: 200}),
        (factories.make_user(Role.DOCTOR, doctor_id=factories.make_doctor().id), {}),
        (factories.make_user(Role.COORDINATOR, hospital_id=hospital_id), {OF_DOCTOR: 200}),
        (factories.make_user(Role.COORDINATOR, hospital_id=factories.make_hospital().id), {}),
    ]
    for user, opens in expected:
        client = _signed_in(app, user)
        for direction, url in pages.items():
            assert client.get(url).status_code == opens.get(direction, 404), (user.role, url)
    director = _signed_in(app, factories.make_user(Role.DIRECTOR))
    assert director.get(pages[OF_DOCTOR]).status_code == 403
    assert client.get("/evaluations/999999/answer").status_code == 404  # the last coordinator


def test_answers_from_someone_who_may_not_answer_are_refused_and_nothing_is_stored(app):
    from somet.core.errors import NotFound
    from somet.evaluations.operations import answer_evaluation
    from tests.test_evaluations import _answers_of, _questions

    placement = _finished_placement()
    nightly_lifecycle(utcnow())
    evaluation = _evaluations(placement)[OF_DEPARTMENT]
    answers = _answers_of(_questions(evaluation))
    stranger = factories.make_user(Role.DOCTOR, doctor_id=factories.make_doctor().id)
    url = f"/evaluations/{evaluation.id}/answer"
    assert _signed_in(app, stranger).submit(url, answers, page="/").status_code == 404
    for actor in (stranger, None):  # the operation checks too, whoever calls it
        with pytest.raises(NotFound):
            answer_evaluation(actor, evaluation.id, {int(k[1:]): v for k, v in answers.items()})
    db.session.rollback()
    assert db.session.get(Evaluation, evaluation.id).answered_at is None
    assert db.session.scalar(select(func.count(EvaluationAnswer.id))) == 0
    owner = factories.make_user(Role.DOCTOR, doctor_id=placement.doctor.id)
    assert _signed_in(app, owner).submit(url, answers).status_code == 302
    db.session.expire_all()
    assert db.session.get(Evaluation, evaluation.id).answered_at is not None
    assert db.session.scalar(select(func.count(EvaluationAnswer.id))) > 0
