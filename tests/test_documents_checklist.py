"""Directors declare requirements, review uploads and follow each cohort's checklist."""

import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from somet.documents.queries import readiness_for_travel
from somet.models import (
    AuditEvent,
    CohortStatus,
    Doctor,
    DocumentRequirement,
    DocumentStatus,
    Notification,
    Role,
    TravelDocument,
)
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

ACCEPTED = DocumentStatus.ACCEPTED


def test_director_declares_and_removes_what_a_hospital_requires(client, users):
    hospital = make_hospital()
    url = f"/documents/hospitals/{hospital.id}/requirements"
    login_as(client, users["director"])
    response = client.submit(url, {"kind": "visa", "expires": "y", "due_days": "14"})
    assert response.status_code == 302
    client.submit(url, {"kind": "visa", "due_days": "21"})  # changes, does not duplicate
    requirement = db.session.scalars(select(DocumentRequirement)).one()
    assert (requirement.kind.value, requirement.expires, requirement.due_days_before_arrival) == (
        "visa",
        False,
        21,
    )
    assert "Visa" in client.get(url).get_data(as_text=True)
    client.submit(f"{url}/{requirement.id}/delete", {}, page=url)
    assert db.session.scalars(select(DocumentRequirement)).all() == []
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "document_requirement.added" in actions and "document_requirement.removed" in actions


def test_negative_due_days_are_refused(client, users):
    hospital = make_hospital()
    url = f"/documents/hospitals/{hospital.id}/requirements"
    login_as(client, users["director"])
    response = client.submit(url, {"kind": "visa", "due_days": "-3"})
    assert response.status_code == 200 and "is-invalid" in response.get_data(as_text=True)
    assert db.session.scalars(select(DocumentRequirement)).all() == []


def test_coordinators_and_doctors_cannot_edit_requirements(client, users):
    hospital = make_hospital()
    for role in ("coordinator", "doctor"):
        login_as(client, users[role])
        assert client.get(f"/documents/hospitals/{hospital.id}/requirements").status_code == 403
        client.submit("/logout", {}, page="/account/password")


def _doctor_with_upload(status=DocumentStatus.UPLOADED):
    user = make_user(Role.DOCTOR)
    doctor = db.session.get(Doctor, user.doctor_id)
    return user, make_travel_document(doctor, "insurance", status=status)


def test_director_accepts_an_upload_and_it_is_audited(client, users):
    _user, document = _doctor_with_upload()
    login_as(client, users["director"])
    page = f"/documents/{document.id}"
    assert client.submit(f"{page}/accept", {}, page=page).status_code == 302
    db.session.refresh(document)
    assert document.status == ACCEPTED and document.reviewed_by_id == users["director"].id
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "document.accepted"))
    assert event.one().object_id == document.id


def test_rejection_needs_a_reason_and_tells_the_doctor_why(client, users):
    doctor_user, document = _doctor_with_upload(status=ACCEPTED)
    login_as(client, users["director"])
    page = f"/documents/{document.id}"
    client.submit(f"{page}/reject", {"reason": "  "}, page=page)
    db.session.refresh(document)
    assert document.status == ACCEPTED
    client.submit(f"{page}/reject", {"reason": "The scan is unreadable"}, page=page)
    db.session.refresh(document)
    assert document.status == DocumentStatus.REJECTED
    notification = db.session.scalars(select(Notification)).one()
    assert notification.to_email == doctor_user.email
    assert "The scan is unreadable" in notification.body


def test_a_rejected_document_cannot_be_accepted(client, users):
    _user, document = _doctor_with_upload(status=DocumentStatus.REJECTED)
    login_as(client, users["director"])
    page = f"/documents/{document.id}"
    response = client.submit(f"{page}/accept", {}, page=page, follow_redirects=True)
    assert "cannot become" in response.get_data(as_text=True)
    db.session.refresh(document)
    assert document.status == DocumentStatus.REJECTED


def test_coordinators_cannot_review(client, users):
    _user, document = _doctor_with_upload()
    login_as(client, users["coordinator"])
    response = client.submit(f"/documents/{document.id}/accept", {}, page="/account/password")
    assert response.status_code == 403
    db.session.refresh(document)
    assert document.status == DocumentStatus.UPLOADED


def _cohort_with_two_hosts():
    haifa, jerusalem = make_hospital(), make_hospital()
    make_document_requirement(haifa, "passport", expires=True)
    make_document_requirement(jerusalem, "insurance", expires=True)
    make_document_requirement(jerusalem, "cv", expires=False)
    return make_cohort(hosts=[haifa, jerusalem], start_date=date(2027, 3, 7))


def _complete_set(doctor, **passport):
    make_travel_document(doctor, "passport", status=ACCEPTED, **passport)
    make_travel_document(doctor, "insurance", status=ACCEPTED)
    make_travel_document(doctor, "cv", status=ACCEPTED, valid_until=None)


def test_readiness_lists_what_each_doctor_still_lacks(app):
    cohort = _cohort_with_two_hosts()  # departure 18 Mar 2027
    ready, short_passport, missing, pending, rejected = (make_doctor() for _ in range(5))
    _complete_set(ready)
    _complete_set(short_passport, valid_until=date(2027, 3, 10))
    make_travel_document(missing, "passport", status=ACCEPTED)
    make_travel_document(missing, "cv", valid_until=None)
    _complete_set(pending)
    make_travel_document(pending, "insurance", status=DocumentStatus.UPLOADED)  # counts: accepted
    make_travel_document(rejected, "passport", status=DocumentStatus.REJECTED, rejection_reason="x")
    doctors = (ready, short_passport, missing, pending, rejected)
    enrollments = {d.id: make_enrollment(cohort, d).id for d in doctors}
    reasons = readiness_for_travel(cohort, today=date(2027, 1, 1))
    assert reasons[enrollments[ready.id]] == reasons[enrollments[pending.id]] == []
    assert reasons[enrollments[short_passport.id]] == [
        "Passport: Expires before departure (valid until 2027-03-10, departure 2027-03-18)"
    ]
    assert reasons[enrollments[missing.id]] == [
        "Malpractice / health insurance: Missing",
        "CV: Awaiting review",
    ]
    assert "Passport: Rejected (x)" in reasons[enrollments[rejected.id]]


