"""Notifications: the outbox in the app, and delivery by SMTP to a real local server."""

from __future__ import annotations

import html
import re
import socket
from datetime import timedelta
from email import message_from_bytes
from email import policy as email_policy

import pytest
from aiosmtpd.controller import Controller
from babel.dates import format_date
from sqlalchemy import select

from somet.models import DeliveryStatus, Language, Notification, Role, utcnow
from somet.notifications import delivery as mail
from somet.notifications import reminders, tasks
from somet.notifications.operations import recipient_for_user, render_message
from somet.web.extensions import db
from tests import factories
from tests.conftest import login_as


class Mailbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=email_policy.default))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(SOMET_SMTP_HOST="127.0.0.1", SOMET_SMTP_PORT=controller.port)
    yield mailbox
    controller.stop()


def _refresh(notification: Notification) -> Notification:
    db.session.expire_all()
    return db.session.get(Notification, notification.id)


def test_a_reminder_reaches_the_mailbox_in_the_recipients_language(app, smtp_server):
    hospital = factories.make_hospital()
    department = factories.make_department(hospital)
    russian = factories.make_user(Role.COORDINATOR, hospital_id=hospital.id, language=Language.RU)
    requested_at = utcnow() - timedelta(hours=50)
    factories.make_placement(department=department, status="requested", requested_at=requested_at)
    reminders.send_reminders(utcnow())
    notification = db.session.scalars(select(Notification)).one()
    assert notification.delivery_status == DeliveryStatus.PENDING

    counts = tasks.deliver_notifications(utcnow())
    assert counts["sent"] == 1
    (received,) = smtp_server.messages
    assert received["To"] == russian.email
    assert received["Subject"] == notification.subject
    assert received["Content-Language"] == "ru"
    assert format_date(requested_at.date(), "d MMMM y", locale="ru") in received.get_content()
    delivered = _refresh(notification)
    assert (delivered.delivery_status, delivered.attempts) == (DeliveryStatus.SENT, 1)
    assert delivered.sent_at is not None
    assert tasks.deliver_notifications(utcnow())["sent"] == 0  # nothing is sent twice
    assert len(smtp_server.messages) == 1


def test_an_unreachable_server_is_retried_with_backoff_and_finally_given_up(app):
    app.config.update(SOMET_SMTP_HOST="127.0.0.1", SOMET_SMTP_PORT=_free_port())  # nobody there
    notification = factories.make_notification(factories.make_user())
    created = _refresh(notification).created_at
    assert tasks.deliver_notifications(created)["retry"] == 1
    failed_once = _refresh(notification)
    assert failed_once.attempts == 1 and failed_once.delivery_status == DeliveryStatus.PENDING
    assert "Connection" in failed_once.last_error
    assert sum(tasks.deliver_notifications(created + timedelta(seconds=30)).values()) == 0
    for wait in mail.RETRY_AFTER:
        tasks.deliver_notifications(created + wait)
    given_up = _refresh(notification)
    assert given_up.attempts == mail.MAX_ATTEMPTS
    assert given_up.delivery_status == DeliveryStatus.FAILED


def test_a_message_that_failed_once_is_delivered_when_the_server_is_back(app, smtp_server):
    notification = factories.make_notification(
        factories.make_user(), attempts=1, last_error="ConnectionRefusedError"
    )
    created = _refresh(notification).created_at
    assert tasks.deliver_notifications(created + timedelta(seconds=10))["sent"] == 0
    assert tasks.deliver_notifications(created + mail.RETRY_AFTER[0])["sent"] == 1
    delivered = _refresh(notification)
    assert (delivered.attempts, delivered.last_error) == (2, None)
    assert len(smtp_server.messages) == 1


def test_without_an_smtp_server_messages_stay_in_the_app_only(app):
    notification = factories.make_notification(factories.make_user())
    assert tasks.deliver_notifications(utcnow()) == {"in_app_only": 1}
    assert _refresh(notification).delivery_status == DeliveryStatus.NOT_SENT


def test_the_same_message_is_written_in_each_recipients_language(app):
    english = recipient_for_user(factories.make_user(language=Language.EN))
    kazakh = recipient_for_user(factories.make_user(language=Language.KK))
    masterclass = factories.make_masterclass()
    doctor = factories.make_doctor()
    subject_en, body_en = render_message(
        "masterclass_tomorrow", english.language, masterclass=masterclass, doctor=doctor
    )
    subject_kk, body_kk = render_message(
        "masterclass_tomorrow", kazakh.language, masterclass=masterclass, doctor=doctor
    )
    assert masterclass.title in subject_en and masterclass.title in subject_kk
    assert "Mar 2027" in body_en and "наурыз" in body_kk


def test_a_user_sees_their_notifications_with_an_unread_count_and_marks_them_read(client, users):
    doctor = users["doctor"]
    first = factories.make_notification(doctor, subject="Your rotation starts on Sunday")
    factories.make_notification(doctor, subject="Tomorrow: Airway masterclass")
    factories.make_notification(users["coordinator"], subject="Someone else's news")
    login_as(client, doctor)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Your rotation starts on Sunday" in page and "Someone else" not in page
    assert 'title="unread">2<' in page
    client.submit(f"/notifications/{first.id}/read", page="/notifications")
    assert 'title="unread">1<' in client.get("/").get_data(as_text=True)
    client.submit("/notifications/read", page="/notifications")
    assert 'title="unread"' not in client.get("/notifications").get_data(as_text=True)


