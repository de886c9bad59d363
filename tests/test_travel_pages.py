"""The itinerary through the real app: the director's forms and import, the doctor's travel
page in three languages, the calendar feed, the messages, and who may see what."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from somet.models import Doctor, FlightLeg, HotelStay, Language, Notification, Role, RoomBooking
from somet.notifications import tasks
from somet.travel.itinerary_files import SHEETS
from somet.web.extensions import db
from tests import factories
from tests.conftest import login_as
from tests.test_notifications import smtp_server  # noqa: F401  (a real local SMTP server)

OUTBOUND = {"carrier": "Air Astana", "flight_number": "KC 323", "from_airport": "ala",
            "departs_local": "2027-03-06T06:10", "departure_timezone": "",
            "to_airport": "TLV", "arrives_local": "2027-03-06T10:05",
            "arrival_timezone": "", "booking_reference": "AB7K2Q"}  # fmt: skip
DEPARTS_UTC = datetime(2027, 3, 6, 1, 10, tzinfo=UTC)  # 06:10 in Almaty (UTC+5)
ARRIVES_UTC = datetime(2027, 3, 6, 8, 5, tzinfo=UTC)  # 10:05 in Israel (UTC+2)


@pytest.fixture
def trip(app, users):
    """A cohort hosted in Haifa with the users' doctor and one more doctor in it."""
    hospital = factories.make_hospital(address="8 HaAliya HaShniya St")
    cohort = factories.make_cohort(hosts=[hospital])
    mine = factories.make_enrollment(cohort, db.session.get(Doctor, users["doctor"].doctor_id))
    other_doctor = factories.make_doctor()
    other = factories.make_enrollment(cohort, other_doctor)
    coordinator = factories.make_user(
        Role.COORDINATOR, hospital_id=hospital.id, full_name="Noa Levi"
    )
    director = factories.make_user(Role.DIRECTOR)
    return {"cohort": cohort, "hospital": hospital, "mine": mine, "other": other,
            "coordinator": coordinator, "director": director}  # fmt: skip


def _page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def _director(app, trip):
    client = app.test_client()
    login_as(client, trip["director"])
    return client


def _add_group_flight(client, cohort_id: int, **changes) -> None:
    url = f"/cohorts/{cohort_id}/travel/legs/new"
    response = client.submit(url, {**OUTBOUND, "traveller": "", **changes})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]


EXPECTED = {  # the local times at both airports, the zone and its offset, in each language
    "en": ["6 Mar 2027 06:10 (Almaty)", "6 Mar 2027 10:05 (Jerusalem)", "Flights"],
    "ru": ["6 марта 2027, 06:10 (Алматы)", "6 марта 2027, 10:05 (Иерусалим)", "Перелёты"],
    "kk": ["2027 ж. 6 наурыз, 06:10 (Алматы)", "2027 ж. 6 наурыз, 10:05 (Иерусалим)", "Рейстер"],
}


def test_an_almaty_tel_aviv_flight_shows_local_times_at_both_ends_in_each_language(
    app, users, trip
):
    director = _director(app, trip)
    _add_group_flight(director, trip["cohort"].id)
    leg = db.session.scalars(select(FlightLeg)).one()
    assert (leg.departs_at, leg.arrives_at) == (DEPARTS_UTC, ARRIVES_UTC)
    assert (leg.departure_timezone, leg.arrival_timezone) == ("Asia/Almaty", "Asia/Jerusalem")
    assert leg.from_airport == "ALA" and leg.enrollment_id is None

    doctor = users["doctor"]
    for language, expected in EXPECTED.items():
        doctor.language = Language(language)
        db.session.commit()
        client = app.test_client()
        login_as(client, doctor)
        page = _page(client, f"/my/travel/{trip['cohort'].id}")
        flights = page.split('my-flights"')[1].split("</table>")[0]
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", flights))
        for fragment in expected[:2]:
            assert fragment in text, (language, fragment, text)
        assert "Asia/Almaty, UTC+05:00" in text and "Asia/Jerusalem, UTC+02:00" in text
        assert expected[2] in page
        mine = _page(client, "/my/travel")  # the menu's entry opens the same cohort's travel
        assert mine.split("my-flights")[1].split("</table>")[0] in page


