"""The host's side: requests by department and week, decisions, the one-tap link, no overbooking."""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta

from sqlalchemy import func, select

from somet.models import (
    AuditEvent,
    Department,
    Hospital,
    Notification,
    Placement,
    PlacementStatus,
    Role,
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
    make_hospital,
    make_placement,
    make_user,
)

SUNDAY = date(2027, 3, 7)
LINK_RE = re.compile(r"https?://[^/\s]+(/requests/respond/\S+)")


def _requests_at(department, n: int, cohort=None, **overrides) -> list[Placement]:
    """``n`` requested placements of different doctors at ``department``, same days."""
    cohort = cohort or make_cohort()
    item = make_curriculum_item(cohort, [department])
    placements = []
    for _ in range(n):
        fields = dict(
            start_date=SUNDAY,
            end_date=SUNDAY + timedelta(days=2),
            status=PlacementStatus.REQUESTED,
            requested_at=utcnow().replace(microsecond=0),
        )
        fields.update(overrides)
        placements.append(make_placement(make_enrollment(cohort), department, item, **fields))
    return placements


def _my_department(users, **overrides):
    hospital = db.session.get(Hospital, users["coordinator"].hospital_id)
    return make_department(hospital, **overrides)


def _status(placement) -> PlacementStatus:
    return db.session.scalar(select(Placement.status).where(Placement.id == placement.id))


def test_coordinator_sees_its_requests_by_department_and_week_with_the_doctors_details(
    client, users
):
    surgery = _my_department(users, name="Surgery")
    cohort = make_cohort()
    item = make_curriculum_item(cohort, [surgery])
    doctor = make_doctor(home_institution="Semey Medical University", passport_number="N1234567")
    for start in (SUNDAY, SUNDAY + timedelta(days=7)):
        make_placement(
            make_enrollment(cohort, doctor if start == SUNDAY else None),
            surgery,
            item,
            start_date=start,
            end_date=start + timedelta(days=2),
        )
    login_as(client, users["coordinator"])
    page = client.get("/requests").get_data(as_text=True)
    assert page.count("week of") == 2
    assert "Semey Medical University" in page and doctor.latin_name in page
    assert "Anaesthesiology" in page
    assert "N1234567" not in page


def test_coordinator_cannot_see_or_answer_another_hospitals_requests(client, users):
    theirs = _requests_at(make_department(), 1)[0]
    login_as(client, users["coordinator"])
    assert str(theirs.id) not in re.findall(
        r"/requests/(\d+)/confirm", client.get("/requests").get_data(as_text=True)
    )
    assert client.submit(f"/requests/{theirs.id}/confirm", {}, page="/requests").status_code == 404
    response = client.submit(f"/requests/{theirs.id}/decline", {"reason": "No"}, page="/requests")
    assert response.status_code == 404
    response = client.submit(
        "/requests/bulk", {"placement_ids": [theirs.id], "decision": "confirm"}, page="/requests"
    )
    assert response.status_code == 404
    assert _status(theirs) == PlacementStatus.REQUESTED


def test_doctors_and_directors_have_no_requests_page(client, users):
    for role in ("doctor", "director"):
        login_as(client, users[role])
        assert client.get("/requests").status_code == 403
        client.submit("/logout", {}, page="/account/password")