def test_documents_are_reused_in_every_cohort_while_valid(app):
    doctor = make_doctor()
    _complete_set(doctor)
    first, second = _cohort_with_two_hosts(), _cohort_with_two_hosts()
    in_first, in_second = make_enrollment(first, doctor), make_enrollment(second, doctor)
    assert readiness_for_travel(first)[in_first.id] == []
    assert readiness_for_travel(second)[in_second.id] == []


def test_checklist_grid_shows_states_filters_and_exports(client, users):
    cohort = _cohort_with_two_hosts()
    ready, waiting = make_doctor(last_name="Readyova"), make_doctor(last_name="Waitova")
    _complete_set(ready)
    make_travel_document(waiting, "passport")
    make_enrollment(cohort, ready), make_enrollment(cohort, waiting)
    login_as(client, users["director"])
    url = f"/documents/cohorts/{cohort.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Readyova" in page and "Waitova" in page and "1 of 2 doctors ready" in page
    only_missing = client.get(url, query_string={"state": "missing"}).get_data(as_text=True)
    assert "Waitova" in only_missing and "Readyova" not in only_missing
    ready_only = client.get(url, query_string={"ready": "yes"}).get_data(as_text=True)
    assert "Readyova" in ready_only and "Waitova" not in ready_only
    response = client.get(f"{url}/checklist.xlsx")
    assert response.headers["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Doctor", "Native name", "Arrival", "Departure", "Ready to travel")
    by_name = {row[0].split()[-1]: row for row in rows[1:]}
    assert by_name["Readyova"][4] == "yes" and by_name["Waitova"][4] == "no"
    assert "Awaiting review" in by_name["Waitova"] and "Missing" in by_name["Waitova"]


def test_a_formula_as_a_name_is_exported_as_text(client, users):
    cohort = _cohort_with_two_hosts()
    make_enrollment(cohort, make_doctor(first_name="=HYPERLINK(1)"))
    login_as(client, users["director"])
    response = client.get(f"/documents/cohorts/{cohort.id}/checklist.xlsx")
    cell = load_workbook(io.BytesIO(response.data)).active["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


@pytest.mark.parametrize("role", ["coordinator", "doctor"])
def test_the_grid_is_for_directors_and_admins_only(client, users, role):
    cohort = _cohort_with_two_hosts()
    login_as(client, users[role])
    assert client.get(f"/documents/cohorts/{cohort.id}").status_code == 403


def test_grid_query_count_does_not_grow_with_the_doctors(client, users, count_queries):
    small, large = _cohort_with_two_hosts(), _cohort_with_two_hosts()
    for cohort, size in ((small, 3), (large, 30)):
        for _ in range(size):
            doctor = make_doctor()
            _complete_set(doctor)
            make_enrollment(cohort, doctor)
    login_as(client, users["director"])
    counts = []
    for page in (f"/documents/cohorts/{small.id}", f"/documents/cohorts/{large.id}"):
        with count_queries() as queries:
            assert client.get(page).status_code == 200
        counts.append(len([q for q in queries if not q.startswith("BEGIN")]))
    # the login with the menu badges, the cohort with its hosts, requirements, the roster,
    # documents
    assert counts[0] == counts[1] == 5


def test_doctor_sees_what_its_upcoming_trip_requires(client):
    cohort = _cohort_with_two_hosts()
    user = make_user(Role.DOCTOR)
    doctor = db.session.get(Doctor, user.doctor_id)
    make_enrollment(cohort, doctor)
    make_travel_document(
        doctor, "passport", status=DocumentStatus.REJECTED, rejection_reason="Photo page missing"
    )
    login_as(client, user)
    page = client.get("/documents/mine").get_data(as_text=True)
    assert cohort.name in page and "Photo page missing" in page
    assert "Malpractice / health insurance" in page
    due = (cohort.start_date - timedelta(days=30)).strftime("%-d %b %Y")
    assert due in page
    assert db.session.scalars(select(TravelDocument)).one().doctor_id == doctor.id


def test_cohort_overview_links_to_the_checklist_and_letters(app, client, users):
    if "cohorts.show_cohort" not in app.view_functions:
        pytest.skip("the cohort overview (cohorts blueprint) is not registered")
    from flask import url_for

    cohort = _cohort_with_two_hosts()
    login_as(client, users["director"])
    page = client.get(url_for("cohorts.show_cohort", cohort_id=cohort.id)).get_data(as_text=True)
    assert f"/documents/cohorts/{cohort.id}" in page
    assert f"/documents/cohorts/{cohort.id}/letters.zip" in page


def test_overview_lists_upcoming_cohorts_and_what_each_host_requires(client, users):
    cohort = _cohort_with_two_hosts()  # its two hosts require 1 and 2 documents
    finished = make_cohort(status=CohortStatus.COMPLETED)
    login_as(client, users["director"])
    page = client.get("/documents/").get_data(as_text=True)
    assert f"/documents/cohorts/{cohort.id}" in page
    assert f"/documents/cohorts/{finished.id}" not in page
    counts = [int(n) for n in re.findall(r"<td>(\d+)</td>", page)]
    assert sorted(counts)[-2:] == [1, 2]
