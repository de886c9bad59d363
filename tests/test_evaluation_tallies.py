"""The results index totals every year's evaluations per hospital from tallies kept on write:
its figures follow the real sending and answering, and its work does not grow with history."""

from __future__ import annotations

import html
import re

from somet.cohorts.tasks import nightly_lifecycle
from somet.evaluations import tallies
from somet.models import Role, utcnow
from somet.web.extensions import db
from tests import factories
from tests.conftest import login_as
from tests.test_evaluations import (
    OF_DEPARTMENT,
    OF_DOCTOR,
    _answered_about,
    _answers_of,
    _evaluations,
    _finished_placement,
    _link,
    _questions,
)


def _row(client, hospital) -> tuple[int, int]:
    """The (sent, answered) the director reads on the index for ``hospital``."""
    page = html.unescape(client.get("/evaluations").get_data(as_text=True))
    row = re.search(
        rf'href="/evaluations/hospitals/{hospital.id}">.*?</td>\s*'
        r'<td class="text-end">(\d+)</td><td class="text-end">(\d+)</td>',
        page,
        re.S,
    )
    assert row, page[-2000:]
    return int(row.group(1)), int(row.group(2))


def test_the_index_counts_what_was_sent_and_answered_over_http(app, client, users):
    hospital = factories.make_hospital(name="Tally Hospital")
    wards = [factories.make_department(hospital, name=f"Tally ward {n}") for n in range(2)]
    login_as(client, users["director"])
    assert _row(client, hospital) == (0, 0)

    placements = [_finished_placement(department=ward) for ward in wards for _ in range(2)]
    nightly_lifecycle(utcnow())
    nightly_lifecycle(utcnow())  # a second night sends nothing twice
    assert _row(client, hospital) == (8, 0)

    supervisor = app.test_client()  # answers by the one-tap link, no account
    of_doctor = _evaluations(placements[0])[OF_DOCTOR]
    url, answers = _link(of_doctor), _answers_of(_questions(of_doctor))
    assert supervisor.submit(url, answers).status_code == 302
    supervisor.submit(url, answers)  # a second answer is refused, not counted
    doctor_user = factories.make_user(Role.DOCTOR, doctor_id=placements[3].doctor.id)
    doctor = app.test_client()
    doctor.environ_base["REMOTE_ADDR"] = "10.7.0.3"
    login_as(doctor, doctor_user)
    of_department = _evaluations(placements[3])[OF_DEPARTMENT]
    in_app = f"/evaluations/{of_department.id}/answer"
    answers = _answers_of(_questions(of_department), text="Kind")
    assert doctor.submit(in_app, answers).status_code == 302

    assert _row(client, hospital) == (8, 2)
    assert _department_rows(client, hospital) == {
        wards[0].id: (4, 1, 0),
        wards[1].id: (4, 0, 1),
    }
    assert tallies_equal_a_fresh_count()


def _department_rows(client, hospital) -> dict[int, tuple[int, int, int]]:
    """Per department on the hospital's results: sent, doctors rated, doctors who rated it."""
    page = client.get(f"/evaluations/hospitals/{hospital.id}").get_data(as_text=True)
    rows = re.findall(
        r'href="/evaluations/departments/(\d+)">[^<]*</a></td>\s*'
        r'<td class="text-end">(\d+)</td><td class="text-end">(\d+)</td>'
        r'<td class="text-end">(\d+)</td>',
        page,
    )
    return {int(d): (int(s), int(r), int(w)) for d, s, r, w in rows}


def test_a_doctor_who_rates_a_department_twice_is_one_respondent(app, client, users):
    from somet.evaluations.operations import answer_evaluation, link_token

    hospital = factories.make_hospital()
    ward = factories.make_department(hospital, name="Twice ward")
    doctor = factories.make_doctor()
    placements = [_finished_placement(department=ward, doctor=doctor) for _ in range(2)]
    placements.append(_finished_placement(department=ward))
    nightly_lifecycle(utcnow())
    for placement in placements:
        evaluation = _evaluations(placement)[OF_DEPARTMENT]
        raw = {q.id: {"scale": "5", "yes_no": "no", "text": ""}[q.kind.value]
               for q in _questions(evaluation)}  # fmt: skip
        answer_evaluation(None, evaluation.id, raw, link_token=link_token(evaluation.id, "en"))
    login_as(client, users["director"])
    assert _department_rows(client, hospital) == {ward.id: (6, 0, 2)}
    department_page = client.get(f"/evaluations/departments/{ward.id}").get_data(as_text=True)
    assert "3 answered of 3 sent" in department_page and "2 doctors answered" in department_page
    assert tallies_equal_a_fresh_count()


