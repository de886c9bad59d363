"""Webhooks through the app: an administrator subscribes, a host's confirmation or a
director's revocation is delivered to a real HTTP server on this machine, signed, retried
after a failure, and never sent twice after it succeeded."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from sqlalchemy import select, update

from somet.certificates.operations import issue_certificates
from somet.models import (
    Certificate,
    Hospital,
    PlacementStatus,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookSubscription,
    utcnow,
)
from somet.web.extensions import db
from somet.webhooks import rules
from somet.webhooks.delivery import deliver_due
from tests.certificate_data import finished_cohort, use_fake_renderer
from tests.conftest import login_as
from tests.factories import make_department, make_placement
from tests.webhook_receiver import Receiver

ALL_EVENTS = list(rules.EVENTS)


def _subscribe(client, users, url: str, events=ALL_EVENTS, private: bool = True, login=True):
    if login:
        login_as(client, users["admin"])
    data = {"name": "HR", "url": url, "events": events}
    if private:
        data["allow_private_network"] = "y"
    return client.submit("/admin/webhooks/new", data)


def _subscription() -> WebhookSubscription:
    return db.session.scalars(select(WebhookSubscription)).one()


def _deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    return db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()


def _confirm_a_request(client, users):
    hospital = db.session.get(Hospital, users["coordinator"].hospital_id)
    placement = make_placement(department=make_department(hospital))
    client.submit("/logout", {}, page="/account/password")
    login_as(client, users["coordinator"])
    response = client.submit(f"/requests/{placement.id}/confirm", {}, page="/requests")
    assert response.status_code == 302
    return placement


def _checked(received, secret: str) -> dict:
    header = received.headers["SOMET-Signature"]
    assert rules.signature_problem(secret, header, received.body, int(time.time())) is None
    return received.document


def test_a_confirmed_placement_reaches_the_receiver_signed_and_only_once(client, users):
    with Receiver() as receiver:
        assert _subscribe(client, users, receiver.url).status_code == 302
        secret = _subscription().secret
        placement = _confirm_a_request(client, users)
        assert deliver_due(utcnow()) == {"delivered": 1, "retry": 0, "failed": 0}
        assert deliver_due(utcnow() + timedelta(days=1)) == {
            "delivered": 0,
            "retry": 0,
            "failed": 0,
        }
    assert len(receiver.received) == 1
    got = receiver.received[0]
    document = _checked(got, secret)
    assert got.path == "/somet-hook" and got.headers["SOMET-Event"] == "placement.confirmed"
    assert got.headers["SOMET-Delivery"] == document["id"]
    assert document["type"] == "placement.confirmed"
    assert document["data"]["placement"] == {
        **document["data"]["placement"],
        "id": placement.id,
        "status": "confirmed",
        "start_date": placement.start_date.isoformat(),
    }
    (delivery,) = _deliveries()
    assert delivery.status == WebhookDeliveryStatus.DELIVERED and delivery.attempts == 1


def test_a_failed_delivery_is_retried_after_its_wait_with_the_same_body(client, users):
    with Receiver() as receiver:
        receiver.statuses = [500]
        _subscribe(client, users, receiver.url)
        _confirm_a_request(client, users)
        start = utcnow()
        assert deliver_due(start)["retry"] == 1
        (waiting,) = _deliveries()
        assert waiting.last_error.startswith("HTTP 500") and waiting.last_status_code == 500
        assert waiting.next_attempt_at >= start + timedelta(minutes=1)
        assert deliver_due(start + timedelta(seconds=30))["retry"] == 0  # not yet due
        assert len(receiver.received) == 1
        assert deliver_due(start + timedelta(minutes=2))["delivered"] == 1
        assert deliver_due(start + timedelta(days=2)) == {"delivered": 0, "retry": 0, "failed": 0}
    first, second = receiver.received
    assert first.body == second.body
    assert first.headers["SOMET-Delivery"] == second.headers["SOMET-Delivery"]
    (delivery,) = _deliveries()
    assert delivery.status == WebhookDeliveryStatus.DELIVERED and delivery.attempts == 2


def test_after_the_last_attempt_the_administrator_sees_the_error_and_sends_it_again(client, users):
    with Receiver() as receiver:
        receiver.statuses = [503] * rules.MAX_ATTEMPTS
        _subscribe(client, users, receiver.url, events=["placement.confirmed"])
        _confirm_a_request(client, users)
        moment = utcnow()
        for _ in range(rules.MAX_ATTEMPTS):
            deliver_due(moment)
            moment += timedelta(hours=13)
        (failed,) = _deliveries()
        assert failed.status == WebhookDeliveryStatus.FAILED
        assert failed.attempts == rules.MAX_ATTEMPTS == len(receiver.received)
        client.submit("/logout", {}, page="/account/password")
        login_as(client, users["admin"])
        page = client.get(f"/admin/webhooks/{failed.subscription_id}").get_data(as_text=True)
        assert "HTTP 503" in page and "Send again" in page
        listing = client.get("/admin/webhooks").get_data(as_text=True)
        assert 'text-bg-danger">1<' in listing
        home = client.get("/").get_data(as_text=True)  # the administrator's next job
        assert 'id="queue-webhooks" data-count="1"' in home and "1 delivery failed" in home
        again = f"/admin/webhooks/{failed.subscription_id}/deliveries/{failed.id}/again"
        assert client.submit(again, {}).status_code == 302
        assert deliver_due(utcnow())["delivered"] == 1
        # Only a failed delivery goes again: a second press changes nothing and says so.
        client.submit(again, {})
        assert "Only a failed delivery" in client.get(
            f"/admin/webhooks/{failed.subscription_id}"
        ).get_data(as_text=True)
    assert len(receiver.received) == rules.MAX_ATTEMPTS + 1
    assert _deliveries()[0].status == WebhookDeliveryStatus.DELIVERED
    assert 'id="queue-webhooks" data-count="0"' in client.get("/").get_data(as_text=True)


def test_only_subscribed_events_of_active_subscriptions_are_queued(client, users, monkeypatch):
    use_fake_renderer(monkeypatch)
    with Receiver() as receiver:
        _subscribe(client, users, receiver.url, events=["certificate.revoked"])
        _confirm_a_request(client, users)  # not subscribed
        assert _deliveries() == []
        cohort, _ = finished_cohort(complete=1)
        client.submit("/logout", {}, page="/account/password")
        login_as(client, users["director"])
        issue_certificates(users["director"], cohort.id)
        certificate = db.session.scalars(select(Certificate)).one()
        assert _deliveries() == []  # issued: not subscribed
        client.submit(f"/certificates/{certificate.id}/revoke", {"reason": "Issued in error"})
        (revoked,) = _deliveries()
        assert revoked.event == "certificate.revoked"
        deliver_due(utcnow())
        data = receiver.received[0].document["data"]["certificate"]
        assert (
            data["serial"] == certificate.serial and data["revocation_reason"] == "Issued in error"
        )
        assert data["verification_url"].endswith(f"/verify/{certificate.verification_code}")
        # A paused subscription gets nothing new.
        db.session.execute(update(WebhookSubscription).values(active=False))
        db.session.commit()
        _confirm_a_request(client, users)
        assert len(_deliveries()) == 1


def test_a_refused_decision_queues_nothing(client, users):
    with Receiver() as receiver:
        _subscribe(client, users, receiver.url)
        hospital = db.session.get(Hospital, users["coordinator"].hospital_id)
        full = make_department(hospital, capacity=1)
        make_placement(department=full, status=PlacementStatus.CONFIRMED)
        waiting = make_placement(department=full)
        client.submit("/logout", {}, page="/account/password")
        login_as(client, users["coordinator"])
        client.submit(f"/requests/{waiting.id}/confirm", {}, page="/requests")
        assert _deliveries() == []


def test_private_targets_are_refused_unless_allowed_and_checked_again_before_sending(client, users):
    refused = _subscribe(client, users, "http://127.0.0.1:9/hook", private=False)
    assert refused.status_code == 422
    assert "private, loopback or link-local" in refused.get_data(as_text=True)
    plain = _subscribe(client, users, "http://93.184.216.34/hook", private=False, login=False)
    assert plain.status_code == 422 and "Use https://" in plain.get_data(as_text=True)
    assert db.session.scalars(select(WebhookSubscription)).all() == []
    with Receiver() as receiver:
        _subscribe(client, users, receiver.url, login=False)
        # Later the consent is withdrawn (say, by an administrator's mistake in the database):
        # the delivery is refused before anything is sent.
        db.session.execute(update(WebhookSubscription).values(allow_private_network=False))
        db.session.commit()
        _confirm_a_request(client, users)
        assert deliver_due(utcnow())["retry"] == 1
    assert receiver.received == []
    assert "private_address" in _deliveries()[0].last_error


def test_a_new_secret_signs_from_then_on_and_a_ping_tests_the_receiver(client, users):
    with Receiver() as receiver:
        _subscribe(client, users, receiver.url)
        subscription = _subscription()
        old_secret = subscription.secret
        base = f"/admin/webhooks/{subscription.id}"
        assert client.submit(f"{base}/secret", {}).status_code == 302
        db.session.expire_all()
        new_secret = _subscription().secret
        assert new_secret != old_secret and new_secret in client.get(base).get_data(as_text=True)
        assert client.submit(f"{base}/ping", {}).status_code == 302
        deliver_due(utcnow())
    (ping,) = receiver.received
    assert _checked(ping, new_secret)["type"] == "ping"
    header = ping.headers["SOMET-Signature"]
    assert rules.signature_problem(old_secret, header, ping.body, int(time.time())) == "mismatch"


def test_the_pages_are_the_administrators_and_ids_are_checked(client, users):
    with Receiver() as receiver:
        _subscribe(client, users, receiver.url)
    subscription = _subscription()
    assert client.get("/admin/webhooks/999999").status_code == 404
    assert client.submit("/admin/webhooks/999999/ping", {}).status_code == 404
    assert client.submit("/admin/webhooks/999999/deliveries/1/again", {}).status_code == 404
    client.submit("/logout", {}, page="/account/password")
    login_as(client, users["director"])
    assert client.get("/admin/webhooks").status_code == 403
    assert client.get(f"/admin/webhooks/{subscription.id}").status_code == 403
    page_of_secret = re.compile(subscription.secret)
    assert not page_of_secret.search(client.get("/").get_data(as_text=True))


def test_editing_keeps_what_was_saved_when_the_new_target_is_refused(client, users):
    with Receiver() as receiver:
        _subscribe(client, users, receiver.url)
        subscription = _subscription()
        response = client.submit(
            f"/admin/webhooks/{subscription.id}",
            {"name": "HR", "url": "ftp://hr.example.org/", "events": ["placement.confirmed"]},
        )
        assert response.status_code == 422
        assert "must start with https://" in response.get_data(as_text=True)
        db.session.expire_all()
        assert _subscription().url == receiver.url
        assert _subscription().events == sorted(ALL_EVENTS)
        deleted = client.submit(f"/admin/webhooks/{subscription.id}/delete", {})
        assert deleted.status_code == 302
        assert db.session.scalars(select(WebhookSubscription)).all() == []
