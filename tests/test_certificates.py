"""Issuing, storing, downloading, revoking and re-issuing certificates, as users see it."""

from __future__ import annotations

import io
import threading
import zipfile
from pathlib import Path
from urllib.parse import quote

import pypdf
import pytest
from sqlalchemy import func, select

from somet.certificates import batches, storage
from somet.certificates import operations as service
from somet.certificates import tasks as auto_certificates
from somet.certificates.files import verify_url
from somet.core.errors import NotAllowed
from somet.jobs import operations as background
from somet.jobs.registry import scheduled_jobs
from somet.models import (
    AuditEvent,
    Certificate,
    CertificateKind,
    Doctor,
    JobOutcome,
    JobRun,
    RegistrationStatus,
    Role,
)
from somet.web.extensions import db
from tests.certificate_data import finished_cohort, use_fake_renderer
from tests.conftest import POSTGRES_URL, login_as
from tests.factories import make_masterclass, make_registration, make_user


def _certificates(**where) -> list[Certificate]:
    query = select(Certificate).order_by(Certificate.serial)
    for name, value in where.items():
        query = query.where(getattr(Certificate, name) == value)
    return list(db.session.scalars(query))


def _storage(app) -> Path:
    return Path(app.config["SOMET_STORAGE_DIR"])


def test_director_sees_who_is_complete_and_why_with_constant_queries(client, users, count_queries):
    small, _ = finished_cohort(complete=1, incomplete=1)
    large, _ = finished_cohort(complete=4, incomplete=4)
    small_page = f"/cohorts/{small.id}/certificates"
    large_page = f"/cohorts/{large.id}/certificates"
    login_as(client, users["director"])
    page = client.get(small_page).get_data(as_text=True)
    assert "complete" in page and "incomplete" in page
    assert "Core rotation: present 1 of the 3 days needed." in page
    with count_queries() as few:
        client.get(small_page)
    with count_queries() as many:
        assert client.get(large_page).status_code == 200
    assert len(few) == len(many)
    # the login with the menu badges, the cohort (director, hosts, rotations), the roster, the
    # placements, masterclass hours, the live certificates, the issue and re-issue runs
    assert len([q for q in many if not q.startswith("BEGIN")]) == 7


def test_issuing_twice_runs_one_batch_with_one_certificate_per_complete_doctor(app, client, users):
    cohort, enrollments = finished_cohort(complete=2, incomplete=1)
    login_as(client, users["director"])
    page = f"/cohorts/{cohort.id}/certificates"
    client.submit(f"{page}/issue", page=page)
    client.submit(f"{page}/issue", page=page)
    assert db.session.scalar(select(func.count()).select_from(JobRun)) == 1
    assert client.get(f"{page}/progress.json").json["state"] == "queued"
    assert background.run_queued_jobs() == 1
    progress = client.get(f"{page}/progress.json").json
    assert progress == {"state": "succeeded", "done": 2, "total": 2, "error": None}
    issued = _certificates()
    assert [c.enrollment_id for c in issued] == [e.id for e in enrollments[:2]]
    assert all(storage.is_intact(_storage(app), c.pdf_path, c.pdf_sha256) for c in issued)
    html = client.get(page).get_data(as_text=True)
    assert issued[0].serial in html and "not issued yet" not in html
    assert "new certificates issued: 2; already issued before: 0" in html
    # Starting again later issues nothing new, and says so
    client.submit(f"{page}/issue", page=page)
    background.run_queued_jobs()
    assert len(_certificates()) == 2
    html = client.get(page).get_data(as_text=True)
    assert "Nothing new to issue. Certificates already issued: 2." in html
    assert "succeeded, 2 of 2" not in html


def test_only_directors_and_admins_issue(client, users):
    cohort, _ = finished_cohort()
    with pytest.raises(NotAllowed):
        service.issue_certificates(users["coordinator"], cohort.id)
    login_as(client, users["doctor"])
    assert client.get(f"/cohorts/{cohort.id}/certificates").status_code == 403


def _issue_in_thread(app, cohort_id, errors):
    with app.app_context():
        try:
            service.issue_certificates(None, cohort_id)
        except Exception as error:  # reported to the test
            errors.append(error)
        finally:
            db.session.remove()


