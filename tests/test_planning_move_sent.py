"""Moving a placement already sent to its host: the host is asked again where it now is, the
old one-tap link stops working, and a department it leaves is told."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from somet.models import AuditEvent, Notification, Placement, PlacementStatus, Role, utcnow
from somet.requests import operations as requests
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
    make_user,
)

LINK_RE = re.compile(r"https?://[^/\s]+(/requests/respond/\S+)")
ASKED_YESTERDAY = utcnow().replace(microsecond=0) - timedelta(days=1)


def _sent(users, status: PlacementStatus):
    """One doctor's placement in Surgery (cohort days 0–2), sent yesterday, at a hospital
    whose Urology may take the rotation too; the hospital's coordinator is ``users["host"]``."""
    hospital = make_hospital()
    users["host"] = make_user(Role.COORDINATOR, hospital_id=hospital.id)
    surgery = make_department(
        hospital, name="Surgery", capacity=2, supervisor_email="surgery@example.org"
    )
    urology = make_department(
        hospital, name="Urology", capacity=1, supervisor_email="urology@example.org"
    )
    cohort = make_cohort(hosts=[hospital], director_id=users["director"].id)
    item = make_curriculum_item(cohort, [surgery, urology], days=3)
    placement = make_placement(
        make_enrollment(cohort),
        surgery,
        item,
        start_date=cohort_day(0),
        end_date=cohort_day(2),
        status=status,
        requested_at=ASKED_YESTERDAY,
    )
    return cohort, placement, surgery, urology


def _move(client, cohort, placement, department, start):
    url = f"/cohorts/{cohort.id}/placements/{placement.id}/edit"
    return client.submit(url, {"department_id": department.id, "start": start.isoformat()})


def _sent_to(address: str) -> list[Notification]:
    return db.session.scalars(
        select(Notification).where(Notification.to_email == address).order_by(Notification.id)
    ).all()


def test_a_requested_placement_moved_to_other_days_is_asked_again_with_a_new_link(
    client, users
):
    cohort, placement, surgery, _urology = _sent(users, PlacementStatus.REQUESTED)
    old_link = "/requests/respond/" + requests.response_token(placement)
    login_as(client, users["director"])
    page = client.get(f"/cohorts/{cohort.id}/placements/{placement.id}/edit")
    assert "Moving it asks the host again" in page.get_data(as_text=True)

    response = _move(client, cohort, placement, surgery, cohort_day(7))
    assert response.status_code == 302
    moved = db.session.get(Placement, placement.id)
    assert (moved.status, moved.start_date, moved.end_date) == (
        PlacementStatus.REQUESTED,
        cohort_day(7),
        cohort_day(9),
    )
    assert moved.requested_at > ASKED_YESTERDAY
    (request,) = _sent_to("surgery@example.org")
    assert "14–16 Mar 2027" in request.body
    new_link = LINK_RE.search(request.body).group(1)
    assert not _sent_to("urology@example.org")
    client.submit("/logout", {}, page="/")

    stale = client.get(old_link)
    assert stale.status_code == 410 and "replaced by a newer request" in stale.get_data(
        as_text=True
    )
    assert client.submit(new_link, {"confirm": "1"}).status_code == 302
    assert db.session.get(Placement, placement.id).status == PlacementStatus.CONFIRMED


def test_a_confirmed_placement_moved_to_another_department_needs_its_confirmation_there(
    client, users
):
    cohort, placement, _surgery, urology = _sent(users, PlacementStatus.CONFIRMED)
    login_as(client, users["director"])
    assert _move(client, cohort, placement, urology, cohort_day(0)).status_code == 302

    moved = db.session.get(Placement, placement.id)
    assert (moved.status, moved.department_id) == (PlacementStatus.REQUESTED, urology.id)
    assert moved.decided_at is None
    (asked,) = _sent_to("urology@example.org")
    assert asked.kind == "placement.requested" and "/requests/respond/" in asked.body
    (told,) = _sent_to("surgery@example.org")
    assert told.kind == "placement.cancelled"
    assert "moved this visit to another department" in told.body
    assert "Surgery, 7–9 Mar 2027" in told.body
    to_coordinator = {n.kind for n in _sent_to(users["host"].email)}
    assert to_coordinator == {"placement.requested", "placement.cancelled"}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "placement.moved"))
    assert event.details["was"] == "confirmed"


def test_a_move_that_breaks_a_rule_asks_nobody_and_changes_nothing(client, users):
    cohort, placement, _surgery, urology = _sent(users, PlacementStatus.CONFIRMED)
    other = make_cohort()
    make_placement(
        make_enrollment(other),
        urology,
        make_curriculum_item(other, [urology]),
        start_date=cohort_day(0),
        end_date=cohort_day(2),
        status=PlacementStatus.CONFIRMED,
    )
    login_as(client, users["director"])
    response = _move(client, cohort, placement, urology, cohort_day(0))
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "This change breaks a rule" in text
    assert "Urology (Hospital" in text and "is closed" not in text
    assert "has no place left on 7 Mar 2027: other cohorts hold all its places" in text
    kept = db.session.get(Placement, placement.id)
    assert (kept.status, kept.requested_at) == (PlacementStatus.CONFIRMED, ASKED_YESTERDAY)
    assert not db.session.scalars(select(Notification)).all()


def test_saving_a_sent_placement_unchanged_does_not_ask_the_host_again(client, users):
    cohort, placement, surgery, _urology = _sent(users, PlacementStatus.CONFIRMED)
    login_as(client, users["director"])
    assert _move(client, cohort, placement, surgery, cohort_day(0)).status_code == 302
    assert db.session.get(Placement, placement.id).status == PlacementStatus.CONFIRMED
    assert not db.session.scalars(select(Notification)).all()


def test_the_timeline_links_sent_placements_to_their_edit_page_but_not_done_ones(
    client, users
):
    cohort, placement, surgery, _urology = _sent(users, PlacementStatus.REQUESTED)
    done = make_placement(
        make_enrollment(cohort),
        surgery,
        make_curriculum_item(cohort, [surgery], days=3),
        start_date=cohort_day(0),
        end_date=cohort_day(2),
        status=PlacementStatus.COMPLETED,
    )
    login_as(client, users["director"])
    html = client.get(f"/cohorts/{cohort.id}/timeline").get_data(as_text=True)
    # A segment opens its edit page: a button of the timeline's one GET form names it.
    assert f'form="tl-edit" name="placement" value="{placement.id}"' in html
    assert f'value="{done.id}"' not in html
    chosen = client.get(f"/cohorts/{cohort.id}/placements/edit?placement={placement.id}")
    assert chosen.headers["Location"].endswith(f"/placements/{placement.id}/edit")
    refused = _move(client, cohort, done, surgery, cohort_day(7))
    refusal = "Only proposed, requested or confirmed placements can be moved; this one is "
    assert refusal + "completed." in refused.get_data(as_text=True)
