"""Open Badges 3.0 export (issue 25): the holder downloads a signed OpenBadgeCredential that has
the OB 3.0 AchievementCredential shape (tests/ob3_shape.py) and verifies with a published key;
the revocation list sets the bit of a revoked certificate; "Add to LinkedIn profile" carries
the certificate's fields."""

from __future__ import annotations

import base64
import copy
import html
import json
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from somet.certificates import operations as service
from somet.certificates.core import badges, keyset
from somet.models import Certificate, Role
from somet.web.extensions import db
from tests.certificate_data import finished_cohort, use_fake_renderer
from tests.conftest import login_as
from tests.factories import make_user
from tests.ob3_shape import ACHIEVEMENT_CREDENTIAL, problems

JOSE_MEMBERS = {"alg", "kid", "jwk", "typ"}  # OB 3.0 §8.2.3: no other header is allowed


def _issue(count: int = 1) -> list[Certificate]:
    cohort, _ = finished_cohort(complete=count)
    service.issue_certificates(None, cohort.id)
    return list(db.session.scalars(select(Certificate).order_by(Certificate.id)))


def _verified(client, token: str) -> tuple[dict, dict]:
    """(header, claims) of a VC-JWT, checked with the key of the issuer's JWKS it names."""
    header_part = token.split(".")[0]
    header = json.loads(base64.urlsafe_b64decode(header_part + "=" * (-len(header_part) % 4)))
    published = keyset.parse_jwks(client.get("/.well-known/jwks.json").json)
    key = published[header["jwk"]["kid"]]
    assert keyset.jwk(key)["x"] == header["jwk"]["x"]  # the header names a published key
    read = badges.read_jwt(token, key.public_key)
    assert read is not None, "the signature does not verify"
    return read


def test_the_holder_downloads_an_open_badge_that_has_the_ob3_shape_and_verifies(
    client, monkeypatch
):
    use_fake_renderer(monkeypatch)
    (certificate,) = _issue()
    login_as(client, make_user(Role.DOCTOR, doctor_id=certificate.doctor_id))
    response = client.get(f"/certificates/{certificate.id}/badge.jwt")
    assert response.status_code == 200 and response.mimetype == "application/jwt"
    assert "Open%20Badge.jwt" in response.headers["Content-Disposition"]
    header, claims = _verified(client, response.get_data(as_text=True))

    assert set(header) <= JOSE_MEMBERS and header["alg"] == "EdDSA" and "d" not in header["jwk"]
    credential = claims["vc"]
    assert problems(credential, ACHIEVEMENT_CREDENTIAL) == []
    assert {"VerifiableCredential", "OpenBadgeCredential"} <= set(credential["type"])
    subject = credential["credentialSubject"]
    assert "AchievementSubject" in subject["type"]
    assert "Achievement" in subject["achievement"]["type"]
    assert "Profile" in credential["issuer"]["type"]
    # §8.2.4: the claims repeat the credential's identifiers and issue date
    assert claims["iss"] == credential["issuer"]["id"] and claims["jti"] == credential["id"]
    assert claims["sub"] == subject["id"]
    issued = datetime.fromtimestamp(claims["nbf"], UTC)
    assert issued.date().isoformat() == certificate.snapshot["issued_on"]
    assert subject["achievement"]["name"] == certificate.snapshot["programme"]["name"]
    assert subject["creditsEarned"] == certificate.hours
    assert subject["achievement"]["humanCode"] == certificate.serial
    assert certificate.verification_code not in credential["id"]  # the list names no code
    assert credential["credentialStatus"]["statusListIndex"] == str(certificate.id)
    issuer = client.get("/badges/issuer.json").json
    assert issuer == credential["issuer"]


