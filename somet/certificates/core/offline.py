"""The offline-verifiable payload in a certificate's QR code (PURE).

Format ``SOMET1:`` + base45( signature(64) ‖ zlib( claims ) ), where ``claims`` is compact
JSON (keys sorted, no spaces) of the certificate's essentials::

    s serial   t kind (i internship, m masterclass)   n holder (Latin)   c programme or class
    b first day   e last day   h credit hours   d issued on   k key id (kid)

and the signature is Ed25519 over ``b"SOMET1\\x00" + claims`` (the prefix keeps it apart from
the snapshot signatures). JSON rather than CBOR: no new dependency, and after zlib the two
differ by a few bytes for these few short fields. Base45 is what a QR code's alphanumeric mode
stores best; printed, the payload rides in the fragment of the verification link
(``…/verify/<code>#SOMET1:…``, space and ``%`` percent-encoded), so a phone camera opens the
page online while a checker with only the public keys reads the fragment offline. The
fragment never reaches the server.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from somet.certificates.core import base45
from somet.certificates.core.keyset import PublishedKey

PREFIX = "SOMET1:"
DOMAIN = b"SOMET1\x00"
SIGNATURE_BYTES = 64
MAX_TEXT = 8000  # characters of a payload worth decoding (a version-40 QR holds ~4300)
MAX_CLAIMS_BYTES = 8000  # decompressed: a zlib bomb stops here
KINDS = {"internship": "i", "masterclass": "m"}
FIELDS = frozenset("stnbcedhk")
# A fragment keeps base45's ``$*+-./:`` as they are; space and % are percent-encoded.
_FRAGMENT_SAFE = "$*+-./:"


@dataclass(frozen=True)
class Claims:
    serial: str
    kind: str  # internship | masterclass
    holder: str
    course: str
    start: str
    end: str
    hours: float
    issued_on: str
    key_id: str


@dataclass(frozen=True)
class Check:
    """The verdict: valid, or the problem's code (the edge words it) and what was read.

    Problems: ``not_a_payload``, ``damaged`` (not base45, zlib or our JSON), ``unknown_key``,
    ``bad_signature`` (changed or forged: ``claims`` is then None), ``key_revoked``.
    """

    valid: bool
    problem: str | None = None
    claims: Claims | None = None
    key: PublishedKey | None = None


def claims_of(snapshot: dict) -> dict:
    """The essentials of a certificate snapshot, as they go into the QR code."""
    if snapshot["kind"] == "internship":
        course = snapshot["programme"]["name"]
        start, end = snapshot["programme"]["start"], snapshot["programme"]["end"]
    else:
        course = snapshot["masterclass"]["title"]
        start = end = snapshot["masterclass"]["date"]
    hours = float(snapshot["hours"])
    return {
        "s": snapshot["serial"],
        "t": KINDS[snapshot["kind"]],
        "n": snapshot["holder"]["latin_name"],
        "c": course,
        "b": start,
        "e": end,
        "h": int(hours) if hours.is_integer() else hours,
        "d": snapshot["issued_on"],
        "k": snapshot["key_id"],
    }


def encode(claims: dict, private_key: Ed25519PrivateKey) -> str:
    """``SOMET1:…``: the claims signed with ``private_key`` (deterministic: same in, same out)."""
    message = json.dumps(
        claims, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")
    signature = private_key.sign(DOMAIN + message)
    return PREFIX + base45.encode(signature + zlib.compress(message, 9))


def qr_text(verify_url: str, payload: str | None) -> str:
    """What the printed QR code holds: the verification link, with the payload as fragment."""
    return f"{verify_url}#{quote(payload, safe=_FRAGMENT_SAFE)}" if payload else verify_url


def payload_in(text: str) -> str | None:
    """The ``SOMET1:`` payload in a scanned or pasted text (bare, or a link's fragment)."""
    text = (text or "").strip()
    if "#" in text and not text.startswith(PREFIX):
        text = unquote(text.split("#", 1)[1])
    return text if text.startswith(PREFIX) and len(text) <= MAX_TEXT else None


def check(text: str, keys: Mapping[str, PublishedKey]) -> Check:
    """Decide offline whether ``text`` (a payload or a link holding one) is a valid certificate."""
    payload = payload_in(text)
    if payload is None:
        return Check(False, "not_a_payload")
    try:
        blob = base45.decode(payload.removeprefix(PREFIX))
        signature, message = blob[:SIGNATURE_BYTES], _inflate(blob[SIGNATURE_BYTES:])
        claims = _claims(json.loads(message))
    except (ValueError, zlib.error, TypeError, KeyError):
        return Check(False, "damaged")
    key = keys.get(claims.key_id)
    if key is None:
        return Check(False, "unknown_key", claims)
    try:
        key.public_key.verify(signature, DOMAIN + message)
    except InvalidSignature:
        return Check(False, "bad_signature", None, key)
    if key.revoked_key:
        return Check(False, "key_revoked", claims, key)
    return Check(True, None, claims, key)


def _inflate(compressed: bytes) -> bytes:
    inflater = zlib.decompressobj()
    message = inflater.decompress(compressed, MAX_CLAIMS_BYTES)
    if inflater.unconsumed_tail or not inflater.eof or inflater.unused_data:
        raise ValueError("the claims are too long, cut short or followed by other bytes")
    return message


def _claims(data) -> Claims:
    if not isinstance(data, dict) or set(data) != FIELDS or data["t"] not in ("i", "m"):
        raise ValueError("not SOMET claims")
    texts = [data[name] for name in "snbcedk"]
    if not all(isinstance(value, str) for value in texts):
        raise ValueError("a field is not a text")
    hours = data["h"]
    if isinstance(hours, bool) or not isinstance(hours, int | float):
        raise ValueError("hours are not a number")
    kind = "internship" if data["t"] == "i" else "masterclass"
    return Claims(data["s"], kind, data["n"], data["c"], data["b"], data["e"], float(hours),
                  data["d"], data["k"])  # fmt: skip
