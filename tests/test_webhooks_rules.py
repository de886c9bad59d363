"""Webhook rules without an app: signatures, back-off, refused targets, the body."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from somet.webhooks import rules

SECRET = "a" * 64
BODY = b'{"id":"e1","type":"placement.confirmed"}'
NOW = 1_765_000_000


def test_a_signature_checks_out_with_the_secret_and_fails_on_any_change():
    header = rules.sign(SECRET, NOW, BODY)
    assert header.startswith(f"t={NOW},v1=")
    assert rules.signature_problem(SECRET, header, BODY, NOW + 10) is None
    assert rules.signature_problem(SECRET, header, BODY.replace(b"e1", b"e2"), NOW) == "mismatch"
    assert rules.signature_problem("b" * 64, header, BODY, NOW) == "mismatch"
    # The time is signed too: moving it breaks the signature.
    moved = header.replace(f"t={NOW}", f"t={NOW + 1}")
    assert rules.signature_problem(SECRET, moved, BODY, NOW) == "mismatch"


def test_an_old_or_garbled_signature_is_refused():
    header = rules.sign(SECRET, NOW, BODY)
    late = NOW + rules.SIGNATURE_TOLERANCE_SECONDS + 1
    assert rules.signature_problem(SECRET, header, BODY, late) == "stale"
    assert rules.signature_problem(SECRET, "v1=abc", BODY, NOW) == "malformed"
    assert rules.signature_problem(SECRET, "t=soon,v1=abc", BODY, NOW) == "malformed"


def test_retries_back_off_and_stop_after_the_last_attempt():
    now = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    waits = [rules.next_attempt_at(n, now) - now for n in range(1, rules.MAX_ATTEMPTS)]
    assert waits == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=12),
    ]
    assert rules.next_attempt_at(rules.MAX_ATTEMPTS, now) is None


def test_target_urls_are_refused_by_their_text():
    assert rules.url_problem("https://hr.example.org/somet?x=1") is None
    assert rules.url_problem("ftp://hr.example.org/") == "scheme"
    assert rules.url_problem("https:///path") == "host"
    assert rules.url_problem("https://user:pw@hr.example.org/") == "credentials"
    assert rules.url_problem("https://hr.example.org/#top") == "fragment"
    assert rules.url_problem("https://hr.example.org:99999/") == "host"
    assert rules.url_problem("https://hr.example.org/" + "a" * 500) == "too_long"


def test_private_addresses_need_the_administrators_consent_and_the_internet_needs_https():
    public, private = ["93.184.216.34"], ["10.1.2.3"]
    assert rules.address_problem("https", public, False) is None
    assert rules.address_problem("http", public, False) == "plain_http"
    for inside in (["127.0.0.1"], private, ["169.254.169.254"], ["::1"], ["fd00::1"]):
        assert rules.address_problem("https", inside, False) == "private_address", inside
        assert rules.address_problem("http", inside, True) is None
    # One private address among public ones is enough to refuse (the name may pick either).
    assert rules.address_problem("https", public + private, False) == "private_address"
    assert rules.address_problem("https", ["224.0.0.1"], True) == "unusable_address"
    assert rules.address_problem("https", ["0.0.0.0"], True)  # noqa: S104 == "unusable_address"
    assert rules.address_problem("https", [], True) == "unresolved"


def test_the_body_is_the_same_text_for_the_same_event():
    moment = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    body = rules.event_body("e1", "certificate.issued", moment, {"certificate": {"serial": "S"}})
    assert body == rules.event_body(
        "e1", "certificate.issued", moment, {"certificate": {"serial": "S"}}
    )
    assert json.loads(body) == {
        "id": "e1",
        "type": "certificate.issued",
        "occurred_at": "2026-12-05T12:00:00+00:00",
        "data": {"certificate": {"serial": "S"}},
    }
