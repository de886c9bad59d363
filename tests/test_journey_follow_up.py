"""Outcomes, from a cohort's stay to the funder's report: the doctors rate the department
from the evaluation the lifecycle sent, the follow-up asks them three months on, and the
director reads the answers and the report that counts them all.

Through HTTP and the command line only (no factories, no model writes): the administrator
sets up a hospital and the people, the director runs a small cohort through its stay (its
follow-up months set on the cohort's form), the nightly jobs settle it, and then the
follow-up job (``flask jobs run-now follow-up-surveys --as-of DAY``) asks the doctors; they
answer from the e-mail in the admin's outbox, one does not and is reminded (the week's
reminder, then the director's button), and the director reads the answers, the totals and
the cohort's funder report.
"""

from __future__ import annotations

import html
import io
import re
from datetime import date, timedelta

from openpyxl import Workbook

from somet.cohorts.rules.roster import COLUMNS
from somet.followup.rules import add_months, due_on
from tests.test_journey_cohort_life import (
    COORDINATOR,
    DIRECTOR,
    _accept_invitation,
    _logged_in,
    _mail_links,
    _page,
    admin_creates_hospital,
    admin_installs_somet,
    admin_invites,
    coordinator_answers_by_links,
    coordinator_records_day,
    director_moves_cohort_to,
    director_plans,
    director_sends_requests,
    run_job,
)

DOCTORS = ("Aliya", "Bauyrzhan", "Dana")
SUBJECT = "мес. после «Abay surgeons 3»"  # the survey's subject, in Russian
ANSWERS = {
    "Aliya": {"procedures_introduced": "Laparoscopic hernia repair (TEP)",
              "patients_treated": "18", "colleagues_taught": "2", "would_recommend": "yes",
              "comment": "Thank you, Rambam!"},
    "Bauyrzhan": {"procedures_introduced": "Damage-control laparotomy",
                  "patients_treated": "7", "colleagues_taught": "4", "would_recommend": "no",
                  "comment": ""},
}  # fmt: skip


def _stay() -> list[date]:
    """Sunday to Thursday of the week that ended three months (and a few days) ago."""
    target = add_months(date.today() - timedelta(days=4), -3)
    thursday = target - timedelta(days=(target.weekday() - 3) % 7)
    return [thursday - timedelta(days=n) for n in range(4, -1, -1)]