def test_the_calendar_feed_carries_the_flight_in_utc_and_the_hotel_all_day(
    app, users, trip, count_queries
):
    director = _director(app, trip)
    _add_group_flight(director, trip["cohort"].id)
    cohort_id = trip["cohort"].id
    stay = {"hotel_name": "Dan Panorama Haifa", "address": "107 Yefe Nof St, Haifa",
            "phone": "+972 4 835 2222", "check_in": "2027-03-06",
            "check_out": "2027-03-19"}  # fmt: skip
    response = director.submit(f"/cohorts/{cohort_id}/travel/stays/new", stay)
    assert response.status_code == 302
    stay_id = db.session.scalar(select(HotelStay.id))
    rooms = {f"room-{trip['mine'].id}": "512", f"room-{trip['other'].id}": "512"}
    assert (
        director.submit(f"/cohorts/{cohort_id}/travel/stays/{stay_id}/rooms", rooms).status_code
        == 302
    )

    doctor = app.test_client()
    login_as(doctor, users["doctor"])
    page = _page(doctor, f"/my/travel/{cohort_id}")
    assert "512" in page and "openstreetmap.org/search?query=107+Yefe+Nof+St%2C+Haifa" in page
    assert "Noa Levi" in page  # the host's coordinator, with their e-mail
    assert trip["coordinator"].email in page
    feed = doctor.get("/my/calendar.ics")
    assert feed.status_code == 200
    events = {str(e.get("summary")): e for e in Calendar.from_ical(feed.data).walk("VEVENT")}
    flight = events["Air Astana KC 323 ALA→TLV"]
    assert flight.decoded("dtstart") == DEPARTS_UTC and flight.decoded("dtend") == ARRIVES_UTC
    assert flight.decoded("dtstart").utcoffset().total_seconds() == 0
    assert str(flight.get("location")) == "ALA"
    (hotel,) = [e for s, e in events.items() if "Dan Panorama Haifa" in s]
    assert hotel.decoded("dtstart") == date(2027, 3, 6)
    assert hotel.decoded("dtend") == date(2027, 3, 19)
    assert str(hotel.get("location")) == "107 Yefe Nof St, Haifa"

    # One statement per kind: more flights and hotels do not add statements.
    with count_queries() as before:
        assert doctor.get("/my/calendar.ics").status_code == 200
    _add_group_flight(director, cohort_id, flight_number="KC 324",
                      departs_local="2027-03-19T12:40", from_airport="TLV", to_airport="ALA",
                      arrives_local="2027-03-19T20:55")  # fmt: skip
    _add_group_flight(director, cohort_id, traveller=str(trip["other"].id))
    stay["hotel_name"] = "Second hotel"
    director.submit(f"/cohorts/{cohort_id}/travel/stays/new", stay)
    second = db.session.scalar(select(HotelStay.id).where(HotelStay.hotel_name == "Second hotel"))
    director.submit(f"/cohorts/{cohort_id}/travel/stays/{second}/rooms", rooms)
    with count_queries() as after:
        feed = doctor.get("/my/calendar.ics")
    assert len(after) == len(before)
    summaries = [str(e.get("summary")) for e in Calendar.from_ical(feed.data).walk("VEVENT")]
    assert summaries.count("Air Astana KC 323 ALA→TLV") == 1  # not the other doctor's own leg
    assert "Air Astana KC 324 TLV→ALA" in summaries


def _workbook(flights: list[list], hotels: list[list] = (), rooms: list[list] = ()) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in (("Flights", flights), ("Hotels", hotels), ("Rooms", rooms)):
        sheet = book.create_sheet(name)
        sheet.append([title for _key, title in SHEETS[name]])
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _itinerary_now() -> list[tuple]:
    db.session.expire_all()
    legs = db.session.execute(
        select(FlightLeg.id, FlightLeg.flight_number, FlightLeg.departs_at).order_by(FlightLeg.id)
    ).all()
    stays = db.session.execute(select(HotelStay.id, HotelStay.hotel_name)).all()
    return [tuple(r) for r in legs + stays]


