"""Security headers, session lifetime and login throttling."""

import time

from somet.web.security import SESSION_SEEN, SESSION_STARTED
from tests.conftest import login_as
from tests.factories import PASSWORD


def test_pages_carry_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_http_only_and_same_site(client, users):
    response = login_as(client, users["director"])
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def _age_session(client, **ages):
    with client.session_transaction() as session:
        for key, seconds in ages.items():
            session[key] = int(time.time()) - seconds


def test_idle_session_ends(client, users):
    login_as(client, users["director"])
    assert client.get("/").status_code == 200
    _age_session(client, **{SESSION_SEEN: 121 * 60})
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/").status_code == 302


def test_session_ends_after_the_absolute_limit_even_when_active(client, users):
    login_as(client, users["director"])
    _age_session(client, **{SESSION_STARTED: 13 * 3600, SESSION_SEEN: 10})
    assert client.get("/").status_code == 302


def test_login_is_throttled_after_repeated_attempts(client, users):
    statuses = [
        client.submit(
            "/login",
            {"email": users["director"].email, "password": "wrong-password"},
            page="/login",
        ).status_code
        for _ in range(21)
    ]
    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429
    assert (
        client.submit(
            "/login", {"email": users["director"].email, "password": PASSWORD}, page="/login"
        ).status_code
        == 429
    )
