"""The doctor's calendar feed: parsed back with icalendar, revocable, updated on changes."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import select, update

from somet.masterclasses import operations as masterclasses
from somet.models import (
    Department,
    Doctor,
    Hospital,
    Language,
    Placement,
    PlacementStatus,
    Registration,
    RegistrationStatus,
    Role,
    User,
)
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    make_department,
    make_enrollment,
    make_hospital,
    make_masterclass,
    make_placement,
    make_registration,
    make_user,
)


def _doctor_with_plan():
    hospital = make_hospital(timezone="Asia/Jerusalem", address="8 HaAliya St")
    department = make_department(hospital, name="Neurosurgery", supervisor_name="Prof. Zaaroor")
    enrollment = make_enrollment()
    confirmed = make_placement(
        enrollment,
        department,
        start_date=date(2027, 3, 7),
        end_date=date(2027, 3, 11),
        status=PlacementStatus.CONFIRMED,
    )
    requested = make_placement(enrollment, start_date=date(2027, 3, 14), end_date=date(2027, 3, 16))
    doctor = db.session.get(Doctor, enrollment.doctor_id)
    # 10:00–16:00 in Almaty (UTC+5) is 05:00–11:00 UTC.
    almaty = make_masterclass(
        title="Laparoscopy",
        timezone="Asia/Almaty",
        starts_at=datetime(2027, 4, 2, 5, 0, tzinfo=UTC),
        ends_at=datetime(2027, 4, 2, 11, 0, tzinfo=UTC),
    )
    make_registration(almaty, doctor)
    waitlisted = make_masterclass(title="Waiting only")
    make_registration(waitlisted, doctor, status=RegistrationStatus.WAITLISTED)
    user = make_user(Role.DOCTOR, doctor_id=doctor.id)
    return user, confirmed, requested, almaty


def _subscribe(client) -> str:
    client.submit("/my/calendar/token", {}, page="/my/calendar")
    html = client.get("/my/calendar").get_data(as_text=True)
    token = db.session.get(Doctor, client.doctor_id).calendar_token
    assert f"webcal://127.0.0.1:5000/calendar/{token}.ics" in html
    return f"/calendar/{token}.ics"


def _events(ics: bytes) -> dict:
    calendar = Calendar.from_ical(ics)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def _logged_in(client, user):
    login_as(client, user)
    client.doctor_id = user.doctor_id
    return client


def test_feed_has_confirmed_placements_and_registered_masterclasses_in_their_zones(client):
    user, confirmed, _requested, almaty = _doctor_with_plan()
    url = _subscribe(_logged_in(client, user))
    client.submit("/logout", {}, page="/my/calendar")  # a calendar app has no session
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    events = _events(response.data)
    assert set(events) == {
        f"placement-{confirmed.id}@127.0.0.1",
        f"masterclass-{almaty.id}@127.0.0.1",
    }
    stay = events[f"placement-{confirmed.id}@127.0.0.1"]
    assert stay.decoded("dtstart") == date(2027, 3, 7)
    assert stay.decoded("dtend") == date(2027, 3, 12)  # exclusive end: the 11th is included
    assert "Neurosurgery" in str(stay["summary"]) and "Prof. Zaaroor" in str(stay["description"])
    session = events[f"masterclass-{almaty.id}@127.0.0.1"]
    start = session.decoded("dtstart")
    assert start.tzinfo is not None and str(session["dtstart"].params["TZID"]) == "Asia/Almaty"
    assert start.astimezone(ZoneInfo("Asia/Almaty")).hour == 10
    assert start == datetime(2027, 4, 2, 5, 0, tzinfo=UTC)
    assert session.decoded("dtend") == datetime(2027, 4, 2, 11, 0, tzinfo=UTC)
    zones = [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")]
    assert zones == ["Asia/Almaty"]


def test_changing_a_placement_keeps_its_uid_and_raises_its_sequence(client):
    user, confirmed, _, _ = _doctor_with_plan()
    url = _subscribe(_logged_in(client, user))
    uid = f"placement-{confirmed.id}@127.0.0.1"
    before = _events(client.get(url).data)[uid]
    placement = db.session.get(Placement, confirmed.id)
    placement.end_date = date(2027, 3, 12)
    placement.updated_at = placement.updated_at + timedelta(seconds=5)
    db.session.commit()
    after = _events(client.get(url).data)[uid]
    assert after.decoded("dtend") == date(2027, 3, 13)
    assert int(after["sequence"]) > int(before["sequence"])


def test_revoked_or_replaced_feed_address_is_a_404(client):
    user, *_ = _doctor_with_plan()
    _logged_in(client, user)
    old = _subscribe(client)
    new = _subscribe(client)  # a new address replaces the old one
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    client.submit("/my/calendar/token/revoke", {}, page="/my/calendar")
    assert client.get(new).status_code == 404
    assert client.get("/calendar/.ics").status_code == 404
    assert "Create my calendar address" in client.get("/my/calendar").get_data(as_text=True)


def test_one_off_download_is_the_logged_in_doctors_own_calendar(client):
    user, confirmed, _, _ = _doctor_with_plan()
    _doctor_with_plan()  # another doctor, whose plan must not leak in
    _logged_in(client, user)
    response = client.get("/my/calendar.ics")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    events = _events(response.data)
    assert f"placement-{confirmed.id}@127.0.0.1" in events and len(events) == 2


def test_moving_a_masterclass_keeps_its_uid_and_raises_its_sequence(client, users):
    user, _, _, almaty = _doctor_with_plan()
    db.session.execute(  # registered an hour ago (SEQUENCE counts seconds)
        update(Registration).values(updated_at=datetime.now(UTC) - timedelta(hours=1))
    )
    db.session.commit()
    url = _subscribe(_logged_in(client, user))
    uid = f"masterclass-{almaty.id}@127.0.0.1"
    before = _events(client.get(url).data)[uid]
    later = datetime(2027, 4, 3, 5, 0, tzinfo=UTC)
    masterclasses.update_masterclass(
        db.session.get(User, users["director"].id),
        almaty.id,
        masterclasses.MasterclassFields(
            title="Laparoscopy",
            lead_specialist="Prof. Visiting",
            venue="Hall B",
            city="Almaty",
            country="Kazakhstan",
            timezone="Asia/Almaty",
            starts_at=later,
            ends_at=later + timedelta(hours=6),
            capacity=10,
            credit_hours=6.0,
        ),
    )
    after = _events(client.get(url).data)[uid]
    assert after.decoded("dtstart") == later
    assert int(after["sequence"]) > int(before["sequence"])


def test_feed_speaks_the_doctors_language_names_its_host_and_says_each_place_once(app, client):
    user, confirmed, _requested, almaty = _doctor_with_plan()
    db.session.execute(
        update(Hospital)
        .where(Hospital.id == select(Department.hospital_id)
               .where(Department.id == confirmed.department_id).scalar_subquery())
        .values(address="8 HaAliya St, Haifa", city="Haifa")
    )
    db.session.execute(update(User).where(User.id == user.id).values(language=Language.RU))
    db.session.commit()
    app.config["SOMET_PUBLIC_URL"] = "https://somet.example.org"
    url = _subscribe_at(_logged_in(client, user), "https://somet.example.org")
    client.submit("/logout", {}, page="/my/calendar")

    events = _events(client.get(url).data)

    stay = events[f"placement-{confirmed.id}@somet.example.org"]
    assert str(stay["location"]) == "8 HaAliya St, Haifa"
    description = str(stay["description"])
    assert "Отделение: Neurosurgery" in description
    assert "Иерусалим" in description and "Asia/Jerusalem" not in description
    session = events[f"masterclass-{almaty.id}@somet.example.org"]
    assert str(session["summary"]) == "Мастер-класс: Laparoscopy"


def _subscribe_at(client, public_url: str) -> str:
    client.submit("/my/calendar/token", {}, page="/my/calendar")
    token = db.session.get(Doctor, client.doctor_id).calendar_token
    return f"/calendar/{token}.ics"
