"""Evaluations both ways: sent once when a placement completes, answered once by link or in
the app, reminded at 3 and 7 days, expired links, the director's forms, and the results."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from somet.cohorts.tasks import nightly_lifecycle
from somet.evaluations import tasks
from somet.evaluations.operations import answer_link
from somet.models import (
    AttendanceStatus,
    Doctor,
    Enrollment,
    Evaluation,
    EvaluationAnswer,
    EvaluationDirection,
    Language,
    Notification,
    Placement,
    PlacementStatus,
    Role,
    utcnow,
)
from somet.notifications import tasks as delivery_tasks
from somet.web.extensions import db
from tests import factories
from tests.conftest import login_as
from tests.test_home_queues import badge
from tests.test_notifications import smtp_server  # noqa: F401  (the real SMTP fixture)

LINK_RE = re.compile(r"https?://\S+/evaluations/answer/\S+")
OF_DOCTOR, OF_DEPARTMENT = EvaluationDirection.OF_DOCTOR, EvaluationDirection.OF_DEPARTMENT


def _finished_placement(department=None, doctor=None, **department_fields):
    """A confirmed placement that ended two days ago, every day's attendance recorded."""
    department = department or factories.make_department(**department_fields)
    day = utcnow().date() - timedelta(days=2)
    placement = factories.make_placement(
        enrollment=factories.make_enrollment(doctor=doctor),
        department=department,
        status=PlacementStatus.CONFIRMED,
        start_date=day,
        end_date=day,
    )
    factories.make_attendance(placement, day, AttendanceStatus.PRESENT)
    doctor = doctor or db.session.get(Doctor, placement.enrollment_id and _doctor_id(placement))
    return SimpleNamespace(id=placement.id, department=department, doctor=doctor)


def _doctor_id(placement) -> int:
    return db.session.scalar(
        select(Enrollment.doctor_id).where(Enrollment.id == placement.enrollment_id)
    )


def _evaluations(placement) -> dict:
    rows = db.session.scalars(select(Evaluation).where(Evaluation.placement_id == placement.id))
    return {e.direction: e for e in rows}


def _link(evaluation, language="en") -> str:
    return answer_link(evaluation.id, language).split("somet.test", 1)[-1].split("5000", 1)[-1]


def _answers_of(form_questions, scale="4", yes="yes", text=""):
    data = {}
    for question in form_questions:
        kind = question.kind.value
        data[f"q{question.id}"] = {"scale": scale, "yes_no": yes, "text": text}[kind]
    return data


def _questions(evaluation):
    from somet.evaluations.operations import _load

    return _load(evaluation.id).form.questions


def test_a_completed_placement_sends_both_evaluation_links_exactly_once(app, smtp_server):  # noqa: F811
    doctor = factories.make_doctor(preferred_language=Language.KK)
    placement = _finished_placement(doctor=doctor, supervisor_language=Language.RU)
    now = utcnow()
    first = nightly_lifecycle(now)
    second = nightly_lifecycle(now + timedelta(hours=1))
    assert first["evaluations_created"] == 2 and first["evaluation_links_sent"] == 2
    assert second["evaluations_created"] == 0 and second["evaluation_links_sent"] == 0
    evaluations = _evaluations(placement)
    assert set(evaluations) == {OF_DOCTOR, OF_DEPARTMENT}

    delivery_tasks.deliver_notifications(utcnow())
    received = {m["To"]: m for m in smtp_server.messages}
    assert len(smtp_server.messages) == 2
    supervisor = received[placement.department.supervisor_email]
    assert supervisor["Content-Language"] == "ru" and "/evaluations/answer/" in str(
        supervisor.get_content()
    )
    assert received[doctor.email]["Content-Language"] == "kk"


