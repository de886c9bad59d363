"""Webhook rules (pure): the events offered, how a delivery is signed and checked, when a
failed delivery is tried again, and which target URLs are refused.

Signing follows the common "timestamped HMAC" scheme: the ``SOMET-Signature`` header is
``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the subscription's secret>``. The
timestamp is part of what is signed, so a receiver that refuses old timestamps (five minutes
is the tolerance we document) cannot be fed a recorded delivery again.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from datetime import datetime
from urllib.parse import urlsplit

from somet.core.retries import MAX_ATTEMPTS, RETRY_AFTER

EVENTS = (
    "certificate.issued",
    "certificate.revoked",
    "placement.confirmed",
    "placement.declined",
    "enrollment.completed",
)
SIGNATURE_HEADER = "SOMET-Signature"
EVENT_HEADER = "SOMET-Event"
DELIVERY_HEADER = "SOMET-Delivery"
SIGNATURE_TOLERANCE_SECONDS = 300

MAX_URL_LENGTH = 500


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``SOMET-Signature`` header value for ``body`` sent at ``timestamp``."""
    return f"t={timestamp},v1={_mac(secret, timestamp, body)}"


def signature_problem(secret: str, header: str, body: bytes, now: int) -> str | None:
    """What a receiver finds wrong with a delivery's signature (None: it is genuine and fresh).

    Codes: ``malformed``, ``stale`` (older or newer than the tolerance), ``mismatch``.
    """
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return "malformed"
    if abs(now - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
        return "stale"
    if not hmac.compare_digest(given, _mac(secret, timestamp, body)):
        return "mismatch"
    return None


def _mac(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def next_attempt_at(attempts_made: int, now: datetime) -> datetime | None:
    """When to try again after ``attempts_made`` failed attempts (None: give up; an
    administrator may send it again from its page)."""
    if attempts_made >= MAX_ATTEMPTS:
        return None
    return now + RETRY_AFTER[attempts_made - 1]


def event_body(event_id: str, event: str, occurred_at: datetime, data: dict) -> str:
    """The JSON a subscriber receives: the same text on every attempt (it is what is signed)."""
    document = {"id": event_id, "type": event, "occurred_at": occurred_at.isoformat(), "data": data}
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def url_problem(url: str) -> str | None:
    """What is wrong with a target URL by its text alone (None: acceptable so far).

    Codes: ``too_long``, ``scheme`` (only http and https), ``host`` (none), ``credentials``
    (user:password@ would be sent to whoever answers), ``fragment``.
    """
    if len(url) > MAX_URL_LENGTH:
        return "too_long"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a port out of range)
    except ValueError:
        return "host"
    if parts.scheme not in ("http", "https"):
        return "scheme"
    if not parts.hostname:
        return "host"
    if parts.username is not None or parts.password is not None:
        return "credentials"
    if parts.fragment:
        return "fragment"
    return None


def address_problem(scheme: str, addresses: list[str], allow_private_network: bool) -> str | None:
    """What is wrong with the addresses a target's host name resolved to (None: send).

    A target must be on the public internet, over https, unless an administrator allowed
    private network targets for this subscription (a receiver in the centre's own network).
    Codes: ``unresolved``, ``private_address``, ``unusable_address`` (never a target:
    multicast, unspecified), ``plain_http``.
    """
    if not addresses:
        return "unresolved"
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone index
        if ip.is_multicast or ip.is_unspecified:
            return "unusable_address"
        if not ip.is_global and not allow_private_network:
            return "private_address"
    if scheme != "https" and not allow_private_network:
        return "plain_http"
    return None
