"""Security headers and session lifetime, applied to every response."""

from __future__ import annotations

import time

from flask import Flask, flash, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_talisman import Talisman
from flask_wtf.csrf import generate_csrf

from somet.web.i18n import SESSION_KEY as LANGUAGE_SESSION_KEY

talisman = Talisman()

# No inline scripts and no third-party hosts; inline style attributes are allowed for the
# server-rendered timelines (colours per department).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    # The document review page shows an uploaded PDF in an <iframe> from our own origin
    # (what default-src already allows, said explicitly); plugins and <object> stay off.
    "frame-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# A stored PDF or image shown inline: it may be framed by our own pages only, and may load
# nothing and run nothing itself. Chromium's image viewer (the file opened in its own tab)
# styles the picture inline; its PDF viewer needs no grant.
EMBEDDED_FILE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; "
    "base-uri 'none'; form-action 'none'"
)
_EMBEDDABLE = "_somet_embeddable_file"

SESSION_STARTED = "_started"
SESSION_SEEN = "_seen"


def register_security(app: Flask) -> None:
    """Headers (CSP, frame-ancestors, nosniff, referrer policy, HSTS) and session timeouts."""
    production = app.config["SOMET_ENV"] == "production"
    # Registered before Talisman so that it runs after it (Flask runs these in reverse).
    app.after_request(_embeddable_file_headers)
    talisman.init_app(
        app,
        force_https=production,
        strict_transport_security=production,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        x_content_type_options=True,
    )
    app.before_request(_enforce_session_lifetime)
    app.session_interface = _SessionCookie()

    @app.context_processor
    def page_csrf_token():
        return {"csrf_token": _PageToken()}


class _PageToken:
    """A page's ``csrf_token()``: Flask-WTF's, asked once. It is the same token all through a
    request, but each call reads the app's settings and the session again, and lists with a
    button form on every row asked it on every row."""

    __slots__ = ("_token",)

    def __init__(self):
        self._token: str | None = None

    def __call__(self) -> str:
        if self._token is None:
            self._token = generate_csrf()
        return self._token


class _SessionCookie(SecureCookieSessionInterface):
    """Flask's signed session cookie, its signing serializer built once per set of keys
    instead of on every request (building one tries its JSON serializer out first)."""

    def __init__(self):
        self._serializers = {}

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]


def allow_same_origin_embedding() -> None:
    """Let this response (a stored PDF or image) be framed by our own pages, and nobody's
    else; its own policy forbids it to load or run anything."""
    setattr(g, _EMBEDDABLE, True)


def _embeddable_file_headers(response):
    if g.get(_EMBEDDABLE) and response.status_code == 200:
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = EMBEDDED_FILE_POLICY
    return response


def _enforce_session_lifetime():
    """End a logged-in session after too long idle, or too long in all."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    from flask import current_app

    now = int(time.time())
    idle_limit = current_app.config["SOMET_SESSION_IDLE_MINUTES"] * 60
    absolute_limit = current_app.config["SOMET_SESSION_MAX_HOURS"] * 3600
    started = session.setdefault(SESSION_STARTED, now)
    seen = session.get(SESSION_SEEN, now)
    if now - seen > idle_limit or now - started > absolute_limit:
        language = current_user.language.value
        logout_user()
        session.clear()
        session[LANGUAGE_SESSION_KEY] = language  # the login page stays in the user's language
        flash(_("Your session has ended. Please log in again."), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if now - seen >= 60 or SESSION_SEEN not in session:  # write the cookie at most once a minute
        session[SESSION_SEEN] = now
    return None
