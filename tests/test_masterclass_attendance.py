"""Attendance at masterclasses: a list marked by the host, or a QR check-in link."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from somet.masterclasses import check_in as attendance
from somet.models import Doctor, Registration, RegistrationStatus, Role, User
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    make_enrollment,
    make_hospital,
    make_masterclass,
    make_registration,
    make_user,
)

SECRET = "testing-secret-key"  # the testing config's SECRET_KEY


def _doctor_user():
    return make_user(Role.DOCTOR, doctor_id=make_enrollment().doctor_id)


def _status(masterclass, user) -> RegistrationStatus:
    return db.session.scalar(
        select(Registration.status).where(
            Registration.masterclass_id == masterclass.id,
            Registration.doctor_id == user.doctor_id,
        )
    )


def _running_now(**overrides):
    now = datetime.now(UTC)
    return make_masterclass(starts_at=now - timedelta(minutes=10), **overrides)


def test_host_coordinator_marks_attendance_from_the_list(client):
    hospital = make_hospital()
    masterclass = _running_now(hospital_id=hospital.id)
    came, stayed_away = _doctor_user(), _doctor_user()
    for user in (came, stayed_away):
        make_registration(masterclass, db.session.get(Doctor, user.doctor_id))
    login_as(client, make_user(Role.COORDINATOR, hospital_id=hospital.id))
    page = f"/masterclasses/{masterclass.id}"
    assert "Save attendance" in client.get(page).get_data(as_text=True)
    response = client.submit(
        f"/masterclasses/{masterclass.id}/attendance", {"attended": [came.doctor_id]}, page=page
    )
    assert response.status_code == 302
    assert _status(masterclass, came) == RegistrationStatus.ATTENDED
    assert _status(masterclass, stayed_away) == RegistrationStatus.REGISTERED


def test_coordinator_of_another_hospital_cannot_take_attendance(client):
    masterclass = _running_now(hospital_id=make_hospital().id)
    doctor = _doctor_user()
    make_registration(masterclass, db.session.get(Doctor, doctor.doctor_id))
    login_as(client, make_user(Role.COORDINATOR))
    assert client.get(f"/masterclasses/{masterclass.id}").status_code == 404
    response = client.submit(
        f"/masterclasses/{masterclass.id}/attendance",
        {"attended": [doctor.doctor_id]},
        page="/masterclasses",
    )
    assert response.status_code == 404
    assert _status(masterclass, doctor) == RegistrationStatus.REGISTERED


def test_doctor_checks_in_by_scanning_the_code_in_the_room(client, users):
    masterclass = _running_now()
    doctor = _doctor_user()
    make_registration(masterclass, db.session.get(Doctor, doctor.doctor_id))
    login_as(client, users["director"])
    html = client.get(f"/masterclasses/{masterclass.id}/check-in-code").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in html
    token = attendance.check_in_token(SECRET, masterclass)
    link = f"/masterclasses/{masterclass.id}/check-in/{token}"
    client.submit("/logout", {}, page="/masterclasses")
    login_as(client, doctor)
    assert "Check me in" in client.get(link).get_data(as_text=True)
    assert _status(masterclass, doctor) == RegistrationStatus.REGISTERED  # GET changes nothing
    client.submit(link, {}, page=link)
    assert _status(masterclass, doctor) == RegistrationStatus.ATTENDED


def test_check_in_link_expires_and_works_only_around_the_session(app):
    start = datetime(2027, 4, 2, 5, 0, tzinfo=UTC)
    masterclass = make_masterclass(starts_at=start, ends_at=start + timedelta(hours=3))
    doctor = _doctor_user()
    make_registration(masterclass, db.session.get(Doctor, doctor.doctor_id))
    shown = attendance.check_in_token(SECRET, masterclass, shown_at=start)
    refused = attendance.CheckInRefused
    with pytest.raises(refused, match="expired"):  # a photo of the code, used next day
        attendance.check_in(doctor, masterclass.id, shown, SECRET, now=start + timedelta(days=1))
    early = attendance.check_in_token(SECRET, masterclass, shown_at=start - timedelta(hours=2))
    with pytest.raises(refused, match="only around the time"):
        attendance.check_in(doctor, masterclass.id, early, SECRET, now=start - timedelta(hours=2))
    with pytest.raises(refused, match="not valid"):
        attendance.check_in(doctor, masterclass.id, shown + "x", SECRET, now=start)
    other = make_masterclass(starts_at=start)
    with pytest.raises(refused, match="another masterclass"):
        attendance.check_in(doctor, other.id, shown, SECRET, now=start + timedelta(minutes=5))
    db.session.rollback()
    assert _status(masterclass, doctor) == RegistrationStatus.REGISTERED
    user = db.session.get(User, doctor.id)
    attendance.check_in(user, masterclass.id, shown, SECRET, now=start + timedelta(minutes=20))
    assert _status(masterclass, doctor) == RegistrationStatus.ATTENDED


def test_waitlisted_doctor_cannot_check_in(app):
    masterclass = _running_now()
    doctor = _doctor_user()
    make_registration(
        masterclass, db.session.get(Doctor, doctor.doctor_id), status=RegistrationStatus.WAITLISTED
    )
    token = attendance.check_in_token(SECRET, masterclass)
    with pytest.raises(attendance.CheckInRefused, match="not registered"):
        attendance.check_in(doctor, masterclass.id, token, SECRET)
