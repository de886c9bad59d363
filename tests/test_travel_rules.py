"""The travel rules on plain data: zones and offsets, leg checks, who travels on what."""

import io
from datetime import UTC, date, datetime
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from somet.core.problems import ProblemsFound
from somet.travel import rules
from somet.travel.itinerary_files import SHEETS, read_itinerary
from somet.travel.rules import LegInput, StayInput


def _leg(**changes) -> LegInput:
    fields = dict(
        carrier="Air Astana", flight_number="KC 281", from_airport="ALA", to_airport="TLV",
        departs_local=datetime(2027, 3, 6, 6, 10), departure_timezone="Asia/Almaty",
        arrives_local=datetime(2027, 3, 6, 10, 5), arrival_timezone="Asia/Jerusalem",
    )  # fmt: skip
    return LegInput(**{**fields, **changes})


def test_local_times_become_utc_by_each_airports_zone():
    departs, arrives = rules.leg_times(_leg())
    assert departs == datetime(2027, 3, 6, 1, 10, tzinfo=UTC)  # Almaty is UTC+5
    assert arrives == datetime(2027, 3, 6, 8, 5, tzinfo=UTC)  # Israel is UTC+2 in March
    assert rules.offset_label(departs, "Asia/Almaty") == "UTC+05:00"
    assert rules.offset_label(arrives, "Asia/Jerusalem") == "UTC+02:00"
    summer = datetime(2027, 7, 1, 9, 0, tzinfo=UTC)
    assert rules.offset_label(summer, "Asia/Jerusalem") == "UTC+03:00"
    assert rules.offset_label(summer, "America/St_Johns") == "UTC−02:30"


def test_a_leg_is_checked_field_by_field():
    assert rules.leg_problems(_leg()) == []
    found = dict(rules.leg_problems(_leg(from_airport="AL1", departure_timezone="Asia/Nowhere")))
    assert found["from_airport"].code == "travel.bad_airport"
    assert found["departure_timezone"].code == "travel.bad_zone"
    # Local 10:05 in Tel Aviv is after 06:10 in Almaty, but landing at 03:00 is not.
    early = rules.leg_problems(_leg(arrives_local=datetime(2027, 3, 6, 3, 0)))
    assert [(f, p.code) for f, p in early] == [
        ("arrives_local", "travel.arrival_not_after_departure")
    ]
    assert not rules.valid_zone("EST") and not rules.valid_zone(" Asia/Almaty")
    assert rules.valid_zone("UTC") and rules.airport_zone("tlv") == "Asia/Jerusalem"


def test_a_stay_ends_after_it_starts():
    stay = StayInput("Dan", "Haifa", None, date(2027, 3, 6), date(2027, 3, 6))
    assert [p.code for _f, p in rules.stay_problems(stay)] == [
        "travel.check_out_not_after_check_in"
    ]


def test_a_doctor_with_own_legs_travels_on_those_and_is_shown_as_differing():
    legs = [SimpleNamespace(enrollment_id=None), SimpleNamespace(enrollment_id=7)]
    assert rules.own_or_group(legs, 7) == [legs[1]]
    assert rules.own_or_group(legs, 8) == [legs[0]]
    assert rules.group_travellers([6, 7, 8], with_own=[7]) == [6, 8]
    start, end = date(2027, 1, 10), date(2027, 1, 21)
    assert rules.differences(None, None, start, end, own_legs=False, own_transfers=False) == []
    late = rules.differences(date(2027, 1, 11), end, start, end, own_legs=True, own_transfers=False)
    assert late == [rules.DATES_DIFFER, rules.OWN_LEGS]


def test_roommates_share_a_room_number_at_the_same_stay():
    b = [
        SimpleNamespace(hotel_stay_id=1, enrollment_id=1, room="301"),
        SimpleNamespace(hotel_stay_id=1, enrollment_id=2, room=" 301 "),
        SimpleNamespace(hotel_stay_id=2, enrollment_id=3, room="301"),
        SimpleNamespace(hotel_stay_id=1, enrollment_id=4, room=None),
    ]
    assert rules.roommates(b, 1, "301", 1) == [b[1]]
    assert rules.roommates(b, 1, None, 4) == []


def test_the_map_link_is_an_encoded_openstreetmap_search():
    link = rules.map_link("107 Yefe Nof St, Haifa", None, "Israel")
    assert link == ("https://www.openstreetmap.org/search?query=107+Yefe+Nof+St%2C+Haifa%2C+Israel")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.text(st.characters(min_codepoint=32, blacklist_categories=("Cs",)), max_size=30),
                st.integers(),
                st.floats(),
                st.dates(),
            ),
            max_size=12,
        ),
        max_size=5,
    )
)
def test_any_flights_sheet_gives_rows_or_problems_that_name_where(rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "Flights"
    sheet.append([title for _key, title in SHEETS["Flights"]])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    try:
        read_itinerary("trip.xlsx", out.getvalue(), {"a@example.kz": 1})
    except ProblemsFound as refused:
        assert all(p.code in ("travel.in_file", "roster.file_empty") for p in refused.problems), (
            refused.problems
        )


@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_with_a_problem(content):
    for prefix in (b"", b"PK\x03\x04"):
        try:
            read_itinerary("trip.xlsx", prefix + content, {})
        except ProblemsFound as refused:
            assert refused.problems