def test_serials_stay_sequential_without_gaps_under_concurrent_batches(app, monkeypatch):
    use_fake_renderer(monkeypatch)
    first, _ = finished_cohort(complete=4)
    second, _ = finished_cohort(complete=4)
    errors: list[Exception] = []
    threads = [
        threading.Thread(target=_issue_in_thread, args=(app, cohort.id, errors))
        for cohort in (first, second, first, second)  # the same cohort twice at once, too
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.commit()  # end the test's own read snapshot, taken before the threads wrote
    issued = _certificates()
    year = issued[0].issued_at.year
    assert [c.serial for c in issued] == [f"SOMET-{year}-{n:06d}" for n in range(1, 9)]
    assert len({c.enrollment_id for c in issued}) == 8


def test_snapshot_is_frozen_after_a_name_change_and_reissue_uses_the_new_name(app, client, users):
    cohort, enrollments = finished_cohort(complete=1)
    service.issue_certificates(users["director"], cohort.id)
    certificate = _certificates()[0]
    pdf_before = (_storage(app) / certificate.pdf_path).read_bytes()
    doctor = db.session.get(Doctor, enrollments[0].doctor_id)
    old_name = doctor.latin_name
    doctor.last_name = "Corrected"
    db.session.commit()
    db.session.expire_all()
    certificate = db.session.get(Certificate, certificate.id)
    assert certificate.snapshot["holder"]["latin_name"] == old_name
    assert (_storage(app) / certificate.pdf_path).read_bytes() == pdf_before
    assert old_name in client.get(f"/verify/{certificate.verification_code}").get_data(True)

    new = service.reissue_certificate(users["director"], certificate.id, "Surname corrected")
    old = db.session.get(Certificate, certificate.id)
    assert new.serial != old.serial and new.snapshot["holder"]["latin_name"].endswith("Corrected")
    assert old.revoked_at is not None and old.replaced_by_id == new.id
    assert old.revocation_reason == "Surname corrected"
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"certificate.issued", "certificate.revoked"} <= actions


def test_director_revokes_with_a_reason_through_the_page(client, users, monkeypatch):
    use_fake_renderer(monkeypatch)
    cohort, _ = finished_cohort(complete=1)
    service.issue_certificates(None, cohort.id)
    certificate = _certificates()[0]
    url = f"/certificates/{certificate.id}/revoke"
    login_as(client, users["doctor"])
    assert client.get(url).status_code == 403
    client.submit("/logout", {}, page="/account/password")
    login_as(client, users["director"])
    empty = client.submit(url, {"reason": "  "})
    assert empty.status_code == 200 and _certificates()[0].revoked_at is None
    done = client.submit(url, {"reason": "Issued in error"})
    assert done.status_code == 302
    revoked = _certificates()[0]
    assert revoked.revoked_at is not None and revoked.revocation_reason == "Issued in error"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "certificate.revoked")
    ).one()
    assert event.actor_id == users["director"].id and event.details["reason"] == "Issued in error"


def test_downloads_are_the_stored_bytes_for_the_holder_and_directors_only(app, client, users):
    cohort, enrollments = finished_cohort(complete=1)
    holder = make_user(Role.DOCTOR, doctor_id=enrollments[0].doctor_id)
    service.issue_certificates(None, cohort.id)
    certificate = _certificates()[0]
    stored = (_storage(app) / certificate.pdf_path).read_bytes()
    url = f"/certificates/{certificate.id}/download"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    login_as(client, holder)
    response = client.get(url)
    assert response.status_code == 200 and response.data == stored
    assert storage.sha256_hex(response.data) == certificate.pdf_sha256
    native = certificate.snapshot["holder"]["native_name"]
    disposition = response.headers["Content-Disposition"]
    assert f"filename*=UTF-8''{quote(f'{certificate.serial} {native}.pdf', safe='')}" in (
        disposition
    )
    assert 'filename="SOMET-' in disposition
    text = pypdf.PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert native in text and certificate.serial in text
    client.submit("/logout", {}, page="/account/password")
    login_as(client, users["doctor"])  # another doctor
    assert client.get(url).status_code == 404
    client.submit("/logout", {}, page="/account/password")
    login_as(client, users["director"])
    assert client.get(url).data == stored
    (_storage(app) / certificate.pdf_path).unlink()  # lost: the next batch writes it again
    assert client.get(url).status_code == 409


