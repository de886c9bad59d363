"""Credit for masterclasses beyond the cohort: each class's hours on its own certificate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from somet.certificates import masterclass_issuing
from somet.certificates import operations as service
from somet.models import Certificate, CertificateKind, Doctor, RegistrationStatus
from somet.web.extensions import db
from tests.certificate_data import finished_cohort, use_fake_renderer
from tests.conftest import login_as
from tests.factories import make_masterclass, make_registration

ENDED = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)


def _certificate(kind: CertificateKind) -> Certificate:
    (certificate,) = db.session.scalars(select(Certificate).where(Certificate.kind == kind))
    return certificate


def test_open_class_hours_are_on_its_own_certificate_not_on_the_internship_one(
    client, users, monkeypatch
):
    use_fake_renderer(monkeypatch)
    cohort, (enrollment,) = finished_cohort(complete=1)
    doctor = db.session.get(Doctor, enrollment.doctor_id)
    own = make_masterclass(cohort_id=cohort.id, credit_hours=8.0, starts_at=ENDED)
    open_class = make_masterclass(credit_hours=5.0, starts_at=ENDED, title="Open ultrasound")
    for masterclass in (own, open_class):
        make_registration(masterclass, doctor, status=RegistrationStatus.ATTENDED)
    login_as(client, users["director"])
    service.issue_certificates(users["director"], cohort.id)
    internship = _certificate(CertificateKind.INTERNSHIP)
    assert internship.hours == 3 * 6.0 + 8.0  # its cohort's class only
    page = client.get(f"/cohorts/{cohort.id}/certificates").get_data(as_text=True)
    assert "counts the credit hours of its own cohort" in page
    show = f"/masterclasses/{open_class.id}"
    client.submit(f"{show}/certificates/issue", {}, page=show)
    titles = {
        c.snapshot["masterclass"]["title"]: c.hours
        for c in db.session.scalars(
            select(Certificate).where(Certificate.kind == CertificateKind.MASTERCLASS)
        )
    }
    assert titles == {own.title: 8.0, "Open ultrasound": 5.0}


def test_a_class_not_yet_over_gets_no_certificates(client, users):
    masterclass = make_masterclass(starts_at=datetime.now(UTC) - timedelta(hours=1))
    login_as(client, users["director"])
    show = f"/masterclasses/{masterclass.id}"
    html = client.get(show).get_data(as_text=True)
    assert "Issue certificates to those who attended" not in html
    client.submit(f"{show}/certificates/issue", {}, page=show)
    assert "once the masterclass has ended" in client.get(show).get_data(as_text=True)


def test_nightly_run_issues_an_ended_open_class_once_and_never_reissues_a_revoked_one(
    app, users, monkeypatch
):
    use_fake_renderer(monkeypatch)
    cohort, (enrollment,) = finished_cohort(complete=1)
    doctor = db.session.get(Doctor, enrollment.doctor_id)
    open_class = make_masterclass(credit_hours=4.0, starts_at=ENDED)
    cohort_class = make_masterclass(cohort_id=cohort.id, starts_at=ENDED)
    later = make_masterclass(starts_at=ENDED + timedelta(days=30))
    for masterclass in (open_class, cohort_class, later):
        make_registration(masterclass, doctor, status=RegistrationStatus.ATTENDED)
    run = masterclass_issuing.issue_due_masterclass_certificates
    assert run(ENDED + timedelta(days=1)) == {"masterclasses": 1, "issued": 1}
    assert run(ENDED + timedelta(days=2)) == {"masterclasses": 0, "issued": 0}
    certificate = _certificate(CertificateKind.MASTERCLASS)
    assert certificate.masterclass_id == open_class.id and certificate.hours == 4.0
    service.revoke_certificate(users["director"], certificate.id, "attended only an hour")
    assert run(ENDED + timedelta(days=3)) == {"masterclasses": 0, "issued": 0}