def _roster(stay: list[date]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([label for _key, label in COLUMNS])
    for n, name in enumerate(DOCTORS, 1):
        row = {"first_name": name, "last_name": "Seitova", "specialty": "general-surgery",
               "email": f"{name.lower()}@example.kz", "licence_number": f"KZ-F{n:04d}",
               "arrival_date": stay[0].isoformat(),
               "departure_date": stay[-1].isoformat()}  # fmt: skip
        sheet.append([row.get(key, "") for key, _label in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def director_creates_cohort_with_follow_up(director, host_id: int, stay: list[date]) -> str:
    cohort = {"name": "Abay surgeons 3", "origin_country": "Kazakhstan", "hosts": [str(host_id)],
              "start_date": stay[0].isoformat(), "end_date": stay[-1].isoformat(),
              "hours_per_day": "6", "attendance_percent": "80",
              "follow_up_months": "x"}  # fmt: skip
    refused = director.submit("/cohorts/new", cohort)
    assert "“x” is not a whole number of months" in refused.get_data(as_text=True)
    created = director.submit("/cohorts/new", {**cohort, "follow_up_months": "6, 3"})
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    path = created.headers["Location"].replace("http://somet.test", "")
    assert 'value="3,6"' in _page(director, f"{path}/edit")
    return path


def director_imports_and_confirms(director, cohort: str, stay: list[date]) -> None:
    upload = {"file": (io.BytesIO(_roster(stay)), "roster.xlsx")}
    preview = director.submit(f"{cohort}/roster/import", upload, content_type="multipart/form-data")
    token = preview.headers["Location"].rsplit("/", 1)[1]
    done = director.submit(f"{cohort}/roster/import/confirm", {"token": token},
                           page=preview.headers["Location"])  # fmt: skip
    assert done.status_code == 302


def director_marks_participation(director, cohort: str) -> None:
    for action in re.findall(
        r'action="(/cohorts/\d+/roster/\d+/confirm)"', _page(director, cohort)
    ):
        assert director.submit(action, {}, page=cohort).status_code == 302
    assert _page(director, cohort).count("Participation: confirmed") == 3


def test_alumni_answer_their_follow_up_and_the_director_reads_it(app, runner):
    # The jobs run on the cohort's own dates, months back; the links of the evaluations they
    # send must still open on the real today, when the doctors answer them.
    app.config["SOMET_EVALUATION_LINK_TTL_DAYS"] = 36500
    stay = _stay()
    admin = admin_installs_somet(app, runner)
    rambam = admin_creates_hospital(admin, "Rambam", "Haifa", ["General surgery"])
    admin_invites(admin, DIRECTOR, "Ruth Cohen", "director")
    admin_invites(admin, COORDINATOR, "Dana Mizrahi", "coordinator", rambam)
    for email in (DIRECTOR, COORDINATOR):
        _accept_invitation(app, admin, email, "You are invited to SOMET")
    director, coordinator = _logged_in(app, DIRECTOR), _logged_in(app, COORDINATOR)

    cohort = director_creates_cohort_with_follow_up(director, rambam, stay)
    director_imports_and_confirms(director, cohort, stay)
    director_sets_curriculum_one_department(director, cohort)
    director_plans(director, cohort, expected=3)
    director_sends_requests(director, cohort, expected=3)
    assert coordinator_answers_by_links(app, admin, decline_one=False) == 3
    director_moves_cohort_to(director, cohort, "planning")
    director_moves_cohort_to(director, cohort, "scheduled")
    director_marks_participation(director, cohort)
    for day in stay:
        run_job(runner, "nightly-lifecycle", day)
        coordinator_records_day(coordinator, day, "nobody", absent=False)
    settled = run_job(runner, "nightly-lifecycle", stay[-1] + timedelta(days=1))
    assert "'enrollments_completed': 3" in settled
    for name in DOCTORS:  # the rotation over, each rates the department from the e-mail
        alumnus_rates_the_department(app, admin, name)

    # Three months after the end, the daily job asks each doctor, once.
    due = due_on(stay[-1], 3)
    assert "'surveys_sent': 0" in run_job(runner, "follow-up-surveys", due - timedelta(days=1))
    assert "'surveys_sent': 3" in run_job(runner, "follow-up-surveys", due)
    assert "'surveys_sent': 0" in run_job(runner, "follow-up-surveys", due + timedelta(days=1))

    for name, answers in ANSWERS.items():
        alumnus_answers_from_the_email(app, admin, name, answers)
    run_job(runner, "send-reminders", due + timedelta(days=7))
    assert len(_survey_mails(admin, "dana@example.kz", "Напоминание")) == 1
    for name in ANSWERS:
        assert not _survey_mails(admin, f"{name.lower()}@example.kz", "Напоминание")

    director_reads_and_reminds(director, cohort)
    assert len(_survey_mails(admin, "dana@example.kz", "Напоминание")) == 2
    director_reports_to_the_sponsor(director, cohort)


def alumnus_rates_the_department(app, admin, name: str) -> None:
    """The evaluation the lifecycle sent when the rotation completed, answered from the mail:
    4 of 5 on every scale, yes to recommending."""
    links = [x for mail in _mail_links(admin, f"{name.lower()}@example.kz", "")
             for x in mail if "/evaluations/answer/" in x]  # fmt: skip
    (link,) = links
    phone = app.test_client()
    form = _page(phone, link)
    answers = dict.fromkeys(set(re.findall(r'name="(q\d+)" id="[^"]*" value="4"', form)), "4")
    answers |= dict.fromkeys(set(re.findall(r'name="(q\d+)" id="[^"]*" value="yes"', form)), "yes")
    assert answers and phone.submit(link, answers).status_code == 302


def director_reports_to_the_sponsor(director, cohort: str) -> None:
    """The end of the job: the funder's report of the cohort counts what the steps above did
    (three doctors trained, their evaluations of the department, the two follow-up answers)."""
    report = _page(director, f"/reports/funder?cohort={cohort.rsplit('/', 1)[1]}")
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", report)))
    assert "Doctors trained 3" in text and "Completion rate (%) 100" in text
    assert "3 months 3 2 66.7 25 6 50" in text  # asked, answered, %, patients, colleagues, yes %
    assert "Nothing to show yet" not in text.split("Evaluations: averages per question")[1][:60]


def director_sets_curriculum_one_department(director, cohort: str) -> None:
    page = f"{cohort}/curriculum"
    (department,) = re.findall(r'name="new-(dept_\d+)"', _page(director, page))
    item = {"new-name": "Surgical rotation", "new-specialty_mode": "departments",
            "new-specialty": "", "new-days": "5", "new-required": "y", "new-weight": "5",
            f"new-{department}": "3"}  # fmt: skip
    assert director.submit(f"{page}/new", item, page=page).status_code == 302


def _survey_mails(admin, recipient: str, subject: str) -> list[list[str]]:
    outbox = _page(admin, f"/notifications/outbox?recipient={recipient}")
    return [m for m in outbox.split('<article class="card mb-2"')[1:]
            if subject in m.split("</h2>")[0]]  # fmt: skip


def alumnus_answers_from_the_email(app, admin, name: str, answers: dict) -> None:
    email = f"{name.lower()}@example.kz"
    (link,) = [x for x in _mail_links(admin, email, SUBJECT)[0] if "/follow-up/answer/" in x]
    phone = app.test_client()  # no login: the link is enough
    assert "Отправить ответы" in _page(phone, link)  # in the doctor's language
    assert phone.submit(link, answers).status_code == 302
    spent = phone.get(link)
    assert spent.status_code == 410 and "На этот опрос уже ответили" in spent.get_data(as_text=True)


def director_reads_and_reminds(director, cohort: str) -> None:
    overview = _page(director, "/follow-up")
    assert "Dana Seitova" in overview and "Aliya Seitova" not in overview
    page = _page(director, f"{cohort}/follow-up")
    totals = page.split("follow-up-totals")[1].split("</table>")[0]
    # 3 months: 3 asked, 2 answered (67 %), 18 + 7 patients, 2 + 4 colleagues, 1 of 2 yes
    cells = re.findall(r"<td>([^<]*)</td>", totals)
    assert cells == ["3 months", "3", "2", "67 %", "25", "6", "50 % (1/2)"], cells
    # The row's Remind button posts its own form as a browser would: its token and fields
    remind_form = r'<form method="post" action="/follow-up/enrollments/\d+/remind".*?</form>'
    (form,) = re.findall(remind_form, page, re.S)
    remind = re.search(r'action="([^"]+)"', form).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    assert set(fields) == {"csrf_token", "months", "next"} and fields["months"] == "3"
    done = director.post(remind, data=fields, follow_redirects=True)
    assert "Reminder sent." in done.get_data(as_text=True)
    (aliya,) = re.findall(r'href="(/follow-up/doctors/\d+)">Aliya', page)
    answers = _page(director, aliya)
    assert "Laparoscopic hernia repair (TEP)" in answers and "Thank you, Rambam!" in answers
