"""Certificates reach their holders (issue 19 item 3): issuing, re-issuing and revoking each
write one e-mail, in the holder's language, with the download and verification links."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from somet.certificates import operations as service
from somet.certificates import tasks as auto_certificates
from somet.jobs import operations as background
from somet.models import Certificate, Doctor, Language, Notification, Role
from somet.web.extensions import db
from tests.certificate_data import finished_cohort, use_fake_renderer
from tests.conftest import login_as
from tests.factories import make_user


def _mails(kind: str) -> list[Notification]:
    query = select(Notification).where(Notification.kind == kind).order_by(Notification.id)
    return list(db.session.scalars(query))


def _certificate_of(doctor_id: int) -> Certificate:
    return db.session.scalars(
        select(Certificate).where(
            Certificate.doctor_id == doctor_id, Certificate.revoked_at.is_(None)
        )
    ).one()


def test_a_batch_writes_one_email_per_new_certificate_in_the_holders_language(
    app, client, users, monkeypatch
):
    public = app.config["SOMET_PUBLIC_URL"]
    use_fake_renderer(monkeypatch)
    cohort, enrollments = finished_cohort(complete=2, incomplete=1)
    kazakh = db.session.get(Doctor, enrollments[0].doctor_id)
    kazakh.preferred_language = Language.KK
    with_login = db.session.get(Doctor, enrollments[1].doctor_id)
    login = make_user(Role.DOCTOR, doctor_id=with_login.id, language=Language.RU)
    db.session.commit()
    login_as(client, users["director"])
    page = f"/cohorts/{cohort.id}/certificates"
    client.submit(f"{page}/issue", page=page)
    background.run_queued_jobs()
    mails = {mail.to_email: mail for mail in _mails("certificate_issued")}
    assert set(mails) == {kazakh.email, login.email}  # the incomplete doctor gets nothing
    to_kazakh, to_login = mails[kazakh.email], mails[login.email]
    certificate = _certificate_of(kazakh.id)
    assert to_kazakh.language == "kk" and certificate.serial in to_kazakh.subject
    assert f"{public}/certificates/{certificate.id}/download" in to_kazakh.body
    assert f"{public}/verify/{certificate.verification_code}" in to_kazakh.body
    assert to_login.language == "ru" and "Ваш сертификат" in to_login.body
    client.submit(f"{page}/issue", page=page)  # again: nothing new, nobody told twice
    background.run_queued_jobs()
    assert len(_mails("certificate_issued")) == 2


def test_revoking_tells_the_holder_why(client, users, monkeypatch):
    use_fake_renderer(monkeypatch)
    cohort, enrollments = finished_cohort(complete=1)
    service.issue_certificates(None, cohort.id)
    certificate = _certificate_of(enrollments[0].doctor_id)
    login_as(client, users["director"])
    client.submit(f"/certificates/{certificate.id}/revoke", {"reason": "Issued in error"})
    (mail,) = _mails("certificate_revoked")
    assert certificate.serial in mail.subject and "Issued in error" in mail.body
    assert f"/verify/{certificate.verification_code}" in mail.body


def test_reissuing_sends_the_new_certificate_naming_the_old_one(users, monkeypatch):
    use_fake_renderer(monkeypatch)
    cohort, enrollments = finished_cohort(complete=1)
    service.issue_certificates(None, cohort.id)
    old = _certificate_of(enrollments[0].doctor_id)
    new = service.reissue_certificate(users["director"], old.id, "Name corrected")
    _first, second = _mails("certificate_issued")
    assert new.serial in second.subject and old.serial in second.body
    assert _mails("certificate_revoked") == []  # one message for a re-issue, not two


def test_the_nightly_auto_issue_tells_each_new_holder_once(users, monkeypatch):
    use_fake_renderer(monkeypatch)
    cohort, enrollments = finished_cohort(complete=2)
    cohort.auto_issue_certificates = True
    db.session.commit()
    now = datetime.combine(cohort.end_date + timedelta(days=1), time(2), UTC)
    assert auto_certificates.issue_due_certificates(now)["issued"] == 2
    auto_certificates.issue_due_certificates(now)
    holders = {db.session.get(Doctor, e.doctor_id).email for e in enrollments}
    assert {mail.to_email for mail in _mails("certificate_issued")} == holders
    assert len(_mails("certificate_issued")) == 2
