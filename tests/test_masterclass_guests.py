"""Masterclasses beyond the cohort: guests without a login, and certificates for any class."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pypdf
from sqlalchemy import select

from somet.masterclasses import check_in as attendance
from somet.models import Certificate, Doctor, Masterclass, Notification, Registration, User
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import make_masterclass

SECRET = "testing-secret-key"  # the testing config's SECRET_KEY
VIDEO = "https://meet.example.org/somet-airway"
GUEST = {
    "first_name": "Dana",
    "last_name": "Levi",
    "email": "dana.levi@clinic.example.org",
    "licence_number": "IL-77001",
}


def _open_class(**overrides) -> Masterclass:
    starts = datetime.now(UTC) + timedelta(days=2)
    fields = dict(starts_at=starts, credit_hours=6.0, video_url=VIDEO, title="Difficult airway")
    return make_masterclass(**(fields | overrides))


def _move(masterclass: Masterclass, starts_at: datetime, hours: int = 2) -> None:
    """Put the class at another time (the clock of the test, not a user's action)."""
    masterclass = db.session.get(Masterclass, masterclass.id)
    masterclass.starts_at, masterclass.ends_at = starts_at, starts_at + timedelta(hours=hours)
    db.session.commit()


def _mail(kind: str, to: str) -> Notification:
    (note,) = db.session.scalars(
        select(Notification).where(Notification.kind == kind, Notification.to_email == to)
    ).all()
    return note


def _link_path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", body).group(1)


def _register_guest(client, masterclass, **fields) -> str:
    page = f"/masterclasses/{masterclass.id}/public"
    assert "Register without a SOMET login" in client.get(page).get_data(as_text=True)
    response = client.submit(f"{page}/registration", GUEST | fields, page=page)
    assert response.status_code == 302
    return page


def test_guest_registers_confirms_checks_in_gets_a_certificate_and_sees_it_after_a_login(
    client, users
):
    masterclass = _open_class()
    page = _register_guest(client, masterclass)
    assert "open its link to confirm" in client.get(page).get_data(as_text=True)
    assert db.session.scalar(select(Registration.id)) is None  # no place until confirmed
    confirmation = _mail("masterclass_guest_confirm", GUEST["email"])
    link = _link_path(confirmation.body)
    assert "Confirm your registration" in client.get(link).get_data(as_text=True)
    client.submit(link, {}, page=link)
    assert "You are registered." in client.get(page).get_data(as_text=True)
    registered = _mail("masterclass_registered", GUEST["email"])
    assert VIDEO in registered.body and "Difficult airway" in registered.subject
    # In the room: the QR link sends a visitor without a login to the guest check-in.
    _move(masterclass, datetime.now(UTC) - timedelta(minutes=10))
    token = attendance.check_in_token(SECRET, masterclass)
    scanned = client.get(f"/masterclasses/{masterclass.id}/check-in/{token}")
    check_in_page = scanned.headers["Location"]
    wrong = client.submit(check_in_page, {"email": GUEST["email"], "licence_number": "X-1"})
    assert "no registration with this e-mail and licence" in wrong.get_data(as_text=True)
    identity = {"email": GUEST["email"].upper(), "licence_number": GUEST["licence_number"]}
    assert client.submit(check_in_page, identity).status_code == 302
    assert "You are checked in." in client.get(page).get_data(as_text=True)
    # After the class the director issues its certificates from the class's page.
    _move(masterclass, datetime.now(UTC) - timedelta(hours=3))
    login_as(client, users["director"])
    show = f"/masterclasses/{masterclass.id}"
    assert "Dana Levi" in client.get(show).get_data(as_text=True)
    client.submit(f"{show}/certificates/issue", {}, page=show)
    assert "Certificates issued: 1." in client.get(show).get_data(as_text=True)
    _guest_gets_a_login_and_finds_it(client, users)


def _guest_gets_a_login_and_finds_it(client, users) -> None:
    guest = db.session.scalar(select(Doctor).where(Doctor.licence_number == "IL-77001"))
    invite = {
        "email": GUEST["email"], "full_name": "Dana Levi", "role": "doctor",
        "hospital_id": "0", "doctor_id": str(guest.id), "language": "en",
    }  # fmt: skip
    assert client.submit("/admin/users/invite", invite).status_code == 200
    link = _link_path(_mail("invitation", GUEST["email"]).body)
    client.submit("/logout", {}, page="/account/password")
    password = {"password": "welcome-to-haifa", "confirm": "welcome-to-haifa"}
    assert client.submit(link, password).status_code == 302
    login_as(client, db.session.scalar(select(User).where(User.doctor_id == guest.id)),
             password="welcome-to-haifa")  # fmt: skip
    assert "Difficult airway" in client.get("/").get_data(as_text=True)
    mine = client.get("/certificates/mine").get_data(as_text=True)
    assert "Difficult airway" in mine and "no hour is counted twice" in mine
    certificate = db.session.scalar(select(Certificate))
    pdf = client.get(f"/certificates/{certificate.id}/download")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Dana Levi" in text and "Difficult airway" in text


def test_a_guest_link_holds_a_place_only_once_and_a_full_class_waitlists_the_guest(client):
    masterclass = _open_class(capacity=1)
    _register_guest(client, masterclass)
    _register_guest(client, masterclass, email="second@clinic.example.org", licence_number="L2")
    first = _link_path(_mail("masterclass_guest_confirm", GUEST["email"]).body)
    second = _link_path(_mail("masterclass_guest_confirm", "second@clinic.example.org").body)
    client.submit(first, {}, page=first)
    client.submit(first, {}, page=first)  # a second click changes nothing
    client.submit(second, {}, page=second)
    statuses = sorted(s.value for s in db.session.scalars(select(Registration.status)))
    assert statuses == ["registered", "waitlisted"]
    waitlisted = _mail("masterclass_registered", "second@clinic.example.org")
    assert "waitlist" in waitlisted.body
    assert client.get("/masterclasses/guest-requests/not-a-real-token").status_code == 404


def test_a_licence_on_file_with_another_email_is_refused_at_confirmation(client):
    from tests.factories import make_doctor

    make_doctor(licence_number=GUEST["licence_number"], email="someone.else@example.kz")
    masterclass = _open_class()
    page = _register_guest(client, masterclass)
    link = _link_path(_mail("masterclass_guest_confirm", GUEST["email"]).body)
    client.submit(link, {}, page=link)
    assert "on file with another e-mail address" in client.get(page).get_data(as_text=True)
    assert db.session.scalar(select(Registration.id)) is None


def test_guest_registration_is_only_for_classes_open_to_all_and_is_rate_limited(client):
    from tests.factories import make_cohort

    cohort_class = make_masterclass(cohort_id=make_cohort().id)
    assert client.get(f"/masterclasses/{cohort_class.id}/public").status_code == 404
    masterclass = _open_class()
    page = f"/masterclasses/{masterclass.id}/public"
    bad = client.submit(f"{page}/registration", GUEST | {"email": "not-an-email"}, page=page)
    assert bad.status_code == 422 and "Invalid email address" in bad.get_data(as_text=True)
    answers = [
        client.submit(f"{page}/registration", GUEST, page=page).status_code for _ in range(10)
    ]
    assert answers[-1] == 429


def test_guest_attends_remotely_with_the_code_once(client):
    from somet.masterclasses.remote import remote_code

    masterclass = _open_class()
    page = _register_guest(client, masterclass)
    link = _link_path(_mail("masterclass_guest_confirm", GUEST["email"]).body)
    client.submit(link, {}, page=link)
    _move(masterclass, datetime.now(UTC) - timedelta(minutes=10))
    assert "Attending remotely" in client.get(page).get_data(as_text=True)
    entry = {
        "email": GUEST["email"], "licence_number": GUEST["licence_number"],
        "code": remote_code(SECRET, masterclass.id),
    }  # fmt: skip
    assert client.submit(f"{page}/remote-attendance", entry, page=page).status_code == 302
    assert "Your remote attendance is recorded." in client.get(page).get_data(as_text=True)
    again = client.submit(f"{page}/remote-attendance", entry, page=page)
    assert "already recorded" in again.get_data(as_text=True)
    assert db.session.scalar(select(Registration.status)).value == "attended"
