"""One name order per language: the roster, the timeline and the other pages agree."""

from __future__ import annotations

import pytest

from somet.core.localisation import latin_name_in, other_name, person_name
from somet.models import Language, PlacementStatus, User
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    make_cohort,
    make_department,
    make_doctor,
    make_enrollment,
    make_hospital,
    make_placement,
)

GIVEN_FIRST = "Zhanar Abdrakhmanova"
FAMILY_FIRST = "Abdrakhmanova Zhanar"
ORDER = {"en": (GIVEN_FIRST, FAMILY_FIRST), "ru": (FAMILY_FIRST, GIVEN_FIRST),
         "kk": (FAMILY_FIRST, GIVEN_FIRST)}  # fmt: skip


def test_the_latin_name_is_given_first_in_english_and_family_first_in_russian_and_kazakh():
    assert latin_name_in("Zhanar", "Abdrakhmanova", "en") == GIVEN_FIRST
    assert latin_name_in("Zhanar", "Abdrakhmanova", "ru") == FAMILY_FIRST
    assert latin_name_in("Zhanar", "Abdrakhmanova", "kk") == FAMILY_FIRST
    assert latin_name_in("Zhanar", "", "ru") == "Zhanar"  # no stray space


def test_the_native_name_is_shown_as_written_on_russian_and_kazakh_pages():
    native = "Жанар Әбдірахманова"
    assert person_name("Zhanar", "Abdrakhmanova", native, "kk") == native
    assert person_name("Zhanar", "Abdrakhmanova", native, "en") == GIVEN_FIRST
    # the small second line names the person in the other script, never twice the same
    assert other_name("Zhanar", "Abdrakhmanova", native, "en") == native
    assert other_name("Zhanar", "Abdrakhmanova", native, "ru") == FAMILY_FIRST
    assert other_name("Zhanar", "Abdrakhmanova", None, "ru") == ""


def _cohort_with_zhanar():
    hospital = make_hospital(name="Rambam")
    department = make_department(hospital, name="Surgery", capacity=5)
    cohort = make_cohort(hosts=[hospital])
    doctor = make_doctor(first_name="Zhanar", last_name="Abdrakhmanova", native_name=None)
    enrollment = make_enrollment(cohort, doctor)
    make_placement(enrollment, department, status=PlacementStatus.REQUESTED)
    return cohort, doctor, hospital


def _switch(client, language: str) -> None:
    client.submit("/language", {"language": language, "next": "/"}, page="/")


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_roster_timeline_and_doctor_pages_name_people_in_one_order(client, users, language):
    cohort, doctor, _hospital = _cohort_with_zhanar()
    login_as(client, users["director"])
    _switch(client, language)
    shown, not_shown = ORDER[language]
    pages = (f"/cohorts/{cohort.id}", f"/cohorts/{cohort.id}/timeline",
             f"/doctors/{doctor.id}", "/doctors", f"/documents/cohorts/{cohort.id}")  # fmt: skip
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.get_data(as_text=True)
        assert shown in html, page
        assert not_shown not in html, page


@pytest.mark.parametrize("language", ["en", "kk"])
def test_the_coordinators_requests_name_people_in_the_same_order(client, language):
    _cohort, _doctor, hospital = _cohort_with_zhanar()
    from somet.models import Role
    from tests.factories import make_user

    coordinator = make_user(Role.COORDINATOR, hospital_id=hospital.id)
    login_as(client, coordinator)
    _switch(client, language)
    html = client.get("/requests").get_data(as_text=True)
    shown, not_shown = ORDER[language]
    assert shown in html and not_shown not in html


def test_a_known_native_name_leads_on_russian_pages_with_the_latin_one_under_it(client, users):
    cohort, doctor, _hospital = _cohort_with_zhanar()
    doctor.native_name = "Жанар Әбдірахманова"
    db.session.commit()
    director = users["director"]
    login_as(client, director)
    _switch(client, "ru")
    assert db.session.get(User, director.id).language == Language.RU
    roster = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    timeline = client.get(f"/cohorts/{cohort.id}/timeline").get_data(as_text=True)
    assert "Жанар Әбдірахманова" in roster and "Жанар Әбдірахманова" in timeline
    assert FAMILY_FIRST in roster and GIVEN_FIRST not in roster


def test_names_stored_with_a_plan_follow_the_reader_and_old_texts_stay_as_written(app):
    from flask import render_template_string
    from flask_babel import force_locale

    stored = ["Zhanar", "Abdrakhmanova", ""]  # a PersonName read back from a plan's JSON
    with app.test_request_context("/"):
        for language, (shown, _other) in ORDER.items():
            with force_locale(language):
                assert render_template_string("{{ d|person_name }}", d=stored) == shown
                # plans saved before the rule kept the name as text: shown as it was written
                assert render_template_string("{{ d|person_name }}", d=GIVEN_FIRST) == GIVEN_FIRST