def test_an_import_with_a_bad_row_names_it_and_saves_nothing(app, users, trip):
    director = _director(app, trip)
    cohort_id = trip["cohort"].id
    _add_group_flight(director, cohort_id)
    before, told = _itinerary_now(), db.session.scalars(select(Notification.id)).all()
    good = ["", "Air Astana", "KC 281", "ALA", "TLV", "2027-03-06 07:35", "Asia/Almaty",
            "2027-03-06 10:50", "Asia/Jerusalem", "ZZ1"]  # fmt: skip
    unknown = ["nobody@example.kz", *good[1:]]
    bad_zone = [*good[:6], "Asia/Almati", *good[7:]]
    backwards = [*good[:7], "2027-03-06 02:00", *good[8:]]
    hotel = ["Dan Panorama Haifa", "107 Yefe Nof St, Haifa", "", "2027-03-06", "2027-03-19"]
    content = _workbook([good, unknown, bad_zone, backwards], [hotel])
    url = f"/cohorts/{cohort_id}/travel/import"
    response = director.submit(url, {"file": (io.BytesIO(content), "trip.xlsx")})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert (
        "Sheet “Flights”, row 3, column “Doctor e-mail”: "
        "No doctor of this cohort has the e-mail “nobody@example.kz”" in page
    )
    assert "Sheet “Flights”, row 4, column “Departure time zone”" in page
    assert "Asia/Almati" in page
    assert (
        "Sheet “Flights”, row 5, column “Arrival (local)”: The arrival is not after the departure"
        in page
    )
    assert "row 2," not in page
    assert _itinerary_now() == before  # nothing saved, nothing deleted
    assert db.session.scalars(select(Notification.id)).all() == told  # nobody is told

    # The same file without its bad rows replaces the itinerary, as the page says.
    content = _workbook([good], [hotel], [["Dan Panorama Haifa", users["doctor"].email, "301"]])
    response = director.submit(url, {"file": (io.BytesIO(content), "trip.xlsx")})
    assert response.status_code == 400  # the doctor's login e-mail is not the roster's
    email = _email(trip["mine"])
    content = _workbook([good], [hotel], [["Dan Panorama Haifa", email.upper(), "301"]])
    response = director.submit(url, {"file": (io.BytesIO(content), "trip.xlsx")})
    assert response.status_code == 302, html.unescape(response.get_data(as_text=True))[-3000:]
    after = _itinerary_now()
    assert [row[1] for row in after] == ["KC 281", "Dan Panorama Haifa"]
    (booking,) = db.session.scalars(select(RoomBooking)).all()
    assert (booking.enrollment_id, booking.room) == (trip["mine"].id, "301")


def test_a_change_tells_the_doctors_it_concerns_and_no_one_else(
    app,
    users,
    trip,
    smtp_server,  # noqa: F811
):
    director = _director(app, trip)
    cohort_id = trip["cohort"].id
    users["doctor"].language = Language.RU
    db.session.commit()
    # The other doctor flies on their own legs: the group's flight is not theirs.
    _add_group_flight(director, cohort_id, traveller=str(trip["other"].id), flight_number="KC 9")
    own = db.session.scalars(select(Notification)).all()
    assert [n.to_email for n in own] == [_email(trip["other"])]
    _add_group_flight(director, cohort_id)
    group = db.session.scalars(select(Notification).where(Notification.id > own[0].id)).all()
    assert [n.to_email for n in group] == [users["doctor"].email]
    (message,) = group
    assert message.kind == "travel_changed" and message.language == "ru"
    assert "Ваша поездка по программе" in message.subject, message.subject
    assert f"/my/travel/{cohort_id}" in message.body

    counts = tasks.deliver_notifications(datetime.now(UTC))
    assert counts["sent"] == 2
    received = {m["To"]: m for m in smtp_server.messages}
    assert set(received) == {users["doctor"].email, _email(trip["other"])}
    assert f"/my/travel/{cohort_id}" in received[users["doctor"].email].get_content()


def _email(enrollment) -> str:
    return db.session.get(Doctor, enrollment.doctor_id).email


def test_nobody_reaches_another_cohorts_itinerary(app, users, trip):
    director = _director(app, trip)
    cohort_id = trip["cohort"].id
    _add_group_flight(director, cohort_id)
    leg_id = db.session.scalar(select(FlightLeg.id))
    elsewhere = factories.make_cohort()
    assert director.get(f"/cohorts/{elsewhere.id}/travel/legs/{leg_id}/edit").status_code == 404
    deleted = director.submit(
        f"/cohorts/{elsewhere.id}/travel/legs/{leg_id}/delete", page=f"/cohorts/{cohort_id}/travel"
    )
    assert deleted.status_code == 404
    assert db.session.scalar(select(FlightLeg.id)) == leg_id  # still there

    doctor = app.test_client()
    login_as(doctor, users["doctor"])
    assert doctor.get(f"/my/travel/{cohort_id}").status_code == 200
    assert doctor.get(f"/my/travel/{elsewhere.id}").status_code == 404  # not their cohort
    assert doctor.get(f"/cohorts/{cohort_id}/travel").status_code == 403
    coordinator = app.test_client()
    login_as(coordinator, trip["coordinator"])
    assert coordinator.get(f"/my/travel/{cohort_id}").status_code == 403
    assert coordinator.get("/my/travel").status_code == 403


