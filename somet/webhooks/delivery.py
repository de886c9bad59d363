"""Sending due webhook deliveries: signed, to a checked address, retried with back-off.

Run by the job runner every half minute (``deliver-webhooks``). The due rows are read first
and the transaction ended, so no lock is held while a receiver answers. The job runner is one
process (its lease), and each attempt's outcome is written with a conditional update (still
pending, same attempt count): a delivery that succeeded is never read as due again.

The target's host name is resolved once per attempt, every address is checked
(``rules.address_problem``) and the connection goes to that checked address (TLS still
verifies the host name), so a name that resolves to a public address when checked and to a
private one a moment later cannot steer a delivery into the centre's network. Redirects are
not followed.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select, update

from somet.models import WebhookDelivery, WebhookDeliveryStatus, WebhookSubscription
from somet.web.database import lock_for_write
from somet.web.extensions import db
from somet.webhooks import rules

BATCH_SIZE = 50
TIMEOUT_SECONDS = 10
USER_AGENT = "SOMET-Webhooks/1"


class AttemptFailed(Exception):
    """Why one attempt did not deliver (kept on the delivery for the administrator)."""

    def __init__(self, message: str, status_code: int | None = None):
        super().__init__(message)
        self.status_code = status_code


@dataclass(frozen=True)
class Due:
    id: int
    event_id: str
    event: str
    body: str
    attempts: int
    url: str
    secret: str
    allow_private_network: bool


def deliver_due(now: datetime) -> dict:
    """Attempt every delivery that is due; returns counts (delivered, retry, failed)."""
    due = [
        Due(*row)
        for row in db.session.execute(
            select(
                WebhookDelivery.id,
                WebhookDelivery.event_id,
                WebhookDelivery.event,
                WebhookDelivery.body,
                WebhookDelivery.attempts,
                WebhookSubscription.url,
                WebhookSubscription.secret,
                WebhookSubscription.allow_private_network,
            )
            .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
            .where(
                WebhookDelivery.status == WebhookDeliveryStatus.PENDING,
                WebhookDelivery.next_attempt_at <= now,
                WebhookSubscription.active.is_(True),
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(BATCH_SIZE)
        )
    ]
    db.session.rollback()  # end the read: nothing is held while receivers answer
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    for delivery in due:
        try:
            status_code = attempt(delivery)
        except AttemptFailed as failure:
            counts[_record_failure(delivery, now, failure)] += 1
        else:
            _record_success(delivery, now, status_code)
            counts["delivered"] += 1
    return counts


def attempt(delivery: Due) -> int:
    """POST the delivery once; its HTTP status when 2xx, else ``AttemptFailed``."""
    problem = rules.url_problem(delivery.url)
    if problem:
        raise AttemptFailed(f"refused target: {problem}")
    parts = urlsplit(delivery.url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = resolve(parts.hostname, port)
    problem = rules.address_problem(parts.scheme, addresses, delivery.allow_private_network)
    if problem:
        raise AttemptFailed(f"refused target: {problem} ({', '.join(addresses) or parts.hostname})")
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        rules.EVENT_HEADER: delivery.event,
        rules.DELIVERY_HEADER: delivery.event_id,
        rules.SIGNATURE_HEADER: rules.sign(delivery.secret, int(time.time()), body),
    }
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = _connection(parts.scheme, parts.hostname, port, addresses[0])
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)  # a receiver's answer is not kept; read a little to end cleanly
    except (OSError, http.client.HTTPException) as error:
        raise AttemptFailed(f"{type(error).__name__}: {error}") from error
    finally:
        connection.close()
    if not 200 <= response.status < 300:
        raise AttemptFailed(f"HTTP {response.status} {response.reason}", response.status)
    return response.status


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (empty when it does not)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return list(dict.fromkeys(info[4][0] for info in found))


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str):
        super().__init__(host, port, timeout=TIMEOUT_SECONDS)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str):
        super().__init__(host, port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def _connection(scheme: str, host: str, port: int, address: str) -> http.client.HTTPConnection:
    if scheme == "https":
        return _PinnedHTTPSConnection(host, port, address)
    return _PinnedHTTPConnection(host, port, address)


def _record_success(delivery: Due, now: datetime, status_code: int) -> None:
    _write(
        delivery,
        status=WebhookDeliveryStatus.DELIVERED,
        delivered_at=now,
        last_status_code=status_code,
        last_error=None,
        last_attempt_at=now,
    )


def _record_failure(delivery: Due, now: datetime, failure: AttemptFailed) -> str:
    attempts = delivery.attempts + 1
    retry_at = rules.next_attempt_at(attempts, now)
    values = dict(
        last_status_code=failure.status_code, last_error=str(failure)[:500], last_attempt_at=now
    )
    if retry_at is None:
        _write(delivery, status=WebhookDeliveryStatus.FAILED, **values)
        return "failed"
    _write(delivery, next_attempt_at=retry_at, **values)
    return "retry"


def _write(delivery: Due, **values) -> None:
    """Record one attempt, only if nobody recorded it first (one transaction per delivery)."""
    lock_for_write(db.session(), "webhooks")
    db.session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery.id,
            WebhookDelivery.status == WebhookDeliveryStatus.PENDING,
            WebhookDelivery.attempts == delivery.attempts,
        )
        .values(attempts=delivery.attempts + 1, **values)
    )
    db.session.commit()
