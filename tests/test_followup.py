"""Follow-up surveys through the app: the daily job, the one-tap answer, reminders, the
director's lists, the cohort's setting. Real database, real job runs (``flask jobs run-now``),
real SMTP where mail matters (the aiosmtpd fixture of test_notifications)."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import func, select

from somet.core import localisation
from somet.demo.data import DEMO_PASSWORD
from somet.followup.rules import add_months, due_on
from somet.models import (
    AuditEvent,
    EnrollmentStatus,
    FollowUpSurvey,
    Language,
    Notification,
    Role,
)
from somet.notifications.tasks import deliver_notifications
from somet.web.extensions import db
from tests import factories
from tests.conftest import login_as
from tests.test_notifications import smtp_server as real_smtp  # the aiosmtpd fixture

smtp_server = real_smtp  # used by name as a fixture below

END = date(2025, 8, 31)  # 3 months: 30 Nov 2025; 6 months: 28 Feb 2026
# A cohort whose 3-month survey came due three days ago: its links still work today.
RECENT_END = add_months(date.today() - timedelta(days=3), -3)
SENT_ON = due_on(RECENT_END, 3)
LINK_RE = re.compile(r"https?://[^/\s]+(/follow-up/answer/\S+)")
ANSWER = {"procedures_introduced": "Ultrasound-guided nerve blocks", "patients_treated": "40",
          "colleagues_taught": "5", "would_recommend": "yes", "comment": "Thank you!"}  # fmt: skip


def _ended_cohort(end: date = RECENT_END, **overrides):
    """An ended cohort: two completed doctors, one incomplete, one withdrawn."""
    cohort = factories.make_cohort(
        start_date=end - timedelta(days=11), end_date=end, status="completed", **overrides
    )
    statuses = [EnrollmentStatus.COMPLETED, EnrollmentStatus.COMPLETED,
                EnrollmentStatus.INCOMPLETE, EnrollmentStatus.WITHDRAWN]  # fmt: skip
    doctors = [factories.make_doctor(last_name=f"Doc{n}") for n in range(len(statuses))]
    for doctor, status in zip(doctors, statuses, strict=True):
        factories.make_enrollment(cohort, doctor, status=status)
    return cohort, doctors


def _run(runner, job: str, day: date) -> str:
    result = runner.invoke(args=["jobs", "run-now", job, "--as-of", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def _mails(kind: str = "follow_up_survey") -> list[Notification]:
    db.session.expire_all()
    query = select(Notification).where(Notification.kind == kind).order_by(Notification.id)
    return list(db.session.scalars(query))


def _link(notification: Notification) -> str:
    return LINK_RE.search(notification.body).group(1)


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


# --- the daily job --------------------------------------------------------------------------


def test_the_job_sends_each_survey_once_on_its_day_even_at_a_months_end(app, runner, users):
    _cohort, doctors = _ended_cohort(END)
    assert "'surveys_sent': 0" in _run(runner, "follow-up-surveys", date(2025, 11, 29))
    assert "'surveys_sent': 3" in _run(runner, "follow-up-surveys", date(2025, 11, 30))
    assert "'surveys_sent': 0" in _run(runner, "follow-up-surveys", date(2025, 11, 30))
    assert "'surveys_sent': 0" in _run(runner, "follow-up-surveys", date(2025, 12, 1))
    mails = _mails()
    # the completed and the incomplete doctor are asked; the withdrawn one is not
    asked = {d.email for d in doctors[:3]}
    assert sorted(m.to_email for m in mails) == sorted(asked)
    # 31 August + 6 months: the last day of February, not before
    assert "'surveys_sent': 0" in _run(runner, "follow-up-surveys", date(2026, 2, 27))
    assert "'surveys_sent': 3" in _run(runner, "follow-up-surveys", date(2026, 2, 28))
    assert "'surveys_sent': 0" in _run(runner, "follow-up-surveys", date(2026, 2, 28))
    surveys = db.session.scalars(select(FollowUpSurvey).order_by(FollowUpSurvey.id)).all()
    assert [(s.months_after, s.due_on) for s in surveys] == [(3, date(2025, 11, 30))] * 3 + [
        (6, date(2026, 2, 28))
    ] * 3
    assert len(_mails()) == 6

    # Remind all: only each doctor's latest survey (the 3-month one is history now)
    director = app.test_client()
    login_as(director, users["director"])
    reminded = director.submit("/follow-up/remind", {}, page="/follow-up", follow_redirects=True)
    assert "3 reminders sent." in _page(reminded)
    reminders = _mails("follow_up_reminder")
    assert sorted(m.to_email for m in reminders) == sorted(asked)
    assert all("через 6 мес." in m.body for m in reminders)  # the doctors read Russian


def test_the_email_and_the_page_speak_the_doctors_language(app, client, runner):
    _cohort, doctors = _ended_cohort()
    kazakh, with_login = doctors[0], doctors[1]
    kazakh.preferred_language = Language.KK
    # a doctor with a login reads in the login's language, whatever the doctor record says
    factories.make_user(Role.DOCTOR, doctor_id=with_login.id, language=Language.EN)
    db.session.commit()
    _run(runner, "follow-up-surveys", SENT_ON)
    mails = {m.to_email: m for m in _mails()}
    assert mails[kazakh.email].language == "kk"
    assert "аяқталғаннан кейін 3 ай: елде не өзгерді?" in mails[kazakh.email].subject
    assert "Мына жерде жауап беріңіз (кіру қажет емес):" in mails[kazakh.email].body
    russian = mails[doctors[2].email]  # the default: Russian
    assert "3 мес. после «" in russian.subject and "что изменилось дома?" in russian.subject
    english = [m for m in _mails() if m.user_id is not None]
    assert len(english) == 1 and "3 months after" in english[0].subject
    page = _page(client.get(_link(mails[kazakh.email])))
    assert "Бағдарламада үйренген қандай процедураларды" in page


def test_answering_through_the_link_stores_once_and_a_second_use_says_answered(app, client, runner):
    _ended_cohort()
    _run(runner, "follow-up-surveys", SENT_ON)
    link = _link(_mails()[0])
    form = client.get(link)  # in the survey's language: Russian
    assert form.status_code == 200 and "Отправить ответы" in _page(form)
    refused = client.submit(
        link, {**ANSWER, "patients_treated": "-3", "colleagues_taught": "two",
               "would_recommend": ""},
    )  # fmt: skip
    assert refused.status_code == 400
    assert _page(refused).count("Введите целое число, 0 или больше (например, 12).") == 2
    assert "Пожалуйста, ответьте «да» или «нет»." in _page(refused)
    assert client.submit(link, ANSWER).status_code == 302
    again = client.get(link)
    assert again.status_code == 410
    assert "Спасибо: ваши ответы сохранены." in _page(again)
    assert "На этот опрос уже ответили. Спасибо!" in _page(again)
    second = client.submit(link, {**ANSWER, "patients_treated": "99"}, page="/login")
    assert second.status_code == 410
    db.session.expire_all()
    answered = db.session.scalars(
        select(FollowUpSurvey).where(FollowUpSurvey.answered_at.is_not(None))
    ).all()
    assert len(answered) == 1
    survey = answered[0]
    assert (survey.procedures_introduced, survey.patients_treated, survey.colleagues_taught,
            survey.would_recommend, survey.comment) == (
        "Ultrasound-guided nerve blocks", 40, 5, True, "Thank you!")  # fmt: skip
    events = db.session.scalar(
        select(func.count()).where(AuditEvent.action == "follow_up.answered")
    )
    assert events == 1


def test_an_expired_link_says_so_and_a_forged_one_is_not_found(app, client, runner):
    _ended_cohort(END)
    _run(runner, "follow-up-surveys", date(2025, 11, 30))  # long ago: 60 days have passed
    link = _link(_mails()[0])
    expired = client.get(link, headers={"Accept-Language": "en"})  # nothing to ask: English
    assert expired.status_code == 410
    assert "This link has expired." in _page(expired)
    assert client.get(link[:-3] + "xyz").status_code == 404
    assert client.get("/follow-up/answer/not-a-token").status_code == 404


# --- reminders ------------------------------------------------------------------------------


def _recipients(mailbox) -> list[str]:
    found = sorted(str(message["To"]) for message in mailbox.messages)
    mailbox.messages.clear()
    return found


def _deliver() -> None:
    deliver_notifications(datetime.now(UTC))


def test_reminders_go_only_to_those_who_have_not_answered(app, client, runner, smtp_server):
    _cohort, doctors = _ended_cohort()
    _run(runner, "follow-up-surveys", SENT_ON)
    _deliver()
    assert _recipients(smtp_server) == sorted(d.email for d in doctors[:3])
    answering = doctors[0]
    (mail,) = [m for m in _mails() if m.to_email == answering.email]
    assert client.submit(_link(mail), ANSWER).status_code == 302
    non_responders = sorted(d.email for d in doctors[1:3])

    _run(runner, "send-reminders", SENT_ON + timedelta(days=6))
    _deliver()
    assert _recipients(smtp_server) == []  # not yet: a week after sending
    _run(runner, "send-reminders", SENT_ON + timedelta(days=7))
    _run(runner, "send-reminders", SENT_ON + timedelta(days=8))  # the same reminder: once
    _deliver()
    assert _recipients(smtp_server) == non_responders
    _run(runner, "send-reminders", SENT_ON + timedelta(days=21))
    _deliver()
    assert _recipients(smtp_server) == non_responders
    reminders = _mails("follow_up_reminder")
    assert len(reminders) == 4 and answering.email not in {m.to_email for m in reminders}
    assert "Напоминание: ваш опрос выпускника" in reminders[0].subject
    first = next(m for m in _mails() if m.to_email == doctors[1].email)
    assert _link(reminders[0]) == _link(first)


def _director(client, users):
    login_as(client, users["director"])
    return client


def _survey_of(doctor, months: int = 3) -> FollowUpSurvey:
    db.session.expire_all()
    return db.session.scalars(
        select(FollowUpSurvey)
        .join(FollowUpSurvey.enrollment)
        .where(FollowUpSurvey.months_after == months)
        .where(FollowUpSurvey.enrollment.has(doctor_id=doctor.id))
    ).one()


def test_the_director_reminds_one_doctor_once_a_day_and_all_non_responders(
    app, client, runner, users
):
    cohort, doctors = _ended_cohort()
    _run(runner, "follow-up-surveys", SENT_ON)
    answered = _survey_of(doctors[0])
    _answer(client, doctors[0])
    director = _director(app.test_client(), users)
    page = f"/cohorts/{cohort.id}/follow-up"
    open_one = _survey_of(doctors[1])
    remind = f"/follow-up/enrollments/{open_one.enrollment_id}/remind"
    done = director.submit(remind, {"months": "3", "next": page}, page=page)
    assert done.status_code == 302 and done.headers["Location"].endswith(page)
    assert "Reminder sent." in _page(director.get(page))
    again = director.submit(remind, {"months": "3", "next": page}, page=page)
    assert "This doctor was already reminded today." in _page(director.get(again.location))
    to_answered = f"/follow-up/enrollments/{answered.enrollment_id}/remind"
    refused = director.submit(to_answered, {"months": "3"}, page=page, follow_redirects=True)
    assert "This doctor has already answered." in _page(refused)
    assert len(_mails("follow_up_reminder")) == 1

    everyone = director.submit("/follow-up/remind", {"cohort_id": str(cohort.id), "next": page},
                               page=page, follow_redirects=True)  # fmt: skip
    shown = _page(everyone)
    assert "1 reminder sent." in shown  # the third doctor; the second was reminded today
    assert "1 doctor was not reminded: already reminded today, or no address." in shown
    reminded = {m.to_email for m in _mails("follow_up_reminder")}
    assert reminded == {doctors[1].email, doctors[2].email}
    events = db.session.scalar(
        select(func.count()).where(AuditEvent.action == "follow_up.reminded")
    )
    assert events == 2
    assert "reminded" in _page(director.get(page))


def _rows_by_survey(page: str) -> dict[int, str]:
    rows = re.findall(r'<tr class="survey-row" data-survey="(\d+)">(.*?)</tr>', page, re.S)
    return {int(survey_id): row for survey_id, row in rows}


def test_both_lists_say_when_each_doctor_was_last_reminded_in_one_statement(
    app, runner, users, count_queries
):
    cohort, doctors = _ended_cohort()
    _run(runner, "follow-up-surveys", SENT_ON)
    director = _director(app.test_client(), users)
    cohort_page = f"/cohorts/{cohort.id}/follow-up"
    reminded, waiting = _survey_of(doctors[1]), _survey_of(doctors[2])
    remind = f"/follow-up/enrollments/{reminded.enrollment_id}/remind"
    done = director.submit(remind, {"months": "3", "next": cohort_page}, page=cohort_page)
    assert done.status_code == 302
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "follow_up.reminded")
    ).one()
    shown = f"reminded {localisation.format_day(event.created_at.date(), 'en')}"
    for path in (cohort_page, "/follow-up"):
        with count_queries() as statements:
            rows = _rows_by_survey(_page(director.get(path)))
        assert shown in rows[reminded.id] and "Remind" in rows[reminded.id], path
        assert "reminded" not in rows[waiting.id] and "Remind" in rows[waiting.id], path
        # the director, (the cohort,) the totals, the surveys with their last reminders
        assert len([s for s in statements if not s.startswith("BEGIN")]) == (
            4 if path == cohort_page else 3
        )


# --- the cohort's setting -------------------------------------------------------------------


def _cohort_fields(cohort, months: str) -> dict:
    return {
        "name": cohort.name,
        "origin_country": "Kazakhstan",
        "start_date": cohort.start_date.isoformat(),
        "end_date": cohort.end_date.isoformat(),
        "hours_per_day": "6",
        "attendance_percent": "80",
        "follow_up_months": months,
    }


def test_the_director_sets_the_follow_up_months_and_bad_input_is_explained(app, client, users):
    cohort = factories.make_cohort()
    director = _director(client, users)
    url = f"/cohorts/{cohort.id}/edit"
    assert 'value="3,6,12"' in _page(director.get(url))
    for months, message in [
        ("3,x", "“x” is not a whole number of months"),
        ("3,0", "0 months is out of range: each must be from 1 to 60."),
        ("61", "61 months is out of range"),
        ("", "Give at least one month, e.g. 3,6,12."),
        ("2.5", "“2.5” is not a whole number of months"),
    ]:
        refused = director.submit(url, _cohort_fields(cohort, months))
        assert refused.status_code == 200 and message in _page(refused), months
    saved = director.submit(url, _cohort_fields(cohort, " 12, 6 ,6"))
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(cohort), cohort.id).follow_up_months == "6,12"


def test_a_cohorts_own_months_decide_when_its_doctors_are_asked(runner):
    _ended_cohort(END, follow_up_months="1")
    assert "'surveys_sent': 0" in _run(runner, "follow-up-surveys", date(2025, 9, 29))
    assert "'surveys_sent': 3" in _run(runner, "follow-up-surveys", date(2025, 9, 30))
    assert "'surveys_sent': 0" in _run(runner, "follow-up-surveys", date(2025, 11, 30))


# --- who sees what --------------------------------------------------------------------------


def test_a_coordinator_or_a_doctor_cannot_see_the_non_responders(app, runner, users):
    cohort, doctors = _ended_cohort()
    _run(runner, "follow-up-surveys", SENT_ON)
    survey = _survey_of(doctors[1])
    for role in ("coordinator", "doctor"):
        client = app.test_client()
        login_as(client, users[role])
        for url in ("/follow-up", f"/cohorts/{cohort.id}/follow-up",
                    f"/follow-up/doctors/{doctors[1].id}"):  # fmt: skip
            response = client.get(url)
            assert response.status_code in (403, 404), (role, url)
            assert doctors[1].last_name not in _page(response)
        remind = client.submit(
            f"/follow-up/enrollments/{survey.enrollment_id}/remind", {"months": "3"},
            page="/account/password",
        )  # fmt: skip
        assert remind.status_code == 403
    assert _mails("follow_up_reminder") == []


def test_a_doctor_with_a_login_finds_the_survey_at_home_until_answering(app, runner, users):
    _cohort, doctors = _ended_cohort()
    login = factories.make_user(Role.DOCTOR, doctor_id=doctors[0].id, language=Language.EN)
    _run(runner, "follow-up-surveys", SENT_ON)
    doctor = app.test_client()
    login_as(doctor, login)
    home = _page(doctor.get("/"))
    assert "Follow-up survey to answer" in home
    (path,) = re.findall(r'href="(/follow-up/answer/[^"]+)"', home)
    assert doctor.submit(path, ANSWER).status_code == 302
    assert "Follow-up survey to answer" not in _page(doctor.get("/"))
    # the doctor's own notice is also listed in the app, at the login's address
    (notice,) = [m for m in _mails() if m.user_id is not None]
    assert notice.user_id == login.id and notice.to_email == login.email
    assert notice.subject in _page(doctor.get("/notifications"))


# --- what the director reads, and what other features ask -----------------------------------


def _answer(client, doctor, **changes) -> None:
    (mail,) = [m for m in _mails() if m.to_email == doctor.email]
    assert client.submit(_link(mail), {**ANSWER, **changes}).status_code == 302


def test_the_director_reads_each_answer_and_the_totals(app, client, runner, users):
    cohort, doctors = _ended_cohort()
    _run(runner, "follow-up-surveys", SENT_ON)
    _answer(client, doctors[0])  # 40 patients, 5 colleagues, would recommend
    _answer(client, doctors[1], patients_treated="12", colleagues_taught="0",
            would_recommend="no", comment="Too short")  # fmt: skip
    director = _director(app.test_client(), users)
    page = _page(director.get(f"/cohorts/{cohort.id}/follow-up"))
    totals = page.split('class="table table-cards table-sm bg-white follow-up-totals"')[1]
    cells = re.findall(r"<td>([^<]*)</td>", totals.split("</tr>")[1])
    # 3 months · asked 3 · answered 2 · 67 % · 52 patients · 5 colleagues · 50 % (1/2)
    assert cells[:6] == ["3 months", "3", "2", "67 %", "52", "5"], cells
    assert "50 % (1/2)" in totals
    assert page.count("not answered") == 1
    assert f'href="/cohorts/{cohort.id}/follow-up"' in _page(director.get(f"/cohorts/{cohort.id}"))
    answers = _page(director.get(f"/follow-up/doctors/{doctors[1].id}"))
    assert "Too short" in answers and "Ultrasound-guided nerve blocks" in answers
    overview = _page(director.get("/follow-up"))
    assert cohort.name in overview and "Doc2" in overview and "Doc1" not in overview
    answered = _page(director.get("/follow-up?state=answered"))
    assert "Doc1" in answered and "Doc2" not in answered


def test_the_overview_totals_the_cohorts_that_ended_last_and_every_one_on_request(
    app, runner, users, monkeypatch
):
    from somet.followup import views

    monkeypatch.setattr(views, "LATEST_COHORTS", 2)
    names = ["Oldest cohort", "Middle cohort", "Latest cohort"]
    for days_earlier, name in zip((20, 10, 0), names, strict=True):
        _ended_cohort(RECENT_END - timedelta(days=days_earlier), name=name)
    _run(runner, "follow-up-surveys", SENT_ON)
    director = _director(app.test_client(), users)

    def totals_of(path):
        page = _page(director.get(path))
        return page, page.split("follow-up-totals")[1].split("</table>")[0]

    page, totals = totals_of("/follow-up")
    assert "Latest cohort" in totals and "Middle cohort" in totals
    assert "Oldest cohort" not in totals
    assert "Only the 2 cohorts that ended last are shown." in page
    assert 'href="/follow-up?state=open&cohorts=all#totals"' in page
    page, totals = totals_of("/follow-up?state=open&cohorts=all")
    assert all(name in totals for name in names)
    assert "cohorts that ended last" not in page
    # the surveys' tabs keep every cohort's totals
    assert 'href="/follow-up?state=answered&cohorts=all#surveys"' in page


def test_the_overview_pages_the_surveys_last_sent_first_without_counting_them(
    app, runner, users, monkeypatch, count_queries
):
    from somet.followup import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    _ended_cohort()  # three doctors asked
    _run(runner, "follow-up-surveys", SENT_ON)
    director = _director(app.test_client(), users)
    with count_queries() as statements:
        newest = _page(director.get("/follow-up"))
    # the director, the totals, the page of surveys with their reminders: no count of them all
    assert len([s for s in statements if not s.startswith("BEGIN")]) == 3
    assert "Page 1 of" not in newest
    first = re.findall(r'data-survey="(\d+)"', newest)
    assert len(first) == 2 and int(first[0]) > int(first[1])  # the last sent first
    (older,) = re.findall(r'href="(/follow-up\?[^"]*before=\d+[^"]*)"', newest)
    rest = re.findall(r'data-survey="(\d+)"', _page(director.get(older)))
    assert len(rest) == 1 and int(rest[0]) < int(first[1])


def test_other_features_read_outcomes_per_offset_and_a_doctors_answers(app, client, runner):
    from somet.followup.queries import answers_for_doctor, outcomes_for_enrollments
    from somet.models import Enrollment

    cohort, doctors = _ended_cohort()
    _run(runner, "follow-up-surveys", SENT_ON)
    _answer(client, doctors[0])
    _answer(client, doctors[2], patients_treated="3", colleagues_taught="1", would_recommend="no")
    ids = select(Enrollment.id).where(Enrollment.cohort_id == cohort.id)
    (three,) = outcomes_for_enrollments(ids).values()
    assert (three.months_after, three.asked, three.answered, three.not_answered) == (3, 3, 2, 1)
    assert (three.patients_treated, three.colleagues_taught) == (43, 6)
    assert (three.recommend_yes, three.recommend_no, three.response_rate) == (1, 1, 67)
    assert outcomes_for_enrollments([]) == {}
    (answer,) = answers_for_doctor(doctors[0].id)
    assert (answer.cohort_id, answer.months_after, answer.patients_treated) == (cohort.id, 3, 40)
    assert answers_for_doctor(doctors[3].id) == []  # withdrawn: never asked


def test_the_cohorts_follow_up_page_reads_the_same_statements_for_3_or_30_doctors(
    app, runner, users, count_queries
):
    small, _ = _ended_cohort()
    large = factories.make_cohort(start_date=RECENT_END - timedelta(days=11), end_date=RECENT_END,
                                  status="completed")  # fmt: skip
    for n in range(30):
        factories.make_enrollment(large, factories.make_doctor(last_name=f"Many{n}"),
                                  status=EnrollmentStatus.COMPLETED)  # fmt: skip
    _run(runner, "follow-up-surveys", SENT_ON)
    director = _director(app.test_client(), users)
    counts = []
    for cohort in (small, large):
        with count_queries() as statements:
            assert director.get(f"/cohorts/{cohort.id}/follow-up").status_code == 200
        counts.append(len(statements))
    with count_queries() as statements:
        assert director.get("/follow-up?state=all").status_code == 200
    assert counts[0] == counts[1], counts
    assert len(statements) <= counts[0] + 2


def test_the_demos_past_cohort_has_3_month_answers_and_two_non_responders(app, runner, users):
    assert runner.invoke(args=["demo"]).exit_code == 0
    from somet.models import Cohort, Enrollment

    cohort = db.session.scalar(select(Cohort).where(Cohort.name.like("%2025")))
    surveys = db.session.scalars(
        select(FollowUpSurvey)
        .join(Enrollment, Enrollment.id == FollowUpSurvey.enrollment_id)
        .where(Enrollment.cohort_id == cohort.id)
    ).all()
    assert {s.months_after for s in surveys} == {3}
    assert all(s.due_on == date(2026, 2, 13) for s in surveys)
    assert sum(s.answered_at is not None for s in surveys) == 3 and len(surveys) == 5
    reminders = _mails("follow_up_reminder")
    assert len(reminders) == 2  # the week's reminder, to the two who have not answered
    director = app.test_client()
    login_as(director, SimpleNamespace(email="director@example.org"), password=DEMO_PASSWORD)
    page = _page(director.get(f"/cohorts/{cohort.id}/follow-up"))
    assert page.count("not answered") == 2 and "60 %" in page
