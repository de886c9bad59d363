"""The audit log page: administrators see who did what, filter it, and nobody else may."""

from datetime import UTC, datetime, timedelta

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
