"""A cohort's whole life, from an empty database, through HTTP and the command line only.

No factories and no model writes: every user acts through the pages (logging in through the
real login form) and the e-mails in the admin's outbox; the nightly jobs run as of each day of
the stay (``flask jobs run-now JOB --as-of DAY``). The stay lies in the past of the real clock,
because a host records attendance only for days that have come; the open masterclass lies
around the real now, because a guest registers before it starts and attends while it runs.
"""

from __future__ import annotations

import html
import io
import itertools
import re
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pypdf
from openpyxl import Workbook

from somet.cohorts.rules.roster import COLUMNS
from tests.conftest import login_as
from tests.test_reports_dashboard import _table

PASSWORD = "journey-through-haifa"
ADMIN, DIRECTOR = "admin@somet.example.org", "director@somet.example.org"
COORDINATOR = "coordinator@rambam.example.org"
DOCTORS = 20
ABSENT_DAYS = 2  # of 5: 60 %, below the cohort's 80 %
ABSENT_NUMBER = 7
ABSENT_DOCTOR = "Yerlan07 Bekov"
DECLINE_REASON = "The ward is closed for renovation"
LINK_RE = re.compile(r"https?://[^/\s\"<>]+(/[^\s\"<>]+)")  # what the user clicks, on this host
ZONE = "Asia/Jerusalem"
_ADDRESSES = itertools.count(1)


