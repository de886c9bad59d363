"""``/verify``: anyone checks a certificate by its code (the QR target), or by its serial and
check code, as a page or JSON; ``/.well-known/jwks.json`` publishes every signing key.

Codes are 256-bit random strings, so they cannot be guessed, and lookups are rate-limited per
address. A serial with a wrong check code gets the same answer as a serial that does not
exist. The page shows what the certificate itself says (its signed snapshot), whether it is
valid or revoked, and whether the key that signed it was revoked; nothing else about the holder.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from somet.certificates import keys
from somet.certificates.core import check_codes
from somet.certificates.core.signing import load_public_key, verify_snapshot
from somet.certificates.verify_forms import LookupCodeForm, LookupSerialForm
from somet.models import Certificate, KeyStatus, SigningKey
from somet.web.extensions import db, limiter

blueprint = Blueprint("verify", __name__, url_prefix="/verify")
keys_blueprint = Blueprint("keys", __name__)
LOOKUP_LIMIT = "30 per minute"
JWKS_MAX_AGE = 300  # seconds: a revoked key reaches offline checkers within minutes


@blueprint.route("/")
@limiter.limit(LOOKUP_LIMIT)
def lookup_code():
    by_serial = "serial" in request.args or "check" in request.args
    form = LookupCodeForm(formdata=request.args if request.args and not by_serial else None)
    serial_form = LookupSerialForm(formdata=request.args if by_serial else None)
    if by_serial and serial_form.validate():
        certificate = _find_by_serial(serial_form.normalised_serial, serial_form.check.data)
        if certificate is not None:
            return redirect(url_for(".show_certificate", code=certificate.verification_code))
        serial_form.check.errors.append(_("No certificate has this serial and check code."))
    elif request.args and not by_serial and form.validate():
        return redirect(url_for(".show_certificate", code=form.code.data.strip()))
    return render_template("certificates/verify/lookup.html", form=form, serial_form=serial_form)


def _find_by_serial(serial: str, typed_check: str) -> Certificate | None:
    """The certificate with this serial and check code; None for a wrong pair or serial alike."""
    row = db.session.execute(
        select(Certificate.verification_code).where(Certificate.serial == serial)
    ).first()
    code = row.verification_code if row else "x" * 43  # the same work either way
    if not check_codes.matches(serial, code, typed_check) or row is None:
        return None
    return _find(code)


def _published_key() -> SigningKey | None:
    """The key ``?kid=`` names, or the active one."""
    known = keys.keys_by_kid()
    kid = request.args.get("kid")
    if kid:
        return known.get(kid)
    return next((key for key in known.values() if key.status == KeyStatus.ACTIVE), None)


@blueprint.route("/public-key.pem")
def show_public_key():
    """The active key's PEM, or with ``?kid=`` any published key's (404 when unknown)."""
    key = _published_key()
    if key is None:
        return Response("no such key\n", status=404, mimetype="text/plain")
    return Response(key.public_key_pem, mimetype="application/x-pem-file")


@blueprint.route("/public-key.json")
def show_public_key_json():
    key = _published_key()
    if key is None:
        return {"status": "unknown"}, 404
    return {
        "algorithm": "Ed25519",
        "key_id": key.kid,
        "public_key_pem": key.public_key_pem,
        "signed_form": "UTF-8 JSON of 'certificate', keys sorted, separators ',' and ':'",
        "signature_encoding": "base64url without padding",
        "all_keys_url": url_for("keys.show_jwks", _external=True),
    }


@keys_blueprint.route("/.well-known/jwks.json")
def show_jwks():
    """Every signing key (active, retired, revoked), public parts only; cacheable."""
    response = Response(
        json.dumps(keys.jwks_document(), indent=2), mimetype="application/jwk-set+json"
    )
    response.cache_control.public = True
    response.cache_control.max_age = JWKS_MAX_AGE
    response.add_etag()
    return response.make_conditional(request)


@blueprint.route("/<code>")
@limiter.limit(LOOKUP_LIMIT)
def show_certificate(code: str):
    as_json = code.endswith(".json") or request.args.get("format") == "json"
    code = code.removesuffix(".json")
    certificate, key = _find_with_key(code)
    if certificate is None:
        if as_json:
            return {"status": "unknown"}, 404
        return render_template("certificates/verify/show.html", certificate=None, code=code), 404
    signature_ok = key is not None and verify_snapshot(
        load_public_key(key.public_key_pem.encode("ascii")),
        certificate.snapshot,
        certificate.signature,
    )
    status = _status(certificate, key)
    if as_json:
        return _as_json(certificate, status, signature_ok, key)
    return render_template(
        "certificates/verify/show.html",
        certificate=certificate,
        status=status,
        signature_ok=signature_ok,
        key=key,
        check_code=check_codes.check_code(certificate.serial, certificate.verification_code),
    )


def _status(certificate: Certificate, key: SigningKey | None) -> str:
    if certificate.revoked_at:
        return "revoked"
    if key is not None and key.status == KeyStatus.REVOKED:
        return "key_revoked"
    return "valid"


def _find_with_key(code: str) -> tuple[Certificate | None, SigningKey | None]:
    """The certificate with the key that signed it, in one statement (a certificate from
    before key history names its key in its snapshot only: then the keys are read too)."""
    if not 20 <= len(code) <= 64:
        return None, None
    row = db.session.execute(
        select(Certificate, SigningKey)
        .outerjoin(SigningKey, SigningKey.kid == Certificate.signing_key_id)
        .where(Certificate.verification_code == code)
        .options(joinedload(Certificate.replaced_by))
    ).first()
    if row is None:
        return None, None
    certificate, key = row
    if certificate.signing_key_id is None:
        key = keys.keys_by_kid().get(certificate.snapshot.get("key_id"))
    return certificate, key


def _find(code: str) -> Certificate | None:
    if not 20 <= len(code) <= 64:
        return None
    return db.session.scalars(
        select(Certificate)
        .where(Certificate.verification_code == code)
        .options(joinedload(Certificate.replaced_by))
    ).first()


def _as_json(certificate: Certificate, status: str, signature_ok: bool, key) -> dict:
    replaced_by = certificate.replaced_by
    return {
        "status": status,
        "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
        "revocation_reason": certificate.revocation_reason,
        "replaced_by": replaced_by.serial if replaced_by else None,
        "certificate": certificate.snapshot,
        "signature": certificate.signature,
        "signature_valid": signature_ok,
        "key": {"kid": key.kid, "status": key.status.value} if key else None,
        "offline_payload": certificate.qr_payload,
        "public_key_url": url_for(".show_public_key", kid=key.kid if key else None, _external=True),
        "keys_url": url_for("keys.show_jwks", _external=True),
    }
