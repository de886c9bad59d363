"""Invitation letters for visas, and reminders before a needed document expires."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from somet.documents.letters import STATIC_DIR, StaticOnlyFetcher
from somet.documents.operations import send_document_expiry_reminders
from somet.models import Doctor, DocumentStatus, EnrollmentStatus, Notification, Role
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    make_cohort,
    make_doctor,
    make_document_requirement,
    make_enrollment,
    make_hospital,
    make_travel_document,
    make_user,
)


def _cohort_with_doctors(count=2, tag=""):
    host = make_hospital(name=f"Rambam Health Care Campus{tag}", address="8 HaAliya HaShniya St")
    cohort = make_cohort(hosts=[host], name="Abay region — surgical specialties")
    doctors = [
        make_doctor(
            first_name=f"Aigerim{n}",
            last_name="Bekova",
            passport_number=f"N1234567{n}{tag}",
            passport_expires_on=date(2031, 6, 30),
            nationality="Kazakhstan",
            date_of_birth=date(1988, 3, 14),
        )
        for n in range(count)
    ]
    enrollments = [make_enrollment(cohort, doctor) for doctor in doctors]
    return cohort, enrollments


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_letter_states_programme_dates_host_and_passport_details(client):
    cohort, enrollments = _cohort_with_doctors()
    login_as(client, make_user(Role.DIRECTOR))
    response = client.get(f"/documents/cohorts/{cohort.id}/letters/{enrollments[0].id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = _text(response.data)
    for expected in (
        "Aigerim0 Bekova",
        "N12345670",
        "30 Jun 2031",
        "Kazakhstan",
        "14 Mar 1988",
        "Abay region — surgical specialties",
        "Rambam Health Care Campus",
        "8 HaAliya HaShniya St",
        "7 Mar 2027",
        "18 Mar 2027",
    ):
        assert expected in text, expected
    assert "N12345671" not in text  # only this doctor's letter


def test_batch_zip_has_one_letter_per_doctor(client):
    cohort, _enrollments = _cohort_with_doctors(3)
    login_as(client, make_user(Role.DIRECTOR))
    response = client.get(f"/documents/cohorts/{cohort.id}/letters.zip")
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = sorted(archive.namelist())
    assert len(names) == 3 and all(name.endswith(".pdf") for name in names)
    passports = sorted(_text(archive.read(name)).split("N1234567")[1][0] for name in names)
    assert passports == ["0", "1", "2"]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.DOCTOR])
def test_letters_are_for_directors_only(client, role):
    cohort, enrollments = _cohort_with_doctors(1)
    login_as(client, make_user(role))
    assert client.get(f"/documents/cohorts/{cohort.id}/letters.zip").status_code == 403
    url = f"/documents/cohorts/{cohort.id}/letters/{enrollments[0].id}.pdf"
    assert client.get(url).status_code == 403


def test_another_cohorts_enrollment_id_is_404(client):
    cohort, _enrollments = _cohort_with_doctors(1)
    _other, other_enrollments = _cohort_with_doctors(1, tag="B")
    login_as(client, make_user(Role.DIRECTOR))
    url = f"/documents/cohorts/{cohort.id}/letters/{other_enrollments[0].id}.pdf"
    assert client.get(url).status_code == 404


def test_letters_fetch_only_our_static_files_and_data_urls():
    fetcher = StaticOnlyFetcher()
    font = (STATIC_DIR / "fonts" / "DejaVuSans.ttf").as_uri()
    assert fetcher.fetch(font) is not None
    assert fetcher.fetch("data:text/plain,hello") is not None
    for url in ("http://example.org/x.png", "file:///etc/passwd", f"{STATIC_DIR.as_uri()}/../x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


TODAY = date(2027, 1, 1)


def _needed_passport(valid_until, *, requires_expiry=True, cohort_start=date(2027, 3, 7)):
    host = make_hospital()
    make_document_requirement(host, "passport", expires=requires_expiry)
    cohort = make_cohort(hosts=[host], start_date=cohort_start)
    user = make_user(Role.DOCTOR)
    doctor = db.session.get(Doctor, user.doctor_id)
    enrollment = make_enrollment(cohort, doctor)
    document = make_travel_document(
        doctor, "passport", status=DocumentStatus.ACCEPTED, valid_until=valid_until
    )
    return user, document, enrollment


def _reminders() -> list[Notification]:
    return db.session.scalars(
        select(Notification).where(Notification.kind == "document_expiring")
    ).all()


def test_expiry_reminders_fire_once_at_30_and_once_at_7_days(app):
    user, _document, _enrollment = _needed_passport(TODAY + timedelta(days=25))
    assert send_document_expiry_reminders(TODAY) == 1
    assert send_document_expiry_reminders(TODAY) == 0
    assert send_document_expiry_reminders(TODAY + timedelta(days=3)) == 0
    assert send_document_expiry_reminders(TODAY + timedelta(days=18)) == 1  # 7 days left
    assert send_document_expiry_reminders(TODAY + timedelta(days=19)) == 0
    reminders = _reminders()
    assert [n.to_email for n in reminders] == [user.email, user.email]
    assert "2027-01-26" in reminders[0].subject


def test_no_reminder_when_the_document_is_not_needed(app):
    _needed_passport(TODAY + timedelta(days=60))  # not yet within 30 days
    _needed_passport(TODAY + timedelta(days=20), cohort_start=TODAY + timedelta(days=3))
    _needed_passport(TODAY + timedelta(days=20), requires_expiry=False)
    _u, _d, withdrawn = _needed_passport(TODAY + timedelta(days=20))
    withdrawn.status = EnrollmentStatus.WITHDRAWN
    _u, rejected, _e = _needed_passport(TODAY + timedelta(days=20))
    rejected.status = DocumentStatus.REJECTED
    db.session.commit()
    assert send_document_expiry_reminders(TODAY) == 0
    assert _reminders() == []


def test_no_reminder_once_a_renewed_document_is_uploaded(app):
    user, old, _enrollment = _needed_passport(TODAY + timedelta(days=20))
    make_travel_document(db.session.get(Doctor, user.doctor_id), "passport")  # to 2031
    assert send_document_expiry_reminders(TODAY) == 0
    assert old.status == DocumentStatus.ACCEPTED


def test_the_job_runner_sends_the_reminders_nightly(app):
    from datetime import UTC, datetime

    from somet.jobs.registry import scheduled_jobs

    _needed_passport(TODAY + timedelta(days=25))
    job = scheduled_jobs(app)["document-expiry-reminders"]
    assert job.trigger == "cron"
    now = datetime(TODAY.year, TODAY.month, TODAY.day, 2, tzinfo=UTC)
    assert job.function(now) == {"reminders": 1}
    assert job.function(now) == {"reminders": 0}
