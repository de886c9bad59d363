"""Open Badges 3.0 export (NOT pure): a certificate's signed OpenBadgeCredential, the issuer's
profile and the revocation list, with this installation's URLs and keys (core/badges.py builds
and signs them).

Identifiers: the credential is ``urn:uuid:`` derived from its secret verification code (so the
public revocation list names no certificate), the holder ``urn:uuid:`` derived from the doctor's
record (the same in each of their badges), the achievement from its kind and title. A badge is
signed when it is downloaded, by the key that is active then; a revoked certificate, or one
signed by a revoked key, has no badge, and its bit is set in the revocation list.
"""

from __future__ import annotations

import uuid

from flask import current_app
from sqlalchemy import or_, select

from somet.certificates import keys
from somet.certificates.core import badges, keyset
from somet.models import Certificate, KeyStatus, SigningKey, utcnow
from somet.web.extensions import db

ISSUER_PATH = "/badges/issuer.json"
STATUS_LIST_PATH = "/badges/status/revocation"
ISSUER_NAME = "SOMET"
JWK_MEMBERS = ("kty", "crv", "x", "kid", "alg")


def _public(path: str) -> str:
    return current_app.config["SOMET_PUBLIC_URL"] + path


def _urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def issuer_profile() -> dict:
    """The issuer's OB 3.0 Profile (served at ISSUER_PATH and embedded in each badge)."""
    return {
        "id": _public(ISSUER_PATH),
        "type": ["Profile"],
        "name": ISSUER_NAME,
        "url": _public("/verify/"),
        "description": "Training centre for visiting physicians; verify certificates here.",
    }


def _signer() -> tuple[object, dict]:
    """The active key and its bare public JWK (for the JOSE header)."""
    keys.ensure_keys()
    kid, private = keys.active_signing_key()
    row = db.session.get(SigningKey, kid)
    public = keyset.jwk(keys.published(row))
    return private, {name: public[name] for name in JWK_MEMBERS}


def _revoked(certificate: Certificate) -> bool:
    if certificate.revoked_at is not None:
        return True
    status = db.session.scalar(
        select(SigningKey.status).where(SigningKey.kid == certificate.signing_key_id)
    )
    return status == KeyStatus.REVOKED


def badge_jwt(certificate: Certificate) -> str | None:
    """The certificate's signed OpenBadgeCredential; None when it is revoked."""
    if _revoked(certificate):
        return None
    snapshot = certificate.snapshot
    title = (
        snapshot["programme"]["name"]
        if snapshot["kind"] == "internship"
        else snapshot["masterclass"]["title"]
    )
    public_url = current_app.config["SOMET_PUBLIC_URL"]
    credential = badges.open_badge(
        snapshot,
        credential_id=_urn(f"somet-credential:{certificate.verification_code}"),
        subject_id=_urn(f"{public_url}/doctors/{certificate.doctor_id}"),
        achievement_id=_urn(f"{public_url}/achievements/{snapshot['kind']}/{title}"),
        issuer=issuer_profile(),
        status=badges.status_entry(_public(STATUS_LIST_PATH), certificate.id),
        verify_url=_public(f"/verify/{certificate.verification_code}"),
    )
    private, jwk = _signer()
    return badges.vc_jwt(credential, private, jwk)


def linkedin_url(certificate: Certificate) -> str:
    """LinkedIn's "Add to profile" link with the certificate's name, date, serial and link."""
    snapshot = certificate.snapshot
    title = (
        snapshot["programme"]["name"]
        if snapshot["kind"] == "internship"
        else snapshot["masterclass"]["title"]
    )
    return badges.linkedin_url(
        title,
        ISSUER_NAME,
        certificate.issued_at.date(),
        _public(f"/verify/{certificate.verification_code}"),
        certificate.serial,
    )


def revocation_list_jwt() -> str:
    """The signed StatusList2021 credential: the bits of revoked certificates are set."""
    revoked_keys = select(SigningKey.kid).where(SigningKey.status == KeyStatus.REVOKED)
    revoked = db.session.scalars(
        select(Certificate.id).where(
            or_(Certificate.revoked_at.is_not(None), Certificate.signing_key_id.in_(revoked_keys))
        )
    ).all()
    credential = badges.status_list(_public(STATUS_LIST_PATH), issuer_profile(), revoked, utcnow())
    private, jwk = _signer()
    return badges.vc_jwt(credential, private, jwk)
