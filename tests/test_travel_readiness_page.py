"""The director's travel readiness page of a cohort: a tick or the problems for each doctor,
the count at the top, the visa recorded through one audited operation, constant statements."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from somet.models import (
    AuditEvent,
    DocumentStatus,
    Enrollment,
    EnrollmentStatus,
    FlightLeg,
    HotelStay,
    RoomBooking,
    VisaStatus,
)
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    _save,
    make_cohort,
    make_doctor,
    make_document_requirement,
    make_enrollment,
    make_hospital,
    make_travel_document,
)

START = date(2027, 3, 7)  # the cohort runs 7 to 18 March
END = START + timedelta(days=11)


def _world():
    """A cohort at one host requiring a passport, its group flights and hotel."""
    hospital = make_hospital()
    make_document_requirement(hospital, "passport")
    cohort = make_cohort(hosts=[hospital], start_date=START)
    # Almaty 23:30 on the 6th -> Tel Aviv 02:10 on the 7th; home on the 18th.
    _leg(cohort, datetime(2027, 3, 6, 18, 30, tzinfo=UTC), datetime(2027, 3, 7, 0, 10, tzinfo=UTC))
    _leg(cohort, datetime(2027, 3, 18, 7, tzinfo=UTC), datetime(2027, 3, 18, 15, tzinfo=UTC))
    stay = _save(
        HotelStay(
            cohort_id=cohort.id,
            hotel_name="Dan Panorama",
            address="107 HaNassi Ave, Haifa",
            check_in=START,
            check_out=END,
        )
    )
    return cohort, stay


def _leg(cohort, departs, arrives, enrollment=None):
    return _save(
        FlightLeg(
            cohort_id=cohort.id,
            enrollment_id=enrollment.id if enrollment else None,
            carrier="Air Astana",
            flight_number="KC 1841",
            from_airport="ALA",
            to_airport="TLV",
            departs_at=departs,
            departure_timezone="Asia/Almaty",
            arrives_at=arrives,
            arrival_timezone="Asia/Jerusalem",
        )
    )


def _ready_doctor(cohort, stay, name="Ready", **enrollment):
    doctor = make_doctor(
        first_name=name, last_name="Traveller", passport_expires_on=date(2031, 1, 1)
    )
    make_travel_document(doctor, "passport", status=DocumentStatus.ACCEPTED)
    fields = dict(visa_status=VisaStatus.NOT_REQUIRED)
    fields.update(enrollment)
    entry = make_enrollment(cohort, doctor, **fields)
    _save(RoomBooking(hotel_stay_id=stay.id, enrollment_id=entry.id, room="401"))
    return entry


def _row(html: str, enrollment_id: int) -> str:
    return html.split(f'id="enrollment-{enrollment_id}"')[1].split("</tr>")[0]


def _cell(html: str, enrollment_id: int, aspect: str) -> str:
    return _row(html, enrollment_id).split(f'data-aspect="{aspect}"')[1].split("</td>")[0]


def test_director_sees_each_doctor_ticked_or_with_the_problems_of_each_aspect(client, users):
    cohort, stay = _world()
    ready = _ready_doctor(cohort, stay)
    lacking = make_enrollment(
        cohort,
        make_doctor(
            first_name="Lacking", last_name="Everything", passport_expires_on=END - timedelta(1)
        ),
        visa_status=VisaStatus.REFUSED,
    )
    gap = _ready_doctor(cohort, stay, name="Gap", visa_status=VisaStatus.APPLIED)
    db.session.execute(
        RoomBooking.__table__.update()
        .where(RoomBooking.enrollment_id == gap.id)
        .values(check_out=date(2027, 3, 17))
    )
    db.session.commit()
    withdrawn = _ready_doctor(cohort, stay, name="Gone", status=EnrollmentStatus.WITHDRAWN)
    login_as(client, users["director"])
    html = client.get(f"/cohorts/{cohort.id}/readiness").get_data(as_text=True)
    assert "1 of 3 doctors ready to travel" in html  # the withdrawn doctor is not counted
    assert f'id="enrollment-{withdrawn.id}"' not in html
    for aspect in ("documents", "flights", "bed", "visa", "passport"):
        assert "✓" in _cell(html, ready.id, aspect)
    assert "Passport: Missing" in _cell(html, lacking.id, "documents")
    assert "no bed booked" in _cell(html, lacking.id, "bed")
    assert "visa refused" in _cell(html, lacking.id, "visa")
    assert "passport expires on 17 Mar 2027, before departure on 18 Mar 2027" in _cell(
        html, lacking.id, "passport"
    )
    assert "✓" in _cell(html, lacking.id, "flights")  # the group's legs apply to them
    assert "table-danger" in _row(html, lacking.id).split(">")[0]  # flagged
    assert "table-danger" not in _row(html, ready.id).split(">")[0]
    assert "no bed for 1 night: 17 Mar 2027" in _cell(html, gap.id, "bed")
    assert "visa applied for, not granted yet" in _cell(html, gap.id, "visa")


def test_each_rows_visa_list_shows_its_own_status_under_its_own_id(client, users):
    """Rows sharing a status share how the list is written, each keeps its own id and choice."""
    cohort, stay = _world()
    statuses = [VisaStatus.GRANTED, None, VisaStatus.GRANTED, VisaStatus.REFUSED]
    entries = [
        _ready_doctor(cohort, stay, name=f"Doctor{n}", visa_status=status)
        for n, status in enumerate(statuses)
    ]
    login_as(client, users["director"])
    html = client.get(f"/cohorts/{cohort.id}/readiness").get_data(as_text=True)
    for entry, status in zip(entries, statuses, strict=True):
        select_html = _cell(html, entry.id, "visa").split("<select")[1].split("</select>")[0]
        assert f'id="visa-{entry.id}"' in select_html and 'name="status"' in select_html
        assert re.findall(r'<option selected value="([^"]*)"', select_html) == [
            status.value if status else ""
        ]


def test_a_doctor_with_own_legs_flies_on_those_and_a_missing_return_is_named(client, users):
    cohort, stay = _world()
    late = _ready_doctor(cohort, stay, arrival_date=START + timedelta(1))
    # Their own leg lands on the 8th; they have no return of their own yet.
    _leg(
        cohort, datetime(2027, 3, 7, 18, tzinfo=UTC), datetime(2027, 3, 8, 0, 10, tzinfo=UTC), late
    )
    login_as(client, users["director"])
    html = client.get(f"/cohorts/{cohort.id}/readiness").get_data(as_text=True)
    assert "return flight missing (departure 18 Mar 2027)" in _cell(html, late.id, "flights")
    assert "0 of 1 doctor ready to travel" in html


def test_the_cohort_page_links_to_its_readiness(client, users):
    cohort, _stay = _world()
    login_as(client, users["director"])
    overview = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert f'href="/cohorts/{cohort.id}/readiness"' in overview


def test_director_records_a_visa_and_the_change_is_audited(client, users):
    cohort, stay = _world()
    entry = _ready_doctor(cohort, stay, visa_status=None)
    login_as(client, users["director"])
    page = f"/cohorts/{cohort.id}/readiness"
    assert "visa not recorded" in _cell(client.get(page).get_data(as_text=True), entry.id, "visa")
    url = f"/cohorts/{cohort.id}/readiness/{entry.id}/visa"
    response = client.submit(url, {"status": "granted"}, page=page)
    assert response.status_code == 302 and response.location.endswith(f"#enrollment-{entry.id}")
    html = client.get(page).get_data(as_text=True)
    assert (
        "1 of 1 doctor ready to travel" in html and "Visa status of Ready Traveller saved" in html
    )
    assert db.session.get(Enrollment, entry.id).visa_status == VisaStatus.GRANTED
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "roster.visa")).one()
    assert event.object_id == entry.id and event.details["new"] == "granted"
    assert event.details["old"] is None


def test_a_bad_visa_status_is_refused_with_a_message_and_saves_nothing(client, users):
    cohort, stay = _world()
    entry = _ready_doctor(cohort, stay)
    login_as(client, users["director"])
    page = f"/cohorts/{cohort.id}/readiness"
    response = client.submit(
        f"/cohorts/{cohort.id}/readiness/{entry.id}/visa",
        {"status": "bribed"},
        page=page,
        follow_redirects=True,
    )
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.get(Enrollment, entry.id).visa_status == VisaStatus.NOT_REQUIRED


def test_another_cohorts_enrollment_is_a_404(client, users):
    cohort, _stay = _world()
    other, other_stay = _world()
    entry = _ready_doctor(other, other_stay)
    login_as(client, users["director"])
    response = client.submit(
        f"/cohorts/{cohort.id}/readiness/{entry.id}/visa",
        {"status": "refused"},
        page=f"/cohorts/{cohort.id}/readiness",
    )
    assert response.status_code == 404
    assert db.session.get(Enrollment, entry.id).visa_status == VisaStatus.NOT_REQUIRED
    assert client.get("/cohorts/999999/readiness").status_code == 404


def test_the_page_runs_the_same_statements_for_3_and_30_doctors(app, users, count_queries):
    counts = {}
    for size in (3, 30):
        cohort, stay = _world()
        for n in range(size):
            entry = _ready_doctor(cohort, stay, name=f"Doctor{size}x{n}")
            _leg(
                cohort,
                datetime(2027, 3, 6, 18, tzinfo=UTC),
                datetime(2027, 3, 7, tzinfo=UTC),
                entry,
            )
        client = app.test_client()
        login_as(client, users["director"])
        page = f"/cohorts/{cohort.id}/readiness"
        client.get(page)
        with count_queries() as statements:
            html = client.get(page).get_data(as_text=True)
        assert len(re.findall(r'id="enrollment-\d+"', html)) == size
        counts[size] = len([q for q in statements if not q.startswith("BEGIN")])
    # the login with the menu badges, the cohort with its hosts, requirements, the roster,
    # documents, flights, rooms
    assert counts[3] == counts[30] == 7


def test_the_page_and_its_problems_read_in_russian_and_kazakh(client, users):
    cohort, stay = _world()
    entry = _ready_doctor(cohort, stay, visa_status=VisaStatus.REFUSED)
    db.session.execute(
        RoomBooking.__table__.update()
        .where(RoomBooking.enrollment_id == entry.id)
        .values(check_in=date(2027, 3, 9))
    )
    db.session.commit()
    login_as(client, users["director"])
    page = f"/cohorts/{cohort.id}/readiness"
    client.submit("/language", {"language": "ru"}, page="/")
    html = client.get(page).get_data(as_text=True)
    assert "Готовность к поездке" in html and "0 из 1 врача готовы к поездке" in html
    assert "в визе отказано" in _cell(html, entry.id, "visa")
    assert "нет проживания на 2 ночи: 7 марта 2027, 8 марта 2027" in _cell(html, entry.id, "bed")
    client.submit("/language", {"language": "kk"}, page="/")
    html = client.get(page).get_data(as_text=True)
    assert "Сапарға дайындық" in html and "виза берілмеді" in _cell(html, entry.id, "visa")
    assert "2 түнге орын жоқ" in _cell(html, entry.id, "bed")


def test_problems_without_parameters_are_worded_once_per_page(client, users, monkeypatch):
    """Most doctors share "no bed booked" and the like: the macro words each such code once."""
    import somet.web.templating as templating

    worded = []
    original = templating.get_template_attribute

    def counting(template, name):
        macro = original(template, name)
        return lambda problem: worded.append(problem.code) or macro(problem)

    monkeypatch.setattr(templating, "get_template_attribute", counting)
    cohort, _stay = _world()
    doctors = [make_enrollment(cohort, make_doctor(first_name=f"D{i}")) for i in range(3)]
    login_as(client, users["director"])
    html = client.get(f"/cohorts/{cohort.id}/readiness").get_data(as_text=True)
    for entry in doctors:
        assert "no bed booked" in _cell(html, entry.id, "bed")
        assert "visa not recorded" in _cell(html, entry.id, "visa")
    assert worded.count("travel.bed_missing") == 1
    assert worded.count("travel.visa_not_recorded") == 1