def test_a_user_cannot_mark_someone_elses_notification_read(client, users):
    other = factories.make_notification(users["coordinator"])
    login_as(client, users["doctor"])
    response = client.submit(f"/notifications/{other.id}/read", page="/notifications")
    assert response.status_code == 404
    assert _refresh(other).read_at is None


def test_the_notifications_page_costs_the_same_queries_for_few_and_many(
    client, users, count_queries
):
    doctor = users["doctor"]
    login_as(client, doctor)
    counts = []
    for total in (3, 40):
        while len(db.session.scalars(select(Notification.id)).all()) < total:
            factories.make_notification(doctor)
        with count_queries() as queries:
            assert client.get("/notifications").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_admin_reads_the_outbox_and_sends_a_failed_e_mail_again(app, client, users, smtp_server):
    failed = factories.make_notification(
        factories.make_user(),
        subject="Please confirm",
        body="Confirm here: http://127.0.0.1:5000/requests/respond/abc123",
        delivery_status=DeliveryStatus.FAILED,
        attempts=mail.MAX_ATTEMPTS,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    factories.make_notification(factories.make_user(), subject="Already delivered",
                                delivery_status=DeliveryStatus.SENT)
    login_as(client, users["admin"])
    assert 'href="/notifications/outbox"' in client.get("/").get_data(as_text=True)  # the menu

    page = client.get("/notifications/outbox?status=failed").get_data(as_text=True)
    assert "Please confirm" in page and "Already delivered" not in page
    assert "Connection refused" in page
    assert '<a href="http://127.0.0.1:5000/requests/respond/abc123"' in page
    retry = f'<form method="post" action="/notifications/outbox/{failed.id}/retry?status=failed"'
    assert retry in page and ">Send again</button>" in page
    client.submit(f"/notifications/outbox/{failed.id}/retry", {}, page="/notifications/outbox")
    assert _refresh(failed).delivery_status == DeliveryStatus.PENDING

    assert tasks.deliver_notifications(utcnow())["sent"] == 1
    assert [m["Subject"] for m in smtp_server.messages] == ["Please confirm"]
    page = client.get("/notifications/outbox?status=sent").get_data(as_text=True)
    assert "Please confirm" in page
    again = client.submit(f"/notifications/outbox/{failed.id}/retry", {},
                          page="/notifications/outbox")
    assert "already sent" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert len(smtp_server.messages) == 1


def test_an_admin_pages_through_the_outbox_newest_first_with_its_filter(client, users):
    from somet.notifications.views import PER_PAGE

    recipient = factories.make_user(email="pager_1@example.org")
    for n in range(PER_PAGE + 5):
        factories.make_notification(recipient, subject=f"Mail number {n:03d}")
    factories.make_notification(factories.make_user(email="pagerx1@example.org"),
                                subject="Not this recipient")  # fmt: skip
    login_as(client, users["admin"])

    def subjects(page):
        return re.findall(r"Mail number (\d+)", page)

    # "_" is a letter in the recipient filter, not a wildcard matching "pagerx1"
    newest = client.get("/notifications/outbox?recipient=pager_1").get_data(as_text=True)
    assert "Not this recipient" not in newest and "Page 1 of" not in newest
    assert subjects(newest) == [f"{n:03d}" for n in range(PER_PAGE + 4, 4, -1)]
    (older,) = re.findall(r'href="(/notifications/outbox\?[^"]*before=\d+[^"]*)"', newest)
    older_page = client.get(html.unescape(older)).get_data(as_text=True)
    assert subjects(older_page) == ["004", "003", "002", "001", "000"]
    assert "recipient=pager_1" in older_page  # the filter is kept
    (newer,) = re.findall(r'href="(/notifications/outbox\?[^"]*after=\d+[^"]*)"', older_page)
    back = client.get(html.unescape(newer)).get_data(as_text=True)
    assert subjects(back) == subjects(newest)
    assert client.get("/notifications/outbox?before=x&after=-1").status_code == 200


def test_the_outbox_reads_two_statements_however_long_it_grows(client, users, count_queries):
    login_as(client, users["admin"])
    counts = []
    for mails in (3, 40):
        for _ in range(mails):
            factories.make_notification(factories.make_user())
        with count_queries() as queries:
            assert client.get("/notifications/outbox").status_code == 200
        counts.append(len([q for q in queries if not q.startswith("BEGIN")]))  # SQLite's own
    assert counts == [2, 2]  # the admin with the menu's badges, and the page (no total)


def test_only_admins_see_the_outbox(client, users):
    mail_id = factories.make_notification(factories.make_user()).id
    for role in ("director", "coordinator", "doctor"):
        login_as(client, users[role])
        assert client.get("/notifications/outbox").status_code == 403
        response = client.post(f"/notifications/outbox/{mail_id}/retry",
                               data={"csrf_token": client.csrf_token("/notifications")})
        assert response.status_code == 403
        client.submit("/logout", {}, page="/notifications")
