"""Travel readiness rules on plain data, without an app: each code and its date edges."""

from __future__ import annotations

from datetime import UTC, date, datetime

from somet.core.problems import problem
from somet.travel.readiness import (
    Bed,
    Leg,
    Traveller,
    bed_problems,
    flags,
    flight_problems,
    passport_problems,
    passport_valid_until,
    readiness,
    uncovered_nights,
    visa_problems,
)
from somet.travel.rules import own_or_group

ARRIVAL, DEPARTURE = date(2027, 3, 7), date(2027, 3, 18)
HOST = "Asia/Jerusalem"


def _leg(departs: datetime, arrives: datetime, enrollment_id=None, zones=("Asia/Almaty", HOST)):
    return Leg(departs, zones[0], arrives, zones[1], enrollment_id)


# Almaty -> Tel Aviv overnight: leaves 6 March 23:30 in Almaty (18:30 UTC), lands 7 March
# 02:10 in Tel Aviv (00:10 UTC). Home on 18 March at 09:00 in Tel Aviv (07:00 UTC).
OUT = _leg(datetime(2027, 3, 6, 18, 30, tzinfo=UTC), datetime(2027, 3, 7, 0, 10, tzinfo=UTC))
BACK = _leg(
    datetime(2027, 3, 18, 7, 0, tzinfo=UTC),
    datetime(2027, 3, 18, 15, 0, tzinfo=UTC),
    zones=(HOST, "Asia/Almaty"),
)


def test_flights_booked_both_ways_are_no_problem():
    assert flight_problems([OUT, BACK], ARRIVAL, DEPARTURE, HOST) == []


def test_no_leg_at_all_is_flights_missing():
    assert flight_problems([], ARRIVAL, DEPARTURE, HOST) == [problem("travel.flights_missing")]


def test_only_the_outbound_leg_so_far_is_return_flight_missing():
    assert flight_problems([OUT], ARRIVAL, DEPARTURE, HOST) == [
        problem("travel.return_flight_missing", departure=DEPARTURE)
    ]


def test_a_leg_landing_after_midnight_host_time_counts_for_that_day():
    # Lands at 22:30 UTC on the 6th, i.e. 00:30 on the 7th in Jerusalem: on the arrival date.
    late = _leg(datetime(2027, 3, 6, 17, 0, tzinfo=UTC), datetime(2027, 3, 6, 22, 30, tzinfo=UTC))
    assert flight_problems([late, BACK], ARRIVAL, DEPARTURE, HOST) == []
    # A doctor arriving on the 6th (host time) is not brought in by it.
    assert flight_problems([late, BACK], date(2027, 3, 6), DEPARTURE, HOST) == [
        problem("travel.outbound_flight_late", arrival=date(2027, 3, 6), day=ARRIVAL)
    ]


def test_a_return_leg_before_the_doctors_departure_is_early():
    assert flight_problems([OUT, BACK], ARRIVAL, date(2027, 3, 19), HOST) == [
        problem("travel.return_flight_early", departure=date(2027, 3, 19), day=DEPARTURE)
    ]


def test_only_a_return_leg_is_outbound_flight_missing():
    assert flight_problems([BACK], ARRIVAL, DEPARTURE, HOST) == [
        problem("travel.outbound_flight_missing", arrival=ARRIVAL)
    ]


def test_a_doctor_with_own_legs_flies_on_those_not_the_groups():
    own = _leg(OUT.departs_at, OUT.arrives_at, enrollment_id=5)
    assert own_or_group([OUT, BACK, own], 5) == [own]
    assert own_or_group([OUT, BACK, own], 6) == [OUT, BACK]
    # Their own outbound leg alone: the group's return does not apply to them.
    assert flight_problems(own_or_group([OUT, BACK, own], 5), ARRIVAL, DEPARTURE, HOST) == [
        problem("travel.return_flight_missing", departure=DEPARTURE)
    ]


def test_beds_covering_every_night_are_no_problem():
    assert bed_problems([Bed(ARRIVAL, DEPARTURE)], ARRIVAL, DEPARTURE) == []
    split = [Bed(ARRIVAL, date(2027, 3, 12)), Bed(date(2027, 3, 12), DEPARTURE)]
    assert bed_problems(split, ARRIVAL, DEPARTURE) == []