def test_bulk_confirmation_stops_at_capacity_and_says_why(client, users):
    department = _my_department(users, capacity=2)
    placements = _requests_at(department, 3)
    login_as(client, users["coordinator"])
    response = client.submit(
        "/requests/bulk",
        {"placement_ids": [p.id for p in placements], "decision": "confirm"},
        page="/requests",
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 requests answered" in page and "has no place left on" in page
    assert [_status(p) for p in placements].count(PlacementStatus.CONFIRMED) == 2


def test_one_answered_request_is_counted_in_the_singular(client, users):
    (placement,) = _requests_at(_my_department(users, capacity=1), 1)
    login_as(client, users["coordinator"])
    response = client.submit(
        "/requests/bulk",
        {"placement_ids": [placement.id], "decision": "confirm"},
        page="/requests",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "1 request answered." in page and "1 requests" not in page


def test_declining_needs_a_reason_and_keeps_it(client, users):
    department = _my_department(users)
    first, second = _requests_at(department, 2)
    login_as(client, users["coordinator"])
    response = client.submit(
        "/requests/bulk",
        {"placement_ids": [first.id, second.id], "decision": "decline", "reason": ""},
        page="/requests",
    )
    assert response.status_code == 400  # shown again, the error in the bulk bar
    assert "Please say why you decline" in response.get_data(as_text=True)
    assert _status(first) == PlacementStatus.REQUESTED
    client.submit(
        "/requests/bulk",
        {"placement_ids": [first.id, second.id], "decision": "decline", "reason": "Full ward"},
        page="/requests",
    )
    declined = db.session.get(Placement, first.id)
    assert (declined.status, declined.decline_reason) == (PlacementStatus.DECLINED, "Full ward")
    assert declined.decided_by_id == users["coordinator"].id
    events = db.session.scalar(
        select(func.count()).where(AuditEvent.action == "placement.declined")
    )
    assert events == 2


def _sent_link(client, users) -> tuple[str, Placement]:
    """Plan nothing: send one proposed placement and read its link from the outbox."""
    hospital = make_hospital()
    department = make_department(hospital, name="Neurosurgery", supervisor_name="Prof. Zaaroor")
    cohort = make_cohort(hosts=[hospital])
    item = make_curriculum_item(cohort, [department])
    placement = make_placement(
        make_enrollment(cohort), department, item, status=PlacementStatus.PROPOSED
    )
    coordinator = make_user(Role.COORDINATOR, hospital_id=hospital.id)
    login_as(client, users["director"])
    client.submit(f"/cohorts/{cohort.id}/send", {}, page=f"/cohorts/{cohort.id}/timeline")
    client.submit("/logout", {}, page="/account/password")
    to_supervisor = db.session.scalar(
        select(Notification).where(Notification.to_email == department.supervisor_email)
    )
    to_coordinator = db.session.scalar(
        select(Notification).where(Notification.to_email == coordinator.email)
    )
    assert "/requests" in to_coordinator.body
    assert to_supervisor.body.count("/requests/respond/") == 1
    assert "http://127.0.0.1:5000/requests/respond/" in to_supervisor.body  # SOMET_PUBLIC_URL
    return LINK_RE.search(to_supervisor.body).group(1), placement


def test_one_tap_link_names_what_it_confirms_and_works_once(client, users):
    link, placement = _sent_link(client, users)
    page = client.get(link).get_data(as_text=True)
    assert "Neurosurgery" in page and "7–9 Mar 2027" in page
    assert "Nurlanovna" in page and "Semey Medical University" in page

    response = client.submit(link, {"confirm": "1"})
    assert response.status_code == 302
    confirmed = db.session.get(Placement, placement.id)
    assert (confirmed.status, confirmed.decided_by_name) == (
        PlacementStatus.CONFIRMED,
        "Prof. Zaaroor",
    )
    label = db.session.scalar(
        select(AuditEvent.actor_label).where(AuditEvent.action == "placement.confirmed")
    )
    assert "one-tap link" in label

    again = client.get(link)
    assert again.status_code == 410 and "already answered" in again.get_data(as_text=True)
    reuse = client.submit(link, {"decline": "1", "reason": "Changed my mind"}, page="/login")
    assert reuse.status_code == 410
    assert _status(placement) == PlacementStatus.CONFIRMED


def test_one_tap_link_expires(app, client, users):
    link, placement = _sent_link(client, users)
    stale = db.session.get(Placement, placement.id)
    days = app.config["SOMET_CONFIRMATION_LINK_TTL_DAYS"]
    stale.requested_at = utcnow().replace(microsecond=0) - timedelta(days=days, minutes=1)
    db.session.commit()
    expired_link = "/requests/respond/" + requests.response_token(stale)
    response = client.get(expired_link)
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    assert client.get(link).status_code == 410  # the old link names an older request time
    assert _status(placement) == PlacementStatus.REQUESTED


def test_a_forged_link_is_not_found_and_declining_by_link_needs_a_reason(client, users):
    link, placement = _sent_link(client, users)
    assert client.get("/requests/respond/not-a-real-token").status_code == 404
    assert client.get(link[:-3] + "xyz").status_code == 404
    response = client.submit(link, {"decline": "1", "reason": ""})
    assert response.status_code == 200 and "Please say why you decline" in response.get_data(
        as_text=True
    )
    client.submit(link, {"decline": "1", "reason": "No supervisor that week"})
    declined = db.session.get(Placement, placement.id)
    assert declined.decline_reason == "No supervisor that week"


def test_twenty_simultaneous_confirmations_never_overbook(app):
    department = make_department(capacity=3, supervisor_name="Dr. Busy")
    placements = _requests_at(department, 20)
    links = ["/requests/respond/" + requests.response_token(p) for p in placements]
    db.session.commit()
    ready = threading.Barrier(len(links))
    answers: list[tuple[int, str]] = []

    def confirm(link: str) -> None:
        browser = app.test_client()  # its own cookies; each request its own app context
        token = browser.csrf_token(link)
        ready.wait(timeout=60)
        response = browser.post(link, data={"csrf_token": token, "confirm": "1"})
        answers.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=confirm, args=(link,)) for link in links]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    codes = sorted(code for code, _ in answers)
    assert codes == [302] * 3 + [409] * 17
    refusals = [text for code, text in answers if code == 409]
    assert all("has no place left on" in text for text in refusals)
    confirmed = db.session.scalar(
        select(func.count()).where(
            Placement.department_id == department.id,
            Placement.status == PlacementStatus.CONFIRMED,
        )
    )
    assert confirmed == 3