def test_the_shape_check_can_fail_and_a_changed_badge_does_not_verify(client, monkeypatch):
    use_fake_renderer(monkeypatch)
    (certificate,) = _issue()
    login_as(client, make_user(Role.ADMIN))
    token = client.get(f"/certificates/{certificate.id}/badge.jwt").get_data(as_text=True)
    _, claims = _verified(client, token)
    broken = copy.deepcopy(claims["vc"])
    del broken["name"]
    broken["credentialSubject"]["nickname"] = "Doc"
    broken["issuanceDate"] = "20 March 2027"
    found = problems(broken, ACHIEVEMENT_CREDENTIAL)
    assert "$: name is required" in found
    assert "$.credentialSubject: nickname is not allowed" in found
    assert any("is not a date-time" in problem for problem in found)

    header_part, claims_part, signature = token.split(".")
    changed = claims_part[:-3] + ("A" if claims_part[-3] != "A" else "B") + claims_part[-2:]
    key = keyset.parse_jwks(client.get("/.well-known/jwks.json").json)
    public = next(iter(key.values())).public_key
    assert badges.read_jwt(f"{header_part}.{changed}.{signature}", public) is None


def test_a_revoked_certificate_has_its_bit_set_and_no_badge(client, users, runner, monkeypatch):
    use_fake_renderer(monkeypatch)
    revoked, live, by_revoked_key = _issue(3)
    service.revoke_certificate(users["director"], revoked.id, "Issued by mistake")
    login_as(client, users["director"])
    assert client.get(f"/certificates/{revoked.id}/badge.jwt").status_code == 404

    response = client.get("/badges/status/revocation")
    assert response.status_code == 200 and "max-age=300" in response.headers["Cache-Control"]
    _, claims = _verified(client, response.get_data(as_text=True))
    status_list = claims["vc"]
    assert status_list["type"] == ["VerifiableCredential", "StatusList2021Credential"]
    encoded = status_list["credentialSubject"]["encodedList"]
    assert badges.is_revoked(encoded, revoked.id)
    assert not badges.is_revoked(encoded, live.id)
    assert not badges.is_revoked(encoded, by_revoked_key.id)

    assert runner.invoke(args=["certificates", "rotate-key"]).exit_code == 0
    kid = by_revoked_key.signing_key_id
    assert runner.invoke(args=["certificates", "revoke-key", kid, "--reason", "x"]).exit_code == 0
    _, claims = _verified(client, client.get("/badges/status/revocation").get_data(as_text=True))
    encoded = claims["vc"]["credentialSubject"]["encodedList"]
    assert badges.is_revoked(encoded, by_revoked_key.id)  # every certificate of that key
    assert client.get(f"/certificates/{by_revoked_key.id}/badge.jwt").status_code == 404


def test_the_holder_adds_a_certificate_to_linkedin_with_its_fields(app, client, monkeypatch):
    use_fake_renderer(monkeypatch)
    (certificate,) = _issue()
    login_as(client, make_user(Role.DOCTOR, doctor_id=certificate.doctor_id))
    page = client.get("/certificates/mine").get_data(as_text=True)
    (link,) = re.findall(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', page)
    fields = {k: v[0] for k, v in parse_qs(urlsplit(html.unescape(link)).query).items()}
    assert fields["startTask"] == "CERTIFICATION_NAME"
    assert fields["name"] == certificate.snapshot["programme"]["name"]
    assert fields["organizationName"] == "SOMET" and fields["certId"] == certificate.serial
    assert (int(fields["issueYear"]), int(fields["issueMonth"])) == (
        certificate.issued_at.year, certificate.issued_at.month
    )  # fmt: skip
    public = app.config["SOMET_PUBLIC_URL"]
    assert fields["certUrl"] == f"{public}/verify/{certificate.verification_code}"
    assert f'href="/certificates/{certificate.id}/badge.jwt"' in page


def test_an_encoded_list_is_at_least_16_kb_and_grows_for_large_ids():
    small = badges.encoded_list({3})
    assert badges.is_revoked(small, 3) and not badges.is_revoked(small, 2)
    large = badges.encoded_list({200_000})
    assert badges.is_revoked(large, 200_000) and not badges.is_revoked(large, 199_999)
    assert not badges.is_revoked(small, 10**7)
