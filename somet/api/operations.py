"""Integration tokens: create (shown once), revoke, and authenticate a request's token.

Only a token's SHA-256 is stored (as invitation tokens are). A request authenticated by a
token acts as the token's *principal*: a user that exists only for the request, with the
rights of a programme director, or of the coordinator of the token's hospital when the
token is limited to one. So the API reuses the pages' access rules and operations as they
are, and every write is audited with the integration's name as its actor.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from somet.accounts.operations import token_digest
from somet.api.rules import SHOWN_PREFIX_LENGTH, TOKEN_PREFIX, grants, known_scopes
from somet.audit.operations import record_event
from somet.core.errors import NotAllowed, ValidationFailed
from somet.models import ApiToken, Hospital, Role, User, utcnow
from somet.web.extensions import db

LAST_USE_PRECISION = timedelta(minutes=1)  # last use is written at most once a minute


class TokenRefused(Exception):
    """No valid token: missing, unknown or revoked (the API answers 401)."""


class ScopeMissing(Exception):
    """The token lacks the operation's scope (the API answers 403)."""


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the full token: shown once, never stored


def create_token(
    actor: User, name: str, scopes: list[str], hospital: Hospital | None
) -> IssuedToken:
    """A new token for the integration ``name``; administrators only."""
    _require_admin(actor)
    name = (name or "").strip()
    scopes = known_scopes(scopes)
    if not name:
        raise ValidationFailed(_("Give the integration a name."))
    if not scopes:
        raise ValidationFailed(_("Choose at least one scope."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        token_hash=token_digest(secret),
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        scopes=scopes,
        hospital_id=hospital.id if hospital else None,
        created_by_id=actor.id,
    )
    db.session.add(token)
    db.session.flush()
    record_event(
        actor, "api_token.create", token, name=name, scopes=scopes,
        hospital_id=token.hospital_id,
    )  # fmt: skip
    db.session.commit()
    return IssuedToken(token, secret)


def revoke_token(actor: User, token: ApiToken) -> None:
    """Stop ``token`` working from its next request on; administrators only."""
    _require_admin(actor)
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    token.revoked_by_id = actor.id
    record_event(actor, "api_token.revoke", token, name=token.name)
    db.session.commit()


def _require_admin(actor: User) -> None:
    if actor is None or actor.role != Role.ADMIN:
        raise NotAllowed(_("Only administrators manage integration tokens."))


def authenticate(secret: str | None, scope: str | None) -> ApiToken:
    """The live token of ``secret`` allowed ``scope``; notes its last use."""
    token = None
    if secret:
        token = db.session.scalar(
            select(ApiToken).where(ApiToken.token_hash == token_digest(secret))
        )
    if token is None or token.revoked_at is not None:
        raise TokenRefused
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
        token.last_used_at = now
        db.session.commit()
    if not grants(token.scopes, scope):
        raise ScopeMissing
    return token


def principal_of(token: ApiToken) -> User:
    """The user ``token`` acts as: never saved, it only carries the role and the hospital
    that the access rules and operations read, and the name the audit log shows."""
    return User(
        email=f"integration:{token.name}",
        full_name=token.name,
        role=Role.COORDINATOR if token.hospital_id else Role.DIRECTOR,
        hospital_id=token.hospital_id,
        active=True,
    )