def test_requests_page_takes_the_same_queries_for_3_or_30_requests(client, users, count_queries):
    login_as(client, users["coordinator"])
    counts = []
    for n in (3, 30):
        _requests_at(_my_department(users), n)
        with count_queries() as queries:
            page = client.get("/requests").get_data(as_text=True)
        counts.append(len(queries))
    assert page.count("/confirm") == 33
    assert counts[0] == counts[1]


def test_a_supervisor_gets_requests_in_the_language_the_hospital_chose(client, users):
    hospital = make_hospital()
    login_as(client, users["director"])
    client.submit(
        f"/hospitals/{hospital.id}/departments/new",
        dict(name="Neurosurgery", specialty="neurosurgery", capacity="2", languages="he,ru",
             supervisor_name="Dr. Levin", supervisor_email="levin@hospital.example.org",
             supervisor_language="ru"),
    )
    department = db.session.scalar(select(Department).where(Department.name == "Neurosurgery"))
    page = client.get(f"/hospitals/{hospital.id}/departments/{department.id}")
    assert "e-mails in Русский" in page.get_data(as_text=True)
    cohort = make_cohort(hosts=[hospital])
    item = make_curriculum_item(cohort, [department])
    make_placement(make_enrollment(cohort), department, item, status=PlacementStatus.PROPOSED)

    client.submit(f"/cohorts/{cohort.id}/send", {}, page=f"/cohorts/{cohort.id}/timeline")

    to_supervisor = db.session.scalar(
        select(Notification).where(Notification.to_email == "levin@hospital.example.org")
    )
    assert to_supervisor.language == "ru"
    assert to_supervisor.subject == (
        "Приезжие врачи для отделения «Neurosurgery»: пожалуйста, подтвердите"
    )
