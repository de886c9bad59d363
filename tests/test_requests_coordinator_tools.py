"""The coordinator's tools on the requests page: the decline reason on its row, the answered
list with a 10-minute undo, select all per department, the bulk bar first."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from somet.audit.operations import record_event
from somet.core.errors import InvalidTransition
from somet.core.statuses import PlacementStatus as Status
from somet.models import (
    AuditEvent,
    Cohort,
    DeliveryStatus,
    Doctor,
    Enrollment,
    Hospital,
    Language,
    Notification,
    Placement,
    PlacementStatus,
    Role,
    utcnow,
)
from somet.requests.listing import REQUESTS_PER_PAGE
from somet.requests.rules import UNDO_WINDOW, UndoRefusal, undo_deadline, undo_refusal
from somet.requests.undo import undo_answer
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import make_cohort, make_department, make_hospital, make_user
from tests.test_requests import _requests_at, _status

NOON = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def _row(page: str, placement_id: int, prefix: str = "request") -> str:
    match = re.search(rf'<tr id="{prefix}-{placement_id}".*?</tr>', page, re.S)
    assert match, f"no row {prefix}-{placement_id}"
    return match.group(0)


@pytest.fixture
def ward(users):
    """Two requests at the coordinator's hospital, of a cohort with a director."""
    hospital = db.session.get(Hospital, users["coordinator"].hospital_id)
    department = make_department(hospital, name="Cardiology", capacity=5)
    cohort = make_cohort(director_id=users["director"].id)
    return _requests_at(department, 2, cohort=cohort)


def _decline(client, placement, reason="No supervisor that week"):
    return client.submit(f"/requests/{placement.id}/decline", {"reason": reason}, page="/requests")


# --- pure rules ------------------------------------------------------------------------------


def test_an_answer_can_be_undone_for_ten_minutes_and_not_a_moment_longer():
    assert undo_refusal(Status.CONFIRMED, NOON, NOON + timedelta(minutes=9)) is None
    assert undo_refusal(Status.DECLINED, NOON, NOON + UNDO_WINDOW) is None
    late = NOON + UNDO_WINDOW + timedelta(seconds=1)
    assert undo_refusal(Status.CONFIRMED, NOON, late) == UndoRefusal.WINDOW_CLOSED
    assert undo_deadline(NOON) == NOON + timedelta(minutes=10)


def test_an_answer_the_director_built_on_or_that_moved_on_cannot_be_undone():
    soon = NOON + timedelta(minutes=1)
    acted = undo_refusal(Status.DECLINED, NOON, soon, director_acted=True)
    assert acted == UndoRefusal.DIRECTOR_ACTED
    for status in (Status.REQUESTED, Status.CANCELLED, Status.COMPLETED):
        assert undo_refusal(status, NOON, soon) == UndoRefusal.NOT_ANSWERED
    assert undo_refusal(Status.CONFIRMED, None, soon) == UndoRefusal.NOT_ANSWERED


# --- the decline reason on its row -----------------------------------------------------------


def test_declining_without_a_reason_shows_the_error_on_that_row(client, users, ward):
    first, second = ward
    login_as(client, users["coordinator"])
    response = _decline(client, second, reason=" ")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    row = _row(page, second.id)
    assert "was not declined" in row and "Please say why you decline" in row
    assert 'aria-invalid="true"' in row and f'aria-describedby="decline-error-{second.id}"' in row
    assert "Please say why you decline" not in _row(page, first.id)
    assert "This field is required" not in page
    assert page.count("Please say why you decline") == 1
    assert _status(second) == PlacementStatus.REQUESTED


def test_declining_a_request_answered_meanwhile_says_so_at_the_top(client, users, ward):
    first, _ = ward
    login_as(client, users["coordinator"])
    client.submit(f"/requests/{first.id}/confirm", {}, page="/requests")
    response = _decline(client, first, reason="")
    assert response.status_code == 400
    assert "Please say why you decline" in response.get_data(as_text=True)


def test_ticking_nothing_is_said_in_the_bulk_bar_at_the_top(client, users, ward):
    login_as(client, users["coordinator"])
    response = client.submit("/requests/bulk", {"decision": "confirm"}, page="/requests")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    bar = page.index('id="bulk-form"')
    assert page.index("Tick the requests to answer.") > bar
    assert bar < page.index(f'id="request-{ward[0].id}"')  # the bar comes before the rows


