"""Demo: the upcoming cohort's itinerary, entered through the travel operations.

The group flies Almaty → Tel Aviv the day before the programme starts and back the day after
it ends, rides to the hotel in Haifa and on to Rambam each morning; two doctors share most
rooms. One doctor (the loader's late arrival, enrolled a day later) flies a day after the
group, on legs and transfers of their own. Entered before the doctors were told anything:
no messages are written (``notify_doctors=False``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from somet.demo import data
from somet.demo.hosts import DIRECTOR, demo_user
from somet.models import Cohort, Enrollment
from somet.travel import operations as travel
from somet.travel.operations import LegInput, RoomInput, StayInput, TransferInput
from somet.web.extensions import db

# Who shares a room, by index in data.DOCTORS (every doctor of the cohort has a bed).
ROOMS = [(0, 3), (1, 2), (4, 6), (5, 7), (8, 10), (9, 11), (12, 14), (13, 15), (17, 19),
         (16,), (18,)]  # fmt: skip
LATE = 7  # index in data.DOCTORS of the doctor who arrives a day late (the loader's)
ALMATY, JERUSALEM = "Asia/Almaty", "Asia/Jerusalem"
EMERGENCY_CONTACT = "Gulmira Abenova, programme director: +7 701 555 0100 (any hour)"
HOTEL = StayInput(
    hotel_name="Dan Panorama Haifa",
    address="107 Yefe Nof St, Haifa",
    phone="+972 4 835 2222",
    check_in=date(2027, 1, 9),
    check_out=date(2027, 1, 22),
)


def _outbound(day: date) -> LegInput:
    return LegInput(
        carrier="Air Astana", flight_number="KC 281", from_airport="ALA", to_airport="TLV",
        departs_local=datetime(day.year, day.month, day.day, 7, 35), departure_timezone=ALMATY,
        arrives_local=datetime(day.year, day.month, day.day, 10, 50), arrival_timezone=JERUSALEM,
        booking_reference="AB7K2Q",
    )  # fmt: skip


def _homebound(day: date) -> LegInput:
    return LegInput(
        carrier="Air Astana", flight_number="KC 282", from_airport="TLV", to_airport="ALA",
        departs_local=datetime(day.year, day.month, day.day, 12, 40),
        departure_timezone=JERUSALEM,
        arrives_local=datetime(day.year, day.month, day.day, 20, 55), arrival_timezone=ALMATY,
        booking_reference="AB7K2Q",
    )  # fmt: skip


def _transfers(day: date) -> list[TransferInput]:
    """From the airport to the hotel on arrival, from the hotel to Rambam the next morning."""
    morning = day + timedelta(days=1)
    return [
        TransferInput(
            datetime(day.year, day.month, day.day, 12, 0), JERUSALEM,
            "Ben Gurion Airport (TLV), arrivals hall", HOTEL.hotel_name,
            "Minibus, driver Moshe: +972 50 555 0199",
        ),
        TransferInput(
            datetime(morning.year, morning.month, morning.day, 7, 15), JERUSALEM,
            HOTEL.hotel_name, data.HAIFA["name"],
            "Shuttle every working day at 07:15",
        ),
    ]  # fmt: skip


def load_demo_travel() -> None:
    """The upcoming cohort's flights, transfers, hotel and rooms, and whom to call."""
    director = demo_user(DIRECTOR)
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == data.UPCOMING_COHORT["name"]))
    enrollments = list(
        db.session.scalars(
            select(Enrollment.id).where(Enrollment.cohort_id == cohort.id).order_by(Enrollment.id)
        )
    )
    late = enrollments[LATE]
    group_day = cohort.start_date - timedelta(days=1)
    travel.set_emergency_contact(director, cohort.id, EMERGENCY_CONTACT)
    for enrollment_id, day in ((None, group_day), (late, group_day + timedelta(days=1))):
        options = {"enrollment_id": enrollment_id, "notify_doctors": False}
        travel.save_leg(director, cohort.id, _outbound(day), **options)
        travel.save_leg(
            director, cohort.id, _homebound(cohort.end_date + timedelta(days=1)), **options
        )
        for transfer in _transfers(day):
            travel.save_transfer(director, cohort.id, transfer, **options)
    stay = travel.save_stay(director, cohort.id, HOTEL, notify_doctors=False)
    # Two to a room (women with women, men with men), two single rooms. The late doctor
    # checks in the day after the group.
    rooms = {}
    for number, indexes in enumerate(ROOMS, start=301):
        for index in indexes:
            rooms[enrollments[index]] = RoomInput(str(number))
    rooms[late] = RoomInput(rooms[late].room, check_in=HOTEL.check_in + timedelta(days=1))
    travel.set_rooms(director, cohort.id, stay.id, rooms, notify_doctors=False)