def tallies_equal_a_fresh_count() -> bool:
    """Every tally kept on write (departments, questions, hospitals, cohorts) equals a count
    made afresh over every evaluation and answer."""
    return tallies.kept() == tallies.counted_afresh()


def test_the_results_read_the_tallies_not_every_evaluation(app, client, users, count_queries):
    hospital = factories.make_hospital()
    department = factories.make_department(hospital)
    login_as(client, users["director"])
    pages = ("/evaluations", f"/evaluations/hospitals/{hospital.id}")
    statements = {}
    for size in (1, 4):
        _answered_about(department, size)
        for page in pages:
            client.get(page)  # the session's first page loads the user's badges
            with count_queries() as queries:
                assert client.get(page).status_code == 200
            statements[size, page] = queries[:]
    for page in pages:
        assert len(statements[1, page]) == len(statements[4, page])
    # (the signed-in user's statement joins their hospital, and reads a doctor's badges)
    index = [
        s for s in statements[4, pages[0]] if "hospitals" in s and not s.startswith("SELECT users")
    ]
    assert index and not any(re.search(r"\bevaluations\b", s) for s in index)
    rows = [s for s in statements[4, pages[1]] if "GROUP BY departments.id" in s]
    assert rows and not any(re.search(r"\bevaluations\b", s) for s in rows)
    assert tallies_equal_a_fresh_count()


def test_a_departments_results_count_from_its_tallies(app, client, users, count_queries):
    department = factories.make_department()
    _answered_about(department, 2)
    login_as(client, users["director"])
    url = f"/evaluations/departments/{department.id}"
    client.get(url)  # the session's first page loads the user's badges
    with count_queries() as queries:
        page = client.get(url).get_data(as_text=True)
    assert "2 answered of 2 sent" in page and "2 doctors answered" in page
    # its counts are its two tally rows, not a count over every year's evaluations
    assert any("FROM evaluation_tallies" in s for s in queries)
    assert not any("count(DISTINCT" in s for s in queries)


def test_the_results_show_the_newest_comments_and_say_so(app, client, users, monkeypatch):
    from somet.evaluations import results_views

    monkeypatch.setattr(results_views, "COMMENTS_SHOWN", 2)
    department = factories.make_department()
    _answered_about(department, 3, comment="Ward rounds were useful")
    login_as(client, users["director"])
    url = f"/evaluations/departments/{department.id}"
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert page.count("Ward rounds were useful") == 2
    assert "Only the 2 newest comments are shown." in page
    every = html.unescape(client.get(f"{url}?comments=all").get_data(as_text=True))
    assert every.count("Ward rounds were useful") == 6  # both directions of 3 placements
    assert "newest comments are shown" not in every


def _section(page: str, direction: str) -> str:
    return page.split(f'id="direction-{direction}"')[1].split("</section>")[0]


def test_averages_and_respondents_follow_the_answers_given(app, client, users, count_queries):
    from tests.test_reports_dashboard import _table, _years

    hospital = factories.make_hospital()
    ward_a, ward_b = (factories.make_department(hospital, name=f"Ward {n}") for n in "AB")
    both = factories.make_doctor()  # placed in both wards: one respondent of the hospital
    placements = [
        _finished_placement(department=ward_a, doctor=both),
        _finished_placement(department=ward_b, doctor=both),
        _finished_placement(department=ward_a),
    ]
    nightly_lifecycle(utcnow())
    supervisor = app.test_client()  # every answer by its one-tap link
    for placement, score in zip(placements, ("5", "2", "3"), strict=True):
        for direction, evaluation in _evaluations(placement).items():
            scale = score if direction == OF_DEPARTMENT else "4"
            answers = _answers_of(_questions(evaluation), scale=scale, text="Useful")
            assert supervisor.submit(_link(evaluation), answers).status_code == 302
    assert tallies_equal_a_fresh_count()

    login_as(client, users["director"])
    a = _section(client.get(f"/evaluations/departments/{ward_a.id}").get_data(as_text=True),
                 "of_department")  # fmt: skip
    assert "2 answered of 2 sent" in a and "2 doctors answered" in a and "4 / 5" in a
    b = _section(client.get(f"/evaluations/departments/{ward_b.id}").get_data(as_text=True),
                 "of_department")  # fmt: skip
    assert "1 doctor answered" in b and "2 / 5" in b
    url = f"/evaluations/hospitals/{hospital.id}"
    client.get(url)
    with count_queries() as statements:
        page = client.get(url).get_data(as_text=True)
    whole = _section(page, "of_department")
    # (5 + 2 + 3) / 3 over the hospital; two doctors, though the wards count 2 + 1
    assert "3 answered of 3 sent" in whole and "2 doctors answered" in whole
    assert "3.3 / 5" in whole and whole.count("Useful") == 3
    # its counts and averages are the tallies' rows; only its comments read answers
    over_answers = [s for s in statements if re.search(r"\bevaluation_answers\b", s)]
    assert len(over_answers) == 1 and "LIMIT" in over_answers[0]
    assert not any("count(DISTINCT" in s or "avg(" in s for s in statements)

    client.get("/reports/dashboard")
    with count_queries() as statements:
        dashboard = client.get("/reports/dashboard").get_data(as_text=True)
    years = _years()
    [row] = _table(dashboard, "scores")
    assert [float(cell) for cell in row[1:]] == [4.0, round(10 / 3, 2)]
    assert row[0] == str(min(years))
    assert not any(re.search(r"\bevaluation_answers\b", s) for s in statements)


