"""Certificate core: serials, the frozen content snapshot, its canonical form and signature.

Pure: plain data in and out; no Flask, no database. The snapshot is what the certificate says,
frozen at issue; it is signed with Ed25519 over ``canonical_json(snapshot)`` so that anyone
holding the published public key can check a certificate without trusting our database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SERIAL_PREFIX = "SOMET"
SERIAL_RE = re.compile(r"^SOMET-(\d{4})-(\d{6})$")
MAX_SERIAL_NUMBER = 999_999
SNAPSHOT_VERSION = 1
KINDS = ("internship", "masterclass")
# Bounds on what a snapshot may hold, so that rendering stays small and one page long.
MAX_TEXT = 300
MAX_HOSTS = 10
MAX_ROTATIONS = 16


class CertificateError(ValueError):
    """A serial, snapshot or key that the certificate core refuses."""


class RotationLine(TypedDict):
    """One row of the certificate's rotation table."""

    name: str
    department: str
    hospital: str
    days: int


class Holder(TypedDict):
    latin: str
    native: str


class CertificateSnapshot(TypedDict):
    """Everything the certificate says (schema version 1); dates are ISO 8601 strings."""

    version: int
    kind: str  # internship | masterclass
    serial: str
    holder: Holder
    programme: str  # the cohort's programme, or the masterclass title
    organisation: str  # the issuing training centre
    lead: str  # masterclass lead specialist; "" for an internship
    hosts: list[str]  # host hospital(s), or the masterclass venue
    start_date: str
    end_date: str
    rotations: list[RotationLine]
    hours: str  # a decimal in a string: JSON floats would make the signed bytes ambiguous
    issued_at: str  # UTC, seconds precision
    issued_by: str
    verification_url: str


SNAPSHOT_KEYS = frozenset(CertificateSnapshot.__annotations__)
ROTATION_KEYS = frozenset(RotationLine.__annotations__)


def format_serial(year: int, number: int) -> str:
    """``format_serial(2026, 123) == "SOMET-2026-000123"``."""
    if not 1000 <= year <= 9999:
        raise CertificateError(f"serial year out of range: {year}")
    if not 1 <= number <= MAX_SERIAL_NUMBER:
        raise CertificateError(f"serial number out of range: {number}")
    return f"{SERIAL_PREFIX}-{year:04d}-{number:06d}"


def parse_serial(serial: str) -> tuple[int, int]:
    """Return ``(year, number)`` of a well-formed serial, else raise ``CertificateError``."""
    match = SERIAL_RE.match(serial) if isinstance(serial, str) else None
    if not match or int(match[2]) == 0:
        raise CertificateError(f"not a certificate serial: {serial!r}")
    return int(match[1]), int(match[2])


def new_verification_code() -> str:
    """A long random code (192 bits) that names a certificate on the public verify page."""
    return secrets.token_urlsafe(24)


def build_snapshot(
    *,
    kind: str,
    serial: str,
    holder_latin: str,
    holder_native: str,
    programme: str,
    hosts: Iterable[str],
    start_date: date,
    end_date: date,
    hours: Decimal | int | str,
    issued_at: datetime,
    issued_by: str,
    verification_url: str,
    rotations: Iterable[Mapping[str, Any]] = (),
    organisation: str = "",
    lead: str = "",
) -> CertificateSnapshot:
    """Freeze what a certificate says from plain values, normalised and validated."""
    if issued_at.tzinfo is None:
        raise CertificateError("issued_at must be timezone-aware")
    snapshot: CertificateSnapshot = {
        "version": SNAPSHOT_VERSION,
        "kind": kind,
        "serial": serial,
        "holder": {"latin": _text(holder_latin), "native": _text(holder_native)},
        "programme": _text(programme),
        "organisation": _text(organisation),
        "lead": _text(lead),
        "hosts": [_text(host) for host in hosts],
        "start_date": start_date.isoformat(),
        "end_date": end_date.isoformat(),
        "rotations": [_rotation_line(row) for row in rotations],
        "hours": _hours_text(hours),
        "issued_at": issued_at.astimezone(UTC).replace(microsecond=0).isoformat(),
        "issued_by": _text(issued_by),
        "verification_url": verification_url,
    }
    validate_snapshot(snapshot)
    return snapshot


def validate_snapshot(snapshot: Mapping[str, Any]) -> None:
    """Raise ``CertificateError`` unless ``snapshot`` follows schema version 1 and its bounds."""
    if not isinstance(snapshot, Mapping) or set(snapshot) != SNAPSHOT_KEYS:
        raise CertificateError("snapshot keys do not match schema version 1")
    if snapshot["version"] != SNAPSHOT_VERSION or snapshot["kind"] not in KINDS:
        raise CertificateError("unknown snapshot version or kind")
    parse_serial(snapshot["serial"])
    holder = snapshot["holder"]
    if not isinstance(holder, Mapping) or set(holder) != {"latin", "native"}:
        raise CertificateError("holder must have a latin and a native name")
    texts = [holder["latin"], holder["native"], snapshot["programme"], snapshot["organisation"],
             snapshot["lead"], snapshot["issued_by"], snapshot["verification_url"]]
    if not isinstance(snapshot["hosts"], list):
        raise CertificateError("hosts must be a list")
    _check_texts(texts + snapshot["hosts"])
    if not holder["latin"].strip() or len(snapshot["hosts"]) > MAX_HOSTS:
        raise CertificateError("holder latin name is required; at most 10 hosts")
    _check_rotations(snapshot["rotations"])
    start, end = _iso_date(snapshot["start_date"]), _iso_date(snapshot["end_date"])
    if end < start:
        raise CertificateError("end date before start date")
    _check_hours(snapshot["hours"])
    _check_issued_at(snapshot["issued_at"])
    if not snapshot["verification_url"].startswith(("https://", "http://")):
        raise CertificateError("verification URL must be http(s)")


