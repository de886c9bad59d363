"""A director files a document a doctor sent by e-mail or on paper: it is the doctor's, it
waits for review like any upload, and only staff can file for someone else."""

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from somet.core.errors import NotAllowed, NotFound
from somet.demo.documents import tiny_pdf
from somet.documents import operations as documents
from somet.models import AuditEvent, DocumentKind, Role, TravelDocument
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    make_cohort,
    make_document_requirement,
    make_enrollment,
    make_hospital,
    make_user,
)


def _file(client, doctor_id: int, content: bytes, **fields):
    data = {"kind": "passport", "valid_until": "2031-06-30", **fields}
    data["file"] = (io.BytesIO(content), "scan from e-mail.pdf", "application/pdf")
    url = f"/documents/doctors/{doctor_id}/upload"
    return client.submit(url, data, content_type="multipart/form-data")


def _count() -> int:
    return db.session.scalar(select(func.count(TravelDocument.id)))


def test_a_director_files_a_doctors_passport_from_the_checklist_and_reviews_it(client, users):
    host = make_hospital()
    make_document_requirement(host, "passport")
    cohort = make_cohort(hosts=[host])
    doctor_user = make_user(Role.DOCTOR, doctor_id=make_enrollment(cohort).doctor_id)
    login_as(client, users["director"])
    checklist = client.get(f"/documents/cohorts/{cohort.id}").get_data(as_text=True)
    link = f"/documents/doctors/{doctor_user.doctor_id}/upload?cohort={cohort.id}"
    assert link in checklist

    assert client.get(link).status_code == 200
    response = _file(client, doctor_user.doctor_id, tiny_pdf("passport scan"))
    assert response.status_code == 302
    document = db.session.scalars(select(TravelDocument)).one()
    assert (document.doctor_id, document.status.value) == (doctor_user.doctor_id, "uploaded")
    assert response.headers["Location"].endswith(f"/documents/{document.id}")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "document.uploaded"))
    assert event.actor_id == users["director"].id
    assert event.details["for_doctor_id"] == doctor_user.doctor_id

    client.submit(f"/documents/{document.id}/accept", {}, page=f"/documents/{document.id}")
    checklist = client.get(f"/documents/cohorts/{cohort.id}").get_data(as_text=True)
    assert "1 of 1 doctors ready to travel" in checklist

    client.submit("/logout", {}, page="/")
    login_as(client, doctor_user)
    mine = client.get("/documents/mine").get_data(as_text=True)
    assert "scan from e-mail.pdf" in mine and "Accepted" in mine


def test_filing_checks_the_file_like_any_upload_and_keeps_nothing_refused(client, users):
    doctor_user = make_user(Role.DOCTOR)
    login_as(client, users["director"])
    response = _file(client, doctor_user.doctor_id, b"MZ\x90\x00" + b"\x00" * 300)
    assert response.status_code == 400
    assert "Only PDF, JPEG and PNG files are accepted" in response.get_data(as_text=True)
    missing_date = _file(client, doctor_user.doctor_id, tiny_pdf(), valid_until="")
    assert "Give the date until which this document is valid." in missing_date.get_data(
        as_text=True
    )
    assert _count() == 0
    assert client.get("/documents/doctors/987654/upload").status_code == 404


def test_only_staff_file_for_another_doctor(app, users):
    doctor_user, other = make_user(Role.DOCTOR), make_user(Role.DOCTOR)
    upload = dict(
        kind=DocumentKind.CV,
        filename="cv.pdf",
        valid_until=None,
        storage_dir=app.config["SOMET_STORAGE_DIR"],
        today=date(2027, 1, 1),
    )
    with pytest.raises(NotFound):
        documents.upload_document(
            doctor_user, stream=io.BytesIO(tiny_pdf()), doctor_id=other.doctor_id, **upload
        )
    with pytest.raises(NotAllowed):
        documents.upload_document(
            users["coordinator"], stream=io.BytesIO(tiny_pdf()), doctor_id=other.doctor_id, **upload
        )
    with pytest.raises(NotFound):  # staff must say whose document it is
        documents.upload_document(users["director"], stream=io.BytesIO(tiny_pdf()), **upload)
    assert _count() == 0
    own = documents.upload_document(doctor_user, stream=io.BytesIO(tiny_pdf()), **upload)
    assert own.doctor_id == doctor_user.doctor_id


def test_filing_proposes_the_doctors_first_missing_document_not_an_accepted_one(client, users):
    from somet.models import Doctor, DocumentStatus
    from tests.factories import make_travel_document

    host = make_hospital()
    make_document_requirement(host, "passport")
    make_document_requirement(host, "visa")
    cohort = make_cohort(hosts=[host])
    doctor = db.session.get(Doctor, make_enrollment(cohort).doctor_id)
    make_travel_document(doctor, "passport", status=DocumentStatus.ACCEPTED)
    login_as(client, users["director"])
    url = f"/documents/doctors/{doctor.id}/upload"
    page = client.get(url, query_string={"cohort": cohort.id}).get_data(as_text=True)
    assert re.search(r'<option selected value="visa">|<option value="visa" selected', page)
    asked = client.get(url, query_string={"kind": "cv"}).get_data(as_text=True)
    assert re.search(r'<option selected value="cv">|<option value="cv" selected', asked)


def test_the_filing_page_reads_the_same_statements_for_few_or_many_documents(
    app, users, count_queries
):
    """The checklist that proposes the kind reads the uploads the page lists (no second read
    of the doctor's documents), whatever the doctor's trips and files."""
    from somet.models import Doctor
    from tests.factories import make_travel_document

    host = make_hospital()
    make_document_requirement(host, "passport")
    cohort = make_cohort(hosts=[host])
    doctor = db.session.get(Doctor, make_enrollment(cohort).doctor_id)
    client = app.test_client()
    login_as(client, users["director"])
    url = f"/documents/doctors/{doctor.id}/upload?cohort={cohort.id}"

    def statements() -> int:
        client.get(url)
        with count_queries() as seen:
            assert client.get(url).status_code == 200
        return len([q for q in seen if not q.startswith("BEGIN")])

    few = statements()
    for kind in ("passport", "visa", "cv", "passport"):
        make_travel_document(doctor, kind)
    make_enrollment(make_cohort(hosts=[host]), doctor=doctor)
    # the login with the menu badges, the doctor, the cohort, the trips with their
    # requirements, the uploads
    assert few == statements() == 5