def test_a_question_added_after_sending_is_counted_when_first_answered(app, client, users):
    """A form's questions can change until its first answer: the tally of a question the
    sending did not know is counted afresh when it is first answered."""
    from somet.models import EvaluationQuestion, QuestionKind
    from somet.web.extensions import db

    department = factories.make_department()
    placement = _finished_placement(department=department)
    nightly_lifecycle(utcnow())
    evaluation = _evaluations(placement)[OF_DEPARTMENT]
    db.session.add(EvaluationQuestion(form_id=evaluation.form_id, position=99,
                                      kind=QuestionKind.SCALE, prompt_en="Added late"))  # fmt: skip
    db.session.commit()
    answers = _answers_of(_questions(evaluation), scale="3")
    assert app.test_client().submit(_link(evaluation), answers).status_code == 302
    assert tallies_equal_a_fresh_count()
    login_as(client, users["director"])
    page = client.get(f"/evaluations/departments/{department.id}").get_data(as_text=True)
    added = _section(page, "of_department").split("Added late")[1]
    assert "3 / 5" in added.split("</tr>")[0]


def test_the_migration_fills_the_tallies_from_the_evaluations_stored(app, client):
    """Migration 0024 counts what was answered before it: down to 0023 (the new tallies and
    the evaluations' department dropped) and up again gives the tallies kept on write."""
    from flask_migrate import downgrade, upgrade

    from tests.test_migrations import _empty_database

    _empty_database()
    upgrade()
    director = factories.make_user(Role.DIRECTOR)
    department = factories.make_department()
    _answered_about(department, 2, comment="Before the migration")
    _finished_placement(department=department)  # sent, not answered
    nightly_lifecycle(utcnow())
    kept = tallies.kept()
    assert all(kept.values()) and kept == tallies.counted_afresh()
    db.session.commit()  # end the test's read, so what follows reads the migrated database
    downgrade(revision="0023")
    upgrade()
    assert tallies.kept() == kept
    login_as(client, director)
    page = client.get(f"/evaluations/departments/{department.id}").get_data(as_text=True)
    assert "2 answered of 3 sent" in page and "4 / 5" in page
    assert page.count("Before the migration") == 4  # the answers are still there


def test_a_hospitals_open_evaluations_and_newest_comments_come_from_their_indexes(app):
    """The still-answerable evaluations of a hospital's departments, and a department's
    newest answered ones, are read from indexes on the evaluations' department, not by
    passing every year's never-answered (expired) or answered evaluations."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from somet.evaluations.queries import hospital_waiting_on_coordinators_count
    from somet.models import Evaluation
    from tests.test_coordinator_pages_history import _plan

    waiting = select(hospital_waiting_on_coordinators_count(1, datetime(2026, 12, 6, tzinfo=UTC)))
    if db.engine.dialect.name == "postgresql":  # SQLite, without statistics, picks any of
        assert "ix_evaluations_department_open" in _plan(waiting)  # three usable indexes
    newest = (
        select(Evaluation.id)
        .where(Evaluation.department_id == 1, Evaluation.answered_at.is_not(None))
        .order_by(Evaluation.answered_at.desc())
        .limit(50)
    )
    assert "ix_evaluations_department_answered" in _plan(newest)
