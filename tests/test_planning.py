"""Planning a cohort from the database: held places, blocked days, edits, re-planning."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from somet.jobs import operations as background
from somet.models import (
    AuditEvent,
    CurriculumOption,
    DepartmentClosure,
    HospitalHoliday,
    JobOutcome,
    JobRun,
    Language,
    Placement,
    PlacementStatus,
    Role,
)
from somet.planning import operations as planning
from somet.planning.instance import build_instance, department_key, doctor_key
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    cohort_day,
    make_cohort,
    make_curriculum_item,
    make_department,
    make_enrollment,
    make_hospital,
    make_masterclass,
    make_placement,
    make_registration,
    make_user,
    placement_days,
)


def _plan(client, cohort):
    page = f"/cohorts/{cohort.id}/timeline"
    return client.submit(f"/cohorts/{cohort.id}/plan", {}, page=page)


def _placements(cohort_id: int, status=None) -> list[Placement]:
    from somet.models import Enrollment

    query = (
        select(Placement)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .where(Enrollment.cohort_id == cohort_id)
        .order_by(Placement.id)
    )
    if status is not None:
        query = query.where(Placement.status == status)
    return list(db.session.scalars(query))



def test_plan_leaves_alone_the_places_other_cohorts_already_hold(client, users):
    hospital = make_hospital()
    surgery = make_department(hospital, capacity=1)
    earlier = make_cohort(hosts=[hospital], name="Earlier cohort")
    make_placement(
        make_enrollment(earlier),
        surgery,
        start_date=cohort_day(0),
        end_date=cohort_day(4),
        status=PlacementStatus.CONFIRMED,
    )
    cohort = make_cohort(hosts=[hospital])
    make_curriculum_item(cohort, [surgery], days=3)
    make_enrollment(cohort)

    instance = build_instance(cohort.id).document
    closed = next(d for d in instance["departments"] if d["id"] == department_key(surgery.id))
    assert closed["closed"] == [cohort_day(n).isoformat() for n in range(5)]  # full all week

    login_as(client, users["director"])
    response = _plan(client, cohort)
    assert response.status_code == 302
    (placement,) = _placements(cohort.id)
    assert placement.status == PlacementStatus.PROPOSED
    assert placement.start_date >= cohort_day(7)  # the second week: the first is taken


def test_partly_held_days_leave_exactly_the_free_places(client, users):
    hospital = make_hospital()
    surgery = make_department(hospital, capacity=2)
    earlier = make_cohort(hosts=[hospital], name="Earlier cohort")
    make_placement(
        make_enrollment(earlier),
        surgery,
        start_date=cohort_day(0),
        end_date=cohort_day(4),
        status=PlacementStatus.REQUESTED,
    )
    cohort = make_cohort(hosts=[hospital])
    make_curriculum_item(cohort, [surgery], days=5)
    make_enrollment(cohort)
    make_enrollment(cohort)

    instance = build_instance(cohort.id).document
    holders = [d for d in instance["doctors"] if d["id"].startswith("held-")]
    assert len(holders) == 1 and holders[0]["rotations"][0]["days"] == 5

    login_as(client, users["director"])
    _plan(client, cohort)
    ours = _placements(cohort.id, PlacementStatus.PROPOSED)
    assert len(ours) == 2
    in_first_week = [p for p in ours if p.start_date < cohort_day(7)]
    assert len(in_first_week) <= 1  # one place left that week, never two


def test_masterclass_days_and_holidays_are_never_planned(client, users):
    hospital = make_hospital()
    surgery = make_department(hospital, capacity=4)
    db.session.add(HospitalHoliday(hospital_id=hospital.id, day=cohort_day(2), name="Purim"))
    cohort = make_cohort(hosts=[hospital])
    make_curriculum_item(cohort, [surgery], days=2)
    registered, other = make_enrollment(cohort), make_enrollment(cohort)
    make_masterclass(  # meant for this cohort: everybody is away on Monday 8 March
        cohort_id=cohort.id,
        timezone="Asia/Jerusalem",
        starts_at=datetime(2027, 3, 8, 7, 0, tzinfo=UTC),
    )
    open_to_all = make_masterclass(starts_at=datetime(2027, 3, 10, 5, 0, tzinfo=UTC))
    make_registration(open_to_all, _doctor(registered))

    instance = build_instance(cohort.id).document
    doctors = {d["id"]: d for d in instance["doctors"]}
    assert doctors[doctor_key(registered.id)]["blocked"] == ["2027-03-08", "2027-03-10"]
    assert doctors[doctor_key(other.id)]["blocked"] == ["2027-03-08"]
    department = next(d for d in instance["departments"] if d["id"] == department_key(surgery.id))
    assert "2027-03-09" in department["closed"]

    login_as(client, users["director"])
    _plan(client, cohort)
    placements = _placements(cohort.id)
    assert len(placements) == 2
    for placement in placements:
        days = placement_days(placement)
        assert cohort_day(1) not in days and cohort_day(2) not in days
        if placement.enrollment_id == registered.id:
            assert cohort_day(3) not in days


def _doctor(enrollment):
    from somet.models import Doctor

    return db.session.get(Doctor, enrollment.doctor_id)


def _prefer(item, department, points: int) -> None:
    db.session.execute(
        update(CurriculumOption)
        .where(CurriculumOption.item_id == item.id, CurriculumOption.department_id == department.id)
        .values(preference=points)
    )
    db.session.commit()


def test_send_confirm_decline_then_replan_keeps_confirmed_and_avoids_declined(app, client, users):
    hospital = make_hospital()
    first, second = make_department(hospital, capacity=2), make_department(hospital, capacity=2)
    cohort = make_cohort(hosts=[hospital], director_id=users["director"].id)
    item = make_curriculum_item(cohort, [first, second], days=3)
    _prefer(item, first, 3)
    kept, moved = make_enrollment(cohort), make_enrollment(cohort)
    coordinator = make_user(Role.COORDINATOR, hospital_id=hospital.id)

    login_as(client, users["director"])
    _plan(client, cohort)
    assert {p.department_id for p in _placements(cohort.id)} == {first.id}
    client.submit(f"/cohorts/{cohort.id}/send", {}, page=f"/cohorts/{cohort.id}/timeline")
    requested = {p.enrollment_id: p for p in _placements(cohort.id, PlacementStatus.REQUESTED)}
    assert len(requested) == 2

    host = app.test_client()
    login_as(host, coordinator)
    host.submit(f"/requests/{requested[kept.id].id}/confirm", {}, page="/requests")
    host.submit(
        f"/requests/{requested[moved.id].id}/decline",
        {"reason": "Ward closed for renovation"},
        page="/requests",
    )

    response = _plan(client, cohort)
    assert response.status_code == 302
    confirmed = db.session.get(Placement, requested[kept.id].id)
    assert confirmed.status == PlacementStatus.CONFIRMED
    assert confirmed.start_date == requested[kept.id].start_date
    declined = db.session.get(Placement, requested[moved.id].id)
    assert (declined.status, declined.decline_reason) == (
        PlacementStatus.DECLINED,
        "Ward closed for renovation",
    )
    (replacement,) = _placements(cohort.id, PlacementStatus.PROPOSED)
    assert (replacement.enrollment_id, replacement.department_id) == (moved.id, second.id)

    page = client.get(f"/cohorts/{cohort.id}/timeline").get_data(as_text=True)
    assert "replaces a declined placement" in page
    assert "Ward closed for renovation" in page
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"placement.requested", "placement.confirmed", "placement.declined"} <= actions


def _two_proposed(capacity: int = 1):
    hospital = make_hospital()
    surgery = make_department(hospital, capacity=capacity, name="Surgery")
    cohort = make_cohort(hosts=[hospital])
    item = make_curriculum_item(cohort, [surgery], days=3)
    first, second = make_enrollment(cohort), make_enrollment(cohort)
    a = make_placement(
        first, surgery, item, start_date=cohort_day(0), end_date=cohort_day(2),
        status=PlacementStatus.PROPOSED,
    )
    b = make_placement(
        second, surgery, item, start_date=cohort_day(7), end_date=cohort_day(9),
        status=PlacementStatus.PROPOSED,
    )
    return cohort, surgery, a, b


def test_manual_edit_that_overbooks_or_hits_a_closed_day_is_refused_with_the_reason(client, users):
    cohort, surgery, _a, b = _two_proposed(capacity=1)
    db.session.add(DepartmentClosure(department_id=surgery.id, day=cohort_day(10), reason="Audit"))
    url = f"/cohorts/{cohort.id}/placements/{b.id}/edit"
    login_as(client, users["director"])
    assert client.get(url).status_code == 200

    response = client.submit(url, {"department_id": surgery.id, "start": "2027-03-08"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This change breaks a rule" in text and "its capacity is 1" in text
    assert "Surgery" in text  # ids are turned into names
    response = client.submit(url, {"department_id": surgery.id, "start": "2027-03-15"})
    assert "is closed on 17 Mar 2027" in response.get_data(as_text=True)
    assert db.session.get(Placement, b.id).start_date == cohort_day(7)

    response = client.submit(url, {"department_id": surgery.id, "start": "2027-03-10"})
    assert response.status_code == 302
    moved = db.session.get(Placement, b.id)
    # Wed, Thu, then Sunday
    assert (moved.start_date, moved.end_date) == (cohort_day(3), cohort_day(7))
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "placement.moved"))


def test_manual_edit_respects_places_held_by_other_cohorts(client, users):
    cohort, surgery, _a, b = _two_proposed(capacity=2)
    other = make_cohort(name="Other cohort")
    make_placement(
        make_enrollment(other),
        surgery,
        start_date=cohort_day(0),
        end_date=cohort_day(4),
        status=PlacementStatus.CONFIRMED,
    )
    login_as(client, users["director"])
    url = f"/cohorts/{cohort.id}/placements/{b.id}/edit"
    response = client.submit(url, {"department_id": surgery.id, "start": "2027-03-07"})
    assert "its capacity is 2" in response.get_data(as_text=True)
    assert db.session.get(Placement, b.id).start_date == cohort_day(7)


def test_big_plans_run_in_the_background_with_progress(client, users, monkeypatch):
    monkeypatch.setattr(planning, "INLINE_MAX_ROTATIONS", 0)
    hospital = make_hospital()
    surgery = make_department(hospital, capacity=3)
    cohort = make_cohort(hosts=[hospital])
    make_curriculum_item(cohort, [surgery], days=2)
    make_enrollment(cohort)
    login_as(client, users["director"])
    _plan(client, cohort)
    page = client.get(f"/cohorts/{cohort.id}/timeline").get_data(as_text=True)
    assert "data-plan-progress" in page and "js/planning.js" in page
    progress = client.get(f"/cohorts/{cohort.id}/plan/progress").get_json()
    assert progress["outcome"] == "queued"
    assert not _placements(cohort.id)

    assert background.run_queued_jobs() == 1
    progress = client.get(f"/cohorts/{cohort.id}/plan/progress").get_json()
    assert (progress["outcome"], progress["done"], progress["total"]) == ("succeeded", 3, 3)
    assert db.session.scalar(select(JobRun.outcome)) == JobOutcome.SUCCEEDED
    assert len(_placements(cohort.id, PlacementStatus.PROPOSED)) == 1


def test_a_cohort_that_cannot_place_every_required_rotation_gets_a_partial_plan(client, users):
    hospital = make_hospital()
    tiny = make_department(hospital, capacity=1)
    cohort = make_cohort(hosts=[hospital])
    make_curriculum_item(cohort, [tiny], days=10, name="Whole stay")
    make_enrollment(cohort)
    make_enrollment(cohort)
    login_as(client, users["director"])
    response = _plan(client, cohort)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 required rotations could not be placed" in page
    assert "No plan places every required rotation" in page
    assert len(_placements(cohort.id)) == 1


def _cohort_with_doctors(n: int):
    hospital = make_hospital()
    departments = [make_department(hospital, capacity=50) for _ in range(3)]
    cohort = make_cohort(hosts=[hospital])
    item = make_curriculum_item(cohort, departments, days=3)
    for i in range(n):
        enrollment = make_enrollment(cohort)
        make_placement(
            enrollment,
            departments[i % 3],
            item,
            start_date=cohort_day(0),
            end_date=cohort_day(2),
            status=list(PlacementStatus)[i % 4],
        )
    return cohort


@pytest.mark.parametrize("page", ["timeline", "capacity"])
def test_timeline_and_capacity_pages_take_the_same_queries_for_3_or_40_doctors(
    client, users, count_queries, page
):
    login_as(client, users["director"])
    counts = []
    for n in (3, 40):
        cohort = _cohort_with_doctors(n)
        with count_queries() as queries:
            response = client.get(f"/cohorts/{cohort.id}/{page}")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_timeline_shows_doctors_days_weekends_and_statuses(client, users):
    cohort = _cohort_with_doctors(4)
    login_as(client, users["director"])
    page = client.get(f"/cohorts/{cohort.id}/timeline").get_data(as_text=True)
    assert page.count('<th class="plan-head" scope="row">') == 4
    assert page.count("plan-day plan-off") == 2  # Friday 12 and Saturday 13 March
    for status in ("proposed", "requested", "confirmed"):
        assert f"tl-{status}" in page
    assert "@media print" not in page and "css/somet.css" in page


@pytest.mark.parametrize("path", ["timeline", "capacity", "plan/progress", "placements/{p}/edit"])
def test_doctors_and_coordinators_see_none_of_the_planning(client, users, path):
    cohort, _surgery, a, b = _two_proposed()
    url = f"/cohorts/{cohort.id}/" + path.format(p=a.id)
    for role in ("doctor", "coordinator"):
        login_as(client, users[role])
        assert client.get(url).status_code == 403
        assert (
            client.submit(f"/cohorts/{cohort.id}/plan", {}, page="/account/password").status_code
            == 403
        )
        client.submit("/logout", {}, page="/account/password")
    assert _placements(cohort.id, PlacementStatus.PROPOSED) == [a, b]


def test_cohort_overview_panel_offers_plan_send_and_links_without_queries(app, count_queries):
    from flask import render_template_string

    cohort = make_cohort()
    cohort_id = cohort.id
    panel = '{% include "planning/_cohort_panel.html" %}'
    with app.test_request_context(), count_queries() as queries:
        html = render_template_string(panel, cohort=cohort, placement_counts={"proposed": 2})
    assert queries == []
    for path in ("plan", "send", "timeline", "capacity"):
        assert f"/cohorts/{cohort_id}/{path}" in html
    assert 'name="csrf_token"' in html and "data-confirm" in html and "Send 2 requests" in html


def test_capacity_page_counts_every_cohorts_held_places_and_this_cohorts_proposals(client, users):
    cohort, surgery, _a, _b = _two_proposed(capacity=1)
    other = make_cohort(name="Other cohort")
    make_placement(
        make_enrollment(other),
        surgery,
        start_date=cohort_day(0),
        end_date=cohort_day(0),
        status=PlacementStatus.CONFIRMED,
    )
    make_placement(  # another cohort's proposal holds nothing yet: not counted here
        make_enrollment(other),
        surgery,
        start_date=cohort_day(0),
        end_date=cohort_day(0),
        status=PlacementStatus.PROPOSED,
    )
    closure = DepartmentClosure(department_id=surgery.id, day=cohort_day(10), reason="Audit day")
    db.session.add(closure)
    db.session.commit()
    login_as(client, users["director"])
    page = client.get(f"/cohorts/{cohort.id}/capacity").get_data(as_text=True)
    assert page.count("capacity-over") == 2  # Sunday 7: 1 held + 1 proposed, 1 place (+ legend)
    assert "1+1/1" in page and "0+1/1" in page
    assert 'title="Audit day"' in page
    # each cell's title says its own figures, in the reader's language
    assert 'title="1 held, 1 proposed, capacity 1"' in page
    assert 'title="0 held, 1 proposed, capacity 1"' in page
    users["director"].language = Language.RU
    db.session.commit()
    russian = client.get(f"/cohorts/{cohort.id}/capacity").get_data(as_text=True)
    assert 'title="занято: 1, предложено: 1, вместимость: 1"' in russian

