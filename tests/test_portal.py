"""The visiting doctor's portal: own programme only, profile, and a host's visiting doctors."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from somet.models import Doctor, Language, PlacementStatus, Role, User
from somet.portal import rules as programme
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    make_cohort,
    make_department,
    make_doctor,
    make_enrollment,
    make_hospital,
    make_masterclass,
    make_placement,
    make_registration,
    make_user,
)


def _today_in(zone: str) -> date:
    return datetime.now(ZoneInfo(zone)).date()


def _doctor_with_programme():
    hospital = make_hospital(
        name="Rambam", address="8 HaAliya HaShniya St", timezone="Asia/Jerusalem"
    )
    surgery = make_department(hospital, name="General Surgery", supervisor_name="Prof. Kluger")
    icu = make_department(hospital, name="Intensive Care", supervisor_name="Dr. Lichter")
    today = _today_in("Asia/Jerusalem")
    cohort = make_cohort(start_date=today - timedelta(days=3), name="Abay surgeons")
    enrollment = make_enrollment(cohort)
    current = make_placement(
        enrollment,
        surgery,
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=1),
        status=PlacementStatus.CONFIRMED,
    )
    upcoming = make_placement(
        enrollment,
        icu,
        start_date=today + timedelta(days=4),
        end_date=today + timedelta(days=6),
        status=PlacementStatus.REQUESTED,
    )
    user = make_user(Role.DOCTOR, doctor_id=enrollment.doctor_id)
    return user, current, upcoming


def test_doctor_sees_where_to_be_today_with_address_supervisor_and_local_time(client):
    user, _current, _upcoming = _doctor_with_programme()
    login_as(client, user)
    html = client.get("/").get_data(as_text=True)
    assert "General Surgery" in html and "Prof. Kluger" in html
    assert "8 HaAliya HaShniya St" in html
    assert "(Asia/Jerusalem)" in html  # the hospital's clock, with the zone named
    assert "Next rotation" in html and "Intensive Care" in html
    assert "awaiting the host" in html  # the requested ICU block is not shown as fixed
    assert html.count("timeline-fixed") >= 1 and "timeline-awaiting" in html


def test_doctor_cannot_open_another_doctors_placement(client):
    user, current, _ = _doctor_with_programme()
    someone_else = make_placement(status=PlacementStatus.CONFIRMED)
    login_as(client, user)
    assert client.get(f"/my/placements/{current.id}").status_code == 200
    assert client.get(f"/my/placements/{someone_else.id}").status_code == 404
    assert "Prof. Kluger" not in client.get(f"/my/placements/{someone_else.id}").get_data(
        as_text=True
    )


def test_home_of_a_doctor_does_not_show_other_doctors_rotations(client):
    user, _, _ = _doctor_with_programme()
    other_department = make_department(name="Secret Oncology Ward")
    make_placement(department=other_department, status=PlacementStatus.CONFIRMED)
    login_as(client, user)
    assert "Secret Oncology Ward" not in client.get("/").get_data(as_text=True)


def test_doctor_updates_contact_details_and_language(client):
    user, _, _ = _doctor_with_programme()
    login_as(client, user)
    response = client.submit(
        "/my/profile",
        {"email": "new@doctors.example.kz", "phone": "+7 701 555 0101", "preferred_language": "kk"},
    )
    assert response.status_code == 302
    doctor = db.session.get(Doctor, user.doctor_id)
    assert (doctor.email, doctor.phone, doctor.preferred_language) == (
        "new@doctors.example.kz",
        "+7 701 555 0101",
        Language.KK,
    )
    assert db.session.get(User, user.id).language == Language.KK


def test_profile_with_a_bad_phone_saves_nothing(client):
    user, _, _ = _doctor_with_programme()
    before = db.session.get(Doctor, user.doctor_id).phone
    login_as(client, user)
    response = client.submit(
        "/my/profile", {"email": "x@y.kz", "phone": "call me<script>", "preferred_language": "ru"}
    )
    assert response.status_code == 200 and "digits" in response.get_data(as_text=True)
    assert db.session.get(Doctor, user.doctor_id).phone == before


def test_portal_pages_are_for_doctors_only(client, users):
    login_as(client, users["coordinator"])
    assert client.get("/my/profile").status_code == 403
    assert client.get("/my/calendar").status_code == 403


def test_coordinator_sees_visiting_doctors_but_never_passport_numbers(client):
    hospital = make_hospital()
    department = make_department(hospital, name="Cardiology")
    doctor = make_doctor(passport_number="N12345678", phone="+7 701 000 1122")
    enrollment = make_enrollment(doctor=doctor)
    make_placement(enrollment, department, status=PlacementStatus.CONFIRMED)
    elsewhere = make_doctor(first_name="Elsewhere", passport_number="N99999999")
    make_placement(make_enrollment(doctor=elsewhere), status=PlacementStatus.CONFIRMED)
    coordinator = make_user(Role.COORDINATOR, hospital_id=hospital.id)
    login_as(client, coordinator)
    html = client.get("/hospital/visitors").get_data(as_text=True)
    assert doctor.latin_name in html and "Semey Medical University" in html
    assert doctor.email in html and "+7 701 000 1122" in html and "Cardiology" in html
    assert "N12345678" not in html and "345678" not in html
    assert "Elsewhere" not in html


def _home_queries(client, count_queries, user) -> int:
    client.get("/")  # warm up: first-request work is not the page's
    with count_queries() as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def _programme_of(rows: int):
    hospital = make_hospital()
    departments = [make_department(hospital) for _ in range(3)]
    enrollment = make_enrollment(make_cohort(start_date=date(2027, 1, 3)))
    for n in range(rows):
        make_placement(
            enrollment,
            departments[n % 3],
            start_date=date(2027, 1, 3) + timedelta(days=n),
            end_date=date(2027, 1, 3) + timedelta(days=n),
            status=PlacementStatus.CONFIRMED,
        )
        make_registration(make_masterclass(), db.session.get(Doctor, enrollment.doctor_id))
    return make_user(Role.DOCTOR, doctor_id=enrollment.doctor_id)


def test_doctor_home_runs_as_many_queries_for_60_rotations_as_for_10(app, count_queries):
    few, many = _programme_of(10), _programme_of(60)
    counts = []
    for user in (few, many):
        client = app.test_client()
        login_as(client, user)
        counts.append(_home_queries(client, count_queries, user))
    assert counts[0] == counts[1]


def _fake_placement(start, end, zone, status="confirmed"):
    return SimpleNamespace(
        start_date=start,
        end_date=end,
        status=status,
        timezone=zone,
        working_weekdays="6,0,1,2,3",
        cohort_id=1,
        cohort_name="C",
        cohort_start=start,
        cohort_end=end,
    )


def test_today_is_the_hospitals_date_not_utc():
    # 22:30 UTC on 9 March is already 10 March in Almaty (UTC+5).
    now = datetime(2027, 3, 9, 22, 30, tzinfo=UTC)
    almaty = _fake_placement(date(2027, 3, 10), date(2027, 3, 12), "Asia/Almaty")
    plan = programme.day_plan(0, [almaty], [], now)
    assert plan.placements == [almaty]
    assert plan.local_day == date(2027, 3, 10) and plan.local_time == "03:30 (Asia/Almaty)"
    lisbon = _fake_placement(date(2027, 3, 10), date(2027, 3, 12), "Europe/Lisbon")
    assert programme.day_plan(0, [lisbon], [], now).empty
    assert programme.day_plan(1, [lisbon], [], now).placements == [lisbon]


def test_timeline_bars_are_placed_within_the_programme():
    first = _fake_placement(date(2027, 3, 1), date(2027, 3, 5), "UTC")
    second = _fake_placement(date(2027, 3, 6), date(2027, 3, 10), "UTC", status="requested")
    first.cohort_end = second.cohort_end = date(2027, 3, 10)
    (row,) = programme.timeline([first, second])
    assert [(b.left, b.width, b.fixed) for b in row.bars] == [
        (0.0, 50.0, True),
        (50.0, 50.0, False),
    ]


def test_the_visitors_page_shows_each_visit_now_and_coming_and_earlier_ones_by_year(
    client, count_queries
):
    hospital = make_hospital()
    department = make_department(hospital, name="Cardiology")
    coordinator = make_user(Role.COORDINATOR, hospital_id=hospital.id)
    returning = make_doctor(first_name="Returning")
    past = make_cohort(hosts=[hospital], start_date=date(2025, 3, 2))
    coming = make_cohort(hosts=[hospital])  # 2027
    for cohort in (past, coming):
        make_placement(
            make_enrollment(cohort, doctor=returning), department,
            status=PlacementStatus.CONFIRMED,
            start_date=cohort.start_date, end_date=cohort.start_date + timedelta(days=4),
        )  # fmt: skip
    login_as(client, coordinator)
    now = client.get("/hospital/visitors").get_data(as_text=True)
    assert "Returning" in now and "2027" in now and "2025" not in _table(now)
    with count_queries() as one:
        earlier = client.get("/hospital/visitors?year=2025").get_data(as_text=True)
    assert "Returning" in earlier and "2025" in _table(earlier) and "2027" not in _table(earlier)
    for n in range(4):
        make_placement(
            make_enrollment(past, doctor=make_doctor(first_name=f"Colleague{n}")), department,
            status=PlacementStatus.COMPLETED,
            start_date=past.start_date, end_date=past.start_date + timedelta(days=4),
        )  # fmt: skip
    with count_queries() as five:
        earlier = client.get("/hospital/visitors?year=2025").get_data(as_text=True)
    assert "Colleague3" in earlier and len(one) == len(five)
    assert client.get("/hospital/visitors?year=2019").status_code == 404


def _table(page: str) -> str:
    return page.split("<table", 1)[1].split("</table>", 1)[0] if "<table" in page else ""