def canonical_json(snapshot: Mapping[str, Any]) -> bytes:
    """The signed byte form: sorted keys, no whitespace, UTF-8 not escaped, no NaN."""
    return json.dumps(
        snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sign_snapshot(private_key: Ed25519PrivateKey, snapshot: Mapping[str, Any]) -> str:
    """Ed25519 signature over the canonical JSON, as standard base64 text."""
    return base64.b64encode(private_key.sign(canonical_json(snapshot))).decode("ascii")


def verify_snapshot(
    public_key: Ed25519PublicKey, snapshot: Mapping[str, Any], signature: str
) -> bool:
    """True only if ``signature`` is a valid signature of exactly this snapshot."""
    try:
        raw = base64.b64decode(signature.encode("ascii"), validate=True)
        public_key.verify(raw, canonical_json(snapshot))
    except (InvalidSignature, binascii.Error, ValueError, TypeError, AttributeError):
        return False
    return True


def generate_signing_key() -> Ed25519PrivateKey:
    """A new Ed25519 private key."""
    return Ed25519PrivateKey.generate()


def private_key_to_pem(key: Ed25519PrivateKey, password: bytes | None = None) -> bytes:
    """PKCS#8 PEM, encrypted when a password is given."""
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def private_key_from_pem(pem: bytes, password: bytes | None = None) -> Ed25519PrivateKey:
    """Load an Ed25519 private key from PEM; any other key type is refused."""
    key = serialization.load_pem_private_key(pem, password=password)
    if not isinstance(key, Ed25519PrivateKey):
        raise CertificateError("the signing key is not an Ed25519 key")
    return key


def public_key_to_pem(key: Ed25519PublicKey | Ed25519PrivateKey) -> bytes:
    """SubjectPublicKeyInfo PEM of a public key (or of a private key's public half)."""
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key_from_pem(pem: bytes) -> Ed25519PublicKey:
    """Load an Ed25519 public key from PEM; any other key type is refused."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise CertificateError("the public key is not an Ed25519 key")
    return key


def key_id(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    """A short stable fingerprint of a public key, to tell rotated keys apart."""
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _text(value: str) -> str:
    # NFC so that a name typed with combining marks signs and renders like the composed one.
    if not isinstance(value, str):
        raise CertificateError(f"expected text, got {type(value).__name__}")
    return unicodedata.normalize("NFC", value.strip())


def _rotation_line(row: Mapping[str, Any]) -> RotationLine:
    return {
        "name": _text(row["name"]),
        "department": _text(row.get("department", "")),
        "hospital": _text(row.get("hospital", "")),
        "days": row["days"],
    }


def _hours_text(hours: Decimal | int | str) -> str:
    if isinstance(hours, float):
        raise CertificateError("hours must be a Decimal, int or str, not a float")
    value = Decimal(hours).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    # Normalise "120.00" and "1.2E+2" alike to "120"; keep "7.5".
    text = format(value.normalize(), "f") if value else "0"
    _check_hours(text)
    return text


def _check_hours(text: Any) -> None:
    if not isinstance(text, str) or not re.fullmatch(r"\d{1,5}(\.\d{1,2})?", text):
        raise CertificateError(f"hours must be a plain decimal string, not {text!r}")


def _check_texts(texts: list[Any]) -> None:
    for text in texts:
        if not isinstance(text, str) or len(text) > MAX_TEXT:
            raise CertificateError(f"text missing or longer than {MAX_TEXT} characters")


def _check_rotations(rotations: Any) -> None:
    if not isinstance(rotations, list) or len(rotations) > MAX_ROTATIONS:
        raise CertificateError(f"at most {MAX_ROTATIONS} rotations")
    for row in rotations:
        if not isinstance(row, Mapping) or set(row) != ROTATION_KEYS:
            raise CertificateError("rotation rows need name, department, hospital, days")
        _check_texts([row["name"], row["department"], row["hospital"]])
        days = row["days"]
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 366:
            raise CertificateError(f"rotation days out of range: {days!r}")


def _check_issued_at(text: Any) -> None:
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError) as error:
        raise CertificateError(f"not an ISO timestamp: {text!r}") from error
    if moment.tzinfo is None:
        raise CertificateError("issued_at must carry its UTC offset")


def _iso_date(text: Any) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError) as error:
        raise CertificateError(f"not an ISO date: {text!r}") from error
