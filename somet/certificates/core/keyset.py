"""Published signing keys as a JWKS (RFC 7517, OKP/Ed25519 per RFC 8037), PURE.

Each key is listed with its ``kid`` (the first 16 hex digits of the SHA-256 of the raw public
key, see signing.key_id) and, beside the standard members, SOMET's ``status``: ``active``
(signs new certificates), ``retired`` (signed earlier ones, which stay valid) or ``revoked``
(its signatures are refused). A revoked key also loses ``use`` and gets ``key_ops: []``, so a
generic JWT library that ignores ``status`` will not verify with it either. Only public
parts are ever written: ``x``, never ``d``.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from somet.certificates.core.signing import key_id

ACTIVE, RETIRED, REVOKED = "active", "retired", "revoked"
STATUSES = (ACTIVE, RETIRED, REVOKED)


class KeysetError(ValueError):
    """The keys file is not a JWKS of Ed25519 keys."""


@dataclass(frozen=True)
class PublishedKey:
    kid: str
    public_key: Ed25519PublicKey
    status: str = ACTIVE
    created: str = ""  # ISO dates, for people reading the file
    retired: str = ""
    revoked: str = ""
    revocation_reason: str = ""

    @property
    def revoked_key(self) -> bool:
        return self.status == REVOKED


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def jwk(key: PublishedKey) -> dict:
    """One public JWK with SOMET's status members."""
    raw = key.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    entry = {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw), "kid": key.kid, "alg": "EdDSA"}
    if key.revoked_key:
        entry["key_ops"] = []
    else:
        entry["use"] = "sig"
    entry["status"] = key.status
    for name in ("created", "retired", "revoked", "revocation_reason"):
        if getattr(key, name):
            entry[name] = getattr(key, name)
    return entry


def jwks(keys) -> dict:
    """``{"keys": [...]}`` of the given keys, in the order given."""
    return {"keys": [jwk(key) for key in keys]}


def parse_jwks(document) -> dict[str, PublishedKey]:
    """The Ed25519 keys of a JWKS document by kid; KeysetError when it is not one.

    A key whose ``kid`` does not match its public key is refused (a file edited by hand or
    mixed up), and a key without ``status`` counts as active.
    """
    entries = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise KeysetError("not a JWKS: no list of keys")
    keys: dict[str, PublishedKey] = {}
    for entry in entries:
        ed25519 = isinstance(entry, dict) and (entry.get("kty"), entry.get("crv")) == (
            "OKP",
            "Ed25519",
        )
        if not ed25519:
            continue  # other kinds of keys may share the file
        key = _published(entry)
        keys[key.kid] = key
    return keys


def _published(entry: dict) -> PublishedKey:
    try:
        x = str(entry["x"])
        raw = base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))
        public_key = Ed25519PublicKey.from_public_bytes(raw)
    except (KeyError, ValueError, TypeError) as error:
        raise KeysetError(f"a key's public part is not valid: {error}") from None
    kid = key_id(public_key)
    if entry.get("kid", kid) != kid:
        raise KeysetError(f"key {entry.get('kid')!r} does not have the id of its public key")
    status = entry.get("status", ACTIVE)
    if status not in STATUSES:
        raise KeysetError(f"key {kid} has an unknown status {status!r}")
    return PublishedKey(
        kid, public_key, status, *(str(entry.get(name, "")) for name in
                                   ("created", "retired", "revoked", "revocation_reason"))
    )  # fmt: skip
