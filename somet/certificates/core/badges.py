"""A certificate as an Open Badges 3.0 ``OpenBadgeCredential`` (PURE).

The credential follows the 1EdTech OB 3.0 AchievementCredential shape (VC Data Model 1.1:
``issuanceDate``) and is signed as a VC-JWT (OB 3.0 §8.2): JOSE header ``alg: EdDSA``,
``typ: JWT`` and the public ``jwk`` (with its ``kid``, one of the keys of the issuer's JWKS);
payload ``iss``, ``jti``, ``nbf``, ``sub`` and ``vc``. Its ``credentialStatus`` points to a
W3C StatusList2021 revocation list (a gzip-compressed bitstring, one bit per certificate id,
itself a signed VC-JWT), so a wallet learns of a revocation without asking about one
certificate. An "Add to LinkedIn profile" link carries the certificate's fields.
"""

from __future__ import annotations

import base64
import gzip
import json
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

VC_CONTEXT = "https://www.w3.org/2018/credentials/v1"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"
STATUS_CONTEXT = "https://w3id.org/vc/status-list/2021/v1"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
STATUS_LIST_BITS = 131_072  # 16 kB: the specification's least size, so a list says little
LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _midnight(day: str) -> str:
    return f"{day}T00:00:00Z"


def open_badge(
    snapshot: dict,
    *,
    credential_id: str,
    subject_id: str,
    achievement_id: str,
    issuer: dict,
    status: dict,
    verify_url: str,
) -> dict:
    """The OpenBadgeCredential of a certificate snapshot (no proof: see ``vc_jwt``)."""
    internship = snapshot["kind"] == "internship"
    if internship:
        title, start, end = (snapshot["programme"][k] for k in ("name", "start", "end"))
        kind = "Clinical internship"
    else:
        title = snapshot["masterclass"]["title"]
        start = end = snapshot["masterclass"]["date"]
        kind = "Masterclass"
    holder = snapshot["holder"]["latin_name"]
    hours = float(snapshot["hours"])
    criteria = (
        "Completed every required rotation of the programme, present on at least the "
        "programme's share of each rotation's days."
        if internship
        else "Attended the masterclass."
    )
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT, STATUS_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{kind}: {title}",
        "description": (
            f"{holder}: {kind.lower()} “{title}”, {start} – {end}, {hours:g} credit hours. "
            f"Certificate {snapshot['serial']}; verify at {verify_url}"
        ),
        "issuer": issuer,
        "issuanceDate": _midnight(snapshot["issued_on"]),
        "credentialSubject": {
            "id": subject_id,
            "type": ["AchievementSubject"],
            "activityStartDate": _midnight(start),
            "activityEndDate": _midnight(end),
            "creditsEarned": hours,
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate" if internship else "CertificateOfCompletion",
                "name": title,
                "description": f"{kind} “{title}” by {issuer['name']}.",
                "criteria": {"narrative": criteria},
                "humanCode": snapshot["serial"],
            },
        },
        "credentialStatus": status,
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def status_entry(list_url: str, index: int) -> dict:
    """The ``credentialStatus`` of the certificate with ``index`` in the revocation list."""
    return {
        "id": f"{list_url}#{index}",
        "type": "StatusList2021Entry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def encoded_list(revoked: set[int] | frozenset[int]) -> str:
    """The bitstring (bit 0 the left-most of byte 0) with ``revoked`` set, gzipped, base64url."""
    size = max(STATUS_LIST_BITS, ((max(revoked, default=0) // 8) + 1) * 8)
    bits = bytearray(size // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    return _b64url(gzip.compress(bytes(bits), mtime=0))


def is_revoked(encoded: str, index: int) -> bool:
    """Whether bit ``index`` of an encoded list is set (how a verifier reads it)."""
    bits = gzip.decompress(_unb64url(encoded))
    return index // 8 < len(bits) and bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list(list_url: str, issuer: dict, revoked, issued: datetime) -> dict:
    """The StatusList2021Credential: every revoked certificate's bit set."""
    return {
        "@context": [VC_CONTEXT, STATUS_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "StatusList2021Credential"],
        "issuer": issuer,
        "issuanceDate": issued.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "StatusList2021",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(frozenset(revoked)),
        },
    }


def vc_jwt(credential: dict, private_key: Ed25519PrivateKey, public_jwk: dict) -> str:
    """The credential as a compact JWS (OB 3.0 VC-JWT) signed with Ed25519."""
    header = {"alg": "EdDSA", "typ": "JWT", "jwk": public_jwk}
    issued = datetime.fromisoformat(credential["issuanceDate"].replace("Z", "+00:00"))
    claims = {
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(issued.timestamp()),
        "vc": credential,
    }
    subject = credential["credentialSubject"].get("id")
    if subject:
        claims["sub"] = subject
    signing_input = ".".join(_b64url(_json(part)) for part in (header, claims))
    signature = private_key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{_b64url(signature)}"


def read_jwt(token: str, public_key: Ed25519PublicKey) -> tuple[dict, dict] | None:
    """(header, claims) of a compact JWS signed by ``public_key``; None when it is not."""
    try:
        header_part, claims_part, signature = token.strip().split(".")
        public_key.verify(_unb64url(signature), f"{header_part}.{claims_part}".encode("ascii"))
        return json.loads(_unb64url(header_part)), json.loads(_unb64url(claims_part))
    except (ValueError, InvalidSignature, TypeError):
        return None


def linkedin_url(name: str, organisation: str, issued_on: date, cert_url: str, serial: str) -> str:
    """LinkedIn's "Add to profile" link for a licence or certification, pre-filled."""
    return LINKEDIN_ADD + "?" + urlencode(
        {
            "startTask": "CERTIFICATION_NAME",
            "name": name,
            "organizationName": organisation,
            "issueYear": issued_on.year,
            "issueMonth": issued_on.month,
            "certUrl": cert_url,
            "certId": serial,
        }
    )  # fmt: skip


def _json(value: dict) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
