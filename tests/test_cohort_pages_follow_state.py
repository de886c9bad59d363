"""The cohort overview and timeline offer only what the cohort's state allows (issue 21): a
completed cohort is neither planned nor sent, an empty draft has no certificates to download,
and the status control proposes the next step forward."""

from __future__ import annotations

import re

from sqlalchemy import select

from somet.models import Certificate, CertificateKind, CohortStatus, Placement, PlacementStatus
from somet.planning.rules.partial_plans import shown_status
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    cohort_day,
    make_cohort,
    make_curriculum_item,
    make_department,
    make_enrollment,
    make_hospital,
    make_placement,
)


def _cohort_with_a_proposal(status: CohortStatus):
    hospital = make_hospital()
    department = make_department(hospital)
    cohort = make_cohort(hosts=[hospital], status=status)
    item = make_curriculum_item(cohort, [department], days=3)
    enrollment = make_enrollment(cohort)
    placement = make_placement(
        enrollment, department, item, start_date=cohort_day(0), end_date=cohort_day(2),
        status=PlacementStatus.PROPOSED,
    )  # fmt: skip
    return cohort, enrollment, placement


def _offers_planning(page: str, cohort_id: int) -> bool:
    return f'action="/cohorts/{cohort_id}/plan"' in page or f'"/cohorts/{cohort_id}/send"' in page


def test_a_completed_cohort_offers_no_planning_and_refuses_a_sent_request(client, users):
    cohort, _enrollment, placement = _cohort_with_a_proposal(CohortStatus.COMPLETED)
    login_as(client, users["director"])
    overview = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert not _offers_planning(overview, cohort.id)
    assert "cannot be scheduled yet" not in overview
    assert "Scheduling is closed: this cohort is completed." in overview
    timeline = client.get(f"/cohorts/{cohort.id}/timeline").get_data(as_text=True)
    assert not _offers_planning(timeline, cohort.id) and "Re-plan" not in timeline

    # The operations say the same when asked anyway.
    page = f"/cohorts/{cohort.id}/timeline"
    refused = client.submit(f"/cohorts/{cohort.id}/send", {}, page=page, follow_redirects=True)
    assert "cannot be planned any more" in refused.get_data(as_text=True)
    assert db.session.get(Placement, placement.id).status == PlacementStatus.PROPOSED


def test_a_cohort_in_planning_offers_plan_and_send_with_the_count(client, users):
    cohort, _enrollment, _placement = _cohort_with_a_proposal(CohortStatus.PLANNING)
    login_as(client, users["director"])
    overview = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert _offers_planning(overview, cohort.id) and "Send 1 request" in overview
    assert "Scheduling is closed" not in overview


def test_the_certificates_zip_is_offered_only_when_it_holds_certificates(client, users):
    draft = make_cohort(status=CohortStatus.DRAFT)
    login_as(client, users["director"])
    overview = client.get(f"/cohorts/{draft.id}").get_data(as_text=True)
    assert "Completion and certificates" in overview
    assert f"/cohorts/{draft.id}/certificates.zip" not in overview

    cohort, enrollment, _placement = _cohort_with_a_proposal(CohortStatus.COMPLETED)
    db.session.add(
        Certificate(
            serial="SOMET-2027-0001", kind=CertificateKind.INTERNSHIP,
            doctor_id=enrollment.doctor_id, enrollment_id=enrollment.id, snapshot={}, hours=60,
            verification_code="code-1", signature="-",
        )
    )  # fmt: skip
    db.session.commit()
    overview = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Download 1 certificate (ZIP)" in overview
    assert f"/cohorts/{cohort.id}/certificates.zip" in overview


def test_the_status_control_proposes_the_next_step_forward(client, users):
    cohort = make_cohort(status=CohortStatus.PLANNING)
    login_as(client, users["director"])
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    select_box = page[page.index('name="target"') : page.index("</select>")]
    options = re.findall(r'<option[^>]*value="(\w+)"', select_box)
    assert options == ["scheduled", "draft"]  # forward first: the one a plain submit picks


def test_a_plan_missing_a_required_rotation_is_shown_incomplete_whatever_the_solver_said():
    missing = {"status": "OPTIMAL", "unplaced": [{"required": True}]}
    assert shown_status(missing) == "PARTIAL"
    optional = {"status": "OPTIMAL", "unplaced": [{"required": False}]}
    assert shown_status(optional) == "OPTIMAL"
    assert shown_status({"status": "INFEASIBLE", "unplaced": [{"required": True}]}) == "INFEASIBLE"


def test_no_placement_is_lost_by_the_refusal(client, users):
    cohort, _enrollment, _placement = _cohort_with_a_proposal(CohortStatus.ARCHIVED)
    login_as(client, users["director"])
    client.submit(f"/cohorts/{cohort.id}/plan", {}, page=f"/cohorts/{cohort.id}/timeline")
    statuses = db.session.scalars(select(Placement.status)).all()
    assert statuses == [PlacementStatus.PROPOSED]
