"""Key history (NOT pure): which signing key is active, rotation, revocation, the public keys.

One key is ``active`` and signs new certificates; ``flask certificates rotate-key`` makes a
new key active and retires the old one, and certificates signed by a retired key stay valid
online and offline; ``flask certificates revoke-key`` refuses a key's signatures from then
on. Key changes take the issuing lock, so no certificate is signed by a key while it is being
retired.

The first time keys are read (first issue, first verification or key list after migration
0017), the key files already in the instance folder are registered (an installation's single
key from before key history; the active one is the key of the latest certificate), or a new
key is made when there is none. Revoking a key deletes its private file. After every change
the public keys are also written to ``<instance>/certificate_keys.jwks.json``, which
``flask certificates check`` reads when no ``--keys`` file is given, with no database.
"""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from somet.audit.operations import record_event
from somet.certificates import storage
from somet.certificates.core import keyset
from somet.certificates.core.signing import (
    generate_private_key_pem,
    load_private_key,
    load_public_key,
    public_key_pem,
)
from somet.core.errors import InvalidTransition, NotFound, ValidationFailed
from somet.models import Certificate, KeyStatus, SigningKey, User, utcnow
from somet.web.database import lock_for_write
from somet.web.extensions import db

SERIAL_LOCK = "certificate-serials"  # issuing and key changes: one lock, one at a time
JWKS_FILE = "certificate_keys.jwks.json"


def _instance() -> str:
    return current_app.instance_path


def active_signing_key() -> tuple[str, Ed25519PrivateKey]:
    """(kid, private key) to sign a new certificate with; the caller holds SERIAL_LOCK."""
    row = db.session.scalar(select(SigningKey).where(SigningKey.status == KeyStatus.ACTIVE))
    if row is None:
        row = _first_or_next_key()
    try:
        return row.kid, storage.private_key(_instance(), row.kid)
    except storage.MissingKeyFile:
        raise ValidationFailed(
            _(
                "The signing key %(kid)s is not on this server. Copy its file from the "
                "server where it was made, then try again.",
                kid=row.kid,
            )
        ) from None


def ensure_keys() -> None:
    """Register the installation's key on first read (its own transaction, committed)."""
    if db.session.scalar(select(SigningKey.kid).limit(1)) is not None:
        return
    db.session.commit()
    lock_for_write(db.session(), SERIAL_LOCK)
    if db.session.scalar(select(SigningKey.kid).limit(1)) is None:
        _first_or_next_key()
    db.session.commit()


def _first_or_next_key() -> SigningKey:
    """The active key when there is none: with no key registered yet, the key files already
    in the instance folder (the single key of an installation from before key history, or
    the files of a database downgraded or restored without its keys); else a new key."""
    registered = db.session.scalar(select(SigningKey.kid).limit(1)) is not None
    found = {} if registered else storage.key_files(_instance())
    row = _adopt(found) if found else _add_key(generate_private_key_pem())
    record_event(None, "certificates.key_added", None, kid=row.kid, adopted=sorted(found))
    write_jwks_file()  # ahead of the commit: at worst it lists a key that never signed
    return row


def _adopt(found: dict[str, bytes]) -> SigningKey:
    """Register every key file: the one that signed the latest certificate (else the newest
    file) is active, the others retired (a revoked key's file was deleted, see revoke_key)."""
    latest = db.session.scalar(
        select(Certificate.signing_key_id)
        .where(Certificate.signing_key_id.in_(list(found)))
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        .limit(1)
    )
    active_kid = latest or next(iter(found))
    for kid, pem in found.items():
        if kid != active_kid:
            _add_key(pem, KeyStatus.RETIRED)
    return _add_key(found[active_kid])


def _add_key(pem: bytes, status: KeyStatus = KeyStatus.ACTIVE) -> SigningKey:
    kid = storage.save_private_key(_instance(), pem)
    public = public_key_pem(load_private_key(pem)).decode("ascii")
    retired = utcnow() if status == KeyStatus.RETIRED else None
    row = SigningKey(kid=kid, public_key_pem=public, status=status, retired_at=retired)
    db.session.add(row)
    db.session.flush()
    return row


