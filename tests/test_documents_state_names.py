"""One name per document state: an upload waiting for a decision is "Awaiting review" on
every page that shows it (doctor, director, coordinator, readiness reasons), in each language."""

import pytest
from flask_babel import force_locale

from somet.documents.labels import STATE_LABELS, state_label
from somet.documents.queries import doctors_not_ready
from somet.models import Doctor, Language, Role
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

AWAITING = {"en": "Awaiting review", "ru": "Ожидает проверки", "kk": "Тексеруді күтуде"}
# The other names this state once had on some pages.
FORMER_NAMES = {
    "en": ["Uploaded<", "awaiting review"],
    "ru": ["Загружен<", "ожидает проверки"],
    "kk": ["Жүктелген<", "тексеруді күтуде"],
}


def _pages_showing_an_upload():
    host = make_hospital()
    make_document_requirement(host, "passport")
    cohort = make_cohort(hosts=[host])
    doctor_user = make_user(Role.DOCTOR)
    doctor = db.session.get(Doctor, doctor_user.doctor_id)
    make_enrollment(cohort, doctor)
    document = make_travel_document(doctor, "passport")
    coordinator = make_user(Role.COORDINATOR, hospital_id=host.id)
    return cohort, {
        doctor_user: ["/documents/mine"],
        coordinator: ["/documents/hospital"],
        "director": [
            f"/documents/cohorts/{cohort.id}",
            "/documents/review",
            f"/documents/{document.id}",
        ],
    }


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_an_upload_waiting_for_review_has_one_name_everywhere(app, users, language):
    cohort, pages = _pages_showing_an_upload()
    for who, urls in pages.items():
        user = users[who] if who == "director" else who
        user.language = Language(language)
        db.session.commit()
        client = app.test_client()
        login_as(client, user)
        for url in urls:
            page = client.get(url).get_data(as_text=True)
            assert AWAITING[language] in page, f"{url} in {language}"
            for former in FORMER_NAMES[language]:
                assert former not in page, f"{former!r} on {url} in {language}"
    with force_locale(language):
        assert state_label("uploaded") == AWAITING[language]
        [(_name, reasons)] = doctors_not_ready(cohort)
        assert AWAITING[language] in reasons[0]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_document_state_is_translated(app, language):
    with force_locale(language), app.test_request_context():
        names = {state: str(label) for state, label in STATE_LABELS.items()}
    with force_locale("en"), app.test_request_context():
        english = {state: str(label) for state, label in STATE_LABELS.items()}
    assert all(names[state] != english[state] for state in names), names
    assert len(set(names.values())) == len(names)  # no two states share a name
