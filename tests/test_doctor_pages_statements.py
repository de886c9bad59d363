"""A visiting doctor's pages read the same few statements with one trip or years of them: the
menu's badges are one statement; the travel page one for the trips with their hosts and
coordinators, one for the flights and transfers, one for the rooms; the documents page one for
the trips beside their hosts' requirements (and beside the menu's other counts: it counts the
menu's documents itself) and one for the uploads."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest

from somet.core.statuses import CohortStatus, EnrollmentStatus
from somet.models import Doctor, FlightLeg, HotelStay, Role, RoomBooking, Transfer, utcnow
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    make_cohort,
    make_document_requirement,
    make_enrollment,
    make_hospital,
    make_travel_document,
    make_user,
)
from tests.test_home_queues import badge

# Ceilings: what each page reads, so that a statement added back shows here. The menu's
# badges come with the signed-in user; so does the doctor's own record, which the profile and
# calendar show.
PAGES = {
    "/my/travel": 4,  # the user, trips with hosts, flights and transfers, rooms
    "/documents/mine": 3,  # the user, the uploads, the trips with their hosts' requirements
    "/certificates/mine": 2,
    "/my/profile": 1,
    "/my/calendar": 1,
}


def _trip(doctor: Doctor, n: int, start_in_days: int) -> None:
    """An upcoming programme at two hosts, each asking for documents and with a coordinator;
    flights, a transfer and a shared room booked; and a finished programme years ago."""
    hosts = [make_hospital(name=f"Host {n}-{h}") for h in range(2)]
    for h, hospital in enumerate(hosts):
        make_document_requirement(hospital, "passport")
        make_document_requirement(hospital, "cv", expires=False)
        make_user(Role.COORDINATOR, hospital_id=hospital.id, full_name=f"Coordinator {n}-{h}")
    start = utcnow().date() + timedelta(days=start_in_days)
    cohort = make_cohort(hosts, name=f"Trip {n}", start_date=start)
    mine, mate = make_enrollment(cohort, doctor), make_enrollment(cohort)
    departs = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    for flight in ("KC 1", "KC 2"):
        leg = FlightLeg(cohort_id=cohort.id, carrier="Air Astana", flight_number=flight,
                        from_airport="ALA", to_airport="TLV", departs_at=departs,
                        departure_timezone="Asia/Almaty", arrives_at=departs + timedelta(hours=6),
                        arrival_timezone="Asia/Jerusalem")  # fmt: skip
        db.session.add(leg)
    transfer = Transfer(cohort_id=cohort.id, departs_at=departs + timedelta(hours=7),
                        timezone="Asia/Jerusalem", from_place="TLV",
                        to_place=f"Hotel {n}")  # fmt: skip
    db.session.add(transfer)
    stay = HotelStay(cohort_id=cohort.id, hotel_name=f"Hotel {n}", address="Yefe Nof St",
                     check_in=start, check_out=cohort.end_date)  # fmt: skip
    db.session.add(stay)
    db.session.flush()
    for enrollment in (mine, mate):
        db.session.add(RoomBooking(hotel_stay_id=stay.id, enrollment_id=enrollment.id, room="5"))
    past = make_cohort(hosts, start_date=start - timedelta(days=365 * (n + 1)),
                       status=CohortStatus.COMPLETED)  # fmt: skip
    make_enrollment(past, doctor, status=EnrollmentStatus.COMPLETED)
    make_travel_document(doctor, "cv")  # the passport is still to send, for each trip
    db.session.commit()


def _statements(client, count_queries, url: str) -> tuple[int, str]:
    client.get(url)
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    queries = [s for s in statements if not s.startswith("BEGIN")]  # SQLite's, not PostgreSQL's
    return len(queries), html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("url", PAGES)
def test_a_doctors_page_reads_as_much_with_one_trip_as_with_many(client, users, count_queries, url):
    doctor = db.session.get(Doctor, users["doctor"].doctor_id)
    _trip(doctor, 0, start_in_days=40)
    login_as(client, users["doctor"])
    one, page = _statements(client, count_queries, url)
    assert badge(page, "My documents") == 1
    for n in range(1, 5):
        _trip(doctor, n, start_in_days=40 + 20 * n)
    many, page = _statements(client, count_queries, url)
    assert one == many <= PAGES[url]
    assert badge(page, "My documents") == 5  # the badge counts each trip's passport
    if url == "/my/travel":  # the latest trip, its hosts, each host's coordinator, the room
        assert "Trip 4" in page and "Coordinator 4-0" in page and "Coordinator 4-1" in page
        assert "Host 4-1" in page and "Hotel 4" in page and "KC 2" in page
        assert "Coordinator 3-0" not in page
    if url == "/documents/mine":  # every upcoming trip with its hosts' requirements
        assert all(f"Trip {n}" in page for n in range(5))
        assert page.count('class="list-group-item documents-row') == 10  # passport, CV each


@pytest.mark.parametrize("url", ["/certificates/mine", "/documents/mine"])
def test_the_badges_count_an_invitation_to_a_host_that_asks_for_no_documents(
    client, users, count_queries, url
):
    doctor = db.session.get(Doctor, users["doctor"].doctor_id)
    cohort = make_cohort([make_hospital()], start_date=utcnow().date() + timedelta(days=30))
    make_enrollment(cohort, doctor, status=EnrollmentStatus.INVITED)
    login_as(client, users["doctor"])
    _count, page = _statements(client, count_queries, url)
    assert badge(page, "My documents") == 0  # nothing to send: no requirement rows at all
    assert badge(page, "Home") == 1  # yet the invitation to answer is counted


def test_my_evaluations_list_what_is_owed_and_what_was_answered_in_one_statement(
    client, users, count_queries
):
    from somet.cohorts.tasks import nightly_lifecycle
    from somet.models import EvaluationDirection
    from tests.test_evaluations import _answers_of, _evaluations, _finished_placement, _questions

    doctor = db.session.get(Doctor, users["doctor"].doctor_id)
    login_as(client, users["doctor"])
    counts, placements = [], []
    for n in range(1, 4):  # one rotation, then three: the earlier answered, the latest owed
        placements.append(_finished_placement(doctor=doctor, name=f"Ward {n}"))
        nightly_lifecycle(utcnow())
        for placement in placements[:-1]:
            evaluation = _evaluations(placement)[EvaluationDirection.OF_DEPARTMENT]
            if evaluation.answered_at is None:
                url = f"/evaluations/{evaluation.id}/answer"
                answers = _answers_of(_questions(evaluation))
                assert client.submit(url, answers).status_code == 302
        count, page = _statements(client, count_queries, "/my/evaluations")
        counts.append(count)
    assert counts[0] == counts[-1] <= 2  # the user with the badges, both lists
    owed, answered = page.split("Answered</h2>")
    assert "Evaluate Ward 3" in owed and "Ward 1" not in owed
    assert "Ward 1, " in answered and "Ward 2, " in answered and "answered on" in answered


def test_the_doctors_home_reads_five_statements_with_evaluations_owed(client, users, count_queries):
    """The user, the programme with each placement's open evaluation, the masterclasses, the
    trips' documents, the follow-up surveys of the programme that ended: the evaluations owed
    ride on the programme's rows."""
    from somet.cohorts.tasks import nightly_lifecycle
    from tests.test_evaluations import _finished_placement

    doctor = db.session.get(Doctor, users["doctor"].doctor_id)
    _trip(doctor, 0, start_in_days=40)
    for n in range(1, 3):
        _finished_placement(doctor=doctor, name=f"Ward {n}")
    nightly_lifecycle(utcnow())
    login_as(client, users["doctor"])
    count, page = _statements(client, count_queries, "/")
    assert "Evaluate Ward 1" in page and "Evaluate Ward 2" in page
    assert page.index("Evaluate Ward 1") < page.index("Evaluate Ward 2")  # oldest sent first
    assert badge(page, "Home") == 3  # two evaluations, one passport
    assert count == 5


def test_a_placement_page_reads_one_statement_of_the_columns_it_shows(client, users, count_queries):
    """The user with the badges, the placement with its rotation, department and hospital;
    the placement's statement names no column the page does not show. Another doctor's: 404."""
    from tests.factories import make_department, make_placement

    doctor = db.session.get(Doctor, users["doctor"].doctor_id)
    department = make_department(name="Ward 7", supervisor_name="Dr. Cohen")
    mine = make_placement(enrollment=make_enrollment(doctor=doctor), department=department)
    other = make_placement(department=department)
    mine_url, other_url = f"/my/placements/{mine.id}", f"/my/placements/{other.id}"
    db.session.commit()
    login_as(client, users["doctor"])
    client.get(mine_url)
    with count_queries() as statements:
        page = client.get(mine_url).get_data(as_text=True)
    queries = [s for s in statements if not s.startswith("BEGIN")]
    assert "Ward 7" in page and "Dr. Cohen" in page
    assert len(queries) == 2
    (placement,) = [s for s in queries if "supervisor_name" in s]
    assert "decline_reason" not in placement and "capacity" not in placement
    assert client.get(other_url).status_code == 404
