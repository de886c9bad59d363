"""The audit log page: administrators see who did what, filter it, and nobody else may."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from somet.models import AuditEvent
from somet.web.extensions import db
from tests.conftest import login_as


def _events(actor, count, action="cohort.updated", when=None):
    when = when or datetime.now(UTC)
    for n in range(count):
        db.session.add(
            AuditEvent(
                actor_id=actor.id,
                actor_label=actor.email,
                action=action,
                object_type="Cohort",
                object_id=n + 1,
                details={"name": {"before": f"Old {n}", "after": f"New {n}"}},
                remote_addr="203.0.113.7",
                created_at=when,
            )
        )
    db.session.commit()


def test_admin_sees_who_changed_what_from_where(client, users):
    _events(users["director"], 1)
    login_as(client, users["admin"])
    page = client.get("/admin/audit").get_data(as_text=True)
    assert users["director"].email in page
    assert "cohort.updated" in page and "Cohort #1" in page
    assert "Old 0" in page and "New 0" in page and "203.0.113.7" in page


def test_admin_filters_by_action_actor_and_dates(client, users):
    _events(users["director"], 2, action="placement.confirmed")
    _events(users["admin"], 1, action="user.invited", when=datetime.now(UTC) - timedelta(days=40))
    login_as(client, users["admin"])
    confirmed = client.get("/admin/audit?action=placement.confirmed").get_data(as_text=True)
    assert confirmed.count("<code>placement.confirmed</code>") == 2
    assert "<code>user.invited</code>" not in confirmed
    by_actor = client.get(f"/admin/audit?actor={users['admin'].email[:6]}").get_data(as_text=True)
    assert "<code>user.invited</code>" in by_actor
    assert "<code>placement.confirmed</code>" not in by_actor
    recent = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    assert "<code>user.invited</code>" not in client.get(f"/admin/audit?since={recent}").get_data(
        as_text=True
    )


def test_a_backwards_date_range_is_a_form_error_not_a_crash(client, users):
    login_as(client, users["admin"])
    response = client.get("/admin/audit?since=2027-01-10&until=2027-01-01")
    assert response.status_code == 400
    assert "on or after the start date" in response.get_data(as_text=True)


def test_a_change_records_the_address_it_came_from(client, users):
    login_as(client, users["admin"])
    client.submit(
        f"/admin/users/{users['director'].id}/active", {"active": "0"}, page="/admin/users"
    )
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.deactivated")
    ).one()
    assert event.remote_addr == "127.0.0.1"


def test_only_admins_see_the_audit_log(client, users):
    assert client.get("/admin/audit").status_code == 302
    for role in ("director", "coordinator", "doctor"):
        login_as(client, users[role])
        assert client.get("/admin/audit").status_code == 403
        client.submit("/logout", {}, page="/account/password")


def test_audit_page_runs_the_same_queries_for_ten_or_five_hundred_events(
    client, users, count_queries
):
    login_as(client, users["admin"])
    _events(users["director"], 10)
    client.get("/admin/audit")
    with count_queries() as few:
        client.get("/admin/audit")
    _events(users["director"], 490)
    with count_queries() as many:
        client.get("/admin/audit")
    assert len(few) == len(many)


def test_admin_pages_back_through_history_newest_first_and_forward_again(client, users):
    start = datetime.now(UTC) - timedelta(days=3)
    for n in range(120):  # one event a minute: #120 is the newest
        db.session.add(AuditEvent(
            actor_id=users["director"].id, actor_label=users["director"].email,
            action="cohort.update", object_type="Cohort", object_id=n + 1, details={},
            created_at=start + timedelta(minutes=n),
        ))  # fmt: skip
    db.session.commit()
    login_as(client, users["admin"])
    newest = client.get("/admin/audit").get_data(as_text=True)
    assert "Cohort #120<" in newest and "Cohort #71<" in newest and "Cohort #70<" not in newest
    older = re.search(r'href="(/admin/audit\?before=\d+)"', newest).group(1)
    second = client.get(older).get_data(as_text=True)
    assert "Cohort #70<" in second and "Cohort #21<" in second and "Cohort #71<" not in second
    third = client.get(re.search(r'href="(/admin/audit\?before=\d+)"', second).group(1))
    last = third.get_data(as_text=True)
    assert "Cohort #20<" in last and "Cohort #1<" in last
    assert not re.search(r'href="/admin/audit\?before=', last)  # nothing older
    newer = re.search(r'href="(/admin/audit\?after=\d+)"', last).group(1)
    back = client.get(newer).get_data(as_text=True)
    assert "Cohort #70<" in back and "Cohort #21<" in back and "Cohort #71<" not in back
    filtered = client.get("/admin/audit?action=cohort.update&before=999999999")
    assert filtered.status_code == 200 and "No events match." in filtered.get_data(as_text=True)


def test_every_recorded_action_can_be_picked_in_the_filter():
    """A new record_event(...) action must be added to somet/audit/catalogue.py."""
    from somet.audit import catalogue

    known = set(catalogue.known_actions())
    root = Path(__file__).resolve().parent.parent / "somet"
    recorded = set()
    for source in root.rglob("*.py"):
        for call in re.finditer(r"record_event\(\s*[^,]+,\s*([^,]+?),", source.read_text()):
            recorded.update(re.findall(r'(?<!f)"([a-z_]+\.[a-z_]+)"', call.group(1)))
    assert recorded and recorded <= known, sorted(recorded - known)
    assert {"Cohort", "Placement", "User"} <= set(catalogue.known_object_types())


def test_an_underscore_or_percent_in_the_who_filter_is_a_letter_not_a_wildcard(client, users):
    for label in ("j_doe@example.org", "jxdoe@example.org", "100%@example.org"):
        db.session.add(AuditEvent(actor_label=label, action="user.invited", object_type="User"))
    db.session.commit()
    login_as(client, users["admin"])
    underscore = client.get("/admin/audit?actor=J_DOE").get_data(as_text=True)
    assert "j_doe@example.org" in underscore and "jxdoe@example.org" not in underscore
    percent = client.get("/admin/audit?actor=0%25@").get_data(as_text=True)
    assert "100%@example.org" in percent and "j_doe@example.org" not in percent
