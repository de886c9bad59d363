"""A doctor uploads each required document from its row of the checklist ("My documents");
a refused upload comes back on that row, with the requirement and the date still chosen."""

import io
import re

from sqlalchemy import select

from somet.demo.documents import tiny_pdf
from somet.models import Doctor, DocumentStatus, Role, TravelDocument
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    make_cohort,
    make_document_requirement,
    make_enrollment,
    make_hospital,
    make_travel_document,
    make_user,
)

MINE = "/documents/mine"


def _doctor_with_requirements(client):
    """A doctor in a cohort whose host requires a passport (accepted) and a CV (missing)."""
    host = make_hospital()
    passport = make_document_requirement(host, "passport")
    cv = make_document_requirement(host, "cv", expires=False)
    user = make_user(Role.DOCTOR)
    doctor = db.session.get(Doctor, user.doctor_id)
    make_enrollment(make_cohort(hosts=[host]), doctor)
    make_travel_document(doctor, "passport", status=DocumentStatus.ACCEPTED)
    login_as(client, user)
    return user, passport.id, cv.id


def _row(page: str, requirement_id: int) -> str:
    """The HTML of one checklist row (up to the next row or the end of its list)."""
    match = re.search(
        rf'<li class="list-group-item documents-row[^"]*" id="requirement-{requirement_id}"[^>]*>'
        r"(.*?)</li>",
        page,
        re.S,
    )
    assert match, f"no row for requirement {requirement_id}"
    return match.group(0)


def _upload_from_row(client, requirement_id, kind, content, **fields):
    data = {"row": f"requirement-{requirement_id}", "kind": kind, **fields}
    data["file"] = (io.BytesIO(content), f"{kind}.pdf", "application/pdf")
    return client.submit(MINE, data, content_type="multipart/form-data", page=MINE)


def test_each_row_carries_the_upload_form_of_its_requirement(client):
    _user, passport_id, cv_id = _doctor_with_requirements(client)
    page = client.get(MINE).get_data(as_text=True)
    cv_row = _row(page, cv_id)
    assert "Missing" in cv_row and 'name="kind" value="cv"' in cv_row
    assert 'type="file"' in cv_row and "<details" not in cv_row  # open: something to upload
    passport_row = _row(page, passport_id)
    assert "Accepted" in passport_row and "<details" in passport_row  # only to replace it
    # The other form defaults to the first missing document, never to an accepted one.
    other = page[page.index('id="other-document"') :]
    assert re.search(r'<option selected value="cv">|<option value="cv" selected', other)


def test_a_doctor_uploads_from_the_row_and_lands_back_on_it(client):
    user, _passport_id, cv_id = _doctor_with_requirements(client)
    response = _upload_from_row(client, cv_id, "cv", tiny_pdf("my cv"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{MINE}#requirement-{cv_id}")
    document = db.session.scalars(select(TravelDocument).where(TravelDocument.kind == "cv")).one()
    assert document.doctor_id == user.doctor_id and document.status == DocumentStatus.UPLOADED
    row = _row(client.get(MINE).get_data(as_text=True), cv_id)
    assert "Awaiting review" in row


def test_a_refused_upload_shows_its_error_on_its_row_with_the_choice_kept(client):
    _user, passport_id, cv_id = _doctor_with_requirements(client)
    response = _upload_from_row(
        client, passport_id, "passport", b"MZ\x90\x00" + b"\x00" * 300, valid_until="2031-05-31"
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    row = _row(page, passport_id)
    assert "documents-row-failed" in row and "<details" not in row  # shown open
    assert "Only PDF, JPEG and PNG files are accepted" in row
    assert 'name="kind" value="passport"' in row  # the chosen requirement
    assert 'value="2031-05-31"' in row  # the date typed stays
    assert "please choose the file again" in row  # the honest limit: files are not kept
    assert 'aria-invalid="true"' in row
    assert "Only PDF, JPEG and PNG" not in _row(page, cv_id)  # not on the other rows
    assert f'action="{MINE}#requirement-{passport_id}"' in row  # lands on the row
    assert db.session.scalars(select(TravelDocument).where(TravelDocument.kind == "cv")).all() == []


def test_a_missing_date_is_reported_on_the_row_under_the_date(client):
    _user, passport_id, _cv_id = _doctor_with_requirements(client)
    response = _upload_from_row(client, passport_id, "passport", tiny_pdf(), valid_until="")
    row = _row(response.get_data(as_text=True), passport_id)
    assert response.status_code == 400
    assert "Give the date until which this document is valid." in row
    assert 'aria-describedby="requirement-' in row


def test_a_refused_upload_from_the_other_form_keeps_its_chosen_kind(client):
    _doctor_with_requirements(client)
    data = {"row": "", "kind": "vaccination", "file": (io.BytesIO(b""), "x.pdf", "application/pdf")}
    response = client.submit(MINE, data, content_type="multipart/form-data", page=MINE)
    assert response.status_code == 400
    other = response.get_data(as_text=True).split('id="other-document"', 1)[1]
    chosen = r'<option selected value="vaccination">|<option value="vaccination" selected'
    assert re.search(chosen, other)
    assert "please choose the file again" in other


def test_a_forged_row_name_is_refused_not_rendered(client):
    _doctor_with_requirements(client)
    data = {"row": '"><script>alert(1)</script>', "kind": "cv"}
    data["file"] = (io.BytesIO(tiny_pdf()), "cv.pdf", "application/pdf")
    response = client.submit(MINE, data, content_type="multipart/form-data", page=MINE)
    assert response.status_code == 400
    assert "<script>alert(1)" not in response.get_data(as_text=True)
    assert db.session.scalars(select(TravelDocument).where(TravelDocument.kind == "cv")).all() == []