def test_bad_form_input_is_shown_on_the_form_and_saves_nothing(app, users, trip):
    director = _director(app, trip)
    url = f"/cohorts/{trip['cohort'].id}/travel/legs/new"
    response = director.submit(
        url,
        {**OUTBOUND, "traveller": "", "from_airport": "XYZ", "arrives_local": "2027-03-06T03:00"},
    )
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "“” is not a time zone" not in page
    assert "This is required." in page  # no zone known for XYZ: the user types it
    response = director.submit(
        url, {**OUTBOUND, "traveller": "", "arrives_local": "2027-03-06T03:00"}
    )
    assert "The arrival is not after the departure." in html.unescape(
        response.get_data(as_text=True)
    )
    response = director.submit(
        url, {**OUTBOUND, "traveller": "", "arrival_timezone": "Mars/Olympus"}
    )
    assert "“Mars/Olympus” is not a time zone" in html.unescape(response.get_data(as_text=True))
    assert db.session.scalars(select(FlightLeg)).all() == []


def test_rooms_make_roommates_and_keep_a_doctors_own_dates(app, users, trip):
    director = _director(app, trip)
    cohort_id = trip["cohort"].id
    stay = {"hotel_name": "Dan Panorama Haifa", "address": "107 Yefe Nof St, Haifa",
            "check_in": "2027-03-06", "check_out": "2027-03-19"}  # fmt: skip
    created = director.submit(f"/cohorts/{cohort_id}/travel/stays/new", stay)
    rooms_url = created.headers["Location"]
    mine, other = trip["mine"].id, trip["other"].id
    wrong = {f"room-{mine}": "301", f"check_in-{mine}": "2027-03-19", f"room-{other}": "301",
             f"check_in-{other}": "7 March"}  # fmt: skip
    response = director.submit(rooms_url, wrong)
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "“7 March” is not a date (use YYYY-MM-DD)." in page
    assert db.session.scalars(select(RoomBooking)).all() == []

    late = {
        f"room-{mine}": "301",
        f"check_in-{mine}": "2027-03-07",
        f"room-{other}": "301",
        f"check_out-{other}": "2027-03-19",
    }  # fmt: skip  (the stay's own date: no own date)
    assert director.submit(rooms_url, late).status_code == 302
    bookings = {b.enrollment_id: b for b in db.session.scalars(select(RoomBooking))}
    assert (bookings[mine].check_in, bookings[mine].check_out) == (date(2027, 3, 7), None)
    assert (bookings[other].check_in, bookings[other].check_out) == (None, None)
    itinerary = html.unescape(_page(director, f"/cohorts/{cohort_id}/travel"))
    assert "7–19 Mar 2027" in itinerary  # the doctor who checks in a day late

    doctor = app.test_client()
    login_as(doctor, users["doctor"])
    page = re.sub(r"\s+", " ", _page(doctor, f"/my/travel/{cohort_id}"))
    assert "Check-in date: 7 Mar 2027" in page and 'Room: <span class="room">301' in page
    mate = db.session.get(Doctor, trip["other"].doctor_id)
    assert "You share the room with:" in page and mate.first_name in page


def test_the_template_downloads_and_as_it_is_replaces_nothing(app, users, trip):
    director = _director(app, trip)
    _add_group_flight(director, trip["cohort"].id)
    response = director.get("/travel/itinerary-template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == list(SHEETS)
    assert [c.value for c in book["Flights"][1]] == [t for _k, t in SHEETS["Flights"]]
    url = f"/cohorts/{trip['cohort'].id}/travel/import"
    before = _itinerary_now()
    answer = director.submit(url, {"file": (io.BytesIO(response.data), "itinerary.xlsx")})
    assert answer.status_code == 400 and "The file is empty." in answer.get_data(as_text=True)
    assert _itinerary_now() == before