def test_the_cohort_zip_holds_each_live_certificate(client, users, monkeypatch):
    use_fake_renderer(monkeypatch)
    cohort, _ = finished_cohort(complete=3)
    service.issue_certificates(None, cohort.id)
    live = _certificates()
    service.revoke_certificate(users["director"], live[2].id, "Duplicate")
    login_as(client, users["director"])
    response = client.get(f"/cohorts/{cohort.id}/certificates.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = sorted(archive.namelist())
    assert [name.split(" ")[0] for name in names] == [live[0].serial, live[1].serial]
    assert archive.read(names[0]).startswith(b"%PDF-1.7 fake " + live[0].serial.encode())


def test_a_crashed_batch_resumes_with_no_duplicate_and_no_half_written_file(
    app, users, monkeypatch
):
    pool = use_fake_renderer(monkeypatch)
    cohort, _ = finished_cohort(complete=3)
    real_write = storage.write_atomically
    writes = []

    def crash_on_second(root, relative, content):
        writes.append(relative)
        if len(writes) == 2:
            raise OSError("power cut")
        return real_write(root, relative, content)

    monkeypatch.setattr(storage, "write_atomically", crash_on_second)
    run = batches.start_certificate_batch(users["director"], cohort.id)
    background.run_queued_jobs()
    assert db.session.get(JobRun, run.id).outcome == JobOutcome.FAILED
    issued = _certificates()  # PDFs render while the next one is issued: the crash cut both
    assert len(issued) in (2, 3)
    assert [c.pdf_sha256 is not None for c in issued][:2] == [True, False]
    # A file left half-written by something else is found out by its hash, too
    damaged = _storage(app) / issued[0].pdf_path
    damaged.write_bytes(damaged.read_bytes()[:10])

    monkeypatch.setattr(storage, "write_atomically", real_write)
    pool.rendered.clear()
    again = batches.start_certificate_batch(users["director"], cohort.id)
    background.run_queued_jobs()
    finished = db.session.get(JobRun, again.id)
    assert finished.outcome == JobOutcome.SUCCEEDED
    assert finished.counts == {
        "issued": 3 - len(issued),
        "already_issued": len(issued),
        "refused": 0,
        "files_written": 3,  # the damaged one, the missing one(s) and any new one
    }
    resumed = _certificates()
    assert [c.serial for c in resumed[: len(issued)]] == [c.serial for c in issued]
    assert [int(c.serial[-6:]) for c in resumed] == [1, 2, 3]
    assert all(storage.is_intact(_storage(app), c.pdf_path, c.pdf_sha256) for c in resumed)
    assert not list(_storage(app).rglob(".partial-*"))


def test_a_crash_while_issuing_leaves_no_gap_in_the_serials(users, monkeypatch):
    use_fake_renderer(monkeypatch)
    cohort, _ = finished_cohort(complete=3)
    real_build = service._build_certificate
    calls = []

    def crash_on_second(*args):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real_build(*args)

    monkeypatch.setattr(service, "_build_certificate", crash_on_second)
    with pytest.raises(RuntimeError):
        service.issue_certificates(users["director"], cohort.id)
    db.session.rollback()
    monkeypatch.setattr(service, "_build_certificate", real_build)
    service.issue_certificates(users["director"], cohort.id)
    numbers = [int(c.serial[-6:]) for c in _certificates()]
    assert numbers == [1, 2, 3]


def test_an_attended_cohort_masterclass_gets_its_own_certificate_and_counts_in_hours(
    app, monkeypatch
):
    use_fake_renderer(monkeypatch)
    cohort, enrollments = finished_cohort(complete=1)
    doctor = db.session.get(Doctor, enrollments[0].doctor_id)
    masterclass = make_masterclass(cohort_id=cohort.id, credit_hours=8.0)
    make_registration(masterclass, doctor, status=RegistrationStatus.ATTENDED)
    service.issue_certificates(None, cohort.id)
    internship = _certificates(kind=CertificateKind.INTERNSHIP)[0]
    assert internship.hours == 3 * 6.0 + 8.0
    (own,) = _certificates(kind=CertificateKind.MASTERCLASS)
    assert own.hours == 8.0 and own.snapshot["masterclass"]["title"] == masterclass.title
    service.issue_certificates(None, cohort.id)
    assert len(_certificates()) == 2


def test_doctor_sees_only_own_certificates(client, monkeypatch):
    use_fake_renderer(monkeypatch)
    cohort, _ = finished_cohort(complete=2)
    service.issue_certificates(None, cohort.id)
    mine, theirs = _certificates()
    holder = make_user(Role.DOCTOR, doctor_id=mine.doctor_id)
    login_as(client, holder)
    page = client.get("/certificates/mine").get_data(as_text=True)
    assert mine.serial in page and theirs.serial not in page
    assert 'href="/certificates/mine"' in page  # in the navigation bar


def test_signing_key_is_made_once_private_and_in_backups(app, tmp_path):
    from somet.certificates.keys import active_signing_key, ensure_keys

    ensure_keys()
    kid, key = active_signing_key()
    path = storage.key_path(app.instance_path, kid)
    assert path.stat().st_mode & 0o777 == 0o600
    ensure_keys()
    again_kid, again = active_signing_key()
    assert again_kid == kid
    assert again.public_key().public_bytes_raw() == key.public_key().public_bytes_raw()
    if POSTGRES_URL:
        return
    import tarfile

    from somet.ops.backup import BackupLocations, create_backup

    locations = BackupLocations(
        app.config["SQLALCHEMY_DATABASE_URI"], _storage(app), Path(app.instance_path)
    )
    archive = create_backup(locations, tmp_path / "backups")
    with tarfile.open(archive) as backup:
        assert f"keys/{path.name}" in backup.getnames()


def test_the_nightly_auto_issue_is_a_scheduled_job_of_this_feature(app):
    job = scheduled_jobs(app)["auto-issue-certificates"]
    assert job.function is auto_certificates.issue_due_certificates


def test_demo_doctor_downloads_a_certificate_and_verifies_it_by_its_qr_link(app, client, runner):
    from somet.demo.data import DEMO_PASSWORD
    from somet.models import User

    assert runner.invoke(args=["demo"]).exit_code == 0
    doctor = db.session.scalars(select(User).where(User.email == "doctor@example.org")).one()
    login_as(client, doctor, DEMO_PASSWORD)
    (certificate,) = _certificates(doctor_id=doctor.doctor_id)
    mine = client.get("/certificates/mine").get_data(as_text=True)
    assert certificate.serial in mine
    # one issue date: the list, the snapshot (PDF, verification page) and the record agree
    assert certificate.snapshot["issued_on"] == "2025-11-20"
    assert certificate.issued_at.date().isoformat() == "2025-11-20"
    assert "<td>20 ноября 2025</td>" in mine  # the demo doctor reads Russian
    pdf = client.get(f"/certificates/{certificate.id}/download")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    text = pypdf.PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Әйгерім Нұрланқызы" in text
    # pypdf may break the long code across a line where the PDF wraps it
    assert certificate.verification_code in "".join(text.split())
    qr_target = verify_url(certificate.verification_code)
    assert qr_target == f"{app.config['SOMET_PUBLIC_URL']}/verify/{certificate.verification_code}"
    page = client.get(qr_target.removeprefix(app.config["SOMET_PUBLIC_URL"]))
    assert 'data-status="valid"' in page.get_data(as_text=True)


def test_my_certificates_page_runs_the_same_queries_for_one_or_many(client, users, count_queries):
    from tests.factories import _save

    doctor_id = users["doctor"].doctor_id

    def add(n):
        _save(
            Certificate(
                serial=f"SOMET-2027-{n:06d}",
                kind=CertificateKind.MASTERCLASS,
                doctor_id=doctor_id,
                snapshot={"kind": "masterclass", "masterclass": {"title": f"Class {n}"}},
                hours=8.0,
                verification_code=f"code{n:040d}",
                signature="s",
            )
        )

    add(1)
    login_as(client, users["doctor"])
    with count_queries() as one:
        assert "Class 1" in client.get("/certificates/mine").get_data(as_text=True)
    for n in range(2, 12):
        add(n)
    with count_queries() as many:
        assert "Class 11" in client.get("/certificates/mine").get_data(as_text=True)
    assert len(one) == len(many)


@pytest.mark.skipif(bool(POSTGRES_URL), reason="PostgreSQL refuses such a name when stored")
def test_reissuing_with_a_name_past_the_certificates_limit_says_why_and_keeps_the_old_one(
    client, users, monkeypatch
):
    use_fake_renderer(monkeypatch)
    cohort, enrollments = finished_cohort(complete=1)
    service.issue_certificates(None, cohort.id)
    certificate = _certificates()[0]
    doctor = db.session.get(Doctor, enrollments[0].doctor_id)
    doctor.first_name, doctor.last_name = "A" * 150, "B" * 158  # 309 characters together
    db.session.commit()
    login_as(client, users["director"])
    url = f"/certificates/{certificate.id}/revoke"

    response = client.submit(url, {"reason": "Name corrected", "reissue": "y"})

    assert response.status_code == 200
    assert "longer than 300 characters" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [c.revoked_at for c in _certificates()] == [None]  # nothing half done
