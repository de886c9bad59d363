"""Logging in and out, sessions that really end, invitations."""

import re
from datetime import timedelta

from sqlalchemy import select

from somet.accounts import operations as accounts
from somet.models import CohortStatus, Doctor, Invitation, Notification, Role, User, utcnow
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import PASSWORD, make_cohort, make_enrollment, make_hospital, make_user


def test_director_logs_in_and_sees_home(client, users):
    response = login_as(client, users["director"])
    assert response.headers["Location"].endswith("/")
    page = client.get("/").get_data(as_text=True)
    assert users["director"].full_name in page
    assert "cohorts" in page


def test_wrong_password_is_refused_without_saying_which_part(client, users):
    response = client.submit(
        "/login", {"email": users["director"].email, "password": "nope-nope-nope"}
    )
    assert response.status_code == 200
    assert "Wrong e-mail or password" in response.get_data(as_text=True)
    unknown = client.submit("/login", {"email": "nobody@example.org", "password": "nope-nope-nope"})
    assert "Wrong e-mail or password" in unknown.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_email_is_matched_case_insensitively(client, users):
    response = client.submit(
        "/login", {"email": users["doctor"].email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302


def test_inactive_user_cannot_log_in(client):
    user = make_user(Role.DIRECTOR, active=False)
    response = client.submit("/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_login_form_reports_missing_fields(client):
    response = client.submit("/login", {"email": "", "password": ""})
    assert response.status_code == 200
    assert "This field is required." in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, users):
    response = client.post("/login", data={"email": users["director"].email, "password": PASSWORD})
    assert response.status_code == 400


def test_next_redirect_stays_on_this_site(client, users):
    user = users["director"]
    ok = client.submit(
        "/login?next=/admin/users/invite",
        {"email": user.email, "password": PASSWORD},
        page="/login",
    )
    assert ok.headers["Location"] == "/admin/users/invite"
    client.submit("/logout", {}, page="/account/password")
    evil = client.submit(
        "/login?next=//evil.example.com/x",
        {"email": user.email, "password": PASSWORD},
        page="/login",
    )
    assert "evil" not in evil.headers["Location"]


def test_logout_ends_the_session_and_a_copied_cookie_is_refused(app, client, users):
    login_as(client, users["director"])
    stolen = client.get_cookie("session", domain="somet.test").value
    response = client.submit("/logout", {}, page="/account/password")
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", stolen, domain="somet.test")
    assert replay.get("/").status_code == 302  # back to the login page


def test_deactivation_ends_existing_sessions(client, users):
    director = users["director"]
    login_as(client, director)
    assert client.get("/").status_code == 200
    accounts.set_user_active(users["admin"], director, False)
    assert client.get("/").status_code == 302


def test_password_change_keeps_this_session_and_ends_others(app, client, users):
    doctor = users["doctor"]
    other_device = app.test_client()
    login_as(other_device, doctor)
    login_as(client, doctor)
    response = client.submit(
        "/account/password",
        {
            "current_password": PASSWORD,
            "password": "a-brand-new-password",
            "confirm": "a-brand-new-password",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302


def test_password_change_checks_length_and_current_password(client, users):
    login_as(client, users["doctor"])
    short = client.submit(
        "/account/password", {"current_password": PASSWORD, "password": "short", "confirm": "short"}
    )
    assert "Use 10 to 128 characters." in short.get_data(as_text=True)
    wrong = client.submit(
        "/account/password",
        {
            "current_password": "wrong-password!",
            "password": "a-brand-new-password",
            "confirm": "a-brand-new-password",
        },
    )
    assert "The current password is wrong." in wrong.get_data(as_text=True)


def _invite(client, inviter, **fields):
    login_as(client, inviter)
    data = {
        "email": "new.coordinator@example.org",
        "full_name": "Dana Mizrahi",
        "role": "coordinator",
        "hospital_id": str(make_hospital().id),
        "doctor_id": "0",
    }
    data.update(fields)
    return client.submit("/admin/users/invite", data)


def test_director_invites_a_coordinator_who_sets_a_password_once(app, client, users):
    response = _invite(client, users["director"])
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Invitation created" in html
    link = html.split('readonly value="')[1].split('"')[0]
    path = link.replace("http://somet.test", "")
    outbox = db.session.scalars(select(Notification)).all()
    assert [n.to_email for n in outbox] == ["new.coordinator@example.org"]
    assert link in outbox[0].body
    assert (
        db.session.scalar(select(Invitation.token_hash)) != path.rsplit("/", 1)[1]
    )  # stored hashed
    client.submit("/logout", {}, page="/account/password")
    accepted = client.submit(path, {"password": "welcome-to-haifa", "confirm": "welcome-to-haifa"})
    assert accepted.status_code == 302
    login_as(
        client,
        db.session.scalar(select(User).where(User.email == "new.coordinator@example.org")),
        password="welcome-to-haifa",
    )
    client.submit("/logout", {}, page="/account/password")
    reuse = client.get(path)
    assert reuse.status_code == 404 and "invalid, already used or expired" in reuse.get_data(
        as_text=True
    )


def test_expired_invitation_is_refused(client, users):
    issued = accounts.invite_user(
        users["admin"], email="late@example.org", full_name="Late Person", role=Role.DIRECTOR
    )
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/invitations/{issued.token}").status_code == 404
    assert client.get("/invitations/not-a-real-token").status_code == 404


def test_invitation_with_a_known_email_shows_a_form_error(client, users):
    response = _invite(client, users["director"], email=users["doctor"].email)
    assert response.status_code == 200
    assert "already exists" in response.get_data(as_text=True)


def test_director_cannot_invite_an_admin(client, users):
    response = _invite(client, users["director"], role="admin")
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert (
        db.session.scalar(select(User).where(User.email == "new.coordinator@example.org")) is None
    )


def test_coordinator_must_have_a_hospital(client, users):
    response = _invite(client, users["admin"], hospital_id="0")
    assert "Choose the coordinator" in response.get_data(as_text=True)


def test_the_invitation_form_offers_the_doctors_of_cohorts_not_yet_over(client, users):
    coming_cohort = make_cohort(status=CohortStatus.SCHEDULED)
    first, second = (
        db.session.get(Doctor, make_enrollment(coming_cohort).doctor_id) for _ in range(2)
    )
    archived = make_cohort(status=CohortStatus.ARCHIVED)
    past = db.session.get(Doctor, make_enrollment(archived).doctor_id)
    invited = _invite(
        client, users["director"], email="coming@example.org", role="doctor",
        hospital_id="0", doctor_id=str(first.id),
    )  # fmt: skip
    assert "Invitation created" in invited.get_data(as_text=True)
    form = client.get("/admin/users/invite?q=Nurlanovna").get_data(as_text=True)
    doctors = re.search(r'<select[^>]*name="doctor_id".*?</select>', form, re.S).group(0)
    assert f'value="{second.id}"' in doctors and "from that cohort’s roster" in form
    assert f'value="{first.id}"' not in doctors  # has a login now
    assert f'value="{past.id}"' not in doctors
    refused = client.submit("/admin/users/invite", {
        "email": "past@example.org", "full_name": "Past Doctor", "role": "doctor",
        "hospital_id": "0", "doctor_id": str(past.id),
    })  # fmt: skip
    assert refused.status_code == 200 and "Not a valid choice" in refused.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "past@example.org")) is None
