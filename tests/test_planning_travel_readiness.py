"""Requests go to the hosts with a clear warning for doctors whose documents are not ready."""

import re
from datetime import date, timedelta

from somet.models import DocumentStatus, PlacementStatus
from tests.conftest import login_as
from tests.factories import (
    make_cohort,
    make_curriculum_item,
    make_department,
    make_doctor,
    make_document_requirement,
    make_enrollment,
    make_hospital,
    make_placement,
    make_travel_document,
)

SUNDAY = date(2027, 3, 7)


def _proposed_cohort():
    hospital = make_hospital()
    make_document_requirement(hospital, "passport")
    department = make_department(hospital)
    cohort = make_cohort(hosts=[hospital], start_date=SUNDAY)
    item = make_curriculum_item(cohort, [department])
    ready = make_doctor(first_name="Ready", last_name="Traveller")
    make_travel_document(ready, "passport", status=DocumentStatus.ACCEPTED)
    waiting = make_doctor(first_name="Missing", last_name="Passport")
    for doctor in (ready, waiting):
        make_placement(
            make_enrollment(cohort, doctor),
            department,
            item,
            start_date=SUNDAY,
            end_date=SUNDAY + timedelta(days=2),
            status=PlacementStatus.PROPOSED,
        )
    return cohort


def test_director_is_warned_before_and_after_sending_requests_for_a_doctor_not_ready(
    client, users
):
    cohort = _proposed_cohort()
    login_as(client, users["director"])
    timeline = client.get(f"/cohorts/{cohort.id}/timeline").get_data(as_text=True)
    # One line with the count and a link to who and what is missing, not the list itself.
    notice = timeline.split("data-not-ready")[1].split("</p>")[0]
    assert "1 doctor is not ready to travel yet" in notice and "Missing Passport" not in notice
    details = re.search(r'href="([^"]*ready=no[^"]*)"', notice).group(1).replace("&amp;", "&")
    listed = client.get(details).get_data(as_text=True)
    assert "Missing Passport" in listed and "Ready Traveller" not in listed
    page = f"/cohorts/{cohort.id}/timeline"
    sent = client.submit(f"/cohorts/{cohort.id}/send", {}, page=page, follow_redirects=True)
    body = sent.get_data(as_text=True)
    assert "2 requests sent" in body
    warning = body.split("1 doctor is not ready to travel yet.")[1].split("</div>")[0]
    assert f'href="{details.replace("&", "&amp;")}"' in warning
    assert "Missing Passport" not in warning


def test_no_warning_when_every_doctor_is_ready(client, users):
    hospital = make_hospital()
    department = make_department(hospital)
    cohort = make_cohort(hosts=[hospital], start_date=SUNDAY)
    item = make_curriculum_item(cohort, [department])
    make_placement(make_enrollment(cohort), department, item, status=PlacementStatus.PROPOSED)
    login_as(client, users["director"])
    page = client.get(f"/cohorts/{cohort.id}/timeline").get_data(as_text=True)
    assert "tl-proposed" in page and "data-not-ready" not in page
