"""Doctors upload documents (PDF, JPEG, PNG ≤ 10 MB by content); who may download them."""

import io
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from somet.demo.documents import tiny_pdf, tiny_png
from somet.models import AuditEvent, Cohort, CohortStatus, Doctor, Role, TravelDocument
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

UPLOAD = "/documents/mine"


def _upload(client, content: bytes, filename="passport.pdf", kind="passport", **fields):
    data = {"kind": kind, "valid_until": "2031-06-30", **fields}
    data["file"] = (io.BytesIO(content), filename, "application/pdf")
    return client.submit(UPLOAD, data, content_type="multipart/form-data")


def _stored_files() -> list[Path]:
    folder = Path(current_app.config["SOMET_STORAGE_DIR"]) / "documents"
    return list(folder.iterdir()) if folder.exists() else []


def _document_count() -> int:
    return db.session.scalar(select(func.count(TravelDocument.id)))


def test_doctor_uploads_a_pdf_and_sees_it_waiting_for_review(client):
    doctor = make_user(Role.DOCTOR)
    login_as(client, doctor)
    response = _upload(client, tiny_pdf("my passport"), filename="../../Паспорт.pdf")
    assert response.status_code == 302
    document = db.session.scalars(select(TravelDocument)).one()
    assert (document.doctor_id, document.status.value) == (doctor.doctor_id, "uploaded")
    assert document.content_type == "application/pdf"
    assert document.original_filename == "Паспорт.pdf"
    assert [p.name for p in _stored_files()] == [document.storage_name]
    assert "static" not in Path(current_app.config["SOMET_STORAGE_DIR"]).parts
    page = client.get(UPLOAD).get_data(as_text=True)
    assert "Паспорт.pdf" in page and "Awaiting review" in page
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "document.uploaded"))


def test_png_is_accepted_and_typed_by_its_content_not_its_name(client):
    login_as(client, make_user(Role.DOCTOR))
    response = _upload(client, tiny_png(), filename="cv.pdf", kind="cv", valid_until="")
    assert response.status_code == 302
    assert db.session.scalars(select(TravelDocument)).one().content_type == "image/png"


def test_renamed_executable_is_refused_and_nothing_is_saved(client):
    login_as(client, make_user(Role.DOCTOR))
    for content in (b"MZ\x90\x00\x03" + b"\x00" * 500, b"\x7fELF\x02\x01\x01" + b"\x00" * 500):
        response = _upload(client, content, filename="passport.pdf")
        assert response.status_code == 400
        assert "Only PDF, JPEG and PNG files are accepted" in response.get_data(as_text=True)
    assert _document_count() == 0 and _stored_files() == []


def test_file_over_10_mb_is_refused_and_nothing_is_saved(client):
    login_as(client, make_user(Role.DOCTOR))
    oversized = tiny_pdf() + b"\x00" * (10 * 1024 * 1024)
    response = _upload(client, oversized)
    assert response.status_code == 400
    assert "larger than 10 MB" in response.get_data(as_text=True)
    assert _document_count() == 0 and _stored_files() == []


def test_empty_file_and_missing_expiry_date_are_refused(client):
    login_as(client, make_user(Role.DOCTOR))
    assert _upload(client, b"").status_code == 400
    response = _upload(client, tiny_pdf(), valid_until="")
    assert "Give the date until which this document is valid." in response.get_data(as_text=True)
    assert _document_count() == 0 and _stored_files() == []


def test_only_doctors_upload(client, users):
    login_as(client, users["director"])
    assert client.get(UPLOAD).status_code == 403


def _world():
    """A cohort hosted by a hospital that requires passports, and one doctor in it."""
    host = make_hospital()
    make_document_requirement(host, "passport")
    cohort = make_cohort(hosts=[host])
    doctor_user = make_user(Role.DOCTOR)
    doctor = db.session.get(Doctor, doctor_user.doctor_id)
    make_enrollment(cohort, doctor)
    content = tiny_pdf("passport N123")
    document = make_travel_document(doctor, "passport", content=content)
    return host, doctor_user, document, content


def _download(app, user, document):
    client = app.test_client()
    login_as(client, user)
    return client.get(f"/documents/{document.id}/file")


def test_the_doctor_downloads_its_own_document_as_an_attachment(app):
    _host, doctor_user, document, content = _world()
    response = _download(app, doctor_user, document)
    assert response.status_code == 200 and response.data == content
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.mimetype == "application/pdf"


def test_another_doctor_gets_404(app):
    _host, _doctor_user, document, _content = _world()
    assert _download(app, make_user(Role.DOCTOR), document).status_code == 404


def test_coordinator_of_the_requiring_host_downloads_others_get_404(app):
    host, _doctor_user, document, content = _world()
    coordinator = make_user(Role.COORDINATOR, hospital_id=host.id)
    assert _download(app, coordinator, document).data == content
    other = make_user(Role.COORDINATOR)
    assert _download(app, other, document).status_code == 404


def test_coordinator_of_a_host_that_does_not_require_that_kind_gets_404(app):
    host, doctor_user, passport, _content = _world()
    cv = make_travel_document(db.session.get(Doctor, doctor_user.doctor_id), "cv")
    coordinator = make_user(Role.COORDINATOR, hospital_id=host.id)
    assert _download(app, coordinator, cv).status_code == 404
    client = app.test_client()
    login_as(client, coordinator)
    page = client.get("/documents/hospital").get_data(as_text=True)
    assert f"/documents/{cv.id}/file" not in page
    assert f"/documents/{passport.id}/file" in page


def test_directors_and_admins_download_anonymous_is_sent_to_login(app, client):
    _host, _doctor_user, document, content = _world()
    for role in (Role.DIRECTOR, Role.ADMIN):
        assert _download(app, make_user(role), document).data == content
    assert client.get(f"/documents/{document.id}/file").status_code == 302


def test_an_unknown_id_is_404_even_for_a_director(app, client):
    _world()
    login_as(client, make_user(Role.DIRECTOR))
    assert client.get("/documents/999/file").status_code == 404


def test_coordinator_of_a_finished_cohorts_host_no_longer_sees_the_documents(app):
    host, _doctor_user, document, _content = _world()
    cohort = db.session.scalars(select(Cohort)).one()
    cohort.status = CohortStatus.COMPLETED
    db.session.commit()
    coordinator = make_user(Role.COORDINATOR, hospital_id=host.id)
    assert _download(app, coordinator, document).status_code == 404


def test_coordinators_list_query_count_does_not_grow_with_the_documents(app, count_queries):
    host = make_hospital()
    make_document_requirement(host, "passport")
    coordinator = make_user(Role.COORDINATOR, hospital_id=host.id)
    client = app.test_client()
    login_as(client, coordinator)
    counts = []
    for added in (2, 20):
        cohort = make_cohort(hosts=[host])
        for _ in range(added):
            doctor = make_doctor()
            make_enrollment(cohort, doctor)
            make_travel_document(doctor, "passport")
        with count_queries() as queries:
            page = client.get("/documents/hospital").get_data(as_text=True)
        counts.append(len(queries))
    assert page.count("/file") == 22
    assert counts[0] == counts[1]
