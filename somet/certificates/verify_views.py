"""``/verify``: anyone checks a certificate by its code (the QR target), as a page or JSON.

Codes are 256-bit random strings, so they cannot be guessed, and lookups are rate-limited per
address. The page shows what the certificate itself says (its signed snapshot) and whether it
is valid or revoked; nothing else about the holder.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from somet.certificates import storage
from somet.certificates.core.signing import key_id, public_key_pem, verify_snapshot
from somet.certificates.verify_forms import LookupCodeForm
from somet.models import Certificate
from somet.web.extensions import db, limiter

blueprint = Blueprint("verify", __name__, url_prefix="/verify")
LOOKUP_LIMIT = "30 per minute"


def _signing_key():
    return storage.signing_key(current_app.instance_path)


@blueprint.route("/")
@limiter.limit(LOOKUP_LIMIT)
def lookup_code():
    form = LookupCodeForm(formdata=request.args if request.args else None)
    if request.args and form.validate():
        return redirect(url_for(".show_certificate", code=form.code.data.strip()))
    return render_template("certificates/verify/lookup.html", form=form)


@blueprint.route("/public-key.pem")
def show_public_key():
    return Response(public_key_pem(_signing_key()), mimetype="application/x-pem-file")


@blueprint.route("/public-key.json")
def show_public_key_json():
    key = _signing_key()
    return {
        "algorithm": "Ed25519",
        "key_id": key_id(key.public_key()),
        "public_key_pem": public_key_pem(key).decode("ascii"),
        "signed_form": "UTF-8 JSON of 'certificate', keys sorted, separators ',' and ':'",
        "signature_encoding": "base64url without padding",
    }


@blueprint.route("/<code>")
@limiter.limit(LOOKUP_LIMIT)
def show_certificate(code: str):
    as_json = code.endswith(".json") or request.args.get("format") == "json"
    code = code.removesuffix(".json")
    certificate = _find(code)
    if certificate is None:
        if as_json:
            return {"status": "unknown"}, 404
        return render_template("certificates/verify/show.html", certificate=None, code=code), 404
    status = "revoked" if certificate.revoked_at else "valid"
    signature_ok = verify_snapshot(
        _signing_key().public_key(), certificate.snapshot, certificate.signature
    )
    if as_json:
        return _as_json(certificate, status, signature_ok)
    return render_template(
        "certificates/verify/show.html",
        certificate=certificate,
        status=status,
        signature_ok=signature_ok,
    )


def _find(code: str) -> Certificate | None:
    if not 20 <= len(code) <= 64:
        return None
    return db.session.scalars(
        select(Certificate)
        .where(Certificate.verification_code == code)
        .options(joinedload(Certificate.replaced_by))
    ).first()


def _as_json(certificate: Certificate, status: str, signature_ok: bool) -> dict:
    replaced_by = certificate.replaced_by
    return {
        "status": status,
        "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
        "revocation_reason": certificate.revocation_reason,
        "replaced_by": replaced_by.serial if replaced_by else None,
        "certificate": certificate.snapshot,
        "signature": certificate.signature,
        "signature_valid": signature_ok,
        "public_key_url": url_for(".show_public_key", _external=True),
    }
