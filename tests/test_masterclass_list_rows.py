"""The masterclass list draws each class once and adds the counts per view: what a doctor
sees must still follow every edit, registration and language change."""

from datetime import UTC, datetime, timedelta

from somet.masterclasses import list_rows
from somet.models import Doctor, Language, RegistrationStatus, Role
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    make_cohort,
    make_enrollment,
    make_hospital,
    make_masterclass,
    make_registration,
    make_user,
)

SOON = datetime.now(UTC) + timedelta(days=30)


def _doctor_user(**fields):
    return make_user(Role.DOCTOR, doctor_id=make_enrollment().doctor_id, **fields)


def _another_doctor() -> Doctor:
    return db.session.get(Doctor, make_enrollment().doctor_id)


def _list(client) -> str:
    response = client.get("/masterclasses")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_class_edited_by_the_director_shows_its_new_details_at_the_next_view(client, users):
    masterclass = make_masterclass(title="Airway management", venue="Hall A", starts_at=SOON)
    doctor = _doctor_user()
    login_as(client, doctor)
    assert "Airway management" in _list(client)
    client.submit("/logout", {}, page="/masterclasses")

    login_as(client, users["director"])
    response = client.submit(
        f"/masterclasses/{masterclass.id}/edit",
        {
            "title": "Difficult airway workshop",
            "lead_specialist": "Prof. Visiting",
            "lead_title": "",
            "venue": "Simulation centre",
            "city": "Almaty",
            "country": "Kazakhstan",
            "timezone": "Asia/Almaty",
            "starts_local": SOON.strftime("%Y-%m-%dT%H:%M"),
            "ends_local": (SOON + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "10",
            "credit_hours": "3",
            "hospital_id": "0",
            "cohort_id": "0",
        },
    )
    assert response.status_code == 302
    client.submit("/logout", {}, page="/masterclasses")

    login_as(client, doctor)
    html = _list(client)
    assert "Difficult airway workshop" in html and "Simulation centre" in html
    assert "3 credit hours" in html
    assert "Airway management" not in html and "Hall A" not in html


def test_places_left_waitlist_and_the_doctors_own_status_follow_each_registration(client):
    masterclass = make_masterclass(title="Neuro-navigation", capacity=2, starts_at=SOON)
    make_registration(masterclass, _another_doctor())
    doctor = _doctor_user()
    login_as(client, doctor)
    html = _list(client)
    assert "1 place left" in html and "on the waitlist" not in html

    client.submit(f"/masterclasses/{masterclass.id}/registration", {}, page="/masterclasses")
    html = _list(client)
    assert "Full" in html and "place left" not in html
    assert 'status-badge">registered<' in html

    make_registration(masterclass, _another_doctor(), status=RegistrationStatus.WAITLISTED)
    assert "1 on the waitlist" in _list(client)


def test_each_doctor_sees_only_their_own_status_on_a_shared_row(client):
    masterclass = make_masterclass(title="Shared row", starts_at=SOON)
    registered = _doctor_user()
    make_registration(masterclass, db.session.get(Doctor, registered.doctor_id))
    login_as(client, registered)
    assert 'status-badge">registered<' in _list(client)
    client.submit("/logout", {}, page="/masterclasses")

    login_as(client, _doctor_user())
    html = _list(client)
    assert "Shared row" in html and "status-badge" not in html


def test_the_same_class_is_drawn_in_each_doctors_language(client):
    make_masterclass(title="Open class", starts_at=SOON, credit_hours=6.0)
    login_as(client, _doctor_user())
    html = _list(client)
    assert "open to all doctors" in html and "6 credit hours" in html
    client.submit("/logout", {}, page="/masterclasses")

    login_as(client, _doctor_user(language=Language.RU))
    html = _list(client)
    assert "для всех врачей" in html and "6 зачётных часов" in html
    assert "open to all doctors" not in html


def test_a_class_is_drawn_once_and_its_texts_are_escaped(client):
    cohort = make_cohort()
    hospital = make_hospital(name="Rambam <Haifa>")
    title = '<script>alert("x")</script> Suturing'
    make_masterclass(title=title, cohort_id=cohort.id, hospital_id=hospital.id, starts_at=SOON)
    login_as(client, make_user(Role.DOCTOR, doctor_id=make_enrollment(cohort).doctor_id))
    first = _list(client)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Suturing" in first
    assert "<script>alert" not in first and "Rambam &lt;Haifa&gt;" in first

    drawn = list_rows._drawn.cache_info()
    assert _list(client) == first
    again = list_rows._drawn.cache_info()
    assert again.hits == drawn.hits + 1 and again.misses == drawn.misses


def test_counts_and_hours_take_the_plural_form_of_the_page_language(client):
    cohort = make_cohort()
    make_masterclass(title="One place", capacity=1, credit_hours=1.0, starts_at=SOON)
    make_masterclass(
        title="Two places", capacity=2, credit_hours=1.5, cohort_id=cohort.id, starts_at=SOON
    )
    login_as(client, make_user(Role.DOCTOR, doctor_id=make_enrollment(cohort).doctor_id))
    html = _list(client)
    assert "1 place left" in html and "2 places left" in html
    assert "1 credit hour<" in html and "1.5 credit hours" in html
    client.submit("/logout", {}, page="/masterclasses")

    russian = _doctor_user(language=Language.RU)
    make_enrollment(cohort, doctor=db.session.get(Doctor, russian.doctor_id))
    login_as(client, russian)
    html = _list(client)
    assert "осталось 1 место" in html and "осталось 2 места" in html
    assert "1 зачётный час" in html and "1,5 зачётных часа" in html