def test_each_department_offers_select_all_for_its_own_rows(client, users, ward):
    other = make_department(
        db.session.get(Hospital, users["coordinator"].hospital_id), name="Urology"
    )
    (theirs,) = _requests_at(other, 1)
    login_as(client, users["coordinator"])
    page = client.get("/requests").get_data(as_text=True)
    department = ward[0].department_id
    assert f'data-select-all="department-{department}"' in page
    assert f'data-select-all="department-{other.id}"' in page
    assert f'data-group="department-{department}"' in _row(page, ward[1].id)
    assert f'data-group="department-{other.id}"' in _row(page, theirs.id)
    bar = re.search(r'<form[^>]*id="bulk-form".*?</form>', page, re.S).group(0)
    assert re.search(r'name="csrf_token" type="hidden" value="[^"]+"', bar)


def test_each_row_names_its_doctor_in_the_page_language_escaped(client, users, ward):
    """The row texts naming the doctor are translated once a page and filled in per row."""
    first, second = ward
    enrollment = db.session.get(Enrollment, first.enrollment_id)
    doctor = db.session.get(Doctor, enrollment.doctor_id)
    doctor.last_name, doctor.native_name = "O'Neil<b>", None  # the Latin name on a Russian page
    users["coordinator"].language = Language.RU
    db.session.commit()
    login_as(client, users["coordinator"])
    page = client.get("/requests").get_data(as_text=True)
    row = _row(page, first.id)
    assert re.search(r'aria-label="Выбрать: [^"]*O&#39;Neil&lt;b&gt;', row)
    assert re.search(r">Причина отказа по запросу: [^<]*O&#39;Neil&lt;b&gt;[^<]*</label>", row)
    assert "%(name)s" not in page and "O&#39;Neil" not in _row(page, second.id)


# --- the answered list and undo ---------------------------------------------------------------


def test_a_decline_undone_within_ten_minutes_reopens_the_request_and_withdraws_the_notice(
    client, users, ward
):
    placement = ward[0]
    login_as(client, users["coordinator"])
    _decline(client, placement)
    notice = db.session.scalar(
        select(Notification).where(Notification.kind == "placement.declined")
    )
    assert notice is not None and notice.user_id == users["director"].id
    notice_id = notice.id
    page = client.get("/requests").get_data(as_text=True)
    answered = _row(page, placement.id, "answer")
    assert "No supervisor that week" in answered and f"/requests/{placement.id}/undo" in answered

    response = client.submit(f"/requests/{placement.id}/undo", {}, page="/requests")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Answer undone" in page
    assert f"/requests/{placement.id}/confirm" in _row(page, placement.id)  # open again
    undone = db.session.get(Placement, placement.id)
    db.session.refresh(undone)
    assert undone.status == PlacementStatus.REQUESTED
    assert (undone.decided_at, undone.decline_reason, undone.decided_by_id) == (None, None, None)
    assert db.session.scalar(select(Notification).where(Notification.id == notice_id)) is None
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "placement.answer_undone")
    ).one()
    assert event.actor_id == users["coordinator"].id and event.details["was"] == "declined"


def test_undoing_a_decline_the_director_has_read_tells_the_director(client, users, ward):
    placement = ward[0]
    login_as(client, users["coordinator"])
    _decline(client, placement)
    notice = db.session.scalar(
        select(Notification).where(Notification.kind == "placement.declined")
    )
    notice.read_at, notice.delivery_status = utcnow(), DeliveryStatus.SENT
    db.session.commit()
    client.submit(f"/requests/{placement.id}/undo", {}, page="/requests")
    follow_up = db.session.scalar(
        select(Notification).where(Notification.kind == "placement.decline_undone")
    )
    assert follow_up is not None and follow_up.user_id == users["director"].id
    assert "withdrew a decline" in follow_up.subject
    assert _status(placement) == PlacementStatus.REQUESTED


def test_after_ten_minutes_the_answer_stays_and_the_coordinator_is_told_why(client, users, ward):
    placement = ward[0]
    login_as(client, users["coordinator"])
    client.submit(f"/requests/{placement.id}/confirm", {}, page="/requests")
    confirmed = db.session.get(Placement, placement.id)
    db.session.refresh(confirmed)
    with pytest.raises(InvalidTransition, match="more than 10 minutes"):
        undo_answer(
            users["coordinator"], placement.id, now=confirmed.decided_at + timedelta(minutes=11)
        )
    db.session.rollback()
    confirmed.decided_at = utcnow() - timedelta(minutes=11)
    db.session.commit()
    page = client.get("/requests").get_data(as_text=True)
    assert f"/requests/{placement.id}/undo" not in _row(page, placement.id, "answer")
    response = client.submit(
        f"/requests/{placement.id}/undo", {}, page="/requests", follow_redirects=True
    )
    assert "more than 10 minutes have passed" in response.get_data(as_text=True)
    assert _status(placement) == PlacementStatus.CONFIRMED


