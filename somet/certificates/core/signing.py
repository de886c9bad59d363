"""Ed25519 signatures over a snapshot's canonical JSON (PURE: keys in, bytes out, no files).

Anyone can check a certificate without us: take the snapshot from ``/verify/<code>.json``,
rebuild ``canonical_json`` (UTF-8, keys sorted, separators ``,`` and ``:``), and verify the
base64url signature with the public key published at ``/verify/public-key.pem``.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from somet.certificates.core.payload import canonical_json


def generate_private_key_pem() -> bytes:
    """A new Ed25519 private key as unencrypted PKCS#8 PEM."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the certificate signing key is not an Ed25519 key")
    return key


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def public_key_pem(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_id(public_key: Ed25519PublicKey) -> str:
    """The first 16 hex digits of the SHA-256 of the raw public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign_snapshot(private_key: Ed25519PrivateKey, snapshot: dict) -> str:
    """The base64url (unpadded) Ed25519 signature of the snapshot's canonical JSON."""
    signature = private_key.sign(canonical_json(snapshot))
    return base64.urlsafe_b64encode(signature).rstrip(b"=").decode("ascii")


def verify_snapshot(public_key: Ed25519PublicKey, snapshot: dict, signature: str) -> bool:
    """True when ``signature`` was made by the key's owner over exactly this snapshot."""
    try:
        raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        public_key.verify(raw, canonical_json(snapshot))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
