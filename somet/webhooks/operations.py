"""Webhook subscriptions (an administrator's) and their deliveries: one operation per action.

A target is checked when it is saved (its text and the addresses its name resolves to, see
``rules``) and again before every attempt, since names can be pointed elsewhere later.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from somet.audit.operations import record_event
from somet.core.errors import NotFound, ValidationFailed
from somet.models import (
    User,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookSubscription,
    utcnow,
)
from somet.web.extensions import db
from somet.webhooks import delivery, rules
from somet.webhooks.events import queue_event

TARGET_REFUSALS = {
    "too_long": _l("The URL is too long (at most 500 characters)."),
    "scheme": _l("The URL must start with https:// (or http:// for a private network target)."),
    "host": _l("The URL has no valid host name."),
    "credentials": _l("Leave the user name and password out of the URL."),
    "fragment": _l("Leave the #fragment out of the URL."),
    "unresolved": _l("The host name does not resolve to any address."),
    "private_address": _l(
        "The host is on a private, loopback or link-local address. Tick “Allow a private "
        "network target” if the receiver really is in your own network."
    ),
    "unusable_address": _l("The host resolves to an address that cannot receive webhooks."),
    "plain_http": _l("Use https:// for a target on the internet."),
}
PING = "ping"  # a test delivery an administrator sends to one subscription


def new_secret() -> str:
    return secrets.token_hex(32)


def check_target(url: str, allow_private_network: bool) -> None:
    """Refuse a target by its text or by where its name points (``ValidationFailed``)."""
    problem = rules.url_problem(url)
    if problem is None:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = delivery.resolve(parts.hostname, port)
        problem = rules.address_problem(parts.scheme, addresses, allow_private_network)
    if problem:
        raise ValidationFailed(str(TARGET_REFUSALS[problem]))


def subscribe(
    actor: User, name: str, url: str, events: list[str], allow_private_network: bool
) -> WebhookSubscription:
    """A new subscription with its own signing secret (shown on its page)."""
    _check_events(events)
    check_target(url, allow_private_network)
    subscription = WebhookSubscription(
        name=name.strip(),
        url=url,
        events=sorted(events),
        secret=new_secret(),
        allow_private_network=allow_private_network,
        created_by_id=actor.id,
    )
    db.session.add(subscription)
    db.session.flush()
    record_event(actor, "webhook.subscribed", subscription, url=url, events=sorted(events))
    db.session.commit()
    return subscription


def change_subscription(
    actor: User,
    subscription_id: int,
    *,
    name: str,
    url: str,
    events: list[str],
    allow_private_network: bool,
    active: bool,
) -> WebhookSubscription:
    subscription = _subscription(subscription_id)
    _check_events(events)
    check_target(url, allow_private_network)
    subscription.name = name.strip()
    subscription.url = url
    subscription.events = sorted(events)
    subscription.allow_private_network = allow_private_network
    subscription.active = active
    record_event(
        actor, "webhook.changed", subscription, url=url, events=sorted(events), active=active
    )
    db.session.commit()
    return subscription


def rotate_secret(actor: User, subscription_id: int) -> WebhookSubscription:
    """A new signing secret: deliveries from now on (retries included) are signed with it."""
    subscription = _subscription(subscription_id)
    subscription.secret = new_secret()
    record_event(actor, "webhook.secret_rotated", subscription)
    db.session.commit()
    return subscription


def unsubscribe(actor: User, subscription_id: int) -> None:
    """Delete a subscription and its deliveries' history."""
    subscription = _subscription(subscription_id)
    record_event(actor, "webhook.deleted", subscription, url=subscription.url)
    db.session.delete(subscription)
    db.session.commit()


def send_ping(actor: User, subscription_id: int) -> str:
    """Queue a test delivery to one subscription; the job sends it within half a minute."""
    subscription = _subscription(subscription_id)
    event_id = queue_event(PING, {"subscription": subscription.name}, [subscription.id])
    record_event(actor, "webhook.ping", subscription, event_id=event_id)
    db.session.commit()
    return event_id


def send_again(actor: User, subscription_id: int, delivery_id: int) -> None:
    """Put a failed delivery back in the queue with a fresh set of attempts."""
    subscription = _subscription(subscription_id)
    sent = db.session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.subscription_id == subscription_id,
            WebhookDelivery.status == WebhookDeliveryStatus.FAILED,
        )
        .values(status=WebhookDeliveryStatus.PENDING, attempts=0, next_attempt_at=utcnow())
    ).rowcount
    if sent != 1:
        db.session.rollback()
        raise ValidationFailed(str(_l("Only a failed delivery can be sent again.")))
    record_event(actor, "webhook.resent", subscription, delivery_id=delivery_id)
    db.session.commit()


def _subscription(subscription_id: int) -> WebhookSubscription:
    subscription = db.session.scalar(
        select(WebhookSubscription).where(WebhookSubscription.id == subscription_id)
    )
    if subscription is None:
        raise NotFound()
    return subscription


def _check_events(events: list[str]) -> None:
    if not events or not set(events) <= set(rules.EVENTS):
        raise ValidationFailed(str(_l("Choose at least one of the events offered.")))