def test_once_the_director_acted_on_the_cohort_the_answer_cannot_be_undone(client, users, ward):
    placement = ward[0]
    login_as(client, users["coordinator"])
    _decline(client, placement)
    cohort = db.session.scalar(select(Cohort).order_by(Cohort.id.desc()))  # the ward's
    record_event(users["director"], "cohort.planned", cohort)  # the director re-planned
    db.session.commit()
    response = client.submit(
        f"/requests/{placement.id}/undo", {}, page="/requests", follow_redirects=True
    )
    assert "already acted on it" in response.get_data(as_text=True)
    assert _status(placement) == PlacementStatus.DECLINED


def test_another_hospitals_coordinator_cannot_undo(client, users, ward):
    placement = ward[0]
    login_as(client, users["coordinator"])
    client.submit(f"/requests/{placement.id}/confirm", {}, page="/requests")
    client.submit("/logout", {}, page="/account/password")
    stranger = make_user(Role.COORDINATOR, hospital_id=make_hospital().id)
    login_as(client, stranger)
    assert f"/requests/{placement.id}" not in client.get("/requests").get_data(as_text=True)
    response = client.submit(f"/requests/{placement.id}/undo", {}, page="/requests")
    assert response.status_code == 404
    assert _status(placement) == PlacementStatus.CONFIRMED
    client.submit("/logout", {}, page="/account/password")
    login_as(client, users["director"])
    assert client.submit(f"/requests/{placement.id}/undo", {}, page="/").status_code == 403
    assert _status(placement) == PlacementStatus.CONFIRMED


def test_open_requests_come_a_page_at_a_time_and_an_answer_keeps_the_coordinator_on_it(
    client, users, count_queries
):
    hospital = db.session.get(Hospital, users["coordinator"].hospital_id)
    department = make_department(hospital, name="Cardiology", capacity=60)
    placements = _requests_at(department, REQUESTS_PER_PAGE + 3)
    login_as(client, users["coordinator"])
    with count_queries() as first_page:
        first = client.get("/requests").get_data(as_text=True)
    assert first.count('name="placement_ids"') == REQUESTS_PER_PAGE
    total = len(placements)
    assert f"Requests 1–{REQUESTS_PER_PAGE} of {total}" in first and "Page 1 of 2" in first
    with count_queries() as second_page:
        second = client.get("/requests?page=2").get_data(as_text=True)
    assert second.count('name="placement_ids"') == 3 and len(second_page) == len(first_page)
    last = placements[-1]
    _row(second, last.id)  # the last request (ordered by day, then id) is on page 2

    answered = client.submit(f"/requests/{last.id}/confirm?page=2", page="/requests?page=2")
    assert _status(last) == PlacementStatus.CONFIRMED
    assert answered.location.endswith("/requests?page=2")
    # Back on page 2, whose requests shrank; a page past the end shows the last one.
    followed = client.get("/requests?page=2").get_data(as_text=True)
    assert followed.count('name="placement_ids"') == 2
    assert client.get("/requests?page=9").get_data(as_text=True).count('name="placement_ids"') == 2


def test_a_page_of_requests_picks_its_rows_before_joining_their_doctors(
    client, users, count_queries
):
    """The page's ids come from the open requests alone (the index of the hospital's open
    requests by department and first day), and only those rows are joined to their doctors:
    ordering every joined open request read every open request of every hospital."""
    hospital = db.session.get(Hospital, users["coordinator"].hospital_id)
    _requests_at(make_department(hospital, name="Cardiology", capacity=9), 3)
    login_as(client, users["coordinator"])
    client.get("/requests")
    with count_queries() as statements:
        client.get("/requests?page=1")
    page = next(s for s in statements if "OFFSET" in s and "'requested'" in s)
    chosen = re.search(r"placements\.id IN \(SELECT placements\.id\s.*?LIMIT .*?OFFSET", page, re.S)
    assert chosen, page


def test_the_requests_page_reads_its_rows_without_building_their_objects(client, users, ward):
    """Each row's columns come as plain values: building a placement with its enrollment,
    doctor, cohort, rotation and department a row cost more than the page's statements."""
    login_as(client, users["coordinator"])
    _decline(client, ward[0])  # one answered row too
    built: list[str] = []

    def loaded(_session, instance):
        built.append(type(instance).__name__)

    event.listen(Session, "loaded_as_persistent", loaded)
    try:
        html = client.get("/requests").get_data(as_text=True)
    finally:
        event.remove(Session, "loaded_as_persistent", loaded)
    _row(html, ward[1].id)
    _row(html, ward[0].id, prefix="answer")
    assert not {"Placement", "Enrollment", "Doctor", "Department"} & set(built), built