def _stay() -> list[date]:
    """Sunday to Thursday of a week that has passed (Israeli hospitals work Sun-Thu)."""
    today = date.today()
    sunday = today - timedelta(days=(today.weekday() + 1) % 7 + 14)
    return [sunday + timedelta(days=n) for n in range(5)]


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def _device(app):
    """A user's own browser, from its own address (logins are rate-limited per address)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"10.0.{next(_ADDRESSES)}.1"
    return client


def _logged_in(app, email: str, password: str = PASSWORD):
    client = _device(app)
    login_as(client, SimpleNamespace(email=email), password=password)
    return client


def _mail_links(admin, recipient: str, subject: str) -> list[list[str]]:
    """The links of each e-mail to ``recipient`` whose subject has ``subject``, newest first."""
    outbox = _page(admin, f"/notifications/outbox?recipient={recipient}")
    mails = outbox.split('<article class="card mb-2"')[1:]
    found = []
    for mail in mails:
        if subject in mail.split("</h2>")[0]:
            found.append(list(dict.fromkeys(LINK_RE.findall(mail))))
    assert found, f"no e-mail “{subject}” to {recipient}"
    return found


def _accept_invitation(app, admin, email: str, subject: str) -> None:
    (link,) = [x for x in _mail_links(admin, email, subject)[0] if "/invitations/" in x]
    visitor = _device(app)
    assert email in _page(visitor, link)
    answer = visitor.submit(link, {"password": PASSWORD, "confirm": PASSWORD})
    assert answer.status_code == 302


# --- the administrator ----------------------------------------------------------------------


def admin_installs_somet(app, runner):
    result = runner.invoke(args=["users", "create-admin", ADMIN, "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    return _logged_in(app, ADMIN)


def admin_creates_hospital(admin, name: str, city: str, departments: list[str]) -> int:
    hospital = {"name": name, "city": city, "country": "Israel", "timezone": ZONE,
                "working_weekdays": ["6", "0", "1", "2", "3"]}  # fmt: skip
    created = admin.submit("/hospitals/new", hospital)
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    hospital_id = int(created.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    for department in departments:
        fields = {"name": department, "specialty": "general-surgery", "capacity": "12",
                  "supervisor_name": "Dana Mizrahi", "supervisor_email": COORDINATOR,
                  "supervisor_language": "en", "languages": "en,ru"}  # fmt: skip
        url = f"/hospitals/{hospital_id}/departments/new"
        assert admin.submit(url, fields).status_code == 302
    assert all(d in _page(admin, f"/hospitals/{hospital_id}") for d in departments)
    return hospital_id


def admin_invites(admin, email: str, name: str, role: str, hospital_id: int = 0) -> None:
    invitation = {"email": email, "full_name": name, "role": role, "language": "en",
                  "hospital_id": str(hospital_id), "doctor_id": "0"}  # fmt: skip
    page = admin.submit("/admin/users/invite", invitation)
    assert "Invitation created" in page.get_data(as_text=True)


# --- the director ---------------------------------------------------------------------------


def director_creates_cohort(director, host_id: int, stay: list[date]) -> str:
    cohort = {"name": "Abay surgeons", "origin_country": "Kazakhstan", "hosts": [str(host_id)],
              "origin_region": "Abay region", "start_date": stay[0].isoformat(),
              "end_date": stay[-1].isoformat(), "hours_per_day": "6",
              "attendance_percent": "80", "auto_issue_certificates": "y"}  # fmt: skip
    created = director.submit("/cohorts/new", cohort)
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    return created.headers["Location"].replace("http://somet.test", "")


def _roster_xlsx(stay: list[date]) -> bytes:
    sheet_book = Workbook()
    sheet = sheet_book.active
    sheet.append([label for _key, label in COLUMNS])
    for n in range(1, DOCTORS + 1):
        row = {"first_name": f"Yerlan{n:02d}", "last_name": "Bekov", "specialty": "general-surgery",
               "native_name": f"Ерлан Беков {n}", "email": f"yerlan{n:02d}@example.kz",
               "region": "Abay region", "licence_number": f"KZ-{n:05d}",
               "passport_number": f"N{n:08d}", "arrival_date": stay[0].isoformat(),
               "departure_date": stay[-1].isoformat()}  # fmt: skip
        sheet.append([row.get(key, "") for key, _label in COLUMNS])
    out = io.BytesIO()
    sheet_book.save(out)
    return out.getvalue()


def director_imports_roster(director, cohort: str, stay: list[date]) -> str:
    upload = {"file": (io.BytesIO(_roster_xlsx(stay)), "roster.xlsx")}
    preview = director.submit(f"{cohort}/roster/import", upload, content_type="multipart/form-data")
    assert preview.status_code == 302, preview.get_data(as_text=True)[:2000]
    token = preview.headers["Location"].rsplit("/", 1)[1]
    assert "Yerlan20" in _page(director, preview.headers["Location"])
    confirmed = director.submit(
        f"{cohort}/roster/import/confirm", {"token": token}, page=preview.headers["Location"]
    )
    assert confirmed.status_code == 302
    return confirmed.headers["Location"].replace("http://somet.test", "")


def director_sets_curriculum(director, cohort: str) -> None:
    page = f"{cohort}/curriculum"
    departments = re.findall(r'name="new-(dept_\d+)"', _page(director, page))
    assert len(departments) == 2
    item = {"new-name": "Surgical rotation", "new-specialty_mode": "departments",
            "new-specialty": "", "new-days": "5", "new-required": "y", "new-weight": "5",
            **{f"new-{field}": "3" for field in departments}}  # fmt: skip
    assert director.submit(f"{page}/new", item, page=page).status_code == 302
    assert "Surgical rotation" in _page(director, cohort)


def director_plans(director, cohort: str, expected: int) -> None:
    timeline = f"{cohort}/timeline"
    assert director.submit(f"{cohort}/plan", {}, page=timeline).status_code == 302
    proposed = "placement proposed" if expected == 1 else "placements proposed"
    assert f"Planned: {expected} {proposed}." in _page(director, timeline)


def director_sends_requests(director, cohort: str, expected: int) -> None:
    timeline = f"{cohort}/timeline"
    director.submit(f"{cohort}/send", {}, page=timeline)
    sent = "request sent" if expected == 1 else "requests sent"
    assert f"{expected} {sent} to the host hospitals." in _page(director, timeline)


def director_invites_doctors_to_portal(director, result_page: str, cohort: str) -> None:
    """The import's result page offers the portal to the new doctors: one click."""
    page = _page(director, result_page)
    assert f"Invite the {DOCTORS} new doctors to the portal" in page
    ticked = re.findall(r'name="enrollment_ids" value="(\d+)"', page)
    invite = {"enrollment_ids": ticked, "invite_selected": "1"}
    invited = director.submit(f"{cohort}/roster/portal-invitations", invite, page=result_page)
    shown = _page(director, invited.headers["Location"])
    assert f"{DOCTORS} doctors are invited to the portal." in shown