def test_no_booking_is_bed_missing():
    assert bed_problems([], ARRIVAL, DEPARTURE) == [problem("travel.bed_missing")]


def test_a_night_not_covered_is_named():
    beds = [Bed(ARRIVAL, date(2027, 3, 12)), Bed(date(2027, 3, 13), DEPARTURE)]
    assert uncovered_nights(beds, ARRIVAL, DEPARTURE) == [date(2027, 3, 12)]
    assert bed_problems(beds, ARRIVAL, DEPARTURE) == [
        problem("travel.nights_uncovered", days_list=(date(2027, 3, 12),))
    ]
    # Checking out the day before departure leaves the last night uncovered.
    short = [Bed(ARRIVAL, date(2027, 3, 17))]
    assert uncovered_nights(short, ARRIVAL, DEPARTURE) == [date(2027, 3, 17)]
    # The night of the departure date itself is not needed.
    assert uncovered_nights([Bed(ARRIVAL, DEPARTURE)], ARRIVAL, DEPARTURE) == []


def test_each_visa_status():
    assert visa_problems("granted") == [] and visa_problems("not_required") == []
    assert visa_problems("refused") == [problem("travel.visa_refused")]
    assert visa_problems("applied") == [problem("travel.visa_applied")]
    assert visa_problems(None) == [problem("travel.visa_not_recorded")]


def test_passport_expiring_the_day_before_departure_is_a_problem_the_day_of_or_after_not():
    day_before = date(2027, 3, 17)
    assert passport_problems(day_before, (), DEPARTURE) == [
        problem("travel.passport_expires_before_departure", day=day_before, departure=DEPARTURE)
    ]
    assert passport_problems(DEPARTURE, (), DEPARTURE) == []
    assert passport_problems(date(2027, 3, 19), (), DEPARTURE) == []


def test_an_accepted_passport_document_decides_over_the_date_on_the_doctor():
    # The doctor's record says valid, the accepted scan says it runs out the day before.
    assert passport_valid_until(date(2031, 1, 1), [date(2027, 3, 17)]) == (True, date(2027, 3, 17))
    assert passport_problems(date(2031, 1, 1), [date(2027, 3, 17)], DEPARTURE) != []
    # A renewed passport accepted later: the latest one counts.
    assert passport_problems(None, [date(2027, 3, 17), date(2035, 1, 1)], DEPARTURE) == []
    # An accepted passport with no expiry never expires.
    assert passport_problems(date(2020, 1, 1), [None], DEPARTURE) == []


def test_an_unknown_passport_expiry_is_its_own_problem():
    assert passport_problems(None, (), DEPARTURE) == [problem("travel.passport_expiry_unknown")]


def test_only_a_refused_visa_or_an_expiring_passport_flags_the_doctor():
    expiring = passport_problems(date(2027, 3, 17), (), DEPARTURE)
    assert [p.code for p in flags("refused", [])] == ["travel.visa_refused"]
    assert [p.code for p in flags("granted", expiring)] == [
        "travel.passport_expires_before_departure"
    ]
    assert flags("applied", passport_problems(None, (), DEPARTURE)) == []
    assert flags(None, []) == []


def test_a_doctor_with_everything_in_place_is_ready_and_each_lack_names_its_aspect():
    ready = Traveller(
        1, ARRIVAL, DEPARTURE, "granted", date(2030, 1, 1), (), (), (Bed(ARRIVAL, DEPARTURE),)
    )
    outcome = readiness(ready, [OUT, BACK], HOST)
    assert outcome.ready and outcome.flags == []
    lacking = Traveller(2, ARRIVAL, DEPARTURE, "refused", None, (), ("passport", "visa"), ())
    outcome = readiness(lacking, [OUT], HOST)
    assert not outcome.ready
    assert {aspect: [p.code for p in found] for aspect, found in outcome.problems.items()} == {
        "documents": ["travel.documents_not_ready"],
        "flights": ["travel.return_flight_missing"],
        "bed": ["travel.bed_missing"],
        "visa": ["travel.visa_refused"],
        "passport": ["travel.passport_expiry_unknown"],
    }
    assert [p.code for p in outcome.flags] == ["travel.visa_refused"]
