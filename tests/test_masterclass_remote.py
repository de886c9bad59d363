"""Remote attendance: the video link, and the code shown while the class runs."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from sqlalchemy import select

from somet.models import Doctor, Masterclass, Notification, Registration, RegistrationStatus, Role
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import make_enrollment, make_masterclass, make_user

VIDEO = "https://meet.example.org/somet-ecmo"


def _move(masterclass: Masterclass, starts_at: datetime) -> None:
    """Put the class at another time (the clock of the test, not a user's action)."""
    masterclass = db.session.get(Masterclass, masterclass.id)
    masterclass.starts_at, masterclass.ends_at = starts_at, starts_at + timedelta(hours=2)
    db.session.commit()


def _registered_doctor(app, masterclass):
    user = make_user(Role.DOCTOR, doctor_id=make_enrollment().doctor_id)
    client = app.test_client()
    login_as(client, user)
    show = f"/masterclasses/{masterclass.id}"
    client.submit(f"{show}/registration", {}, page=show)
    return client, user


def _status(user) -> RegistrationStatus:
    return db.session.scalar(
        select(Registration.status).where(Registration.doctor_id == user.doctor_id)
    )


def _code_shown_to(director, masterclass) -> str:
    html = director.get(f"/masterclasses/{masterclass.id}").get_data(as_text=True)
    match = re.search(r'id="remote-code">(\w+)<', html)
    return match.group(1) if match else ""


def test_remote_code_works_only_during_the_session_and_once_per_registration(
    app, client, users
):
    masterclass = make_masterclass(
        starts_at=datetime.now(UTC) + timedelta(days=1), video_url=VIDEO
    )
    doctor, user = _registered_doctor(app, masterclass)
    show = f"/masterclasses/{masterclass.id}"
    assert VIDEO in doctor.get(show).get_data(as_text=True)
    (mail,) = db.session.scalars(
        select(Notification).where(Notification.kind == "masterclass_registered")
    )
    assert VIDEO in mail.body
    login_as(client, users["director"])
    assert _code_shown_to(client, masterclass) == ""  # not before the class
    _move(masterclass, datetime.now(UTC) - timedelta(minutes=5))
    code = _code_shown_to(client, masterclass)
    assert len(code) == 6
    _move(masterclass, datetime.now(UTC) + timedelta(hours=1))
    early = doctor.submit(f"{show}/remote-attendance", {"code": code}, page=show)
    assert early.status_code == 302 and _status(user) == RegistrationStatus.REGISTERED
    _move(masterclass, datetime.now(UTC) - timedelta(minutes=5))
    doctor.submit(f"{show}/remote-attendance", {"code": "WRONG1"}, page=show)
    assert "not the code shown" in doctor.get(show).get_data(as_text=True)
    doctor.submit(f"{show}/remote-attendance", {"code": code.lower()}, page=show)
    assert "Your remote attendance is recorded." in doctor.get(show).get_data(as_text=True)
    assert _status(user) == RegistrationStatus.ATTENDED
    doctor.submit(f"{show}/remote-attendance", {"code": code}, page=show)
    assert "already recorded" in doctor.get(show).get_data(as_text=True)
    _move(masterclass, datetime.now(UTC) - timedelta(hours=3))
    refused = doctor.submit(f"{show}/remote-attendance", {"code": code}, page=show)
    assert refused.status_code == 302
    assert "only while the masterclass is on" in doctor.get(show).get_data(as_text=True)


def test_a_doctor_without_a_place_cannot_use_the_code(app, client, users):
    masterclass = make_masterclass(
        starts_at=datetime.now(UTC) - timedelta(minutes=5), video_url=VIDEO
    )
    login_as(client, users["director"])
    code = _code_shown_to(client, masterclass)
    client.submit("/logout", {}, page="/account/password")
    outsider = make_user(Role.DOCTOR, doctor_id=make_enrollment().doctor_id)
    login_as(client, outsider)
    show = f"/masterclasses/{masterclass.id}"
    client.submit(f"{show}/remote-attendance", {"code": code}, page=show)
    assert "not registered for this masterclass" in client.get(show).get_data(as_text=True)


def test_calendar_feed_event_carries_the_video_link(app, client):
    masterclass = make_masterclass(
        starts_at=datetime.now(UTC) + timedelta(days=3), video_url=VIDEO
    )
    doctor, user = _registered_doctor(app, masterclass)
    doctor.submit("/my/calendar/token", {}, page="/my/calendar")
    token = db.session.get(Doctor, user.doctor_id).calendar_token
    ics = client.get(f"/calendar/{token}.ics").data
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["url"]) == VIDEO
    assert f"Video link: {VIDEO}" in str(event["description"])


def test_director_sets_a_video_link_and_a_non_web_address_is_refused(client, users):
    from tests.test_masterclasses import _form

    login_as(client, users["director"])
    bad = client.submit("/masterclasses/new", _form(video_url="javascript:alert(1)"))
    assert bad.status_code == 200 and "Invalid URL" in bad.get_data(as_text=True)
    assert db.session.scalar(select(Masterclass.id)) is None
    assert client.submit("/masterclasses/new", _form(video_url=VIDEO)).status_code == 302
    masterclass = db.session.scalars(select(Masterclass)).one()
    assert masterclass.video_url == VIDEO
    assert VIDEO in client.get(f"/masterclasses/{masterclass.id}").get_data(as_text=True)