def keys_by_kid() -> dict[str, SigningKey]:
    """Every registered key (a handful), by kid. One statement once a key is registered (the
    public verification page reads it on every visit)."""
    rows = db.session.scalars(select(SigningKey)).all()
    if not rows:
        ensure_keys()
        rows = db.session.scalars(select(SigningKey)).all()
    return {row.kid: row for row in rows}


def key_history() -> list[tuple[SigningKey, int]]:
    """Every key, oldest first, with how many certificates it signed (one statement)."""
    ensure_keys()
    signed = (
        select(func.count(Certificate.id))
        .where(Certificate.signing_key_id == SigningKey.kid)
        .scalar_subquery()
    )
    rows = db.session.execute(select(SigningKey, signed).order_by(SigningKey.created_at))
    return [(key, count) for key, count in rows]


def published(row: SigningKey) -> keyset.PublishedKey:
    """A key as the pure checker and the JWKS see it (public part only)."""

    def day(moment) -> str:
        return moment.date().isoformat() if moment else ""

    return keyset.PublishedKey(
        row.kid,
        load_public_key(row.public_key_pem.encode("ascii")),
        row.status.value,
        day(row.created_at),
        day(row.retired_at),
        day(row.revoked_at),
        row.revocation_reason or "",
    )


def jwks_document() -> dict:
    """The JWKS of every key, oldest first (public parts and statuses only)."""
    ensure_keys()
    return _jwks()


def _jwks() -> dict:
    rows = db.session.scalars(select(SigningKey).order_by(SigningKey.created_at))
    return keyset.jwks(published(row) for row in rows)


def write_jwks_file() -> Path:
    """Write the published keys, as this transaction sees them, for the offline checker."""
    path = Path(_instance()) / JWKS_FILE
    content = json.dumps(_jwks(), indent=2, ensure_ascii=False) + "\n"
    storage.write_public_file(path, content.encode("utf-8"))
    return path


def rotate_key(actor: User | None) -> tuple[str, str]:
    """Make a new key active and retire the one that was: (old kid, new kid)."""
    ensure_keys()
    lock_for_write(db.session(), SERIAL_LOCK)
    old = db.session.scalar(select(SigningKey).where(SigningKey.status == KeyStatus.ACTIVE))
    if old is not None:
        old.status, old.retired_at = KeyStatus.RETIRED, utcnow()
        db.session.flush()  # the one-active index sees the old key retired first
    new = _add_key(generate_private_key_pem())
    old_kid = old.kid if old is not None else ""
    record_event(actor, "certificates.key_rotated", None, retired=old_kid, active=new.kid)
    new_kid = new.kid
    db.session.commit()
    write_jwks_file()
    db.session.commit()
    return old_kid, new_kid


def revoke_key(actor: User | None, kid: str, reason: str) -> int:
    """Refuse ``kid``'s signatures from now on; returns how many live certificates it signed."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise ValidationFailed(_("Give the reason for revoking the key (at most 500 characters)."))
    ensure_keys()
    lock_for_write(db.session(), SERIAL_LOCK)
    row = db.session.get(SigningKey, kid, populate_existing=True)
    if row is None:
        raise NotFound(_("There is no signing key %(kid)s.", kid=kid))
    if row.status == KeyStatus.REVOKED:
        raise InvalidTransition(_("Key %(kid)s is already revoked.", kid=kid))
    if row.status == KeyStatus.ACTIVE:
        raise InvalidTransition(
            _("Key %(kid)s signs new certificates: rotate the key first.", kid=kid)
        )
    row.status, row.revoked_at, row.revocation_reason = KeyStatus.REVOKED, utcnow(), reason
    live = db.session.scalar(
        select(func.count(Certificate.id)).where(
            Certificate.signing_key_id == kid, Certificate.revoked_at.is_(None)
        )
    )
    record_event(actor, "certificates.key_revoked", None, kid=kid, reason=reason, live=live)
    db.session.commit()
    storage.delete_private_key(_instance(), kid)  # compromised or withdrawn: never signs again
    write_jwks_file()
    db.session.commit()
    return live
