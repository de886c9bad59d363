"""Journey: the director finds a doctor record to invite by a search, not in a list of every
live doctor (a list that grew with the current work). Through HTTP, as a director sees it."""

import re

from sqlalchemy import select

from somet.accounts import queries as logins
from somet.models import CohortStatus, User
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import make_cohort, make_doctor, make_enrollment


def _offered(page: str) -> list[str]:
    """The doctor records the form's list offers, by label (the "—" aside)."""
    select_ = re.search(r'<select[^>]*name="doctor_id".*?</select>', page, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select_)[1:]


def test_director_searches_a_doctor_by_name_and_invites_them(client, users):
    cohort = make_cohort(status=CohortStatus.SCHEDULED)
    erlan = make_doctor(first_name="Erlan", last_name="Abenov", native_name="Ерлан Әбенов")
    dana = make_doctor(first_name="Dana", last_name="Sadykova", native_name="Дана Садықова")
    for doctor in (erlan, dana):
        make_enrollment(cohort, doctor)
    login_as(client, users["director"])

    blank = client.get("/admin/users/invite").get_data(as_text=True)
    assert _offered(blank) == [] and "find their record first" in blank

    found = client.get("/admin/users/invite?q=ерлан").get_data(as_text=True)
    assert _offered(found) == ["Erlan Abenov"] and 'value="ерлан"' in found

    invitation = {"email": "erlan@example.kz", "full_name": "Erlan Abenov", "role": "doctor",
                  "hospital_id": "0", "doctor_id": str(erlan.id), "language": "en"}  # fmt: skip
    sent = client.submit("/admin/users/invite?q=ерлан", invitation)
    assert "Invitation created" in sent.get_data(as_text=True)
    assert db.session.scalar(select(User.doctor_id).where(User.email == "erlan@example.kz"))

    again = client.get("/admin/users/invite?q=ерлан").get_data(as_text=True)
    assert _offered(again) == [] and "No doctor record to invite matches" in again
    assert _offered(client.get("/admin/users/invite?q=sadyk").get_data(as_text=True)) == [
        "Dana Sadykova"
    ]


def test_a_search_matching_many_offers_a_page_and_says_so(client, users, monkeypatch):
    monkeypatch.setattr(logins, "DOCTORS_OFFERED", 2)
    cohort = make_cohort(status=CohortStatus.ACTIVE)
    for last in ("Omarov", "Bekov", "Alimov"):
        make_enrollment(cohort, make_doctor(first_name="Serik", last_name=last))
    login_as(client, users["director"])
    page = client.get("/admin/users/invite?q=serik").get_data(as_text=True)
    assert _offered(page) == ["Serik Alimov", "Serik Bekov"]
    assert "Only the first 2 matching doctor records are offered" in page
    narrower = client.get("/admin/users/invite?q=serik+omar").get_data(as_text=True)
    assert _offered(narrower) == ["Serik Omarov"]