def test_a_department_without_a_supervisor_email_is_answered_by_its_coordinator(app, client):
    placement = _finished_placement(supervisor_email=None)
    nightly_lifecycle(utcnow())
    evaluation = _evaluations(placement)[OF_DOCTOR]
    assert db.session.scalar(select(func.count(Notification.id))) == 1  # the doctor's only
    coordinator = factories.make_user(
        Role.COORDINATOR, hospital_id=placement.department.hospital_id
    )
    login_as(client, coordinator)
    url = f"/evaluations/{evaluation.id}/answer"
    home = client.get("/").get_data(as_text=True)
    assert 'id="queue-evaluations" data-count="1"' in home and url in home
    queued = home.split('id="queue-evaluations"')[1].split("</section>")[0]
    assert placement.doctor.last_name in queued
    assert f"{placement.department.name} · no supervisor e-mail" in queued
    html = client.get("/evaluations/hospital").get_data(as_text=True)
    waiting = html.split('id="evaluations-to-answer"')[1].split("</ul>")[0]
    assert "no supervisor e-mail" in waiting and url in waiting
    assert placement.department.name in waiting
    assert placement.doctor.last_name in waiting
    response = client.submit(url, _answers_of(_questions(evaluation), scale="5"))
    assert response.status_code == 302
    assert 'id="queue-evaluations"' not in client.get("/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Evaluation, evaluation.id).answered_by_name == coordinator.full_name


def test_an_answer_by_link_is_stored_once_and_a_second_use_says_when(app, client):
    placement = _finished_placement(supervisor_language=Language.RU)
    nightly_lifecycle(utcnow())
    evaluation = _evaluations(placement)[OF_DOCTOR]
    body = db.session.scalar(
        select(Notification.body).where(
            Notification.to_email == placement.department.supervisor_email
        )
    )
    url = LINK_RE.search(body).group(0).split("somet.test")[-1]
    url = url[url.index("/evaluations/") :]
    page = client.get(url).get_data(as_text=True)
    assert "Клинические знания" in page  # the link's language: the supervisor's
    data = _answers_of(_questions(evaluation), scale="3", text="Хорошая работа")
    response = client.submit(url, data)
    assert response.status_code == 302
    again = client.get(url)
    assert again.status_code == 200 and "уже" in again.get_data(as_text=True)
    second = client.submit(url, data, page="/login")
    assert second.status_code == 200
    answers = db.session.scalars(
        select(EvaluationAnswer).where(EvaluationAnswer.evaluation_id == evaluation.id)
    ).all()
    assert len(answers) == 5 and {a.text for a in answers} >= {"Хорошая работа"}
    db.session.expire_all()
    assert db.session.get(Evaluation, evaluation.id).answered_by_name == "Dr. Supervisor"


def test_the_language_switch_changes_the_questions_of_a_link(app, client):
    placement = _finished_placement(supervisor_language=Language.RU)
    nightly_lifecycle(utcnow())
    url = _link(_evaluations(placement)[OF_DOCTOR], "ru")
    assert "Клинические знания" in client.get(url).get_data(as_text=True)
    client.submit("/language", {"language": "en", "next": url}, page=url)
    assert "Clinical knowledge" in client.get(url).get_data(as_text=True)


def test_a_required_question_left_blank_is_asked_again(app, client):
    placement = _finished_placement()
    nightly_lifecycle(utcnow())
    evaluation = _evaluations(placement)[OF_DEPARTMENT]
    url = _link(evaluation)
    data = _answers_of(_questions(evaluation))
    data[f"q{_questions(evaluation)[0].id}"] = ""
    response = client.submit(url, data)
    assert response.status_code == 400
    assert "Please answer this question." in response.get_data(as_text=True)
    assert db.session.get(Evaluation, evaluation.id).answered_at is None


def test_an_expired_link_says_so_and_takes_no_answer(app, client):
    placement = _finished_placement()
    nightly_lifecycle(utcnow())
    evaluation = _evaluations(placement)[OF_DOCTOR]
    url = _link(evaluation)
    data = _answers_of(_questions(evaluation))
    csrf = client.csrf_token(url)
    evaluation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    assert client.post(url, data={**data, "csrf_token": csrf}).status_code == 410
    assert db.session.scalar(select(func.count(EvaluationAnswer.id))) == 0


def test_a_bad_token_is_not_found(app, client):
    assert client.get("/evaluations/answer/forged-token").status_code == 404


def _reminders() -> list[str]:
    return list(
        db.session.scalars(
            select(Notification.to_email).where(Notification.kind == "evaluation_reminder")
        )
    )


def test_reminders_at_3_and_7_days_go_only_to_those_who_have_not_answered(app):
    answered_placement = _finished_placement()
    silent_placement = _finished_placement()
    sent = utcnow()
    nightly_lifecycle(sent)
    answered = _evaluations(answered_placement)
    from somet.evaluations.operations import answer_evaluation, link_token

    for evaluation in answered.values():
        raw = {q.id: {"scale": "4", "yes_no": "yes", "text": ""}[q.kind.value]
               for q in _questions(evaluation)}  # fmt: skip
        answer_evaluation(None, evaluation.id, raw, link_token=link_token(evaluation.id, "en"))
    assert tasks.remind_unanswered(sent + timedelta(days=2)) == 0
    assert tasks.remind_unanswered(sent + timedelta(days=3, hours=1)) == 2
    assert tasks.remind_unanswered(sent + timedelta(days=4)) == 0  # each stage once
    assert tasks.remind_unanswered(sent + timedelta(days=7, hours=1)) == 2
    assert tasks.remind_unanswered(sent + timedelta(days=8)) == 0
    assert tasks.remind_unanswered(sent + timedelta(days=40)) == 0  # expired: no more
    reminded = _reminders()
    assert len(reminded) == 4
    assert answered_placement.department.supervisor_email not in reminded
    assert silent_placement.department.supervisor_email in reminded


def _answered_about(department, count: int, *, comment="Great teaching"):
    """``count`` doctors' rotations in ``department``, each evaluated both ways."""
    from somet.evaluations.operations import answer_evaluation, link_token

    nights = []
    for _ in range(count):
        nights.append(_finished_placement(department=department))
    nightly_lifecycle(utcnow())
    for placement in nights:
        for evaluation in _evaluations(placement).values():
            raw = {q.id: {"scale": "4", "yes_no": "yes", "text": comment}[q.kind.value]
                   for q in _questions(evaluation)}  # fmt: skip
            answer_evaluation(None, evaluation.id, raw, link_token=link_token(evaluation.id, "en"))
    return nights


@pytest.mark.parametrize("doctors", [2, 3])
def test_the_host_sees_averages_only_once_three_doctors_answered_and_never_names(
    app, client, doctors
):
    department = factories.make_department()
    placements = _answered_about(department, doctors, comment="Loved the case reviews")
    coordinator = factories.make_user(Role.COORDINATOR, hospital_id=department.hospital_id)
    login_as(client, coordinator)
    html = client.get(f"/evaluations/departments/{department.id}").get_data(as_text=True)
    assert "anonymity rule" in html
    section = html.split('id="direction-of_department"')[1].split("</section>")[0]
    assert f"{doctors} doctors answered" in section
    if doctors < 3:
        assert "Fewer than 3 doctors answered" in section
        assert "Loved the case reviews" not in section and "/ 5" not in section
    else:
        assert "Loved the case reviews" in section and "4 / 5" in section
    for placement in placements:
        doctor = placement.doctor
        assert doctor.first_name not in html


def test_the_director_sees_everything_with_names(app, client, users):
    department = factories.make_department()
    placements = _answered_about(department, 1, comment="Needs more ultrasound practice")
    login_as(client, users["director"])
    html = client.get(f"/evaluations/departments/{department.id}").get_data(as_text=True)
    doctor = placements[0].doctor
    assert "4 / 5" in html and doctor.first_name in html
    page = client.get(f"/evaluations/doctors/{doctor.id}").get_data(as_text=True)
    assert "Needs more ultrasound practice" in page and "Dr. Supervisor" in page
    assert f"/evaluations/doctors/{doctor.id}" in client.get(f"/doctors/{doctor.id}").get_data(
        as_text=True
    )


def test_a_coordinator_of_another_hospital_gets_404(app, client):
    department = factories.make_department()
    _answered_about(department, 1)
    stranger = factories.make_user(Role.COORDINATOR)
    login_as(client, stranger)
    assert client.get(f"/evaluations/departments/{department.id}").status_code == 404
    assert client.get(f"/evaluations/hospitals/{department.hospital_id}").status_code == 404
    evaluation = db.session.scalars(select(Evaluation)).first()
    assert client.get(f"/evaluations/{evaluation.id}/answer").status_code == 404


def test_the_doctor_sees_the_evaluation_owed_at_home_and_answers_it_in_the_app(app, client):
    doctor = factories.make_doctor()
    user = factories.make_user(Role.DOCTOR, doctor_id=doctor.id)
    placement = _finished_placement(doctor=doctor)
    nightly_lifecycle(utcnow())
    evaluation = _evaluations(placement)[OF_DEPARTMENT]
    login_as(client, user)
    home = client.get("/").get_data(as_text=True)
    assert 'id="queue-evaluations" data-count="1"' in home
    # Every page's menu counts it too (the badge statement, not the home's queue).
    assert badge(client.get("/masterclasses").get_data(as_text=True), "Evaluations") == 1
    url = f"/evaluations/{evaluation.id}/answer"
    assert url in home
    assert client.submit(url, _answers_of(_questions(evaluation))).status_code == 302
    assert 'id="queue-evaluations"' not in client.get("/").get_data(as_text=True)
    assert badge(client.get("/masterclasses").get_data(as_text=True), "Evaluations") == 0
    assert "already answered" in client.get(url).get_data(as_text=True)
    other = _evaluations(placement)[OF_DOCTOR]  # the supervisor's, not the doctor's
    assert client.get(f"/evaluations/{other.id}/answer").status_code == 404


def _builder(name="", direction="of_doctor", rows=()):
    data = {"name": name, "direction": direction}
    for index, (kind, en, ru) in enumerate(rows):
        data.update({
            f"questions-{index}-kind": kind, f"questions-{index}-prompt_en": en,
            f"questions-{index}-prompt_ru": ru, f"questions-{index}-required": "y",
        })  # fmt: skip
    return data


def test_the_form_builder_says_what_is_wrong_on_the_form(app, client, users):
    login_as(client, users["director"])
    response = client.submit("/evaluations/forms/new", _builder("", rows=[("scale", "", "Вопрос")]))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Give the form a name." in html and "Write the question in English" in html
    empty = client.submit("/evaluations/forms/new", _builder("Short form"))
    assert empty.status_code == 400 and "Add at least one question." in empty.get_data(as_text=True)


def test_a_director_makes_a_new_default_form_and_a_form_with_answers_cannot_be_edited(
    app, client, users
):
    login_as(client, users["director"])
    rows = [("scale", "Surgical skills", "Хирургические навыки"), ("text", "Anything else?", "")]
    response = client.submit("/evaluations/forms/new", _builder("Surgeons 2027", rows=rows))
    assert response.status_code == 302
    from somet.models import EvaluationForm

    form = db.session.scalar(select(EvaluationForm).where(EvaluationForm.name == "Surgeons 2027"))
    client.submit(f"/evaluations/forms/{form.id}/default", {}, page="/evaluations/forms")
    placement = _finished_placement()
    nightly_lifecycle(utcnow())
    evaluation = _evaluations(placement)[OF_DOCTOR]
    assert evaluation.form_id == form.id
    page = client.get(_link(evaluation)).get_data(as_text=True)
    assert "Surgical skills" in page
    client.get("/logout")
    anonymous = app.test_client()
    answered = anonymous.submit(_link(evaluation), _answers_of(_questions(evaluation), text="ok"))
    assert answered.status_code == 302
    edit = client.get(f"/evaluations/forms/{form.id}/edit").get_data(as_text=True)
    assert "cannot be changed" in edit and "Copy it into a new form" in edit
    refused = client.submit(f"/evaluations/forms/{form.id}/edit", _builder("Renamed", rows=rows))
    assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.get(EvaluationForm, form.id).name == "Surgeons 2027"


def _statements(client, count_queries, url: str) -> int:
    assert client.get(url).status_code == 200
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_results_pages_run_the_same_statements_for_2_or_6_evaluated_rotations(
    app, client, users, count_queries
):
    hospital = factories.make_hospital()
    doctor = factories.make_doctor()
    coordinator = factories.make_user(Role.COORDINATOR, hospital_id=hospital.id)
    doctor_user = factories.make_user(Role.DOCTOR, doctor_id=doctor.id)
    counts = {}
    for size in (2, 6):
        department = factories.make_department(hospital)
        while len(_evaluations_of_doctor(doctor)) < size * 2:
            _answered_about(department, 1)
            _finished_placement(department=department, doctor=doctor)
            nightly_lifecycle(utcnow())
        urls = [
            f"/evaluations/hospitals/{hospital.id}",
            f"/evaluations/departments/{department.id}",
            f"/evaluations/doctors/{doctor.id}",
            "/evaluations",
            "/evaluations/forms",
        ]
        director = _client_of(app, users["director"], size)
        counts[size] = [_statements(director, count_queries, url) for url in urls]
        for user, url in ((coordinator, "/evaluations/hospital"), (doctor_user, "/my/evaluations")):
            counts[size].append(_statements(_client_of(app, user, size), count_queries, url))
    assert counts[2] == counts[6]


def _client_of(app, user, size):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"10.8.{size}.{user.id % 250}"
    login_as(client, user)
    return client


def _evaluations_of_doctor(doctor):
    return db.session.scalars(
        select(Evaluation.id)
        .join(Placement, Evaluation.placement_id == Placement.id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .where(Enrollment.doctor_id == doctor.id)
    ).all()


def test_summaries_for_other_features_count_what_was_answered(app):
    from somet.evaluations.queries import answers_for_doctor, summary_for_placements

    department = factories.make_department()
    placements = _answered_about(department, 3)
    silent = _finished_placement(department=department)
    nightly_lifecycle(utcnow())
    ids = [p.id for p in placements] + [silent.id]
    by_ids = summary_for_placements(ids)
    by_select = summary_for_placements(
        select(Placement.id).where(Placement.department_id == department.id)
    )
    assert by_ids == by_select
    of_department = by_ids[OF_DEPARTMENT]
    assert (of_department.sent, of_department.answered, of_department.respondents) == (4, 3, 3)
    scale = [q for q in of_department.questions if q.kind.value == "scale"]
    assert scale and all(q.answers == 3 and q.average == 4.0 for q in scale)
    yes_no = [q for q in of_department.questions if q.kind.value == "yes_no"]
    assert [q.average for q in yes_no] == [1.0]
    assert [c.text for c in of_department.comments] == ["Great teaching"] * 3
    records = answers_for_doctor(placements[0].doctor.id)
    assert {r.direction for r in records} == {OF_DOCTOR, OF_DEPARTMENT}
    assert all(r.answered_at and len(r.answers) == 5 for r in records)


def test_the_default_form_cannot_be_retired_but_another_can(app, client, users):
    login_as(client, users["director"])
    placement = _finished_placement()
    nightly_lifecycle(utcnow())
    default_id = _evaluations(placement)[OF_DOCTOR].form_id
    refused = client.submit(
        f"/evaluations/forms/{default_id}/retire", {}, page="/evaluations/forms"
    )
    assert "make another form the default" in client.get(refused.location).get_data(as_text=True)
    rows = [("yes_no", "Punctual?", "")]
    client.submit("/evaluations/forms/new", _builder("Spare", rows=rows))
    from somet.models import EvaluationForm

    spare = db.session.scalar(select(EvaluationForm).where(EvaluationForm.name == "Spare"))
    client.submit(f"/evaluations/forms/{spare.id}/retire", {}, page="/evaluations/forms")
    db.session.expire_all()
    assert db.session.get(EvaluationForm, spare.id).retired_at is not None
    assert db.session.get(EvaluationForm, default_id).retired_at is None
