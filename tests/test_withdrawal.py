"""Withdrawing a doctor cancels the placements not yet done: the places are freed for other
doctors, nothing is sent for them, and the hosts who were asked are told."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from somet.models import (
    AuditEvent,
    Hospital,
    Notification,
    Placement,
    PlacementStatus,
    utcnow,
)
from somet.requests import operations as requests
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    make_cohort,
    make_curriculum_item,
    make_department,
    make_doctor,
    make_enrollment,
    make_placement,
)

SUNDAY = date(2027, 3, 7)


def _status(placement: Placement) -> PlacementStatus:
    return db.session.scalar(select(Placement.status).where(Placement.id == placement.id))


def _withdrawn_doctors_plan(users):
    """A doctor with one placement in each state, in the coordinator's hospital, where the
    confirmed one takes the only place of Neurosurgery; and another cohort's doctor waiting
    for that place."""
    hospital = db.session.get(Hospital, users["coordinator"].hospital_id)
    neuro = make_department(
        hospital, name="Neurosurgery", capacity=1, supervisor_email="zaaroor@example.org"
    )
    icu = make_department(hospital, name="Intensive care", supervisor_email="icu@example.org")
    cohort = make_cohort(director_id=users["director"].id)
    item = make_curriculum_item(cohort, [neuro, icu])
    enrollment = make_enrollment(cohort, make_doctor(first_name="Aigerim", last_name="Nurlanovna"))
    days = dict(start_date=SUNDAY, end_date=SUNDAY + timedelta(days=2))
    later = dict(start_date=SUNDAY + timedelta(days=7), end_date=SUNDAY + timedelta(days=9))
    sent = utcnow().replace(microsecond=0)
    plan = {
        "confirmed": make_placement(
            enrollment, neuro, item, status=PlacementStatus.CONFIRMED, requested_at=sent, **days
        ),
        "requested": make_placement(
            enrollment, icu, item, status=PlacementStatus.REQUESTED, requested_at=sent, **later
        ),
        "proposed": make_placement(
            enrollment,
            icu,
            item,
            status=PlacementStatus.PROPOSED,
            start_date=SUNDAY + timedelta(days=14),
            end_date=SUNDAY + timedelta(days=16),
        ),
        "completed": make_placement(
            enrollment,
            icu,
            item,
            status=PlacementStatus.COMPLETED,
            start_date=SUNDAY - timedelta(days=7),
            end_date=SUNDAY - timedelta(days=5),
        ),
    }
    other_cohort = make_cohort()
    waiting = make_placement(
        make_enrollment(other_cohort),
        neuro,
        make_curriculum_item(other_cohort, [neuro]),
        status=PlacementStatus.REQUESTED,
        requested_at=sent,
        **days,
    )
    return enrollment, plan, waiting


def _withdraw(client, enrollment, reason="Visa refused"):
    url = f"/cohorts/{enrollment.cohort_id}/roster/{enrollment.id}/withdraw"
    form = client.get(url).get_data(as_text=True)
    assert "hosts that were asked to receive them are told" in form  # said before, not after
    return client.submit(url, {"reason": reason})


def test_withdrawing_cancels_the_placements_not_yet_done_and_frees_their_places(client, users):
    enrollment, plan, waiting = _withdrawn_doctors_plan(users)
    login_as(client, users["coordinator"])
    full = client.submit(
        f"/requests/{waiting.id}/confirm", {}, page="/requests", follow_redirects=True
    )
    assert "Neurosurgery has no place left" in full.get_data(as_text=True)
    assert _status(waiting) == PlacementStatus.REQUESTED
    client.submit("/logout", {}, page="/requests")

    login_as(client, users["director"])
    response = _withdraw(client, enrollment)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 placements are cancelled; the hosts that were asked are told." in page
    assert {name: _status(p) for name, p in plan.items()} == {
        "confirmed": PlacementStatus.CANCELLED,
        "requested": PlacementStatus.CANCELLED,
        "proposed": PlacementStatus.CANCELLED,
        "completed": PlacementStatus.COMPLETED,  # it happened: history stays
    }
    cancelled = db.session.scalars(
        select(AuditEvent.details).where(AuditEvent.action == "placement.cancelled")
    ).all()
    assert sorted(details["was"] for details in cancelled) == ["confirmed", "proposed", "requested"]
    client.submit("/logout", {}, page="/")

    login_as(client, users["coordinator"])
    response = client.submit(f"/requests/{waiting.id}/confirm", {}, page="/requests")
    assert response.status_code == 302
    assert _status(waiting) == PlacementStatus.CONFIRMED  # the freed place went to them


def test_the_hosts_that_were_asked_are_told_and_old_links_say_why_they_no_longer_work(
    client, users
):
    enrollment, plan, _waiting = _withdrawn_doctors_plan(users)
    link = "/requests/respond/" + requests.response_token(plan["requested"])
    login_as(client, users["director"])
    _withdraw(client, enrollment)

    told = db.session.scalars(
        select(Notification).where(Notification.kind == "placement.cancelled")
    ).all()
    by_address = {n.to_email: n for n in told}
    assert set(by_address) == {
        "zaaroor@example.org",
        "icu@example.org",
        users["coordinator"].email,
    }
    to_coordinator = by_address[users["coordinator"].email].body
    assert "Aigerim Nurlanovna" in to_coordinator
    assert "Neurosurgery" in to_coordinator and "(was confirmed)" in to_coordinator
    assert "Intensive care" in to_coordinator and "(was requested)" in to_coordinator
    assert "21 Mar 2027" not in to_coordinator  # the proposed one was never sent: not news
    assert "Neurosurgery" not in by_address["icu@example.org"].body

    client.submit("/logout", {}, page="/")
    response = client.get(link)
    assert response.status_code == 410
    assert "withdrew this request" in response.get_data(as_text=True)


def test_a_withdrawn_doctors_proposals_are_never_sent(client, users):
    enrollment, plan, _waiting = _withdrawn_doctors_plan(users)
    login_as(client, users["director"])
    _withdraw(client, enrollment)
    before = db.session.scalar(
        select(Notification.id).order_by(Notification.id.desc()).limit(1)
    )
    timeline = f"/cohorts/{enrollment.cohort_id}/timeline"
    sent = client.submit(
        f"/cohorts/{enrollment.cohort_id}/send", {}, page=timeline, follow_redirects=True
    )
    assert "There are no proposed placements to send." in sent.get_data(as_text=True)
    assert _status(plan["proposed"]) == PlacementStatus.CANCELLED
    newest = db.session.scalar(select(Notification.id).order_by(Notification.id.desc()).limit(1))
    assert newest == before


def test_withdrawing_twice_is_refused_and_changes_nothing(client, users):
    enrollment, plan, _waiting = _withdrawn_doctors_plan(users)
    login_as(client, users["director"])
    _withdraw(client, enrollment)
    url = f"/cohorts/{enrollment.cohort_id}/roster/{enrollment.id}/withdraw"
    again = client.submit(url, {"reason": "Again"})
    assert again.status_code == 200
    assert "already withdrawn" in again.get_data(as_text=True)
    assert _status(plan["completed"]) == PlacementStatus.COMPLETED


def test_each_host_reads_the_cancellation_in_its_own_language(client, users):
    from somet.models import Language

    users["coordinator"].language = Language.RU
    db.session.commit()
    enrollment, _plan, _waiting = _withdrawn_doctors_plan(users)
    login_as(client, users["director"])
    _withdraw(client, enrollment)
    told = {
        n.to_email: n
        for n in db.session.scalars(
            select(Notification).where(Notification.kind == "placement.cancelled")
        )
    }
    russian = told[users["coordinator"].email]
    assert russian.language == "ru" and "Отменено 2 визита" in russian.subject
    assert "выбыл из группы" in russian.body and "Neurosurgery" in russian.body
    english = told["zaaroor@example.org"]  # a supervisor has no account: English
    assert english.language == "en" and "was withdrawn from the cohort" in english.body