def director_moves_cohort_to(director, cohort: str, status: str) -> None:
    director.submit(f"{cohort}/status", {"target": status, "reason": ""}, page=cohort)
    heading = _page(director, cohort).split("</h1>")[0]
    assert f">{status}<" in heading, heading[-500:]


# --- the host coordinator -------------------------------------------------------------------


def coordinator_answers_by_links(app, admin, decline_one: bool) -> int:
    """Open each one-tap link of the newest request e-mails; decline the first if asked."""
    host = _device(app)  # a supervisor answers from the e-mail, without logging in
    links = [link for mail in _mail_links(admin, COORDINATOR, "please confirm")
             for link in mail if "/requests/respond/" in link]  # fmt: skip
    answered = 0
    for n, link in enumerate(links):
        if host.get(link).status_code == 410:
            continue  # answered already (an older e-mail of the first round)
        if decline_one and n == 0:
            answer = {"decline": "Decline", "reason": DECLINE_REASON}
        else:
            answer = {"confirm": "Confirm"}
        assert host.submit(link, answer).status_code == 302
        thanked = host.get(link).get_data(as_text=True)  # the spent link thanks, once
        assert "Thank you: your answer is recorded." in thanked
        answered += 1
    return answered


def coordinator_records_day(coordinator, day: date, absent_doctor: str, absent: bool) -> None:
    weeks = _page(coordinator, "/attendance")
    for grid in dict.fromkeys(re.findall(r'href="(/attendance/departments/\d+/weeks/[\d-]+)"',
                                         weeks)):  # fmt: skip
        page = _page(coordinator, grid)
        marks = {}
        for row in page.split('<th scope="row">')[1:]:
            cell = re.search(rf'name="(c\d+_{day:%Y%m%d})"', row)
            if cell:
                missing = absent and row.startswith(absent_doctor)
                marks[cell.group(1)] = "absent" if missing else "present"
        saved = coordinator.submit(grid, marks, follow_redirects=True)
        assert "Attendance saved" in saved.get_data(as_text=True)


# --- the doctors ----------------------------------------------------------------------------


def doctor_joins_and_confirms(app, admin, n: int):
    email = f"yerlan{n:02d}@example.kz"
    _accept_invitation(app, admin, email, "Вас приглашают на портал SOMET")
    doctor = _logged_in(app, email)
    home = _page(doctor, "/")
    assert "Участие: приглашён(а)" in home  # the doctors from Kazakhstan read Russian
    (action,) = re.findall(r'action="(/my/enrollments/\d+/confirm)"', home)
    doctor.submit(action, {}, page="/")
    assert "Участие: участие подтверждено" in _page(doctor, "/")
    return doctor


