"""One home per rule: the staff check, templates asking the views' own checks, refusals."""

import pytest

from somet.core.errors import NotAllowed
from somet.models import Language, Role
from somet.web.access import STAFF, may, require_staff
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import make_cohort, make_hospital, make_user


def test_staff_are_administrators_and_directors_only():
    assert [role for role in Role if role.is_staff] == [Role.ADMIN, Role.DIRECTOR]
    assert STAFF == (Role.ADMIN, Role.DIRECTOR)


@pytest.mark.parametrize("role", list(Role))
def test_the_one_staff_check_refuses_everyone_else(app, role):
    with app.test_request_context():
        user = make_user(role)
        if role.is_staff:
            require_staff(user)
        else:
            with pytest.raises(NotAllowed):
                require_staff(user)
        with pytest.raises(NotAllowed):
            require_staff(None)  # nobody is not staff


def _may(app, user, endpoint: str) -> bool:
    from flask_login import login_user

    with app.test_request_context():
        login_user(user)
        return may(endpoint)


def test_may_answers_what_the_view_itself_lets_in(app):
    admin, director, doctor = (make_user(r) for r in (Role.ADMIN, Role.DIRECTOR, Role.DOCTOR))
    assert _may(app, director, "documents.download_letters")
    assert not _may(app, admin, "documents.download_letters")  # the view is director-only
    assert _may(app, admin, "masterclasses.new_masterclass")
    assert not _may(app, doctor, "masterclasses.new_masterclass")
    assert _may(app, doctor, "masterclasses.create_registration")
    assert not _may(app, director, "masterclasses.create_registration")


def test_the_letters_link_shows_only_to_whom_the_letters_view_lets_in(client, users):
    cohort = make_cohort()
    letters = f"/documents/cohorts/{cohort.id}/letters.zip"
    for role, shown in (("director", True), ("admin", False)):
        login_as(client, users[role])
        page = client.get(f"/documents/cohorts/{cohort.id}").get_data(as_text=True)
        assert (letters in page) is shown
        assert (client.get(letters).status_code != 403) is shown
        client.submit("/logout", {}, page="/account/password")


def test_a_guessed_holiday_id_is_a_404_not_a_message(client, users):
    hospital = make_hospital()
    login_as(client, users["director"])
    page = f"/hospitals/{hospital.id}"
    response = client.submit(f"/hospitals/{hospital.id}/holidays/9999/delete", {}, page=page)
    assert response.status_code == 404


def test_a_refused_form_shows_the_reason_under_its_field_in_the_users_language(client, users):
    make_hospital(name="Rambam")
    director = users["director"]
    director.language = Language.RU
    db.session.commit()
    login_as(client, director)
    fields = {"name": "Rambam", "city": "Haifa", "country": "IL", "timezone": "Asia/Jerusalem"}
    response = client.submit("/hospitals/new", {**fields, "working_weekdays": ["0", "1"]})
    assert response.status_code == 200  # the form again, not a redirect: nothing was saved
    assert "Больница с названием «Rambam» уже есть." in response.get_data(as_text=True)