def run_job(runner, job: str, day: date) -> str:
    result = runner.invoke(args=["jobs", "run-now", job, "--as-of", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


# --- the story ------------------------------------------------------------------------------


def test_a_cohort_lives_from_an_empty_database_to_verified_certificates(app, runner):
    stay = _stay()
    admin = admin_installs_somet(app, runner)
    rambam = admin_creates_hospital(
        admin, "Rambam", "Haifa", ["General surgery", "Vascular surgery"]
    )
    hadassah = admin_creates_hospital(admin, "Hadassah", "Jerusalem", ["Trauma surgery"])
    admin_invites(admin, DIRECTOR, "Ruth Cohen", "director")
    admin_invites(admin, COORDINATOR, "Dana Mizrahi", "coordinator", rambam)
    for email in (DIRECTOR, COORDINATOR):
        _accept_invitation(app, admin, email, "You are invited to SOMET")
    director, coordinator = _logged_in(app, DIRECTOR), _logged_in(app, COORDINATOR)

    cohort = director_creates_cohort(director, rambam, stay)
    imported = director_imports_roster(director, cohort, stay)
    director_sets_curriculum(director, cohort)
    director_plans(director, cohort, expected=DOCTORS)
    director_invites_doctors_to_portal(director, imported, cohort)
    director_sends_requests(director, cohort, expected=DOCTORS)

    assert coordinator_answers_by_links(app, admin, decline_one=True) == DOCTORS
    assert DECLINE_REASON in _page(director, f"{cohort}/timeline")
    director_plans(director, cohort, expected=1)  # the confirmed 19 stay where they are
    director_sends_requests(director, cohort, expected=1)
    assert coordinator_answers_by_links(app, admin, decline_one=False) == 1
    director_moves_cohort_to(director, cohort, "planning")
    director_moves_cohort_to(director, cohort, "scheduled")

    doctors = {n: doctor_joins_and_confirms(app, admin, n) for n in range(1, DOCTORS + 1)}

    for n, day in enumerate(stay):
        run_job(runner, "nightly-lifecycle", day)
        coordinator_records_day(coordinator, day, ABSENT_DOCTOR, absent=n < ABSENT_DAYS)
    after = stay[-1] + timedelta(days=1)
    settled = run_job(runner, "nightly-lifecycle", after)
    assert "'enrollments_completed': 19, 'enrollments_incomplete': 1" in settled

    director_reads_the_outcome_on_the_roster(director, cohort)
    director_reads_the_outcome_on_the_dashboard(director, stay[-1].year)
    doctors_read_the_outcome_at_home(doctors)
    issued = run_job(runner, "auto-issue-certificates", after)
    assert "'issued': 19" in issued and "present 3 of the 4 days needed" in issued
    holders_are_notified_and_one_downloads_and_verifies(app, admin, doctors)
    guest_attends_an_open_masterclass(app, admin, director, runner, hadassah)


# --- after the stay -------------------------------------------------------------------------


def director_reads_the_outcome_on_the_roster(director, cohort: str) -> None:
    roster = _page(director, cohort)
    assert roster.count("Participation: completed") == DOCTORS - 1
    assert roster.count("Participation: incomplete") == 1
    assert roster.count("Has a login") == DOCTORS
    assert "Surgical rotation: present 3 of the 4 days needed." in roster


def director_reads_the_outcome_on_the_dashboard(director, year: int) -> None:
    """The year the cohort ended: 19 doctors trained, 19 of the 20 judged completed."""
    page = _page(director, "/reports/dashboard")
    assert [row[:2] for row in _table(page, "trained")] == [[str(year), str(DOCTORS - 1)]]
    assert [row[:2] for row in _table(page, "completion")] == [[str(year), "95"]]


def doctors_read_the_outcome_at_home(doctors: dict) -> None:
    for n, doctor in doctors.items():
        home = _page(doctor, "/")
        if n == ABSENT_NUMBER:
            assert "Участие: программа не завершена" in home
            assert "Surgical rotation: присутствовал(а) 3 из необходимых 4 дней." in home
        else:
            assert "Участие: программа пройдена" in home


def holders_are_notified_and_one_downloads_and_verifies(app, admin, doctors: dict) -> None:
    for n in doctors:
        email = f"yerlan{n:02d}@example.kz"
        if n == ABSENT_NUMBER:
            outbox = _page(admin, f"/notifications/outbox?recipient={email}")
            assert "Ваш сертификат SOMET" not in outbox
            continue
        download, verify = _mail_links(admin, email, "Ваш сертификат SOMET")[0]
        assert download.endswith("/download") and verify.startswith("/verify/")
    download, verify = _mail_links(admin, "yerlan01@example.kz", "Ваш сертификат SOMET")[0]
    pdf = doctors[1].get(download)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert doctors[2].get(download).status_code == 404  # another holder's certificate
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Yerlan01 Bekov" in text and "Credit hours: 30" in text
    code = verify.rsplit("/", 1)[1]
    assert code in re.sub(r"\s", "", text)  # printed beside the QR code (which may wrap)
    verification = _page(_device(app), verify)  # anyone, without a login
    assert "Valid certificate SOMET-" in verification and "Yerlan01 Bekov" in verification


# --- the guest ------------------------------------------------------------------------------


def _local(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%dT%H:%M")


def _masterclass_form(starts: datetime, hours: int, hospital_id: int) -> dict:
    return {"title": "Difficult airway", "lead_specialist": "Prof. Avi Levin",
            "venue": "Conference hall", "city": "Jerusalem", "country": "Israel",
            "timezone": ZONE, "starts_local": _local(starts),
            "ends_local": _local(starts + timedelta(hours=hours)), "capacity": "30",
            "credit_hours": "4", "hospital_id": str(hospital_id), "cohort_id": "0",
            "video_url": "https://meet.example.org/airway"}  # fmt: skip


def director_schedules_open_masterclass(director, starts: datetime, hospital_id: int) -> str:
    created = director.submit("/masterclasses/new", _masterclass_form(starts, 2, hospital_id))
    assert created.status_code == 302, created.get_data(as_text=True)[:3000]
    return created.headers["Location"].replace("http://somet.test", "")


def director_moves_masterclass(director, masterclass: str, starts, hospital_id: int) -> None:
    moved = director.submit(f"{masterclass}/edit", _masterclass_form(starts, 1, hospital_id))
    assert moved.status_code == 302
    assert "The masterclass is saved." in _page(director, masterclass)


def guest_attends_an_open_masterclass(app, admin, director, runner, hospital_id: int) -> None:
    now = datetime.now(ZoneInfo(ZONE))
    masterclass = director_schedules_open_masterclass(
        director, now + timedelta(days=1), hospital_id
    )
    guest, public = _device(app), f"{masterclass}/public"
    identity = {"email": "dana.levi@clinic.example.org", "licence_number": "IL-77001"}
    registration = {"first_name": "Dana", "last_name": "Levi", **identity}
    assert guest.submit(f"{public}/registration", registration, page=public).status_code == 302
    assert "open its link to confirm" in _page(guest, public)
    (link,) = [x for x in _mail_links(admin, identity["email"], "")[0] if "guest-requests" in x]
    guest.submit(link, {}, page=link)
    assert "You are registered." in _page(guest, public)
    # A guest registers only before the class and attends only while it runs: the real
    # clock cannot jump for HTTP, so the director moves the class to now (the lead is early).
    director_moves_masterclass(director, masterclass, now - timedelta(minutes=5), hospital_id)
    code = re.search(r'id="remote-code">([^<]+)<', _page(director, masterclass)).group(1)
    guest.submit(f"{public}/remote-attendance", {**identity, "code": code}, page=public)
    assert "Your remote attendance is recorded." in _page(guest, public)
    issued = run_job(runner, "auto-issue-masterclass-certificates", date.today() + timedelta(2))
    assert "'issued': 1" in issued
    (verify,) = [x for x in _mail_links(admin, identity["email"], "Your SOMET certificate")[0]
                 if x.startswith("/verify/")]  # fmt: skip
    verification = _page(_device(app), verify)
    assert "Valid certificate SOMET-" in verification
    assert "Dana Levi" in verification and "Difficult airway" in verification
